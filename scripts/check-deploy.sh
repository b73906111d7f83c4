#!/usr/bin/env bash
# Checks the deployment files (docs/DEPLOY.md) without installing or starting anything:
#   - deploy/systemd/*.service: `systemd-analyze verify` (syntax, unknown keys, bad values, the
#     ExecStart binary) and `systemd-analyze security --offline=yes` (the sandbox stays at an
#     exposure of 3.0 or better); deploy/systemd/aifactory.sysusers: `systemd-sysusers --dry-run`;
#   - deploy/haproxy/aifactory.cfg: `haproxy -c` with a scratch self-signed certificate, warnings
#     counted as errors;
#   - deploy/prometheus/prometheus.example.yml: `promtool check config` (when promtool is there).
# A deliberately broken copy of a unit must fail, so a `verify` that checks nothing (as it could in
# a container without systemd running) cannot pass unnoticed. Runs in well under a second.
#
#   bash scripts/check-deploy.sh                  # ExecStart points at a stub executable
#   AIFACTORY_BIN=.build/debug/aifactory bash scripts/check-deploy.sh
#
# systemd-analyze works without systemd as PID 1: it loads the units into a private manager that
# starts nothing. It needs the ExecStart binary to exist, so the units are checked as copies whose
# /usr/local/bin/aifactory is replaced by $AIFACTORY_BIN or a stub. Exit status: 0 when every check
# passes, 1 otherwise, 2 when a tool is missing (scripts/setup.sh installs haproxy).
set -euo pipefail
cd "$(dirname "$0")/.."

# haproxy lives in /usr/sbin, which a non-root PATH on Debian leaves out.
PATH="$PATH:/usr/sbin:/sbin"
units=(aifactory-serve.service aifactory-agent.service aifactory-gateway.service)
failed=0
fail() { echo "check-deploy: FAIL: $*" >&2; failed=1; }

for tool in systemd-analyze haproxy openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "check-deploy: $tool is missing (Debian: systemd, haproxy, openssl; scripts/setup.sh installs haproxy)" >&2; exit 2; }
done

work="$(mktemp -d /tmp/aif-check-deploy.XXXXXX)"
trap 'rm -rf "$work"' EXIT

bin="${AIFACTORY_BIN:-}"
if [[ -z "$bin" ]]; then
  bin="$work/bin/aifactory"
  mkdir -p "$work/bin"
  printf '#!/bin/sh\nexit 0\n' >"$bin"
  chmod 0755 "$bin"
fi
[[ -x "$bin" ]] || { echo "check-deploy: AIFACTORY_BIN=$bin is not executable" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

mkdir -p "$work/units"
for unit in "${units[@]}"; do
  [[ -f "deploy/systemd/$unit" ]] || { fail "deploy/systemd/$unit is missing"; continue; }
  grep -q '^ExecStart=/usr/local/bin/aifactory ' "deploy/systemd/$unit" || fail "$unit: ExecStart does not start /usr/local/bin/aifactory"
  sed "s#/usr/local/bin/aifactory#$bin#g" "deploy/systemd/$unit" >"$work/units/$unit"
done

# verify: exit status 0 also for warnings such as an unknown key or a value it ignores, so any line
# naming one of our units counts as a failure too. --recursive-errors=no: the host's own units
# (loaded as dependencies) are not ours to judge.
verify() {  # verify DIR UNIT… → prints the unit-related output, returns non-zero on a finding
  local dir="$1"; shift
  local out rc=0
  out="$(cd "$dir" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no --recursive-errors=no "${@/#/./}" 2>&1)" || rc=$?
  local ours
  ours="$(printf '%s\n' "$out" | grep -F -e "$dir" $(printf -- '-e %s ' "$@") || true)"
  [[ -n "$ours" ]] && printf '%s\n' "$ours"
  [[ $rc -eq 0 && -z "$ours" ]]
}

if ! report="$(verify "$work/units" "${units[@]}")"; then
  fail "systemd-analyze verify:"; printf '%s\n' "$report" >&2
else
  echo "check-deploy: systemd-analyze verify: ${units[*]} ok"
fi

# The canary: an unknown key and an invalid value in a copy of the serve unit must be reported.
mkdir -p "$work/canary"
sed -e 's/^ProtectSystem=strict$/ProtectSystem=sometimes/' -e 's/^\[Service\]$/[Service]\nNoSuchSetting=1/' \
  "$work/units/aifactory-serve.service" >"$work/canary/aifactory-serve.service"
if verify "$work/canary" aifactory-serve.service >/dev/null; then
  fail "systemd-analyze verify passed a unit with an unknown key and an invalid value: it checks nothing here"
fi

if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
  for unit in "${units[@]}"; do
    if ! out="$(cd "$work/units" && systemd-analyze security --offline=yes --threshold=30 --no-pager "./$unit" 2>&1)"; then
      fail "systemd-analyze security $unit: exposure above 3.0"; printf '%s\n' "$out" | grep -E '✗|Overall' >&2 || true
    else
      echo "check-deploy: $(printf '%s\n' "$out" | grep 'Overall exposure' | sed 's/^→ //')"
    fi
  done
else
  echo "check-deploy: this systemd-analyze has no 'security --offline' (systemd < 250); exposure not scored"
fi

if command -v systemd-sysusers >/dev/null 2>&1; then
  mkdir -p "$work/root/etc"
  if out="$(systemd-sysusers --dry-run --root="$work/root" "$PWD/deploy/systemd/aifactory.sysusers" 2>&1)" \
     && printf '%s\n' "$out" | grep -q "Creating user 'aifactory'"; then
    echo "check-deploy: systemd-sysusers --dry-run: deploy/systemd/aifactory.sysusers ok"
  else
    fail "systemd-sysusers deploy/systemd/aifactory.sysusers:"; printf '%s\n' "$out" >&2
  fi
fi

# haproxy -c opens the certificate named on `bind … ssl crt`: a scratch one stands in.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=factory.example \
  -keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1
cat "$work/tls.crt" "$work/tls.key" >"$work/tls.pem"
if out="$(AIFACTORY_TLS_CERT="$work/tls.pem" haproxy -c -f deploy/haproxy/aifactory.cfg 2>&1)" && ! grep -q 'WARNING' <<<"$out"; then
  echo "check-deploy: haproxy -c: deploy/haproxy/aifactory.cfg ok"
else
  fail "haproxy -c -f deploy/haproxy/aifactory.cfg:"; printf '%s\n' "$out" >&2
fi

if command -v promtool >/dev/null 2>&1; then
  if out="$(promtool check config deploy/prometheus/prometheus.example.yml 2>&1)"; then
    echo "check-deploy: promtool check config: deploy/prometheus/prometheus.example.yml ok"
  else
    fail "promtool check config deploy/prometheus/prometheus.example.yml:"; printf '%s\n' "$out" >&2
  fi
fi

if [[ $failed -ne 0 ]]; then
  echo "check-deploy: failed" >&2
  exit 1
fi
echo "check-deploy: all passed"
