"""Two `aifactory serve` replicas on one PostgreSQL behind haproxy (issue 21 acceptance).

Started by scripts/replicas-test.sh, which runs the demo (simulated fleet + Prometheus) and hands
over a throw-away PostgreSQL. This script bootstraps an operator in that database, copies the
demo's tenants, pools and nodes into it, starts replicas A and B and haproxy in front of them, and
then, under a steady load through haproxy (8 clients reading the summary, and a signed-in browser
session polling `GET me` by cookie):

- a key revoked on one replica fails on the other within one second (both directions);
- the replica that leads the event recorder also runs a load test, and is killed (SIGKILL) and
  restarted: only requests in flight on it may fail (at most one per client, all within the
  moment of the kill), the session keeps working through the other replica, the other replica
  takes the event recorder over, and the load test is failed (its replica stopped answering)
  rather than left running for ever;
- the demo's XID 79 becomes exactly one stored event, counted once, across the hand-over.

Figures go to <out>/figures.json; every process's log to <out>.
"""
import argparse
import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

ARGS = None
FIGURES = {}


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method, url, key=None, body=None, opener=None, timeout=10):
    """(status, decoded JSON or text) of one request; network errors give (0, message)."""
    headers = {"Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            text = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        text, status = error.read(), error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        return 0, str(error)
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text.decode("utf-8", "replace")


def wait_for(condition, timeout, message, interval=0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s: {message}")


class Replica:
    """One `aifactory serve` process on the shared database."""

    def __init__(self, name, prometheus):
        self.name, self.prometheus = name, prometheus
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log_path = os.path.join(ARGS.out, f"replica-{name}.log")
        open(self.log_path, "w").close()  # this run's log only: leadership is read from it

    def start(self):
        log = open(self.log_path, "a")
        log.write(f"\n==== start {time.strftime('%H:%M:%S')} ====\n")
        log.flush()
        self.process = subprocess.Popen(
            [ARGS.aifactory, "serve", "--listen", f"127.0.0.1:{self.port}", "--database-url", ARGS.database_url,
             "--prometheus-url", self.prometheus, "--events-interval", "2", "--allow-targets", "127.0.0.0/8",
             "--trusted-proxies", "127.0.0.1/32"],
            stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: call("GET", f"{self.url}/healthz")[0] == 200, 60, f"replica {self.name} answers /healthz")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def leads(self, since=0):
        """Whether this replica's log says it took the event recorder's lease (after `since` bytes)."""
        return "now runs the event recorder" in self.log()[since:]


def haproxy_config(port, replicas):
    servers = "\n".join(f"    server {r.name} 127.0.0.1:{r.port} check inter 500ms fall 2 rise 2" for r in replicas)
    return f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch
    retry-on conn-failure empty-response response-timeout
frontend api
    bind 127.0.0.1:{port}
    option forwardfor
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /healthz
{servers}
"""


def seed(operator):
    """The demo's tenants, pools and nodes, copied into the replicas' database through replica A's
    admin API; returns {tenant: admin key} for the tenants the checks use."""
    demo_creds = json.load(open(os.path.join(ARGS.demo_state, "demo-credentials.json")))
    demo_key = next(t["apiKey"] for t in demo_creds["tenants"] if t["tenant"] == "operator")
    base = ARGS.demo
    _, tenants = call("GET", f"{base}/api/v1/admin/tenants", demo_key)
    _, pools = call("GET", f"{base}/api/v1/admin/pools", demo_key)
    _, nodes = call("GET", f"{base}/api/v1/admin/nodes", demo_key)
    api = f"{ARGS.replica_a}/api/v1/admin"
    for tenant in tenants:
        status, body = call("POST", f"{api}/tenants", operator, {"name": tenant["name"], "displayName": tenant["displayName"]})
        expect(status == 201, f"tenant {tenant['name']}: {status} {body}")
    for pool in pools:
        status, body = call("POST", f"{api}/pools", operator, {"name": pool["name"], "displayName": pool["displayName"]})
        expect(status == 201, f"pool {pool['name']}: {status} {body}")
    # Where each node's exporters are: the simulator's target list (the admin view names no address).
    simulator = demo_creds["simulatorURL"].rstrip("/")
    address = simulator.split("://", 1)[1]
    _, targets = call("GET", f"{simulator}/targets")
    targets = {t["node"]: t for t in targets}
    fields = ["name", "host", "gpuModel", "gpuCount", "gpuMemoryMiB", "gpuClass", "tenant", "pool"]
    for node in nodes:
        target = targets.get(node["name"])
        expect(target, f"the simulator serves node {node['name']}")
        body = {k: node[k] for k in fields if node.get(k) is not None}
        body.update({"dcgmAddress": address, "dcgmPath": target["dcgmPath"]})
        if target.get("vllmPath"):
            body.update({"vllmAddress": address, "vllmPath": target["vllmPath"]})
        status, answer = call("POST", f"{api}/nodes", operator, body)
        expect(status == 201, f"node {node['name']}: {status} {answer}")
    keys = {}
    for tenant in ("acme", "initrode"):
        status, user = call("POST", f"{api}/users", operator, {"name": f"{tenant}-admin", "kind": "tenant-admin", "tenant": tenant})
        expect(status == 201, f"user: {status} {user}")
        status, key = call("POST", f"{api}/users/{user['id']}/keys", operator, {"label": "replicas test"})
        expect(status == 201, f"key: {status} {key}")
        keys[tenant] = (user["id"], key["apiKey"])
    FIGURES["seeded"] = {"tenants": len(tenants), "pools": len(pools), "nodes": len(nodes)}
    return keys


def revocation(operator, user_id, writer, reader):
    """A key made and revoked on `writer`, used on `reader`: seconds until `reader` refuses it."""
    status, key = call("POST", f"{writer.url}/api/v1/admin/users/{user_id}/keys", operator, {"label": "revoke me"})
    expect(status == 201, f"key on {writer.name}: {status} {key}")
    for _ in range(3):  # cached on the reader: it has answered with it
        status, _ = call("GET", f"{reader.url}/api/v1/me", key["apiKey"])
        expect(status == 200, f"the new key on {reader.name}: {status}")
    status, _ = call("DELETE", f"{writer.url}/api/v1/admin/keys/{key['id']}", operator)
    expect(status in (200, 204), f"revoke on {writer.name}: {status}")
    revoked = time.time()
    wait_for(lambda: call("GET", f"{reader.url}/api/v1/me", key["apiKey"])[0] == 401, 5, f"{reader.name} refuses the revoked key", 0.02)
    seconds = time.time() - revoked
    expect(seconds <= 1.0, f"revoked on {writer.name}, still accepted on {reader.name} for {seconds:.2f} s")
    return round(seconds, 3)


class Load:
    """Clients reading the summary through haproxy, and a browser session polling `GET me`."""

    def __init__(self, front, key, clients=8):
        self.front, self.key, self.clients = front, key, clients
        self.stop = threading.Event()
        self.results = []  # (time, client, status)
        self.session = []  # (time, status)
        self.lock = threading.Lock()
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        status, body = call("POST", f"{front}/api/v1/session", body={"apiKey": key}, opener=self.opener)
        expect(status in (200, 201, 204), f"sign in through haproxy: {status} {body}")
        expect(any(c.name.endswith("aif_session") for c in jar), "a session cookie")

    def client(self, number):
        while not self.stop.is_set():
            status, _ = call("GET", f"{self.front}/api/v1/factory/summary", self.key, timeout=15)
            with self.lock:
                self.results.append((time.time(), number, status))
            time.sleep(0.02)

    def browser(self):
        while not self.stop.is_set():
            status, _ = call("GET", f"{self.front}/api/v1/me", opener=self.opener, timeout=15)
            with self.lock:
                self.session.append((time.time(), status))
            time.sleep(0.2)

    def __enter__(self):
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(self.clients)]
        self.threads.append(threading.Thread(target=self.browser, daemon=True))
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=20)


def xid_events(operator, front):
    status, body = call("GET", f"{front}/api/v1/factory/nodes/initrode-xid79/events", operator)
    expect(status == 200, f"events of initrode-xid79: {status} {body}")
    events = body.get("events", body) if isinstance(body, dict) else body
    return [e for e in events if e.get("kind") == "xid" and e.get("code") == 79]


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    for name in ("--aifactory", "--demo", "--demo-state", "--database-url", "--work", "--out"):
        parser.add_argument(name, required=True)
    ARGS = parser.parse_args()
    creds_path = os.path.join(ARGS.demo_state, "demo-credentials.json")
    wait_for(lambda: os.path.exists(creds_path), 240, "the demo wrote its credentials")
    prometheus = json.load(open(creds_path))["prometheusURL"].rstrip("/")

    def scraped():
        status, body = call("GET", f"{prometheus}/api/v1/targets")
        targets = (body or {}).get("data", {}).get("activeTargets", []) if status == 200 else []
        return len(targets) >= 12 and all(not t.get("lastScrape", "").startswith("0001-") for t in targets)
    wait_for(scraped, 240, "Prometheus scraped every demo target")

    bootstrap = subprocess.run([ARGS.aifactory, "admin", "bootstrap", "--database-url", ARGS.database_url, "--name", "ops"],
                               capture_output=True, text=True, timeout=60)
    expect(bootstrap.returncode == 0, f"bootstrap: {bootstrap.stderr}")
    operator = bootstrap.stdout.strip().splitlines()[-1].strip()

    replicas = [Replica("a", prometheus), Replica("b", prometheus)]
    front_port = free_port()
    front = f"http://127.0.0.1:{front_port}"
    config = os.path.join(ARGS.work, "haproxy.cfg")
    with open(config, "w") as f:
        f.write(haproxy_config(front_port, replicas))
    haproxy = None
    try:
        for replica in replicas:
            replica.start()
        ARGS.replica_a = replicas[0].url
        keys = seed(operator)
        haproxy = subprocess.Popen(["haproxy", "-f", config, "-db"], stdout=open(os.path.join(ARGS.out, "haproxy.log"), "w"),
                                   stderr=subprocess.STDOUT)
        wait_for(lambda: call("GET", f"{front}/healthz")[0] == 200, 20, "haproxy forwards")

        FIGURES["revocationSeconds"] = [revocation(operator, keys["acme"][0], replicas[0], replicas[1]),
                                        revocation(operator, keys["acme"][0], replicas[1], replicas[0])]

        # Exactly one replica runs the event recorder; it gets the load test and is the one killed.
        wait_for(lambda: any(r.leads() for r in replicas), 30, "one replica leads the event recorder")
        leaders = [r for r in replicas if r.leads()]
        expect(len(leaders) == 1, f"both replicas lead: {[r.name for r in leaders]}")
        victim, survivor = leaders[0], next(r for r in replicas if r is not leaders[0])
        # The follower's self-check finds the recorder running on the leader (its stored last pass).
        def follower_check():
            status, run = call("POST", f"{survivor.url}/api/v1/factory/validate", operator, timeout=60)
            expect(status in (200, 201), f"validate on {survivor.name}: {status} {run}")
            return next((c for c in run.get("checks", []) if c.get("id") == "loops.events"), None)
        check = wait_for(lambda: (lambda c: c if c and c.get("status") == "pass" else None)(follower_check()), 30,
                         "the follower's loops.events check passes")
        expect(" on " in check.get("seen", ""), f"the follower names where the recorder runs: {check}")
        FIGURES["followerEventsCheck"] = check.get("seen")
        wait_for(lambda: xid_events(operator, front), 120, "the XID 79 event is recorded")

        status, test = call("POST", f"{victim.url}/api/v1/factory/loadtests", keys["acme"][1], {
            "node": "acme-ada16-1", "concurrency": [1], "durationSeconds": 600, "isl": 16, "osl": 8, "acknowledged": True})
        expect(status == 202, f"load test on {victim.name}: {status} {test}")
        wait_for(lambda: call("GET", f"{front}/api/v1/factory/loadtests/{test['id']}", keys["acme"][1])[1].get("status") == "running",
                 30, "the load test runs")

        with Load(front, keys["acme"][1]) as load:
            time.sleep(4)
            survivor_log = len(survivor.log())
            killed = time.time()
            victim.kill()
            time.sleep(4)
            restarted = time.time()
            victim.start()
            time.sleep(4)
            taken_over = wait_for(lambda: survivor.leads(survivor_log), 30, f"{survivor.name} takes the event recorder over")
            time.sleep(2)
        results, session = load.results, load.session
        failures = [(t, c, s) for t, c, s in results if s != 200]
        FIGURES["load"] = {"requests": len(results), "failures": len(failures), "sessionPolls": len(session),
                           "sessionFailures": sum(1 for _, s in session if s != 200),
                           "killedAt": round(killed, 3), "restartedAt": round(restarted, 3)}
        expect(len(results) > 100, f"only {len(results)} requests under load")
        per_client = {}
        for t, c, s in failures:
            per_client[c] = per_client.get(c, 0) + 1
            expect(killed - 0.5 <= t <= killed + 15, f"a request failed ({s}) away from the kill: {t - killed:+.2f} s")
        expect(all(n <= 1 for n in per_client.values()), f"a client failed more than its one in-flight request: {per_client}")
        session_failures = [(t, s) for t, s in session if s != 200]
        expect(len(session_failures) <= 1, f"the signed-in session failed {len(session_failures)} times: {session_failures}")
        expect(any(t > killed + 1 and s == 200 for t, s in session), "the session kept working after the kill")
        expect(taken_over, "hand-over")

        # The load test of the killed replica ends (failed: its replica went silent) instead of running for ever.
        def ended():
            status, body = call("GET", f"{front}/api/v1/factory/loadtests/{test['id']}", keys["acme"][1])
            return body if status == 200 and body.get("status") not in ("queued", "running") else None
        final = wait_for(ended, 90, "the killed replica's load test ends", 1)
        expect(final["status"] == "failed" and "stopped answering" in (final.get("error") or ""), f"load test ended as {final}")
        FIGURES["loadTestEnded"] = {"status": final["status"], "secondsAfterKill": round(time.time() - killed, 1), "error": final.get("error")}

        # Another revocation after the restart, and the XID still one event counted once.
        FIGURES["revocationSeconds"].append(revocation(operator, keys["acme"][0], survivor, victim))
        time.sleep(6)  # a few recorder polls by the new leader
        events = xid_events(operator, front)
        expect(len(events) == 1 and events[0].get("count") == 1, f"XID 79 events after the hand-over: {events}")
        FIGURES["xidEvents"] = len(events)
        print("replicas: figures " + json.dumps(FIGURES))
        with open(os.path.join(ARGS.out, "figures.json"), "w") as f:
            json.dump(FIGURES, f, indent=2)
    finally:
        if haproxy:
            haproxy.terminate()
            haproxy.wait()
        for replica in replicas:
            replica.stop()


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"replicas: FAIL {error}", file=sys.stderr)
        print("replicas: figures " + json.dumps(FIGURES), file=sys.stderr)
        sys.exit(1)
    print("replicas: passed")
