# kizuna query --check and --explain: Kizuna's own SPARQL parser and
# algebra, driven from the command line. Neither opens a store.
. "$(dirname "$0")/lib.sh"

run query --check -e 'PREFIX : <http://ex/> SELECT ?x { ?x :p+/^:q ?y MINUS { ?y :r [] } }'
expect_code 0 "check valid"; expect_eq "$out$err" "" "check prints nothing when valid"

printf 'SELECT * {\n ?s ?p ?o\n WHERE }\n' >"$WORK/bad.rq"
run query --check "$WORK/bad.rq"
expect_code 1 "check invalid"; expect_one_line_err "check invalid"
expect_err "$WORK/bad.rq:3:2: expected '.', a graph pattern or '}' but found 'WHERE'" "check invalid"

printf 'SELECT ?p (COUNT(?o) AS ?n) { ?s ?p ?o }' >"$WORK/group.rq"
run query --check - <"$WORK/group.rq"
expect_code 1 "check stdin"; expect_err "stdin:1:8: ?p is selected but not grouped" "check stdin"

run query --check -e 'SELECT * { ?s ?p ?o . BIND(1 AS ?o) }'
expect_code 1 "BIND scope"; expect_err "query:1:33: BIND cannot assign ?o" "BIND scope"

# 10,000 nested parentheses give an error, not a crash
run query --check -e "SELECT * { FILTER$(printf '(%.0s' $(seq 10000)) }"
expect_code 1 "deep nesting"; expect_err "nests deeper than 256 levels" "deep nesting"

# --check and --explain never open the store
run query --check --store sqlite:"$WORK/none/store.db" -e 'ASK {}'
expect_code 0 "no store opened"

run query --explain --base http://b/ -e 'SELECT ?s (COUNT(*) AS ?n) { ?s <p>/<q> ?o } GROUP BY ?s'
expect_code 0 explain
# the algebra first, then the plan (run on the bundled data)
expect_eq "${out%%$'\n\nplan'*}" "(project (?s ?n)
  (extend ((?n ?.0))
    (group (?s) ((?.0 (count)))
      (bgp
        (triple ?s <http://b/p> ??P0)
        (triple ??P0 <http://b/q> ?o)))))" "explain output"
expect_out "plan (estimated rows):" "explain plan"
expect_out "(group (hash)" "explain plan operators"

run query --explain -e 'SELECT * { ?s ?p }'
expect_code 1 "explain invalid"; expect_one_line_err "explain invalid"

run query --check --explain -e 'ASK {}'; expect_code 2 "check and explain"
run query --check -f json -e 'ASK {}'; expect_code 2 "check with a format"

# The bundled queries are standard SPARQL 1.1.
for query in "$KZ_SOURCE_DIR"/queries/*.rq; do
  run query --check "$query"
  expect_code 0 "bundled query $(basename "$query")"
done
finish
