# --explain prints the SPARQL algebra and the physical plan; with --time it
# runs the plan and shows the actual rows of each operator. --time alone
# prints the timings and the row count to stderr; --repeat N the median.
. "$(dirname "$0")/lib.sh"
P=(--no-infer --data "$DATA/people.ttl")

# plan_part: the plan, after the algebra (from the "plan (" line on).
plan_part() { sed -n '/^plan (/,$p' "$WORK/out"; }
# expect_plan TEXT LABEL: the plan has TEXT.
expect_plan() {
  checks=$((checks + 1))
  plan_part | grep -qF -- "$1" || fail "$2: the plan lacks '$1'"
}

# A join, an OPTIONAL and ORDER BY + LIMIT: the algebra and the plan.
TOPK="$PFX SELECT ?x ?y ?a { ?x :knows ?y . ?y :name ?n OPTIONAL { ?y :age ?a } } ORDER BY ?a LIMIT 2"
run query "${P[@]}" --explain -e "$TOPK"
expect_code 0 "--explain"
expect_out "(slice _ 2" "--explain: algebra slice"
expect_out "(order (?a)" "--explain: algebra order"
expect_out "(leftjoin" "--explain: algebra leftjoin"
expect_out "(bgp" "--explain: algebra bgp"
expect_out "(triple ?x <http://ex.org/knows> ?y)" "--explain: algebra triple"
expect_out "plan (estimated rows):" "--explain: the plan follows"
expect_plan "order (top-k heap)" "--explain: ORDER BY + LIMIT is a top-k heap"
expect_plan "leftjoin (" "--explain: the leftjoin's method"
expect_plan "(bgp" "--explain: plan bgp"
expect_plan "est=" "--explain: estimated rows"
expect_no_out "rows=" "--explain alone does not run the query"
expect_eq "$(wc -c <"$WORK/err")" 0 "--explain: nothing on stderr"

# ORDER BY without LIMIT: a full sort.
run query "${P[@]}" --explain -e "$PFX SELECT ?x { ?x :name ?n } ORDER BY ?n"
expect_plan "order (sort)" "--explain: ORDER BY alone is a sort"

# A join of two groups: a join operator with its method.
run query "${P[@]}" --explain -e "$PFX SELECT * { { ?x :knows ?y } UNION { ?x :name ?n } { ?x :age ?a } }"
expect_code 0 "--explain join"
checks=$((checks + 1))
plan_part | grep -qE '\(join \((index nested loop|hash)\)' ||
  fail "--explain: the plan lacks 'join (index nested loop)' or 'join (hash)'"
expect_plan "(union" "--explain: union"

# A join with a subquery (its results cannot be looked up by index).
run query "${P[@]}" --explain -e "$PFX SELECT * { ?x :knows ?y { SELECT ?x (COUNT(*) AS ?c) { ?x ?p ?o } GROUP BY ?x } }"
checks=$((checks + 1))
plan_part | grep -qE '\(join \((index nested loop|hash)\)' ||
  fail "--explain: the plan of a subquery join lacks a join method"
expect_plan "group (" "--explain: group"

# MINUS, DISTINCT, paths: their operators appear.
run query "${P[@]}" --explain -e "$PFX SELECT DISTINCT ?x { ?x :knows+ ?y MINUS { ?x :age 30 } }"
expect_code 0 "--explain minus/distinct/path"
expect_plan "(minus" "--explain: minus"
expect_plan "(distinct" "--explain: distinct"
expect_plan "(path" "--explain: path"
expect_out "(path+ <http://ex.org/knows>)" "--explain: the path in the algebra"

# --explain --time: runs the plan; every operator line has opens= and rows=,
# with the real counts (the slice gives 2 rows; the knows/name bgp 3).
run query "${P[@]}" --explain --time -e "$TOPK"
expect_code 0 "--explain --time"
expect_out "plan (run: actual opens and rows):" "--explain --time: the plan was run"
ops=$(plan_part | grep -E '^ *\((slice|project|order|leftjoin|join|bgp|filter|union|minus|group|extend|distinct|path)')
checks=$((checks + 1))
[ -n "$ops" ] && ! grep -v 'rows=' <<<"$ops" >/dev/null ||
  fail "--explain --time: an operator without rows="
expect_plan "order (top-k heap)  est=2 opens=1 rows=2" "--explain --time: top-k rows"
checks=$((checks + 1))
plan_part | grep -qE '^ *\(slice .*rows=2$' || fail "--explain --time: slice rows=2"
checks=$((checks + 1))
plan_part | grep -qE '^ *\(leftjoin .*rows=3$' || fail "--explain --time: leftjoin rows=3"
expect_err "2 rows" "--explain --time: the row count on stderr"

# --time: the result on stdout as usual, one line of times on stderr with
# "evaluate" and the row count.
run query "${P[@]}" --time -f tsv -e "$PFX SELECT ?x { ?x :name ?n } ORDER BY ?x"
expect_code 0 "--time"
expect_eq "$(compact <"$WORK/out")" '?x
:alice
:bob
:carol
:dave' "--time: the result is unchanged"
expect_err "evaluate" "--time: evaluate"
expect_err "4 rows" "--time: rows"
expect_err "parse" "--time: parse"
expect_one_line_err "--time"

# --time --repeat 3: the median of 3 runs, the result written once.
run query "${P[@]}" --time --repeat 3 -f tsv -e "$PFX SELECT ?x { ?x :name ?n } ORDER BY ?x"
expect_code 0 "--time --repeat 3"
expect_err "median of 3" "--time --repeat 3"
expect_err "4 rows" "--time --repeat 3: rows"
expect_eq "$(wc -l <"$WORK/out")" 5 "--time --repeat 3: the result once"

# --repeat without --time, or with 0, is a usage error.
run query "${P[@]}" --repeat 3 -e 'ASK {}'
expect_code 2 "--repeat without --time"
run query "${P[@]}" --time --repeat 0 -e 'ASK {}'
expect_code 2 "--repeat 0"

# --explain of a query whose FROM cannot be loaded fails cleanly.
run query --no-infer --explain -e 'SELECT * FROM <http://nowhere.example/> { ?s ?p ?o }'
checks=$((checks + 1))
case $code in 0|1) ;; *) fail "--explain with a bad FROM: exit $code" ;; esac

finish
