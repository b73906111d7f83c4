#!/usr/bin/env bash
# Proves that an unscoped or wrongly scoped telemetry read does not compile (docs/ARCHITECTURE.md,
# "Why an unscoped read cannot reach Prometheus").
#
# Each Tests/NegativeCompile/*.swift is type-checked against the modules `swift build` produced,
# as a module outside the package. Accepted.swift must compile (the control); every other file must
# fail with the error its first line names (`// expect: …`). Inside the package the scopes'
# `package` initialisers may be called only by the read model, the event recorder and PromQL.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(swift build --show-bin-path)
modules="$bin/Modules"
[ -d "$modules" ] || modules="$bin"
[ -f "$modules/Factory.swiftmodule" ] || [ -d "$modules/Factory.swiftmodule" ] || {
  echo "negative-compile: $modules has no Factory module: run 'swift build' first" >&2; exit 1; }

args=(-typecheck -I "$modules" -module-name NegativeCompileCheck)
# C modules of the dependencies (NIO's atomics, BoringSSL, SQLite, …) are found through the module
# maps SwiftPM wrote for C targets (<target>.build/module.modulemap; the include/ maps beside Swift
# modules would define those modules twice) and their public headers in the checkouts.
while IFS= read -r map; do
  args+=(-Xcc "-fmodule-map-file=$map")
done < <(find "$bin" -maxdepth 2 -path '*.build/module.modulemap' 2>/dev/null | sort -u)
while IFS= read -r inc; do
  args+=(-Xcc "-I$inc")
done < <(find .build/checkouts Sources -type d -name include 2>/dev/null | sort -u)

failures=0
for snippet in Tests/NegativeCompile/*.swift; do
  name=$(basename "$snippet")
  expect=$(sed -n '1s#^// expect: ##p' "$snippet")
  if out=$(swiftc "${args[@]}" "$snippet" 2>&1); then
    if [ -n "$expect" ]; then
      echo "negative-compile: FAIL $name compiled, but must fail with: $expect"; failures=$((failures + 1))
    else
      echo "negative-compile: ok   $name compiles (control)"
    fi
  else
    errors=$(printf '%s\n' "$out" | grep -E 'error:' || true)
    if [ -z "$expect" ]; then
      echo "negative-compile: FAIL $name (the control) does not compile:"; printf '%s\n' "$out" | head -20
      failures=$((failures + 1))
    elif printf '%s\n' "$errors" | grep -qF -- "$expect"; then
      echo "negative-compile: ok   $name refused: $(printf '%s\n' "$errors" | grep -F -- "$expect" | head -1 | sed 's/.*error: //')"
    else
      echo "negative-compile: FAIL $name failed, but not with '$expect':"; printf '%s\n' "$errors" | head -5
      failures=$((failures + 1))
    fi
  fi
done

# Inside the package: who may call the scopes' package initialisers.
callers=$(grep -rnE '(TenantScope\(tenant:|FleetScope\(|PoolAggregateScope\()' Sources --include=*.swift \
  | grep -vE '^Sources/(Factory|PromQL)/|^Sources/Telemetry/(EventRecorder|VLLMLoadReader)\.swift:' || true)
if [ -n "$callers" ]; then
  echo "negative-compile: FAIL scopes made outside the read model:"; printf '%s\n' "$callers"
  failures=$((failures + 1))
else
  echo "negative-compile: ok   scopes are made only by Sources/Factory, the event recorder, the gateway's vLLM load reader and PromQL"
fi

[ "$failures" -eq 0 ] || { echo "negative-compile: $failures check(s) failed" >&2; exit 1; }
