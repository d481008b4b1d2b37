# Answers on the bundled data, checked against tests/coverage/answers.tsv,
# which was written by reading the source documents (not by querying).
. "$(dirname "$0")/lib.sh"
ANSWERS=${KZ_SOURCE_DIR:?}/tests/coverage/answers.tsv

# expected ID: the answer IRIs of question ID, sorted (first column after ID).
expected() { awk -F'\t' -v id="$1" '$1 == id { print $2 }' "$ANSWERS" | sort; }
# got: the first column of the CSV in $WORK/out, sorted, header dropped.
got() { sed 1d "$WORK/out" | tr -d '\r' | cut -d, -f1 | sort; }

same_answer() { # ID DESCRIPTION
  checks=$((checks + 1))
  if [ "$(got)" != "$(expected "$1")" ]; then
    fail "$2: answer differs from $1 in answers.tsv"
    diff <(got) <(expected "$1") >&2
  fi
}

run ask -f csv "all joint labs involving IIT Hyderabad"; expect_code 0 headline
same_answer joint-labs-iith "the headline question"
run ask -f csv "which countries does India partner with in quantum technologies"; expect_code 0 quantum
same_answer quantum-partners "quantum partners"
run ask -f csv "partner countries in clean energy"; expect_code 0 "clean energy"
same_answer clean-energy-partners "clean energy partners"
run ask -f csv "units of the Department of Atomic Energy"; expect_code 0 "DAE units"
same_answer agencies-part-of-dae "units of DAE (transitive partOf)"

# Every agreement between ISRO and JAXA, in date order, at the precision the
# documents give. (The catalogue's agreements-between answers this too; on
# the Rasqal evaluator it takes minutes, so the data is checked directly.)
run query -f csv -e 'PREFIX kz: <https://w3id.org/kizuna/ontology#>
  SELECT ?agreement ?date WHERE {
    ?agreement a kz:Agreement ;
      kz:party <https://w3id.org/kizuna/id/agency/isro>, <https://w3id.org/kizuna/id/agency/jaxa> .
    OPTIONAL { ?agreement kz:signedOn ?date } } ORDER BY STR(?date)'
expect_code 0 "ISRO-JAXA agreements"
checks=$((checks + 1))
want=$(awk -F'\t' '$1 == "agreements-isro-jaxa" { print $2 "," $3 }' "$ANSWERS")
have=$(sed 1d "$WORK/out" | tr -d '\r')
[ "$have" = "$want" ] || { fail "ISRO-JAXA agreements differ from answers.tsv"; diff <(echo "$have") <(echo "$want") >&2; }
finish
