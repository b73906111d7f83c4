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
cleanup() {
  if [ -n "$demo" ]; then
    kill -INT "$demo" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$demo" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$demo" 2>/dev/null || true
  fi
  rm -rf "$state"
}
trap cleanup EXIT

# The port is free when chosen, but another listener starting meanwhile (the demo's own children
# bind port 0) can take it first: a start that fails with "address already in use" is retried
# on a new port, at most three times; any other early exit fails at once.
started=0
for attempt in 1 2 3; do
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  rm -rf "$state" && state="$(mktemp -d)"  # a fresh state: nothing seeded by the failed start
  "$bin" demo --state-dir "$state" --port "$port" >"$state/demo.log" 2>&1 &
  demo=$!
  for _ in $(seq 1 600); do
    [ -s "$state/demo-credentials.json" ] && { started=1; break; }
    kill -0 "$demo" 2>/dev/null || break
    sleep 0.2
  done
  [ "$started" -eq 1 ] && break
  if ! kill -0 "$demo" 2>/dev/null && grep -q "address already in use" "$state/demo.log"; then
    echo "fuzz-api: port $port was taken before the demo bound it (attempt $attempt); retrying" >&2
    continue
  fi
  break
done
if [ "$started" -ne 1 ]; then
  kill -0 "$demo" 2>/dev/null && echo "fuzz-api: the demo did not start within 120 s" >&2 || echo "fuzz-api: the demo exited:" >&2
  tail -20 "$state/demo.log" >&2
  exit 1
fi

python3 scripts/fuzz_api.py --credentials "$state/demo-credentials.json" --examples "$examples"
