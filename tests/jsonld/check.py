#!/usr/bin/env python3
"""Checks a JSON-LD document written by Kizuna without a JSON-LD processor.

    check.py FILE.jsonld [--nquads FILE.nq] [--without PREFIX]...

The document must parse as JSON and have the shape Kizuna writes: an object
with "@context" (prefix -> namespace IRI, including the usual ones unless
named with --without) and "@graph" (node objects: "@id" first, "@type",
properties with a value or an array of two or more, "@graph" for named graphs
at the top only); values are strings or {"@id"}, {"@value", "@language"},
{"@value", "@type"} objects, never JSON numbers, booleans or null; IRIs are
compact IRIs of a context prefix (local part not starting with "//") or
absolute IRIs whose scheme is no context prefix; nodes and keys come sorted,
each subject once per graph.

The statements it holds are then read with a small expander that knows only
this shape. With --nquads, they must be the statements of FILE.nq (as written
by `kizuna export -f nquads`), blank nodes compared as anonymous and language
tags without case. Prints "N statements"; exits 1 with one line per problem.
"""
import json
import re
import sys
from collections import Counter

REQUIRED = ["rdf", "rdfs", "xsd", "skos", "dcterms", "owl", "kz"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

problems = []


def problem(where, message):
    if len(problems) < 50:
        problems.append(f"{where}: {message}")


def expand_iri(where, s, context, key=False):
    """The absolute IRI s stands for, checking that it cannot be misread."""
    if not isinstance(s, str) or not s:
        problem(where, f"not an IRI string: {s!r}")
        return ""
    if key and s.startswith("@"):
        problem(where, f"a property key that looks like a keyword: {s!r}")
    if not SCHEME.match(s):
        problem(where, f"neither a compact nor an absolute IRI: {s!r}")
        return s
    prefix, local = s.split(":", 1)
    if local.startswith("//"):
        return s
    if prefix in context:
        return context[prefix] + local
    return s


def node_id(where, s, context):
    if isinstance(s, str) and s.startswith("_:"):
        if not re.fullmatch(r"_:b[0-9]+", s):
            problem(where, f"blank node label not renumbered: {s!r}")
        return s
    return expand_iri(where, s, context)


def id_sort_key(written):
    """Kizuna's order: rdf:type first, IRIs by their written form, then blank
    nodes by number."""
    if written in ("rdf:type", RDF_TYPE):
        return (0, 0, "")
    if written.startswith("_:b") and written[3:].isdigit():
        return (1, 1, int(written[3:]))
    return (1, 0, written)


def value_term(where, v, context):
    if isinstance(v, str):
        return ("literal", v, None, None)
    if not isinstance(v, dict):
        problem(where, f"a value that is not a string or an object: {v!r}")
        return None
    keys = set(v)
    if keys == {"@id"}:
        n = node_id(where, v["@id"], context)
        return ("blank" if n.startswith("_:") else "iri", n, None, None)
    if not isinstance(v.get("@value"), str):
        problem(where, f"@value must be a string (lexical form kept): {v!r}")
        return None
    if keys == {"@value", "@language"} and isinstance(v["@language"], str):
        return ("literal", v["@value"], v["@language"].lower(), None)
    if keys == {"@value", "@type"}:
        return ("literal", v["@value"], None, expand_iri(where, v["@type"], context))
    problem(where, f"an unexpected value object: {v!r}")
    return None


def one_or_many(where, value):
    if isinstance(value, list):
        if len(value) < 2:
            problem(where, "an array of fewer than two values")
        return value
    return [value]


def read_nodes(where, nodes, graph, context, out, top):
    if not isinstance(nodes, list):
        problem(where, "@graph is not an array")
        return
    ids = []
    for i, node in enumerate(nodes):
        here = f"{where}[{i}]"
        if not isinstance(node, dict) or not node:
            problem(here, "not a node object")
            continue
        keys = list(node)
        if keys[0] != "@id":
            problem(here, "@id is not the first key")
            continue
        written = node["@id"]
        subject = node_id(here, written, context)
        ids.append(written)
        here = f"{where}[{written}]"
        props = [k for k in keys[1:] if k not in ("@type", "@graph")]
        if "@type" in node and keys[1] != "@type":
            problem(here, "@type does not come right after @id")
        if "@graph" in node and keys[-1] != "@graph":
            problem(here, "@graph is not the last key")
        if sorted(props, key=id_sort_key) != props:
            problem(here, f"properties not sorted: {props}")
        for t in one_or_many(here, node.get("@type", [])) if "@type" in node else []:
            if not isinstance(t, str):
                problem(here, f"a @type that is not a string: {t!r}")
                continue
            o = node_id(here, t, context)
            out.append((graph, subject, RDF_TYPE, ("blank" if o.startswith("_:") else "iri", o, None, None)))
        for k in props:
            if not isinstance(k, str) or k.startswith("@"):
                problem(here, f"an unexpected key {k!r}")
                continue
            predicate = expand_iri(here, k, context, key=True)
            for v in one_or_many(f"{here}.{k}", node[k]):
                o = value_term(f"{here}.{k}", v, context)
                if o:
                    out.append((graph, subject, predicate, o))
        if "@graph" in node:
            if not top:
                problem(here, "@graph inside a named graph")
            else:
                read_nodes(f"{here}.@graph", node["@graph"], subject, context, out, False)
    if sorted(ids, key=id_sort_key) != ids:
        problem(where, "nodes not sorted by @id")
    if len(set(ids)) != len(ids):
        dup = [k for k, n in Counter(ids).items() if n > 1][:3]
        problem(where, f"a subject with several node objects: {dup}")


def no_natives(where, j):
    if isinstance(j, bool) or j is None or isinstance(j, (int, float)):
        problem(where, f"a JSON native value {j!r} (the lexical form must stay a string)")
    elif isinstance(j, list):
        for x in j:
            no_natives(where, x)
    elif isinstance(j, dict):
        for k, x in j.items():
            no_natives(f"{where}.{k}", x)


# --- N-Quads, as `kizuna export -f nquads` writes them -------------------------
ESC = re.compile(r'\\(?:([tbnrf"\'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
SHORT = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def unescape(s):
    return ESC.sub(lambda m: SHORT[m.group(1)] if m.group(1) else chr(int(m.group(2) or m.group(3), 16)), s)


TERM = r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)'
QUAD = re.compile(rf"^\s*{TERM}\s+{TERM}\s+{TERM}(?:\s+{TERM})?\s*\.\s*$")


def nq_term(t):
    if t.startswith("<"):
        return ("iri", unescape(t[1:-1]), None, None)
    if t.startswith("_:"):
        return ("blank", t, None, None)
    m = re.match(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$', t)
    datatype = unescape(m.group(3)) if m.group(3) else None
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return ("literal", unescape(m.group(1)), m.group(2).lower() if m.group(2) else None, datatype)


def read_nquads(path):
    quads = set()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = QUAD.match(line)
            if not m:
                problem(f"{path}:{n}", "not an N-Quads line")
                continue
            s, p, o, g = (nq_term(t) if t else None for t in m.groups())
            quads.add((g[1] if g else None, s[1], p[1], o))
    return quads


def anonymous(statement):
    """A statement with its blank nodes unnamed, for a multiset compare."""
    g, s, p, o = statement
    name = lambda t: "_:" if t.startswith("_:") else t
    o = ("blank", "_:", None, None) if o[0] == "blank" else o
    return (g and name(g), name(s), p, o)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path, nquads, without = args[0], None, set()
    i = 1
    while i < len(args):
        if args[i] == "--nquads":
            nquads = args[i + 1]
        elif args[i] == "--without":
            without.add(args[i + 1])
        else:
            print(f"check.py: unknown argument {args[i]}", file=sys.stderr)
            return 2
        i += 2
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (ValueError, OSError) as e:
        print(f"{path}: not JSON: {e}")
        return 1
    statements = []
    if not isinstance(doc, dict) or list(doc) != ["@context", "@graph"]:
        problem(path, "the document is not {\"@context\", \"@graph\"}")
    else:
        context = doc["@context"]
        if not isinstance(context, dict):
            problem("@context", "not an object")
            context = {}
        for prefix, iri in context.items():
            if ":" in prefix or prefix.startswith("@") or not prefix:
                problem("@context", f"a bad prefix name {prefix!r}")
            if not isinstance(iri, str) or not SCHEME.match(iri) or iri[-1] not in "/#":
                problem("@context", f"{prefix}: not a namespace IRI: {iri!r}")
        for prefix in REQUIRED:
            if prefix not in without and prefix not in context:
                problem("@context", f"no prefix {prefix}")
            if prefix in without and prefix in context:
                problem("@context", f"prefix {prefix} should have been left out")
        no_natives("@graph", doc["@graph"])
        read_nodes("@graph", doc["@graph"], None, context, statements, True)
    if len(set(statements)) != len(statements):
        problem(path, "a statement written twice")
    if nquads is not None and not problems:
        want = Counter(anonymous(q) for q in read_nquads(nquads))
        got = Counter(anonymous(q) for q in statements)
        for q in list((want - got).elements())[:5]:
            problem(path, f"missing {q}")
        for q in list((got - want).elements())[:5]:
            problem(path, f"not in {nquads}: {q}")
    if problems:
        for p in problems:
            print(p)
        return 1
    print(f"{len(statements)} statements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
