#!/usr/bin/env bash
# The SPARQL 1.1 Protocol at /sparql: the three ways to send a query, the
# dataset parameters, and every status code for bad requests (400 with the
# parser's message, 405 with Allow, 413, 415, 406), read-only refusals, FROM
# kept to the store's graphs, CORS, HEAD and OPTIONS.
. "$(dirname "$0")/lib.sh"
need rapper

start_server

headline='PREFIX kz: <https://w3id.org/kizuna/ontology#>
SELECT ?lab WHERE { ?lab a kz:JointLab ; kz:involves <https://w3id.org/kizuna/id/agency/iit-hyderabad> } ORDER BY ?lab'
q=$(urlencode "$headline")

# --- the three ways in -------------------------------------------------------
get "sparql?query=$q"
expect_status 200 "GET query"
expect_header "Content-Type: application/sparql-results+json" "GET: JSON by default"
expect_json "GET query"
expect_body "https://w3id.org/kizuna/id/lab/iith-nims-joint-research-center" "GET: the lab"
expect_header "Access-Control-Allow-Origin: *" "CORS on every answer"
expect_header "Vary: Accept" "Vary"

get sparql --data-urlencode "query=$headline"
expect_status 200 "POST form"
expect_body "iith-nims-joint-research-center" "POST form: the lab"

get sparql -H 'Content-Type: application/sparql-query' --data-binary "$headline"
expect_status 200 "POST sparql-query"
expect_body "iith-nims-joint-research-center" "POST sparql-query: the lab"

get sparql -H 'Content-Type: application/sparql-query; charset=UTF-8' --data-binary 'ASK { ?s ?p ?o }'
expect_status 200 "POST sparql-query with a charset"
expect_body '"boolean": true' "ASK"

# HEAD: the headers of GET, no body
head=$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "${URL}sparql?query=$q")
expect_eq "$head" "200 0" "HEAD: 200 and no body"

# --- the dataset -------------------------------------------------------------
count='SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
kizuna_graph=https://w3id.org/kizuna/graph/kizuna
get sparql -G --data-urlencode "query=$count" -H 'Accept: text/csv'
all=$(tail -n 1 "$WORK/body" | tr -d '\r')
get sparql -G --data-urlencode "query=$count" --data-urlencode "default-graph-uri=$kizuna_graph" \
  -H 'Accept: text/csv'
expect_status 200 "default-graph-uri"
one=$(tail -n 1 "$WORK/body" | tr -d '\r')
check; [ "$one" -gt 0 ] && [ "$one" -lt "$all" ] || fail "default-graph-uri: $one of $all triples"
get sparql -G --data-urlencode "query=SELECT (COUNT(*) AS ?n) FROM <$kizuna_graph> WHERE { ?s ?p ?o }" \
  -H 'Accept: text/csv'
expect_status 200 "FROM a graph of the store"
expect_eq "$(tail -n 1 "$WORK/body" | tr -d '\r')" "$one" "FROM names the same graph"
# the protocol's dataset wins over FROM
get sparql -G --data-urlencode "query=SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/kizuna/graph/reference> WHERE { ?s ?p ?o }" \
  --data-urlencode "default-graph-uri=$kizuna_graph" -H 'Accept: text/csv'
expect_eq "$(tail -n 1 "$WORK/body" | tr -d '\r')" "$one" "default-graph-uri wins over FROM"
get sparql -G --data-urlencode "query=SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g" \
  --data-urlencode "named-graph-uri=$kizuna_graph" -H 'Accept: text/csv'
expect_status 200 "named-graph-uri"
expect_eq "$(grep -c '^https' "$WORK/body")" 1 "named-graph-uri: one named graph"
get "sparql?default-graph-uri=$(urlencode "$kizuna_graph")" -H 'Content-Type: application/sparql-query' \
  --data-binary "$count" -H 'Accept: text/csv'
expect_eq "$(tail -n 1 "$WORK/body" | tr -d '\r')" "$one" "POST sparql-query with default-graph-uri in the URL"
# FROM may not reach outside the store: no local file is ever read
echo '<http://x/a> <http://x/b> "classified value" .' >"$WORK/local.nt"
get sparql -G --data-urlencode "query=SELECT * FROM <file://$WORK/local.nt> WHERE { ?s ?p ?o }"
expect_status 400 "FROM a local file"
expect_body "is not a graph of the store" "FROM a local file: the message"
expect_no_body "classified" "FROM a local file: nothing read"
get sparql -G --data-urlencode "query=SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }"
expect_status 400 "FROM NAMED a local file"

# --- 400 ---------------------------------------------------------------------
get "sparql?query=SELEC%20*"
expect_status 400 "a bad query"
expect_body "query:1:1: expected SELECT, CONSTRUCT, DESCRIBE or ASK" "the parser's message"
expect_eq "$(wc -l <"$WORK/body")" 1 "the message is one line"
get "sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%20x"
expect_status 400 "a bad query (position)"
expect_body "query:1:" "line and column"
get "sparql?query=%ZZ"
expect_status 400 "bad percent-encoding"
expect_body "bad percent-encoding" "bad percent-encoding: the message"
get "sparql?query=SELECT%"
expect_status 400 "a truncated escape"
get "sparql?query=%C3%28"
expect_status 400 "not UTF-8"
expect_body "not UTF-8" "not UTF-8: the message"
get "sparql?query=ASK%00"
expect_status 400 "a NUL byte"
get "sparql?default-graph-uri=x"
expect_status 400 "missing query"
expect_body "missing 'query' parameter" "missing query: the message"
get "sparql?query=ASK%7B%7D&query=ASK%7B%7D"
expect_status 400 "two queries"
get "sparql?query=ASK%7B%7D" -X POST -H 'Content-Type: application/sparql-query' --data-binary 'ASK {}'
expect_status 400 "query in the URL and in the body"
expect_body "both in the URL and in the body" "URL and body: the message"
get "sparql?query=ASK%7B%7D" --data-urlencode 'query=ASK {}'
expect_status 400 "query in the URL and in a form"
get sparql -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'query=%G1'
expect_status 400 "bad percent-encoding in a form"
get "sparql?query=ASK%7B%7D" -X GET -H 'Content-Type: application/sparql-query' --data-binary 'ASK {}'
expect_status 400 "a GET with a body"
get sparql -X POST -H 'Content-Type: application/sparql-query' --data-binary $'ASK {\xff}'
expect_status 400 "a body that is not UTF-8"
get sparql -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data-binary ''
expect_status 400 "an empty form"

# read only
get sparql -H 'Content-Type: application/sparql-update' --data-binary 'INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }'
expect_status 400 "SPARQL Update by content type"
expect_body "read only" "update: the message"
get sparql --data-urlencode 'update=DROP ALL'
expect_status 400 "the update parameter"
get sparql -G --data-urlencode 'query=PREFIX x: <http://x/> # a comment
DELETE WHERE { ?s ?p ?o }'
expect_status 400 "an update as a query"
expect_body "read only" "update as query: the message"
get sparql -G --data-urlencode "query=$count"
check; grep -q "\"value\": \"$all\"" "$WORK/body" || fail "the store is unchanged after the updates"

# --- 405, 415, 413 -----------------------------------------------------------
for method in PUT DELETE PATCH; do
  get sparql -X "$method"
  expect_status 405 "$method /sparql"
  expect_header "Allow: GET, HEAD, POST, OPTIONS" "$method: Allow"
done
get queries -X POST -H 'Content-Type: application/sparql-query' --data-binary 'ASK {}'
expect_status 405 "POST /queries"
expect_header "Allow: GET, HEAD, OPTIONS" "POST /queries: Allow"
get sparql -H 'Content-Type: text/plain' --data-binary 'ASK {}'
expect_status 415 "a text/plain body"
expect_body "application/sparql-query" "415 names what is accepted"
get sparql -X POST --data-binary 'ASK {}' -H 'Content-Type:'
expect_status 415 "no content type"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$WORK/big.rq"
echo 'ASK {}' >>"$WORK/big.rq"
get sparql -H 'Content-Type: application/sparql-query' --data-binary "@$WORK/big.rq"
expect_status 413 "a body over --max-body (Content-Length)"
get sparql -H 'Content-Type: application/sparql-query' -H 'Transfer-Encoding: chunked' \
  --data-binary "@$WORK/big.rq"
expect_status 413 "a chunked body over --max-body"
get sparql -H 'Content-Type: application/sparql-query' -H 'Expect: 100-continue' \
  --data-binary "@$WORK/big.rq"
expect_status 413 "413 before the body is sent (Expect: 100-continue)"
# still serving after all that
get "sparql?query=$q"
expect_status 200 "still serving"

# --- 406 ---------------------------------------------------------------------
get "sparql?query=$q" -H 'Accept: text/html'
expect_status 406 "SELECT as HTML"
expect_body "application/sparql-results+json" "406 lists what is available"
expect_body "text/csv" "406 lists CSV"
get sparql -G --data-urlencode 'query=CONSTRUCT WHERE { ?s a ?o } LIMIT 1' -H 'Accept: application/sparql-results+json'
expect_status 406 "CONSTRUCT as SPARQL results"
expect_body "text/turtle" "406 lists the graph formats"

# --- OPTIONS and CORS --------------------------------------------------------
get sparql -X OPTIONS -H 'Origin: http://example.org' -H 'Access-Control-Request-Method: POST' \
  -H 'Access-Control-Request-Headers: content-type'
expect_status 204 "preflight"
expect_header "Access-Control-Allow-Origin: *" "preflight: origin"
expect_header "Access-Control-Allow-Methods: GET, HEAD, POST, OPTIONS" "preflight: methods"
expect_header "Access-Control-Allow-Headers: content-type" "preflight: headers"
expect_header "Access-Control-Max-Age: 86400" "preflight: max age"
get "sparql?query=$q" -H 'Origin: http://example.org'
expect_header "Access-Control-Expose-Headers: X-SPARQL-MaxRows" "exposed headers"

# --- the service description at the endpoint --------------------------------
get sparql -H 'Accept: text/turtle'
expect_status 200 "GET /sparql without a query"
expect_rdf turtle "the service description"
expect_body "SPARQL11Query" "the service description names the language"

# --- unknown paths -------------------------------------------------------------
get assets/nothing.js
expect_status 404 "an unknown asset"
get "id/nothing%20here"
expect_status 404 "a path that is no IRI"

stop_server
finish
