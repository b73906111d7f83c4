#!/usr/bin/env bash
# The one test command (README, `make test`, `.ci/run`): installs what is missing, builds once,
# runs every Swift test (unit + integration against the real Prometheus/promtool, the store on
# SQLite and a throw-away PostgreSQL), then the
# differential PromQL test against the independent Rust parser, a short fuzz smoke, the page's
# browser tests (headless Chromium against the demo stack) and a brief API fuzz run (fuzz-api.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# The deployment files (systemd units, haproxy, Prometheus example; docs/DEPLOY.md): under a second.
bash scripts/check-deploy.sh
# Quiet: errors only (the console is a pipe in CI; thousands of "Compiling" lines say nothing).
swift build --build-tests --quiet
# An unscoped or wrongly scoped telemetry read must not compile (docs/ARCHITECTURE.md).
bash scripts/negative-compile.sh
# The store suite runs on SQLite and on a throw-away PostgreSQL cluster started for the run.
# The load generator's timing-accuracy tests (scripted 50 ms TTFT / 10 ms ITL within a tolerance)
# run on their own afterwards: beside the parallel integration tests (real Prometheus, demo
# stacks, builds of 2 cores' worth of work) the machine, not the generator, sets their error.
# Each `swift test` runs under a time limit with its full output in .build/test-logs
# (scripts/time-limited.sh): a hang names its tests, and the console gets a short view.
bash scripts/with-postgres.sh bash scripts/time-limited.sh swift-test "${SWIFT_TEST_LIMIT:-30m}" swift test --skip-build --parallel --skip LoadGeneratorTests
bash scripts/time-limited.sh load-generator 10m swift test --skip-build --filter LoadGeneratorTests
# The tenant-scoped Prometheus API against a real Prometheus: dashboard and page queries per tenant
# equal Prometheus's answers with the tenant's matcher added by hand; promtool with a key (docs/PROMETHEUS-API.md).
AIFACTORY_PROMETHEUS_API_DIFFERENTIAL=1 bash scripts/time-limited.sh prometheus-api 3m swift test --skip-build --filter ScopedPrometheusAPIDifferentialTests
if [ -f scripts/promql-differential.py ]; then
  python3 scripts/promql-differential.py --aifactory "$(swift build --show-bin-path)/aifactory"
fi
if [ -f scripts/promql-fuzz.sh ]; then
  bash scripts/promql-fuzz.sh "${FUZZ_SECONDS:-20}"
fi
bash scripts/browser-test.sh
# Two serve replicas on a throw-away PostgreSQL behind haproxy; one is killed under load (docs/DEPLOY.md).
bash scripts/replicas-test.sh
# A brief API fuzz run (schemathesis, every role's key): no 5xx, schema violation or cross-tenant leak.
FUZZ_API_EXAMPLES="${FUZZ_API_EXAMPLES:-5}" bash scripts/fuzz-api.sh
echo "test: all passed"
