#!/usr/bin/env bash
# Graph formats written on many threads at once: rounds of 8 curl clients,
# each sending 20 requests 8 at a time (up to 64 under way), for CONSTRUCT
# answers in Turtle, RDF/XML, N-Triples, N-Quads and JSON-LD, resource
# pages in Turtle, RDF/XML and N-Triples, and the VoID document. Every
# answer must be 200 and byte for byte the one the same request gets alone,
# and the server must live through it and stop cleanly. It takes about
# 15 s (KZ_WRITERS_SECONDS: how long the rounds go on, default 10).
#
# The server writes graph formats without a lock: each graph writer of the
# library borrows a Raptor world of its own, and no Raptor world is ever
# freed (engine/core/raptor_worlds.c). When every writer made and freed its
# own world, freeing one ran libxml2's xmlCleanupParser under the other
# threads, and this test crashed the server or garbled answers.
. "$(dirname "$0")/lib.sh"

start_server --quiet --max-concurrent 512 --max-connections 512

q() { urlencode "$1"; }
labs=$(q 'CONSTRUCT WHERE { ?s a <https://w3id.org/kizuna/ontology#JointLab> ; ?p ?o }')
iith=$(q 'CONSTRUCT WHERE { <https://w3id.org/kizuna/id/agency/iit-hyderabad> ?p ?o }')
# TARGETS: "path|Accept"
targets=(
  "sparql?query=$labs|text/turtle"
  "sparql?query=$labs|application/rdf+xml"
  "sparql?query=$labs|application/n-triples"
  "sparql?query=$labs|application/n-quads"
  "sparql?query=$labs|application/ld+json"
  "sparql?query=$iith|application/rdf+xml"
  "sparql?query=$iith|text/turtle"
  "id/agency/iit-hyderabad|text/turtle"
  "id/agency/iit-hyderabad|application/rdf+xml"
  "id/country/japan|application/n-triples"
  "id/agency/isro|application/rdf+xml"
  ".well-known/void|text/turtle"
  ".well-known/void|application/rdf+xml"
)
count=${#targets[@]}

# The answers alone, one after another.
mkdir -p "$WORK/alone" "$WORK/together"
for i in "${!targets[@]}"; do
  path=${targets[$i]%%|*} accept=${targets[$i]#*|}
  fetch -H "Accept: $accept" "$URL$path"
  expect_status 200 "alone: $path ($accept)"
  cp "$WORK/body" "$WORK/alone/$i"
  check; [ -s "$WORK/alone/$i" ] || fail "alone: $path ($accept): an empty body"
done

# Rounds of 8 clients at once, each one curl sending 20 requests, 8 at a
# time (up to 64 under way), for 10 s (at least one round): each request
# says in its file name which target it was.
clients=${KZ_WRITERS_CLIENTS:-8} per_client=20 seconds=${KZ_WRITERS_SECONDS:-10}
parallel=${KZ_WRITERS_PARALLEL:-8}
started=$(date +%s)
rounds=0
while :; do
  rounds=$((rounds + 1))
  pids=()
  for c in $(seq "$clients"); do
    args=()
    for r in $(seq "$per_client"); do
      i=$(((rounds * 5 + c * 7 + r) % count))
      path=${targets[$i]%%|*} accept=${targets[$i]#*|}
      [ ${#args[@]} -gt 0 ] && args+=(--next)
      args+=(-s -g --max-time 20 -H "Accept: $accept" -o "$WORK/together/$rounds.$c.$r.$i"
        -w '%{http_code} %{filename_effective}\n' "$URL$path")
    done
    curl --parallel --parallel-immediate --parallel-max "$parallel" "${args[@]}" \
      >"$WORK/together/$rounds.$c.log" 2>"$WORK/curl.$c.err" &
    pids+=($!)
  done
  wait "${pids[@]}" # not the server
  # a round with a failure ends the rounds: the server may be dead or stuck
  ! cat "$WORK"/together/"$rounds".*.log | grep -qv '^200 ' || break
  [ $(($(date +%s) - started)) -lt "$seconds" ] && [ "$rounds" -lt 100 ] || break
done
elapsed=$(($(date +%s) - started))
total=$((rounds * clients * per_client))

check
[ "$(cat "$WORK"/together/*.log | wc -l)" -eq "$total" ] ||
  fail "$total requests, $(cat "$WORK"/together/*.log | wc -l) answered"
check
bad=$(cat "$WORK"/together/*.log | grep -cv '^200 ') || true
[ "$bad" -eq 0 ] || fail "$bad answers were not 200: $(grep -hv '^200 ' "$WORK"/together/*.log | head -5 | tr '\n' '|')"
# byte for byte: one md5sum for all (a cmp each is slow under load)
declare -A digest
while read -r sum file; do digest[${file##*/}]=$sum; done < <(md5sum "$WORK"/alone/*)
differ=0
while read -r sum file; do
  [ "$sum" = "${digest[${file##*.}]}" ] || differ=$((differ + 1))
done < <(md5sum "$WORK"/together/*.*.*.*)
check
[ "$differ" -eq 0 ] || fail "$differ of $total concurrent answers differ from the lone ones"
echo "$total concurrent requests ($rounds rounds) in ${elapsed}s, $bad not 200, $differ different"
check
kill -0 "$SERVER_PID" 2>/dev/null || fail "the server died: $(tail -5 "$WORK/server.log")"
# A healthy server stops at once (nothing is under way); one with a stuck
# thread would wait for it: give it 10 s, not forever.
kill -TERM "$SERVER_PID" 2>/dev/null
for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
check
if kill -0 "$SERVER_PID" 2>/dev/null; then
  fail "the server did not stop within 10 s of SIGTERM"
else
  code=0
  wait "$SERVER_PID" || code=$?
  [ "$code" -eq 0 ] || fail "the server exited $code after SIGTERM: $(tail -3 "$WORK/server.log")"
  SERVER_PID=""
fi
finish
