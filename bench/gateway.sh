#!/usr/bin/env bash
# `make bench-gateway`: the same streaming load (`aifactory loadtest`) against the simulated
# inference server directly, through `aifactory gateway` and through LiteLLM's proxy, side by side
# in one run (docs/GATEWAY.md "Performance"). Reports, per proxy:
#   - added TTFT p50 and p99 at 200 req/s (proxy TTFT minus direct TTFT at the same rate);
#   - proxy CPU seconds per 1,000 requests (its process's utime+stime over the run);
#   - the highest rate (of RATES) whose p99 added TTFT stays ≤ 5 ms.
# Everything on 127.0.0.1. Environment: LITELLM_VENV (default /tmp/litellm-venv, created with
# `pip install 'litellm[proxy]'` when missing; SKIP_LITELLM=1 leaves it out), RATES (default
# "200 400 800 1600 2400"), ISL (64), OSL (16), N (requests per level, default 2000),
# AIFACTORY_BIN (a prebuilt binary instead of `swift build -c release`), OUT (bench/out-gateway).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-bench/out-gateway}
RATES=${RATES:-"200 400 800 1600 2400"}
ISL=${ISL:-64}
OSL=${OSL:-16}
N=${N:-2000}
MODEL=meta-llama/Llama-3.1-8B-Instruct
NODE=node-0000
VENV=${LITELLM_VENV:-/tmp/litellm-venv}
rm -rf "$OUT" && mkdir -p "$OUT/state"

if [[ -n "${AIFACTORY_BIN:-}" ]]; then
  BIN=$AIFACTORY_BIN
else
  swift build -c release --product aifactory >&2
  BIN="$(swift build -c release --show-bin-path)/aifactory"
fi
if [[ -z "${SKIP_LITELLM:-}" && ! -x "$VENV/bin/litellm" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'litellm[proxy]'
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "bench-gateway: $1 never answered" >&2; return 1; }

# One 8-GPU node (knee 256 concurrent requests): the server stays at base latency across the rates.
SIM_PORT=$(free_port)
"$BIN" simulate --listen "127.0.0.1:$SIM_PORT" --nodes 1 --gpus-per-node 8 >"$OUT/simulate.log" 2>&1 &
pids+=($!)
DIRECT="http://127.0.0.1:$SIM_PORT/nodes/$NODE"
wait_http "$DIRECT/v1/models"

# The gateway inside `serve`, over a fresh SQLite: a consumer subscribed to a pool holding the node.
OPERATOR=$("$BIN" admin bootstrap --state-dir "$OUT/state" 2>/dev/null | grep -o 'aif_[0-9a-f_]*' | head -1)
printf '%s' "$OPERATOR" >"$OUT/operator.key"
cat >"$OUT/plans.json" <<JSON
{"plans": [{"name": "bench", "maxTokens": 4096, "requestsPerSecond": 1000000, "tokensPerMinute": 1000000000000, "concurrentStreams": 1000000, "keyShare": 1}]}
JSON
API_PORT=$(free_port); GW_PORT=$(free_port)
"$BIN" serve --listen "127.0.0.1:$API_PORT" --state-dir "$OUT/state" --gateway "127.0.0.1:$GW_PORT" --gateway-plans "$OUT/plans.json" >"$OUT/serve.log" 2>&1 &
GW_PID=$!; pids+=($GW_PID)
wait_http "http://127.0.0.1:$API_PORT/healthz"
admin() { "$BIN" admin "$@" --url "http://127.0.0.1:$API_PORT" --key-file "$OUT/operator.key"; }
admin tenant create globex >/dev/null
admin tenant create umbrella >/dev/null
admin pool create shared >/dev/null
admin node register "$NODE" --host sim --dcgm "127.0.0.1:$SIM_PORT" --dcgm-path "/nodes/$NODE/dcgm/metrics" \
  --vllm "127.0.0.1:$SIM_PORT" --vllm-path "/nodes/$NODE/vllm/metrics" --model "NVIDIA H100 80GB HBM3" --gpus 8 \
  --memory-mib 81559 --tenant globex --pool shared >/dev/null
admin subscription create --tenant umbrella --pool shared --plan bench --token-quota 1000000000000 >/dev/null
USER_ID=$(admin user create bench --tenant umbrella --kind tenant-member | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
KEY=$(admin key create "$USER_ID" --label bench | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("key") or d.get("plaintext") or d.get("apiKey"))')
GATEWAY="http://127.0.0.1:$GW_PORT"
wait_http "$GATEWAY/healthz"

if [[ -z "${SKIP_LITELLM:-}" ]]; then
  LL_PORT=$(free_port)
  LL_KEY="sk-bench-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  cat >"$OUT/litellm.yaml" <<YAML
model_list:
  - model_name: $MODEL
    litellm_params:
      model: openai/$MODEL
      api_base: $DIRECT/v1
      api_key: none
litellm_settings:
  telemetry: false
general_settings:
  master_key: $LL_KEY
YAML
  # Offline: no cost-map fetch, no Hugging Face tokenizer download (it would retry for ~20 s a request).
  HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_TELEMETRY=False "$VENV/bin/litellm" --config "$OUT/litellm.yaml" \
    --host 127.0.0.1 --port "$LL_PORT" --num_workers 1 >"$OUT/litellm.log" 2>&1 &
  LL_PID=$!; pids+=($LL_PID)
  wait_http "http://127.0.0.1:$LL_PORT/health/liveliness" || { tail -20 "$OUT/litellm.log" >&2; exit 1; }
  LITELLM="http://127.0.0.1:$LL_PORT"
fi

cpu_of_pid() { python3 - "$1" <<'PY'
import os, sys
fields = open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")", 1)[1].split()
tick = os.sysconf("SC_CLK_TCK")
print((int(fields[11]) + int(fields[12])) / tick)
PY
}
# run name url rate pid(or -) key -> "ttft_p50 ttft_p99 cpu_s_per_1000"
run() {
  local name=$1 url=$2 rate=$3 pid=$4 key=$5 dir="$OUT/$1-r$3"
  local before=0; [[ $pid != - ]] && before=$(cpu_of_pid "$pid")
  "$BIN" loadtest --url "$url" --model "$MODEL" --api-key "$key" --rate "$rate" --requests "$N" --warmup 100 \
    --isl "$ISL" --osl "$OSL" --quiet --out "$dir" >"$dir.log" 2>&1 || { tail -5 "$dir.log" >&2; echo "nan nan nan"; return; }
  local after=0; [[ $pid != - ]] && after=$(cpu_of_pid "$pid")
  python3 - "$dir/r$rate/profile_export_aiperf.json" "$before" "$after" "$N" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["time_to_first_token"]
cpu = (float(sys.argv[3]) - float(sys.argv[2])) / (int(sys.argv[4]) + 100) * 1000
print(d["p50"], d["p99"], round(cpu, 3))
PY
}

printf 'target,rate,ttft_p50_ms,ttft_p99_ms,proxy_cpu_s_per_1000\n' >"$OUT/results.csv"
declare -A P50 P99 CPU
targets="direct gateway"; [[ -n "${LITELLM:-}" ]] && targets="$targets litellm"
best_gateway=0; best_litellm=0
for rate in $RATES; do
  for target in $targets; do
    case $target in
      direct) read -r p50 p99 cpu < <(run direct "$DIRECT" "$rate" - none) ;;
      gateway) read -r p50 p99 cpu < <(run gateway "$GATEWAY" "$rate" "$GW_PID" "$KEY") ;;
      litellm) read -r p50 p99 cpu < <(run litellm "$LITELLM" "$rate" "$LL_PID" "$LL_KEY") ;;
    esac
    P50[$target,$rate]=$p50; P99[$target,$rate]=$p99; CPU[$target,$rate]=$cpu
    printf '%s,%s,%s,%s,%s\n' "$target" "$rate" "$p50" "$p99" "$cpu" >>"$OUT/results.csv"
    echo "bench-gateway: $target rate=$rate ttft p50=$p50 p99=$p99 ms cpu/1000=$cpu s" >&2
  done
  for proxy in gateway litellm; do
    [[ " $targets " == *" $proxy "* ]] || continue
    ok=$(python3 -c "print(1 if float('${P99[$proxy,$rate]}') - float('${P99[direct,$rate]}') <= 5 else 0)")
    if [[ $ok == 1 ]]; then eval "best_$proxy=$rate"; fi
  done
done

added() { python3 -c "a=float('$1'); b=float('$2'); print(round(a - b, 3))"; }
first=${RATES%% *}
{
  echo "| figure (streaming, ISL $ISL, OSL $OSL, $N requests a level) | aifactory gateway | LiteLLM proxy | goal |"
  echo "| --- | --- | --- | --- |"
  echo "| added TTFT p50 at $first req/s (ms) | $(added "${P50[gateway,$first]}" "${P50[direct,$first]}") | ${LITELLM:+$(added "${P50[litellm,$first]}" "${P50[direct,$first]}")} | ≤ 0.3 |"
  echo "| added TTFT p99 at $first req/s (ms) | $(added "${P99[gateway,$first]}" "${P99[direct,$first]}") | ${LITELLM:+$(added "${P99[litellm,$first]}" "${P99[direct,$first]}")} | |"
  echo "| proxy CPU s per 1,000 requests at $first req/s | ${CPU[gateway,$first]} | ${LITELLM:+${CPU[litellm,$first]}} | gateway ≤ 1/10 of LiteLLM |"
  echo "| highest rate with p99 added TTFT ≤ 5 ms (req/s; tried $RATES) | $best_gateway | ${LITELLM:+$best_litellm} | gateway ≥ 2,000 |"
} | tee "$OUT/summary.md"
echo "per-run figures: $OUT/results.csv" >&2
