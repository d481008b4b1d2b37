# Helpers for the end-to-end tests of Kizuna's own SPARQL evaluator. Sourced
# by every tests/sparql/test_*.sh, on top of the cli helpers (run, fail,
# expect_code, expect_out, expect_err, expect_eq, finish ...).
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# The fixtures are copied to $WORK/data so that their file:// IRIs (the
# names of --named graphs, FROM <file:...>) are the same on every machine
# and hold no character that needs escaping.
DATA=$WORK/data
cp -r "$(dirname "${BASH_SOURCE[0]}")/data" "$DATA"

# Prefixes every query may use.
PFX='PREFIX : <http://ex.org/> PREFIX kz: <https://w3id.org/kizuna/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
'

# compact: makes results short to read and to write: <http://ex.org/a> is
# :a, xsd datatypes are xsd:T, a fixture <file://$DATA/g1.ttl> is <g1.ttl>,
# and the TSV column separator is '|'.
compact() {
  sed -e 's|<http://ex.org/\([^<>]*\)>|:\1|g' \
      -e 's|<http://www.w3.org/2001/XMLSchema#\([A-Za-z]*\)>|xsd:\1|g' \
      -e "s|<file://$DATA/\\([^<>]*\\)>|<\\1>|g" \
      -e 's|\t|\||g'
}

# q ARGS...: `kizuna query --no-infer -f tsv ARGS` (add --data/--named
# yourself); $rows is the compacted TSV. Every query gets the prefixes: use
# qe DATAFILE QUERY for the common case of one --data file from $DATA.
q() {
  run query --no-infer -f tsv "$@"
  rows=$(compact <"$WORK/out")
}
qe() { local data=$1; shift; q --data "$DATA/$data" -e "$PFX$1"; }

# expect_rows EXPECTED LABEL: exit 0 and exactly these rows (header first).
expect_rows() {
  checks=$((checks + 1))
  if [ "$code" != 0 ]; then fail "$2: expected exit 0"; return; fi
  if [ "$rows" != "$1" ]; then
    fail "$2: rows differ"
    diff <(printf '%s\n' "$1") <(printf '%s\n' "$rows") | sed 's/^/    /' >&2
  fi
}

# expect_rows_sorted EXPECTED LABEL: the same rows in any order (the header
# stays first); for queries whose order SPARQL leaves undefined.
sort_body() { { IFS= read -r head; printf '%s\n' "$head"; LC_ALL=C sort; } <<<"$1"; }
expect_rows_sorted() {
  local want got
  want=$(sort_body "$1")
  got=$(sort_body "$rows")
  checks=$((checks + 1))
  if [ "$code" != 0 ]; then fail "$2: expected exit 0"; return; fi
  if [ "$want" != "$got" ]; then
    fail "$2: rows differ (sorted)"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    /' >&2
  fi
}

# expect_err_re REGEX LABEL: stderr matches the extended regex.
expect_err_re() {
  checks=$((checks + 1))
  grep -qE -- "$1" "$WORK/err" || fail "$2: stderr does not match /$1/"
}

# rasqal_runs LABEL ARGS...: the same query through Redland's Rasqal, for
# comparison only: its answer is not checked (it is known to be wrong on
# these), only that it answers (exit 0) or refuses cleanly (exit 1 with a
# message), and does not crash.
rasqal_runs() {
  local label=$1; shift
  q --engine rasqal "$@"
  checks=$((checks + 1))
  case $code in
    0) ;;
    1) [ -s "$WORK/err" ] || fail "$label (rasqal): exit 1 without a message" ;;
    *) fail "$label (rasqal): neither an answer nor a clean error" ;;
  esac
}

# elapsed_since START: whole seconds since START (from `date +%s%N`).
elapsed_since() { echo $((($(date +%s%N) - $1) / 1000000000)); }

skip_under_sanitizers() {
  [ "${KZ_SANITIZE:-OFF}" = "ON" ] && { echo "SKIP: $1 (sanitizer build)"; exit 77; }
  return 0
}
