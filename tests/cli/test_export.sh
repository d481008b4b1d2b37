# Export and stats: every format parses back with the same number of triples.
. "$(dirname "$0")/lib.sh"
need rapper
D="--data $FX/small.ttl --data $FX/small.nq --data $FX/small.trig --data $FX/small.nt"
# quads: 11 + 2 + 1 (g1's triple is there already) + 2 = 16; distinct triples:
# 15, as small.nt repeats a triple of g1 in its own graph.
for f in turtle:turtle:15 ntriples:ntriples:15 rdfxml:rdfxml:15 nquads:nquads:16 trig:trig:16; do
  fmt=${f%%:*}; rest=${f#*:}; syn=${rest%%:*}; want=${rest#*:}
  run export $D -f "$fmt"; expect_code 0 "export $fmt"
  n=$(rdf_count "$syn" "$WORK/out")
  expect_eq "$n" "$want" "export $fmt parses back with rapper"
done
run export $D -f turtle; expect_out "@prefix rdfs:" "turtle prefixes"
run export $D -f nquads -g http://example.org/g3; expect_code 0 "export one graph"
expect_eq "$(wc -l <"$WORK/out")" 1 "one graph only"
run export $D -g http://example.org/nothing; expect_code 1 "unknown graph"; expect_err "no such graph" "unknown graph"
run export $D -f yaml; expect_code 2 "unknown export format"

run stats $D; expect_code 0 stats
expect_out "quads 16" stats
expect_out "http://example.org/JointLab" "stats classes"
expect_out "graphs (5)" "stats graphs"
finish
