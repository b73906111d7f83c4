#!/usr/bin/env bash
# Fuzzes the PromQL target with libFuzzer: parse → enforce → print → re-parse (Fuzz/PromQLFuzz).
#
#   scripts/promql-fuzz.sh [SECONDS]     default 60; CI runs a short smoke (e.g. 20)
#
# Compiles Sources/PromQL/*.swift and the fuzz entry point with
# `swiftc -sanitize=fuzzer -parse-as-library -O` into .build-fuzz/, seeds it with every query of the
# test corpus, runs it for SECONDS, prints libFuzzer's final statistics, and exits non-zero when the
# fuzzer found a crash (the reproducer is left in .build-fuzz/crash-*).
# Extra sanitizers: PROMQL_FUZZ_SANITIZERS=fuzzer,address scripts/promql-fuzz.sh 60
set -euo pipefail

duration="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build-fuzz"
sanitizers="${PROMQL_FUZZ_SANITIZERS:-fuzzer}"
mkdir -p "$out/corpus" "$out/seeds"

echo "== building $out/promql-fuzz (-sanitize=$sanitizers)"
swiftc -sanitize="$sanitizers" -parse-as-library -O \
    -module-name PromQLFuzz -package-name aifactory \
    "$root"/Sources/PromQL/*.swift "$root"/Fuzz/PromQLFuzz/*.swift \
    -o "$out/promql-fuzz"

echo "== seeding from Tests/PromQLTests/Resources/corpus"
python3 - "$root/Tests/PromQLTests/Resources/corpus" "$out/seeds" <<'PY'
import json, os, sys, hashlib
source, target = sys.argv[1], sys.argv[2]
count = 0
for name in sorted(os.listdir(source)):
    path = os.path.join(source, name)
    if name.endswith(".json") and name != "known-differences.json":
        queries = json.load(open(path, encoding="utf-8"))
    elif name.endswith(".promql"):
        queries = [l for l in open(path, encoding="utf-8").read().split("\n") if l.strip() and not l.startswith(";;")]
    else:
        continue
    for query in queries:
        data = query.encode("utf-8")
        with open(os.path.join(target, hashlib.sha1(data).hexdigest()), "wb") as handle:
            handle.write(data)
        count += 1
print(f"{count} seeds")
PY

echo "== fuzzing for ${duration}s"
status=0
# Let libFuzzer, not Swift's backtracer, handle a trap, so it writes the reproducer.
SWIFT_BACKTRACE=enable=no "$out/promql-fuzz" "$out/corpus" "$out/seeds" \
    -max_total_time="$duration" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/" -print_final_stats=1 || status=$?
if [ "$status" -ne 0 ]; then
    echo "promql-fuzz: the fuzzer stopped with status $status; reproducer(s):" >&2
    ls -1 "$out"/crash-* "$out"/timeout-* "$out"/oom-* 2>/dev/null >&2 || true
    exit 1
fi
echo "promql-fuzz: no crash in ${duration}s"
