/* Unit tests for SHACL validation: every supported constraint, the project's
 * shapes on one broken example each, shapes files that must be refused, the
 * report writers and the XSD lexical checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kizuna/kizuna.h"
#include "test_util.h"
#include "validate/validate_internal.h"

#define EX "http://example.org/"
#define SH "http://www.w3.org/ns/shacl#"
#define KZ "https://w3id.org/kizuna/ontology#"
#define ID "https://w3id.org/kizuna/id/"

/* Validates the fixture files (NULL-terminated) against shapes. */
static kz_report *validate_files(const char *shapes, ...) {
  kz_store *store = NULL;
  kz_error err;
  assert_int_equal(kz_store_open(&store, "memory", NULL, &err), KZ_OK);
  va_list args;
  va_start(args, shapes);
  for (const char *name = va_arg(args, const char *); name; name = va_arg(args, const char *))
    assert_int_equal(kz_store_load(store, fixture(name), NULL, NULL, &err), KZ_OK);
  va_end(args);
  char shapes_path[4096];
  snprintf(shapes_path, sizeof shapes_path, "%s", fixture(shapes));
  kz_report *report = NULL;
  kz_status status = kz_validate(&report, store, shapes_path, &err);
  if (status != KZ_OK)
    fail_msg("validation failed: %s", err.message);
  kz_store_free(store);
  return report;
}

/* Results whose focus value, path (NULL: none) and component local name
 * match; *last gets the last one. */
static size_t count(const kz_report *report, const char *focus, const char *path,
                    const char *component, const kz_validation_result **last) {
  size_t n = 0;
  for (size_t i = 0; i < kz_report_get_count(report); i++) {
    const kz_validation_result *r = kz_report_get_result(report, i);
    int same_path = path ? r->path && strcmp(r->path, path) == 0 : r->path == NULL;
    if (strcmp(r->focus.value, focus) == 0 && same_path &&
        strcmp(r->component + strlen(SH), component) == 0) {
      n++;
      if (last)
        *last = r;
    }
  }
  return n;
}

static void test_core_constraints(void **state) {
  (void)state;
  kz_report *report = validate_files("validate/core-shapes.ttl", "validate/core-data.ttl", NULL);
  const kz_validation_result *r = NULL;
  assert_int_equal(kz_report_count(report, KZ_SEVERITY_VIOLATION), 18);
  assert_int_equal(kz_report_count(report, KZ_SEVERITY_WARNING), 1);
  assert_int_equal(kz_report_count(report, KZ_SEVERITY_INFO), 1);
  assert_false(kz_report_conforms(report));

  assert_int_equal(count(report, EX "a", EX "link", "NodeKindConstraintComponent", &r), 1);
  assert_string_equal(r->value->value, "literal");
  assert_int_equal(count(report, EX "a", EX "colour", "InConstraintComponent", NULL), 2);
  assert_int_equal(count(report, EX "a", EX "colour", "HasValueConstraintComponent", &r), 1);
  assert_null(r->value);
  assert_int_equal(count(report, EX "a", EX "code", "PatternConstraintComponent", &r), 1);
  assert_string_equal(r->value->value, "xab"); /* "ABC" matches: the i flag */
  assert_int_equal(count(report, EX "a", EX "name", "MinLengthConstraintComponent", NULL), 1);
  assert_int_equal(count(report, EX "a", EX "name", "MaxLengthConstraintComponent", NULL), 1);
  assert_int_equal(count(report, EX "b", EX "link", "MinCountConstraintComponent", &r), 1);
  assert_true(r->inverse_path);
  assert_string_equal(r->message, "has 1 value, fewer than the minimum of 2");
  assert_int_equal(count(report, EX "d", EX "count", "DatatypeConstraintComponent", &r), 1);
  assert_string_equal(r->message, "\"x\"^^xsd:integer is not a valid xsd:integer");
  assert_int_equal(count(report, EX "c", EX "count", "DatatypeConstraintComponent", NULL), 0);
  assert_int_equal(count(report, EX "e", EX "count", "MaxCountConstraintComponent", NULL), 1);
  /* sh:targetObjectsOf, a node shape's own constraint, sh:severity, and the
   * English sh:message chosen among translations */
  assert_int_equal(count(report, "literal", NULL, "NodeKindConstraintComponent", &r), 1);
  assert_int_equal(r->severity, KZ_SEVERITY_INFO);
  assert_string_equal(r->message, "links must point to IRIs");
  assert_int_equal(count(report, EX "a", EX "missing", "MinCountConstraintComponent", NULL), 0);
  assert_int_equal(count(report, EX "f", EX "flag", "DatatypeConstraintComponent", NULL), 1);
  assert_int_equal(count(report, EX "f", EX "amount", "DatatypeConstraintComponent", NULL), 1);
  assert_int_equal(count(report, EX "f", EX "amount", "OrConstraintComponent", &r), 1);
  assert_string_equal(r->value->value, "1.2.3");
  assert_int_equal(count(report, EX "f", EX "at", "DatatypeConstraintComponent", &r), 1);
  assert_string_equal(r->value->value, "2021-02-29T10:00:00");
  /* sh:targetClass reaches ex:g through rdfs:subClassOf, and so does sh:class */
  assert_int_equal(count(report, EX "g", EX "friend", "ClassConstraintComponent", &r), 1);
  assert_int_equal(r->severity, KZ_SEVERITY_WARNING);
  assert_string_equal(r->value->value, EX "h");
  /* sh:sparql: "blue" and the string "$this", not the IRI <...$this> */
  assert_int_equal(count(report, EX "a", NULL, "SPARQLConstraintComponent", &r), 2);
  assert_int_equal(r->shape.kind, KZ_TERM_IRI);
  assert_string_equal(r->shape.value, EX "SparqlShape");
  assert_int_equal(count(report, EX "i", NULL, "SPARQLConstraintComponent", NULL), 1);
  size_t blank = 0;
  for (size_t i = 0; i < kz_report_get_count(report); i++)
    blank += kz_report_get_result(report, i)->focus.kind == KZ_TERM_BLANK;
  assert_int_equal(blank, 1); /* the blank node tagged "bad", through the unbound query */
  /* violations first */
  assert_int_equal(kz_report_get_result(report, 0)->severity, KZ_SEVERITY_VIOLATION);
  assert_null(kz_report_get_result(report, kz_report_get_count(report)));
  kz_report_free(report);
}

static void test_project_shapes(void **state) {
  (void)state;
  static const struct {
    const char *file;
    size_t violations, warnings;
    const char *focus, *path, *component;
  } cases[] = {
      {"good", 0, 0, NULL, NULL, NULL},
      {"agreement-one-party", 1, 0, ID "agreement/one-party", KZ "party", "MinCountConstraintComponent"},
      {"party-not-agency", 1, 0, ID "agreement/country-party", KZ "party", "ClassConstraintComponent"},
      {"agreement-no-date", 0, 1, ID "agreement/undated", KZ "signedOn", "MinCountConstraintComponent"},
      {"date-wrong-datatype", 1, 0, ID "agreement/string-date", KZ "signedOn", "OrConstraintComponent"},
      {"date-ill-typed", 1, 0, ID "agreement/bad-date", KZ "signedOn", "OrConstraintComponent"},
      {"lab-no-involves", 1, 0, ID "lab/alone", KZ "involves", "MinCountConstraintComponent"},
      {"project-no-involves", 1, 0, ID "project/alone", KZ "involves", "MinCountConstraintComponent"},
      {"agency-no-label", 1, 0, ID "agency/nameless", "http://www.w3.org/2000/01/rdf-schema#label",
       "MinCountConstraintComponent"},
      {"agency-no-country", 1, 0, ID "agency/stateless", KZ "country", "MinCountConstraintComponent"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char data[256];
    snprintf(data, sizeof data, "validate/%s.ttl", cases[i].file);
    kz_report *report = validate_files("../../ontology/shapes.ttl", "validate/base.ttl", data, NULL);
    if (kz_report_count(report, KZ_SEVERITY_VIOLATION) != cases[i].violations ||
        kz_report_count(report, KZ_SEVERITY_WARNING) != cases[i].warnings)
      fail_msg("%s: %zu violations, %zu warnings", cases[i].file,
               kz_report_count(report, KZ_SEVERITY_VIOLATION),
               kz_report_count(report, KZ_SEVERITY_WARNING));
    if (cases[i].focus && count(report, cases[i].focus, cases[i].path, cases[i].component, NULL) != 1)
      fail_msg("%s: no %s result on %s", cases[i].file, cases[i].component, cases[i].focus);
    kz_report_free(report);
  }
}

static void test_dangling(void **state) {
  (void)state;
  kz_report *report =
      validate_files("../../ontology/shapes.ttl", "validate/base.ttl", "validate/dangling.ttl", NULL);
  const kz_validation_result *r = NULL;
  assert_int_equal(kz_report_get_count(report), 1);
  r = kz_report_get_result(report, 0);
  assert_string_equal(r->component, "https://w3id.org/kizuna/shapes#NoDanglingIRIConstraintComponent");
  assert_string_equal(r->focus.value, ID "lab/dangling");
  assert_string_equal(r->path, KZ "location");
  assert_string_equal(r->value->value, ID "country/atlantis");
  assert_string_equal(r->message, "country:atlantis is in the instance namespace but no triple describes it");
  kz_report_free(report);

  /* Inferred triples do not describe a node: give the dangling IRI a type
   * and an inverse triple in the inferred graph, and it is still dangling. */
  kz_store *store = NULL;
  kz_error err;
  assert_int_equal(kz_store_open(&store, "memory", NULL, &err), KZ_OK);
  assert_int_equal(kz_store_load(store, fixture("validate/base.ttl"), NULL, NULL, &err), KZ_OK);
  assert_int_equal(kz_store_load(store, fixture("validate/dangling.ttl"), NULL, NULL, &err), KZ_OK);
  kz_load_options inferred = KZ_LOAD_OPTIONS_INIT;
  inferred.graph = KZ_INFERRED_GRAPH;
  char path[] = "/tmp/kz_inferredXXXXXX.ttl";
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  const char *text = "<" ID "country/atlantis> a <" KZ "Country> ; <" KZ "locationOf> <" ID
                     "lab/dangling> .\n";
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  assert_int_equal(kz_store_load(store, path, &inferred, NULL, &err), KZ_OK);
  unlink(path);
  char shapes[4096];
  snprintf(shapes, sizeof shapes, "%s", fixture("../../ontology/shapes.ttl"));
  assert_int_equal(kz_validate(&report, store, shapes, &err), KZ_OK);
  size_t dangling = 0;
  for (size_t i = 0; i < kz_report_get_count(report); i++)
    dangling += strstr(kz_report_get_result(report, i)->component, "NoDangling") != NULL;
  assert_int_equal(dangling, 1);
  kz_report_free(report);
  kz_store_free(store);
}

/* Writes text to a new temporary .ttl file; path receives its name. */
static void temp_shapes(char *path, size_t size, const char *text) {
  snprintf(path, size, "/tmp/kz_shapesXXXXXX.ttl");
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
}

/* Validating an empty store against the shapes text must fail with status,
 * a message containing needle, and (if line > 0) that line. */
static void expect_refused(const char *text, kz_status status, const char *needle, long line) {
  char path[64];
  temp_shapes(path, sizeof path, text);
  kz_store *store = NULL;
  kz_report *report = NULL;
  kz_error err;
  assert_int_equal(kz_store_open(&store, "memory", NULL, &err), KZ_OK);
  kz_status got = kz_validate(&report, store, path, &err);
  unlink(path);
  kz_store_free(store);
  assert_null(report);
  if (got != status || !strstr(err.message, needle) || (line > 0 && err.line != line))
    fail_msg("got %s, line %ld: %s", kz_strerror(got), err.line, err.message);
  assert_string_equal(err.source, path);
}

#define PREFIXES "@prefix sh: <" SH "> .\n@prefix ex: <" EX "> .\n"

static void test_refused_shapes(void **state) {
  (void)state;
  kz_store *store = NULL;
  kz_report *report = NULL;
  kz_error err;
  assert_int_equal(kz_store_open(&store, "memory", NULL, &err), KZ_OK);
  assert_int_equal(kz_validate(&report, store, fixture("validate/bad-unknown.ttl"), &err),
                   KZ_ERR_UNSUPPORTED);
  assert_non_null(strstr(err.message, "unknown SHACL term sh:minCont"));
  assert_int_equal(err.line, 7);
  assert_int_equal(err.column, 34);
  assert_int_equal(kz_validate(&report, store, fixture("validate/bad-unsupported.ttl"), &err),
                   KZ_ERR_UNSUPPORTED);
  assert_non_null(strstr(err.message, "unsupported SHACL constraint sh:node"));
  assert_int_equal(err.line, 7);
  assert_int_equal(kz_validate(&report, store, fixture("validate/bad-syntax.ttl"), &err),
                   KZ_ERR_SYNTAX);
  assert_int_equal(err.line, 6);
  assert_int_equal(kz_validate(&report, store, fixture("validate/none.ttl"), &err), KZ_ERR_IO);
  assert_null(report);
  kz_store_free(store);

  expect_refused(PREFIXES "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:minCount 1 .\n",
                 KZ_ERR_SYNTAX, "only allowed on property shapes", 3);
  expect_refused(PREFIXES "ex:S a sh:PropertyShape ; sh:targetNode ex:a .\n", KZ_ERR_SYNTAX,
                 "has no sh:path", 3);
  expect_refused(PREFIXES "ex:S sh:targetNode ex:a ;\n sh:property [ sh:path ( ex:p ex:q ) ] .\n",
                 KZ_ERR_UNSUPPORTED, "unsupported sh:path", 4);
  expect_refused(PREFIXES "ex:S sh:targetNode ex:a ; sh:or ( ex:S ) .\n", KZ_ERR_UNSUPPORTED,
                 "refers to itself", 0);
  expect_refused(PREFIXES "ex:S sh:targetNode ex:a ; sh:pattern \"(\" .\n", KZ_ERR_SYNTAX,
                 "bad sh:pattern", 3);
  expect_refused(PREFIXES "ex:S sh:targetNode ex:a ; sh:severity ex:Bad .\n", KZ_ERR_UNSUPPORTED,
                 "sh:severity needs", 3);
  expect_refused(PREFIXES "ex:S sh:targetNode ex:a ; sh:nodeKind sh:Thing .\n", KZ_ERR_SYNTAX,
                 "sh:nodeKind needs", 3);
  expect_refused(PREFIXES "ex:S sh:targetNode ex:a .\nex:T sh:clas ex:C .\n", KZ_ERR_UNSUPPORTED,
                 "sh:clas", 4);
  expect_refused(PREFIXES "ex:C a sh:ConstraintComponent .\n", KZ_ERR_UNSUPPORTED,
                 "unsupported constraint component", 3);
  expect_refused(PREFIXES "ex:S sh:targetNode ex:a ;\n  sh:sparql [ sh:select \"\"\"\n"
                          "    SELECT $this WHERE {\n      $this ?p ?o .\n      FILTER (\n"
                          "    }\"\"\" ] .\n",
                 KZ_ERR_QUERY, "sh:sparql query of", 0);
  expect_refused(PREFIXES "ex:S sh:targetNode ex:a ;\n  sh:sparql [ sh:select \"ASK { }\" ] .\n",
                 KZ_ERR_QUERY, "needs a SELECT query", 0);
}

static void test_report_api(void **state) {
  (void)state;
  kz_report_free(NULL);
  assert_string_equal(kz_severity_name(KZ_SEVERITY_INFO), "Info");
  assert_string_equal(kz_severity_name(KZ_SEVERITY_WARNING), "Warning");
  assert_string_equal(kz_severity_name(KZ_SEVERITY_VIOLATION), "Violation");
  kz_report *report = validate_files("../../ontology/shapes.ttl", "validate/base.ttl",
                                     "validate/party-not-agency.ttl", "validate/agreement-no-date.ttl",
                                     NULL);
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  kz_error err;
  assert_int_equal(kz_report_write(report, out, NULL, &err), KZ_OK);
  fclose(out);
  assert_string_equal(text,
                      "Violation agreement:country-party kz:party: An agreement needs at least two "
                      "kz:party values, each a kz:Agency. (value: country:japan)\n"
                      "Warning agreement:undated kz:signedOn: No kz:signedOn: the source gives no "
                      "signing date (never invent one).\n"
                      "1 violation, 1 warning\n");
  free(text);
  out = open_memstream(&text, &size);
  assert_int_equal(kz_report_write(report, out, "turtle", &err), KZ_OK);
  fclose(out);
  assert_non_null(strstr(text, "sh:ValidationReport"));
  assert_non_null(strstr(text, "sh:conforms false"));
  assert_non_null(strstr(text, "sh:value country:japan"));
  free(text);
  assert_int_equal(kz_report_write(report, stdout, "yaml", &err), KZ_ERR_ARGUMENT);
  kz_report_free(report);

  report = validate_files("../../ontology/shapes.ttl", "validate/base.ttl", "validate/good.ttl", NULL);
  assert_true(kz_report_conforms(report));
  out = open_memstream(&text, &size);
  assert_int_equal(kz_report_write(report, out, "ntriples", &err), KZ_OK);
  fclose(out);
  assert_non_null(strstr(text, "<" SH "conforms> \"true\"^^"));
  free(text);
  kz_report_free(report);
}

static void test_xsd_lexical_forms(void **state) {
  (void)state;
  static const struct {
    const char *type, *text;
    int valid;
  } cases[] = {
      {"date", "2021-04-06", 1},      {"date", "2021-13-45", 0},    {"date", "2021-02-29", 0},
      {"date", "2020-02-29", 1},      {"date", "1900-02-29", 0},    {"date", "2000-02-29", 1},
      {"date", "2021-04-06Z", 1},     {"date", "2021-04-06+05:30", 1}, {"date", "2021-04-06+15:00", 0},
      {"date", "-0044-03-15", 1},     {"date", "0000-01-01", 0},    {"date", "12021-01-01", 1},
      {"date", "02021-01-01", 0},     {"date", "2021-4-6", 0},      {"date", " 2021-04-06 ", 1},
      {"date", "2021-04-06x", 0},     {"gYearMonth", "2019-11", 1}, {"gYearMonth", "2019-00", 0},
      {"gYearMonth", "2019", 0},      {"gYear", "2020", 1},         {"gYear", "20", 0},
      {"gYear", "2020Z", 1},          {"dateTime", "2021-04-06T10:00:00", 1},
      {"dateTime", "2021-04-06T24:00:00", 1}, {"dateTime", "2021-04-06T24:00:01", 0},
      {"dateTime", "2021-04-06T10:00:00.125-03:00", 1}, {"dateTime", "2021-04-06T10:00", 0},
      {"dateTime", "2021-04-06", 0},  {"integer", "-42", 1},        {"integer", "+0", 1},
      {"integer", "4.2", 0},          {"integer", "", 0},           {"decimal", "1.", 1},
      {"decimal", ".5", 1},           {"decimal", ".", 0},          {"decimal", "1e3", 0},
      {"boolean", "true", 1},         {"boolean", "0", 1},          {"boolean", "yes", 0},
      {"string", "anything", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char datatype[128];
    snprintf(datatype, sizeof datatype, "http://www.w3.org/2001/XMLSchema#%s", cases[i].type);
    if (kz_xsd_lexical_valid(datatype, cases[i].text) != cases[i].valid)
      fail_msg("\"%s\"^^xsd:%s should be %s", cases[i].text, cases[i].type,
               cases[i].valid ? "valid" : "invalid");
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_core_constraints),  cmocka_unit_test(test_project_shapes),
      cmocka_unit_test(test_dangling),          cmocka_unit_test(test_refused_shapes),
      cmocka_unit_test(test_report_api),        cmocka_unit_test(test_xsd_lexical_forms),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
