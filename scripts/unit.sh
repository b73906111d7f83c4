#!/usr/bin/env bash
# `make unit`: the quick loop while working — one build, every unit suite in parallel (no real
# Prometheus, PostgreSQL, demo stack or browser: IntegrationTests and the timing-sensitive
# LoadGeneratorTests stay in `make test`), then the negative-compile check.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
swift build --build-tests
swift test --skip-build --parallel --skip IntegrationTests --skip LoadGeneratorTests
bash scripts/negative-compile.sh
echo "unit: all passed in $(( $(date +%s) - start )) s"
