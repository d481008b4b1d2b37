# kizuna validate is valgrind-clean (no invalid access, no definite leak):
# every constraint, SPARQL constraints on IRIs and blank nodes, the native
# dangling-IRI check, the Turtle writer, and a refused shapes file.
. "$(dirname "$0")/lib.sh"
need valgrind
[ "${KZ_SANITIZE:-OFF}" = "ON" ] && { echo "SKIP: sanitizer build"; exit 77; }
: "${KZ_SOURCE_DIR:?KZ_SOURCE_DIR must name the source tree (ctest sets it)}"
V=$FX/validate
vg() {
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite "$KIZUNA" "$@" >"$WORK/out" 2>"$WORK/err"
  code=$?
}
vg validate --shapes "$V/core-shapes.ttl" --data "$V/core-data.ttl"; expect_code 1 "core constraints"
vg validate --shapes "$KZ_SOURCE_DIR/ontology/shapes.ttl" --data "$V/base.ttl" --data "$V/dangling.ttl" \
  -f turtle; expect_code 1 "project shapes, turtle"
vg validate --shapes "$V/bad-unknown.ttl" --data "$V/base.ttl"; expect_code 1 "refused shapes"
finish
