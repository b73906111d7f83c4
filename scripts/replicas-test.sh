#!/usr/bin/env bash
# Replicas integration test (issue 21, docs/DEPLOY.md "Replicas"): two `aifactory serve` replicas
# on one throw-away PostgreSQL behind haproxy, reading the demo's Prometheus (the demo itself runs
# on its own SQLite and only provides the simulated fleet and Prometheus). Under a steady load the
# replica leading the event recorder is killed and restarted; Tests/Replicas/test_replicas.py
# checks what may fail and what must not (see its docstring). Run by scripts/test.sh.
#
#   bash scripts/replicas-test.sh            # needs the debug build, haproxy and PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${AIFACTORY_TEST_POSTGRES_URL:-}" ]]; then
  exec bash scripts/with-postgres.sh bash "$0" "$@"
fi
bin="${AIFACTORY_BIN:-$(swift build --show-bin-path)/aifactory}"
[ -x "$bin" ] || { echo "replicas-test: $bin is missing; run swift build first" >&2; exit 1; }
PATH="$PATH:/usr/sbin:/sbin"  # Debian puts haproxy in /usr/sbin, off a non-root PATH
command -v haproxy >/dev/null 2>&1 || { echo "replicas-test: haproxy is missing; run scripts/setup.sh" >&2; exit 1; }

state="$(mktemp -d /tmp/aif-replicas.XXXXXX)"
out=".test-output/replicas"
mkdir -p "$out"
source scripts/lib/start-demo.sh
demo=""
# The demo's log joins the replicas' in $out before its state goes.
trap 'cp "$state/demo.log" "$out/demo.log" 2>/dev/null || true; stop_demo_and_remove "$state"' EXIT
start_demo replicas-test "$bin" "$state/demo" --simulation-offset 75 --alert-scale 0.05 || exit 1

python3 Tests/Replicas/test_replicas.py --aifactory "$bin" --demo "http://127.0.0.1:$port" --demo-state "$state/demo" \
  --database-url "$AIFACTORY_TEST_POSTGRES_URL" --work "$state" --out "$out"
