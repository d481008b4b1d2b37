/*
 * Unit tests for the JSON-LD writer (engine/serialize/jsonld.c): the exact
 * document for a small dataset, output independent of the order quads come
 * in and of blank node labels, what it refuses, and out of memory at every
 * allocation. This program is linked with --wrap=malloc,calloc,realloc, so
 * the allocations of the code under test go through the counters below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "serialize/serialize.h"

/* ---- allocation failures on demand ---- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t size);

static long fail_after = -1; /* allocations left before one fails; -1: never */

static int should_fail(void) {
  if (fail_after < 0)
    return 0;
  return fail_after-- == 0;
}

void *__wrap_malloc(size_t size) { return should_fail() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t count, size_t size) {
  return should_fail() ? NULL : __real_calloc(count, size);
}
void *__wrap_realloc(void *p, size_t size) {
  return should_fail() ? NULL : __real_realloc(p, size);
}

/* ---- helpers ---- */

#define EX "http://example.org/"
#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD "http://www.w3.org/2001/XMLSchema#"
#define KZ "https://w3id.org/kizuna/ontology#"

static kz_term iri(const char *value) { return (kz_term){KZ_TERM_IRI, value, NULL, NULL}; }
static kz_term blank(const char *label) { return (kz_term){KZ_TERM_BLANK, label, NULL, NULL}; }
static kz_term literal(const char *value, const char *language, const char *datatype) {
  return (kz_term){KZ_TERM_LITERAL, value, language, datatype};
}

typedef struct quad {
  kz_term s, p, o, g;
  int has_graph;
} quad;

/* Writes quads[order[i]] through a JSON-LD writer; returns the document
 * (caller frees), or NULL when new, add or finish failed. */
static char *write_quads(const quad *quads, const size_t *order, size_t count) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  assert_non_null(out);
  kz_jsonld_writer *w = kz_jsonld_writer_new(out);
  int rc = w ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < count; i++) {
    const quad *q = &quads[order ? order[i] : i];
    rc = kz_jsonld_writer_add(w, &q->s, &q->p, &q->o, q->has_graph ? &q->g : NULL);
  }
  if (kz_jsonld_writer_finish(w) != 0)
    rc = -1;
  fclose(out);
  if (rc != 0) {
    /* nothing half-written */
    assert_int_equal(size, 0);
    free(text);
    return NULL;
  }
  return text;
}

/* ---- the dataset ---- */

static quad dataset[16];
static size_t dataset_count;

static void build_dataset(const char *b1, const char *b2) {
  size_t n = 0;
  dataset[n++] = (quad){iri(EX "lab"), iri(RDF "type"), iri(KZ "JointLab"), {0}, 0};
  dataset[n++] = (quad){iri(EX "lab"), iri(RDF "type"), iri(KZ "Organisation"), {0}, 0};
  dataset[n++] = (quad){iri(EX "lab"), iri(EX "label"), literal("Lab \"1\"\n", "en", NULL), {0}, 0};
  dataset[n++] =
      (quad){iri(EX "lab"), iri(EX "size"), literal("1.50", NULL, XSD "decimal"), {0}, 0};
  dataset[n++] = (quad){iri(EX "lab"), iri(EX "note"), literal("x", NULL, XSD "string"), {0}, 0};
  dataset[n++] = (quad){iri(EX "lab"), iri(EX "part"), blank(b1), {0}, 0};
  dataset[n++] = (quad){iri(EX "lab"), iri(EX "part"), blank(b2), {0}, 0};
  dataset[n++] = (quad){blank(b1), iri(EX "name"), literal("one", NULL, NULL), {0}, 0};
  dataset[n++] = (quad){blank(b2), iri(EX "name"), literal("two", NULL, NULL), {0}, 0};
  dataset[n++] = (quad){iri(EX "g"), iri(EX "label"), literal("the graph", NULL, NULL), {0}, 0};
  dataset[n++] = (quad){iri(EX "lab"), iri(EX "in"), literal("g", NULL, NULL), iri(EX "g"), 1};
  dataset[n++] = (quad){iri("urn:x:1"), iri(EX "in"), literal("g", NULL, NULL), iri(EX "g"), 1};
  /* a duplicate */
  dataset[n++] = (quad){iri(EX "lab"), iri(RDF "type"), iri(KZ "JointLab"), {0}, 0};
  dataset_count = n;
}

static const char *const expected_graph =
    "  \"@graph\": [\n"
    "    {\n"
    "      \"@id\": \"http://example.org/g\",\n"
    "      \"http://example.org/label\": \"the graph\",\n"
    "      \"@graph\": [\n"
    "        {\n"
    "          \"@id\": \"http://example.org/lab\",\n"
    "          \"http://example.org/in\": \"g\"\n"
    "        },\n"
    "        {\n"
    "          \"@id\": \"urn:x:1\",\n"
    "          \"http://example.org/in\": \"g\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"@id\": \"http://example.org/lab\",\n"
    "      \"@type\": [\"kz:JointLab\", \"kz:Organisation\"],\n"
    "      \"http://example.org/label\": {\"@value\": \"Lab \\\"1\\\"\\n\", \"@language\": "
    "\"en\"},\n"
    "      \"http://example.org/note\": \"x\",\n"
    "      \"http://example.org/part\": [\n"
    "        {\"@id\": \"_:b0\"},\n"
    "        {\"@id\": \"_:b1\"}\n"
    "      ],\n"
    "      \"http://example.org/size\": {\"@value\": \"1.50\", \"@type\": \"xsd:decimal\"}\n"
    "    },\n"
    "    {\n"
    "      \"@id\": \"_:b0\",\n"
    "      \"http://example.org/name\": \"%s\"\n"
    "    },\n"
    "    {\n"
    "      \"@id\": \"_:b1\",\n"
    "      \"http://example.org/name\": \"%s\"\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void test_document(void **state) {
  (void)state;
  build_dataset("x", "y");
  char *text = write_quads(dataset, NULL, dataset_count);
  assert_non_null(text);
  assert_true(strncmp(text, "{\n  \"@context\": {\n    \"rdf\": \"" RDF "\",\n", 36) == 0);
  assert_non_null(strstr(text, "    \"kz\": \"" KZ "\",\n"));
  const char *graph = strstr(text, "  \"@graph\": [");
  assert_non_null(graph);
  /* Which of the two blank nodes is _:b0 depends on their names, "one" and
   * "two", not on their labels. */
  char *expected = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&expected, &size);
  const char *first = strstr(graph, "\"one\"") < strstr(graph, "\"two\"") ? "one" : "two";
  fprintf(m, expected_graph, first, strcmp(first, "one") == 0 ? "two" : "one");
  fclose(m);
  assert_string_equal(graph, expected);
  free(expected);
  free(text);
}

static void test_order_and_labels_do_not_matter(void **state) {
  (void)state;
  build_dataset("x", "y");
  char *reference = write_quads(dataset, NULL, dataset_count);
  assert_non_null(reference);
  size_t order[16];
  for (int round = 0; round < 20; round++) {
    /* other labels, swapped in order of name */
    build_dataset(round % 2 ? "zz" : "genid7", round % 2 ? "aa" : "genid10");
    for (size_t i = 0; i < dataset_count; i++)
      order[i] = i;
    srand((unsigned)round + 1);
    for (size_t i = dataset_count - 1; i > 0; i--) {
      size_t j = (size_t)rand() % (i + 1), t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    char *text = write_quads(dataset, order, dataset_count);
    assert_non_null(text);
    assert_string_equal(text, reference);
    free(text);
  }
  free(reference);
}

static void test_empty(void **state) {
  (void)state;
  char *text = write_quads(NULL, NULL, 0);
  assert_non_null(text);
  assert_non_null(strstr(text, "\n  },\n  \"@graph\": []\n}\n"));
  free(text);
  assert_int_equal(kz_jsonld_writer_finish(NULL), 0);
}

static void test_refused(void **state) {
  (void)state;
  FILE *out = fopen("/dev/null", "w");
  assert_non_null(out);
  kz_jsonld_writer *w = kz_jsonld_writer_new(out);
  assert_non_null(w);
  kz_term s = iri(EX "s"), p = iri(EX "p"), o = literal("o", NULL, NULL);
  kz_term lit = literal("x", NULL, NULL), b = blank("b"), relative = iri("relative/iri");
  kz_term keyword = iri("@type"), bad_type = literal("1", NULL, "int");
  assert_int_equal(kz_jsonld_writer_add(w, &lit, &p, &o, NULL), -1);
  assert_int_equal(kz_jsonld_writer_add(w, &s, &b, &o, NULL), -1);
  assert_int_equal(kz_jsonld_writer_add(w, &s, &keyword, &o, NULL), -1);
  assert_int_equal(kz_jsonld_writer_add(w, &relative, &p, &o, NULL), -1);
  assert_int_equal(kz_jsonld_writer_add(w, &s, &p, &relative, NULL), -1);
  assert_int_equal(kz_jsonld_writer_add(w, &s, &p, &bad_type, NULL), -1);
  assert_int_equal(kz_jsonld_writer_add(w, &s, &p, &o, &lit), -1);
  assert_int_equal(kz_jsonld_writer_add(w, &s, &p, &o, NULL), 0);
  assert_int_equal(kz_jsonld_writer_finish(w), 0);
  fclose(out);
}

/* A prefix named like the scheme of an IRI in the data is left out. */
static void test_scheme_collision(void **state) {
  (void)state;
  quad quads[] = {
      {iri("kz:thing"), iri(EX "p"), iri(KZ "Thing"), {0}, 0},
      {iri("lab://host/x"), iri(EX "p"), iri("https://w3id.org/kizuna/id/lab/y"), {0}, 0},
      {iri("https://w3id.org/kizuna/id///z"), iri(EX "p"), literal("1", NULL, "xsd:int"), {0}, 0},
  };
  char *text = write_quads(quads, NULL, 3);
  assert_non_null(text);
  assert_null(strstr(text, "\"kz\":"));
  assert_null(strstr(text, "\"xsd\":"));
  assert_non_null(strstr(text, "\"lab\":"));
  assert_non_null(strstr(text, "\"@id\": \"kz:thing\""));
  assert_non_null(strstr(text, "{\"@id\": \"" KZ "Thing\"}"));
  assert_non_null(strstr(text, "{\"@id\": \"lab:y\"}"));
  assert_non_null(strstr(text, "\"@id\": \"https://w3id.org/kizuna/id///z\""));
  assert_non_null(strstr(text, "\"@type\": \"xsd:int\""));
  free(text);
}

static void test_strings(void **state) {
  (void)state;
  quad quads[] = {
      {iri(EX "s"), iri(EX "p"), literal("\x01\x1f\x7f\b\f\t\\/", NULL, NULL), {0}, 0},
      {iri(EX "s"), iri(EX "q"), literal("caf\xc3\xa9 \xf0\x9f\x98\x80", NULL, NULL), {0}, 0},
      /* not UTF-8: a lone continuation byte, an overlong '/', a surrogate */
      {iri(EX "s"),
       iri(EX "r"),
       literal("a\x80"
               "b\xc0\xaf"
               "c\xed\xa0\x80",
               NULL, NULL),
       {0},
       0},
  };
  char *text = write_quads(quads, NULL, 3);
  assert_non_null(text);
  assert_non_null(strstr(text, "\"\\u0001\\u001f\\u007f\\b\\f\\t\\\\/\""));
  assert_non_null(strstr(text, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""));
  assert_non_null(strstr(text, "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffd\""));
  free(text);
}

/* Every allocation in turn fails: each failure is an error, with nothing
 * written and nothing leaked (the sanitizer build checks leaks). */
static void test_out_of_memory(void **state) {
  (void)state;
  build_dataset("x", "y");
  char *reference = write_quads(dataset, NULL, dataset_count);
  assert_non_null(reference);
  long failures = 0;
  for (long n = 0;; n++) {
    fail_after = n;
    char *text = write_quads(dataset, NULL, dataset_count);
    int exhausted = fail_after >= 0; /* the countdown was not reached */
    fail_after = -1;
    if (text) {
      assert_true(exhausted);
      assert_string_equal(text, reference);
      free(text);
      break;
    }
    failures++;
  }
  assert_true(failures > 5);
  free(reference);
}

static void test_through_graph_writer(void **state) {
  (void)state;
  assert_true(kz_graph_format_supported("jsonld"));
  assert_true(kz_results_format_supported(KZ_RESULTS_GRAPH, "jsonld"));
  assert_false(kz_results_format_supported(KZ_RESULTS_BINDINGS, "jsonld"));
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  kz_graph_writer *w = kz_graph_writer_new(out, "jsonld");
  assert_non_null(w);
  kz_term s = iri(EX "s"), p = iri(RDF "type"), o = iri(KZ "Lab");
  assert_int_equal(kz_graph_writer_add(w, &s, &p, &o, NULL), 0);
  assert_int_equal(kz_graph_writer_finish(w), 0);
  fclose(out);
  assert_non_null(
      strstr(text, "\"@id\": \"http://example.org/s\",\n      \"@type\": \"kz:Lab\"\n"));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_document),
      cmocka_unit_test(test_order_and_labels_do_not_matter),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_refused),
      cmocka_unit_test(test_scheme_collision),
      cmocka_unit_test(test_strings),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_through_graph_writer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
