#!/usr/bin/env bash
# The one demo command (README, `make demo`): installs what is missing, builds, and runs the
# embedded demo (simulated fleet + real Prometheus + server) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
swift build --product aifactory
exec "$(swift build --show-bin-path)/aifactory" demo --state-dir "${STATE_DIR:-state}" --port "${PORT:-8080}" "$@"
