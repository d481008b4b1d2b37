/* Unit tests for the kizuna Redland storage (the "memory" store): Redland's
 * model API on it, compared with Redland's hashes storage on the same random
 * data; contexts, transactions, streams that outlive changes; loading real
 * files; and kz_store_get_index on both storages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/strset.h"
#include "kizuna/kizuna.h"
#include "store/kizuna_storage.h"
#include "store/store_internal.h"
#include "test_util.h"

#define EX "http://example.org/"

static kz_store *open_store(const char *spec) {
  kz_store *store = NULL;
  kz_error err;
  if (kz_store_open(&store, spec, NULL, &err) != KZ_OK)
    fail_msg("%s: %s", err.source, err.message);
  return store;
}

static librdf_node *iri(kz_store *store, const char *local) {
  char text[256];
  snprintf(text, sizeof text, EX "%s", local);
  librdf_node *node = librdf_new_node_from_uri_string(store->world, (const unsigned char *)text);
  assert_non_null(node);
  return node;
}

static librdf_statement *triple(kz_store *store, const char *s, const char *p, const char *o) {
  librdf_statement *statement = librdf_new_statement_from_nodes(
      store->world, s ? iri(store, s) : NULL, p ? iri(store, p) : NULL, o ? iri(store, o) : NULL);
  assert_non_null(statement);
  return statement;
}

/* "S P O G" in N-Triples terms; G is "-" for no context. Caller frees. */
static char *quad_text(librdf_statement *statement, librdf_node *context) {
  librdf_node *nodes[4] = {librdf_statement_get_subject(statement),
                           librdf_statement_get_predicate(statement),
                           librdf_statement_get_object(statement), context};
  char *out = calloc(1, 1);
  for (int i = 0; i < 4; i++) {
    unsigned char *text = nodes[i] ? raptor_term_to_string(nodes[i]) : NULL;
    const char *part = text ? (const char *)text : "-";
    size_t len = strlen(out);
    out = realloc(out, len + strlen(part) + 2);
    assert_non_null(out);
    snprintf(out + len, strlen(part) + 2, "%s%s", i ? " " : "", part);
    if (text)
      raptor_free_memory(text);
  }
  return out;
}

/* The statements of stream as a set of quad texts (with the stream's
 * context when with_context); frees the stream. *rows counts the
 * statements, duplicates included. */
static kz_strset *drain(librdf_stream *stream, int with_context, size_t *rows) {
  kz_strset *set = kz_strset_new();
  assert_non_null(set);
  assert_non_null(stream);
  size_t n = 0;
  for (; !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    assert_non_null(statement);
    char *text = quad_text(statement, with_context ? librdf_stream_get_context2(stream) : NULL);
    assert_true(kz_strset_add(set, text) >= 0);
    free(text);
    n++;
  }
  librdf_free_stream(stream);
  if (rows)
    *rows = n;
  return set;
}

/* ---- the model API ------------------------------------------------------- */

static void test_add_find_remove(void **state) {
  (void)state;
  kz_store *store = open_store("memory");
  assert_non_null(kz_storage_index(store->storage));
  assert_null(kz_storage_index(NULL));
  librdf_model *model = store->model;
  assert_true(librdf_model_supports_contexts(model));
  librdf_node *g = iri(store, "g");
  librdf_statement *abc = triple(store, "a", "b", "c");
  librdf_statement *abd = triple(store, "a", "b", "d");
  librdf_statement *xbc = triple(store, "x", "b", "c");
  assert_int_equal(librdf_model_context_add_statement(model, g, abc), 0);
  assert_int_equal(librdf_model_context_add_statement(model, g, abc), 0); /* a set */
  assert_int_equal(librdf_model_context_add_statement(model, g, abd), 0);
  assert_int_equal(librdf_model_add_statement(model, xbc), 0); /* no context */
  assert_int_equal(librdf_model_size(model), 3);
  assert_true(librdf_model_contains_statement(model, abc));
  assert_true(librdf_model_contains_statement(model, xbc));
  librdf_statement *missing = triple(store, "c", "b", "a");
  assert_false(librdf_model_contains_statement(model, missing));

  /* Every position bound or free. */
  const struct {
    const char *s, *p, *o;
    size_t in_union, in_g;
  } patterns[] = {
      {NULL, NULL, NULL, 3, 2},     {"a", NULL, NULL, 2, 2},     {NULL, "b", NULL, 3, 2},
      {NULL, NULL, "c", 2, 1},      {"a", "b", NULL, 2, 2},      {"a", NULL, "d", 1, 1},
      {NULL, "b", "c", 2, 1},       {"a", "b", "c", 1, 1},       {"x", "b", "c", 1, 0},
      {"nobody", NULL, NULL, 0, 0}, {"a", "b", "nothing", 0, 0},
  };
  for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
    librdf_statement *pattern = triple(store, patterns[i].s, patterns[i].p, patterns[i].o);
    size_t rows = 0;
    kz_strset_free(drain(librdf_model_find_statements(model, pattern), 0, &rows));
    assert_int_equal(rows, patterns[i].in_union);
    kz_strset_free(drain(librdf_model_find_statements_in_context(model, pattern, g), 1, &rows));
    assert_int_equal(rows, patterns[i].in_g);
    librdf_free_statement(pattern);
  }
  /* Node iterators are built on find_statements. */
  librdf_node *a = iri(store, "a"), *b = iri(store, "b");
  librdf_iterator *targets = librdf_model_get_targets(model, a, b);
  size_t target_count = 0;
  for (; !librdf_iterator_end(targets); librdf_iterator_next(targets))
    target_count++;
  librdf_free_iterator(targets);
  assert_int_equal(target_count, 2);

  /* Removing: with the right context only. */
  assert_int_equal(librdf_model_remove_statement(model, abc), 0); /* not without context */
  assert_true(librdf_model_contains_statement(model, abc));
  assert_int_equal(librdf_model_context_remove_statement(model, g, abc), 0);
  assert_false(librdf_model_contains_statement(model, abc));
  assert_int_equal(librdf_model_remove_statement(model, xbc), 0);
  assert_int_equal(librdf_model_remove_statement(model, missing), 0);
  assert_int_equal(librdf_model_size(model), 1);
  assert_int_equal(librdf_model_context_remove_statements(model, g), 0);
  assert_int_equal(librdf_model_size(model), 0);

  librdf_free_node(a);
  librdf_free_node(b);
  librdf_free_statement(missing);
  librdf_free_statement(abc);
  librdf_free_statement(abd);
  librdf_free_statement(xbc);
  librdf_free_node(g);
  kz_store_free(store);
}

static void test_triple_in_two_graphs(void **state) {
  (void)state;
  kz_store *store = open_store("memory");
  librdf_model *model = store->model;
  librdf_node *g1 = iri(store, "g1"), *g2 = iri(store, "g2");
  librdf_statement *abc = triple(store, "a", "b", "c");
  assert_int_equal(librdf_model_context_add_statement(model, g1, abc), 0);
  assert_int_equal(librdf_model_context_add_statement(model, g2, abc), 0);
  assert_int_equal(librdf_model_size(model), 2); /* quads */
  size_t rows = 0;
  kz_strset *set = drain(librdf_model_as_stream(model), 1, &rows);
  assert_int_equal(rows, 1); /* the union: each triple once, no context */
  assert_true(kz_strset_contains(set, "<" EX "a> <" EX "b> <" EX "c> -"));
  kz_strset_free(set);
  librdf_statement *all = librdf_new_statement(store->world);
  kz_strset_free(drain(librdf_model_find_statements(model, all), 0, &rows));
  assert_int_equal(rows, 1);
  librdf_free_statement(all);
  set = drain(librdf_model_context_as_stream(model, g1), 1, &rows);
  assert_int_equal(rows, 1);
  assert_true(kz_strset_contains(set, "<" EX "a> <" EX "b> <" EX "c> <" EX "g1>"));
  kz_strset_free(set);
  set = drain(librdf_model_context_as_stream(model, g2), 1, &rows);
  assert_true(kz_strset_contains(set, "<" EX "a> <" EX "b> <" EX "c> <" EX "g2>"));
  kz_strset_free(set);
  /* get_contexts: both graphs. */
  librdf_iterator *contexts = librdf_model_get_contexts(model);
  size_t graph_count = 0;
  for (; !librdf_iterator_end(contexts); librdf_iterator_next(contexts)) {
    librdf_node *node = librdf_iterator_get_object(contexts);
    assert_true(librdf_node_equals(node, g1) || librdf_node_equals(node, g2));
    graph_count++;
  }
  librdf_free_iterator(contexts);
  assert_int_equal(graph_count, 2);
  assert_true(librdf_model_contains_context(model, g1));
  librdf_node *g3 = iri(store, "g3");
  assert_false(librdf_model_contains_context(model, g3));
  librdf_free_node(g3);
  /* Dropping one graph keeps the triple in the other. */
  kz_error err;
  assert_int_equal(kz_store_drop_graph(store, EX "g1", &err), KZ_OK);
  assert_true(librdf_model_contains_statement(model, abc));
  assert_false(librdf_model_contains_context(model, g1));
  librdf_free_statement(abc);
  librdf_free_node(g1);
  librdf_free_node(g2);
  kz_store_free(store);
}

static void test_transactions(void **state) {
  (void)state;
  kz_store *store = open_store("memory");
  librdf_model *model = store->model;
  librdf_node *g = iri(store, "g");
  librdf_statement *kept = triple(store, "kept", "p", "o");
  assert_int_equal(librdf_model_context_add_statement(model, g, kept), 0);

  /* A rollback takes back what the transaction added, and only that. */
  assert_int_equal(librdf_model_transaction_start(model), 0);
  assert_int_not_equal(librdf_model_transaction_start(model), 0); /* no nesting */
  char name[32];
  for (int i = 0; i < 100; i++) {
    snprintf(name, sizeof name, "s%d", i);
    librdf_statement *statement = triple(store, name, "p", "o");
    assert_int_equal(librdf_model_context_add_statement(model, g, statement), 0);
    librdf_free_statement(statement);
  }
  assert_int_equal(librdf_model_context_add_statement(model, g, kept), 0); /* already there */
  assert_int_equal(librdf_model_size(model), 101); /* the transaction sees its adds */
  librdf_statement *s5 = triple(store, "s5", "p", "o");
  assert_true(librdf_model_contains_statement(model, s5));
  for (int i = 100; i < 150; i++) { /* more adds after a read */
    snprintf(name, sizeof name, "s%d", i);
    librdf_statement *statement = triple(store, name, "p", "o");
    assert_int_equal(librdf_model_context_add_statement(model, g, statement), 0);
    librdf_free_statement(statement);
  }
  assert_int_equal(librdf_model_transaction_rollback(model), 0);
  assert_int_equal(librdf_model_size(model), 1);
  assert_true(librdf_model_contains_statement(model, kept));
  assert_false(librdf_model_contains_statement(model, s5));

  /* Removes are put back too. */
  assert_int_equal(librdf_model_transaction_start(model), 0);
  assert_int_equal(librdf_model_context_remove_statement(model, g, kept), 0);
  assert_int_equal(librdf_model_context_add_statement(model, g, s5), 0);
  assert_int_equal(librdf_model_context_remove_statement(model, g, s5), 0);
  assert_int_equal(librdf_model_size(model), 0);
  assert_int_equal(librdf_model_transaction_rollback(model), 0);
  assert_int_equal(librdf_model_size(model), 1);
  assert_true(librdf_model_contains_statement(model, kept));
  assert_false(librdf_model_contains_statement(model, s5));

  /* A commit keeps them. */
  assert_int_equal(librdf_model_transaction_start(model), 0);
  assert_int_equal(librdf_model_context_add_statement(model, g, s5), 0);
  assert_int_equal(librdf_model_transaction_commit(model), 0);
  assert_int_equal(librdf_model_size(model), 2);
  assert_int_not_equal(librdf_model_transaction_commit(model), 0); /* none open */
  assert_int_not_equal(librdf_model_transaction_rollback(model), 0);

  librdf_free_statement(s5);
  librdf_free_statement(kept);
  librdf_free_node(g);
  kz_store_free(store);
}

/* A stream keeps answering, from the matches it had, while the caller adds
 * and removes statements. */
static void test_stream_outlives_changes(void **state) {
  (void)state;
  kz_store *store = open_store("memory");
  librdf_model *model = store->model;
  librdf_node *g = iri(store, "g");
  char name[32];
  for (int i = 0; i < 50; i++) {
    snprintf(name, sizeof name, "s%d", i);
    librdf_statement *statement = triple(store, name, "p", "o");
    assert_int_equal(librdf_model_context_add_statement(model, g, statement), 0);
    librdf_free_statement(statement);
  }
  librdf_statement *pattern = triple(store, NULL, "p", NULL);
  librdf_stream *stream = librdf_model_find_statements(model, pattern);
  librdf_stream *untouched = librdf_model_context_as_stream(model, g);
  size_t rows = 0;
  for (; !librdf_stream_end(stream); librdf_stream_next(stream), rows++) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    assert_non_null(statement);
    /* Adds (s p o2) for the statement seen, and removes it. */
    librdf_statement *other = librdf_new_statement_from_nodes(
        store->world, librdf_new_node_from_node(librdf_statement_get_subject(statement)),
        librdf_new_node_from_node(librdf_statement_get_predicate(statement)), iri(store, "o2"));
    assert_int_equal(librdf_model_context_add_statement(model, g, other), 0);
    librdf_free_statement(other);
    assert_int_equal(librdf_model_context_remove_statement(model, g, statement), 0);
  }
  librdf_free_stream(stream);
  assert_int_equal(rows, 50);
  size_t untouched_rows = 0;
  kz_strset_free(drain(untouched, 1, &untouched_rows));
  assert_int_equal(untouched_rows, 50);
  assert_int_equal(librdf_model_size(model), 50);
  kz_strset_free(drain(librdf_model_find_statements(model, pattern), 0, &rows));
  assert_int_equal(rows, 50);
  librdf_free_statement(pattern);
  librdf_free_node(g);
  kz_store_free(store);
}

static void test_lookups_do_not_intern(void **state) {
  (void)state;
  kz_store *store = open_store("memory");
  kz_index *index = kz_storage_index(store->storage);
  librdf_statement *abc = triple(store, "a", "b", "c");
  librdf_node *g = iri(store, "g");
  assert_int_equal(librdf_model_context_add_statement(store->model, g, abc), 0);
  size_t terms = kz_index_term_count(index);
  librdf_statement *unknown = triple(store, "a", "b", "never-seen");
  librdf_node *unknown_graph = iri(store, "no-graph");
  size_t rows = 1;
  kz_strset_free(drain(librdf_model_find_statements(store->model, unknown), 0, &rows));
  assert_int_equal(rows, 0);
  kz_strset_free(
      drain(librdf_model_find_statements_in_context(store->model, abc, unknown_graph), 0, &rows));
  assert_int_equal(rows, 0);
  assert_false(librdf_model_contains_statement(store->model, unknown));
  assert_int_equal(librdf_model_context_remove_statement(store->model, unknown_graph, abc), 0);
  assert_int_equal(kz_index_term_count(index), terms);
  librdf_free_node(unknown_graph);
  librdf_free_statement(unknown);
  librdf_free_node(g);
  librdf_free_statement(abc);
  kz_store_free(store);
}

/* ---- the same answers as the hashes storage on random data ---------------- */

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned next_random(unsigned bound) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % bound);
}

/* A random term of a small vocabulary; kind_mask limits the kinds (1 IRI, 2
 * blank, 4 literal). Literals are plain, typed or tagged (lower case: the
 * index keeps tags lower-cased, hashes as given). */
static librdf_node *random_node(kz_store *store, unsigned kind_mask) {
  for (;;) {
    unsigned kind = next_random(3);
    if (!(kind_mask & (1u << kind)))
      continue;
    char text[64];
    snprintf(text, sizeof text, "%u", next_random(6));
    if (kind == 0)
      return iri(store, text);
    if (kind == 1)
      return librdf_new_node_from_blank_identifier(store->world, (const unsigned char *)text);
    switch (next_random(3)) {
    case 0:
      return librdf_new_node_from_typed_literal(store->world, (const unsigned char *)text, NULL,
                                                NULL);
    case 1:
      return librdf_new_node_from_typed_literal(store->world, (const unsigned char *)text, "en",
                                                NULL);
    default: {
      librdf_uri *dt = librdf_new_uri(
          store->world, (const unsigned char *)"http://www.w3.org/2001/XMLSchema#integer");
      librdf_node *node =
          librdf_new_node_from_typed_literal(store->world, (const unsigned char *)text, NULL, dt);
      librdf_free_uri(dt);
      return node;
    }
    }
  }
}

static librdf_node *random_graph(kz_store *store) {
  char text[16];
  snprintf(text, sizeof text, "graph%u", next_random(4));
  return iri(store, text);
}

static void assert_same_sets(kz_strset *expected, kz_strset *actual, size_t actual_rows) {
  assert_int_equal(kz_strset_size(actual), actual_rows); /* kizuna: no duplicates */
  assert_int_equal(kz_strset_size(expected), kz_strset_size(actual));
  kz_strset_free(expected);
  kz_strset_free(actual);
}

/* Compares the two models on the pattern (s, p, o) (NULL: free) and in
 * every graph. Sets of equal size whose members are all in the other set;
 * the membership check is done by re-running with the other side. */
static void compare_pattern(kz_store *hashes, kz_store *kizuna, librdf_node *s, librdf_node *p,
                            librdf_node *o) {
  librdf_statement *on_h = librdf_new_statement_from_nodes(
      hashes->world, s ? librdf_new_node_from_node(s) : NULL,
      p ? librdf_new_node_from_node(p) : NULL, o ? librdf_new_node_from_node(o) : NULL);
  size_t rows_h = 0, rows_k = 0;
  kz_strset *expected = drain(librdf_model_find_statements(hashes->model, on_h), 0, &rows_h);
  kz_strset *actual = drain(librdf_model_find_statements(kizuna->model, on_h), 0, &rows_k);
  /* Every expected member is an actual one. */
  librdf_stream *again = librdf_model_find_statements(hashes->model, on_h);
  for (; !librdf_stream_end(again); librdf_stream_next(again)) {
    char *text = quad_text(librdf_stream_get_object(again), NULL);
    assert_true(kz_strset_contains(actual, text));
    free(text);
  }
  librdf_free_stream(again);
  assert_same_sets(expected, actual, rows_k);
  for (unsigned g = 0; g < 5; g++) {
    char name[16];
    snprintf(name, sizeof name, "graph%u", g);
    librdf_node *graph = iri(kizuna, name);
    expected =
        drain(librdf_model_find_statements_in_context(hashes->model, on_h, graph), 1, &rows_h);
    actual = drain(librdf_model_find_statements_in_context(kizuna->model, on_h, graph), 1, &rows_k);
    again = librdf_model_find_statements_in_context(hashes->model, on_h, graph);
    for (; !librdf_stream_end(again); librdf_stream_next(again)) {
      char *text = quad_text(librdf_stream_get_object(again), graph);
      assert_true(kz_strset_contains(actual, text));
      free(text);
    }
    librdf_free_stream(again);
    assert_same_sets(expected, actual, rows_k);
    librdf_free_node(graph);
  }
  if (s && p && o)
    assert_int_equal(librdf_model_contains_statement(hashes->model, on_h) != 0,
                     librdf_model_contains_statement(kizuna->model, on_h) != 0);
  librdf_free_statement(on_h);
}

static void test_same_answers_as_hashes(void **state) {
  (void)state;
  kz_store *hashes = open_store("hashes");
  kz_store *kizuna = open_store("memory");
  assert_null(kz_storage_index(hashes->storage));
  /* Random adds and removes on both. Hashes keeps duplicate quads, so add a
   * quad there only if it is not already in its graph. */
  for (int step = 0; step < 600; step++) {
    librdf_statement *statement = librdf_new_statement_from_nodes(
        kizuna->world, random_node(kizuna, 3), random_node(kizuna, 1), random_node(kizuna, 7));
    librdf_node *graph = random_graph(kizuna);
    int remove = next_random(4) == 0;
    librdf_stream *present =
        librdf_model_find_statements_in_context(hashes->model, statement, graph);
    int there = !librdf_stream_end(present);
    librdf_free_stream(present);
    if (remove) {
      if (there)
        assert_int_equal(librdf_model_context_remove_statement(hashes->model, graph, statement), 0);
      assert_int_equal(librdf_model_context_remove_statement(kizuna->model, graph, statement), 0);
    } else {
      if (!there)
        assert_int_equal(librdf_model_context_add_statement(hashes->model, graph, statement), 0);
      assert_int_equal(librdf_model_context_add_statement(kizuna->model, graph, statement), 0);
    }
    librdf_free_statement(statement);
    librdf_free_node(graph);
  }
  assert_int_equal(librdf_model_size(hashes->model), librdf_model_size(kizuna->model));
  assert_true(librdf_model_size(kizuna->model) > 200);
  /* Every combination of bound and free positions, with random terms (some
   * of which are in no statement). */
  for (int round = 0; round < 40; round++) {
    librdf_node *s = random_node(kizuna, 3), *p = random_node(kizuna, 1),
                *o = random_node(kizuna, 7);
    for (unsigned mask = 0; mask < 8; mask++)
      compare_pattern(hashes, kizuna, mask & 1 ? s : NULL, mask & 2 ? p : NULL,
                      mask & 4 ? o : NULL);
    librdf_free_node(s);
    librdf_free_node(p);
    librdf_free_node(o);
  }
  /* The same graphs, and the same statistics. */
  kz_stats *stats_h = NULL, *stats_k = NULL;
  kz_error err;
  assert_int_equal(kz_store_stats(&stats_h, hashes, &err), KZ_OK);
  assert_int_equal(kz_store_stats(&stats_k, kizuna, &err), KZ_OK);
  assert_int_equal(stats_h->quads, stats_k->quads);
  assert_int_equal(stats_h->graph_count, stats_k->graph_count);
  for (size_t i = 0; i < stats_h->graph_count; i++) {
    assert_string_equal(stats_h->graphs[i].name, stats_k->graphs[i].name);
    assert_int_equal(stats_h->graphs[i].count, stats_k->graphs[i].count);
  }
  assert_int_equal(stats_h->property_count, stats_k->property_count);
  for (size_t i = 0; i < stats_h->property_count; i++) {
    assert_string_equal(stats_h->properties[i].name, stats_k->properties[i].name);
    assert_int_equal(stats_h->properties[i].count, stats_k->properties[i].count);
  }
  kz_stats_free(stats_h);
  kz_stats_free(stats_k);
  kz_store_free(hashes);
  kz_store_free(kizuna);
}

/* ---- through the kz_store API --------------------------------------------- */

/* Every quad of index as a set of "S P O G" texts; with other, also checks
 * that each is in other. */
static kz_strset *index_quads(kz_index *index, const kz_strset *other) {
  kz_strset *set = kz_strset_new();
  assert_non_null(set);
  kz_pattern all = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_MATCH_GRAPH, true};
  kz_cursor cursor;
  kz_id quad[4];
  kz_index_match(index, &all, &cursor);
  while (kz_cursor_next(&cursor, quad)) {
    char text[2048] = "";
    for (int i = 0; i < 4; i++) {
      const kz_term *term = kz_index_term(index, quad[i]);
      size_t len = strlen(text);
      snprintf(text + len, sizeof text - len, "%s%d:%s@%s^%s", i ? " " : "",
               term ? (int)term->kind : 0, term ? term->value : "-",
               term && term->language ? term->language : "",
               term && term->datatype ? term->datatype : "");
    }
    assert_int_equal(kz_strset_add(set, text), 1);
    if (other && !kz_strset_contains(other, text))
      fail_msg("quad not in the other index: %s", text);
  }
  return set;
}

static void test_load_files_and_indexes(void **state) {
  (void)state;
  const char *files[] = {"small.ttl", "small.nq", "small.trig", "small.nt"};
  kz_store *stores[2] = {open_store("memory"), open_store("hashes")};
  kz_error err;
  uint64_t added[2] = {0, 0};
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    for (int k = 0; k < 2; k++) {
      if (kz_store_load(stores[k], fixture(files[f]), NULL, &added[k], &err) != KZ_OK)
        fail_msg("%s: %s", err.source, err.message);
    }
    assert_int_equal(added[0], added[1]);
  }
  kz_index *indexes[2] = {NULL, NULL};
  for (int k = 0; k < 2; k++)
    assert_int_equal(kz_store_get_index(stores[k], &indexes[k], &err), KZ_OK);
  assert_ptr_equal(indexes[0], kz_storage_index(stores[0]->storage));
  kz_stats *stats = NULL;
  assert_int_equal(kz_store_stats(&stats, stores[0], &err), KZ_OK);
  assert_int_equal(kz_index_quad_count(indexes[0]), stats->quads);
  assert_int_equal(kz_index_quad_count(indexes[1]), stats->quads);
  kz_stats_free(stats);
  kz_strset *kizuna_quads = index_quads(indexes[0], NULL);
  kz_strset *hashes_quads = index_quads(indexes[1], kizuna_quads);
  assert_int_equal(kz_strset_size(kizuna_quads), kz_strset_size(hashes_quads));
  kz_strset_free(kizuna_quads);
  kz_strset_free(hashes_quads);
  /* The snapshot of the hashes store is kept until the store changes. */
  kz_index *again = NULL;
  assert_int_equal(kz_store_get_index(stores[1], &again, &err), KZ_OK);
  assert_ptr_equal(again, indexes[1]);
  size_t before = kz_index_quad_count(again);
  kz_load_options options = KZ_LOAD_OPTIONS_INIT;
  options.graph = EX "another";
  assert_int_equal(kz_store_load(stores[1], fixture("small.nt"), &options, NULL, &err), KZ_OK);
  assert_int_equal(kz_store_get_index(stores[1], &again, &err), KZ_OK);
  assert_int_equal(kz_index_quad_count(again), before + 2);
  assert_int_equal(kz_store_drop_graph(stores[1], EX "another", &err), KZ_OK);
  assert_int_equal(kz_store_get_index(stores[1], &again, &err), KZ_OK);
  assert_int_equal(kz_index_quad_count(again), before);
  /* An empty store has an empty index. */
  kz_store *empty = open_store("hashes");
  assert_int_equal(kz_store_get_index(empty, &again, &err), KZ_OK);
  assert_int_equal(kz_index_quad_count(again), 0);
  kz_store_free(empty);
  kz_store_free(stores[0]);
  kz_store_free(stores[1]);
}

/* A failed load leaves the kizuna store exactly as it was: the rollback
 * takes back only the quads the load added. */
static void test_failed_add_rolls_back(void **state) {
  (void)state;
  kz_store *store = open_store("memory");
  kz_error err;
  assert_int_equal(kz_store_load(store, fixture("small.nt"), NULL, NULL, &err), KZ_OK);
  int before = librdf_model_size(store->model);
  kz_quad quads[3];
  librdf_node *graph = iri(store, "g");
  quads[0].statement = triple(store, "new", "p", "o");
  quads[1].statement = triple(store, "new2", "p", "o");
  /* A literal subject: the storage refuses it, so the whole batch fails. */
  quads[2].statement = librdf_new_statement_from_nodes(
      store->world,
      librdf_new_node_from_typed_literal(store->world, (const unsigned char *)"x", NULL, NULL),
      iri(store, "p"), iri(store, "o"));
  for (int i = 0; i < 3; i++)
    quads[i].graph = graph;
  assert_int_not_equal(kz_store_add_quads(store, quads, 3, "test", &err), KZ_OK);
  assert_int_equal(librdf_model_size(store->model), before);
  assert_false(librdf_model_contains_statement(store->model, quads[0].statement));
  assert_int_equal(kz_store_add_quads(store, quads, 2, "test", &err), KZ_OK);
  assert_int_equal(librdf_model_size(store->model), before + 2);
  for (int i = 0; i < 3; i++)
    librdf_free_statement(quads[i].statement);
  librdf_free_node(graph);
  kz_store_free(store);
}

/* RDF 1.1: "x"^^xsd:string is the simple literal "x"; language tags are
 * case-insensitive. */
static void test_literal_forms(void **state) {
  (void)state;
  kz_store *store = open_store("memory");
  librdf_model *model = store->model;
  librdf_node *g = iri(store, "g");
  librdf_uri *xsd_string = librdf_new_uri(
      store->world, (const unsigned char *)"http://www.w3.org/2001/XMLSchema#string");
  librdf_statement *typed = librdf_new_statement_from_nodes(
      store->world, iri(store, "a"), iri(store, "p"),
      librdf_new_node_from_typed_literal(store->world, (const unsigned char *)"x", NULL,
                                         xsd_string));
  librdf_statement *plain = librdf_new_statement_from_nodes(
      store->world, iri(store, "a"), iri(store, "p"),
      librdf_new_node_from_typed_literal(store->world, (const unsigned char *)"x", NULL, NULL));
  librdf_statement *upper = librdf_new_statement_from_nodes(
      store->world, iri(store, "a"), iri(store, "p"),
      librdf_new_node_from_typed_literal(store->world, (const unsigned char *)"y", "EN-GB", NULL));
  librdf_statement *lower = librdf_new_statement_from_nodes(
      store->world, iri(store, "a"), iri(store, "p"),
      librdf_new_node_from_typed_literal(store->world, (const unsigned char *)"y", "en-gb", NULL));
  assert_int_equal(librdf_model_context_add_statement(model, g, typed), 0);
  assert_true(librdf_model_contains_statement(model, plain));
  assert_int_equal(librdf_model_context_add_statement(model, g, upper), 0);
  assert_true(librdf_model_contains_statement(model, lower));
  assert_int_equal(librdf_model_size(model), 2);
  librdf_free_statement(typed);
  librdf_free_statement(plain);
  librdf_free_statement(upper);
  librdf_free_statement(lower);
  librdf_free_uri(xsd_string);
  librdf_free_node(g);
  kz_store_free(store);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_add_find_remove),        cmocka_unit_test(test_triple_in_two_graphs),
      cmocka_unit_test(test_transactions),           cmocka_unit_test(test_stream_outlives_changes),
      cmocka_unit_test(test_lookups_do_not_intern),  cmocka_unit_test(test_same_answers_as_hashes),
      cmocka_unit_test(test_load_files_and_indexes), cmocka_unit_test(test_failed_add_rolls_back),
      cmocka_unit_test(test_literal_forms),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
