# Joins, OPTIONAL, UNION, MINUS and EXISTS corner cases, on people.ttl:
#   alice (30) knows bob and carol, has a mbox; bob (25) knows carol;
#   carol (35); dave (no age, knows nobody).
. "$(dirname "$0")/lib.sh"

# OPTIONAL with a filter on both sides: only friends older than oneself.
# The filter is the leftjoin's condition, so it sees the outer ?a.
qe people.ttl 'SELECT ?x ?y { ?x :age ?a OPTIONAL { ?x :knows ?y . ?y :age ?b FILTER(?b > ?a) } } ORDER BY ?x ?y'
expect_rows '?x|?y
:alice|:carol
:bob|:carol
:carol|' "OPTIONAL with a filter using both sides"

# Nested OPTIONALs: friends, and the friends' friends when there are some.
qe people.ttl 'SELECT ?x ?y ?z { ?x :name ?n OPTIONAL { ?x :knows ?y OPTIONAL { ?y :knows ?z } } } ORDER BY ?x ?y ?z'
expect_rows '?x|?y|?z
:alice|:bob|:carol
:alice|:carol|
:bob|:carol|
:carol||
:dave||' "nested OPTIONALs"

# A filter directly inside OPTIONAL may use an outer variable (it is the
# leftjoin's condition): alice (30) keeps her friends, bob (25) does not.
qe people.ttl 'SELECT ?x ?y { ?x :age ?a OPTIONAL { ?x :knows ?y FILTER(?a > 26) } } ORDER BY ?x ?y'
expect_rows '?x|?y
:alice|:bob
:alice|:carol
:bob|
:carol|' "filter of OPTIONAL sees the outer variable"

# One group deeper, the outer ?a is out of scope: the filter is an error,
# which is false, so the OPTIONAL never matches (not a query error).
qe people.ttl 'SELECT ?x ?y { ?x :age ?a OPTIONAL { ?x :knows ?y { FILTER(?a > 26) } } } ORDER BY ?x ?y'
expect_rows '?x|?y
:alice|
:bob|
:carol|' "filter in a nested group: outer variable out of scope"

# OPTIONAL whose right side shares no variable: a cross product when it
# matches ...
qe people.ttl 'SELECT ?x ?m { ?x :age 25 OPTIONAL { ?z :mbox ?m } }'
expect_rows '?x|?m
:bob|<mailto:alice@ex.org>' "OPTIONAL sharing no variable"
# ... and the left rows unchanged when it does not.
qe people.ttl 'SELECT ?x ?m { ?x :age ?a OPTIONAL { ?z :nothing ?m } } ORDER BY ?x'
expect_rows '?x|?m
:alice|
:bob|
:carol|' "OPTIONAL sharing no variable, no match"

# UNION of branches with different variables: each row binds its own.
qe people.ttl 'SELECT ?x ?n ?a { { ?x :name ?n } UNION { ?x :age ?a } } ORDER BY ?x ?n ?a'
expect_rows '?x|?n|?a
:alice||"30"^^xsd:integer
:alice|"Alice"|
:bob||"25"^^xsd:integer
:bob|"Bob"|
:carol||"35"^^xsd:integer
:carol|"Carol"|
:dave|"Dave"|' "UNION with different variables"

# A join on a variable unbound in some rows: ?y is unbound for carol and
# dave (the OPTIONAL failed), so they join with every ?y of the other side.
# The same answer whichever side comes first and whatever the join method
# (a subquery on one side makes it a hash join).
JOIN_UNBOUND='?x|?y|?n
:alice|:bob|"Alice"
:alice|:carol|"Alice"
:bob|:carol|"Bob"
:carol|:alice|"Carol"
:carol|:bob|"Carol"
:carol|:carol|"Carol"
:carol|:dave|"Carol"
:dave|:alice|"Dave"
:dave|:bob|"Dave"
:dave|:carol|"Dave"
:dave|:dave|"Dave"'
LEFT='{ ?x :name ?n OPTIONAL { ?x :knows ?y } }'
for right in '{ ?y :name ?n2 }' '{ SELECT ?y { ?y :name ?n2 } }'; do
  qe people.ttl "SELECT ?x ?y ?n { $LEFT $right } ORDER BY ?x ?y"
  expect_rows "$JOIN_UNBOUND" "join on a sometimes-unbound variable: $right on the right"
  qe people.ttl "SELECT ?x ?y ?n { $right $LEFT } ORDER BY ?x ?y"
  expect_rows "$JOIN_UNBOUND" "join on a sometimes-unbound variable: $right on the left"
done

# A triple pattern after an OPTIONAL that left ?y unbound: ?y is free again.
qe people.ttl 'SELECT ?x ?y ?a { ?x :name ?n OPTIONAL { ?x :knows ?y } ?y :age ?a } ORDER BY ?x ?y'
expect_rows '?x|?y|?a
:alice|:bob|"25"^^xsd:integer
:alice|:carol|"35"^^xsd:integer
:bob|:carol|"35"^^xsd:integer
:carol|:alice|"30"^^xsd:integer
:carol|:bob|"25"^^xsd:integer
:carol|:carol|"35"^^xsd:integer
:dave|:alice|"30"^^xsd:integer
:dave|:bob|"25"^^xsd:integer
:dave|:carol|"35"^^xsd:integer' "pattern after an OPTIONAL, on its unbound variable"

# MINUS with no shared variable removes nothing (not everything).
qe people.ttl 'SELECT ?x { ?x :age ?a MINUS { ?z :mbox ?m } } ORDER BY ?x'
expect_rows '?x
:alice
:bob
:carol' "MINUS sharing no variable"

# MINUS where the shared variable is unbound on the left: dave has no ?a,
# so nothing is shared with the right side and he stays.
qe people.ttl 'SELECT ?x { ?x :name ?n OPTIONAL { ?x :age ?a } MINUS { ?z :age ?a } } ORDER BY ?x'
expect_rows '?x
:dave' "MINUS on a variable unbound on the left"

# MINUS on two variables, some unbound on the left.
qe people.ttl 'SELECT ?x ?y { ?x :name ?n OPTIONAL { ?x :knows ?y } MINUS { ?x :knows ?y . ?y :age 35 } } ORDER BY ?x ?y'
expect_rows '?x|?y
:alice|:bob
:carol|
:dave|' "MINUS on two variables"

# EXISTS with the outer row substituted: people known by someone younger.
qe people.ttl 'SELECT ?x { ?x :age ?a FILTER EXISTS { ?y :knows ?x . ?y :age ?b FILTER(?b < ?a) } } ORDER BY ?x'
expect_rows '?x
:carol' "EXISTS uses the outer variables"

# NOT EXISTS with the substitution too: people with no older friend.
qe people.ttl 'SELECT ?x { ?x :age ?a FILTER NOT EXISTS { ?x :knows ?y . ?y :age ?b FILTER(?b > ?a) } } ORDER BY ?x'
expect_rows '?x
:carol' "NOT EXISTS uses the outer variables"

# EXISTS in the SELECT clause, as a value.
qe people.ttl 'SELECT ?x (EXISTS { ?x :knows ?y } AS ?k) { ?x :name ?n } ORDER BY ?x'
expect_rows '?x|?k
:alice|"true"^^xsd:boolean
:bob|"true"^^xsd:boolean
:carol|"false"^^xsd:boolean
:dave|"false"^^xsd:boolean' "EXISTS as a value"

# BIND in a nested group cannot see the outer ?a: ?z stays unbound.
qe people.ttl 'SELECT ?x ?z { ?x :age ?a { BIND(?a AS ?z) } } ORDER BY ?x'
expect_rows '?x|?z
:alice|
:bob|
:carol|' "BIND in a nested group"

# VALUES with UNDEF joins like an unbound value; (carol 99) matches nothing.
qe people.ttl 'SELECT ?x ?a { ?x :age ?a } VALUES (?x ?a) { (:alice UNDEF) (UNDEF 25) (:carol 99) }'
expect_rows_sorted '?x|?a
:alice|"30"^^xsd:integer
:bob|"25"^^xsd:integer' "VALUES with UNDEF"

finish
