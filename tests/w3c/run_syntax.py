#!/usr/bin/env python3
"""The W3C SPARQL syntax tests, run with `kizuna query --check`.

Reads every manifest.ttl under the W3C SPARQL test folder (by default
$KZ_SOURCE_DIR/../shared/w3c-tests/sparql; $KZ_W3C_DIR overrides it),
converted to N-Triples by `rapper`, and runs each test of its mf:entries
list whose type is mf:PositiveSyntaxTest(11) or mf:NegativeSyntaxTest(11)
(update syntax tests have other types and are left out). A positive test
passes when kizuna exits 0 with nothing on stderr; a negative one when it
exits 1 with one line `SOURCE:LINE:COL: message` (a crash or a sanitizer
report is never a pass).

Manifests are read with the base https://w3c.github.io/rdf-tests/sparql/
+ their path, so test IRIs do not depend on where the folder is.
syntax-expected-failures.txt lists the tests known to fail, one IRI per
line with its reason after the IRI; the run fails when a test fails that is
not listed, and when a listed test passes or does not exist, so the list
can only shrink. Prints passed/total per suite. Exit 77 (skip) when the
folder or rapper is missing.
"""
import os
import re
import subprocess
import sys
from collections import OrderedDict

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from run_eval import BASE, MF, RDF, Failure, find_manifests, rapper, rdf_list  # noqa: E402

KINDS = {
    MF + "PositiveSyntaxTest": True,
    MF + "PositiveSyntaxTest11": True,
    MF + "NegativeSyntaxTest": False,
    MF + "NegativeSyntaxTest11": False,
}
ERROR_LINE = re.compile(r"^.+:\d+:\d+: \S.*$")


def read_manifest(path, relative):
    """(test IRI, positive?, query file, action IRI) for each syntax test of the manifest."""
    try:
        triples = rapper(path, BASE + relative, "turtle")
    except Failure as e:
        sys.exit(str(e))
    by_subject = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p[1], []).append(o)
    entries = [entry for props in list(by_subject.values())
               for head in props.get(MF + "entries", []) for entry in rdf_list(by_subject, head)]
    tests = []
    folder = os.path.dirname(path)
    for entry in entries:
        props = by_subject.get(entry, {})
        positive = [KINDS[t[1]] for t in props.get(RDF + "type", []) if t[1] in KINDS]
        actions = props.get(MF + "action", [])
        if not positive or not actions:
            continue
        action = actions[0][1]
        prefix = BASE + os.path.dirname(relative) + "/"
        if not action.startswith(prefix):
            sys.exit("%s: action %s is outside the manifest's folder" % (path, action))
        tests.append((entry[1], positive[0], os.path.join(folder, action[len(prefix):]), action))
    return tests


def check(kizuna, query_file, action_iri):
    run = subprocess.run([kizuna, "query", "--check", "--base", action_iri, query_file],
                         capture_output=True, text=True, errors="replace")
    err = run.stderr.strip("\n")
    if run.returncode == 0 and not err:
        return True, ""
    lines = err.split("\n") if err else []
    if run.returncode == 1 and len(lines) == 1 and ERROR_LINE.match(lines[0]):
        return False, lines[0]
    return None, "exit %d: %s" % (run.returncode, err[:400])


def main():
    kizuna = os.environ.get("KIZUNA") or sys.exit("KIZUNA must name the kizuna binary")
    here = os.path.dirname(os.path.abspath(__file__))
    root, manifests = find_manifests()
    if root is None:
        return 77
    expected = OrderedDict()
    with open(os.path.join(here, "syntax-expected-failures.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                iri, _, reason = line.partition(" ")
                expected[iri] = reason.strip()

    problems, seen, suites = [], set(), OrderedDict()
    for path in manifests:
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        for iri, positive, query_file, action in read_manifest(path, relative):
            if iri in seen:
                continue
            seen.add(iri)
            accepted, message = check(kizuna, query_file, action)
            right = accepted is positive
            suite = suites.setdefault(os.path.dirname(relative), [0, 0])
            suite[1] += 1
            if right:
                suite[0] += 1
            if accepted is None:
                problems.append("CRASH %s (%s): %s" % (iri, query_file, message))
            elif iri in expected and right:
                problems.append("NOW PASSES (remove it from the expected failures): %s" % iri)
            elif iri not in expected and not right:
                what = "rejected a valid query" if positive else "accepted an invalid query"
                problems.append("FAIL %s: %s (%s) %s" % (iri, what, query_file, message))
    for iri in expected:
        if iri not in seen:
            problems.append("UNKNOWN expected failure (no such test): %s" % iri)

    total_right = sum(s[0] for s in suites.values())
    total = sum(s[1] for s in suites.values())
    for name, (right, count) in suites.items():
        print("%-28s %4d/%d" % (name, right, count))
    print("%-28s %4d/%d (%d expected failures listed)" % ("all syntax tests", total_right, total,
                                                          len(expected)))
    for problem in problems:
        print(problem)
    if total == 0:
        print("no syntax tests found under %s" % root)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
