/* Unit tests for the catalogue: loading and its errors, safe binding,
 * phrase matching, name resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kizuna/kizuna.h"
#include "test_util.h"

typedef struct world {
  kz_store *store;
  kz_catalog *catalog;
} world;

static int setup(void **state) {
  world *f = calloc(1, sizeof *f);
  kz_error err;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", fixture("catalog/good"));
  if (!f || kz_store_open(&f->store, "memory", NULL, &err) != KZ_OK ||
      kz_store_load(f->store, fixture("catalog-data.ttl"), NULL, NULL, &err) != KZ_OK ||
      kz_catalog_load(&f->catalog, dir, &err) != KZ_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  world *f = *state;
  if (!f)
    return 0;
  kz_catalog_free(f->catalog);
  kz_store_free(f->store);
  free(f);
  return 0;
}

static void test_entries(void **state) {
  world *f = *state;
  assert_int_equal(kz_catalog_count(f->catalog), 2);
  const kz_catalog_entry *e = kz_catalog_find(f->catalog, "labs");
  assert_non_null(e);
  assert_string_equal(kz_catalog_entry_description(e), "Labs of an agency");
  assert_int_equal(kz_catalog_entry_param_count(e), 1);
  assert_string_equal(kz_catalog_entry_param_type(e, 0), "agency");
  assert_string_equal(kz_catalog_entry_example(e, 0), "labs involving IITH");
  assert_null(kz_catalog_find(f->catalog, "nothing"));
}

static void test_bind_is_token_aware(void **state) {
  world *f = *state;
  const kz_catalog_entry *e = kz_catalog_find(f->catalog, "labs");
  kz_param params[] = {{"agency", "iit-h"}};
  char *sparql = NULL;
  kz_error err;
  assert_int_equal(kz_catalog_bind(&sparql, e, f->store, params, 1, &err), KZ_OK);
  assert_non_null(strstr(sparql, "?lab ex:involves <http://example.org/iith> ."));
  assert_non_null(strstr(sparql, "# ?agency here is replaced"));         /* comment */
  assert_non_null(strstr(sparql, "\"?agency stays text\""));             /* string */
  assert_non_null(strstr(sparql, "<http://example.org/?agency>"));       /* IRI */
  free(sparql);
}

static void test_bind_types_values(void **state) {
  world *f = *state;
  const kz_catalog_entry *e = kz_catalog_find(f->catalog, "text");
  kz_param params[] = {{"text", "x\" } ; DROP ALL #"}, {"from", "2016-04"},
                       {"site", "http://example.org/a"}};
  char *sparql = NULL;
  kz_error err;
  assert_int_equal(kz_catalog_bind(&sparql, e, f->store, params, 3, &err), KZ_OK);
  assert_non_null(strstr(sparql, "?s ?p \"x\\\" } ; DROP ALL #\" ."));
  assert_non_null(strstr(sparql, "\"2016-04\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>"));
  assert_non_null(strstr(sparql, "?s != <http://example.org/a>"));
  free(sparql);
  kz_param bad_iri[] = {{"text", "x"}, {"from", "2016"}, {"site", "http://a/> } <b"}};
  assert_int_equal(kz_catalog_bind(&sparql, e, f->store, bad_iri, 3, &err), KZ_ERR_ARGUMENT);
  kz_param bad_date[] = {{"text", "x"}, {"from", "2016-02-30"}, {"site", "http://a/"}};
  assert_int_equal(kz_catalog_bind(&sparql, e, f->store, bad_date, 3, &err), KZ_ERR_ARGUMENT);
  kz_param missing[] = {{"text", "x"}};
  assert_int_equal(kz_catalog_bind(&sparql, e, f->store, missing, 1, &err), KZ_ERR_ARGUMENT);
  assert_non_null(strstr(err.message, "missing parameter 'from'"));
  kz_param twice[] = {{"text", "x"}, {"text", "y"}, {"from", "2016"}, {"site", "http://a/"}};
  assert_int_equal(kz_catalog_bind(&sparql, e, f->store, twice, 4, &err), KZ_ERR_ARGUMENT);
  assert_null(sparql);
}

static void test_resolution(void **state) {
  world *f = *state;
  const char *agency = "https://w3id.org/kizuna/ontology#Agency";
  const char *names[] = {"IIT Hyderabad", "IITH", "iit-h", "Indian Institute of Technology, Hyderabad",
                         "the IIT Hyderabad", "IIT Hyderbad" /* fuzzy */};
  kz_error err;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char *iri = NULL;
    assert_int_equal(kz_resolve_name(&iri, f->store, agency, "agency", names[i], &err), KZ_OK);
    assert_string_equal(iri, "http://example.org/iith");
    free(iri);
  }
  char *iri = NULL;
  assert_int_equal(kz_resolve_name(&iri, f->store, agency, "agency", "IIT", &err), KZ_ERR_AMBIGUOUS);
  assert_non_null(strstr(err.message, "http://example.org/iitb"));
  assert_int_equal(kz_resolve_name(&iri, f->store, agency, "agency", "Japan", &err), KZ_ERR_NOT_FOUND);
  assert_int_equal(kz_resolve_name(&iri, f->store, agency, "agency", "http://x.org/y", &err), KZ_OK);
  assert_string_equal(iri, "http://x.org/y");
  free(iri);
}

/* kz_resolve hands out what the messages list, as data. */
static void test_resolution_data(void **state) {
  world *f = *state;
  const char *agency = "https://w3id.org/kizuna/ontology#Agency";
  kz_resolution *r = NULL;
  kz_error err;
  /* resolved: the resource and the label that matched */
  assert_int_equal(kz_resolve(&r, f->store, agency, "agency", "iit-h", &err), KZ_OK);
  assert_int_equal(kz_resolution_status(r), KZ_OK);
  assert_string_equal(kz_resolution_iri(r), "http://example.org/iith");
  assert_int_equal(kz_resolution_count(r), 1);
  assert_string_equal(kz_resolution_candidate_label(r, 0), "IITH"); /* ties: the shorter */
  assert_string_equal(kz_resolution_name(r), "iit-h");
  assert_string_equal(kz_resolution_what(r), "agency");
  assert_null(kz_resolution_candidate_iri(r, 1));
  kz_resolution_free(r);
  /* ambiguous: every resource it fits, with their labels */
  assert_int_equal(kz_resolve(&r, f->store, agency, "agency", "IIT", &err), KZ_ERR_AMBIGUOUS);
  assert_int_equal(kz_resolution_status(r), KZ_ERR_AMBIGUOUS);
  assert_null(kz_resolution_iri(r));
  assert_int_equal(kz_resolution_count(r), 2);
  for (size_t i = 0; i < 2; i++) {
    const char *iri = kz_resolution_candidate_iri(r, i), *label = kz_resolution_candidate_label(r, i);
    assert_true(strcmp(iri, "http://example.org/iitb") == 0 || strcmp(iri, "http://example.org/iith") == 0);
    assert_non_null(label);
    assert_non_null(strstr(err.message, iri)); /* the message lists the same */
    assert_non_null(strstr(err.message, label));
  }
  assert_string_not_equal(kz_resolution_candidate_iri(r, 0), kz_resolution_candidate_iri(r, 1));
  kz_resolution_free(r);
  /* unknown, with suggestions, best first */
  assert_int_equal(kz_resolve(&r, f->store, agency, "agency", "Indian Institute", &err), KZ_ERR_NOT_FOUND);
  assert_non_null(strstr(err.message, "did you mean"));
  assert_int_equal(kz_resolution_count(r), 2);
  assert_string_equal(kz_resolution_candidate_iri(r, 0), "http://example.org/iitb");
  assert_string_equal(kz_resolution_candidate_label(r, 0), "Indian Institute of Technology Bombay");
  assert_string_equal(kz_resolution_candidate_iri(r, 1), "http://example.org/iith");
  kz_resolution_free(r);
  /* unknown, nothing close: a resolution without candidates */
  assert_int_equal(kz_resolve(&r, f->store, agency, "agency", "Japan", &err), KZ_ERR_NOT_FOUND);
  assert_non_null(r);
  assert_int_equal(kz_resolution_count(r), 0);
  kz_resolution_free(r);
  /* any resource (no class), and an IRI in angle brackets */
  assert_int_equal(kz_resolve(&r, f->store, NULL, "resource", "japan", &err), KZ_OK);
  assert_string_equal(kz_resolution_iri(r), "http://example.org/japan");
  kz_resolution_free(r);
  assert_int_equal(kz_resolve(&r, f->store, NULL, "resource", "<http://x.org/y>", &err), KZ_OK);
  assert_string_equal(kz_resolution_iri(r), "http://x.org/y");
  assert_null(kz_resolution_candidate_label(r, 0));
  kz_resolution_free(r);
  assert_int_equal(kz_resolve(&r, f->store, NULL, "resource", "Nothing Like It", &err), KZ_ERR_NOT_FOUND);
  assert_non_null(strstr(err.message, "no resource named 'Nothing Like It'"));
  kz_resolution_free(r);
  /* not looked up at all: no resolution */
  assert_int_equal(kz_resolve(&r, f->store, agency, "agency", "  ", &err), KZ_ERR_ARGUMENT);
  assert_null(r);
  kz_resolution_free(NULL);
}

/* kz_catalog_bind_detailed: the resolution of a name that does not resolve. */
static void test_bind_detailed(void **state) {
  world *f = *state;
  const kz_catalog_entry *e = kz_catalog_find(f->catalog, "labs");
  char *sparql = NULL;
  kz_resolution *unresolved = NULL;
  kz_error err;
  kz_param ambiguous[] = {{"agency", "IIT"}};
  assert_int_equal(kz_catalog_bind_detailed(&sparql, &unresolved, e, f->store, ambiguous, 1, &err),
                   KZ_ERR_AMBIGUOUS);
  assert_null(sparql);
  assert_non_null(unresolved);
  assert_string_equal(kz_resolution_name(unresolved), "IIT");
  assert_int_equal(kz_resolution_count(unresolved), 2);
  kz_resolution_free(unresolved);
  kz_param good[] = {{"agency", "IITB"}};
  assert_int_equal(kz_catalog_bind_detailed(&sparql, &unresolved, e, f->store, good, 1, &err), KZ_OK);
  assert_null(unresolved);
  assert_non_null(strstr(sparql, "<http://example.org/iitb>"));
  free(sparql);
  /* another error: no resolution */
  kz_param unknown[] = {{"agency", "IITB"}, {"colour", "red"}};
  assert_int_equal(kz_catalog_bind_detailed(&sparql, &unresolved, e, f->store, unknown, 2, &err),
                   KZ_ERR_ARGUMENT);
  assert_null(unresolved);
  /* without the out-parameter, as kz_catalog_bind */
  assert_int_equal(kz_catalog_bind_detailed(&sparql, NULL, e, f->store, ambiguous, 1, &err),
                   KZ_ERR_AMBIGUOUS);
}

/* Dates with the month's name become ISO dates of the same precision. */
static void test_month_dates(void **state) {
  world *f = *state;
  const kz_catalog_entry *e = kz_catalog_find(f->catalog, "text");
  static const struct { const char *value, *term; } good[] = {
      {"March 2016", "\"2016-03\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>"},
      {"oct. 2018", "\"2018-10\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>"},
      {"Sept 2018", "\"2018-09\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>"},
      {"29 February 2016", "\"2016-02-29\"^^<http://www.w3.org/2001/XMLSchema#date>"},
      {"October 29th, 2018", "\"2018-10-29\"^^<http://www.w3.org/2001/XMLSchema#date>"},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    kz_param params[] = {{"text", "x"}, {"from", good[i].value}, {"site", "http://a/"}};
    char *sparql = NULL;
    kz_error err;
    assert_int_equal(kz_catalog_bind(&sparql, e, f->store, params, 3, &err), KZ_OK);
    if (!strstr(sparql, good[i].term))
      fail_msg("'%s' does not give %s", good[i].value, good[i].term);
    free(sparql);
  }
  static const char *const bad[] = {"30 February 2016", "Marsh 2016", "March", "2016 March",
                                    "March 2016 5", "Mar 16", "1 2 March 2016"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    kz_param params[] = {{"text", "x"}, {"from", bad[i]}, {"site", "http://a/"}};
    char *sparql = NULL;
    kz_error err;
    if (kz_catalog_bind(&sparql, e, f->store, params, 3, &err) != KZ_ERR_ARGUMENT)
      fail_msg("'%s' taken as a date", bad[i]);
    assert_non_null(strstr(err.message, "is not a date"));
  }
}

static void test_match(void **state) {
  world *f = *state;
  kz_match *match = NULL;
  kz_error err;
  assert_int_equal(kz_catalog_match(&match, f->catalog, "  Show me all the Laboratories involving the IITH?? ", &err), KZ_OK);
  assert_string_equal(kz_catalog_entry_name(kz_match_entry(match, 0)), "labs");
  assert_string_equal(kz_match_params(match, 0)[0].value, "IITH");
  assert_int_equal(kz_match_closest_count(match), 0);
  kz_match_free(match);
  /* nothing fits: the closest examples, in the message and as data */
  assert_int_equal(kz_catalog_match(&match, f->catalog, "laboratories near IITH", &err), KZ_ERR_NOT_FOUND);
  assert_non_null(strstr(err.message, "closest: \"labs involving IITH\""));
  assert_non_null(match);
  assert_int_equal(kz_match_count(match), 0);
  assert_int_equal(kz_match_closest_count(match), 1);
  assert_string_equal(kz_match_closest(match, 0), "labs involving IITH");
  assert_ptr_equal(kz_match_closest_entry(match, 0), kz_catalog_find(f->catalog, "labs"));
  assert_null(kz_match_closest(match, 1));
  kz_match_free(match);
  assert_int_equal(kz_catalog_match(&match, f->catalog, "what is the weather", &err), KZ_ERR_NOT_FOUND);
  assert_non_null(strstr(err.message, "kizuna run --list"));
  assert_int_equal(kz_match_closest_count(match), 0);
  kz_match_free(match);
  kz_match_free(NULL);
}

/* Writes text as dir/name. */
static void write_file(const char *dir, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *out = fopen(path, "w");
  assert_non_null(out);
  fputs(text, out);
  fclose(out);
}

static void remove_file(const char *dir, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  unlink(path);
}

/* Equal text left to parameters: the phrase that spells out more of the
 * question in its own words comes first, whatever the names' order. */
static void test_match_specificity(void **state) {
  (void)state;
  char dir[] = "/tmp/kz-catalog-XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_file(dir, "a.rq", "# name: a-labs\n# description: x\n# param: agency string\n"
                          "# phrase: {lead}{the}{labs} {involving} {the}(?<agency>.+)\n"
                          "SELECT ?agency {}\n");
  write_file(dir, "b.rq", "# name: b-units\n# description: x\n# param: agency string\n"
                          "# phrase: {lead}{the}(?:units|{agencies}) (?:of|under) {the}(?<agency>.+)\n"
                          "# phrase: {the}(?<agency>.+?)'s (?:units|institutes)\n"
                          "SELECT ?agency {}\n");
  kz_catalog *catalog = NULL;
  kz_match *match = NULL;
  kz_error err;
  assert_int_equal(kz_catalog_load(&catalog, dir, &err), KZ_OK);
  static const char *const questions[] = {"which institutes of DAE", "DAE's institutes"};
  for (size_t i = 0; i < 2; i++) {
    assert_int_equal(kz_catalog_match(&match, catalog, questions[i], &err), KZ_OK);
    assert_int_equal(kz_match_count(match), questions[i][0] == 'w' ? 2 : 1);
    assert_string_equal(kz_catalog_entry_name(kz_match_entry(match, 0)), "b-units");
    assert_string_equal(kz_match_params(match, 0)[0].value, "DAE");
    kz_match_free(match);
  }
  /* less text left to parameters still comes first */
  assert_int_equal(kz_catalog_match(&match, catalog, "labs of the DAE", &err), KZ_OK);
  assert_string_equal(kz_catalog_entry_name(kz_match_entry(match, 0)), "a-labs");
  kz_match_free(match);
  kz_catalog_free(catalog);
  remove_file(dir, "a.rq");
  remove_file(dir, "b.rq");
  rmdir(dir);
}

/* An optional parameter may be left out, by a run or by a phrase: its
 * variable stays unbound. */
static void test_optional_parameters(void **state) {
  world *f = *state;
  char dir[] = "/tmp/kz-catalog-XXXXXX";
  assert_non_null(mkdtemp(dir));
  write_file(dir, "since.rq", "# name: since\n# description: x\n# param: from date optional\n"
                              "# param: to date optional\n"
                              "# phrase: things since (?<from>{date})\n"
                              "# phrase: things until (?<to>{date})\n"
                              "# phrase: things in (?<from>(?<to>{date}))\n"
                              "SELECT * { BIND(COALESCE(?from, 0) AS ?a) BIND(COALESCE(?to, 0) AS ?b) }\n");
  kz_catalog *catalog = NULL;
  kz_match *match = NULL;
  kz_error err;
  assert_int_equal(kz_catalog_load(&catalog, dir, &err), KZ_OK);
  const kz_catalog_entry *e = kz_catalog_find(catalog, "since");
  assert_true(kz_catalog_entry_param_optional(e, 0));
  assert_false(kz_catalog_entry_param_optional(e, 5));
  assert_int_equal(kz_catalog_match(&match, catalog, "things since March 2015", &err), KZ_OK);
  assert_int_equal(kz_match_param_count(match, 0), 1);
  assert_string_equal(kz_match_params(match, 0)[0].name, "from");
  assert_string_equal(kz_match_params(match, 0)[0].value, "March 2015");
  char *sparql = NULL;
  assert_int_equal(kz_catalog_bind(&sparql, kz_match_entry(match, 0), f->store,
                                   kz_match_params(match, 0), kz_match_param_count(match, 0), &err),
                   KZ_OK);
  assert_non_null(strstr(sparql, "COALESCE(\"2015-03\"^^"));
  assert_non_null(strstr(sparql, "COALESCE(?to, 0)"));
  free(sparql);
  kz_match_free(match);
  assert_int_equal(kz_catalog_match(&match, catalog, "things in 2015", &err), KZ_OK);
  assert_int_equal(kz_match_param_count(match, 0), 2);
  kz_match_free(match);
  assert_int_equal(kz_catalog_bind(&sparql, e, f->store, NULL, 0, &err), KZ_OK);
  assert_non_null(strstr(sparql, "COALESCE(?from, 0)"));
  free(sparql);
  kz_catalog_free(catalog);
  remove_file(dir, "since.rq");
  /* a required parameter is still required, and "optional" is the only flag */
  write_file(dir, "q.rq", "# name: q\n# description: x\n# param: p date maybe\nSELECT ?p {}\n");
  assert_int_not_equal(kz_catalog_load(&catalog, dir, &err), KZ_OK);
  assert_non_null(strstr(err.message, "expected 'param: NAME TYPE [optional]'"));
  write_file(dir, "q.rq", "# name: q\n# description: x\n# param: p date optional\n"
                          "# param: r date\n# phrase: x (?<p>.+)\nSELECT ?p ?r {}\n");
  assert_int_not_equal(kz_catalog_load(&catalog, dir, &err), KZ_OK);
  assert_non_null(strstr(err.message, "does not capture parameter 'r'"));
  remove_file(dir, "q.rq");
  rmdir(dir);
}

static void test_bad_catalogues(void **state) {
  (void)state;
  static const struct { const char *text; const char *message; } cases[] = {
      {"# description: x\nSELECT * {}\n", "missing '# name:'"},
      {"# name: a\n# colour: red\n# description: x\nSELECT * {}\n", "unknown header 'colour'"},
      {"# name: a b\n", "invalid query name"},
      {"# name: a\n# description: x\n# param: p planet\nSELECT * {}\n", "unknown parameter type"},
      {"# name: a\n# description: x\n# param: p string\nSELECT * {}\n", "not used by the query"},
      {"# name: a\n# description: x\n# phrase: (unclosed\nSELECT * {}\n", "bad phrase"},
      {"# name: a\n# description: x\n# phrase: {nonsense} x\nSELECT * {}\n", "unknown placeholder"},
      {"# name: a\n# description: x\n# param: p string\n# phrase: find (?<q>.+)\nSELECT ?p {}\n",
       "does not capture parameter 'p'"},
  };
  char dir[] = "/tmp/kz-catalog-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/q.rq", dir);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    FILE *out = fopen(path, "w");
    fputs(cases[i].text, out);
    fclose(out);
    kz_catalog *catalog = NULL;
    kz_error err;
    assert_int_not_equal(kz_catalog_load(&catalog, dir, &err), KZ_OK);
    assert_null(catalog);
    if (!strstr(err.message, cases[i].message))
      fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].message);
    assert_non_null(strstr(err.source, "q.rq"));
  }
  unlink(path);
  rmdir(dir);
  kz_catalog_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_entries),
      cmocka_unit_test(test_bind_is_token_aware),
      cmocka_unit_test(test_bind_types_values),
      cmocka_unit_test(test_resolution),
      cmocka_unit_test(test_resolution_data),
      cmocka_unit_test(test_bind_detailed),
      cmocka_unit_test(test_month_dates),
      cmocka_unit_test(test_match),
      cmocka_unit_test(test_match_specificity),
      cmocka_unit_test(test_optional_parameters),
      cmocka_unit_test(test_bad_catalogues),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
