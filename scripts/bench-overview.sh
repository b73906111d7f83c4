#!/usr/bin/env bash
# Benchmark (not a test) of the factory overview on a 1,024-GPU simulated fleet with 100 tenants:
#   1. p50/p99 latency and throughput of GET /api/v1/factory/overview under wrk (loopback),
#   2. upstream Prometheus queries with 200 concurrent viewers of one tenant ÷ with 1 viewer
#      (request coalescing; goal ≤ 1.1), measured side by side over equal windows,
#   3. the server's resident memory after the load.
# Usage: scripts/bench-overview.sh [seconds per window, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
window=${1:-20}
command -v wrk >/dev/null 2>&1 || { echo "bench: installing wrk"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product aifactory >/dev/null
bin="$(swift build -c release --show-bin-path)/aifactory"

work=$(mktemp -d /tmp/aif-bench-XXXXXX)
trap 'kill -INT $demo 2>/dev/null || true; wait $demo 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$work/fleet.yaml" <<'PY'
import sys
lines = ["nodes:"]
for i in range(128):
    lines += [f"  - name: node-{i:03d}", f"    host: gpu-{i:03d}.bench", "    gpuClass: h100-80", "    gpuCount: 8",
              f"    tenant: t{i % 100:03d}", "    servedModel: meta-llama/Llama-3.1-8B-Instruct"]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The event recorder polls every tenant; at the default (every scrape) its 100-tenant sweep is most
# of Prometheus' query load and drowns the viewers' own queries in the ratio below. Every 10 min
# keeps it running but out of the measured windows' noise.
"$bin" demo --state-dir "$work/state" --port "$port" --fleet "$work/fleet.yaml" --scrape-interval 5 --events-interval 600 >"$work/demo.log" 2>&1 &
demo=$!
for _ in $(seq 1 120); do grep -q "demo is up" "$work/demo.log" && break; sleep 1; done
grep -q "demo is up" "$work/demo.log" || { cat "$work/demo.log"; exit 1; }
creds="$work/state/demo-credentials.json"
key=$(python3 -c "import json,sys; print([t['apiKey'] for t in json.load(open('$creds'))['tenants'] if t['tenant']=='t007'][0])")
prom=$(python3 -c "import json; print(json.load(open('$creds'))['prometheusURL'])")
url="http://127.0.0.1:$port/api/v1/factory/overview"
sleep 12  # two scrapes, so every node has data
cat >"$work/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $key"
LUA
# Prometheus counts the queries it answered in its own /metrics (it does not scrape itself here).
queries() { curl -s "$prom/metrics" | awk '/^prometheus_http_requests_total\{.*handler="\/api\/v1\/query(_range)?"/ { n += $NF } END { print int(n) }'; }

# Paced load: 22 connections that each wait 20 ms after every answer offer about 1,050 req/s,
# so the latency is measured at (about) the target rate rather than at saturation.
cat >"$work/paced.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $key"
function delay() return 20 end
LUA
echo "== overview latency at ~1,000 req/s (wrk -t2 -c22, 20 ms think time), 1,024 GPUs / 100 tenants, ${window}s"
wrk -t2 -c22 -d"${window}s" --latency -s "$work/paced.lua" "$url" | sed -n '/Latency Distribution/,/Transfer/p'
echo "== overview at saturation (wrk -t2 -c50, no think time), ${window}s"
wrk -t2 -c50 -d"${window}s" --latency -s "$work/auth.lua" "$url" | sed -n '/Latency Distribution/,/Transfer/p'

echo "== upstream queries: no viewer, 1 viewer, 200 viewers of one tenant, ${window}s each"
# The event recorder polls every tenant in the background; the idle window measures it so the
# viewers' own upstream cost can be told apart.
q0=$(queries); sleep "$window"; q1=$(queries)
wrk -t1 -c1 -d"${window}s" -s "$work/auth.lua" "$url" >/dev/null; q2=$(queries)
wrk -t2 -c200 -d"${window}s" -s "$work/auth.lua" "$url" >/dev/null; q3=$(queries)
idle=$((q1 - q0)); one=$((q2 - q1 - idle)); many=$((q3 - q2 - idle))
python3 -c "print(f'background (event recorder, 100 tenants): {$idle}; 1 viewer adds {$one}; 200 viewers add {$many}; ratio {$many/max($one,1):.2f} (goal <= 1.1)')"

server_pid=$(pgrep -P "$demo" -f prometheus >/dev/null; echo "$demo")
rss=$(ps -o rss= -p "$server_pid" | tr -d ' ')
echo "== aifactory demo process RSS after load: $((rss / 1024)) MiB (server + simulator in one process; goal for the server alone <= 150 MB)"
