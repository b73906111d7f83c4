#!/usr/bin/env bash
# `make bench-scoped-api`: range queries of the exported Grafana dashboard through the tenant-scoped
# Prometheus API (`/prometheus/api/v1/query_range`, a tenant's key) and straight to the same
# Prometheus (the tenant's matcher written in by hand), interleaved in one run against one
# `aifactory demo`. Prints p50/p99 of both and the overhead ratio (docs/PROMETHEUS-API.md
# "Performance"). A benchmark that prints figures, never a timed test.
# Environment: AIFACTORY_BIN (a prebuilt binary instead of `swift build -c release`), ROUNDS
# (default 30), RANGE (seconds of each range query, default 3600), STEP (default 15),
# WARMUP (seconds of live data to collect before measuring, default 30), HISTORY (simulated past
# the demo starts with, `demo --history`; default 1h, the dashboard's own range, so each range
# query reads a full TSDB rather than one a minute old; `HISTORY=0` starts empty), SCALE_NODES
# and SCALE_GPUS (a generated fleet: the tenant owns SCALE_NODES nodes of SCALE_GPUS GPUs each,
# bench/scale_fleet.py; default: the demo fleet, where the tenant has 3 GPUs).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n "${AIFACTORY_BIN:-}" ]]; then
  BIN=$AIFACTORY_BIN
else
  swift build -c release --product aifactory >&2
  BIN="$(swift build -c release --show-bin-path)/aifactory"
fi
state="$(mktemp -d)"
demo=""
source scripts/lib/start-demo.sh
trap 'stop_demo_and_remove "$state"' EXIT

"$BIN" export grafana --out "$state/dashboard.json"
fleet=()
if [[ -n "${SCALE_NODES:-}" ]]; then
  python3 bench/scale_fleet.py "$SCALE_NODES" "${SCALE_GPUS:-8}" > "$state/fleet.yaml"
  fleet=(--fleet "$state/fleet.yaml")
fi
history=(); [[ "${HISTORY:-1h}" != 0 ]] && history=(--history "${HISTORY:-1h}")
start_demo bench-scoped-api "$BIN" "$state/demo" "${fleet[@]}" "${history[@]}" || exit 1

# A bare HTTP hop for scale: haproxy relaying to the same Prometheus with no rewrite, so the
# figures show what any proxy in between costs on this machine beside what /prometheus costs.
PATH="$PATH:/usr/sbin:/sbin"
proxy=()
if command -v haproxy >/dev/null 2>&1; then
  prometheus_url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["prometheusURL"])' "$state/demo/demo-credentials.json")"
  haproxy_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  cat > "$state/haproxy.cfg" <<CFG
global
  nbthread 1
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend bench
  bind 127.0.0.1:$haproxy_port
  default_backend prometheus
backend prometheus
  server prometheus ${prometheus_url#http://}
CFG
  haproxy -f "$state/haproxy.cfg" -db > "$state/haproxy.log" 2>&1 &
  haproxy_pid=$!
  trap 'kill "$haproxy_pid" 2>/dev/null; stop_demo_and_remove "$state"' EXIT
  for _ in $(seq 1 50); do (echo > "/dev/tcp/127.0.0.1/$haproxy_port") 2>/dev/null && break; sleep 0.1; done
  proxy=(--proxy "http://127.0.0.1:$haproxy_port")
else
  echo "bench-scoped-api: haproxy is not installed (scripts/setup.sh); measuring without the bare-proxy row" >&2
fi

python3 bench/scoped_api.py "${proxy[@]}" --credentials "$state/demo/demo-credentials.json" --dashboard "$state/dashboard.json" \
  --rounds "${ROUNDS:-30}" --range "${RANGE:-3600}" --step "${STEP:-15}" --warmup "${WARMUP:-30}" --history "${HISTORY:-1h}"
