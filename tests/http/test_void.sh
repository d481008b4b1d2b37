#!/usr/bin/env bash
# What the server says about itself: the VoID + DCAT description at
# /.well-known/void and the SPARQL service description at / (RDF Accept),
# each parsed by rapper in every format, with counts that agree with the
# store; the dumps /dump.ttl and /dump.nq, which hold what `kizuna export`
# writes; and the query page with its assets.
. "$(dirname "$0")/lib.sh"
need rapper

start_server --quiet

# Everything is checked on N-Triples from rapper, whatever was served.
as_ntriples() { rapper -q -i "$1" -o ntriples "$WORK/body" http://example.org/ 2>/dev/null >"$WORK/doc.nt"; }
has() { check; grep -qF -- "$1" "$WORK/doc.nt" || fail "$2: lacks $1"; }
VOID=http://rdfs.org/ns/void#
DCAT=http://www.w3.org/ns/dcat#
DCT=http://purl.org/dc/terms/
SD=http://www.w3.org/ns/sparql-service-description#
RDF_TYPE="<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# --- VoID and DCAT ------------------------------------------------------------------
get .well-known/void
expect_status 200 "VoID"
expect_header "Content-Type: text/turtle" "VoID: Turtle by default"
expect_rdf turtle "VoID in Turtle"
void_triples=$(rdf_count turtle)
for pair in "application/n-triples ntriples" "application/rdf+xml rdfxml"; do
  set -- $pair
  get .well-known/void -H "Accept: $1"
  expect_status 200 "VoID as $1"
  expect_eq "$(rdf_count "$2")" "$void_triples" "VoID as $1: the same triples"
done
get .well-known/void -H 'Accept: text/turtle'
as_ntriples turtle
dataset="<${URL}.well-known/void#dataset>"
has "$dataset $RDF_TYPE <${VOID}Dataset>" "void:Dataset"
has "$dataset $RDF_TYPE <${DCAT}Dataset>" "dcat:Dataset"
all=$("$KIZUNA" query -f csv -e 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' | tail -n 1 | tr -d '\r')
has "$dataset <${VOID}triples> \"$all\"^^<http://www.w3.org/2001/XMLSchema#integer>" "void:triples = the store's count"
subjects=$("$KIZUNA" query -f csv -e 'SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }' | tail -n 1 | tr -d '\r')
has "$dataset <${VOID}distinctSubjects> \"$subjects\"" "void:distinctSubjects"
classes=$("$KIZUNA" stats | sed -n 's/^classes (\([0-9]*\))/\1/p')
has "$dataset <${VOID}classes> \"$classes\"" "void:classes = kizuna stats"
for p in properties entities distinctObjects; do has "$dataset <${VOID}$p> " "void:$p"; done
has "$dataset <${VOID}sparqlEndpoint> <${URL}sparql>" "void:sparqlEndpoint"
has "$dataset <${VOID}dataDump> <${URL}dump.ttl>" "void:dataDump (Turtle)"
has "$dataset <${VOID}dataDump> <${URL}dump.nq>" "void:dataDump (N-Quads)"
has "$dataset <${VOID}uriSpace> \"https://w3id.org/kizuna/\"" "void:uriSpace"
has "$dataset <${VOID}exampleResource> <https://w3id.org/kizuna/id/" "void:exampleResource"
has "$dataset <${VOID}vocabulary> <https://w3id.org/kizuna/ontology#>" "void:vocabulary"
has "<${VOID}class> <https://w3id.org/kizuna/ontology#JointLab>" "a class partition"
has "<${VOID}property> <https://w3id.org/kizuna/ontology#involves>" "a property partition"
check; [ "$(grep -c "<${VOID}classPartition>" "$WORK/doc.nt")" = "$classes" ] || fail "a class partition per class"
has "$dataset <${DCT}title> " "dcterms:title"
has "$dataset <${DCT}description> " "dcterms:description"
has "$dataset <${DCT}license> <https://creativecommons.org/licenses/by/4.0/>" "dcterms:license (from the data)"
has "$dataset <${DCT}modified> \"" "dcterms:modified"
has "$dataset <${DCAT}distribution> <${URL}.well-known/void#dump-turtle>" "a dcat:Distribution per dump"
has "<${URL}.well-known/void#dump-nquads> <${DCAT}downloadURL> <${URL}dump.nq>" "dcat:downloadURL"
has "<${URL}.well-known/void#dump-turtle> <${DCAT}mediaType> <https://www.iana.org/assignments/media-types/text/turtle>" "dcat:mediaType"
has "<${URL}.well-known/void#sparql> <${DCAT}accessService> " "the endpoint as a distribution"
has "$RDF_TYPE <${DCAT}DataService>" "dcat:DataService"
has "<${DCAT}endpointURL> <${URL}sparql>" "dcat:endpointURL"
# every example resource dereferences
for iri in $(sed -n "s|^$dataset <${VOID}exampleResource> <\(.*\)> \.$|\1|p" "$WORK/doc.nt"); do
  get "${iri#https://w3id.org/kizuna/}"
  expect_status 200 "the example resource $iri dereferences"
done

# --- the service description ----------------------------------------------------------
get "" -H 'Accept: text/turtle'
expect_status 200 "the service description at /"
expect_header "Content-Type: text/turtle" "service description: Turtle"
expect_rdf turtle "the service description"
sd_triples=$(rdf_count turtle)
as_ntriples turtle
has "$RDF_TYPE <${SD}Service>" "sd:Service"
has "<${SD}endpoint> <${URL}sparql>" "sd:endpoint"
has "<${SD}supportedLanguage> <${SD}SPARQL11Query>" "sd:supportedLanguage"
for f in SPARQL_Results_JSON SPARQL_Results_XML SPARQL_Results_CSV SPARQL_Results_TSV Turtle N-Triples RDF_XML; do
  has "<${SD}resultFormat> <http://www.w3.org/ns/formats/$f>" "sd:resultFormat $f"
done
has "<${SD}defaultDataset> $dataset" "sd:defaultDataset"
has "<${SD}feature> <${SD}UnionDefaultGraph>" "the default graph is the union"
has "<${SD}name> <https://w3id.org/kizuna/graph/kizuna>" "the named graphs"
get "" -H 'Accept: application/rdf+xml'
expect_eq "$(rdf_count rdfxml)" "$sd_triples" "the service description in RDF/XML"
get "" -H 'Accept: application/n-triples'
expect_eq "$(rdf_count ntriples)" "$sd_triples" "the service description in N-Triples"

# --- the dumps ---------------------------------------------------------------------------
"$KIZUNA" export -f nquads >"$WORK/export.nq"
"$KIZUNA" export -f turtle >"$WORK/export.ttl"
get dump.nq
expect_status 200 "/dump.nq"
expect_header "Content-Type: application/n-quads" "/dump.nq: type"
# (blank node labels differ from run to run)
blanks() { sed 's/_:[A-Za-z0-9]*/_:b/g' "$1" | sort | md5sum; }
expect_eq "$(blanks "$WORK/body")" "$(blanks "$WORK/export.nq")" "/dump.nq is the export"
get dump.ttl
expect_status 200 "/dump.ttl"
expect_header "Content-Type: text/turtle" "/dump.ttl: type"
expect_eq "$(rdf_count turtle)" "$(rdf_count turtle "$WORK/export.ttl")" "/dump.ttl holds the export's triples"
get dump.ttl
expect_eq "$(rdf_count turtle)" "$(rdf_count turtle "$WORK/export.ttl")" "/dump.ttl again (kept)"
expect_eq "$(curl -s -I -o /dev/null -w '%{http_code}' "${URL}dump.nq")" 200 "HEAD /dump.nq"

# --- the query page ------------------------------------------------------------------------
get "" -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
expect_status 200 "the query page"
expect_header "Content-Type: text/html; charset=utf-8" "the page is HTML"
expect_body "<textarea" "the page has a SPARQL editor"
expect_body 'data-base="https://w3id.org/kizuna/"' "the page knows the base"
expect_no_body "__KIZUNA_BASE__" "no placeholder left"
expect_no_body "https://cdn" "no CDN"
get ""
expect_header "Content-Type: text/html" "GET / without Accept: the page"
get assets/app.js
expect_status 200 "app.js"
expect_header "Content-Type: text/javascript" "app.js: type"
expect_body "/ask?q=" "app.js asks /ask"
get assets/style.css
expect_header "Content-Type: text/css" "style.css: type"
get "" -H 'Accept: image/png'
expect_status 406 "/ as PNG"

stop_server
finish
