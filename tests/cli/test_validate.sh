# kizuna validate: each rule of ontology/shapes.ttl catches its broken
# example and passes the correct one, exit codes, the text and Turtle
# reports, and the one-line errors for shapes files that must be refused.
. "$(dirname "$0")/lib.sh"
: "${KZ_SOURCE_DIR:?KZ_SOURCE_DIR must name the source tree (ctest sets it)}"
V=$FX/validate
SHAPES=$KZ_SOURCE_DIR/ontology/shapes.ttl
check() { # FIXTURE EXIT SUMMARY [EXPECTED LINE START]
  run validate --shapes "$SHAPES" --data "$V/base.ttl" --data "$V/$1.ttl"
  expect_code "$2" "$1"
  expect_out "$3" "$1"
  [ $# -lt 4 ] || expect_out "$4" "$1"
}
check good 0 "0 violations, 0 warnings"
check agreement-one-party 1 "1 violation, 0 warnings" \
  "Violation agreement:one-party kz:party: An agreement needs at least two kz:party values"
check party-not-agency 1 "1 violation, 0 warnings" \
  "Violation agreement:country-party kz:party: An agreement needs at least two kz:party values, each a kz:Agency. (value: country:japan)"
check agreement-no-date 0 "0 violations, 1 warning" "Warning agreement:undated kz:signedOn: No kz:signedOn"
check date-wrong-datatype 1 "1 violation, 0 warnings" \
  "Violation agreement:string-date kz:signedOn: kz:signedOn must be a single xsd:date"
check date-ill-typed 1 "1 violation, 0 warnings" "Violation agreement:bad-date kz:signedOn:"
expect_out '(value: "2021-13-45"^^xsd:date)' "ill-typed date shows its value"
check lab-no-involves 1 "1 violation, 0 warnings" "Violation lab:alone kz:involves: A joint lab needs"
check project-no-involves 1 "1 violation, 0 warnings" "Violation project:alone kz:involves: A project needs"
check agency-no-label 1 "1 violation, 0 warnings" "Violation agency:nameless rdfs:label: An agency needs an rdfs:label"
check agency-no-country 1 "1 violation, 0 warnings" "Violation agency:stateless kz:country: An agency needs"
check dangling 1 "1 violation, 0 warnings" \
  "Violation lab:dangling kz:location: country:atlantis is in the instance namespace but no triple describes it"

# The W3C report parses back: 2 triples of the report, 2 sh:result links,
# 8 for the violation and 7 for the warning (no sh:value).
run validate --shapes "$SHAPES" --data "$V/base.ttl" --data "$V/party-not-agency.ttl" \
  --data "$V/agreement-no-date.ttl" -f turtle
expect_code 1 "turtle report"
expect_out "sh:ValidationReport" "turtle report"
cp "$WORK/out" "$WORK/report.ttl"
if command -v rapper >/dev/null; then
  expect_eq "$(rdf_count turtle "$WORK/report.ttl")" 19 "turtle report parses back"
fi
run validate --shapes "$SHAPES" --data "$V/base.ttl" --data "$V/good.ttl" -f ntriples
expect_code 0 "ntriples report"
expect_out '<http://www.w3.org/ns/shacl#conforms> "true"^^<http://www.w3.org/2001/XMLSchema#boolean>' "conforms"

# The bundled data against the bundled shapes: it runs, whatever it finds.
run validate
checks=$((checks + 1))
{ [ "$code" = 0 ] || [ "$code" = 1 ]; } || fail "bundled data: exit $code"
expect_out " warning" "bundled data summary"
[ -s "$WORK/err" ] && fail "bundled data: stderr is not empty"

# Shapes files that must be refused: one line naming file, line and column.
run validate --shapes "$V/bad-unknown.ttl" --data "$V/base.ttl"
expect_code 1 "unknown constraint"; expect_one_line_err "unknown constraint"
expect_err "$V/bad-unknown.ttl:7:34: unknown SHACL term sh:minCont" "unknown constraint"
run validate --shapes "$V/bad-unsupported.ttl" --data "$V/base.ttl"
expect_code 1 "unsupported constraint"; expect_one_line_err "unsupported constraint"
expect_err "$V/bad-unsupported.ttl:7:5: unsupported SHACL constraint sh:node" "unsupported constraint"
run validate --shapes "$V/bad-syntax.ttl" --data "$V/base.ttl"
expect_code 1 "shapes syntax"; expect_one_line_err "shapes syntax"
expect_err "$V/bad-syntax.ttl:6" "shapes syntax"
run validate --shapes "$WORK/none.ttl" --data "$V/base.ttl"
expect_code 1 "missing shapes"; expect_one_line_err "missing shapes"

# Usage.
run validate --help; expect_code 0 "help"; expect_out "Usage: kizuna validate" "help"
run validate -f json; expect_code 2 "unknown format"; expect_one_line_err "unknown format"
run validate --shapes; expect_code 2 "missing value"
run validate extra; expect_code 2 "extra argument"
finish
