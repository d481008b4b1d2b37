/* Unit tests for stores: specs, loading every syntax, atomic loads,
 * persistence and locking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kizuna/kizuna.h"
#include "test_util.h"

static kz_store *open_memory(void) {
  kz_store *store = NULL;
  kz_error err;
  assert_int_equal(kz_store_open(&store, "memory", NULL, &err), KZ_OK);
  return store;
}

static uint64_t quad_count(kz_store *store) {
  kz_stats *stats = NULL;
  kz_error err;
  assert_int_equal(kz_store_stats(&stats, store, &err), KZ_OK);
  uint64_t n = stats->quads;
  kz_stats_free(stats);
  return n;
}

static void test_bad_specs(void **state) {
  (void)state;
  kz_store *store = NULL;
  kz_error err;
  assert_int_equal(kz_store_open(&store, "postgres:x", NULL, &err), KZ_ERR_ARGUMENT);
  assert_null(store);
  assert_string_equal(err.source, "postgres:x");
  assert_non_null(strstr(err.message, "unknown store"));
  assert_int_equal(kz_store_open(&store, "sqlite:", NULL, &err), KZ_ERR_ARGUMENT);
  kz_store_options ro = KZ_STORE_OPTIONS_INIT;
  ro.read_only = 1;
  assert_int_equal(kz_store_open(&store, "sqlite:/nonexistent/dir/x.db", &ro, &err),
                   KZ_ERR_NOT_FOUND);
  kz_store_free(NULL);
}

static void test_load_every_syntax(void **state) {
  (void)state;
  kz_store *store = open_memory();
  kz_error err;
  uint64_t added = 0;
  const struct { const char *file; uint64_t quads; } cases[] = {
      {"small.ttl", 11}, {"small.nt", 2}, {"small.nq", 2},
      {"small.trig", 1 /* g1 already has its triple */}, {"small.rdf", 1}, {"small.rj", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(kz_store_load(store, fixture(cases[i].file), NULL, &added, &err), KZ_OK);
    assert_int_equal(added, cases[i].quads);
  }
  /* N-Quads and TriG keep their own graphs. */
  kz_stats *stats = NULL;
  assert_int_equal(kz_store_stats(&stats, store, &err), KZ_OK);
  int seen_g3 = 0;
  for (size_t i = 0; i < stats->graph_count; i++)
    seen_g3 |= strcmp(stats->graphs[i].name, "http://example.org/g3") == 0;
  assert_true(seen_g3);
  kz_stats_free(stats);
  kz_store_free(store);
}

static void test_reload_adds_nothing(void **state) {
  (void)state;
  kz_store *store = open_memory();
  kz_error err;
  uint64_t added = 0;
  assert_int_equal(kz_store_load(store, fixture("small.ttl"), NULL, &added, &err), KZ_OK);
  assert_int_equal(kz_store_load(store, fixture("small.ttl"), NULL, &added, &err), KZ_OK);
  assert_int_equal(added, 0);
  assert_int_equal(quad_count(store), 11);
  kz_store_free(store);
}

static void test_syntax_error_leaves_store_unchanged(void **state) {
  (void)state;
  kz_store *store = open_memory();
  kz_error err;
  assert_int_equal(kz_store_load(store, fixture("small.nt"), NULL, NULL, &err), KZ_OK);
  assert_int_equal(kz_store_load(store, fixture("bad.ttl"), NULL, NULL, &err), KZ_ERR_SYNTAX);
  assert_int_equal(err.line, 3);
  assert_int_equal(err.column, 11);
  assert_non_null(strstr(err.source, "bad.ttl"));
  /* N-Triples streams: its good first line must not be kept either. */
  assert_int_equal(kz_store_load(store, fixture("bad.nt"), NULL, NULL, &err), KZ_ERR_SYNTAX);
  assert_int_equal(err.line, 2);
  assert_true(err.column > 0);
  assert_int_equal(quad_count(store), 2);
  kz_store_free(store);
}

static void test_load_errors(void **state) {
  (void)state;
  kz_store *store = open_memory();
  kz_error err;
  assert_int_equal(kz_store_load(store, fixture("missing.ttl"), NULL, NULL, &err), KZ_ERR_IO);
  assert_non_null(strstr(err.message, "cannot open"));
  assert_int_equal(kz_store_load(store, fixture("small.unknown"), NULL, NULL, &err),
                   KZ_ERR_ARGUMENT);
  kz_load_options options = KZ_LOAD_OPTIONS_INIT;
  options.syntax = "klingon";
  assert_int_equal(kz_store_load(store, fixture("small.ttl"), &options, NULL, &err),
                   KZ_ERR_ARGUMENT);
  kz_store_free(store);
}

static void test_sqlite_persists_and_locks(void **state) {
  (void)state;
  char dir[] = "/tmp/kz-test-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char spec[256];
  snprintf(spec, sizeof spec, "sqlite:%s/store.db", dir);
  kz_error err;
  kz_store *writer = NULL;
  if (kz_store_open(&writer, spec, NULL, &err) != KZ_OK) fail_msg("%s: %s", err.source, err.message);
  uint64_t added = 0;
  assert_int_equal(kz_store_load(writer, fixture("small.ttl"), NULL, &added, &err), KZ_OK);
  assert_int_equal(added, 11);
  /* While it is open for writing, nobody else gets in. */
  kz_store_options ro = KZ_STORE_OPTIONS_INIT;
  ro.read_only = 1;
  kz_store *other = NULL;
  assert_int_equal(kz_store_open(&other, spec, &ro, &err), KZ_ERR_LOCKED);
  assert_int_equal(kz_store_open(&other, spec, NULL, &err), KZ_ERR_LOCKED);
  kz_store_free(writer);
  /* Two readers may share it; a writer may not join them. */
  kz_store *reader1 = NULL, *reader2 = NULL;
  assert_int_equal(kz_store_open(&reader1, spec, &ro, &err), KZ_OK);
  assert_int_equal(kz_store_open(&reader2, spec, &ro, &err), KZ_OK);
  assert_int_equal(kz_store_open(&other, spec, NULL, &err), KZ_ERR_LOCKED);
  assert_int_equal(quad_count(reader1), 11);
  assert_int_equal(kz_store_load(reader2, fixture("small.nt"), NULL, NULL, &err),
                   KZ_ERR_ARGUMENT);
  kz_store_free(reader1);
  kz_store_free(reader2);
  char path[300], cmd[200];
  snprintf(path, sizeof path, "%s/store.db", dir);
  unlink(path);
  snprintf(path, sizeof path, "%s/store.db.lock", dir);
  unlink(path);
  snprintf(cmd, sizeof cmd, "%s/not-a-store.db", dir);
  FILE *f = fopen(cmd, "w");
  fputs("hello, I am not SQLite\n", f);
  fclose(f);
  snprintf(spec, sizeof spec, "sqlite:%s", cmd);
  assert_int_equal(kz_store_open(&other, spec, NULL, &err), KZ_ERR_ARGUMENT);
  unlink(cmd);
  snprintf(path, sizeof path, "%s.lock", cmd);
  unlink(path);
  assert_int_equal(rmdir(dir), 0);
}

static void test_error_format(void **state) {
  (void)state;
  kz_error err;
  kz_error_clear(&err);
  char line[256];
  err.status = KZ_ERR_SYNTAX;
  snprintf(err.source, sizeof err.source, "a.ttl");
  err.line = 3;
  err.column = 7;
  snprintf(err.message, sizeof err.message, "oops");
  assert_string_equal(kz_error_format(&err, line, sizeof line), "a.ttl:3:7: oops");
  err.column = 0;
  assert_string_equal(kz_error_format(&err, line, sizeof line), "a.ttl:3: oops");
  assert_string_equal(kz_strerror(KZ_ERR_LOCKED), "store is locked");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_specs),
      cmocka_unit_test(test_load_every_syntax),
      cmocka_unit_test(test_reload_adds_nothing),
      cmocka_unit_test(test_syntax_error_leaves_store_unchanged),
      cmocka_unit_test(test_load_errors),
      cmocka_unit_test(test_sqlite_persists_and_locks),
      cmocka_unit_test(test_error_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
