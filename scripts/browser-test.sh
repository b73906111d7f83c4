#!/usr/bin/env bash
# Browser tests for the /ai-factory page (issue 6): starts the already built `aifactory demo` on a
# free loopback port with a temporary state directory, waits until Prometheus has scraped every
# target, runs Tests/Browser/test_page.py in headless Chromium, and stops the demo with SIGINT.
# Builds nothing. Screenshots and figures land in .test-output/ (ignored by git).
# AIFACTORY_BIN runs another binary instead of the debug build's (its web resources are looked up
# beside it first: aifactory_Web.resources/Public); BROWSER_ONLY runs the scenarios whose name
# contains it.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${AIFACTORY_BIN:-$(swift build --show-bin-path)/aifactory}"
[ -x "$bin" ] || { echo "browser-test: $bin is missing; run swift build first" >&2; exit 1; }
for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null 2>&1 || { echo "browser-test: $tool is missing; run scripts/setup.sh" >&2; exit 1; }
done
python3 -c 'import selenium' 2>/dev/null || { echo "browser-test: PyPI selenium is missing; run scripts/setup.sh" >&2; exit 1; }

out="${TEST_OUTPUT:-.test-output}"
mkdir -p "$out"
state="$(mktemp -d /tmp/aif-browser.XXXXXX)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# Faults start 90 s into the scenario timeline; start at 75 s so XID 79 fires shortly after the
# first scrapes (the health model needs it inside its one-hour window), alerts 20x faster.
# One agent on the stand-in NVML library enrols into acme beside the simulator (issue 16): the page
# must show it like any node, with its agent version and last heartbeat.
nvml="$(mktemp -d /tmp/aif-browser-nvml.XXXXXX)"
"${CC:-cc}" -shared -fPIC -O2 -o "$nvml/libnvidia-ml.so.1" Tests/AgentTests/StandIn/nvml_standin.c -lpthread -DNVML_STANDIN_GPUS=1 \
  || { echo "browser-test: could not build the stand-in NVML library (needs a C compiler)" >&2; exit 1; }
# Its diagnostics (issue 17) run the fake dcgmi / all_reduce_perf, which replay the fixtures: after
# FAKE_DIAG_DELAY s (so the page sees the run running) a DCGM run fails with the DCGM 4
# persistence-mode output (action "Fix the host configuration") and an NCCL run with #wrong ≠ 0.
FAKE_DIAG_MODE=fail FAKE_DIAG_DELAY=3 \
  "$bin" demo --state-dir "$state" --port "$port" --simulation-offset 75 --alert-scale 0.05 --agent-nvml "$nvml/libnvidia-ml.so.1" \
  --agent-tools "$PWD/Tests/Fixtures/fake-tools" >"$out/demo.log" 2>&1 &
demo=$!

stop_demo() {
  if kill -0 "$demo" 2>/dev/null; then
    # A Prometheus left stopped by a failed test would block the graceful stop.
    if [ -f "$state/prometheus.pid" ]; then kill -CONT "$(cat "$state/prometheus.pid")" 2>/dev/null || true; fi
    kill -INT "$demo" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$demo" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$demo" 2>/dev/null && { echo "browser-test: demo did not stop on SIGINT; sending SIGTERM" >&2; kill -TERM "$demo" 2>/dev/null || true; }
  fi
  wait "$demo" 2>/dev/null || true
  rm -rf "$state" "$nvml"
}
trap stop_demo EXIT

echo "browser-test: demo on 127.0.0.1:$port (state $state)"
python3 - "$state" <<'PY'
import json, sys, time, urllib.request
state = sys.argv[1]
deadline = time.monotonic() + 240
creds = None
while time.monotonic() < deadline:
    try:
        creds = json.load(open(f"{state}/demo-credentials.json"))
        targets = json.load(urllib.request.urlopen(creds["prometheusURL"].rstrip("/") + "/api/v1/targets", timeout=5))["data"]["activeTargets"]
        scraped = [t for t in targets if not t.get("lastScrape", "").startswith("0001-")]
        # The simulated exporters plus the enrolled agent (node demo-agent-1).
        agent = any(t.get("labels", {}).get("node") == "demo-agent-1" for t in targets)
        if agent and len(targets) >= 13 and len(scraped) == len(targets):
            print(f"browser-test: {len(targets)} targets scraped")
            sys.exit(0)
    except Exception:
        pass
    time.sleep(1)
print("browser-test: the demo did not come up with every target scraped in 240 s", file=sys.stderr)
sys.exit(1)
PY

# Chromium leaves a profile directory in TMPDIR per session: keep them in the state, removed at exit.
mkdir -p "$state/browser-tmp"
export TMPDIR="$state/browser-tmp"
start=$(date +%s)
python3 Tests/Browser/test_page.py --base "http://127.0.0.1:$port" --state-dir "$state" --out "$out" ${BROWSER_ONLY:+--only "$BROWSER_ONLY"}
echo "browser-test: passed in $(( $(date +%s) - start )) s (screenshots in $out/screenshots)"
