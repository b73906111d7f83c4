#!/usr/bin/env bash
# `make fuzz-api`: schemathesis against /openapi.json of a running `aifactory demo` (free loopback
# ports, a temporary state directory), with every demo role's key and FUZZ_API_EXAMPLES examples
# per operation. Prints counts of 5xx, schema violations and cross-tenant identifier leaks; exits
# non-zero when any is above 0. See docs/SECURITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${FUZZ_API_EXAMPLES:-20}"

python3 - <<'PY' 2>/dev/null || { echo "fuzz-api: installing PyPI schemathesis"; python3 -m pip install -q --disable-pip-version-check schemathesis; }
import schemathesis
PY

swift build --product aifactory >/dev/null
bin="$(swift build --show-bin-path)/aifactory"
state="$(mktemp -d)"
demo=""
source scripts/lib/start-demo.sh
trap 'stop_demo_and_remove "$state"' EXIT

start_demo fuzz-api "$bin" "$state/demo" || exit 1

python3 scripts/fuzz_api.py --credentials "$state/demo/demo-credentials.json" --examples "$examples"
