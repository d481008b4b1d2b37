# Queries: every results format parses back with an independent reader.
. "$(dirname "$0")/lib.sh"
need python3
need rapper
D="--data $FX/small.ttl"
SEL='PREFIX ex: <http://example.org/> SELECT ?s ?o ?n WHERE { ?s ex:involves ?o OPTIONAL { ?o ex:note ?n } } ORDER BY ?s ?o'

run query $D -f json -e "$SEL"; expect_code 0 json
python3 - "$WORK/out" <<'PY' || fail "json does not parse as SPARQL JSON results"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["head"]["vars"] == ["s", "o", "n"], doc["head"]
rows = doc["results"]["bindings"]
assert len(rows) == 3, rows
assert rows[0]["s"] == {"type": "uri", "value": "http://example.org/lab1"}, rows[0]
assert "n" not in rows[1] or "n" in rows[0]
assert any(r.get("n", {}).get("value") == "line one\nline two\ttabbed" for r in rows)
PY
run query $D -f xml -e "$SEL"; expect_code 0 xml
python3 - "$WORK/out" <<'PY' || fail "xml does not parse as SPARQL XML results"
import sys, xml.etree.ElementTree as ET
ns = {"r": "http://www.w3.org/2005/sparql-results#"}
root = ET.parse(sys.argv[1]).getroot()
assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["s", "o", "n"]
assert len(root.findall("r:results/r:result", ns)) == 3
PY
run query $D -f csv -e "$SEL"; expect_code 0 csv
python3 - "$WORK/out" <<'PY' || fail "csv does not parse"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["s", "o", "n"], rows[0]
assert len(rows) == 4, rows
assert "line one\nline two\ttabbed" in [r[2] for r in rows]
PY
run query $D -f tsv -e "$SEL"; expect_code 0 tsv
python3 - "$WORK/out" <<'PY' || fail "tsv is not one row per line with 3 columns"
import sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[0] == "?s\t?o\t?n" and lines[-1] == ""
assert all(len(l.split("\t")) == 3 for l in lines[:-1]), lines
assert len(lines) == 5
PY
run query $D -e "$SEL"; expect_code 0 table; expect_out "| ?s " table; expect_out "ex" table
run query $D -f json -e 'ASK { ?s ?p ?o }'; expect_out '"boolean": true' "ask json"
run query $D -e 'ASK { ?s ?p <http://nothing/> }'; expect_out "no" "ask table"

CON='PREFIX ex: <http://example.org/> CONSTRUCT { ?o ex:member ?s . ?s ex:name ?l } WHERE { ?s ex:involves ?o ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }'
for f in turtle ntriples nquads rdfxml; do
  run query $D -f "$f" -e "$CON"; expect_code 0 "construct $f"
  case $f in rdfxml) syn=rdfxml ;; *) syn=$f ;; esac
  n=$(rdf_count "$syn" "$WORK/out")
  expect_eq "$n" 5 "construct $f parses back with rapper"
done
run query $D -f csv -e "$CON"; expect_code 1 "csv for a graph"

# Query errors name the position; a query file names itself.
printf 'SELECT ?s\nWHERE { ?s ?p }\n' >"$WORK/bad.rq"
run query $D "$WORK/bad.rq"; expect_code 1 "bad query"; expect_err "bad.rq:2:" "bad query"
expect_one_line_err "bad query"
run query $D "$WORK/missing.rq"; expect_code 1 "missing query file"; expect_err "missing.rq: cannot read" "missing query file"
echo 'ASK { ?s ?p ?o }' | "$KIZUNA" query $D - >"$WORK/out" 2>&1; code=$?
expect_code 0 "query from stdin"; expect_out "yes" "query from stdin"

# Redland's hashes storage stays available by name, and answers as the
# default (kizuna) memory store does.
TYPES='SELECT ?s ?c WHERE { ?s a ?c FILTER(isIRI(?s)) } ORDER BY ?s ?c'
COUNT='SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'
for query in "$D|$SEL" "|$TYPES" "|$COUNT"; do
  data=${query%%|*} text=${query#*|}
  run query --store hashes $data -f csv -e "$text"; expect_code 0 "hashes store: $text"
  cp "$WORK/out" "$WORK/hashes.csv"
  run query --store memory $data -f csv -e "$text"; expect_code 0 "memory store: $text"
  checks=$((checks + 1))
  [ -s "$WORK/out" ] && cmp -s "$WORK/out" "$WORK/hashes.csv" ||
    fail "memory and hashes stores differ: $text"
done
finish
