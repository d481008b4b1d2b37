# CONSTRUCT, CONSTRUCT WHERE, ASK and DESCRIBE with Kizuna's engine.
# Graph results are read as N-Triples, compacted and sorted (a graph has no
# order); blank node labels are compared by structure, not by name.
. "$(dirname "$0")/lib.sh"

# g DATAFILE QUERY: runs a CONSTRUCT/DESCRIBE as N-Triples; $rows is the
# sorted compacted triples.
g() {
  run query --no-infer -f ntriples --data "$DATA/$1" -e "$PFX$2"
  rows=$(compact <"$WORK/out" | LC_ALL=C sort)
}
# bnodes_as_B: the same triples with every blank node label written _:B.
bnodes_as_B() { sed 's/_:[A-Za-z0-9]*/_:B/g' <<<"$rows" | LC_ALL=C sort; }
# distinct_bnodes: how many different blank node labels $rows has.
distinct_bnodes() { grep -o '_:[A-Za-z0-9]*' <<<"$rows" | sort -u | wc -l; }

# ---- CONSTRUCT: template blank nodes are fresh for each solution ----
g people.ttl 'CONSTRUCT { ?x :card _:c . _:c :label ?n } WHERE { ?x :name ?n }'
expect_code 0 "CONSTRUCT with a template blank node"
expect_eq "$(wc -l <<<"$rows")" 8 "CONSTRUCT: 2 triples for each of 4 solutions"
expect_eq "$(distinct_bnodes)" 4 "CONSTRUCT: one fresh blank node per solution"
# Within one solution the blank node is the same in both triples: each
# card's blank node carries that person's name.
pairs=$(awk '$2 == ":card" { card[$3] = $1 } $2 == ":label" { label[$1] = $3 }
  END { for (b in card) print card[b], label[b] }' <<<"$rows" | sort)
expect_eq "$pairs" ':alice "Alice"
:bob "Bob"
:carol "Carol"
:dave "Dave"' "CONSTRUCT: a template blank node is shared within a solution"

# Invalid triples are skipped, not an error: a literal subject (?n), a
# literal predicate (?n), an unbound variable (?m for bob).
g people.ttl 'CONSTRUCT { ?x :friendOf ?y . ?n :bad ?x . ?x ?n ?y . ?x :mail ?m } WHERE { ?x :knows ?y ; :name ?n OPTIONAL { ?x :mbox ?m } }'
expect_code 0 "CONSTRUCT with invalid triples"
expect_eq "$rows" ':alice :friendOf :bob .
:alice :friendOf :carol .
:alice :mail <mailto:alice@ex.org> .
:bob :friendOf :carol .' "CONSTRUCT skips invalid triples"

# A triple made by several solutions is written once.
g people.ttl 'CONSTRUCT { ?x a :Person . :people :have :members } WHERE { ?x :knows ?y }'
expect_eq "$rows" ':alice <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> :Person .
:bob <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> :Person .
:people :have :members .' "CONSTRUCT writes a duplicate triple once"

# No solution, no triple (and no error).
g people.ttl 'CONSTRUCT { ?x a :Person } WHERE { ?x :nothing ?y }'
expect_code 0 "CONSTRUCT with no solution"
expect_eq "$rows" "" "CONSTRUCT with no solution is empty"

# CONSTRUCT WHERE: the pattern is the template.
g people.ttl 'CONSTRUCT WHERE { ?x :knows ?y . ?y :age ?a }'
expect_eq "$rows" ':alice :knows :bob .
:alice :knows :carol .
:bob :age "25"^^xsd:integer .
:bob :knows :carol .
:carol :age "35"^^xsd:integer .' "CONSTRUCT WHERE"

# CONSTRUCT with LIMIT limits the solutions, not the triples.
g people.ttl 'CONSTRUCT { ?x :k ?y . ?y :k ?x } WHERE { ?x :knows ?y } ORDER BY ?x ?y LIMIT 1'
expect_eq "$rows" ':alice :k :bob .
:bob :k :alice .' "CONSTRUCT + ORDER BY + LIMIT"

# ---- ASK ----
ask() { run query --no-infer -f json --data "$DATA/$1" -e "$PFX$2"; }
ask people.ttl 'ASK { :alice :knows :bob }'
expect_code 0 "ASK true"; expect_out '"boolean": true' "ASK true"
ask people.ttl 'ASK { :alice :knows :dave }'
expect_code 0 "ASK false"; expect_out '"boolean": false' "ASK false"
ask people.ttl 'ASK { }'
expect_out '"boolean": true' "ASK of the empty pattern is true"
ask people.ttl 'ASK { ?x :age ?a FILTER(?a > 100) }'
expect_out '"boolean": false' "ASK with a filter that removes all"
ask paths.ttl 'ASK { :x kz:partOf+ :d }'
expect_out '"boolean": true' "ASK with a path"

# ---- DESCRIBE ----
# DESCRIBE <iri>: its triples and, recursively, those of the blank nodes it
# reaches; not :nims (an IRI), not :other's triple about it.
g describe.ttl 'DESCRIBE :lab'
expect_code 0 "DESCRIBE :lab"
expect_eq "$(bnodes_as_B)" ':lab :address _:B .
:lab :name "Joint Lab" .
:lab :partner :nims .
_:B :city "Tsukuba" .
_:B :geo _:B .
_:B :lat "36.05" .' "DESCRIBE: the resource and its blank-node closure"
expect_eq "$(distinct_bnodes)" 2 "DESCRIBE: two blank nodes"
# The structure: :lab's address has the city and the geo, the geo the lat.
chain=$(awk '$2 == ":address" { a = $3 } $2 == ":geo" { g[$1] = $3 } $2 == ":lat" { lat[$1] = $3 }
  $2 == ":city" { city[$1] = $3 } END { print city[a], lat[g[a]] }' <<<"$rows")
expect_eq "$chain" '"Tsukuba" "36.05"' "DESCRIBE: the blank nodes keep their links"

# DESCRIBE ?x WHERE: the described nodes come from the solutions.
g describe.ttl 'DESCRIBE ?x WHERE { ?x :name "NIMS" }'
expect_eq "$(bnodes_as_B)" ':nims :address _:B .
:nims :name "NIMS" .
_:B :city "Tsukuba" .' "DESCRIBE ?x WHERE"

# A cycle of blank nodes ends.
g describe.ttl 'DESCRIBE :loop'
expect_eq "$(bnodes_as_B)" ':loop :ring _:B .
_:B :next _:B .
_:B :next _:B .' "DESCRIBE through a cycle of blank nodes"
expect_eq "$(distinct_bnodes)" 2 "DESCRIBE through a cycle: two blank nodes"

# DESCRIBE of an IRI with no triple: empty, exit 0.
g describe.ttl 'DESCRIBE :nothing'
expect_code 0 "DESCRIBE of an unknown IRI"
expect_eq "$rows" "" "DESCRIBE of an unknown IRI is empty"

finish
