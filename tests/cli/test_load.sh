# Loading: syntaxes, positioned syntax errors, atomicity, persistence, locks.
. "$(dirname "$0")/lib.sh"

for f in small.ttl small.nt small.nq small.trig small.rdf small.rj; do
  run load "$FX/$f"; expect_code 0 "load $f"; expect_out "new triples" "load $f"
done
run load --syntax turtle "$FX/small.ttl"; expect_code 0 "--syntax"
run load --syntax klingon "$FX/small.ttl"; expect_code 1 "unknown syntax"; expect_err "unknown syntax" "unknown syntax"

# A syntax error names FILE:LINE:COL and exits 1, on one line.
run load "$FX/bad.ttl"; expect_code 1 "bad turtle"; expect_err "bad.ttl:3:11: " "bad turtle"
expect_one_line_err "bad turtle"
run load "$FX/bad.nt"; expect_code 1 "bad ntriples"; expect_err "bad.nt:2:" "bad ntriples"
run load "$WORK/nope.ttl"; expect_code 1 "missing file"; expect_err "nope.ttl: cannot open" "missing file"

# A persistent store: loaded by one process, queried by another.
db="sqlite:$WORK/s.db"
run load --store "$db" "$FX/small.ttl"; expect_code 0 "sqlite load"; expect_out "11 new triples" "sqlite load"
run query --store "$db" -f csv -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
expect_code 0 "sqlite query"; expect_out "11" "sqlite query"
# A broken file leaves it exactly as it was, even when the file is partly good.
run load --store "$db" "$FX/small.nt" "$FX/bad.nt"; expect_code 1 "sqlite bad load"
run stats --store "$db"; expect_out "quads 13" "store unchanged by the broken file"
# Loading the same file again adds nothing.
run load --store "$db" "$FX/small.ttl"; expect_out "0 new triples" "reload"
# Named graphs: --graph and the file IRI.
run load --store "$db" --graph http://example.org/mine "$FX/small.nt"; expect_code 0 "--graph"
run query --store "$db" -f tsv -e 'SELECT ?g WHERE { GRAPH ?g { <http://example.org/b> ?p "B" } } ORDER BY ?g'
expect_out "<http://example.org/mine>" "named graph"; expect_out "small.nt>" "file graph"
# The default graph is the union of the graphs.
run query --store "$db" -f csv -e 'ASK { <http://example.org/lab1> ?p ?o . <http://example.org/b> ?q "B" }'
expect_out "true" "union default graph"

# Another process is writing: a clear error, not a wait or a corruption.
if command -v flock >/dev/null; then
  flock -x "$WORK/s.db.lock" -c "sleep 3" & holder=$!
  sleep 0.5
  run query --store "$db" -e 'ASK {}'; expect_code 1 "locked read"; expect_err "being written by another process" "locked read"
  run load --store "$db" "$FX/small.nt"; expect_code 1 "locked write"; expect_err "in use by another process" "locked write"
  wait $holder
fi
run query --store "sqlite:$WORK/missing.db" -e 'ASK {}'; expect_code 1 "missing store"; expect_err "no such store" "missing store"
echo "not a database" >"$WORK/text.db"
run load --store "sqlite:$WORK/text.db" "$FX/small.ttl"; expect_code 1 "foreign file"; expect_err "not an SQLite store" "foreign file"
expect_eq "$(cat "$WORK/text.db")" "not a database" "foreign file untouched"
run query --store "$db" --data "$FX/small.ttl" -e 'ASK {}'; expect_code 2 "--data with a persistent store"
finish
