# Answers on the bundled data, checked against tests/coverage/answers.tsv,
# which was written by reading the source documents (not by querying): each
# question there is asked (`kizuna run`, `ask` or `query`) and its whole
# answer compared: the columns, every row, the order. Every catalogue query
# must have a question there. Then each %evidence passage must occur verbatim
# in its document; that part needs ../shared/seeds, and without it the test
# ends with exit 77 (skipped) once all the answers have matched.
. "$(dirname "$0")/lib.sh"
need python3
ANSWERS=${KZ_SOURCE_DIR:?}/tests/coverage/answers.tsv
SEEDS=$KZ_SOURCE_DIR/../shared/seeds
Q=$KZ_SOURCE_DIR/queries

# lines ID KIND: the fields after the kind of question ID's KIND lines.
lines() { awk -F'\t' -v id="$1" -v kind="$2" '$1 == id && $2 == kind' "$ANSWERS" | cut -f3-; }

# Ask every question; each answer is kept as $WORK/answer.N and listed in
# $WORK/asked as N<TAB>ID<TAB>EXIT<TAB>DESCRIPTION, to be compared below.
n=0
asked() {
  n=$((n + 1))
  cp "$WORK/out" "$WORK/answer.$n"
  printf '%s\t%s\t%s\t%s\n' "$n" "$1" "$code" "$2" >>"$WORK/asked"
}
: >"$WORK/asked"
ids=$(awk -F'\t' '!/^#/ && NF && !seen[$1]++ { print $1 }' "$ANSWERS")
questions=0
for id in $ids; do
  questions=$((questions + 1))
  checks=$((checks + 1))
  [ -n "$(lines "$id" %cols)" ] && [ -n "$(lines "$id" %evidence)" ] &&
    [ "$(lines "$id" %run | wc -l)$(lines "$id" %query | wc -l)" != 00 ] ||
    fail "$id: needs %cols, %evidence and a %run or %query line"
  while IFS=$'\t' read -r -a f; do
    args=()
    for kv in "${f[@]:1}"; do args+=(-p "$kv"); done
    run run -f csv "${f[0]}" "${args[@]}"
    asked "$id" "kizuna run ${f[*]}"
  done < <(lines "$id" %run)
  while IFS= read -r sparql; do
    run query -f csv -e "$sparql"
    asked "$id" "kizuna query (%query)"
  done < <(lines "$id" %query)
  while IFS= read -r question; do
    run ask -f csv "$question"
    asked "$id" "kizuna ask '$question'"
  done < <(lines "$id" %ask)
done

# Compare: CSV and the expected rows become lines of tab-separated cells, the
# header first; a cell joining several names with "; " has them sorted, as
# GROUP_CONCAT's order is not defined. Prints the failures, then their count.
cat >"$WORK/compare.py" <<'EOF'
import csv, difflib, sys
work, answers = sys.argv[1], sys.argv[2]
def cells(row):
    return "\t".join("; ".join(sorted(c.split("; "))) for c in row)
expected = {}
for line in open(answers, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if line.startswith("#") or len(f) < 2 or (f[1].startswith("%") and f[1] != "%cols"):
        continue
    rows = expected.setdefault(f[0], [])
    if f[1] == "%cols":
        rows.insert(0, cells(f[2:]))
    else:
        rows.append(cells(f[1:]))
failed = 0
for line in open(work + "/asked", encoding="utf-8"):
    n, qid, code, what = line.rstrip("\n").split("\t", 3)
    with open("%s/answer.%s" % (work, n), encoding="utf-8", newline="") as out:
        got = [cells(row) for row in csv.reader(out)]
    if code != "0" or got != expected.get(qid):
        failed += 1
        print("FAIL: %s: %s: %s" % (qid, what, "exit " + code if code != "0" else
              "the answer differs from answers.tsv (- expected, + kizuna)"), file=sys.stderr)
        for d in difflib.unified_diff(expected.get(qid, []), got, lineterm="", n=0):
            print("  " + d, file=sys.stderr)
print(failed)
EOF
checks=$((checks + n))
failures=$((failures + $(python3 "$WORK/compare.py" "$WORK" "$ANSWERS")))

# Every catalogue query has an expected answer.
for f in "$Q"/*.rq; do
  name=$(sed -n 's/^# name: //p' "$f")
  checks=$((checks + 1))
  awk -F'\t' -v q="$name" '$2 == "%run" && $3 == q { found = 1 } END { exit !found }' "$ANSWERS" ||
    fail "catalogue query $name has no expected answer in answers.tsv"
done
echo "$questions questions, $n answers compared"

# The evidence: each passage is in its document, verbatim.
if [ ! -d "$SEEDS" ]; then
  echo "$checks checks, $failures failed"
  [ "$failures" -eq 0 ] || exit 1
  echo "SKIP: the evidence needs the source documents at $SEEDS"
  exit 77
fi
while IFS=$'\t' read -r id kind seed text; do
  [ "$kind" = %evidence ] || continue
  checks=$((checks + 1))
  doc=$(ls "$SEEDS/${seed}"_*.txt 2>/dev/null | head -1)
  [ -n "$doc" ] && grep -qF -- "$text" "$doc" || fail "$id: '$text' is not in document $seed"
done < <(grep -v '^#' "$ANSWERS")
finish
