# The dataset: --data (default graph), --named (named graphs, seen only
# through GRAPH), FROM and FROM NAMED with local files and store graphs.
# people.ttl is the default graph (Carol is 35 there); g1.ttl has
# alice/bob :worksAt; g2.ttl has carol :worksAt, carol 36 and alice 30.
# compact() shows the fixtures' file:// IRIs as <g1.ttl>, <g2.ttl>.
. "$(dirname "$0")/lib.sh"
DS=(--data "$DATA/people.ttl" --named "$DATA/g1.ttl" --named "$DATA/g2.ttl")
G1="file://$DATA/g1.ttl" G2="file://$DATA/g2.ttl"

# GRAPH ?g ranges over the --named files, each named by its file IRI.
q "${DS[@]}" -e "$PFX SELECT ?g ?s ?o { GRAPH ?g { ?s :worksAt ?o } } ORDER BY ?g ?s"
expect_rows '?g|?s|?o
<g1.ttl>|:alice|:nims
<g1.ttl>|:bob|:iith
<g2.ttl>|:carol|:nims' "GRAPH ?g over --named files"

# The default graph does not include the named graphs ...
q "${DS[@]}" -e "$PFX SELECT ?s ?o { ?s :worksAt ?o }"
expect_rows '?s|?o' "default graph leaves out the named graphs"
q "${DS[@]}" -e "$PFX SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
expect_rows '?n
"11"^^xsd:integer' "default graph is people.ttl only"
# ... and GRAPH ?g does not include the default graph: alice is 30 in
# people.ttl too, but only g2 is a named graph.
q "${DS[@]}" -e "$PFX SELECT ?g { GRAPH ?g { :alice :age 30 } }"
expect_rows '?g
<g2.ttl>' "GRAPH ?g leaves out the default graph"

# Each graph answers with its own data: Carol is 35 by default, 36 in g2.
q "${DS[@]}" -e "$PFX SELECT ?g ?a { { :carol :age ?a } UNION { GRAPH ?g { :carol :age ?a } } } ORDER BY ?a"
expect_rows '?g|?a
|"35"^^xsd:integer
<g2.ttl>|"36"^^xsd:integer' "default and named graph differ"

# GRAPH with a fixed IRI, and with an IRI that names no graph.
q "${DS[@]}" -e "$PFX SELECT ?s { GRAPH <$G1> { ?s :worksAt :iith } }"
expect_rows '?s
:bob' "GRAPH <file IRI>"
q "${DS[@]}" -e "$PFX SELECT ?s { GRAPH :none { ?s ?p ?o } }"
expect_rows '?s' "GRAPH of an unknown IRI is empty"

# GRAPH ?g {} lists the named graphs; GRAPH ?g with ?g already bound by
# VALUES to a non-graph matches nothing.
q "${DS[@]}" -e "$PFX SELECT ?g { GRAPH ?g { } } ORDER BY ?g"
expect_rows '?g
<g1.ttl>
<g2.ttl>' "GRAPH ?g {} lists the named graphs"
q "${DS[@]}" -e "$PFX SELECT ?g { VALUES ?g { :none } GRAPH ?g { ?s ?p ?o } }"
expect_rows '?g' "GRAPH ?g bound to a non-graph"

# A join inside and outside GRAPH: who works at NIMS (named graphs), and
# their age in the default graph.
q "${DS[@]}" -e "$PFX SELECT ?g ?x ?a { GRAPH ?g { ?x :worksAt :nims } ?x :age ?a } ORDER BY ?g"
expect_rows '?g|?x|?a
<g1.ttl>|:alice|"30"^^xsd:integer
<g2.ttl>|:carol|"35"^^xsd:integer' "join of GRAPH and default graph"

# OPTIONAL { GRAPH ?g ... } from the default graph.
q "${DS[@]}" -e "$PFX SELECT ?x ?g { ?x :name ?n OPTIONAL { GRAPH ?g { ?x :worksAt ?o } } } ORDER BY ?x"
expect_rows '?x|?g
:alice|<g1.ttl>
:bob|<g1.ttl>
:carol|<g2.ttl>
:dave|' "OPTIONAL GRAPH ?g"

# EXISTS inside GRAPH reads the same graph: only in g2 does the worker have
# an age (alice's age is in g2, her job in g1).
q "${DS[@]}" -e "$PFX SELECT ?g ?s { GRAPH ?g { ?s :worksAt ?o FILTER EXISTS { ?s :age ?a } } }"
expect_rows '?g|?s
<g2.ttl>|:carol' "EXISTS inside GRAPH uses the active graph"

# A zero-length path inside GRAPH ?g: the nodes of each graph only (bob is
# not in g2, the literals 30 and 36 are).
q "${DS[@]}" -e "$PFX SELECT ?g ?s { GRAPH ?g { ?s :worksAt* ?s } } ORDER BY ?g ?s"
expect_rows '?g|?s
<g1.ttl>|:alice
<g1.ttl>|:bob
<g1.ttl>|:iith
<g1.ttl>|:nims
<g2.ttl>|:alice
<g2.ttl>|:carol
<g2.ttl>|:nims
<g2.ttl>|"30"^^xsd:integer
<g2.ttl>|"36"^^xsd:integer' "zero-length path inside GRAPH ?g"

# Counting per graph.
q "${DS[@]}" -e "$PFX SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
expect_rows '?g|?n
<g1.ttl>|"2"^^xsd:integer
<g2.ttl>|"3"^^xsd:integer' "COUNT per named graph"

# ---- FROM and FROM NAMED with local files (no --data: the query's own
# dataset) ----

# FROM <file:...>: that file is the default graph.
q -e "$PFX SELECT ?s ?o FROM <$G1> { ?s :worksAt ?o } ORDER BY ?s"
expect_rows '?s|?o
:alice|:nims
:bob|:iith' "FROM a local file"

# Two FROMs merge.
q -e "$PFX SELECT ?s ?o FROM <$G1> FROM <$G2> { ?s :worksAt ?o } ORDER BY ?s"
expect_rows '?s|?o
:alice|:nims
:bob|:iith
:carol|:nims' "two FROMs merge"

# FROM NAMED: seen through GRAPH only; the default graph is then empty.
q -e "$PFX SELECT ?g ?s FROM NAMED <$G1> FROM NAMED <$G2> { GRAPH ?g { ?s :worksAt ?o } } ORDER BY ?g ?s"
expect_rows '?g|?s
<g1.ttl>|:alice
<g1.ttl>|:bob
<g2.ttl>|:carol' "FROM NAMED with GRAPH ?g"
q -e "$PFX SELECT ?s FROM NAMED <$G1> { ?s ?p ?o }"
expect_rows '?s' "FROM NAMED only: empty default graph"

# FROM only: there are no named graphs.
q -e "$PFX SELECT ?g FROM <$G1> { GRAPH ?g { ?s ?p ?o } }"
expect_rows '?g' "FROM only: no named graph"

# The same file as FROM and FROM NAMED: in both places.
q -e "$PFX SELECT ?g ?s FROM <$G1> FROM NAMED <$G1> { { ?s :worksAt ?o } UNION { GRAPH ?g { ?s :worksAt ?o } } } ORDER BY ?g ?s"
expect_rows '?g|?s
|:alice
|:bob
<g1.ttl>|:alice
<g1.ttl>|:bob' "the same file FROM and FROM NAMED"

# A FROM IRI that is neither a graph of the store nor a local file: exit 1,
# one line naming it.
q -e "$PFX SELECT ?s FROM <http://nowhere.example/graph> { ?s ?p ?o }"
expect_code 1 "FROM an unknown IRI"
expect_err "http://nowhere.example/graph" "FROM an unknown IRI"
expect_one_line_err "FROM an unknown IRI"
expect_eq "$(wc -c <"$WORK/out")" 0 "FROM an unknown IRI: nothing on stdout"

# A FROM file that does not exist: exit 1, one line naming it.
q -e "$PFX SELECT ?s FROM <file://$DATA/missing.ttl> { ?s ?p ?o }"
expect_code 1 "FROM a missing file"
expect_err "missing.ttl" "FROM a missing file"
expect_one_line_err "FROM a missing file"

# ---- FROM naming graphs of a persistent store ----
db="sqlite:$WORK/s.db"
run load --store "$db" --no-infer --graph http://ex.org/G1 "$DATA/g1.ttl"; expect_code 0 "load G1"
run load --store "$db" --no-infer --graph http://ex.org/G2 "$DATA/g2.ttl"; expect_code 0 "load G2"

# Without FROM: the union of the store's graphs.
q --store "$db" -e "$PFX SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
expect_rows '?n
"5"^^xsd:integer' "store: default graph is the union"

# FROM a store graph selects it; FROM NAMED another one.
q --store "$db" -e "$PFX SELECT ?s ?g FROM :G1 FROM NAMED :G2 { { ?s :worksAt ?o } UNION { GRAPH ?g { ?s :worksAt ?o } } } ORDER BY ?g ?s"
expect_rows '?s|?g
:alice|
:bob|
:carol|:G2' "store: FROM and FROM NAMED store graphs"

# A store graph with an IRI that is nothing: exit 1, one line naming the
# unknown IRI (not the store graph beside it).
q --store "$db" -e "$PFX SELECT ?s FROM :G1 FROM <urn:nowhere> { ?s ?p ?o }"
expect_code 1 "store: FROM a graph and an unknown IRI"
expect_one_line_err "store: FROM a graph and an unknown IRI"
expect_err "urn:nowhere" "store: the error names the unknown IRI"
checks=$((checks + 1))
! grep -qF "http://ex.org/G1" "$WORK/err" || fail "store: the error blames <http://ex.org/G1>, a graph of the store"

# A store graph and a local file together: refused, one line naming both.
q --store "$db" -e "$PFX SELECT ?s FROM :G1 FROM <$G2> { ?s ?p ?o }"
expect_code 1 "store: FROM a store graph and a file"
expect_one_line_err "store: FROM a store graph and a file"
expect_err "http://ex.org/G1" "store: FROM a store graph and a file names the graph"
expect_err "g2.ttl" "store: FROM a store graph and a file names the file"

finish
