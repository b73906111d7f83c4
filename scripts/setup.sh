#!/usr/bin/env bash
# Installs what AI Factory needs on a fresh Debian machine, only where it is missing:
# Debian packages (prometheus with promtool, postgresql for the store tests, alertmanager (the demo's
# Alertmanager, and amtool for the generated config), victoria-metrics for the client's live test, chromium,
# chromium-driver and libjs-chart.js for the page and its browser tests, zlib1g-dev for gzip) and PyPI tools
# (promql-parser for the differential PromQL test, selenium for the browser tests, schemathesis for `make fuzz-api`). Safe to run again: it does nothing when everything is present.
set -euo pipefail

need_apt=()
command -v prometheus >/dev/null 2>&1 || need_apt+=(prometheus)
command -v promtool   >/dev/null 2>&1 || need_apt+=(prometheus)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v amtool >/dev/null 2>&1 || need_apt+=(prometheus-alertmanager)
command -v prometheus-alertmanager >/dev/null 2>&1 || need_apt+=(prometheus-alertmanager)
command -v victoria-metrics >/dev/null 2>&1 || need_apt+=(victoria-metrics)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need_apt+=(haproxy)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
ls /usr/share/javascript/chart.js/chart*.js >/dev/null 2>&1 || need_apt+=(libjs-chart.js)
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
command -v swift      >/dev/null 2>&1 || { echo "setup: swift is not on PATH (Swift 6.3 is expected at /opt/swift/usr/bin)" >&2; exit 1; }

if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "setup: installing Debian packages: ${need_apt[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2046
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need_apt[@]}" | sort -u) >/dev/null
fi

python3 - <<'PY' 2>/dev/null || { echo "setup: installing PyPI promql-parser"; python3 -m pip install -q --disable-pip-version-check promql-parser; }
import promql_parser
PY
python3 - <<'PY' 2>/dev/null || { echo "setup: installing PyPI selenium"; python3 -m pip install -q --disable-pip-version-check selenium; }
import selenium
PY
python3 - <<'PY' 2>/dev/null || { echo "setup: installing PyPI schemathesis"; python3 -m pip install -q --disable-pip-version-check schemathesis; }
import schemathesis
PY

echo "setup: ok ($(prometheus --version 2>&1 | head -1))"
