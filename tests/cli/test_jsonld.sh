# JSON-LD output (-f jsonld): the bundled data exported, a CONSTRUCT, a
# DESCRIBE and fixtures of tricky terms, each read back two ways and compared
# with the same data written by kizuna as N-Quads: by ../jsonld/check.py
# (shape, and the statements through a small expander; always runs) and by a
# real JSON-LD processor, jsonld.js with node (toRDF, canonicalized; skipped
# with a SKIP line when node or npm is missing or the install fails). Also:
# the same bytes whatever the run or the order triples come in, an empty
# graph, errors, the help texts, and valgrind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../jsonld/lib.sh"
need python3
T=$FX/jsonld/tricky.trig
S=$FX/jsonld/schemes.nt

# expect_shape LABEL FILE [ARGS...]: check.py accepts FILE.
expect_shape() {
  local label=$1 msg
  shift
  checks=$((checks + 1))
  msg=$(jsonld_shape "$@" 2>&1) || fail "$label: check.py: $msg"
}

# save NAME ARGS...: runs kizuna, expects exit 0, keeps stdout as $WORK/NAME.
save() {
  local name=$1
  shift
  run "$@"
  expect_code 0 "kizuna $* ($name)"
  cp "$WORK/out" "$WORK/$name"
}

# pair NAME ARGS...: the output as N-Quads (NAME.nq) and JSON-LD (NAME.jsonld,
# left in $WORK/out for expect_out).
pair() {
  local name=$1
  shift
  save "$name.nq" "$@" -f nquads
  save "$name.jsonld" "$@" -f jsonld
}

# --- the bundled data ---------------------------------------------------------------
pair all export
expect_shape "export" "$WORK/all.jsonld" --nquads "$WORK/all.nq"
expect_eq "$(jsonld_shape "$WORK/all.jsonld")" "$(grep -c . "$WORK/all.nq") statements" \
  "export: as many statements as N-Quads lines"
expect_out '"kz": "https://w3id.org/kizuna/ontology#"' "export: the kz prefix"
expect_out '"@type": "kz:JointLab"' "export: compact types"
expect_out '"@id": "kzg:reference",' "export: named graphs as @graph nodes"
save all2.jsonld export -f jsonld
checks=$((checks + 1))
cmp -s "$WORK/all.jsonld" "$WORK/all2.jsonld" || fail "export: the same bytes in two runs (blank nodes numbered from the data)"

construct='PREFIX kz: <https://w3id.org/kizuna/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?lab a kz:JointLab ; rdfs:label ?name ; kz:involves ?who . ?who rdfs:label ?who_name }
WHERE { ?lab a kz:JointLab ; rdfs:label ?name ; kz:involves ?who . ?who rdfs:label ?who_name }'
pair construct query -e "$construct"
expect_shape "CONSTRUCT" "$WORK/construct.jsonld" --nquads "$WORK/construct.nq"
check_construct_order() {
  # Triples of one subject come interleaved when ordered by object; the
  # document is the same.
  run query -f jsonld -e "$construct ORDER BY $1"
  expect_code 0 "CONSTRUCT ORDER BY $1"
  checks=$((checks + 1))
  cmp -s "$WORK/out" "$WORK/construct.jsonld" || fail "CONSTRUCT ORDER BY $1: the same document"
}
check_construct_order '?who_name'
check_construct_order 'DESC(?name) ?who'

pair describe query -e 'DESCRIBE <https://w3id.org/kizuna/id/agency/iit-hyderabad>'
expect_shape "DESCRIBE" "$WORK/describe.jsonld" --nquads "$WORK/describe.nq"
expect_out '"@id": "agency:iit-hyderabad",' "DESCRIBE: the resource, compacted"

# --- tricky terms -----------------------------------------------------------------------
pair tricky export --data "$T"
expect_shape "tricky terms" "$WORK/tricky.jsonld" --nquads "$WORK/tricky.nq"
checks=$((checks + 1))
msg=$(python3 - "$WORK/tricky.jsonld" <<'EOF' 2>&1
import json, sys
raw = open(sys.argv[1], encoding="utf-8").read()
doc = json.loads(raw)
top = {n["@id"]: n for n in doc["@graph"]}
assert list(top)[-2:] == ["http://example.org/graphName", "kzg:other"], list(top)
inner = [n for n in top.values() if n["@id"].endswith("tricky.trig")][0]["@graph"]
nodes = {n["@id"]: n for n in inner}
t = nodes["http://example.org/thing"]
E = "http://example.org/"
def eq(got, want):
    assert got == want, f"{got!r} != {want!r}"
eq(t["@type"], ["http://example.org/Other", "kz:JointLab", "kz:Organisation"])
eq(t["rdf:type"], "a literal type")
eq(t[E + "decimal"], [{"@value": "-0.0", "@type": "xsd:decimal"}, {"@value": "1.50", "@type": "xsd:decimal"}])
eq(t[E + "integer"], {"@value": "007", "@type": "xsd:integer"})
eq(t[E + "double"], {"@value": "1.0E0", "@type": "xsd:double"})
eq(t[E + "boolean"], [{"@value": "0", "@type": "xsd:boolean"}, {"@value": "true", "@type": "xsd:boolean"}])
eq(t[E + "typedString"], "typed")
eq(t[E + "custom"], [{"@value": "x y", "@type": "http://example.org/dt/custom"}, {"@value": "z", "@type": "kz:Weird"}])
eq(t[E + "quote"], 'say "hi" \\ back\\slash / solidus')
eq(t[E + "lines"], "line one\nline two\r\n\ttabbed\x0bvt\x0cff\x08bs")
eq(t[E + "control"], "bell\x07 unit\x1f del\x7f")
eq(t[E + "unicode"], "naïve café — 日本語 😀 \u2028 \u00a0 end")
eq(t[E + "empty"], "")
eq(t[E + "keyword"], ["@id", "@type"])
eq(t[E + "jsonish"], '{"@id": "ex:x", "n": 1}')
assert {"@value": "ラベル", "@language": "ja"} in t["rdfs:label"], t["rdfs:label"]
assert "plain" in t["rdfs:label"]
links = [v["@id"] for v in t[E + "link"]]
for want in ["agency:isro", "agency:with:colon", "agency:ü", "kz:", "kzid:x/y", "urn:isbn:0451450523",
             "https://w3id.org/kizuna/id///double-slash", "http://example.org/a%20b?q=1&r=2#frag"]:
    assert want in links, (want, links)
eq(t["urn:x-prop:1"], "property without //")
assert "日本語 😀" in raw and "ラベル" in raw, "UTF-8 written as it is"
assert "\\u0007" in raw and "\\u001f" in raw and "\\u007f" in raw, "control characters escaped"
cycle = [n for n in inner if n["@id"].startswith("_:") and "@type" in n]
eq(len(cycle), 1)
c = cycle[0]
assert c["@type"].startswith("_:b") and c[E + "self"] == {"@id": c["@id"]}, c
eq(top["http://example.org/graphName"]["@graph"][1]["@type"], "kz:Project")
EOF
) || fail "tricky terms as written: $msg"

pair schemes export --data "$S"
expect_shape "prefixes that are schemes" "$WORK/schemes.jsonld" --nquads "$WORK/schemes.nq" \
  --without kz --without xsd
checks=$((checks + 1))
msg=$(python3 - "$WORK/schemes.jsonld" <<'EOF' 2>&1
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
ctx = doc["@context"]
assert "agency" not in ctx and "kz" not in ctx and "xsd" not in ctx, sorted(ctx)
assert "scheme" in ctx and "kzid" in ctx, sorted(ctx)
ids = [n["@id"] for n in doc["@graph"][0]["@graph"]]
assert ids == ["http://example.org/s", "https://w3id.org/kizuna/ontology#Thing", "kz:foo",
               "kzid:agency/isro", "scheme://host/x"], ids
EOF
) || fail "prefixes that are schemes of IRIs in the data are left out: $msg"

# --- an empty graph ---------------------------------------------------------------------
pair empty query --data "$T" -e 'CONSTRUCT WHERE { ?s <http://example.org/nothing> ?o }'
expect_shape "empty graph" "$WORK/empty.jsonld" --nquads "$WORK/empty.nq"
expect_eq "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["@graph"])' "$WORK/empty.jsonld")" \
  "[]" "empty graph: an empty @graph"

# --- a real JSON-LD processor -----------------------------------------------------------
if jsonld_processor; then
  for name in all construct describe tricky schemes empty; do
    checks=$((checks + 1))
    msg=$(jsonld_same "$WORK/$name.jsonld" "$WORK/$name.nq" 2>&1) ||
      fail "jsonld.js reads $name.jsonld as the N-Quads kizuna writes: $msg"
  done
fi

# --- errors and help --------------------------------------------------------------------
run query --data "$T" -f jsonld -e 'SELECT * WHERE { ?s ?p ?o }'
expect_code 1 "jsonld for SELECT"
expect_err "format 'jsonld' does not fit SELECT/ASK results" "jsonld for SELECT"
run export --data "$T" -f jsonld -g http://example.org/nothing
expect_code 1 "jsonld of an unknown graph"
run export --data "$T" -f json-ld
expect_code 2 "a misspelt format"
expect_err "jsonld" "the export error lists jsonld"
run query --help; expect_out "jsonld" "query --help lists jsonld"
run export --help; expect_out "jsonld" "export --help lists jsonld"

# --- valgrind ---------------------------------------------------------------------------
if command -v valgrind >/dev/null 2>&1 && [ "${KZ_SANITIZE:-OFF}" != "ON" ]; then
  for args in "export --data $T -f jsonld" "export -f jsonld" \
              "query --data $T -f jsonld -e CONSTRUCT{?s?p?o}WHERE{?s?p?o}"; do
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      --show-leak-kinds=definite "$KIZUNA" $args >"$WORK/out" 2>"$WORK/err"
    code=$?
    expect_code 0 "valgrind: kizuna $args"
  done
else
  echo "SKIP: the valgrind part (no valgrind, or a sanitizer build)"
fi
finish
