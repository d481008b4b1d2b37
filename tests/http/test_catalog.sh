#!/usr/bin/env bash
# The catalogue over HTTP: GET /queries lists it as JSON; GET /queries/NAME
# runs a query with the CLI's safe binding (404 unknown name, 400 bad
# parameter, 409 ambiguous name); GET /ask answers everyday questions, the
# headline question with its two joint labs, and says which questions come
# closest when none fits.
. "$(dirname "$0")/lib.sh"

start_server

# --- the list -------------------------------------------------------------------
get queries
expect_status 200 "GET /queries"
expect_header "Content-Type: application/json" "GET /queries: type"
expect_json "GET /queries"
expect_eq "$(json_eval 'len(j)')" "$(ls "$KZ_SOURCE_DIR"/queries/*.rq | wc -l)" "every catalogue query"
expect_eq "$(json_eval '[q for q in j if q["name"] == "joint-labs-involving"][0]["parameters"]')" \
  "[{'name': 'agency', 'type': 'agency', 'optional': False}]" "parameters with their types"
expect_eq "$(json_eval '"all joint labs involving IIT Hyderabad" in [q for q in j if q["name"] == "joint-labs-involving"][0]["examples"]')" \
  True "example phrases"
expect_eq "$(json_eval 'all(q["description"] and q["sparql"] and q["url"] == "/queries/" + q["name"] for q in j)')" \
  True "description, SPARQL and URL of each"
expect_eq "$(json_eval '[q for q in j if q["name"] == "agreements-signed"][0]["parameters"]')" \
  "[{'name': 'from', 'type': 'date', 'optional': True}, {'name': 'to', 'type': 'date', 'optional': True}]" \
  "date parameters, optional"

# --- running a named query ---------------------------------------------------------
get "queries/joint-labs-involving?agency=IIT%20Hyderabad"
expect_status 200 "joint-labs-involving(IIT Hyderabad)"
expect_json "joint-labs-involving: JSON"
expect_eq "$(json_eval 'sorted(b["lab"]["value"] for b in j["results"]["bindings"])')" \
  "['https://w3id.org/kizuna/id/lab/iith-nims-joint-research-center', 'https://w3id.org/kizuna/id/lab/india-japan-joint-lab-data-science-farming-support']" \
  "the two joint labs of IIT Hyderabad"
expect_header "X-Kizuna-Query: joint-labs-involving" "the query is named"
expect_header "X-Kizuna-Parameters: agency=IIT%20Hyderabad" "with its parameters"
get "queries/joint-labs-involving?agency=iith" -H 'Accept: text/csv'
expect_status 200 "an acronym, as CSV"
expect_header "Content-Type: text/csv" "catalogue answers are negotiated"
expect_body "iith-nims-joint-research-center" "IITH resolves"
# bindings are cached: the same request twice, then another agency
get "queries/joint-labs-involving?agency=IIT%20Hyderabad" -H 'Accept: text/csv'
first=$(md5sum <"$WORK/body")
get "queries/joint-labs-involving?agency=IIT%20Hyderabad" -H 'Accept: text/csv'
expect_eq "$(md5sum <"$WORK/body")" "$first" "a cached binding answers the same"
get "queries/joint-labs-involving?agency=NIMS" -H 'Accept: text/csv'
expect_body "iith-nims-joint-research-center" "another agency: its labs"
expect_no_body "data-science-farming" "another agency: not IIT Hyderabad's other lab"
get "queries/agreements-signed?from=2014&to=2016-06"
expect_status 200 "dates"
get "queries/agreements-signed?from=$(urlencode 'March 2015')" -H 'Accept: text/csv'
expect_status 200 "a month's name, an open end"
expect_body "2018-10-29" "since March 2015: a later agreement"
expect_no_body ",2014-" "since March 2015: no earlier one"
get "queries/joint-labs-involving" -H 'Accept: text/turtle'
expect_status 400 "a missing parameter (before conneg)"

# errors
get "queries/no-such-query"
expect_status 404 "an unknown query"
expect_json "404 is JSON"
expect_body "unknown query 'no-such-query'" "404: the message"
get "queries/joint-labs-involving"
expect_status 400 "a missing parameter"
expect_body "missing parameter 'agency'" "missing parameter: the message"
get "queries/joint-labs-involving?agency=IITH&colour=blue"
expect_status 400 "an unknown parameter"
expect_body "unknown parameter 'colour' (see GET /queries)" "unknown parameter: the message, the HTTP way"
get "queries/joint-labs-involving?agency=IITH&agency=NIMS"
expect_status 400 "a parameter given twice"
get "queries/agreements-signed?from=2014-13&to=2015"
expect_status 400 "a bad date"
expect_body "is not a date" "bad date: the message"
get "queries/joint-labs-involving?agency=Nowhere%20Institute"
expect_status 400 "a name that resolves to nothing"
expect_body "no agency named" "unknown name: the message"
# The arrays hold what the one-line message lists ("LABEL <IRI>, ..."), as
# {"label", "iri"} objects in the same order. (The test reads the message;
# the server builds the arrays from the library's data.)
listed='[{"label": m[0], "iri": m[1]} for m in __import__("re").findall(r", (.+?) <([^<>]+)>", ", " + j["error"].split("did you mean: ")[-1].split(" resources: ")[-1])]'
expect_eq "$(json_eval "j['suggestions'] == $listed and len(j['suggestions']) > 0")" True \
  "unknown name: the suggestions are the message's"
get "queries/agreements-of?agency=$(urlencode 'Space Agency')"
expect_status 400 "a name close to one agency"
expect_eq "$(json_eval 'j["suggestions"]')" \
  "[{'label': 'Japan Space Exploration Agency', 'iri': 'https://w3id.org/kizuna/id/agency/jaxa'}]" \
  "the one suggestion, with its label and IRI"
expect_eq "$(json_eval '"candidates" in j')" False "an unknown name has no candidates"
get "queries/agreements-of?agency=$(urlencode 'Qwxz Zzyq')"
expect_status 400 "a name close to nothing"
expect_eq "$(json_eval '"suggestions" in j or "candidates" in j')" False "nothing close: no suggestions"
get "queries/joint-labs-involving?agency=IIT"
expect_status 409 "an ambiguous name"
expect_json "409 is JSON"
expect_eq "$(json_eval 'any(c["iri"] == "https://w3id.org/kizuna/id/agency/iit-hyderabad" for c in j["candidates"])')" \
  True "409 lists the candidates with their IRIs"
expect_eq "$(json_eval '{"label": "IITH", "iri": "https://w3id.org/kizuna/id/agency/iit-hyderabad"} in j["candidates"]')" \
  True "409: each candidate with the label that matched"
expect_eq "$(json_eval "j['candidates'] == $listed and len(j['candidates']) > 1")" True \
  "409: the candidates are the message's"
expect_eq "$(json_eval '"suggestions" in j')" False "an ambiguous name has no suggestions"
get "queries/joint-labs-involving?agency=%ZZ"
expect_status 400 "bad percent-encoding"
# injection attempts are data
get "queries/find?text=$(urlencode 'x" } ; DROP ALL #')"
expect_status 200 "an injection attempt is a string"
expect_eq "$(json_eval 'len(j["results"]["bindings"])')" 0 "and matches nothing"
get "queries/joint-labs-involving?agency=$(urlencode '<https://x> } UNION { ?lab ?p ?o')"
check; [ "$status" = 400 ] || [ "$status" = 404 ] || fail "an injected IRI is refused"

# --- /ask ------------------------------------------------------------------------
get "ask?q=$(urlencode 'all joint labs involving IIT Hyderabad')"
expect_status 200 "the headline question"
expect_eq "$(json_eval 'sorted(b["lab"]["value"] for b in j["results"]["bindings"])')" \
  "['https://w3id.org/kizuna/id/lab/iith-nims-joint-research-center', 'https://w3id.org/kizuna/id/lab/india-japan-joint-lab-data-science-farming-support']" \
  "the headline question: the two joint labs"
expect_header "X-Kizuna-Query: joint-labs-involving" "the headline question: its query"
get "ask?q=$(urlencode 'which labs does NIMS take part in')" -H 'Accept: text/csv'
expect_status 200 "another phrasing, as CSV"
expect_body "iith-nims-joint-research-center" "NIMS's lab"
get "ask?q=$(urlencode 'every agreement between ISRO and JAXA, in order')"
expect_status 200 "two names"
get "ask?q=$(urlencode 'what is the airspeed velocity of an unladen swallow')"
check; [ "$status" = 404 ] || [ "$status" = 200 ] || fail "an odd question"
get "ask?q=$(urlencode 'purple monkey dishwasher')"
expect_status 404 "no question fits"
expect_json "no fit: JSON"
expect_eq "$(json_eval 'j["closest"]')" "[]" "no fit, no word in common: no closest questions"
expect_body "(see GET /queries)" "no fit: the HTTP way to list the questions"
get "ask?q=$(urlencode 'joint labs near IITH')"
expect_status 404 "a question close to some"
expect_eq "$(json_eval '"all joint labs involving IIT Hyderabad" in j["closest"] and 0 < len(j["closest"]) <= 3')" \
  True "no fit: the closest questions"
expect_eq "$(json_eval 'j["closest"] == __import__("re").findall(r"\"([^\"]*)\"", j["error"].split("closest: ")[1])')" \
  True "no fit: the closest questions are the message's"
get "ask?q=$(urlencode 'joint labs involving')"
check; [ "$status" = 404 ] || fail "an incomplete question: 404 ($status)"
get "ask?q=$(urlencode 'all joint labs involving IIT')"
expect_status 409 "an ambiguous name in a question"
expect_eq "$(json_eval 'len(j["candidates"]) > 1')" True "ambiguous: candidates"
expect_eq "$(json_eval "j['candidates'] == $listed")" True "ambiguous in a question: the message's candidates"
get "ask?q=$(urlencode 'all joint labs involving Nowhere Institute')"
expect_status 404 "an unknown name in a question"
expect_eq "$(json_eval "j['suggestions'] == $listed and len(j['suggestions']) > 0")" True \
  "unknown in a question: the message's suggestions"
get "ask?q=$(urlencode 'describe IIT Hyderabad')" -H 'Accept: text/csv'
expect_status 200 "describe a resource by name"
expect_body "Indian Institute of Technology Hyderabad" "describe by name: its statements"
get "ask?q=$(urlencode 'which institutes of DAE')"
expect_header "X-Kizuna-Query: units-of" "the more specific phrase answers"
get ask
expect_status 400 "no question"
get "ask?q="
expect_status 400 "an empty question"

# --- names resolved in many threads at once ------------------------------------------
# Resolution reads the quad index without a lock (engine/http/catalog.c):
# 16 clients resolve names at once, each request a new binding (leading
# spaces, which resolution ignores, make every cache key new), and every
# answer, error or not, is the one the name gets alone.
check
python3 - "$URL" <<'EOF' || fail "names resolved concurrently differ from alone"
import http.client, sys, threading, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
names = ["IITH", "NIMS", "IIT Hyderbad", "Indian Space Research Organisation", "IIT", "Nowhere Institute"]
def fetch(conn, name, spaces):
    conn.request("GET", "/queries/joint-labs-involving?agency=" + urllib.parse.quote(" " * spaces + name),
                 headers={"Accept": "text/csv"})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:  # the error names the name as given: without the spaces
        body = body.replace(b" " * spaces + name.encode(), name.encode())
    return r.status, body
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
alone = {name: fetch(conn, name, 0) for name in names}
assert [alone[n][0] for n in names] == [200, 200, 200, 200, 409, 400], [alone[n][0] for n in names]
errors = []
def client(n):
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    for i in range(12):
        name = names[(n + i) % len(names)]
        got = fetch(conn, name, 1 + n * 12 + i)
        if got != alone[name]:
            errors.append(f"{name!r}: {got[0]} {got[1][:200]!r}")
threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if errors:
    print("\n".join(errors[:5]), file=sys.stderr)
    sys.exit(1)
EOF

stop_server
finish
