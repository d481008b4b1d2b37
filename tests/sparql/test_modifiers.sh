# Solution modifiers: ORDER BY (mixed kinds, DESC, top-k), DISTINCT,
# REDUCED, GROUP BY/HAVING, aggregates over empty groups, LIMIT and OFFSET.
. "$(dirname "$0")/lib.sh"

# first_column: the first column of $rows without its header.
first_column() { tail -n +2 <<<"$rows" | cut -d'|' -f1 | tr '\n' ' '; }
# before A B LABEL: in the first column, A comes before B.
before() {
  local list=" $(first_column)" ; checks=$((checks + 1))
  case $list in
    *" $1 "*"$2 "*) ;;
    *) fail "$3: $1 is not before $2 in:$list" ;;
  esac
}

# ---- ORDER BY across kinds: unbound < blank node < IRI < literal ----
qe mixed.ttl 'SELECT ?r ?v { ?r ?p ?any OPTIONAL { ?r :v ?v } } ORDER BY ?v ?r'
expect_code 0 "ORDER BY mixed kinds"
expect_eq "$(first_column | cut -d' ' -f1-4)" ":r8 :r4 :r7 :r3" \
  "ORDER BY: unbound, then the blank node, then IRIs (a < z)"
# Among literals: numbers by value (2 < 10, not as text), strings by text.
# SPARQL leaves numbers against strings undefined: not checked.
before :r5 :r2 "ORDER BY numbers by value"
before :r6 :r1 "ORDER BY strings"
before :r3 :r5 "ORDER BY IRIs before literals"
before :r3 :r6 "ORDER BY IRIs before literals"

# DESC reverses the whole order: unbound last, the blank node just before.
qe mixed.ttl 'SELECT ?r ?v { ?r ?p ?any OPTIONAL { ?r :v ?v } } ORDER BY DESC(?v) ?r'
expect_eq "$(first_column | cut -d' ' -f5-8)" ":r3 :r7 :r4 :r8" "ORDER BY DESC: IRIs, blank, unbound last"
before :r2 :r5 "ORDER BY DESC numbers"
before :r1 :r6 "ORDER BY DESC strings"

# Numbers of different datatypes compare by value.
qe people.ttl 'SELECT ?v { VALUES ?v { 10 2.5 "1e0"^^xsd:double 3 "-1"^^xsd:float 0.1 } } ORDER BY DESC(?v)'
expect_rows '?v
"10"^^xsd:integer
"3"^^xsd:integer
"2.5"^^xsd:decimal
"1e0"^^xsd:double
"0.1"^^xsd:decimal
"-1"^^xsd:float' "ORDER BY DESC across numeric datatypes"

# ---- ORDER BY + LIMIT/OFFSET (a top-k heap) is a slice of the full sort ----
# 500 subjects whose values 0..100 repeat (ties broken by ?s), and 7 tags.
{
  echo '@prefix : <http://ex.org/> .'
  for i in $(seq 1 500); do echo ":s$i :v $(((i * 37) % 101)) ; :w \"w$((i % 7))\" ."; done
} >"$WORK/nums.ttl"
N=(--data "$WORK/nums.ttl")
q "${N[@]}" -e "$PFX SELECT ?s ?v { ?s :v ?v } ORDER BY DESC(?v) ?s"
full=$rows
expect_eq "$(wc -l <<<"$full")" 501 "full sort: 500 rows"
for lo in "1 0" "10 0" "10 5" "7 493" "20 495" "3 500" "500 0"; do
  set -- $lo
  q "${N[@]}" -e "$PFX SELECT ?s ?v { ?s :v ?v } ORDER BY DESC(?v) ?s LIMIT $1 OFFSET $2"
  expect_rows "$(head -1 <<<"$full"; tail -n +2 <<<"$full" | tail -n +$(($2 + 1)) | head -n "$1")" \
    "top-k LIMIT $1 OFFSET $2 equals the slice of the full sort"
done
# With ties on the only key, which rows is undefined, their keys are not.
q "${N[@]}" -e "$PFX SELECT ?v { ?s :v ?v } ORDER BY ?v"
asc=$rows
q "${N[@]}" -e "$PFX SELECT ?v { ?s :v ?v } ORDER BY ?v LIMIT 12"
expect_rows "$(head -13 <<<"$asc")" "top-k with ties: the same keys as the full sort"
expect_eq "$(sed -n 13p <<<"$rows")" '"2"^^xsd:integer' "top-k with ties: 12th smallest is 2"

# DISTINCT before the slice: 5 distinct values, not the first 5 rows.
q "${N[@]}" -e "$PFX SELECT DISTINCT ?w { ?s :w ?w } ORDER BY DESC(?w) LIMIT 3 OFFSET 1"
expect_rows '?w
"w5"
"w4"
"w3"' "DISTINCT + ORDER BY + LIMIT/OFFSET"

# GROUP BY then ORDER BY an aggregate then LIMIT: w1..w3 have 72 rows,
# w0 and w4..w6 have 71.
q "${N[@]}" -e "$PFX SELECT ?w (COUNT(*) AS ?n) { ?s :w ?w } GROUP BY ?w ORDER BY DESC(?n) ?w LIMIT 2"
expect_rows '?w|?n
"w1"|"72"^^xsd:integer
"w2"|"72"^^xsd:integer' "ORDER BY an aggregate + LIMIT"

# ---- DISTINCT and REDUCED ----
qe people.ttl 'SELECT DISTINCT ?y { ?x :knows ?y } ORDER BY ?y'
expect_rows '?y
:bob
:carol' "DISTINCT"
# REDUCED may drop some duplicates, or none: the same distinct values, and
# between 2 and 3 rows.
qe people.ttl 'SELECT REDUCED ?y { ?x :knows ?y }'
expect_code 0 "REDUCED"
expect_eq "$(tail -n +2 <<<"$rows" | sort -u | tr '\n' ' ')" ":bob :carol " "REDUCED keeps the values"
n=$(($(wc -l <<<"$rows") - 1))
checks=$((checks + 1)); [ "$n" -ge 2 ] && [ "$n" -le 3 ] || fail "REDUCED: $n rows"

# ---- GROUP BY, HAVING, COUNT(DISTINCT) ----
qe people.ttl 'SELECT ?x (COUNT(?y) AS ?n) { ?x :knows ?y } GROUP BY ?x HAVING (COUNT(?y) > 1)'
expect_rows '?x|?n
:alice|"2"^^xsd:integer' "GROUP BY + HAVING"

qe people.ttl 'SELECT (COUNT(DISTINCT ?y) AS ?d) (COUNT(?y) AS ?all) { ?x :knows ?y }'
expect_rows '?d|?all
"2"^^xsd:integer|"3"^^xsd:integer' "COUNT(DISTINCT) and COUNT"

# GROUP BY a variable unbound in some rows: the unbound make one group.
qe people.ttl 'SELECT ?a (COUNT(?x) AS ?n) { ?x :name ?nm OPTIONAL { ?x :age ?a } } GROUP BY ?a ORDER BY ?a'
expect_rows '?a|?n
|"1"^^xsd:integer
"25"^^xsd:integer|"1"^^xsd:integer
"30"^^xsd:integer|"1"^^xsd:integer
"35"^^xsd:integer|"1"^^xsd:integer' "GROUP BY with an unbound key"

# GROUP BY an expression.
qe people.ttl 'SELECT ?old (COUNT(*) AS ?n) { ?x :age ?a } GROUP BY ((?a > 26) AS ?old) ORDER BY ?old'
expect_rows '?old|?n
"false"^^xsd:boolean|"1"^^xsd:integer
"true"^^xsd:boolean|"2"^^xsd:integer' "GROUP BY an expression"

# ---- Aggregates over nothing ----
# Without GROUP BY: one row; COUNT and SUM are 0, MAX and SAMPLE unbound,
# GROUP_CONCAT the empty string.
qe people.ttl 'SELECT (COUNT(*) AS ?n) (SUM(?a) AS ?s) (MAX(?a) AS ?m) (SAMPLE(?a) AS ?x) (GROUP_CONCAT(?a) AS ?g) { ?p :nothing ?a }'
expect_rows '?n|?s|?m|?x|?g
"0"^^xsd:integer|"0"^^xsd:integer|||""' "aggregates over an empty group, no GROUP BY"
# With GROUP BY: no group, no row.
qe people.ttl 'SELECT ?p (COUNT(*) AS ?n) { ?p :nothing ?a } GROUP BY ?p'
expect_rows '?p|?n' "aggregates with GROUP BY over nothing: no row"
# HAVING false on the single implicit group: no row.
qe people.ttl 'SELECT (COUNT(*) AS ?n) { ?x :name ?nm } HAVING (COUNT(*) > 10)'
expect_rows '?n' "HAVING removes the implicit group"

# ---- LIMIT and OFFSET ----
qe people.ttl 'SELECT ?x { ?x :name ?n } LIMIT 0'
expect_rows '?x' "LIMIT 0"
qe people.ttl 'SELECT ?x { ?x :name ?n } ORDER BY ?x LIMIT 0'
expect_rows '?x' "ORDER BY + LIMIT 0"
qe people.ttl 'SELECT ?x { ?x :name ?n } OFFSET 10'
expect_rows '?x' "OFFSET beyond the end"
qe people.ttl 'SELECT ?x { ?x :name ?n } ORDER BY ?x OFFSET 10 LIMIT 5'
expect_rows '?x' "ORDER BY + OFFSET beyond the end"
qe people.ttl 'SELECT ?x { ?x :name ?n } ORDER BY ?x OFFSET 3'
expect_rows '?x
:dave' "OFFSET to the last row"

# The largest LIMIT with an OFFSET: everything after the offset. OFFSET +
# LIMIT must not overflow (it did: an empty answer, and "signed integer
# overflow" in the sanitizer build), with or without ORDER BY (top-k).
qe people.ttl 'SELECT ?x { ?x :name ?n } ORDER BY ?x LIMIT 9223372036854775807 OFFSET 3'
expect_rows '?x
:dave' "ORDER BY + largest LIMIT + OFFSET"
qe people.ttl 'SELECT ?x { ?x :name ?n } LIMIT 9223372036854775807 OFFSET 1'
expect_eq "$(($(wc -l <<<"$rows") - 1))" 3 "largest LIMIT + OFFSET 1: 3 of 4 rows"
qe people.ttl 'SELECT ?x { ?x :name ?n } ORDER BY ?x LIMIT 9223372036854775807 OFFSET 9223372036854775807'
expect_rows '?x' "largest LIMIT + largest OFFSET"
qe people.ttl 'SELECT DISTINCT ?x { ?x :name ?n } ORDER BY DESC(?x) LIMIT 9223372036854775806 OFFSET 2'
expect_rows '?x
:bob
:alice' "DISTINCT + ORDER BY + huge LIMIT + OFFSET"

finish
