# Sourced by the scripts that need a running `aifactory demo` (fuzz-api, replicas-test,
# bench-scoped-api): start_demo NAME BIN STATE [demo options...]
#
# Starts BIN demo on a free loopback port with a fresh STATE directory and waits until it has
# written STATE/demo-credentials.json; sets `demo` (its pid) and `port`. The port is free when
# chosen, but another listener starting meanwhile (the demo's own children bind port 0) can take it
# first: a start that fails with "address already in use" is retried on a new port and a fresh state,
# at most three times; any other early exit fails at once with the demo's last log lines. The log
# is STATE.log (beside the state, which each try empties).
start_demo() {
  local name=$1 bin=$2 state=$3
  shift 3
  local started=0 attempt
  for attempt in 1 2 3; do
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    rm -rf "$state" && mkdir -p "$state"
    "$bin" demo --state-dir "$state" --port "$port" "$@" >"$state.log" 2>&1 &
    demo=$!
    for _ in $(seq 1 1200); do
      [ -s "$state/demo-credentials.json" ] && { started=1; break; }
      kill -0 "$demo" 2>/dev/null || break
      sleep 0.2
    done
    [ "$started" -eq 1 ] && return 0
    if ! kill -0 "$demo" 2>/dev/null && grep -q "address already in use" "$state.log"; then
      echo "$name: port $port was taken before the demo bound it (attempt $attempt); retrying" >&2
      continue
    fi
    break
  done
  if kill -0 "$demo" 2>/dev/null; then
    echo "$name: the demo did not start within 240 s:" >&2
  else
    echo "$name: the demo exited:" >&2
  fi
  tail -20 "$state.log" >&2
  return 1
}

# stop_demo_and_remove DIR: SIGINT the demo `start_demo` started (SIGKILL after 10 s), then
# remove DIR. For `trap 'stop_demo_and_remove "$state"' EXIT`.
stop_demo_and_remove() {
  if [ -n "${demo:-}" ]; then
    kill -INT "$demo" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$demo" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$demo" 2>/dev/null || true
  fi
  rm -rf "$1"
}
