#!/usr/bin/env bash
# Side-by-side benchmark: `aifactory loadtest` vs AIPerf 0.13 against the same simulated server.
#
# Reports, for each tool:
#   - client CPU seconds per 1,000 requests (marginal: the CPU difference between a long and a
#     short run at the same rate, so AIPerf's ~6 s start-up is not charged per request);
#   - TTFT p50 error against the server's own truth (GET /nodes/<node>/v1/stats) at 200 req/s;
#   - the highest request rate whose p50 TTFT error stays within 1 ms.
#
# Everything runs on 127.0.0.1; AIPerf gets a local word-level tokenizer (bench/make-tokenizer.py)
# because its default and `builtin` tokenizers download. Results go to $OUT (bench/out).
#
# Environment: AIPERF_VENV (default /tmp/aiperf-venv; created with `pip install aiperf==0.13.*`
# when missing), RATES (default "25 50 100 200 400 800 1600"), ISL (64), OSL (16), AIFACTORY_BIN
# (a prebuilt binary instead of `swift build -c release`).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${AIPERF_VENV:-/tmp/aiperf-venv}
OUT=${OUT:-bench/out}
RATES=${RATES:-"25 50 100 200 400 800 1600"}
ISL=${ISL:-64}
OSL=${OSL:-16}
MODEL=meta-llama/Llama-3.1-8B-Instruct
NODE=node-0000
rm -rf "$OUT" && mkdir -p "$OUT"

if [[ ! -x "$VENV/bin/aiperf" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'aiperf==0.13.*'
fi
[[ -f "$OUT/tokenizer/tokenizer.json" ]] || "$VENV/bin/python" bench/make-tokenizer.py "$OUT/tokenizer" >/dev/null 2>&1

if [[ -n "${AIFACTORY_BIN:-}" ]]; then
  BIN=$AIFACTORY_BIN
else
  swift build -c release --product aifactory >&2
  BIN="$(swift build -c release --show-bin-path)/aifactory"
fi

# One 8-GPU node: knee 256 concurrent requests, so the server stays at base latency
# (TTFT 30 ms + 20 µs/word, ITL 10 ms) across the rates tried.
"$BIN" simulate --listen 127.0.0.1:0 --nodes 1 --gpus-per-node 8 >"$OUT/simulate.log" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "http://" "$OUT/simulate.log" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep -o 'http://[0-9.:]*' "$OUT/simulate.log" | head -1)
URL="$BASE/nodes/$NODE"
echo "simulator: $URL" >&2

reset_stats() { curl -s -X DELETE "$URL/v1/stats" >/dev/null; }
server_p50() { curl -s "$URL/v1/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["ttft_ms"]["p50"], d["requests"])'; }
json_p50() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["time_to_first_token"]["p50"])' "$1"; }
# Runs "$@" and prints the user+system CPU seconds of it and its children.
cpu_of() { /usr/bin/time -f "%U %S" -o "$OUT/time.txt" "$@" >"$OUT/last.log" 2>&1 || { tail -20 "$OUT/last.log" >&2; return 1; }
           awk '{print $1 + $2}' "$OUT/time.txt"; }

ours() {  # rate count dir
  cpu_of "$BIN" loadtest --url "$URL" --model "$MODEL" --rate "$1" --requests "$2" --warmup 0 \
    --isl "$ISL" --osl "$OSL" --quiet --out "$3"
}
theirs() {  # rate count dir
  cpu_of "$VENV/bin/aiperf" profile --model "$MODEL" --url "$URL" --endpoint-type chat --streaming \
    --tokenizer "$OUT/tokenizer" --synthetic-input-tokens-mean "$ISL" --synthetic-input-tokens-stddev 0 \
    --output-tokens-mean "$OSL" --output-tokens-stddev 0 --extra-inputs ignore_eos:true --extra-inputs "min_tokens:$OSL" \
    --use-server-token-count --request-rate "$1" --arrival-pattern constant --request-count "$2" \
    --ui-type none --artifact-dir "$3"
}
result_json() {  # tool dir rate
  if [[ $1 == ours ]]; then echo "$2/r$3/profile_export_aiperf.json"; else echo "$2/profile_export_aiperf.json"; fi
}

printf 'tool,rate,requests,client_cpu_s,client_ttft_p50_ms,server_ttft_p50_ms,ttft_p50_error_ms\n' >"$OUT/results.csv"
measure() {  # tool rate count -> prints cpu and error, appends to results.csv
  local tool=$1 rate=$2 count=$3 dir="$OUT/$1-r$2-n$3"
  reset_stats
  local cpu; cpu=$($tool "$rate" "$count" "$dir")
  local client; client=$(json_p50 "$(result_json "$tool" "$dir" "$rate")")
  read -r server served < <(server_p50)
  local error; error=$(python3 -c "print(abs($client - $server))")
  printf '%s,%s,%s,%s,%s,%s,%s\n' "$tool" "$rate" "$served" "$cpu" "$client" "$server" "$error" >>"$OUT/results.csv"
  echo "$tool rate=$rate n=$count cpu=${cpu}s client_p50=${client} server_p50=${server} error=${error} ms" >&2
  echo "$cpu $error"
}

declare -A CPU_SHORT CPU_LONG ERR200 BEST
for tool in ours theirs; do
  read -r short _ < <(measure $tool 200 400)
  read -r long e200 < <(measure $tool 200 2400)
  CPU_SHORT[$tool]=$short; CPU_LONG[$tool]=$long; ERR200[$tool]=$e200
  BEST[$tool]=0
  for rate in $RATES; do
    count=$(( rate * 4 < 400 ? 400 : rate * 4 ))
    count=$(( count > 8000 ? 8000 : count ))
    read -r _ err < <(measure $tool "$rate" "$count")
    if python3 -c "import sys; sys.exit(0 if $err <= 1.0 else 1)"; then BEST[$tool]=$rate; else break; fi
  done
done

per1000() { python3 -c 'import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) / 2000 * 1000, 3))' "${CPU_SHORT[$1]}" "${CPU_LONG[$1]}"; }
ours_k=$(per1000 ours); theirs_k=$(per1000 theirs)
{
  echo "| figure | aifactory loadtest | AIPerf 0.13 | goal |"
  echo "| --- | --- | --- | --- |"
  echo "| client CPU s per 1,000 requests (marginal, 200 req/s) | $ours_k | $theirs_k | ours ≤ 1/10 (ratio $(python3 -c "print(round($ours_k / $theirs_k, 3) if $theirs_k else 'n/a')")) |"
  echo "| total client CPU s, 2,400 requests at 200 req/s | ${CPU_LONG[ours]} | ${CPU_LONG[theirs]} | |"
  echo "| TTFT p50 error vs server truth at 200 req/s (ms) | $(printf '%.3f' "${ERR200[ours]}") | $(printf '%.3f' "${ERR200[theirs]}") | ours ≤ 0.5 |"
  echo "| highest rate with p50 error ≤ 1 ms (req/s, tried: $RATES) | ${BEST[ours]} | ${BEST[theirs]} | ours ≥ 5× |"
} | tee "$OUT/summary.md"
echo "per-run figures: $OUT/results.csv" >&2
