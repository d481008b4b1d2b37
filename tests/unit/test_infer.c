/* Unit tests for inference: each rule, cycles, idempotence, the separate graph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kizuna/kizuna.h"
#include "test_util.h"

#define A "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

static int setup(void **state) {
  kz_store *store = NULL;
  kz_error err;
  if (kz_store_open(&store, "memory", NULL, &err) != KZ_OK ||
      kz_store_load(store, fixture("infer.ttl"), NULL, NULL, &err) != KZ_OK)
    return -1;
  *state = store;
  return 0;
}

static int teardown(void **state) {
  kz_store_free(*state);
  return 0;
}

/* Is (s p o) in the inferred graph? (Rasqal 0.9.33 ignores the graph for a
 * constant GRAPH IRI and for fully bound patterns, hence the variables and
 * the filter.) */
static int inferred(kz_store *store, const char *s, const char *p, const char *o) {
  char text[1024];
  snprintf(text, sizeof text,
           "PREFIX ex: <http://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
           "ASK { GRAPH ?g { ?s ?p ?o } FILTER(?g = <" KZ_INFERRED_GRAPH "> && "
           "?s = %s && ?p = %s && ?o = %s) }", s, p, o);
  kz_query *query = NULL;
  kz_results *results = NULL;
  kz_error err;
  assert_int_equal(kz_query_prepare(&query, store, text, NULL, &err), KZ_OK);
  assert_int_equal(kz_query_execute(&results, query, &err), KZ_OK);
  int answer = kz_results_get_boolean(results);
  kz_results_free(results);
  kz_query_free(query);
  return answer;
}

static void test_rules(void **state) {
  kz_store *store = *state;
  kz_error err;
  uint64_t added = 0;
  assert_int_equal(kz_store_infer(store, &added, &err), KZ_OK);
  assert_true(added > 0);
  assert_true(inferred(store, "ex:mou1", A, "ex:Agreement"));               /* subClassOf */
  assert_true(inferred(store, "ex:mou1", A, "ex:Document"));                /* ... transitively */
  assert_true(inferred(store, "ex:MoU", "rdfs:subClassOf", "ex:Document"));   /* hierarchy closure */
  assert_true(inferred(store, "ex:lab1", "ex:involves", "ex:iith"));          /* subPropertyOf */
  assert_true(inferred(store, "ex:lab1", A, "ex:Activity"));                /* domain, via the superproperty */
  assert_true(inferred(store, "ex:iith", A, "ex:Agency"));                  /* range */
  assert_true(inferred(store, "ex:dept", "ex:partOf", "ex:government"));      /* transitive */
  assert_true(inferred(store, "ex:government", "ex:hasPart", "ex:dept"));     /* inverse */
  assert_true(inferred(store, "ex:dept", "ex:hasPart", "ex:ministry"));       /* inverse of a derived triple */
  assert_true(inferred(store, "ex:japan", "ex:partners", "ex:india"));        /* symmetric */
  assert_true(inferred(store, "ex:x", A, "ex:B"));                          /* through a class cycle */
  assert_true(inferred(store, "ex:dept", "ex:partOf", "ex:dept"));            /* a transitive cycle closes */
  /* Asserted triples are not repeated, and literals get no types. */
  assert_false(inferred(store, "ex:mou1", A, "ex:MoU"));
  assert_false(inferred(store, "\"lab one\"", A, "ex:Agency"));
}

static void test_idempotent_and_droppable(void **state) {
  kz_store *store = *state;
  kz_error err;
  uint64_t added = 1;
  assert_int_equal(kz_store_infer(store, &added, &err), KZ_OK);
  assert_int_equal(added, 0); /* already at the fixpoint */
  assert_int_equal(kz_store_drop_graph(store, KZ_INFERRED_GRAPH, &err), KZ_OK);
  assert_false(inferred(store, "ex:mou1", A, "ex:Agreement"));
  assert_int_equal(kz_store_infer(store, &added, &err), KZ_OK);
  assert_true(added > 0);
  assert_true(inferred(store, "ex:mou1", A, "ex:Agreement"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rules),
      cmocka_unit_test(test_idempotent_and_droppable),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
