/* Unit tests for buffered results (kz_results_buffer, kz_results_rewind):
 * the row limit, replay in every format, independence from the query and
 * the store, and a query that fails half-way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kizuna/kizuna.h"
#include "test_util.h"

#define PFX "PREFIX ex: <http://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
static const char select_text[] = PFX "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o";
static const char construct_text[] = PFX "CONSTRUCT WHERE { ?s ?p ?o }";

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

/* What kz_results_write makes of results in format; caller frees. */
static char *written(kz_results *results, const char *format) {
  char *buf = NULL;
  size_t size = 0;
  kz_error err;
  FILE *out = open_memstream(&buf, &size);
  assert_non_null(out);
  assert_int_equal(kz_results_write(results, out, format, NULL, &err), KZ_OK);
  fclose(out);
  return buf;
}

/* The answer of text written in format, straight from the query. */
static char *direct(kz_store *store, const char *text, const char *format) {
  kz_query *query = NULL;
  kz_results *results = run(store, text, &query);
  char *out = written(results, format);
  kz_results_free(results);
  kz_query_free(query);
  return out;
}

static size_t count_rows(kz_results *results) {
  size_t n = 0;
  kz_error err;
  kz_status status;
  while ((status = kz_results_next(results, &err)) == KZ_OK)
    n++;
  assert_int_equal(status, KZ_DONE);
  return n;
}

static void test_limit_and_truncated(void **state) {
  kz_query *query = NULL;
  kz_results *results = run(*state, select_text, &query), *buffered = NULL;
  kz_error err;
  size_t all = count_rows(results);
  assert_true(all > 3);
  kz_results_free(results);
  kz_query_free(query);

  int truncated = -1;
  results = run(*state, select_text, &query);
  assert_int_equal(kz_results_buffer(&buffered, results, 3, &truncated, &err), KZ_OK);
  assert_int_equal(truncated, 1);
  assert_int_equal(count_rows(buffered), 3);
  kz_results_free(buffered);
  kz_results_free(results);
  kz_query_free(query);

  /* exactly as many rows as the limit: nothing was left */
  results = run(*state, select_text, &query);
  assert_int_equal(kz_results_buffer(&buffered, results, all, &truncated, &err), KZ_OK);
  assert_int_equal(truncated, 0);
  assert_int_equal(count_rows(buffered), all);
  kz_results_free(buffered);
  kz_results_free(results);
  kz_query_free(query);

  /* 0: no limit; truncated may be NULL */
  results = run(*state, select_text, &query);
  assert_int_equal(kz_results_buffer(&buffered, results, 0, NULL, &err), KZ_OK);
  assert_int_equal(count_rows(buffered), all);
  /* the source was read to its end */
  assert_int_equal(kz_results_next(results, &err), KZ_DONE);
  kz_results_free(buffered);
  kz_results_free(results);
  kz_query_free(query);
}

/* Buffered and replayed (again and again, after rewinding), every format
 * writes what the query itself writes. */
static void check_formats(kz_store *store, const char *text, const char *const *formats) {
  kz_query *query = NULL;
  kz_results *results = run(store, text, &query), *buffered = NULL;
  kz_error err;
  assert_int_equal(kz_results_buffer(&buffered, results, 0, NULL, &err), KZ_OK);
  for (int round = 0; round < 2; round++)
    for (const char *const *f = formats; *f; f++) {
      if (!kz_results_format_supported(kz_results_get_kind(buffered), *f))
        continue;
      char *expected = direct(store, text, *f);
      assert_int_equal(kz_results_rewind(buffered, &err), KZ_OK);
      char *got = written(buffered, *f);
      assert_string_equal(got, expected);
      free(got);
      free(expected);
    }
  kz_results_free(buffered);
  kz_results_free(results);
  kz_query_free(query);
}

static void test_replay_every_format(void **state) {
  static const char *const bindings[] = {"table", "csv", "tsv", "json", "xml", NULL};
  static const char *const graphs[] = {"turtle", "ntriples", "nquads", "rdfxml", "jsonld", NULL};
  check_formats(*state, select_text, bindings);
  check_formats(*state,
                PFX "SELECT ?lab ?opened WHERE { ?lab a ex:JointLab OPTIONAL "
                    "{ ?lab ex:opened ?opened } } ORDER BY ?lab",
                bindings); /* an unbound cell */
  check_formats(*state, "ASK { ?s ?p ?o }", bindings);
  check_formats(*state, "ASK { ?s ?p <http://nowhere/> }", bindings);
  check_formats(*state, construct_text, graphs);
}

/* The buffered answer depends on nothing it was read from, and its strings
 * outlive kz_results_next. */
static void test_independent_and_stable(void **state) {
  (void)state;
  kz_store *store = NULL;
  kz_query *query = NULL;
  kz_error err;
  assert_int_equal(setup((void **)&store), 0);
  kz_results *results = run(store, PFX "SELECT ?label WHERE { ex:lab1 rdfs:label ?label }", &query),
             *buffered = NULL;
  assert_int_equal(kz_results_buffer(&buffered, results, 0, NULL, &err), KZ_OK);
  kz_results_free(results);
  kz_query_free(query);
  kz_store_free(store);
  assert_int_equal(kz_results_get_kind(buffered), KZ_RESULTS_BINDINGS);
  assert_int_equal(kz_results_get_column_count(buffered), 1);
  assert_string_equal(kz_results_get_column_name(buffered, 0), "label");
  assert_int_equal(kz_results_next(buffered, &err), KZ_OK);
  kz_term copy = *kz_results_get_value(buffered, 0);
  assert_int_equal(kz_results_next(buffered, &err), KZ_DONE);
  assert_null(kz_results_get_value(buffered, 0));
  assert_int_equal(copy.kind, KZ_TERM_LITERAL);
  assert_string_equal(copy.value, "Lab One");
  assert_string_equal(copy.language, "en");
  assert_null(copy.datatype);
  /* rewinding clears the current row */
  assert_int_equal(kz_results_rewind(buffered, &err), KZ_OK);
  assert_null(kz_results_get_value(buffered, 0));
  assert_int_equal(kz_results_next(buffered, &err), KZ_OK);
  assert_string_equal(kz_results_get_value(buffered, 0)->value, "Lab One");
  kz_results_free(buffered);
}

/* A query that fails half-way: no buffered answer, the query's error. */
static void test_failing_query(void **state) {
  kz_query *query = NULL;
  kz_results *results = NULL, *buffered = NULL;
  kz_error err;
  volatile int cancel = 0;
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.cancel = &cancel;
  /* a cross product: thousands of rows, so the evaluator polls cancel */
  assert_int_equal(kz_query_prepare(&query, *state,
                                    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", &options,
                                    &err),
                   KZ_OK);
  assert_int_equal(kz_query_execute(&results, query, &err), KZ_OK);
  assert_int_equal(kz_results_next(results, &err), KZ_OK); /* it had started */
  cancel = 1;
  int truncated = -1;
  buffered = (kz_results *)&buffered; /* not NULL: it must be reset */
  assert_int_equal(kz_results_buffer(&buffered, results, 0, &truncated, &err), KZ_ERR_TIMEOUT);
  assert_null(buffered);
  assert_int_equal(err.status, KZ_ERR_TIMEOUT);
  assert_int_equal(truncated, 0);
  kz_results_free(results);
  kz_query_free(query);
}

static void test_streaming_results_cannot_rewind(void **state) {
  kz_query *query = NULL;
  kz_results *results = run(*state, select_text, &query);
  kz_error err;
  assert_int_equal(kz_results_rewind(results, &err), KZ_ERR_UNSUPPORTED);
  assert_int_equal(err.status, KZ_ERR_UNSUPPORTED);
  kz_results *none = NULL;
  assert_int_equal(kz_results_buffer(&none, NULL, 0, NULL, &err), KZ_ERR_ARGUMENT);
  assert_null(none);
  kz_results_free(results);
  kz_query_free(query);
}

static void test_prefix_for(void **state) {
  (void)state;
  const char *local = "x";
  assert_string_equal(kz_results_prefix_for("http://www.w3.org/2000/01/rdf-schema#label", &local),
                      "rdfs");
  assert_string_equal(local, "label");
  assert_null(kz_results_prefix_for("http://example.org/x", &local));
  assert_null(local);
  /* a local name Turtle would need to escape: no prefix */
  assert_null(kz_results_prefix_for("http://www.w3.org/2000/01/rdf-schema#a b", &local));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_limit_and_truncated, setup, teardown),
      cmocka_unit_test_setup_teardown(test_replay_every_format, setup, teardown),
      cmocka_unit_test(test_independent_and_stable),
      cmocka_unit_test_setup_teardown(test_failing_query, setup, teardown),
      cmocka_unit_test_setup_teardown(test_streaming_results_cannot_rewind, setup, teardown),
      cmocka_unit_test(test_prefix_for),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
