#!/usr/bin/env python3
"""Property-based API fuzzing of a running AI Factory (`make fuzz-api`, docs/SECURITY.md).

Schemathesis generates schema-valid requests for every operation in the server's own
/openapi.json; each request is sent once with every demo role's key. Counted per run:
  - 5xx responses (goal 0),
  - schema violations: a response whose status, content type or body the document does not
    declare (goal 0),
  - leaks: a response to tenant T containing a node name, host or GPU UUID of a node T does not
    hold (goal 0). The identifiers come from the operator's inventory and the simulator's
    exporters, so nothing is hard-coded.
Exit status 1 when any count is above 0.
"""
import argparse
import json
import re
import sys
import urllib.request
from collections import Counter, defaultdict

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import content_type_conformance, response_schema_conformance, status_code_conformance


def get_json(url, key):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def get_text(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8", "replace")


def identifiers(credentials):
    """tenant -> identifiers of nodes that tenant holds, from the operator's inventory + exporters."""
    operator = next(t["apiKey"] for t in credentials["tenants"] if t["role"] == "operator")
    nodes = get_json(credentials["url"] + "/api/v1/admin/nodes", operator)
    held = defaultdict(set)
    for node in nodes:
        ids = {node["name"], node["host"], *node.get("gpuUUIDs", [])}
        try:
            metrics = get_text(f"{credentials['simulatorURL']}/nodes/{node['name']}/dcgm/metrics")
            ids.update(re.findall(r'UUID="(GPU-[0-9a-fA-F-]+)"', metrics))
        except Exception:
            pass
        held[node["tenant"]].update(i for i in ids if i and len(i) >= 4)
    return nodes, held


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args()
    credentials = json.load(open(args.credentials))
    base = credentials["url"]
    nodes, held = identifiers(credentials)
    roles = [(t["tenant"], t["role"], t["apiKey"]) for t in credentials["tenants"]]

    def foreign(tenant, role):
        if role == "operator":
            return set()
        return set().union(*(ids for owner, ids in held.items() if owner != tenant)) - held.get(tenant, set())

    forbidden = {tenant: foreign(tenant, role) for tenant, role, _ in roles}
    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    counts = Counter()
    statuses = Counter()
    details = defaultdict(list)
    operations = 0

    document = json.loads(get_text(base + "/openapi.json"))
    documented = {f"{method.upper()} {path}" for path, methods in document["paths"].items()
                  for method in methods if method in ("get", "put", "post", "delete", "patch")}
    exercised = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        label = f"{operation.method.upper()} {operation.path}"
        exercised.add(label)

        @settings(max_examples=args.examples, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def exercise(case):
            for tenant, role, key in roles:
                counts["requests"] += 1
                try:
                    response = case.call(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30)
                except Exception as error:  # a dropped connection is as bad as a 5xx
                    counts["5xx"] += 1
                    details["5xx"].append(f"{label} as {role}: {type(error).__name__}")
                    continue
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    counts["5xx"] += 1
                    details["5xx"].append(f"{label} as {role}: {response.status_code} {response.text[:160]}")
                try:
                    case.validate_response(response, checks=[status_code_conformance, content_type_conformance, response_schema_conformance])
                except (Exception, BaseExceptionGroup) as error:  # schemathesis raises a FailureGroup
                    counts["violations"] += 1
                    first = str(error).strip().splitlines()
                    details["violations"].append(f"{label} as {role} ({response.status_code}): {' | '.join(first[:3])[:240]}")
                text = response.text
                leaked = sorted(i for i in forbidden[tenant] if i in text)
                if leaked:
                    counts["leaks"] += 1
                    details["leaks"].append(f"{label} as {tenant} ({role}): {', '.join(leaked[:5])}")

        try:
            exercise()
        except Exception as error:  # the document itself is unusable for this operation
            counts["violations"] += 1
            details["violations"].append(f"{label}: cannot generate requests from the document: {type(error).__name__}: {str(error).splitlines()[0][:160]}")

    for label in sorted(documented - exercised):
        print(f"fuzz-api: not exercised: {label}", file=sys.stderr)
    summary = {
        "operations": operations, "examplesPerOperation": args.examples, "roles": len(roles),
        "requests": counts["requests"], "5xx": counts["5xx"], "violations": counts["violations"], "leaks": counts["leaks"],
        "nodes": len(nodes), "foreignIdentifiers": {tenant: len(ids) for tenant, ids in forbidden.items()},
        "statuses": {str(code): n for code, n in sorted(statuses.items())},
    }
    for kind in ("5xx", "violations", "leaks"):
        unique = sorted(set(details[kind]))
        if unique:
            print(f"fuzz-api: {kind} ({len(details[kind])}, {len(unique)} distinct):", file=sys.stderr)
            for line in unique[:40]:
                print("  " + line, file=sys.stderr)
    print("fuzz-api: " + json.dumps(summary))
    return 1 if counts["5xx"] or counts["violations"] or counts["leaks"] else 0


if __name__ == "__main__":
    sys.exit(main())
