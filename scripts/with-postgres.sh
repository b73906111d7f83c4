#!/usr/bin/env bash
# Runs CMD... with a throw-away PostgreSQL cluster and AIFACTORY_TEST_POSTGRES_URL pointing at it.
#
#   scripts/with-postgres.sh swift test
#
# The cluster lives in a fresh temp dir, listens on 127.0.0.1 only (plus a socket in that dir), uses
# trust authentication (nothing outside this machine can reach it), and is stopped and deleted on
# exit, whatever CMD does. Needs Debian's `postgresql` package (initdb and pg_ctl under
# /usr/lib/postgresql/<version>/bin). initdb refuses to run as root, so as root the cluster runs as
# the `postgres` system user the package creates.
#
# Exit status: CMD's; 3 when PostgreSQL is missing or cannot start.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then bindir="$candidate"; break; fi
done
if [[ -z "$bindir" ]]; then
    echo "with-postgres: initdb/pg_ctl not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    exit 3
fi

# As root, run the server as `postgres`; otherwise as ourselves.
as_owner=()
owner="$(id -un)"
if [[ "$(id -u)" -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "with-postgres: running as root but there is no 'postgres' user to own the cluster" >&2
        exit 3
    fi
    owner=postgres
    if command -v runuser >/dev/null 2>&1; then
        as_owner=(runuser -u postgres --)
    else
        as_owner=(su postgres -s /bin/sh -c '"$0" "$@"')
    fi
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/aifactory-pg.XXXXXX")"
chmod 755 "$workdir"
datadir="$workdir/data"
sockdir="$workdir/socket"
mkdir -p "$datadir" "$sockdir"
[[ "$owner" == postgres ]] && chown -R postgres: "$workdir"

cleanup() {
    local status=$?
    if [[ -f "$datadir/postmaster.pid" ]]; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 - <<'PY' 2>/dev/null || echo $(( 20000 + RANDOM % 20000 ))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

"${as_owner[@]}" "$bindir/initdb" -D "$datadir" -U "$owner" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; echo "with-postgres: initdb failed" >&2; exit 3; }

# The port is free when chosen but may be taken before the server binds it: retry a few times.
started=0
for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if "${as_owner[@]}" "$bindir/pg_ctl" -D "$datadir" -l "$workdir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $sockdir -c fsync=on -c max_connections=300" start >/dev/null 2>&1; then
        started=1
        break
    fi
    echo "with-postgres: start on port $port failed (attempt $attempt)" >&2
done
if [[ "$started" -ne 1 ]]; then
    cat "$workdir/server.log" >&2 || true
    echo "with-postgres: PostgreSQL did not start" >&2
    exit 3
fi

database=aifactory_test
"${as_owner[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$owner" "$database"

export AIFACTORY_TEST_POSTGRES_URL="postgres://$owner@127.0.0.1:$port/$database?sslmode=disable"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($AIFACTORY_TEST_POSTGRES_URL)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
