# The named query catalogue on the bundled data: listing, every example and
# more phrasings matched to the right query, names resolved, values bound as
# data. Runs with --explain, which binds (and resolves) but does not evaluate.
. "$(dirname "$0")/lib.sh"
Q=${KZ_SOURCE_DIR:?}/queries
AGENCY=https://w3id.org/kizuna/id/agency

run run --list; expect_code 0 "run --list"
n=$(ls "$Q"/*.rq | wc -l)
[ "$n" -ge 15 ] || fail "only $n catalogue queries"
for f in "$Q"/*.rq; do
  name=$(sed -n 's/^# name: //p' "$f")
  expect_out "$name(" "run --list names $name"
done

# asks QUESTION NAME [TEXT]: the question is answered by query NAME, and the
# bound SPARQL contains TEXT (a resolved IRI, a typed value).
asks() {
  run ask --explain "$1"
  expect_code 0 "ask '$1'"
  checks=$((checks + 1))
  head -1 "$WORK/out" | grep -qF "# matched $2(" || fail "'$1' should match $2"
  [ -z "${3:-}" ] || expect_out "$3" "'$1' binds $3"
}

# Every example of every query, at least three each.
for f in "$Q"/*.rq; do
  name=$(sed -n 's/^# name: //p' "$f")
  count=0
  while IFS= read -r example; do
    asks "$example" "$name"
    count=$((count + 1))
  done < <(sed -n 's/^# example: //p' "$f")
  checks=$((checks + 1))
  [ "$count" -ge 3 ] || fail "$name has $count examples, not 3"
done

# The headline question, and everyday variations of it: word forms,
# synonyms, articles, punctuation, case, acronyms and spellings of the name.
IITH="<$AGENCY/iit-hyderabad>"
for q in "all joint labs involving IIT Hyderabad" \
         "All joint labs involving IIT Hyderabad?" \
         "joint labs that involve IITH" \
         "the joint laboratories which involves iit-h" \
         "laboratories with Indian Institute of Technology, Hyderabad" \
         "show me the labs involving IIT-Hyderabad." \
         "list all joint research centres of IIT Hyderabad" \
         "which labs does IITH take part in" \
         "IIT Hyderabad's joint labs" \
         "joint lab involving IIT Hyderbad"; do
  asks "$q" joint-labs-involving "$IITH"
done
for q in "every agreement between ISRO and JAXA, in order" \
         "MoUs between ISRO and JAXA" \
         "agreements between Indian Space Research Organisation & Japan Aerospace Exploration Agency" \
         "which agreements did ISRO sign with JAXA" \
         "list the memoranda of understanding between isro and jaxa"; do
  asks "$q" agreements-between "<$AGENCY/jaxa>"
done
asks "which countries does India partner with in quantum technologies" partner-countries \
  "<https://w3id.org/kizuna/id/domain/quantum-technologies>"
asks "partner countries in Quantum Technology" partner-countries "quantum-technologies>"
asks "agreements signed between 2014 and 2016" agreements-signed \
  '"2014"^^<http://www.w3.org/2001/XMLSchema#gYear>'
asks "agreements from 2018-06 to 2019-11-30" agreements-signed \
  '"2019-11-30"^^<http://www.w3.org/2001/XMLSchema#date>'
asks "agencies of Japan" agencies-of-country "<https://w3id.org/kizuna/id/country/japan>"
asks "Indian institutions" agencies-of-country "<https://w3id.org/kizuna/id/country/india>"
asks "timeline of the Department of Science and Technology" timeline "<$AGENCY/dst>"
asks "everything involving DST" involving "<$AGENCY/dst>"

# Nothing matches: say so, and offer the closest questions.
run ask "how tall is mount fuji"; expect_code 1 "no match"
expect_err "no catalogue question matches" "no match"; expect_one_line_err "no match"
run ask "joint labs involving"; expect_code 1 "no name"
# A name that fits nothing, and one that fits several.
run ask "joint labs involving Hogwarts"; expect_code 1 "unknown name"; expect_err "no agency named 'Hogwarts'" "unknown name"
run run agreements-of -p agency=IIT; expect_code 1 "ambiguous name"
expect_err "could be several agency resources" "ambiguous name"; expect_err "iit-hyderabad" "ambiguous lists candidates"
# A full IRI is taken as it is.
run run joint-labs-involving --explain -p agency=$AGENCY/nims; expect_code 0 "IRI name"; expect_out "<$AGENCY/nims>" "IRI name"

# run: parameters are checked and typed.
run run nonsense-query; expect_code 1 "unknown query"; expect_err "unknown query 'nonsense-query'" "unknown query"
run run joint-labs; expect_code 1 "close query name"; expect_err "did you mean: joint-labs-involving" "close query name"
run run joint-labs-involving; expect_code 1 "missing parameter"; expect_err "missing parameter 'agency'" "missing parameter"
run run joint-labs-involving -p agency=NIMS -p colour=red; expect_code 1 "unknown parameter"
run run joint-labs-involving -p agency; expect_code 2 "parameter without value"
run run agreements-signed --explain -p from=2014-13 -p to=2015; expect_code 1 "bad date"; expect_err "is not a date" "bad date"
run run agreements-signed --explain -p from=2014-02-30 -p to=2015; expect_code 1 "impossible date"

# Values are data, never query text.
for payload in 'x" } ; DROP ALL #' '"> <a> <b> .' "x' } UNION { ?s ?p ?o } #" 'a\" } #'; do
  run run find --explain -p "text=$payload"; expect_code 0 "string payload $payload"
  sed 1d "$WORK/out" >"$WORK/bound.rq"
  "$KIZUNA" query --check "$WORK/bound.rq" >/dev/null 2>&1 || \
    "$KIZUNA" query --data "$FX/small.nt" "$WORK/bound.rq" >/dev/null 2>&1 || fail "payload $payload broke the query"
  checks=$((checks + 1))
  grep -c 'DROP\|UNION { ?s ?p ?o }' "$WORK/bound.rq" | grep -q '^[01]$' || fail "payload $payload escaped its string"
done
run run find --explain -p 'text=x" } ; DROP ALL #'
expect_out 'LCASE("x\" } ; DROP ALL #")' "string payload is one escaped literal"
run run describe --explain -p 'thing=x> } DROP ALL {'; expect_code 1 "IRI payload"; expect_err "no resource named 'x> } DROP ALL {'" "IRI payload is a name"
run run describe --explain -p 'thing=http://a/b> <c> <d'; expect_code 1 "IRI payload with spaces"
run run agreements-of --explain -p 'agency=ISRO> } ; DROP ALL #'; expect_code 1 "name payload"
expect_err "no agency named" "name payload is a name, not query"

# Dates: ISO, or with the month's name, at the precision given; a bound
# left out is open (the variable stays unbound).
run run agreements-signed --explain -p "from=March 2015" -p "to=29 October 2018"
expect_code 0 "month names"
expect_out '"2015-03"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>' "March 2015 is a month"
expect_out '"2018-10-29"^^<http://www.w3.org/2001/XMLSchema#date>' "29 October 2018 is a day"
run run agreements-signed --explain -p "from=Smarch 2015"; expect_code 1 "a month that is not one"
expect_err "from: 'Smarch 2015' is not a date" "a month that is not one"; expect_one_line_err "bad month"
run run agreements-signed --explain -p from=2015; expect_code 0 "an open end"
expect_out 'COALESCE(STR(?to), "9999")' "the missing bound stays a variable"
run run --list; expect_out "agreements-signed([from], [to])" "optional parameters are shown"
asks "agreements signed between March 2015 and June 2018" agreements-signed \
  '"2018-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
asks "agreements signed in Oct 2018" agreements-signed '"2018-10"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
asks "agreements signed since 2015" agreements-signed 'COALESCE(STR(?to), "9999")'
run ask --explain "agreements signed since 2015"
expect_out '"2015"^^<http://www.w3.org/2001/XMLSchema#gYear>' "since 2015: from 2015"
expect_out '# matched agreements-signed(from="2015")' "since 2015: no upper bound"
run ask --explain "MoUs until 2007"; expect_out '# matched agreements-signed(to="2007")' "until: no lower bound"

# A question two phrases fit equally: the more specific one answers
# ("institutes" is a unit word of units-of, and only one of the lab words).
asks "which institutes of DAE" units-of "<$AGENCY/department-of-atomic-energy>"
asks "DAE's institutes" units-of "<$AGENCY/department-of-atomic-energy>"
asks "joint labs of DAE" joint-labs-involving "<$AGENCY/department-of-atomic-energy>"

# describe: a resource by any name, resolved as catalogue parameters are.
run describe --explain IITH; expect_code 0 "describe an acronym"; expect_out "<$AGENCY/iit-hyderabad> ?property ?value" "describe binds the resolved IRI"
run describe -f csv "Indian Institute of Technology, Hyderabad"; expect_code 0 "describe a full name"
expect_out "http://www.w3.org/2000/01/rdf-schema#label,Indian Institute of Technology Hyderabad" "describe: the statements"
run describe --explain IIT Hyderbad; expect_code 0 "describe a misspelling (several words)"; expect_out "<$AGENCY/iit-hyderabad>" "fuzzy"
run describe --explain "<$AGENCY/nims>"; expect_code 0 "describe an IRI"; expect_out "<$AGENCY/nims> ?property" "an IRI as it is"
run describe --explain Japan; expect_code 0 "describe a country"; expect_out "<https://w3id.org/kizuna/id/country/japan>" "any class"
run describe IIT; expect_code 1 "describe an ambiguous name"; expect_one_line_err "ambiguous"
expect_err "IIT: 'IIT' could be several resources: " "ambiguous: the message"; expect_err "<$AGENCY/iit-bombay>" "ambiguous: candidates with IRIs"
run describe Hogwarts School; expect_code 1 "describe an unknown name"; expect_one_line_err "unknown"
expect_err "no resource named 'Hogwarts School'" "unknown: the message"
run describe; expect_code 2 "describe without a name"
run describe --help; expect_code 0 "describe --help"; expect_out "Usage: kizuna describe" "describe --help"
run run describe --explain -p thing=NIMS; expect_code 0 "run describe by name"; expect_out "<$AGENCY/nims>" "run describe by name"
asks "describe NIMS" describe "<$AGENCY/nims>"
asks "everything about the Department of Atomic Energy" describe "<$AGENCY/department-of-atomic-energy>"
asks "describe <$AGENCY/nims>" describe "<$AGENCY/nims>"
run ask "describe IIT"; expect_code 1 "ask describe: ambiguous"; expect_err "could be several resources" "ask describe: ambiguous"
finish
