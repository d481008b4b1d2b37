# Helpers for the end-to-end tests: run the real kizuna binary and check
# what it prints and how it exits. Sourced by every test_*.sh.
set -u
: "${KIZUNA:?KIZUNA must name the kizuna binary (ctest sets it)}"
: "${KZ_FIXTURES:?KZ_FIXTURES must name tests/fixtures}"
FX=$KZ_FIXTURES
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
checks=0

# run ARGS...: runs kizuna, keeping stdout in $out, stderr in $err, exit in $code
run() {
  "$KIZUNA" "$@" >"$WORK/out" 2>"$WORK/err"
  code=$?
  out=$(cat "$WORK/out")
  err=$(cat "$WORK/err")
}

fail() {
  failures=$((failures + 1))
  echo "FAIL: $*" >&2
  echo "  exit: ${code:-}" >&2
  echo "  stdout: $(head -c 600 "$WORK/out" 2>/dev/null)" >&2
  echo "  stderr: $(head -c 600 "$WORK/err" 2>/dev/null)" >&2
}

expect_code() { checks=$((checks + 1)); [ "$code" = "$1" ] || fail "$2: expected exit $1"; }
expect_out() { checks=$((checks + 1)); grep -qF -- "$1" "$WORK/out" || fail "$2: stdout lacks '$1'"; }
expect_err() { checks=$((checks + 1)); grep -qF -- "$1" "$WORK/err" || fail "$2: stderr lacks '$1'"; }
expect_no_out() { checks=$((checks + 1)); ! grep -qF -- "$1" "$WORK/out" || fail "$2: stdout has '$1'"; }
expect_eq() { checks=$((checks + 1)); [ "$1" = "$2" ] || fail "$3: '$1' != '$2'"; }
# The error must be one line, with no library noise.
expect_one_line_err() {
  checks=$((checks + 1))
  [ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "$1: stderr is not one line"
}

need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 is not installed"; exit 77; }; }

finish() {
  echo "$checks checks, $failures failed"
  [ "$failures" -eq 0 ]
}

# rdf_count SYNTAX FILE: the number of triples rapper parses from FILE, or
# "error" when rapper reports any error.
rdf_count() {
  local log
  log=$(rapper -i "$1" -c "$2" 2>&1) || { echo error; return; }
  if grep -q "Error" <<<"$log"; then echo error; return; fi
  sed -n 's/.*returned \([0-9]*\) triple.*/\1/p' <<<"$log"
}
