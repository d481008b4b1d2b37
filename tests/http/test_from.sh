#!/usr/bin/env bash
# FROM and FROM NAMED from a client name graphs of the store, never a file
# of the server: the library would load a FROM IRI that is not a graph of
# the store as a local file, and the server asks it not to
# (kz_query_options.from_store_only). Absolute and relative file: IRIs are
# refused with 400 and a message naming the IRI, and nothing of the file
# shows; graphs of the store, named by absolute or relative IRIs, work;
# with --data/--named a graph whose name is a file: IRI is the store's copy,
# never the file as it is now on disk.
. "$(dirname "$0")/lib.sh"

start_server --quiet

count='SELECT (COUNT(*) AS ?n)'
kizuna_graph=https://w3id.org/kizuna/graph/kizuna
sel() { get sparql -G --data-urlencode "query=$1" -H 'Accept: text/csv'; }
n() { tail -n 1 "$WORK/body" | tr -d '\r'; }

# --- graphs of the store -------------------------------------------------------
sel "$count WHERE { ?s ?p ?o }"
expect_status 200 "no FROM"
all=$(n)
sel "$count FROM <$kizuna_graph> WHERE { ?s ?p ?o }"
expect_status 200 "FROM a graph of the store"
one=$(n)
check; [ "$one" -gt 0 ] && [ "$one" -lt "$all" ] || fail "FROM a graph of the store: $one of $all"
sel "BASE <https://w3id.org/kizuna/graph/> $count FROM <kizuna> WHERE { ?s ?p ?o }"
expect_status 200 "FROM a graph of the store, relative to BASE"
expect_eq "$(n)" "$one" "FROM relative to BASE names the same graph"
sel "SELECT ?g (COUNT(*) AS ?n) FROM NAMED <$kizuna_graph> WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
expect_status 200 "FROM NAMED a graph of the store"
expect_body "$kizuna_graph,$one" "FROM NAMED: the one graph"

# --- files of the server ------------------------------------------------------------
printf '<http://x/a> <http://x/b> "classified value" .\n' >"$WORK/secret.nt"
refused() { # QUERY IRI LABEL
  sel "$1"
  expect_status 400 "$3"
  expect_body "is not a graph of the store" "$3: the message"
  expect_body "<$2>" "$3: the message names the IRI"
  expect_eq "$(wc -l <"$WORK/body")" 1 "$3: one line"
  expect_no_body "classified" "$3: nothing of the file"
  expect_no_body "root:" "$3: nothing of /etc/passwd"
}
refused "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }" "file:///etc/passwd" \
  "FROM <file:///etc/passwd>"
refused "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }" \
  "file:///etc/passwd" "FROM NAMED <file:///etc/passwd>"
refused "SELECT * FROM <file://$WORK/secret.nt> WHERE { ?s ?p ?o }" "file://$WORK/secret.nt" \
  "FROM a readable RDF file"
refused "BASE <file://$WORK/> SELECT * FROM <secret.nt> WHERE { ?s ?p ?o }" \
  "file://$WORK/secret.nt" "FROM a relative IRI resolved to a file"
refused "BASE <file:///etc/> SELECT * FROM <passwd> WHERE { ?s ?p ?o }" "file:///etc/passwd" \
  "FROM <passwd> relative to file:///etc/"
refused "BASE <file:///var/> SELECT * FROM <../etc/passwd> WHERE { ?s ?p ?o }" \
  "file:///etc/passwd" "FROM <../etc/passwd>"
refused "SELECT * FROM <file:/etc/passwd> WHERE { ?s ?p ?o }" "file:/etc/passwd" \
  "FROM <file:/etc/passwd>"
refused "SELECT * FROM <file://localhost/etc/passwd> WHERE { ?s ?p ?o }" \
  "file://localhost/etc/passwd" "FROM <file://localhost/...>"
refused "SELECT * FROM <$kizuna_graph> FROM <file://$WORK/secret.nt> WHERE { ?s ?p ?o }" \
  "file://$WORK/secret.nt" "a store graph and a file"
refused "CONSTRUCT { ?s ?p ?o } FROM <file://$WORK/secret.nt> WHERE { ?s ?p ?o }" \
  "file://$WORK/secret.nt" "CONSTRUCT FROM a file"
# by POST too, and whatever the Accept
get sparql -H 'Content-Type: application/sparql-query' -H 'Accept: application/sparql-results+xml' \
  --data-binary "SELECT * FROM <file://$WORK/secret.nt> WHERE { ?s ?p ?o }"
expect_status 400 "POST FROM a file"
expect_no_body "classified" "POST FROM a file: nothing of the file"
# the protocol's dataset wins over FROM: the file is not even looked at
get sparql -G --data-urlencode "query=$count FROM <file://$WORK/secret.nt> WHERE { ?s ?p ?o }" \
  --data-urlencode "default-graph-uri=$kizuna_graph" -H 'Accept: text/csv'
expect_status 200 "default-graph-uri wins over FROM a file"
expect_eq "$(n)" "$one" "default-graph-uri wins over FROM a file: its count"
stop_server

# --- --data and --named: graphs named by file: IRIs ---------------------------------
printf '<http://x/s> <http://x/p> "data" .\n' >"$WORK/data.nt"
printf '<http://x/s> <http://x/p> "named, as loaded" .\n' >"$WORK/named.nt"
start_server --quiet --data "$WORK/data.nt" --named "$WORK/named.nt"
# the file changes on disk after the start: the store keeps what was loaded
printf '<http://x/s> <http://x/p> "named, changed on disk" .\n' >"$WORK/named.nt"
sel "SELECT ?o WHERE { ?s ?p ?o }"
expect_status 200 "--data: no FROM"
expect_body "data" "--data: the default graph"
expect_no_body "named" "--data: the named graph is not in the default graph"
sel "SELECT ?o FROM <file://$WORK/named.nt> WHERE { ?s ?p ?o }"
expect_status 200 "FROM a --named graph (a file: IRI of the store)"
expect_body "named, as loaded" "FROM a --named graph: the store's copy"
expect_no_body "changed on disk" "FROM a --named graph: not read again from disk"
expect_no_body '"data"' "FROM wins over the server's default dataset"
refused "SELECT * FROM <file://$WORK/secret.nt> WHERE { ?s ?p ?o }" "file://$WORK/secret.nt" \
  "--data: FROM a file that is not a graph"
stop_server
finish
