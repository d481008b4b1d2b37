# Runs the libFuzzer harness of the SPARQL parser for a bounded time
# (KZ_FUZZ_SECONDS, default 30) over a seed corpus made of the W3C test
# queries (when ../shared/w3c-tests is there) and the bundled queries.
# Skips unless the build has the harness: CC=clang cmake -DKZ_FUZZ=ON.
set -u
if [ -z "${FUZZER:-}" ] || [ ! -x "$FUZZER" ]; then
  echo "SKIP: the libFuzzer harness is not built (configure with CC=clang and -DKZ_FUZZ=ON)"
  exit 77
fi
: "${KZ_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
w3c=${KZ_W3C_DIR:-$KZ_SOURCE_DIR/../shared/w3c-tests/sparql}
n=0
while IFS= read -r -d '' query; do
  n=$((n + 1))
  cp "$query" "$work/corpus/seed-$n.rq"
done < <(find "$w3c" "$KZ_SOURCE_DIR/queries" -name '*.rq' -print0 2>/dev/null)
echo "seed corpus: $n queries"
# Crash inputs are kept next to the test (the build directory) for replay.
"$FUZZER" -max_total_time="${KZ_FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 \
  -max_len=16384 -print_final_stats=1 -artifact_prefix="$PWD/fuzz-" "$work/corpus" \
  >"$work/log" 2>&1
code=$?
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done )" "$work/log"
if [ "$code" -ne 0 ]; then
  tail -60 "$work/log"
  echo "the fuzzer found a problem (exit $code); the input is saved as $PWD/fuzz-*"
  exit 1
fi
echo "libFuzzer: no problem found"
