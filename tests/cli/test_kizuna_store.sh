# kizuna:PATH stores: Kizuna's own storage saved as one file. Loads are
# saved (and reloads add nothing), later processes open the file and get the
# same answers, inference is kept up to date, the lock keeps a writer and
# others apart, and a truncated, corrupted or foreign file is refused with
# one clear line, leaving it as it was.
. "$(dirname "$0")/lib.sh"
S="kizuna:$WORK/k.store"
COUNT='SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/kizuna/graph/inferred>) }'

# a store that does not exist yet: readers are told how to make one
run query --store "$S" -e 'ASK {}'
expect_code 1 "missing store"; expect_err "no such store" "missing store"; expect_one_line_err "missing store"
[ ! -e "$WORK/k.store" ] || fail "a reader created the store"

# load, then a fresh process reads the same triples
run load --store "$S" "$FX/small.ttl"
expect_code 0 "load"; expect_out "new triples" "load"
[ -s "$WORK/k.store" ] || fail "load wrote no store file"
run query --store "$S" -f tsv -e "$COUNT"
expect_code 0 "query the saved store"
first=$(tail -n 1 "$WORK/out")
run query --no-infer --data "$FX/small.ttl" -f tsv -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
expect_eq "$first" "$(tail -n 1 "$WORK/out")" "the saved store holds the file's triples"

# reloading adds nothing when the file has no blank nodes; a second file adds its own graph
run load --store "$S" "$FX/small.nt"
expect_code 0 "second file"
run query --store "$S" -f tsv -e 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g'
expect_code 0 "graphs"
expect_out "small.ttl" "first graph kept"; expect_out "small.nt" "second graph added"

# the same answers through Kizuna's engine and through Rasqal on this storage
run query --store "$S" -f tsv -e "$COUNT"; mine=$out
run query --store "$S" --engine rasqal -f tsv -e "$COUNT"; theirs=$out
expect_eq "$mine" "$theirs" "kizuna and rasqal engines agree on the saved store"

# a bad file is refused, not loaded, and the store stays as it was
before=$(md5sum <"$WORK/k.store")
run load --store "$S" "$FX/bad.ttl"
expect_code 1 "bad data"; expect_err "bad.ttl:" "bad data names the file"
expect_eq "$(md5sum <"$WORK/k.store")" "$before" "a failed load leaves the store file unchanged"

# a writer holds the lock: readers and other writers are turned away at once
if command -v flock >/dev/null; then
  flock -x "$WORK/k.store.lock" -c "sleep 3" & holder=$!
  sleep 0.5
  run query --store "$S" -e 'ASK {}'
  expect_code 1 "reader during a write"; expect_err "being written" "reader during a write"
  run load --store "$S" "$FX/small.ttl"
  expect_code 1 "second writer"; expect_err "in use" "second writer"
  wait "$holder"
fi

# truncated, corrupted and foreign files: one line naming the store, exit 1
cp "$WORK/k.store" "$WORK/t.store"
truncate -s 100 "$WORK/t.store"
run query --store "kizuna:$WORK/t.store" -e 'ASK {}'
expect_code 1 "truncated"; expect_err "kizuna:$WORK/t.store" "truncated names the store"; expect_one_line_err "truncated"
cp "$WORK/k.store" "$WORK/c.store"
size=$(stat -c %s "$WORK/c.store")
printf '\xff\xfe\xfd\xfc' | dd of="$WORK/c.store" bs=1 seek=$((size / 2)) conv=notrunc status=none
run query --store "kizuna:$WORK/c.store" -e 'ASK {}'
expect_code 1 "corrupted"; expect_one_line_err "corrupted"
cp "$FX/small.ttl" "$WORK/f.store"
run query --store "kizuna:$WORK/f.store" -e 'ASK {}'
expect_code 1 "foreign"; expect_err "not a Kizuna" "foreign file"; expect_one_line_err "foreign"
run load --store "kizuna:$WORK/f.store" "$FX/small.nt"
expect_code 1 "writing over a foreign file"
cmp -s "$FX/small.ttl" "$WORK/f.store" || fail "a foreign file was overwritten"
finish
