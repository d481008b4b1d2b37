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

static void test_match(void **state) {
  world *f = *state;
  kz_match *match = NULL;
  kz_error err;
  assert_int_equal(kz_catalog_match(&match, f->catalog, "  Show me all the Laboratories involving the IITH?? ", &err), KZ_OK);
  assert_string_equal(kz_catalog_entry_name(kz_match_entry(match, 0)), "labs");
  assert_string_equal(kz_match_params(match, 0)[0].value, "IITH");
  kz_match_free(match);
  assert_int_equal(kz_catalog_match(&match, f->catalog, "laboratories near IITH", &err), KZ_ERR_NOT_FOUND);
  assert_non_null(strstr(err.message, "closest: \"labs involving IITH\""));
  assert_int_equal(kz_catalog_match(&match, f->catalog, "what is the weather", &err), KZ_ERR_NOT_FOUND);
  assert_non_null(strstr(err.message, "kizuna run --list"));
  kz_match_free(NULL);
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
      cmocka_unit_test(test_match),
      cmocka_unit_test(test_bad_catalogues),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
