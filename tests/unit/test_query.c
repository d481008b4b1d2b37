/* Unit tests for the query API: forms, iteration, terms, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "kizuna/kizuna.h"
#include "test_util.h"

static int setup(void **state) {
  kz_store *store = NULL;
  kz_error err;
  if (kz_store_open(&store, "memory", NULL, &err) != KZ_OK ||
      kz_store_load(store, fixture("small.ttl"), NULL, NULL, &err) != KZ_OK)
    return -1;
  *state = store;
  return 0;
}

static int teardown(void **state) {
  kz_store_free(*state);
  return 0;
}

static kz_results *run(kz_store *store, const char *text, kz_query **query) {
  kz_error err;
  kz_results *results = NULL;
  assert_int_equal(kz_query_prepare(query, store, text, NULL, &err), KZ_OK);
  assert_int_equal(kz_query_execute(&results, *query, &err), KZ_OK);
  return results;
}

static void test_select_rows_and_terms(void **state) {
  kz_query *query = NULL;
  kz_results *results = run(*state,
      "PREFIX ex: <http://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
      " SELECT ?lab ?label ?opened WHERE { ?lab a ex:JointLab ; rdfs:label ?label ;"
      " ex:involves ex:iith . OPTIONAL { ?lab ex:opened ?opened } } ORDER BY ?lab", &query);
  assert_int_equal(kz_query_get_form(query), KZ_QUERY_SELECT);
  assert_int_equal(kz_results_get_kind(results), KZ_RESULTS_BINDINGS);
  assert_int_equal(kz_results_get_column_count(results), 3);
  assert_string_equal(kz_results_get_column_name(results, 1), "label");
  kz_error err;
  assert_int_equal(kz_results_next(results, &err), KZ_OK);
  const kz_term *lab = kz_results_get_value(results, 0);
  assert_int_equal(lab->kind, KZ_TERM_IRI);
  assert_string_equal(lab->value, "http://example.org/lab1");
  const kz_term *label = kz_results_get_value(results, 1);
  assert_int_equal(label->kind, KZ_TERM_LITERAL);
  assert_string_equal(label->language, "en");
  const kz_term *opened = kz_results_get_value(results, 2);
  assert_string_equal(opened->datatype, "http://www.w3.org/2001/XMLSchema#date");
  assert_int_equal(kz_results_next(results, &err), KZ_OK);
  assert_null(kz_results_get_value(results, 2)); /* unbound */
  assert_null(kz_results_get_value(results, 1)->datatype); /* plain string */
  assert_int_equal(kz_results_next(results, &err), KZ_DONE);
  kz_results_free(results);
  kz_query_free(query);
}

static void test_ask_and_construct(void **state) {
  kz_query *query = NULL;
  kz_results *results = run(*state, "ASK { ?s ?p \"NIMS\"@en }", &query);
  assert_int_equal(kz_results_get_kind(results), KZ_RESULTS_BOOLEAN);
  assert_int_equal(kz_results_get_boolean(results), 1);
  kz_results_free(results);
  kz_query_free(query);

  results = run(*state, "CONSTRUCT { ?s <http://example.org/knows> ?o } "
                        "WHERE { ?s <http://example.org/involves> ?o }", &query);
  assert_int_equal(kz_query_get_form(query), KZ_QUERY_CONSTRUCT);
  assert_int_equal(kz_results_get_kind(results), KZ_RESULTS_GRAPH);
  kz_error err;
  int triples = 0;
  while (kz_results_next(results, &err) == KZ_OK) {
    assert_string_equal(kz_results_get_value(results, 1)->value, "http://example.org/knows");
    triples++;
  }
  assert_int_equal(triples, 3);
  kz_results_free(results);
  kz_query_free(query);
}

static void test_bad_query_names_line(void **state) {
  kz_query *query = NULL;
  kz_error err;
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.source = "q.rq";
  assert_int_equal(kz_query_prepare(&query, *state, "SELECT ?s\nWHERE { ?s ?p }", &options, &err),
                   KZ_ERR_QUERY);
  assert_null(query);
  assert_string_equal(err.source, "q.rq");
  assert_int_equal(err.line, 2);
  assert_true(strlen(err.message) > 0);
  assert_int_equal(kz_query_prepare(&query, *state, "DROP ALL", NULL, &err), KZ_ERR_QUERY);
  kz_query_free(NULL);
  kz_results_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_select_rows_and_terms),
      cmocka_unit_test(test_ask_and_construct),
      cmocka_unit_test(test_bad_query_names_line),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
