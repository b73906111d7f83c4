#!/usr/bin/env bash
# The GPU-host agent on a real NVIDIA GPU (written for the H200 machine), beside a bf16 matmul load.
#
#   scripts/device/agent-h200.sh /path/to/aifactory[.gz]   # static release binary, optionally gzipped:
#     swift build -c release --static-swift-stdlib --product aifactory
#     strip -o .build/agent-device/aifactory .build/release/aifactory && gzip -9 .build/agent-device/aifactory
#
# Runs `aifactory agent` for 60 s (idle ~8 s, an 8192x8192 bf16 matmul loop on cuda for ~35 s,
# then cool-down), scrapes its /metrics and samples `nvidia-smi --query-gpu=...` at the same
# instants every second, measures the agent's CPU (/proc/<pid>/stat) and RSS (/proc/<pid>/status),
# and writes to $OUT (default ./agent-h200-out):
#   agent-h200.txt      summary: per-field agreement (mean |agent - nvidia-smi|), CPU %, RSS, scrape latency
#   agent-h200.csv      every paired sample
#   agent-metrics.prom  one /metrics scrape under load;  agent.log  the agent's own output
# The summary is printed to stdout too. Needs: nvidia-smi, python3 (PyTorch with CUDA for the load;
# without it the run is idle-only and says so). Finishes in about 75 s; hard limit 200 s.
set -u
BIN=${1:?usage: agent-h200.sh /path/to/aifactory[.gz]}
OUT=${OUT:-./agent-h200-out}
PORT=${AGENT_PORT:-19400}
mkdir -p "$OUT"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  [ -n "${UNPACK_DIR:-}" ] && rm -rf "$UNPACK_DIR"
}
trap cleanup EXIT INT TERM
# A gzipped binary (the stripped static binary is ~99 MB, ~37 MB gzipped) is unpacked first.
if [[ "$BIN" == *.gz ]]; then
  [ -f "$BIN" ] || { echo "error: $BIN does not exist" >&2; exit 2; }
  UNPACK_DIR=$(mktemp -d)
  UNPACKED=$UNPACK_DIR/aifactory
  gunzip -c "$BIN" >"$UNPACKED" && chmod +x "$UNPACKED" || { echo "error: cannot unpack $BIN" >&2; exit 2; }
  BIN=$UNPACKED
fi
[ -x "$BIN" ] || { echo "error: $BIN is not an executable" >&2; exit 2; }
command -v nvidia-smi >/dev/null || { echo "error: nvidia-smi not found (is this a GPU host?)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "error: python3 not found" >&2; exit 2; }


# 1. The agent.
"$BIN" agent --listen "127.0.0.1:$PORT" --interval 1s ${NVML_LIBRARY:+--nvml-library "$NVML_LIBRARY"} >"$OUT/agent.log" 2>&1 &
AGENT=$!
PIDS+=("$AGENT")

# 2. The load (its own hard limit), if PyTorch with CUDA is there.
LOAD_NOTE="load: 8192x8192 bf16 matmul loop on cuda, 35 s starting ~8 s after the agent"
if timeout 60 python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  timeout 70 python3 - >"$OUT/load.log" 2>&1 <<'PY' &
import time, torch
time.sleep(8)
a = torch.randn(8192, 8192, dtype=torch.bfloat16, device="cuda")
b = torch.randn(8192, 8192, dtype=torch.bfloat16, device="cuda")
end = time.time() + 35
n = 0
while time.time() < end:
    for _ in range(20):
        c = a @ b
    torch.cuda.synchronize()
    n += 20
print(f"matmuls: {n}, TFLOP/s: {n * 2 * 8192**3 / 35 / 1e12:.0f}")
PY
  PIDS+=("$!")
else
  LOAD_NOTE="load: none (python3 has no PyTorch with CUDA): idle readings only"
fi

# 3. Paired sampling, CPU and RSS, summary (hard limit 200 s).
timeout 200 python3 - "$AGENT" "$PORT" "$OUT" "$LOAD_NOTE" <<'PY'
import csv, os, subprocess, sys, time, urllib.request

pid, port, out, load_note = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
url = f"http://127.0.0.1:{port}/metrics"
tick = os.sysconf("SC_CLK_TCK")

def alive():
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False

def cpu_ticks():
    text = open(f"/proc/{pid}/stat").read()
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])

def memory_mb():
    values = {}
    for line in open(f"/proc/{pid}/status"):
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024 / 1e6
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)

def scrape():
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=3) as response:
        body = response.read().decode()
    return body, (time.perf_counter() - start) * 1000

def parse(body):
    values = {}
    for line in body.splitlines():
        if not line or line.startswith("#") or 'gpu="0"' not in line:
            continue
        name = line.split("{", 1)[0]
        values[name] = float(line.rsplit(" ", 1)[1])
    return values

SMI_FIELDS = ["utilization.gpu", "power.draw", "temperature.gpu", "memory.used", "clocks.sm"]
def smi(fields):
    result = subprocess.run(
        ["nvidia-smi", "--id=0", "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"],
        capture_output=True, text=True, timeout=10)
    if result.returncode != 0:
        return None
    parts = [p.strip() for p in result.stdout.strip().splitlines()[0].split(",")]
    out = {}
    for field, part in zip(fields, parts):
        try:
            out[field] = float(part)
        except ValueError:
            out[field] = None
    return out

extra = ["power.draw.instant"] if smi(SMI_FIELDS + ["power.draw.instant"]) else []
fields = SMI_FIELDS + extra

# Wait for the agent to serve.
deadline = time.time() + 20
body = None
while time.time() < deadline and alive():
    try:
        body, _ = scrape()
        break
    except Exception:
        time.sleep(0.2)
if body is None:
    print("error: the agent did not serve /metrics within 20 s; its log:")
    print(open(os.path.join(out, "agent.log")).read())
    sys.exit(1)

PAIRS = [  # (agent series, nvidia-smi field, label)
    ("DCGM_FI_DEV_GPU_UTIL", "utilization.gpu", "GPU util %"),
    ("DCGM_FI_DEV_POWER_USAGE", "power.draw", "power W (smi power.draw)"),
    ("DCGM_FI_DEV_POWER_USAGE", "power.draw.instant", "power W (smi power.draw.instant)"),
    ("DCGM_FI_DEV_GPU_TEMP", "temperature.gpu", "GPU temp C"),
    ("DCGM_FI_DEV_FB_USED", "memory.used", "FB used MiB"),
    ("DCGM_FI_DEV_SM_CLOCK", "clocks.sm", "SM clock MHz"),
]
rows, latencies = [], []
start_wall = time.time()
start_ticks, start_mono = cpu_ticks(), time.monotonic()
under_load = None
saved_prom = False
while time.monotonic() - start_mono < 57 and alive():
    t0 = time.monotonic()
    try:
        body, ms = scrape()
    except Exception as error:
        print(f"scrape failed: {error}")
        time.sleep(1)
        continue
    latencies.append(ms)
    agent = parse(body)
    s = smi(fields) or {}
    row = {"t": round(time.time() - start_wall, 2), "scrape_ms": round(ms, 3)}
    for series, field, _ in PAIRS:
        if field in fields:
            row["agent:" + series + "|" + field] = agent.get(series)
            row["smi:" + field] = s.get(field)
    row["agent:DCGM_FI_DEV_CLOCKS_EVENT_REASONS"] = agent.get("DCGM_FI_DEV_CLOCKS_EVENT_REASONS")
    row["agent:DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"] = agent.get("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")
    rows.append(row)
    if not saved_prom and (s.get("utilization.gpu") or 0) > 90:
        open(os.path.join(out, "agent-metrics.prom"), "w").write(body)
        saved_prom = True
    time.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))
elapsed = time.monotonic() - start_mono
ticks = cpu_ticks() - start_ticks if alive() else None
rss, hwm = memory_mb() if alive() else (0.0, 0.0)
if not saved_prom:
    open(os.path.join(out, "agent-metrics.prom"), "w").write(body)

with open(os.path.join(out, "agent-h200.csv"), "w", newline="") as handle:
    writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()) if rows else ["t"])
    writer.writeheader()
    writer.writerows(rows)

def stats(series, field, only_load=None):
    diffs = []
    for row in rows:
        a, b = row.get("agent:" + series + "|" + field), row.get("smi:" + field)
        if a is None or b is None:
            continue
        loaded = (row.get("smi:utilization.gpu") or 0) > 90
        if only_load is not None and loaded != only_load:
            continue
        diffs.append(abs(a - b))
    if not diffs:
        return "n/a"
    return f"{sum(diffs) / len(diffs):8.2f}  (n={len(diffs)}, max {max(diffs):.2f})"

lines = []
lines.append(f"aifactory agent on {smi(['name', 'driver_version']) and subprocess.run(['nvidia-smi', '--id=0', '--query-gpu=name,driver_version', '--format=csv,noheader'], capture_output=True, text=True).stdout.strip()}")
lines.append(load_note)
lines.append(f"paired samples: {len(rows)} over {elapsed:.0f} s (agent value = its last 1 s sample; nvidia-smi read right after the scrape)")
lines.append("")
lines.append(f"{'field':34} {'mean |agent - smi| all':32} {'under load (util > 90 %)':32}")
for series, field, label in PAIRS:
    if field in fields:
        lines.append(f"{label:34} {stats(series, field):32} {stats(series, field, True):32}")
lines.append("")
if ticks is not None:
    lines.append(f"agent CPU: {ticks / tick / elapsed * 100:.2f} % of one core over {elapsed:.0f} s ({ticks} ticks at {tick} Hz, incl. {len(rows)} scrapes)")
else:
    lines.append("agent CPU: n/a (the agent exited early; see agent.log)")
lines.append(f"agent RSS: {rss:.1f} MB (peak {hwm:.1f} MB)")
if latencies:
    ordered = sorted(latencies)
    lines.append(f"/metrics latency (python urllib, new connection each): p50 {ordered[len(ordered) // 2]:.2f} ms, max {ordered[-1]:.2f} ms")
reasons = sorted({row.get('agent:DCGM_FI_DEV_CLOCKS_EVENT_REASONS') for row in rows if row.get('agent:DCGM_FI_DEV_CLOCKS_EVENT_REASONS') is not None})
lines.append(f"clock-event reasons seen: {', '.join(hex(int(r)) for r in reasons) or 'none'}")
energy = [row.get('agent:DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION') for row in rows if row.get('agent:DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION')]
if len(energy) > 1:
    lines.append(f"energy counter: {energy[0]:.0f} -> {energy[-1]:.0f} mJ ({len(set(energy))} distinct values: read every 10 s)")
notes = [l for l in open(os.path.join(out, "agent.log")).read().splitlines() if l.strip()]
lines.append("agent output:")
lines += ["  " + l for l in notes[:20]]
text = "\n".join(lines) + "\n"
open(os.path.join(out, "agent-h200.txt"), "w").write(text)
print(text)
PY
STATUS=$?
[ -f "$OUT/load.log" ] && { echo "load: $(tail -1 "$OUT/load.log")"; tail -1 "$OUT/load.log" >>"$OUT/agent-h200.txt"; }
exit $STATUS
