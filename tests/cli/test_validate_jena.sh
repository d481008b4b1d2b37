# kizuna validate and Apache Jena's SHACL validator agree on the number of
# violations and warnings for every validation fixture. Skips when Java or
# Jena (shared/tools/jena) is not there.
. "$(dirname "$0")/lib.sh"
: "${KZ_SOURCE_DIR:?KZ_SOURCE_DIR must name the source tree (ctest sets it)}"
JENA=$KZ_SOURCE_DIR/../shared/tools/jena
[ -x "$JENA" ] || { echo "SKIP: no $JENA"; exit 77; }
"$JENA" shacl.shacl validate --help >/dev/null 2>&1
[ $? -eq 3 ] && { echo "SKIP: Jena needs Java and libapache-jena-java"; exit 77; }
V=$FX/validate
# compare NAME SHAPES DATA: both validators on the same single data file,
# without inference, which Jena does not do either.
compare() {
  run validate --no-infer --shapes "$2" --data "$3"
  local violations warnings
  violations=$(sed -n 's/^\([0-9]*\) violations*, .*/\1/p' "$WORK/out")
  warnings=$(sed -n 's/^[0-9]* violations*, \([0-9]*\) warning.*/\1/p' "$WORK/out")
  if ! "$JENA" shacl.shacl validate --shapes "$2" --data "$3" >"$WORK/jena.ttl" 2>"$WORK/jena.err"; then
    fail "$1: jena failed: $(head -c 300 "$WORK/jena.err")"
    return
  fi
  expect_eq "$violations" "$(grep -c 'sh:resultSeverity *sh:Violation' "$WORK/jena.ttl")" "$1: violations"
  expect_eq "$warnings" "$(grep -c 'sh:resultSeverity *sh:Warning' "$WORK/jena.ttl")" "$1: warnings"
}
for f in good agreement-one-party party-not-agency agreement-no-date date-wrong-datatype \
         date-ill-typed lab-no-involves project-no-involves agency-no-label agency-no-country \
         dangling; do
  cat "$V/base.ttl" "$V/$f.ttl" >"$WORK/$f.ttl"
  compare "$f" "$KZ_SOURCE_DIR/ontology/shapes.ttl" "$WORK/$f.ttl"
done
compare core "$V/core-shapes.ttl" "$V/core-data.ttl"
finish
