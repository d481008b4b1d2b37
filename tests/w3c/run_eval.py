#!/usr/bin/env python3
"""The W3C SPARQL query-evaluation tests, run with `kizuna query`.

Which tests. Reads every manifest.ttl under the W3C SPARQL test folder (by
default $KZ_SOURCE_DIR/../shared/w3c-tests/sparql; $KZ_W3C_DIR overrides
it), converted to N-Triples by `rapper` with the base
https://w3c.github.io/rdf-tests/sparql/ + its path (as run_syntax.py does,
so test IRIs do not depend on where the folder is), and runs each entry of
type mf:QueryEvaluationTest or mf:CSVResultFormatTest. Everything else is
skipped, not counted:
  - syntax tests (run_syntax.py runs them);
  - mf:UpdateEvaluationTest, protocol, service-description, graph-store
    and update-syntax tests: not query evaluation;
  - the folders entailment/ (tests of entailment regimes, which `kizuna
    query --no-infer` does not implement) and service/ (SERVICE needs the
    network and remote endpoints), and any test with qt:serviceData;
  - manifests not named manifest.ttl (sparql10/open-world/
    sameTerm-manifest.ttl, sparql10/sort/extended-manifest.ttl): the
    official manifest-evaluation.ttl does not include them.
The categories are the manifest folders (sparql10/basic, ...); the suites
are sparql10 (SPARQL 1.0, data-r2) and sparql11 (SPARQL 1.1).

How a test runs. One process per test, two at a time, each with a time
limit (--timeout, 20 s): a time-out, a non-zero exit, anything on stderr
or output that does not parse is a failure.
    kizuna query [--engine E] --no-infer --data D... --named G...
                 --base file:///.../q.rq --format F /.../q.rq
with the files at their real place: every qt:data file is a --data (their
merge is the default graph) and every qt:graphData a --named (a named
graph whose name is the file's file:// IRI). A query with a dataset clause
(FROM, FROM NAMED) gets neither: its own clause names the dataset, as the
tests expect (constructwhere04 has both), and --data/--named would
override it as a protocol dataset does. KIZUNA_DATA_DIR names an empty
folder (empty ontology/ and datasets/), so that without --data kizuna
starts from an empty store, not from its bundled data. Without --engine
the binary's default engine runs. F is json for result sets and booleans
(.srx, .srj, result-set Turtle/RDF-XML), csv or tsv when the expected
result is .csv or .tsv (these tests check the writers), ntriples for
graphs.

IRIs and bases. Everything is named by its real location: the query's
base is its file:// IRI, kizuna names a --named graph (and a FROM <x.ttl>
the query resolves against its base) by the file's file:// IRI, and the
expected results in Turtle/RDF-XML, which name graphs by relative IRIs
(<data-g1.ttl>), are parsed with their own file:// IRI as base, so both
sides name a graph file:///.../data-g1.ttl. No expected result depends on
the query's base being the manifest's https:// IRI.

How results compare.
  - Terms by identity: IRIs and blank nodes exactly; literals by lexical
    form, datatype and language tag (case-insensitive); numbers are not
    normalised ("01"^^xsd:integer is not "1"^^xsd:integer). As in RDF 1.1,
    a simple literal is the same term as an xsd:string one, and a
    language-tagged literal has no other datatype. For information,
    --numbers-by-value compares numeric literals by datatype and value
    instead: a few W3C results only pass that way (they write
    "1050"^^xsd:double, or rewrite the data's "0E1" as "0.0"); the
    expected failures assume the default.
  - Blank nodes by isomorphism: a bijection between the blank-node labels
    of the expected and the actual results, found by backtracking
    (after colour refinement) across all solutions or triples at once.
  - The projected variables exactly, as a set (the names in the head;
    the order of the columns does not matter).
  - Solutions as multisets. Order counts only when the query has a
    top-level ORDER BY and the expected result is a sequence (.srx, .srj,
    .csv, .tsv, or rs:index in Turtle): position by position, the actual
    solution must then equal the expected one on the variables that the
    ORDER BY uses (solutions tied on all of them may come in any order).
  - mf:resultCardinality mf:LaxCardinality (REDUCED): the distinct
    solutions must be the same and there may be fewer duplicates.
  - CSV: values as strings (CSV loses types), a value _:x a blank node,
    an empty field unbound. TSV: terms, numbers in their Turtle short form;
    the exponent letter of doubles in either case (the W3C csvtsv03.tsv has
    1.0e6 for the data's "1.0E6").
  - ASK: the booleans. CONSTRUCT/DESCRIBE: graphs (sets of triples) by
    isomorphism.

Expected failures. eval-expected-failures.txt (the default engine, kizuna)
or eval-expected-failures-ENGINE.txt (with --engine ENGINE) lists the tests
known to fail, one IRI per line and a one-line reason after it; the run
fails when a test fails that is not listed, and when a listed test passes
or does not exist, so the list can only shrink. Without such a file the
figures are printed and the run exits 77 (not gated). --write-expected
writes it from the run (keeping the reasons already given).

Prints passed/total per category and per suite; --baseline ENGINE runs
every test with that engine too (e.g. rasqal) and prints its figures in a
second column, unchecked. --list-failures prints
each failing test with the reason (for a failed run, the first line of
stderr); -v adds its command line and lists the skipped tests. --filter
runs only some tests. Exit 77 (skip) when the folder or rapper is missing.
"""
import argparse
import concurrent.futures
import csv
import decimal
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter, OrderedDict

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SRX = "{http://www.w3.org/2005/sparql-results#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://w3c.github.io/rdf-tests/sparql/"
RUN_TYPES = {MF + "QueryEvaluationTest", MF + "CSVResultFormatTest"}
SKIP_FOLDERS = {"entailment", "service"}
RDF_SYNTAX = {".ttl": "turtle", ".rdf": "rdfxml", ".nt": "ntriples"}
SUITES = {"sparql10": "SPARQL 1.0", "sparql11": "SPARQL 1.1"}


class Failure(Exception):
    """A test failed; the message is the one-line reason."""


# ---------------------------------------------------------------- terms
# A term is a tuple: ("uri", iri), ("bnode", label),
# ("literal", lexical, datatype or None, language or None) or, for CSV
# values, ("csv", string).

def literal(lexical, datatype=None, lang=None):
    if lang:
        return ("literal", lexical, None, lang.lower())
    if datatype == XSD + "string":
        datatype = None
    return ("literal", lexical, datatype or None, None)


def show(term):
    kind = term[0]
    if kind == "uri":
        return "<%s>" % term[1]
    if kind == "bnode":
        return "_:" + term[1]
    if kind == "csv":
        return json.dumps(term[1], ensure_ascii=False)
    text = json.dumps(term[1], ensure_ascii=False)
    if term[3]:
        return text + "@" + term[3]
    return text + ("^^<%s>" % term[2] if term[2] else "")


ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


def unescape(text):
    def one(m):
        code = m.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code in ESCAPES:
            return ESCAPES[code]
        raise ValueError("bad escape \\" + code)
    return ESCAPE.sub(one, text)


TERM = re.compile(r'\s*(?:<([^>]*)>|_:([A-Za-z0-9_\-.]*[A-Za-z0-9_\-])|"((?:[^"\\]|\\.)*)"'
                  r'(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^<([^>]*)>)?)')
TSV_NUMBER = re.compile(r"[+-]?(?:(\d+)|(\d*\.\d+)|((?:\d+\.?\d*|\.\d+)[eE][+-]?\d+))$")


def read_term(text, pos):
    """The N-Triples term at text[pos:] and the position after it."""
    m = TERM.match(text, pos)
    if not m:
        raise ValueError("no term at %r" % text[pos:pos + 40])
    iri, bnode, lexical, lang, datatype = m.groups()
    if iri is not None:
        return ("uri", unescape(iri)), m.end()
    if bnode is not None:
        return ("bnode", bnode), m.end()
    return literal(unescape(lexical), datatype and unescape(datatype), lang), m.end()


def parse_ntriples(text):
    triples = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            s, pos = read_term(line, 0)
            p, pos = read_term(line, pos)
            o, pos = read_term(line, pos)
            if line[pos:].strip() != ".":
                raise ValueError("no final dot")
        except ValueError as e:
            raise Failure("bad N-Triples line %d: %s" % (number, e))
        triples.append((s, p, o))
    return triples


def file_iri(path):
    return "file://" + urllib.parse.quote(path)


def rapper(path, base, syntax=None):
    syntax = syntax or RDF_SYNTAX.get(os.path.splitext(path)[1], "turtle")
    out = subprocess.run(["rapper", "-q", "-i", syntax, "-o", "ntriples", path, base],
                         capture_output=True, text=True, encoding="utf-8", errors="replace")
    if out.returncode != 0:
        raise Failure("rapper cannot read %s: %s" % (path, out.stderr.strip()[:200]))
    return parse_ntriples(out.stdout)


# ------------------------------------------------------------- manifests
class Test:
    def __init__(self, iri, category, query, data, named, result, lax):
        self.iri, self.category = iri, category
        self.query, self.data, self.named, self.result, self.lax = query, data, named, result, lax


def find_manifests():
    """The W3C SPARQL test folder and every manifest.ttl below it, in order;
    (None, None) after saying why the tests are skipped."""
    here = os.path.dirname(os.path.abspath(__file__))
    source_dir = os.environ.get("KZ_SOURCE_DIR", os.path.join(here, "..", ".."))
    root = os.environ.get("KZ_W3C_DIR") or os.path.join(source_dir, "..", "shared", "w3c-tests", "sparql")
    if not os.path.isdir(root) or not shutil.which("rapper"):
        print("SKIP: rapper is not installed" if os.path.isdir(root) else
              "SKIP: no W3C SPARQL tests at %s" % root)
        return None, None
    root, manifests = os.path.realpath(root), []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        if "manifest.ttl" in files:
            manifests.append(os.path.join(folder, "manifest.ttl"))
    return root, sorted(manifests)


def rdf_list(by_subject, head):
    items, node = [], head
    while node != ("uri", RDF + "nil") and node in by_subject:
        items.extend(by_subject[node].get(RDF + "first", []))
        node = by_subject[node].get(RDF + "rest", [("uri", RDF + "nil")])[0]
    return items


def read_manifest(root, path):
    """(tests to run, skipped test IRIs with why) of one manifest."""
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    category = os.path.dirname(relative)
    by_subject = {}
    for s, p, o in rapper(path, BASE + relative, "turtle"):
        by_subject.setdefault(s, {}).setdefault(p[1], []).append(o)

    def local(term):
        if term[0] != "uri" or not term[1].startswith(BASE):
            raise Failure("%s: %s is outside the test folder" % (path, show(term)))
        return os.path.join(root, urllib.parse.unquote(term[1][len(BASE):]))

    entries = []
    for props in list(by_subject.values()):
        for head in props.get(MF + "entries", []):
            entries.extend(rdf_list(by_subject, head))
    tests, skipped = [], []
    for entry in entries:
        props = by_subject.get(entry, {})
        iri = entry[1]
        types = {t[1] for t in props.get(RDF + "type", [])}
        if not types & RUN_TYPES:
            if not any("Syntax" in t for t in types):
                skipped.append((iri, "type " + ", ".join(sorted(t.rsplit("#", 1)[-1] for t in types))))
            continue
        if category.split("/")[-1] in SKIP_FOLDERS:
            skipped.append((iri, "folder " + category))
            continue
        action = props.get(MF + "action", [None])[0]
        action_props = by_subject.get(action, {}) if action else {}
        if QT + "serviceData" in action_props:
            skipped.append((iri, "qt:serviceData (SERVICE)"))
            continue
        queries = action_props.get(QT + "query", [])
        results = props.get(MF + "result", [])
        if not queries or not results:
            skipped.append((iri, "no qt:query or mf:result"))
            continue
        lax = ("uri", MF + "LaxCardinality") in props.get(MF + "resultCardinality", [])
        tests.append(Test(iri, category, local(queries[0]),
                          [local(t) for t in action_props.get(QT + "data", [])],
                          [local(t) for t in action_props.get(QT + "graphData", [])],
                          local(results[0]), lax))
    return tests, skipped


# ------------------------------------------------------------ results
class Results:
    """A result: a boolean, a graph (a set of triples) or solutions.

    Solutions are dicts variable -> term; ordered is True when their order
    is meaningful (it is the order of the document)."""

    def __init__(self, kind, value, variables=None, ordered=False):
        self.kind, self.value, self.variables, self.ordered = kind, value, variables, ordered


def parse_srx(text):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise Failure("bad SPARQL XML results: %s" % e)
    variables = [v.get("name") for v in root.iter(SRX + "variable")]
    boolean = root.find(SRX + "boolean")
    if boolean is not None:
        return Results("boolean", boolean.text.strip() == "true")
    solutions = []
    for result in root.iter(SRX + "result"):
        row = {}
        for binding in result.findall(SRX + "binding"):
            node = binding[0]
            tag = node.tag[len(SRX):]
            if tag == "uri":
                term = ("uri", node.text or "")
            elif tag == "bnode":
                term = ("bnode", node.text or "")
            elif tag == "literal":
                term = literal(node.text or "", node.get("datatype"), node.get(XML_LANG))
            else:
                raise Failure("unknown binding <%s>" % tag)
            row[binding.get("name")] = term
        solutions.append(row)
    return Results("solutions", solutions, variables, ordered=True)


def parse_srj(text):
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise Failure("bad SPARQL JSON results: %s" % e)
    if not isinstance(doc, dict) or "head" not in doc:
        raise Failure("bad SPARQL JSON results: no head")
    if "boolean" in doc:
        return Results("boolean", doc["boolean"] is True)
    solutions = []
    try:
        for binding in doc["results"]["bindings"]:
            row = {}
            for name, value in binding.items():
                kind = value["type"]
                if kind == "uri":
                    row[name] = ("uri", value["value"])
                elif kind == "bnode":
                    row[name] = ("bnode", value["value"])
                elif kind in ("literal", "typed-literal"):
                    row[name] = literal(value["value"], value.get("datatype"), value.get("xml:lang"))
                else:
                    raise Failure("unknown term type %r" % kind)
            solutions.append(row)
        variables = doc["head"].get("vars", [])
    except (KeyError, TypeError, AttributeError) as e:
        raise Failure("bad SPARQL JSON results: %r" % e)
    return Results("solutions", solutions, variables, ordered=True)


def parse_tsv_term(text):
    if text == "":
        return None
    m = TSV_NUMBER.match(text)
    if m:
        kind = "integer" if m.group(1) else "decimal" if m.group(2) else "double"
        return literal(text, XSD + kind)
    if text in ("true", "false"):
        return literal(text, XSD + "boolean")
    try:
        term, end = read_term(text, 0)
    except ValueError as e:
        raise Failure("bad TSV term %r: %s" % (text[:40], e))
    if text[end:].strip():
        raise Failure("bad TSV term %r" % text[:40])
    return term


def tsv_term(text):
    """A TSV field as a term; the exponent letter of a double or float is
    compared in lower case (csvtsv03.tsv writes 1.0e6 for the data's
    "1.0E6"^^xsd:double)."""
    term = parse_tsv_term(text)
    if term and term[0] == "literal" and term[2] in (XSD + "double", XSD + "float"):
        term = literal(term[1].replace("E", "e"), term[2])
    return term


def parse_tsv(text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if not lines:
        raise Failure("empty TSV results")
    variables = [v[1:] if v[:1] in "?$" else v for v in lines[0].split("\t")] if lines[0] else []
    solutions = []
    for line in lines[1:]:
        fields = line.split("\t") if variables else ([] if line == "" else [line])
        if len(fields) != len(variables):
            raise Failure("TSV row with %d fields for %d variables" % (len(fields), len(variables)))
        row = {}
        for name, field in zip(variables, fields):
            term = tsv_term(field)
            if term is not None:
                row[name] = term
        solutions.append(row)
    return Results("solutions", solutions, variables, ordered=True)


def parse_csv(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise Failure("empty CSV results")
    variables = rows[0] if rows[0] != [""] else []
    solutions = []
    for fields in rows[1:]:
        if not fields and len(variables) == 1:
            fields = [""]
        if len(fields) != len(variables):
            raise Failure("CSV row with %d fields for %d variables" % (len(fields), len(variables)))
        row = {}
        for name, field in zip(variables, fields):
            if field.startswith("_:"):
                row[name] = ("bnode", field[2:])
            elif field != "":
                row[name] = ("csv", field)
        solutions.append(row)
    return Results("solutions", solutions, variables, ordered=True)


def results_from_graph(triples):
    """A result set in the rs: vocabulary, or else the graph itself."""
    by_subject = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p[1], []).append(o)
    sets = [s for s, props in by_subject.items() if ("uri", RS + "ResultSet") in props.get(RDF + "type", [])]
    if not sets:
        return Results("graph", set(triples))
    props = by_subject[sets[0]]
    if RS + "boolean" in props:
        return Results("boolean", props[RS + "boolean"][0][1] == "true")
    variables = [v[1] for v in props.get(RS + "resultVariable", [])]
    solutions, indexed = [], True
    for node in props.get(RS + "solution", []):
        row = {}
        for binding in by_subject.get(node, {}).get(RS + "binding", []):
            b = by_subject.get(binding, {})
            row[b[RS + "variable"][0][1]] = b[RS + "value"][0]
        index = by_subject.get(node, {}).get(RS + "index")
        indexed = indexed and bool(index)
        solutions.append((int(index[0][1]) if index else 0, row))
    solutions.sort(key=lambda pair: pair[0])
    return Results("solutions", [row for _, row in solutions], variables,
                   ordered=indexed and bool(solutions))


def read_expected(path):
    ext = os.path.splitext(path)[1]
    if ext in RDF_SYNTAX:
        return results_from_graph(rapper(path, file_iri(path)))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    parsers = {".srx": parse_srx, ".srj": parse_srj, ".tsv": parse_tsv, ".csv": parse_csv}
    if ext not in parsers:
        raise Failure("unknown result format " + ext)
    return parsers[ext](text)


# ---------------------------------------------------------- comparison
def is_bnode(term):
    return term[0] == "bnode"


def isomorphic(rows_a, rows_b):
    """Whether the two lists of rows (tuples of terms) are equal as
    multisets under some bijection between their blank-node labels."""
    if len(rows_a) != len(rows_b):
        return False
    ground_a = Counter(r for r in rows_a if not any(map(is_bnode, r)))
    ground_b = Counter(r for r in rows_b if not any(map(is_bnode, r)))
    if ground_a != ground_b:
        return False
    rest_a = [r for r in rows_a if any(map(is_bnode, r))]
    rest_b = [r for r in rows_b if any(map(is_bnode, r))]
    if not rest_a:
        return True

    # Colour refinement: a blank node's colour sums up the rows it is in,
    # with the colours of the other blank nodes of those rows.
    def refine(rows):
        colour = {t: 0 for r in rows for t in r if is_bnode(t)}
        for _ in range(4):
            signatures = {t: [] for t in colour}
            for r in rows:
                shape = tuple(("b", colour[t]) if is_bnode(t) else t for t in r)
                for i, t in enumerate(r):
                    if is_bnode(t):
                        signatures[t].append((i, shape))
            colour = {t: hash(tuple(sorted(s, key=repr))) for t, s in signatures.items()}
        return colour

    colour_a, colour_b = refine(rest_a), refine(rest_b)
    if Counter(colour_a.values()) != Counter(colour_b.values()):
        return False

    def shape(r, colour):
        return tuple(("b", colour[t]) if is_bnode(t) else t for t in r)

    by_shape = {}
    for j, r in enumerate(rest_b):
        by_shape.setdefault(shape(r, colour_b), []).append(j)
    if Counter(shape(r, colour_a) for r in rest_a) != Counter({k: len(v) for k, v in by_shape.items()}):
        return False
    candidates = [by_shape[shape(r, colour_a)] for r in rest_a]
    forward, backward, used = {}, {}, [False] * len(rest_b)

    def fits(ra, rb):
        new = {}
        for ta, tb in zip(ra, rb):
            if not is_bnode(ta):
                continue
            mapped = forward.get(ta, new.get(ta))
            if mapped is None:
                if tb in backward or tb in new.values():
                    return None
                new[ta] = tb
            elif mapped != tb:
                return None
        return new

    def search(todo):
        if not todo:
            return True
        # Fail first: the row with the fewest rows it can still match.
        best, best_options = None, None
        for i in todo:
            options = []
            for j in candidates[i]:
                if not used[j]:
                    new = fits(rest_a[i], rest_b[j])
                    if new is not None:
                        options.append((j, new))
            if best is None or len(options) < len(best_options):
                best, best_options = i, options
                if len(options) <= 1:
                    break
        remaining = [i for i in todo if i != best]
        for j, new in best_options:
            used[j] = True
            forward.update(new)
            backward.update({v: k for k, v in new.items()})
            if search(remaining):
                return True
            used[j] = False
            for k, v in new.items():
                del forward[k]
                del backward[v]
        return False

    return search(list(range(len(rest_a))))


def strip_query(text):
    """The query with its comments, strings and IRIs blanked out."""
    token = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                       r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*", re.S)
    return token.sub(" ", text)


def order_by_variables(query_text):
    """The variables of the query's top-level ORDER BY, or None."""
    text = strip_query(query_text)
    depth, found = 0, None
    for m in re.finditer(r"[{}]|\bORDER\s+BY\b", text, re.I):
        if m.group() == "{":
            depth += 1
        elif m.group() == "}":
            depth -= 1
        elif depth == 0:
            found = m.end()
    if found is None:
        return None
    clause = re.split(r"\b(?:LIMIT|OFFSET|VALUES)\b|[{}]", text[found:], flags=re.I)[0]
    return set(re.findall(r"[?$]([A-Za-z0-9_\u00B7-\U000EFFFF]+)", clause))


NUMERIC = {XSD + t for t in (
    "integer decimal float double nonPositiveInteger negativeInteger long int short byte "
    "nonNegativeInteger unsignedLong unsignedInt unsignedShort unsignedByte positiveInteger").split()}


def numeric_value(term):
    """With --numbers-by-value: a numeric literal as its datatype and value."""
    if term[0] != "literal" or term[2] not in NUMERIC:
        return term
    lexical = term[1].strip()
    try:
        if term[2] in (XSD + "float", XSD + "double"):
            value = repr(float({"INF": "inf", "-INF": "-inf", "NaN": "nan"}.get(lexical, lexical)))
        elif term[2] == XSD + "decimal":
            value = str(decimal.Decimal(lexical).normalize())
        else:
            value = str(int(lexical))
    except (ValueError, decimal.InvalidOperation):
        return term
    return ("literal", "value " + value, term[2], None)


def by_value(results):
    if results.kind == "graph":
        return Results("graph", {tuple(map(numeric_value, t)) for t in results.value})
    if results.kind == "solutions":
        return Results("solutions", [{k: numeric_value(v) for k, v in r.items()} for r in results.value],
                       results.variables, results.ordered)
    return results


def compare(test, expected, actual, query_text, numbers_by_value=False):
    if numbers_by_value:
        expected, actual = by_value(expected), by_value(actual)
    if expected.kind != actual.kind:
        raise Failure("expected a %s, got a %s" % (expected.kind, actual.kind))
    if expected.kind == "boolean":
        if expected.value != actual.value:
            raise Failure("expected %s, got %s" % (str(expected.value).lower(), str(actual.value).lower()))
        return
    if expected.kind == "graph":
        if not isomorphic(list(expected.value), list(actual.value)):
            raise Failure("graph differs: %d triples expected, %d got%s" % (
                len(expected.value), len(actual.value), example_difference(
                    list(expected.value), list(actual.value), lambda t: " ".join(map(show, t)))))
        return
    if set(expected.variables) != set(actual.variables):
        raise Failure("variables: expected %s, got %s" % (
            " ".join("?" + v for v in expected.variables) or "none",
            " ".join("?" + v for v in actual.variables) or "none"))
    rows_e = [row_tuple(r) for r in expected.value]
    rows_a = [row_tuple(r) for r in actual.value]
    if test.lax:
        if not isomorphic(list(set(rows_e)), list(set(rows_a))) or len(rows_a) > len(rows_e):
            raise Failure("solutions differ (REDUCED): %d expected, %d got%s" % (
                len(rows_e), len(rows_a), example_difference(rows_e, rows_a, show_row)))
        return
    keys = order_by_variables(query_text) if expected.ordered else None
    if keys is not None and len(rows_e) == len(rows_a) and isomorphic(rows_e, rows_a):
        # Tag each row with its block of ties on the ORDER BY variables,
        # counted along the expected sequence, and match again.
        blocks, block, previous = [], -1, object()
        for r in expected.value:
            key = tuple(r.get(k) for k in sorted(keys))
            if key != previous:
                block, previous = block + 1, key
            blocks.append(("block", str(block)))
        tagged_e = [r + (b,) for r, b in zip(rows_e, blocks)]
        tagged_a = [r + (b,) for r, b in zip(rows_a, blocks)]
        if not isomorphic(tagged_e, tagged_a):
            first = next((i for i, b in enumerate(blocks) if not isomorphic(
                [e for e, x in zip(rows_e, blocks) if x == b], [a for a, x in zip(rows_a, blocks) if x == b])), 0)
            raise Failure("wrong order (ORDER BY %s): at row %d expected %s, got %s" % (
                " ".join("?" + k for k in sorted(keys)), first + 1, show_row(rows_e[first]), show_row(rows_a[first])))
        return
    if not isomorphic(rows_e, rows_a):
        raise Failure("solutions differ: %d expected, %d got%s" % (
            len(rows_e), len(rows_a), example_difference(rows_e, rows_a, show_row)))


def row_tuple(solution):
    """A solution as a row: ("var", name), term, ("var", name), term..."""
    return tuple(x for name in sorted(solution) for x in (("var", name), solution[name]))


def show_row(row):
    pairs = [(row[i][1], row[i + 1]) for i in range(0, len(row) - 1, 2) if row[i][0] == "var"]
    return "{%s}" % ", ".join("?%s=%s" % (k, show(v)) for k, v in pairs)


def example_difference(expected, actual, render):
    """'; missing X' or '; unexpected Y' for the first ground difference."""
    missing = Counter(expected) - Counter(actual)
    extra = Counter(actual) - Counter(expected)
    parts = []
    for label, rows in (("missing", missing), ("unexpected", extra)):
        row = next((r for r in rows if not any(map(is_bnode, r))), None)
        if row is None and rows:
            row = next(iter(rows))
        if row is not None:
            parts.append("%s %s" % (label, render(row)))
    return ("; " + "; ".join(parts))[:300] if parts else ""


# ------------------------------------------------------------- running
def tally(tests, outcomes):
    """{category or suite: [passed, total]}."""
    counts = OrderedDict()
    for test, (reason, _) in zip(tests, outcomes):
        for name in (test.category, test.category.split("/")[0]):
            pair = counts.setdefault(name, [0, 0])
            pair[0] += reason is None
            pair[1] += 1
    return counts


def print_figures(tests, outcomes, engine, baseline, baseline_engine):
    """Passed/total per category, then per suite; the baseline's alongside."""
    mine = tally(tests, outcomes)
    other = tally(tests, baseline) if baseline else None
    print("W3C SPARQL query evaluation: %s%s" % (engine, " (and %s)" % baseline_engine if other else ""))
    if other:
        print("%-36s %-16s   %s" % ("", engine, baseline_engine))

    def cell(pair):
        return "%4d/%-4d %5.1f%%" % (pair[0], pair[1], 100.0 * pair[0] / pair[1])

    for suite_rows in (False, True):
        for name, pair in mine.items():
            if ("/" not in name) == suite_rows:
                label = "%s (%s)" % (SUITES.get(name, name), name) if suite_rows else "  " + name
                print("%-36s %s%s" % (label, cell(pair), "   " + cell(other[name]) if other else ""))


def has_dataset_clause(query_text):
    return re.search(r"(?<![\w:?$])FROM\s", strip_query(query_text), re.I) is not None


def command(args, engine, test, fmt, query_text):
    cmd = [args.kizuna, "query"]
    if engine:
        cmd += ["--engine", engine]
    cmd.append("--no-infer")
    if not has_dataset_clause(query_text):
        for path in test.data:
            cmd += ["--data", path]
        for path in test.named:
            cmd += ["--named", path]
    cmd += ["--base", file_iri(test.query), "--format", fmt, test.query]
    return cmd


def run_test(args, engine, test, env):
    """(None if the test passes, else the one-line reason; the command)."""
    cmd = None
    try:
        expected = read_expected(test.result)
        ext = os.path.splitext(test.result)[1]
        fmt = {".csv": "csv", ".tsv": "tsv"}.get(ext, "ntriples" if expected.kind == "graph" else "json")
        with open(test.query, encoding="utf-8", errors="replace") as f:
            query_text = f.read()
        cmd = command(args, engine, test, fmt, query_text)
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=args.timeout, env=env)
        except subprocess.TimeoutExpired:
            raise Failure("timeout after %g s" % args.timeout)
        out = run.stdout.decode("utf-8", errors="replace")
        err = run.stderr.decode("utf-8", errors="replace").strip()
        first = err.split("\n")[0][:200] if err else ""
        if run.returncode != 0:
            raise Failure("exit %d: %s" % (run.returncode, first or "(no message)"))
        if err:
            raise Failure("stderr: %s" % first)
        if expected.kind == "graph":
            actual = Results("graph", set(parse_ntriples(out)))
        else:
            actual = {"csv": parse_csv, "tsv": parse_tsv, "json": parse_srj}[fmt](out)
        compare(test, expected, actual, query_text, args.numbers_by_value)
    except Failure as e:
        return str(e).replace("\n", " "), cmd
    except Exception as e:  # a bug of this script: fail the test, say why
        return "run_eval.py error: %r" % e, cmd
    return None, cmd


def read_expected_failures(path):
    listed = OrderedDict()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                iri, _, reason = line.partition(" ")
                listed[iri] = reason.strip()
    return listed


def write_expected_failures(path, engine, failures, listed):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# W3C SPARQL query-evaluation tests that `kizuna query%s` gets wrong,\n"
                "# one test IRI per line followed by a one-line reason. tests/w3c/run_eval.py\n"
                "# fails when a test listed here passes (remove it) or when an unlisted test\n"
                "# fails, so this list can only shrink.\n" % (" --engine " + engine if engine else ""))
        for iri, reason in failures:
            reason = listed.get(iri) or (reason if len(reason) <= 160 else reason[:157] + "...")
            f.write("%s %s\n" % (iri, reason))


def main():
    parser = argparse.ArgumentParser(description="Run the W3C SPARQL query-evaluation tests.")
    parser.add_argument("--engine", help="passed to kizuna query --engine (default: the binary's default)")
    parser.add_argument("--baseline", metavar="ENGINE",
                        help="also run every test with this engine (e.g. rasqal) and print its "
                             "figures alongside (not checked)")
    parser.add_argument("--list-failures", action="store_true", help="print each failing test and why")
    parser.add_argument("-v", "--verbose", action="store_true", help="with the failures, their command lines")
    parser.add_argument("--jobs", type=int, default=2, help="tests run at once (2)")
    parser.add_argument("--timeout", type=float, default=20, help="seconds per test (20)")
    parser.add_argument("--numbers-by-value", action="store_true",
                        help="compare numeric literals by datatype and value, not lexical form "
                             "(for information; the expected failures assume the default)")
    parser.add_argument("--filter", help="run only the tests whose IRI or category contains this")
    parser.add_argument("--write-expected", action="store_true",
                        help="write the expected-failures file from this run")
    args = parser.parse_args()
    if args.write_expected and args.filter:
        parser.error("--write-expected needs the whole suite, not --filter")
    args.kizuna = os.environ.get("KIZUNA") or sys.exit("KIZUNA must name the kizuna binary")
    if not os.access(args.kizuna, os.X_OK):
        sys.exit("KIZUNA=%s: not an executable file" % args.kizuna)
    here = os.path.dirname(os.path.abspath(__file__))
    root, manifests = find_manifests()
    if root is None:
        return 77
    sys.setrecursionlimit(10000)

    tests, skipped, seen = [], [], set()
    for path in manifests:
        try:
            found, skips = read_manifest(root, path)
        except Failure as e:
            sys.exit(str(e))
        skipped.extend(skips)
        for test in found:
            if test.iri not in seen:
                seen.add(test.iri)
                tests.append(test)
    if args.filter:
        tests = [t for t in tests if args.filter in t.iri or args.filter in t.category]

    with tempfile.TemporaryDirectory(prefix="kz-w3c-") as tmp:
        # Empty bundled data: what kizuna loads when there is no --data.
        os.mkdir(os.path.join(tmp, "ontology"))
        os.mkdir(os.path.join(tmp, "datasets"))
        env = dict(os.environ, KIZUNA_DATA_DIR=tmp)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            outcomes = list(pool.map(lambda t: run_test(args, args.engine, t, env), tests))
            baseline = list(pool.map(lambda t: run_test(args, args.baseline, t, env), tests)) \
                if args.baseline else None

    suffix = "-" + args.engine if args.engine not in (None, "kizuna") else ""
    expected_path = os.path.join(here, "eval-expected-failures%s.txt" % suffix)
    listed = read_expected_failures(expected_path) if os.path.exists(expected_path) else None
    failures, problems = [], []
    for test, (reason, cmd) in zip(tests, outcomes):
        if reason is not None:
            failures.append((test.iri, reason))
            if args.list_failures:
                print("FAILED %s: %s" % (test.iri, reason))
                if args.verbose and cmd:
                    print("    " + " ".join(cmd))
        if listed is not None:
            if test.iri in listed and reason is None:
                problems.append("NOW PASSES (remove it from the expected failures): %s" % test.iri)
            elif test.iri not in listed and reason is not None:
                problems.append("FAIL %s: %s" % (test.iri, reason))
    if listed is not None and not args.filter:
        for iri in listed:
            if iri not in seen:
                problems.append("UNKNOWN expected failure (no such test): %s" % iri)

    print_figures(tests, outcomes, args.engine or "default engine", baseline, args.baseline)
    if args.verbose:
        for iri, why in skipped:
            print("skipped %s: %s" % (iri, why))
    elif skipped:
        print("%d tests skipped (not query evaluation; -v lists them)" % len(skipped))
    if args.write_expected:
        write_expected_failures(expected_path, args.engine, failures, listed or {})
        print("wrote %d expected failures to %s" % (len(failures), expected_path))
        return 0
    for problem in problems:
        print(problem)
    if not tests:
        print("no query-evaluation tests found under %s" % root)
        return 1
    if listed is None:
        print("SKIP: no %s, so nothing is checked (%d tests fail)" % (os.path.basename(expected_path), len(failures)))
        return 77
    print("%d expected failures listed, %d problems" % (len(listed), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
