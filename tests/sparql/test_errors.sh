# Errors: --timeout stops long queries quickly with one line; malformed
# queries give SOURCE:LINE:COL and never crash; bad options exit 2.
. "$(dirname "$0")/lib.sh"
need python3

# A ring of 2,000 nodes (:n0 :p :n1 ... :n1999 :p :n0).
awk 'BEGIN { print "@prefix : <http://ex.org/> ."
  for (i = 0; i < 2000; i++) printf ":n%d :p :n%d .\n", i, (i + 1) % 2000 }' >"$WORK/ring.ttl"
RING=(--data "$WORK/ring.ttl")

# timed_out LABEL LIMIT: the last run stopped with exit 1, one line on stderr
# that speaks of time, within LIMIT seconds of wall clock.
timed_out() {
  expect_code 1 "$1: exit 1"
  expect_one_line_err "$1"
  expect_err_re "time" "$1: the message mentions time"
  checks=$((checks + 1))
  [ "$elapsed" -le "$2" ] || fail "$1: took ${elapsed}s with --timeout 1"
}

# A cross product of three patterns (8e9 rows) under --timeout 1.
start=$(date +%s%N)
q "${RING[@]}" --timeout 1 -e "$PFX SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
elapsed=$(elapsed_since "$start")
timed_out "--timeout 1, cross product" 8

# The same rows streamed without an aggregate, sorted: every operator that
# gathers its input (ORDER BY here) must notice the deadline too.
start=$(date +%s%N)
q "${RING[@]}" --timeout 1 -e "$PFX SELECT ?a ?c { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f } ORDER BY ?a"
elapsed=$(elapsed_since "$start")
timed_out "--timeout 1, ORDER BY over a cross product" 8

# A deep path, both ways round the ring: (:p|^:p)* from every node reaches
# every node, joined twice (8e9 rows).
start=$(date +%s%N)
q "${RING[@]}" --timeout 1 -e "$PFX SELECT (COUNT(*) AS ?n) { ?a (:p|^:p)* ?b . ?b (:p|^:p)* ?c }"
elapsed=$(elapsed_since "$start")
timed_out "--timeout 1, (:p|^:p)* over a ring" 8

# --explain --time runs the plan under the deadline too.
start=$(date +%s%N)
run query --no-infer "${RING[@]}" --timeout 1 --explain --time -e "$PFX SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
elapsed=$(elapsed_since "$start")
timed_out "--timeout 1 --explain --time" 8

# --timeout with --engine rasqal: it must stop too (or be refused as a
# usage error), not run on. The run is bounded by timeout(1) at 15 s.
# Rasqal cannot be stopped in the middle of a query: --timeout with
# --engine rasqal is refused at once (exit 2) rather than ignored.
if command -v timeout >/dev/null; then
  start=$(date +%s%N)
  timeout 15 "$KIZUNA" query --no-infer "${RING[@]}" --engine rasqal --timeout 1 \
    -e "$PFX SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }" >"$WORK/out" 2>"$WORK/err"
  code=$?
  elapsed=$(elapsed_since "$start")
  checks=$((checks + 1))
  [ "$code" = 2 ] && [ "$elapsed" -le 8 ] ||
    fail "--engine rasqal --timeout 1: exit $code after ${elapsed}s (124: killed by timeout(1))"
fi

# Under --timeout a short query still answers.
q "${RING[@]}" --timeout 5 -e "$PFX SELECT ?b { :n1999 :p ?b }"
expect_rows '?b
:n0' "a short query under --timeout"

# A bad --timeout is a usage error.
q "${RING[@]}" --timeout 0 -e 'ASK {}'
expect_code 2 "--timeout 0"

# ---- Malformed queries: exit 1, one line SOURCE:LINE:COL: message ----
SMALL=(--data "$DATA/people.ttl")
POS='^[^:]+:[0-9]+:[0-9]+: '

# An unterminated string, on line 3.
q "${SMALL[@]}" -e 'SELECT ?s
WHERE {
  ?s ?p "abc
}'
expect_code 1 "unterminated string"
expect_err_re "^query:3:[0-9]+: .*string" "unterminated string: position and cause"
expect_one_line_err "unterminated string"

# An unknown prefix.
q "${SMALL[@]}" -e 'SELECT ?s { ?s nope:p ?o }'
expect_code 1 "unknown prefix"
expect_err_re "${POS}.*nope" "unknown prefix: position and name"
expect_one_line_err "unknown prefix"

# 10,000 nested groups (and parentheses, and paths), from a file: refused
# with the file's name and a position, not a stack overflow.
nest() { python3 -c "import sys; n = 10000; print(sys.argv[1] + sys.argv[2] * n + sys.argv[3] + sys.argv[4] * n + sys.argv[5])" "$@"; }
nest 'SELECT * WHERE ' '{' ' ?s ?p ?o ' '}' '' >"$WORK/groups.rq"
nest 'ASK { FILTER(' '(' '1' ')' ') }' >"$WORK/parens.rq"
nest 'ASK { ?s ' '(' '<http://ex.org/p>' ')' ' ?o }' >"$WORK/paths.rq"
nest 'SELECT * WHERE { ' '{ SELECT * WHERE ' '{ ?s ?p ?o }' ' }' ' }' >"$WORK/subqueries.rq"
for f in groups parens paths subqueries; do
  q "${SMALL[@]}" "$WORK/$f.rq"
  expect_code 1 "10,000 nested $f"
  expect_err_re "^$WORK/$f.rq:1:[0-9]+: |^$f.rq:1:[0-9]+: " "10,000 nested $f: SOURCE:LINE:COL"
  expect_one_line_err "10,000 nested $f"
  run query --check "$WORK/$f.rq"
  expect_code 1 "10,000 nested $f, --check"
done

# Other malformed queries: each one line with a position, exit 1.
while IFS= read -r bad; do
  q "${SMALL[@]}" -e "$bad"
  expect_code 1 "malformed: $bad"
  expect_err_re "$POS" "malformed: $bad: SOURCE:LINE:COL"
  expect_one_line_err "malformed: $bad"
done <<'EOF'
SELECT ?s { ?s ?p ?o
SELECT ?s { ?s ?p ?o } ORDER BY
SELECT (COUNT(*) AS ?n) ?s { ?s ?p ?o }
SELECT ?s { ?s ?p ?o } LIMIT -1
SELECT ?s { ?s :p ?o }
SELECT ?s { ?s <http://ex.org/p ?o }
SELECT ?s { BIND(1 AS ?s) BIND(2 AS ?s) }
SELECT ?s { ?s ?p ?o FILTER(?o = ) }
SELECT ?s { ?s ?p 'abc }
SELECT ?s { ?s ?p "\q" }
SELECT ?s { ?s ?p ?o } VALUES (?s ?o) { (1) }
ASK { ?s (<http://ex.org/p>|) ?o }
SELECT * { ?s ?p ?o } GROUP BY ?s
EOF

# The empty query.
q "${SMALL[@]}" -e ''
expect_code 1 "empty query"
expect_one_line_err "empty query"

# ---- Bad options ----
q "${SMALL[@]}" --engine foo -e 'ASK {}'
expect_code 2 "--engine foo"
expect_err "foo" "--engine foo names the engine"
expect_one_line_err "--engine foo"

# Rasqal refuses a malformed query cleanly too.
rasqal_runs "malformed query" "${SMALL[@]}" -e 'SELECT ?s { ?s ?p "abc }'
expect_code 1 "rasqal: malformed query"

finish
