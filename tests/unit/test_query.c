/* Unit tests for the query API: forms, iteration, terms, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The number of rows of text run with options over store, or -status. */
static long count_with(kz_store *store, const char *text, const kz_query_options *options,
                       kz_error *err) {
  kz_query *query = NULL;
  kz_results *results = NULL;
  kz_status status = kz_query_prepare(&query, store, text, options, err);
  if (status == KZ_OK)
    status = kz_query_execute(&results, query, err);
  long rows = 0;
  while (status == KZ_OK && (status = kz_results_next(results, err)) == KZ_OK)
    rows++;
  kz_results_free(results);
  kz_query_free(query);
  return status == KZ_DONE ? rows : -(long)status;
}

/* from_store_only: FROM names graphs of the store, never a local file. */
static void test_from_store_only(void **state) {
  (void)state;
  kz_store *store = NULL;
  kz_error err;
  char small_ttl[4096], small_nt[4096], text[9000];
  assert_non_null(realpath(fixture("small.ttl"), small_ttl));
  assert_non_null(realpath(fixture("small.nt"), small_nt));
  assert_int_equal(kz_store_open(&store, "memory", NULL, &err), KZ_OK);
  assert_int_equal(kz_store_load(store, small_ttl, NULL, NULL, &err), KZ_OK);
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  /* A file that is not a graph of the store: loaded for the query... */
  snprintf(text, sizeof text, "SELECT * FROM <file://%s> WHERE { ?s ?p ?o }", small_nt);
  assert_true(count_with(store, text, &options, &err) > 0);
  /* ...unless FROM is kept to the store: an error naming it, at prepare */
  options.from_store_only = 1;
  kz_query *query = NULL;
  assert_int_equal(kz_query_prepare(&query, store, text, &options, &err), KZ_ERR_NOT_FOUND);
  assert_null(query);
  assert_non_null(strstr(err.message, small_nt));
  assert_non_null(strstr(err.message, "not a graph of the store"));
  snprintf(text, sizeof text, "SELECT * FROM NAMED <file://%s> WHERE { GRAPH ?g { ?s ?p ?o } }",
           small_nt);
  assert_int_equal(count_with(store, text, &options, &err), -KZ_ERR_NOT_FOUND);
  assert_non_null(strstr(err.message, "FROM NAMED <file://"));
  assert_int_equal(count_with(store, "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", &options,
                              &err),
                   -KZ_ERR_NOT_FOUND);
  /* a relative IRI, resolved against the base, is no different */
  options.base = "file:///etc/";
  assert_int_equal(count_with(store, "SELECT * FROM <passwd> { ?s ?p ?o }", &options, &err),
                   -KZ_ERR_NOT_FOUND);
  assert_non_null(strstr(err.message, "<file:///etc/passwd>"));
  options.base = NULL;
  /* a graph of the store (here a file: IRI itself) is fine */
  snprintf(text, sizeof text, "SELECT * FROM <file://%s> WHERE { ?s ?p ?o }", small_ttl);
  long in_store = count_with(store, text, &options, &err);
  assert_true(in_store > 0);
  /* the caller's dataset wins over FROM: nothing is checked or read */
  const char *graphs[] = {"http://nowhere/graph"};
  kz_dataset dataset = {graphs, 1, NULL, 0};
  options.dataset = &dataset;
  snprintf(text, sizeof text, "SELECT * FROM <file://%s> WHERE { ?s ?p ?o }", small_nt);
  assert_int_equal(count_with(store, text, &options, &err), 0);
  options.dataset = NULL;
  /* version 1 of the options has no such flag */
  options.version = 1;
  assert_true(count_with(store, text, &options, &err) > 0);
  options.version = KZ_QUERY_OPTIONS_VERSION;
  /* Rasqal cannot be kept to the store: refused when there is a FROM */
  options.engine = KZ_ENGINE_RASQAL;
  assert_int_equal(count_with(store, text, &options, &err), -KZ_ERR_UNSUPPORTED);
  assert_true(count_with(store, "SELECT * WHERE { ?s ?p ?o }", &options, &err) > 0);
  kz_store_free(store);
}

/* default_dataset: the dataset of queries that name none. */
static void test_default_dataset(void **state) {
  (void)state;
  kz_store *store = NULL;
  kz_error err;
  assert_int_equal(kz_store_open(&store, "memory", NULL, &err), KZ_OK);
  kz_load_options load = KZ_LOAD_OPTIONS_INIT;
  load.graph = "http://example.org/g/ttl";
  assert_int_equal(kz_store_load(store, fixture("small.ttl"), &load, NULL, &err), KZ_OK);
  load.graph = "http://example.org/g/nt";
  assert_int_equal(kz_store_load(store, fixture("small.nt"), &load, NULL, &err), KZ_OK);
  const char *count = "SELECT * WHERE { ?s ?p ?o }";
  long all = count_with(store, count, NULL, &err);
  long nt = count_with(store, "SELECT * FROM <http://example.org/g/nt> WHERE { ?s ?p ?o }", NULL,
                       &err);
  assert_true(nt > 0 && nt < all);
  const char *ttl_only[] = {"http://example.org/g/ttl"};
  kz_dataset ttl = {ttl_only, 1, NULL, 0};
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.default_dataset = &ttl;
  assert_int_equal(count_with(store, count, &options, &err), all - nt);
  /* FROM wins over the default dataset */
  options.from_store_only = 1;
  assert_int_equal(count_with(store, "SELECT * FROM <http://example.org/g/nt> { ?s ?p ?o }",
                              &options, &err),
                   nt);
  /* and the caller's dataset over both */
  const char *nt_only[] = {"http://example.org/g/nt"};
  kz_dataset nt_dataset = {nt_only, 1, NULL, 0};
  options.dataset = &nt_dataset;
  assert_int_equal(count_with(store, count, &options, &err), nt);
  kz_store_free(store);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_select_rows_and_terms),
      cmocka_unit_test(test_ask_and_construct),
      cmocka_unit_test(test_bad_query_names_line),
      cmocka_unit_test(test_from_store_only),
      cmocka_unit_test(test_default_dataset),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
