#!/usr/bin/env python3
"""Differential test: our PromQL parser against an independent one.

Runs every query of the corpus through

  * `aifactory promql parse --batch FILE` (our Swift parser; one JSON object per query), and
  * PyPI `promql-parser` (a Rust implementation, https://github.com/GreptimeTeam/promql-parser),

and compares, per query, accept/reject and the multiset of vector selectors with their matchers
(metric name as a `__name__` matcher, values decoded). Disagreements listed in
Tests/PromQLTests/Resources/corpus/known-differences.json are reported as documented; any other
disagreement fails the run (exit 1). Where the two parsers differ we follow Prometheus; each entry of
the allowlist says why.

Corpus: every `*.promql` file (one query per line, `;;` starts a file comment) and `*.json` file (a JSON
array of query strings, for multi-line queries) under the corpus directory, plus any `--corpus FILE`
given (use this to add deploy/prometheus/ rule expressions when they land).

Usage:
  python3 scripts/promql-differential.py --aifactory .build/debug/aifactory [--corpus extra.promql] [-v]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, "..", "Tests", "PromQLTests", "Resources", "corpus")


def load_queries(path):
    """Returns the queries of one corpus file, in order."""
    with open(path, encoding="utf-8") as handle:
        if path.endswith(".json"):
            data = json.load(handle)
            if not isinstance(data, list) or not all(isinstance(q, str) for q in data):
                raise SystemExit(f"{path}: expected a JSON array of strings")
            return data
        if path.endswith(".yml") or path.endswith(".yaml"):
            return load_rule_file(handle.read())
        queries = []
        for line in handle.read().split("\n"):
            if not line.strip() or line.startswith(";;"):
                continue
            queries.append(line)
        return queries


def load_rule_file(text):
    """Extracts `expr:` values from a Prometheus rule file without a YAML dependency (single-line and
    `|`/`>` block scalars)."""
    queries = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip()
        if stripped.startswith("expr:"):
            value = stripped[len("expr:"):].strip()
            indent = len(line) - len(stripped)
            if value in ("|", ">", "|-", ">-", "|+", ">+"):
                block = []
                index += 1
                while index < len(lines) and (not lines[index].strip() or
                                              len(lines[index]) - len(lines[index].lstrip()) > indent):
                    block.append(lines[index].strip())
                    index += 1
                joiner = "\n" if value.startswith("|") else " "
                queries.append(joiner.join(b for b in block if b))
                continue
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1] if value[0] == "'" else json.loads(value)
            queries.append(value)
        index += 1
    return queries


# --- promql-parser side -------------------------------------------------------------------------------

OPS = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}


def rust_selectors(expr):
    """Every vector selector (also inside range selectors) as a sorted tuple of matchers."""
    import promql_parser as pp  # noqa: F401  (imported for isinstance-free duck typing below)

    found = []
    extra = []

    def matchers_of(vs):
        result = []
        if vs.name:
            result.append(("__name__", "=", vs.name))
        for m in vs.matchers.matchers:
            result.append((m.name, OPS.get(str(m.op).split(".")[-1], str(m.op)), m.value))
        if vs.matchers.or_matchers:
            extra.append("or-matchers")
        return tuple(sorted(result))

    def visit(node):
        kind = type(node).__name__
        if kind == "VectorSelector":
            found.append(matchers_of(node))
        elif kind == "MatrixSelector":
            found.append(matchers_of(node.vector_selector))
        elif kind in ("ParenExpr", "UnaryExpr", "SubqueryExpr"):
            visit(node.expr)
        elif kind == "BinaryExpr":
            visit(node.lhs)
            visit(node.rhs)
        elif kind == "AggregateExpr":
            if node.param is not None:
                visit(node.param)
            visit(node.expr)
        elif kind == "Call":
            for arg in node.args:
                visit(arg)
        elif kind in ("NumberLiteral", "StringLiteral"):
            pass
        else:
            extra.append(f"unknown node {kind}")

    visit(expr)
    return sorted(found), extra


def run_rust(query):
    import promql_parser

    try:
        expr = promql_parser.parse(query)
    except BaseException as error:  # the Rust side raises ValueError, but panics surface differently
        return {"ok": False, "error": str(error).split("\n")[0][:200]}
    selectors, extra = rust_selectors(expr)
    return {"ok": True, "selectors": selectors, "extra": extra}


# --- our side -----------------------------------------------------------------------------------------


def run_ours(aifactory, queries):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        for query in queries:
            handle.write(json.dumps(query) + "\n")
        path = handle.name
    try:
        result = subprocess.run([aifactory, "promql", "parse", "--batch", path], capture_output=True, text=True,
                                timeout=600)
    finally:
        os.unlink(path)
    if result.returncode not in (0, 2):
        raise SystemExit(f"aifactory failed ({result.returncode}): {result.stderr.strip()[:500]}")
    lines = [line for line in result.stdout.split("\n") if line.strip()]
    if len(lines) != len(queries):
        raise SystemExit(f"aifactory returned {len(lines)} results for {len(queries)} queries")
    answers = []
    for query, line in zip(queries, lines):
        answer = json.loads(line)
        if answer.get("query") != query:
            raise SystemExit(f"aifactory answered out of order: {answer.get('query')!r} vs {query!r}")
        if answer["ok"]:
            answer["selectors"] = sorted(tuple(sorted((m["name"], m["op"], m["value"]) for m in s))
                                         for s in answer["selectors"])
        answers.append(answer)
    return answers


# --- comparison ---------------------------------------------------------------------------------------


def classify(ours, theirs):
    """None when the parsers agree, otherwise the kind of disagreement."""
    if ours["ok"] != theirs["ok"]:
        return "ours-accepts" if ours["ok"] else "ours-rejects"
    if not ours["ok"]:
        return None
    if theirs.get("extra"):
        return "matchers"
    if ours["selectors"] != theirs["selectors"]:
        return "matchers"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aifactory", required=True, help="path to the built aifactory binary")
    parser.add_argument("--corpus-dir", default=DEFAULT_CORPUS)
    parser.add_argument("--corpus", action="append", default=[], help="extra corpus file (.promql, .json, .yml)")
    parser.add_argument("--known", default=None, help="known differences (default: corpus-dir/known-differences.json)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    try:
        import promql_parser  # noqa: F401
    except ImportError:
        print("promql-parser is not installed: pip install promql-parser", file=sys.stderr)
        return 3

    files = sorted(os.path.join(args.corpus_dir, name) for name in os.listdir(args.corpus_dir)
                   if (name.endswith(".promql") or name.endswith(".json")) and name != "known-differences.json")
    files += args.corpus
    queries = []
    origin = {}
    for path in files:
        for query in load_queries(path):
            if query not in origin:
                origin[query] = os.path.basename(path)
                queries.append(query)

    known_path = args.known or os.path.join(args.corpus_dir, "known-differences.json")
    known = {}
    if os.path.exists(known_path):
        with open(known_path, encoding="utf-8") as handle:
            for entry in json.load(handle)["differences"]:
                known[entry["query"]] = entry

    ours = run_ours(args.aifactory, queries)
    agreements = 0
    documented = []
    unexplained = []
    stale = []
    expectation_failures = []
    for query, mine in zip(queries, ours):
        theirs = run_rust(query)
        kind = classify(mine, theirs)
        name = origin[query]
        expected_ok = None
        if name.startswith("valid-"):
            expected_ok = True
        elif name.startswith("invalid-"):
            expected_ok = False
        if expected_ok is not None and mine["ok"] != expected_ok:
            expectation_failures.append((query, name, mine))
        if kind is None:
            agreements += 1
            if query in known:
                stale.append(query)
            continue
        entry = known.get(query)
        if entry is not None and entry.get("kind") == kind:
            documented.append((query, kind, entry))
        else:
            unexplained.append((query, kind, mine, theirs))

    total = len(queries)
    accepted = sum(1 for answer in ours if answer["ok"])
    print(f"corpus: {total} queries from {len(files)} files ({accepted} accepted, {total - accepted} rejected by us)")
    print(f"agree: {agreements}   documented differences: {len(documented)}   unexplained: {len(unexplained)}")
    if args.verbose or unexplained:
        for query, kind, entry in documented if args.verbose else []:
            print(f"  documented [{kind}] {query!r}: {entry['reason']}")
    for query, kind, mine, theirs in unexplained:
        print(f"  UNEXPLAINED [{kind}] {query!r} ({origin[query]})")
        print(f"      ours:          {mine.get('error') or mine.get('selectors')}")
        print(f"      promql-parser: {theirs.get('error') or theirs.get('selectors')} {theirs.get('extra') or ''}")
    for query in stale:
        print(f"  note: known difference no longer differs: {query!r}")
    for query, name, mine in expectation_failures:
        verdict = "accepted" if mine["ok"] else f"rejected ({mine.get('error')})"
        print(f"  EXPECTATION: {query!r} in {name} was {verdict}")
    return 1 if unexplained or expectation_failures else 0


if __name__ == "__main__":
    sys.exit(main())
