#!/usr/bin/env bash
# Content negotiation: every media type of SELECT/ASK and CONSTRUCT/DESCRIBE
# answers, each body parsed back by an independent reader (Python's json,
# xml.etree and csv; rapper for RDF), q-values and wildcards, and 406 when
# nothing fits. JSON-LD is offered once the library writes it; until then
# asking only for it is 406.
. "$(dirname "$0")/lib.sh"
need rapper

start_server

select='PREFIX kz: <https://w3id.org/kizuna/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?lab ?name WHERE { ?lab a kz:JointLab ; rdfs:label ?name } ORDER BY ?lab'
ask='ASK { ?s a <https://w3id.org/kizuna/ontology#JointLab> }'
construct='PREFIX kz: <https://w3id.org/kizuna/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?lab a kz:JointLab ; rdfs:label ?name } WHERE { ?lab a kz:JointLab ; rdfs:label ?name }'
describe='DESCRIBE <https://w3id.org/kizuna/id/agency/iit-hyderabad>'
sel() { get sparql -G --data-urlencode "query=$1" -H "Accept: $2"; }

# --- SELECT in each results format --------------------------------------------
sel "$select" application/sparql-results+json
expect_status 200 "SELECT JSON"
expect_header "Content-Type: application/sparql-results+json" "SELECT JSON: type"
expect_json "SELECT JSON"
rows=$(json_eval 'len(j["results"]["bindings"])')
check; [ "$rows" -gt 1 ] || fail "SELECT JSON: rows ($rows)"
expect_eq "$(json_eval 'j["head"]["vars"]')" "['lab', 'name']" "SELECT JSON: head"

sel "$select" application/sparql-results+xml
expect_status 200 "SELECT XML"
expect_header "Content-Type: application/sparql-results+xml" "SELECT XML: type"
expect_xml "SELECT XML"
xml_rows=$(python3 -c 'import sys, xml.etree.ElementTree as E
ns = "{http://www.w3.org/2005/sparql-results#}"
print(len(E.parse(sys.argv[1]).getroot().find(ns + "results").findall(ns + "result")))' "$WORK/body")
expect_eq "$xml_rows" "$rows" "SELECT XML: as many rows as JSON"

sel "$select" text/csv
expect_status 200 "SELECT CSV"
expect_header "Content-Type: text/csv; charset=utf-8" "SELECT CSV: type"
csv_rows=$(python3 -c 'import csv, sys; r = list(csv.reader(open(sys.argv[1], newline=""))); assert r[0] == ["lab", "name"]; print(len(r) - 1)' "$WORK/body" 2>&1)
expect_eq "$csv_rows" "$rows" "SELECT CSV: header and rows"

sel "$select" text/tab-separated-values
expect_status 200 "SELECT TSV"
expect_header "Content-Type: text/tab-separated-values; charset=utf-8" "SELECT TSV: type"
check; head -n 1 "$WORK/body" | grep -q $'^?lab\t?name' || fail "SELECT TSV: header"
expect_eq "$(($(wc -l <"$WORK/body") - 1))" "$rows" "SELECT TSV: rows"

sel "$select" application/json
expect_status 200 "SELECT as application/json"
expect_json "SELECT as application/json"

# --- ASK ------------------------------------------------------------------------
sel "$ask" application/sparql-results+json
expect_eq "$(json_eval 'j["boolean"]')" "True" "ASK JSON"
sel "$ask" application/sparql-results+xml
expect_xml "ASK XML"
expect_body "<boolean>true</boolean>" "ASK XML: true"
sel "$ask" text/csv
expect_status 200 "ASK CSV"

# --- CONSTRUCT and DESCRIBE in each graph format ---------------------------------
sel "$construct" text/turtle
expect_status 200 "CONSTRUCT Turtle"
expect_header "Content-Type: text/turtle; charset=utf-8" "Turtle: type"
expect_rdf turtle "CONSTRUCT Turtle"
triples=$(rdf_count turtle)
for pair in "application/n-triples ntriples" "application/n-quads nquads" \
            "application/rdf+xml rdfxml"; do
  set -- $pair
  sel "$construct" "$1"
  expect_status 200 "CONSTRUCT $1"
  expect_header "Content-Type: $1" "CONSTRUCT $1: type"
  expect_eq "$(rdf_count "$2")" "$triples" "CONSTRUCT $1: the same triples"
done
sel "$describe" text/turtle
expect_status 200 "DESCRIBE Turtle"
expect_rdf turtle "DESCRIBE Turtle"
sel "$describe" ''
expect_header "Content-Type: text/turtle" "DESCRIBE without Accept: Turtle"

# JSON-LD: served when the library writes it, else 406 when it is all the
# client takes. A JSON-LD body must hold the quads of the N-Quads answer to
# the same request, read by ../jsonld/check.py and, where node and npm are,
# by jsonld.js (../jsonld/lib.sh).
if server_writes_jsonld; then
  . "$(dirname "$0")/../jsonld/lib.sh"
  processor=0
  jsonld_processor && processor=1
  # expect_jsonld LABEL PATH [CURL ARGS...]
  expect_jsonld() {
    local label=$1 path=$2 msg
    shift 2
    get "$path" "$@" -H 'Accept: application/n-quads'
    cp "$WORK/body" "$WORK/jsonld.nq"
    get "$path" "$@" -H 'Accept: application/ld+json'
    expect_status 200 "$label"
    expect_header "Content-Type: application/ld+json" "$label: type"
    check; msg=$(jsonld_shape "$WORK/body" --nquads "$WORK/jsonld.nq" 2>&1) || fail "$label: $msg"
    [ "$processor" = 1 ] || return 0
    check; msg=$(jsonld_same "$WORK/body" "$WORK/jsonld.nq" 2>&1) || fail "$label: jsonld.js: $msg"
  }
  expect_jsonld "CONSTRUCT JSON-LD" sparql -G --data-urlencode "query=$construct"
  expect_jsonld "DESCRIBE JSON-LD" sparql -G --data-urlencode "query=$describe"
  expect_jsonld "a resource page as JSON-LD" id/agency/iit-hyderabad
  expect_jsonld "VoID as JSON-LD" .well-known/void
  expect_body '"void": "http://rdfs.org/ns/void#"' "VoID as JSON-LD: compact IRIs"
else
  sel "$construct" application/ld+json
  expect_status 406 "JSON-LD before the library writes it"
  expect_no_body "application/ld+json" "406 does not offer JSON-LD"
  sel "$construct" 'application/ld+json, text/turtle;q=0.5'
  expect_header "Content-Type: text/turtle" "JSON-LD preferred but Turtle taken"
fi

# --- q-values and wildcards ------------------------------------------------------
sel "$select" 'text/csv;q=0.5, application/sparql-results+xml'
expect_header "Content-Type: application/sparql-results+xml" "the higher q wins"
sel "$select" 'text/csv;q=0.9, application/sparql-results+xml;q=0.1'
expect_header "Content-Type: text/csv" "q=0.9 over q=0.1"
sel "$select" 'text/*'
expect_header "Content-Type: text/csv" "text/* gives the first text type"
sel "$select" '*/*'
expect_header "Content-Type: application/sparql-results+json" "*/* gives JSON"
sel "$select" 'text/html, */*;q=0.1'
expect_header "Content-Type: application/sparql-results+json" "a browser's Accept"
sel "$select" 'application/*;q=0.2, application/sparql-results+json;q=0'
expect_header "Content-Type: application/sparql-results+xml" "q=0 refuses a type"
sel "$select" 'TEXT/CSV'
expect_header "Content-Type: text/csv" "media types ignore case"
sel "$select" 'text/csv;charset=utf-8;q=0.8, application/sparql-results+xml;q=0.7'
expect_header "Content-Type: text/csv" "parameters besides q"
sel "$select" 'nonsense, text/csv'
expect_header "Content-Type: text/csv" "a malformed range is skipped"
sel "$construct" 'application/*'
expect_header "Content-Type: application/n-triples" "application/* for a graph"

# --- 406 ----------------------------------------------------------------------
sel "$select" 'image/png'
expect_status 406 "SELECT as PNG"
expect_header "Content-Type: text/plain" "406 is text"
for t in application/sparql-results+json application/sparql-results+xml text/csv text/tab-separated-values; do
  expect_body "$t" "406 lists $t"
done
sel "$construct" 'text/csv'
expect_status 406 "CONSTRUCT as CSV"
sel "$select" 'text/csv;q=0'
expect_status 406 "the only type refused"

stop_server
finish
