# Coverage of the source documents: every agreement, lab, project, domain,
# country, event and agency in tests/coverage/expected.tsv (a list written by
# reading the documents) is in the bundled data with its class, and the list
# itself is grounded: each line's evidence occurs verbatim in its document.
# Skips when the documents (../shared/seeds) are absent.
. "$(dirname "$0")/lib.sh"
SEEDS=${KZ_SOURCE_DIR:?}/../shared/seeds
LIST=$KZ_SOURCE_DIR/tests/coverage/expected.tsv
[ -d "$SEEDS" ] || { echo "SKIP: no source documents at $SEEDS"; exit 77; }

run export -f ntriples; expect_code 0 export
cp "$WORK/out" "$WORK/all.nt"
TYPE='<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'
KZ='https://w3id.org/kizuna/ontology#'
lines=0
while IFS=$'\t' read -r kind iri seed evidence; do
  case "$kind" in ''|'#'*) continue ;; esac
  lines=$((lines + 1))
  doc=$(ls "$SEEDS/${seed}"_*.txt 2>/dev/null | head -1)
  checks=$((checks + 2))
  [ -n "$doc" ] && grep -qF -- "$evidence" "$doc" || fail "$iri: '$evidence' is not in document $seed"
  grep -qF "<$iri> $TYPE <$KZ$kind> ." "$WORK/all.nt" || fail "$iri is not a kz:$kind in the data"
done <"$LIST"
checks=$((checks + 1))
[ "$lines" -ge 100 ] || fail "coverage list has only $lines lines"
# And the other way round: every agreement, lab, project and event in the
# data is on the list (nothing encoded that nobody read).
for kind in Agreement JointLab Project Event; do
  while read -r iri; do
    checks=$((checks + 1))
    grep -qP "^$kind\t${iri//./\\.}\t" "$LIST" || fail "$iri (kz:$kind) is not on the coverage list"
  done < <(grep -F " $TYPE <$KZ$kind> ." "$WORK/all.nt" | grep -o '^<[^>]*>' | tr -d '<>' | sort -u)
done
echo "coverage list: $lines lines"
finish
