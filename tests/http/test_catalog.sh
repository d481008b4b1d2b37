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
  "[{'name': 'agency', 'type': 'agency'}]" "parameters with their types"
expect_eq "$(json_eval '"all joint labs involving IIT Hyderabad" in [q for q in j if q["name"] == "joint-labs-involving"][0]["examples"]')" \
  True "example phrases"
expect_eq "$(json_eval 'all(q["description"] and q["sparql"] and q["url"] == "/queries/" + q["name"] for q in j)')" \
  True "description, SPARQL and URL of each"
expect_eq "$(json_eval '[q for q in j if q["name"] == "agreements-signed"][0]["parameters"]')" \
  "[{'name': 'from', 'type': 'date'}, {'name': 'to', 'type': 'date'}]" "date parameters"

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
expect_body "unknown parameter 'colour'" "unknown parameter: the message"
get "queries/joint-labs-involving?agency=IITH&agency=NIMS"
expect_status 400 "a parameter given twice"
get "queries/agreements-signed?from=2014-13&to=2015"
expect_status 400 "a bad date"
expect_body "is not a date" "bad date: the message"
get "queries/joint-labs-involving?agency=Nowhere%20Institute"
expect_status 400 "a name that resolves to nothing"
expect_body "no agency named" "unknown name: the message"
get "queries/joint-labs-involving?agency=IIT"
expect_status 409 "an ambiguous name"
expect_json "409 is JSON"
expect_eq "$(json_eval 'any(c["iri"] == "https://w3id.org/kizuna/id/agency/iit-hyderabad" for c in j["candidates"])')" \
  True "409 lists the candidates with their IRIs"
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
expect_eq "$(json_eval 'isinstance(j["closest"], list)')" True "no fit: the closest questions"
get "ask?q=$(urlencode 'joint labs involving')"
check; [ "$status" = 404 ] || fail "an incomplete question: 404 ($status)"
get "ask?q=$(urlencode 'all joint labs involving IIT')"
expect_status 409 "an ambiguous name in a question"
expect_eq "$(json_eval 'len(j["candidates"]) > 1')" True "ambiguous: candidates"
get "ask?q=$(urlencode 'all joint labs involving Nowhere Institute')"
expect_status 404 "an unknown name in a question"
get ask
expect_status 400 "no question"
get "ask?q="
expect_status 400 "an empty question"

stop_server
finish
