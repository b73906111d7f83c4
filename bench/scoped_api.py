#!/usr/bin/env python3
"""Range queries of the Grafana dashboard through /prometheus (a tenant's key) vs straight to
Prometheus (the tenant's matcher written in by hand), interleaved; prints p50/p99 and the ratio.

Both sides use one keep-alive connection each from this process, so the client's own cost is
the same on both and cancels out of the difference (it slightly lowers the ratio's excess).
"""
import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def interpolate(expr, tenant):
    return (expr.replace("$__rate_interval", "1m").replace("$__range", "1h")
            .replace("$tenant", tenant).replace("$node", ".*").replace("$model_name", ".*"))


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))
    return ordered[index]


class Side:
    def __init__(self, url, path, key=None):
        parsed = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        self.path = parsed.path.rstrip("/") + path
        self.headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if key:
            self.headers["Authorization"] = f"Bearer {key}"
        self.times = []

    def query_range(self, query, start, end, step):
        body = urllib.parse.urlencode({"query": query, "start": start, "end": end, "step": step})
        began = time.perf_counter()
        self.connection.request("POST", self.path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - began
        if response.status != 200:
            raise SystemExit(f"bench-scoped-api: {self.path} answered {response.status}: {data[:300]!r}")
        return elapsed, json.loads(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--dashboard", required=True)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--range", type=int, default=3600)
    parser.add_argument("--step", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--history", default="0")
    parser.add_argument("--proxy", help="a bare HTTP proxy (haproxy) in front of the same Prometheus: a third, rewrite-free side")
    args = parser.parse_args()
    credentials = json.load(open(args.credentials))
    dashboard = json.load(open(args.dashboard))
    owner = next(t for t in credentials["tenants"] if t["role"] == "owner")
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", []) if target.get("expr")]

    api = Side(credentials["url"], "/prometheus/api/v1/query_range", owner["apiKey"])
    direct = Side(credentials["prometheusURL"], "/api/v1/query_range")
    proxy = Side(args.proxy, "/api/v1/query_range") if args.proxy else None
    print(f"bench-scoped-api: collecting {args.warmup} s of data before measuring", file=sys.stderr)
    time.sleep(args.warmup)

    pairs = [(interpolate(e, ".*"), interpolate(e, owner["tenant"])) for e in exprs]
    end = int(time.time())
    start = end - args.range
    # One unmeasured round: connections, caches, the server's first key lookup.
    for through, hand in pairs:
        api.query_range(through, start, end, args.step)
        direct.query_range(hand, start, end, args.step)
        if proxy:
            proxy.query_range(hand, start, end, args.step)
    differences = []
    proxy_differences = []
    nonempty = 0
    for round_index in range(args.rounds):
        for index, (through, hand) in enumerate(pairs):
            # Alternate which side goes first so neither always meets a warm cache.
            if (round_index + index) % 2 == 0:
                a, answer = api.query_range(through, start, end, args.step)
                d, _ = direct.query_range(hand, start, end, args.step)
            else:
                d, _ = direct.query_range(hand, start, end, args.step)
                a, answer = api.query_range(through, start, end, args.step)
            api.times.append(a)
            direct.times.append(d)
            differences.append(a - d)
            if proxy:
                h, _ = proxy.query_range(hand, start, end, args.step)
                proxy.times.append(h)
                proxy_differences.append(h - d)
            if round_index == 0 and answer.get("data", {}).get("result"):
                nonempty += 1

    def ms(value):
        return f"{value * 1000:.2f} ms"

    n = len(api.times)
    print(f"tenant {owner['tenant']}: {len(pairs)} dashboard queries ({nonempty} with data), "
          f"query_range over {args.range} s at step {args.step} s, {args.rounds} rounds = {n} requests per side; "
          f"TSDB: {args.history} of history + {args.warmup} s live")
    print(f"{'':24}{'p50':>12}{'p99':>12}")
    print(f"{'direct to Prometheus':24}{ms(percentile(direct.times, 0.5)):>12}{ms(percentile(direct.times, 0.99)):>12}")
    if proxy:
        print(f"{'through haproxy (bare)':24}{ms(percentile(proxy.times, 0.5)):>12}{ms(percentile(proxy.times, 0.99)):>12}")
    print(f"{'through /prometheus':24}{ms(percentile(api.times, 0.5)):>12}{ms(percentile(api.times, 0.99)):>12}")
    p50_ratio = percentile(api.times, 0.5) / percentile(direct.times, 0.5)
    p99_ratio = percentile(api.times, 0.99) / percentile(direct.times, 0.99)
    print(f"overhead ratio: p50 {p50_ratio:.3f} ({(p50_ratio - 1) * 100:+.1f} %), p99 {p99_ratio:.3f} ({(p99_ratio - 1) * 100:+.1f} %)")
    print(f"added latency per request (paired): median {ms(statistics.median(differences))}, p99 {ms(percentile(differences, 0.99))}")
    if proxy:
        bare = percentile(proxy.times, 0.5) / percentile(direct.times, 0.5)
        print(f"bare haproxy hop for comparison: p50 ratio {bare:.3f} ({(bare - 1) * 100:+.1f} %), "
              f"added median {ms(statistics.median(proxy_differences))}")
    print(f"goal p50 overhead <= 5 %: {'met' if p50_ratio <= 1.05 else 'not met'}")


if __name__ == "__main__":
    main()
