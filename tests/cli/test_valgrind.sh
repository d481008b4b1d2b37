# The CLI is valgrind-clean: no invalid access, no definite leak, on the
# main paths (query in each form and through each kind of operator, the
# headline question, a syntax error, export, stats).
. "$(dirname "$0")/lib.sh"
need valgrind
[ "${KZ_SANITIZE:-OFF}" = "ON" ] && { echo "SKIP: sanitizer build"; exit 77; }
vg() {
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite "$KIZUNA" "$@" >"$WORK/out" 2>"$WORK/err"
  code=$?
}
D="--data $FX/small.ttl"
vg query $D -f json -e 'SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } } ORDER BY ?s'; expect_code 0 "select"
vg query $D -e 'SELECT ?s WHERE { ?s ?p ?o }'; expect_code 0 "table"
vg query $D -f turtle -e 'CONSTRUCT WHERE { ?s ?p ?o }'; expect_code 0 "construct"
vg query $D -e 'ASK { ?s ?p ?o }'; expect_code 0 "ask"
vg query $D -e 'SELECT ?s WHERE { ?s ?p }'; expect_code 1 "bad query"
vg query $D -f tsv -e 'SELECT ?s (COUNT(*) AS ?n) (GROUP_CONCAT(DISTINCT STR(?o); SEPARATOR="|") AS ?all)
  WHERE { ?s (<http://example.org/p>|^<http://example.org/p>)* ?x . ?x ?p ?o
          FILTER(REGEX(STR(?o), "\\w", "i")) FILTER NOT EXISTS { ?o ?q ?r } MINUS { ?s ?p "nothing" } }
  GROUP BY ?s ORDER BY DESC(?n) LIMIT 3'; expect_code 0 "paths, aggregates, negation"
vg query $D -f tsv -e 'SELECT * { VALUES ?x { 1 2 } BIND(?x + 1 AS ?y) BIND(BNODE() AS ?b) BIND(SHA256(STR(?y)) AS ?h) }'
expect_code 0 "values, bind, functions"
vg query $D -f ntriples -e 'DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 1'; expect_code 0 "describe"
vg ask "all joint labs involving IIT Hyderabad"; expect_code 0 "headline question"
vg load "$FX/bad.ttl"; expect_code 1 "bad data"
vg export $D -f trig; expect_code 0 "export"
vg stats $D; expect_code 0 "stats"
vg load --store "sqlite:$WORK/v.db" "$FX/small.ttl"; expect_code 0 "sqlite load"
vg query --store "sqlite:$WORK/v.db" -e 'SELECT ?s WHERE { ?s ?p ?o }'; expect_code 0 "sqlite query"
finish
