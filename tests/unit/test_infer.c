/* Unit tests for inference: each rule, cycles, idempotence, the separate graph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kizuna/kizuna.h"
#include "test_util.h"

#define A "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
#define EX(x) "<http://example.org/" x ">"

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

/* Is the N-Triples line "s p o ." in the inferred graph? Read through the
 * exporter, so the check depends on no query engine. */
static int inferred(kz_store *store, const char *s, const char *p, const char *o) {
  char *dump = NULL, line[512];
  size_t size = 0;
  FILE *out = open_memstream(&dump, &size);
  kz_error err;
  kz_status status = kz_store_export(store, out, "ntriples", KZ_INFERRED_GRAPH, &err);
  fclose(out);
  snprintf(line, sizeof line, "%s %s %s .\n", s, p, o);
  int found = (status == KZ_OK || status == KZ_ERR_NOT_FOUND) && strstr(dump, line) != NULL;
  free(dump);
  return found;
}

static void test_rules(void **state) {
  kz_store *store = *state;
  kz_error err;
  uint64_t added = 0;
  assert_int_equal(kz_store_infer(store, &added, &err), KZ_OK);
  assert_true(added > 0);
  assert_true(inferred(store, EX("mou1"), A, EX("Agreement")));               /* subClassOf */
  assert_true(inferred(store, EX("mou1"), A, EX("Document")));                /* ... transitively */
  assert_true(inferred(store, EX("MoU"), "<http://www.w3.org/2000/01/rdf-schema#subClassOf>", EX("Document")));   /* hierarchy closure */
  assert_true(inferred(store, EX("lab1"), EX("involves"), EX("iith")));          /* subPropertyOf */
  assert_true(inferred(store, EX("lab1"), A, EX("Activity")));                /* domain, via the superproperty */
  assert_true(inferred(store, EX("iith"), A, EX("Agency")));                  /* range */
  assert_true(inferred(store, EX("dept"), EX("partOf"), EX("government")));      /* transitive */
  assert_true(inferred(store, EX("government"), EX("hasPart"), EX("dept")));     /* inverse */
  assert_true(inferred(store, EX("dept"), EX("hasPart"), EX("ministry")));       /* inverse of a derived triple */
  assert_true(inferred(store, EX("japan"), EX("partners"), EX("india")));        /* symmetric */
  assert_true(inferred(store, EX("x"), A, EX("B")));                          /* through a class cycle */
  assert_true(inferred(store, EX("dept"), EX("partOf"), EX("dept")));            /* a transitive cycle closes */
  /* Asserted triples are not repeated, and literals get no types. */
  assert_false(inferred(store, EX("mou1"), A, EX("MoU")));
  assert_false(inferred(store, "\"lab one\"", A, EX("Agency")));
}

static void test_idempotent_and_droppable(void **state) {
  kz_store *store = *state;
  kz_error err;
  uint64_t added = 1;
  assert_int_equal(kz_store_infer(store, &added, &err), KZ_OK);
  assert_int_equal(added, 0); /* already at the fixpoint */
  assert_int_equal(kz_store_drop_graph(store, KZ_INFERRED_GRAPH, &err), KZ_OK);
  assert_false(inferred(store, EX("mou1"), A, EX("Agreement")));
  assert_int_equal(kz_store_infer(store, &added, &err), KZ_OK);
  assert_true(added > 0);
  assert_true(inferred(store, EX("mou1"), A, EX("Agreement")));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rules),
      cmocka_unit_test(test_idempotent_and_droppable),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
