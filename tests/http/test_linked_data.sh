#!/usr/bin/env bash
# Linked data: a resource IRI under the base dereferences at the server as
# its description (statements in both directions, labels of neighbours) in
# Turtle, N-Triples, RDF/XML (and JSON-LD once the library writes it), or
# as an HTML page with local links; 404 for an IRI nothing is said about;
# --base maps another published base to "/". Then every resource IRI of the
# bundled data is fetched in Turtle, N-Triples and RDF/XML (and JSON-LD when
# served) over one keep-alive connection: the Turtle and N-Triples answers,
# concatenated, are parsed by rapper, each RDF/XML (JSON-LD) one by Python.
. "$(dirname "$0")/lib.sh"
need rapper

start_server --quiet

iith=https://w3id.org/kizuna/id/agency/iit-hyderabad
lab=https://w3id.org/kizuna/id/lab/iith-nims-joint-research-center

get id/agency/iit-hyderabad -H 'Accept: text/turtle'
expect_status 200 "a resource in Turtle"
expect_header "Content-Type: text/turtle" "Turtle: type"
expect_rdf turtle "a resource in Turtle"
rapper -q -i turtle -o ntriples "$WORK/body" http://example.org/ >"$WORK/iith.nt" 2>/dev/null
check; grep -q "^<$iith> <http://www.w3.org/2000/01/rdf-schema#label> \"Indian Institute of Technology Hyderabad\"" "$WORK/iith.nt" ||
  fail "the resource's own statements"
check; grep -q "^<$lab> <https://w3id.org/kizuna/ontology#involves> <$iith> " "$WORK/iith.nt" ||
  fail "statements pointing at it (the other direction)"
check; grep -q "^<$lab> <http://www.w3.org/2000/01/rdf-schema#label> \"IITH-NIMS Joint Research Center\"" "$WORK/iith.nt" ||
  fail "the labels of its neighbours"
turtle_triples=$(rdf_count turtle)

get id/agency/iit-hyderabad
expect_header "Content-Type: text/turtle" "no Accept: Turtle"
get id/agency/iit-hyderabad -H 'Accept: application/n-triples'
expect_status 200 "N-Triples"
expect_eq "$(rdf_count ntriples)" "$turtle_triples" "N-Triples: the same triples"
get id/agency/iit-hyderabad -H 'Accept: application/rdf+xml'
expect_status 200 "RDF/XML"
expect_eq "$(rdf_count rdfxml)" "$turtle_triples" "RDF/XML: the same triples"
get id/agency/iit-hyderabad -H 'Accept: application/ld+json'
jsonld=0
server_writes_jsonld && jsonld=1
if [ "$jsonld" = 1 ]; then
  expect_status 200 "JSON-LD"
  expect_json "JSON-LD"
else
  expect_status 406 "JSON-LD before the library writes it"
fi

# HTML for browsers
get id/agency/iit-hyderabad -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
expect_status 200 "HTML"
expect_header "Content-Type: text/html; charset=utf-8" "HTML: type"
expect_body "<title>Indian Institute of Technology Hyderabad · Kizuna</title>" "HTML: the label as title"
expect_body 'href="/id/lab/iith-nims-joint-research-center"' "HTML: neighbours under the base link here"
expect_body "IITH-NIMS Joint Research Center</a>" "HTML: links show labels"
expect_body "Referenced by" "HTML: the other direction"
expect_body 'href="http://www.w3.org/' "HTML: other IRIs link out"
check; python3 -c 'import html.parser, sys; html.parser.HTMLParser().feed(open(sys.argv[1]).read())' "$WORK/body" ||
  fail "HTML parses"

# not there
get id/agency/no-such-agency
expect_status 404 "an IRI nothing is said about"
expect_body "https://w3id.org/kizuna/id/agency/no-such-agency" "404 names the IRI"
get id/agency/no-such-agency -H 'Accept: text/html'
expect_status 404 "404 for browsers too"
get 'id/agency/iit-hyderabad%3E%20%7D'
expect_status 404 "an escape does not break out of the IRI"
get id/agency/iit-hyderabad -H 'Accept: image/png'
expect_status 406 "a resource as PNG"
expect_body "text/html" "406 lists HTML"

# --- every resource of the bundled data ---------------------------------------------
"$KIZUNA" query -f csv -e 'SELECT DISTINCT ?s { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/kizuna/id/")) } ORDER BY ?s' |
  tail -n +2 | tr -d '\r' >"$WORK/resources"
total=$(wc -l <"$WORK/resources")
check; [ "$total" -gt 100 ] || fail "the bundled data has resources ($total)"
python3 - "$URL" "$WORK/resources" "$WORK" "$jsonld" <<'EOF' || { failures=$((failures + 1)); echo "FAIL: dereferencing every resource" >&2; }
import http.client, json, sys, urllib.parse, xml.etree.ElementTree as ET
url, listing, work, jsonld = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
parts = urllib.parse.urlsplit(url)
base = "https://w3id.org/kizuna/"
conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
bad = 0
iris = [line.strip() for line in open(listing) if line.strip()]
formats = [("text/turtle", "all.ttl"), ("application/n-triples", "all.nt"),
           ("application/rdf+xml", "all.rdf")]
if jsonld:
    formats.append(("application/ld+json", "all.jsonld"))
for accept, name in formats:
    with open(f"{work}/{name}", "w") as out:
        for iri in iris:
            conn.request("GET", "/" + iri[len(base):], headers={"Accept": accept})
            r = conn.getresponse()
            body = r.read().decode("utf-8")
            if r.status != 200 or not r.headers["Content-Type"].startswith(accept) or not body.strip():
                print(f"{iri} as {accept}: {r.status}", file=sys.stderr)
                bad += 1
                continue
            if accept == "application/rdf+xml":
                try:
                    root = ET.fromstring(body.encode("utf-8"))
                    assert root.tag == "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF" and len(root)
                except Exception as e:
                    print(f"{iri} as RDF/XML: {e!r}", file=sys.stderr)
                    bad += 1
                continue
            if accept == "application/ld+json":
                try:
                    json.loads(body)
                except ValueError as e:
                    print(f"{iri} as JSON-LD: {e}", file=sys.stderr)
                    bad += 1
            out.write(body + "\n")
print(f"{len(iris)} resources, {len(formats)} formats, {bad} failures")
sys.exit(1 if bad else 0)
EOF
# All the Turtle documents concatenated are one valid Turtle document (each
# repeats its prefixes), and likewise for N-Triples.
check; [ "$(rdf_count turtle "$WORK/all.ttl")" != error ] || fail "every Turtle description parses"
check; [ "$(rdf_count ntriples "$WORK/all.nt")" != error ] || fail "every N-Triples description parses"
expect_eq "$(rdf_count ntriples "$WORK/all.nt")" "$(rdf_count turtle "$WORK/all.ttl")" \
  "Turtle and N-Triples descriptions hold the same triples"
stop_server

# --- another base ---------------------------------------------------------------------
start_server --quiet --data "$FX/small.nt" --base http://example.org/
get a -H 'Accept: application/n-triples'
expect_status 200 "--base maps http://example.org/a to /a"
expect_body "<http://example.org/a> <http://example.org/p> <http://example.org/b> ." "the statement of a"
get b -H 'Accept: text/html'
expect_body 'href="/a"' "HTML: a link to /a"
get id/agency/iit-hyderabad
expect_status 404 "the bundled data is not served with --data"
stop_server
finish
