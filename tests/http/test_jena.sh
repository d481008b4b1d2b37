#!/usr/bin/env bash
# A third-party SPARQL client: Jena's rsparql (../shared/tools/jena, on
# Debian's libapache-jena-java) queries the endpoint over the SPARQL 1.1
# Protocol and reads the results: SELECT as results (the headline question's
# two joint labs), ASK, and CONSTRUCT as a graph. Skipped when Java, Jena or
# ../shared is absent.
. "$(dirname "$0")/lib.sh"
JENA=$KZ_SOURCE_DIR/../shared/tools/jena
[ -x "$JENA" ] || { echo "SKIP: $JENA is not there"; exit 77; }
need java
"$JENA" arq.rsparql --version >/dev/null 2>&1 || [ $? -ne 3 ] || { echo "SKIP: Jena is not installed"; exit 77; }

start_server --quiet

cat >"$WORK/select.rq" <<'Q'
PREFIX kz: <https://w3id.org/kizuna/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?lab ?name WHERE {
  ?lab a kz:JointLab ; rdfs:label ?name ;
       kz:involves <https://w3id.org/kizuna/id/agency/iit-hyderabad> .
} ORDER BY ?lab
Q
"$JENA" arq.rsparql --service "${URL}sparql" --query "$WORK/select.rq" --results csv >"$WORK/out" 2>"$WORK/err"
code=$?
expect_eq "$code" 0 "rsparql SELECT: exit 0 ($(head -c 300 "$WORK/err"))"
check; grep -q "^https://w3id.org/kizuna/id/lab/iith-nims-joint-research-center,IITH-NIMS Joint Research Center" "$WORK/out" ||
  fail "rsparql SELECT: the IITH-NIMS lab ($(head -c 300 "$WORK/out"))"
check; grep -q "^https://w3id.org/kizuna/id/lab/india-japan-joint-lab-data-science-farming-support," "$WORK/out" ||
  fail "rsparql SELECT: the farming lab"
expect_eq "$(grep -c '^https://' "$WORK/out")" 2 "rsparql SELECT: two rows"

# Jena's own text table, from the XML or JSON it negotiated
"$JENA" arq.rsparql --service "${URL}sparql" --query "$WORK/select.rq" >"$WORK/out" 2>"$WORK/err"
check; grep -q "IITH-NIMS Joint Research Center" "$WORK/out" || fail "rsparql text table"

echo 'ASK { <https://w3id.org/kizuna/id/agency/iit-hyderabad> ?p ?o }' >"$WORK/ask.rq"
"$JENA" arq.rsparql --service "${URL}sparql" --query "$WORK/ask.rq" >"$WORK/out" 2>"$WORK/err"
check; grep -qi "yes\|true" "$WORK/out" || fail "rsparql ASK ($(cat "$WORK/out" "$WORK/err" | head -c 300))"

cat >"$WORK/construct.rq" <<'Q'
PREFIX kz: <https://w3id.org/kizuna/ontology#>
CONSTRUCT { ?lab a kz:JointLab } WHERE { ?lab a kz:JointLab }
Q
"$JENA" arq.rsparql --service "${URL}sparql" --query "$WORK/construct.rq" --results ntriples >"$WORK/out" 2>"$WORK/err"
check; grep -q "<https://w3id.org/kizuna/id/lab/iith-nims-joint-research-center> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kizuna/ontology#JointLab>" "$WORK/out" ||
  fail "rsparql CONSTRUCT ($(cat "$WORK/out" "$WORK/err" | head -c 300))"

stop_server
finish
