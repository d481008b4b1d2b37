/* Unit tests for the results writers: escaping in every format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kizuna/kizuna.h"
#include "test_util.h"

static const char *query_text =
    "PREFIX ex: <http://example.org/> SELECT ?s ?v WHERE { ?s ex:note ?v }";

/* Runs query_text over small.ttl and returns what format writes. */
static char *render(const char *text, const char *format) {
  kz_store *store = NULL;
  kz_query *query = NULL;
  kz_results *results = NULL;
  kz_error err;
  assert_int_equal(kz_store_open(&store, NULL, NULL, &err), KZ_OK);
  assert_int_equal(kz_store_load(store, fixture("small.ttl"), NULL, NULL, &err), KZ_OK);
  assert_int_equal(kz_query_prepare(&query, store, text, NULL, &err), KZ_OK);
  assert_int_equal(kz_query_execute(&results, query, &err), KZ_OK);
  char *buf = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&buf, &size);
  size_t rows = 0;
  assert_int_equal(kz_results_write(results, out, format, &rows, &err), KZ_OK);
  fclose(out);
  kz_results_free(results);
  kz_query_free(query);
  kz_store_free(store);
  return buf;
}

static void test_csv_quotes_line_breaks(void **state) {
  (void)state;
  char *out = render(query_text, "csv");
  assert_string_equal(out, "s,v\r\nhttp://example.org/iith,\"line one\nline two\ttabbed\"\r\n");
  free(out);
}

static void test_tsv_escapes(void **state) {
  (void)state;
  char *out = render(query_text, "tsv");
  assert_string_equal(out, "?s\t?v\n<http://example.org/iith>\t\"line one\\nline two\\ttabbed\"\n");
  free(out);
}

static void test_json_escapes(void **state) {
  (void)state;
  char *out = render(query_text, "json");
  assert_non_null(strstr(out, "\"value\": \"line one\\nline two\\ttabbed\""));
  assert_non_null(strstr(out, "\"vars\": [ \"s\", \"v\" ]"));
  free(out);
}

static void test_xml_and_table(void **state) {
  (void)state;
  char *out = render("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                     "SELECT ?l WHERE { <http://example.org/lab2> rdfs:label ?l }", "xml");
  assert_non_null(strstr(out, "<literal>Lab &quot;Two&quot;, with comma</literal>"));
  free(out);
  out = render(query_text, "table");
  assert_non_null(strstr(out, "| ?s                        | ?v"));
  assert_non_null(strstr(out, "line one\\nline two\\ttabbed"));
  free(out);
}

static void test_ask_formats(void **state) {
  (void)state;
  char *out = render("ASK { ?s ?p ?o }", "json");
  assert_non_null(strstr(out, "\"boolean\": true"));
  free(out);
  out = render("ASK { ?s ?p <http://nowhere/> }", "xml");
  assert_non_null(strstr(out, "<boolean>false</boolean>"));
  free(out);
}

static void test_format_checks(void **state) {
  (void)state;
  assert_true(kz_results_format_supported(KZ_RESULTS_BINDINGS, "csv"));
  assert_false(kz_results_format_supported(KZ_RESULTS_BINDINGS, "turtle"));
  assert_true(kz_results_format_supported(KZ_RESULTS_GRAPH, "nquads"));
  assert_false(kz_results_format_supported(KZ_RESULTS_GRAPH, "csv"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv_quotes_line_breaks),
      cmocka_unit_test(test_tsv_escapes),
      cmocka_unit_test(test_json_escapes),
      cmocka_unit_test(test_xml_and_table),
      cmocka_unit_test(test_ask_formats),
      cmocka_unit_test(test_format_checks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
