#!/usr/bin/env python3
"""Lists the Swift Testing tests a log shows started and never ended.

scripts/test.sh runs `swift test` under a time limit; when the limit ends it, this names the
tests that were still running, so a hang in CI is a named test rather than a silent timeout.

    python3 scripts/pending-tests.py swift-test.log
"""
import re
import sys

started = {}
ended = set()
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r'◇ Test (".*?"|\S+\(\)) started', line)
    if m:
        started[m.group(1)] = line.strip()
        continue
    m = re.search(r'[✔✘] Test (".*?"|\S+\(\)) .*?(passed|failed|skipped)', line)
    if m:
        ended.add(m.group(1))
    m = re.search(r'[➜↷] Test (".*?"|\S+\(\)) skipped', line)
    if m:
        ended.add(m.group(1))
pending = [name for name in started if name not in ended]
for name in pending:
    print(f"still running: {name}")
if not pending:
    print("every test that started has ended")
