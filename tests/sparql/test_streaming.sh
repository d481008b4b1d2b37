# Streaming: with LIMIT, evaluation stops as soon as it has enough rows,
# whatever the size of the data (200,000 triples here). No timing is
# asserted, but each query runs under --timeout 20, and the plan's actual
# row counts show that the scan stopped early.
. "$(dirname "$0")/lib.sh"
skip_under_sanitizers "200,000 triples"

# 100,000 subjects with two triples each: :sI :p :oJ ; :q "I".
awk 'BEGIN { print "@prefix : <http://ex.org/> ."
  for (i = 0; i < 100000; i++) printf ":s%d :p :o%d ; :q \"%d\" .\n", i, i % 1000, i }' >"$WORK/big.ttl"
BIG=(--data "$WORK/big.ttl" --timeout 20)

# The first triple of all, and exactly one.
q "${BIG[@]}" -e 'SELECT * { ?s ?p ?o } LIMIT 1'
expect_code 0 "LIMIT 1 over 200,000 triples"
expect_eq "$(head -1 <<<"$rows")" '?s|?p|?o' "LIMIT 1: the columns"
expect_eq "$(wc -l <<<"$rows")" 2 "LIMIT 1: one row"

# The whole store is there (so LIMIT 1 above was not answering on less).
q "${BIG[@]}" -e 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }'
expect_rows '?n
"200000"^^xsd:integer' "COUNT(*) of the big file"

# The plan, run: the scan produced 1 row, not 200,000.
run query --no-infer "${BIG[@]}" --explain --time -e 'SELECT * { ?s ?p ?o } LIMIT 1'
expect_code 0 "--explain --time LIMIT 1"
checks=$((checks + 1))
grep -qE '^ *\(bgp .*rows=1$' "$WORK/out" || fail "LIMIT 1: the bgp stopped after 1 row"

# A join streams too: LIMIT 3 over ?s :p ?o . ?s :q ?l reads 3 rows.
q "${BIG[@]}" -e "$PFX SELECT ?s ?o ?l { ?s :p ?o . ?s :q ?l } LIMIT 3"
expect_code 0 "join LIMIT 3"
expect_eq "$(($(wc -l <<<"$rows") - 1))" 3 "join LIMIT 3: three rows"
checks=$((checks + 1))
awk -F'|' 'NR > 1 { s = $1; sub(/^:s/, "", s); o = $2; sub(/^:o/, "", o)
  if ($3 != "\"" s "\"" || o != s % 1000) bad = 1 } END { exit bad }' <<<"$rows" ||
  fail "join LIMIT 3: rows that do not belong together: $rows"
run query --no-infer "${BIG[@]}" --explain --time -e "$PFX SELECT * { ?s :p ?o . ?s :q ?l } LIMIT 3"
checks=$((checks + 1))
grep -qE '^ *\(bgp .*rows=3$' "$WORK/out" || fail "join LIMIT 3: the bgp stopped after 3 rows"

# ORDER BY + LIMIT over everything: a top-k heap, the right answer.
q "${BIG[@]}" -e "$PFX SELECT ?s { ?s :q ?l } ORDER BY DESC(?l) LIMIT 2"
expect_rows '?s
:s99999
:s99998' "ORDER BY DESC + LIMIT 2 over 100,000 rows"

# A path from one node stops at LIMIT too, and a bound subject is quick.
q "${BIG[@]}" -e "$PFX SELECT ?o { :s4242 :p/^:p ?o } LIMIT 1"
expect_code 0 "path LIMIT 1"
expect_eq "$(($(wc -l <<<"$rows") - 1))" 1 "path LIMIT 1: one row"
q "${BIG[@]}" -e "$PFX SELECT (COUNT(*) AS ?n) { :s4242 :p/^:p ?o }"
expect_rows '?n
"100"^^xsd:integer' "path p/^p: the 100 subjects sharing :o242"

finish
