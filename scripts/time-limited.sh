#!/usr/bin/env bash
# Runs a `swift test` command under a time limit, its full output kept in a log file and a short
# view of it on the console:
#
#   scripts/time-limited.sh NAME LIMIT swift test --skip-build --parallel
#
# Why a log file: the tests' servers log every warning (Prometheus stopped on purpose, a refused
# connection), hundreds of kilobytes per run. Where the console is a pipe a CI harness reads, that
# volume is a risk for nothing: the console gets suites as they end, every failure with its
# details, the tests' notes and the summary; the whole output stays in .build/test-logs/NAME.log
# and its last lines are printed on a failure.
#
# Why a limit: a normal run takes minutes. A test that hangs ends the run at LIMIT with the names
# of the tests still running (scripts/pending-tests.py), long before CI's own 90-minute limit.
# Exit status: the command's; 124 past the limit.
set -uo pipefail
cd "$(dirname "$0")/.."

name="$1"; limit="$2"; shift 2
mkdir -p .build/test-logs
log=".build/test-logs/$name.log"
: >"$log"
timeout --kill-after=30 "$limit" "$@" >"$log" 2>&1 &
runner=$!
# The console view, live: suites ending, failures with their detail lines (the `↳` lines right
# after a `✘`), notes, crashes, compiler-style errors and the summary.
tail -n +1 -F --pid="$runner" "$log" 2>/dev/null | awk '
    /^✘/ { print; shown = 1; fflush(); next }
    /^↳/ { if (shown) { print; fflush() } next }
    { shown = 0 }
    /^(✔ Suite|✔ Test run|note:)/ || /^Fatal error|Precondition failed/ || /^[^◇✔]*: error: / { print; fflush() }
' &
viewer=$!
wait "$runner"
status=$?
wait "$viewer" 2>/dev/null
if [[ $status -ne 0 ]]; then
    [[ $status -eq 124 || $status -eq 137 ]] && echo "time-limited: '$*' ran past $limit and was stopped" >&2
    python3 scripts/pending-tests.py "$log" >&2 || true
    echo "time-limited: the last lines of $log:" >&2
    tail -n 60 "$log" | cut -c1-400 >&2
fi
exit "$status"
