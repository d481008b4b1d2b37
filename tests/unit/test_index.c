/*
 * Unit tests of the quad index (engine/store/index.h): the dictionary, every
 * pattern shape against a brute-force scan of a reference list, estimates,
 * removes, predicate statistics, the graph list, and the index file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/index.h"

/* ---- helpers ---------------------------------------------------------------- */

static kz_index *new_index(void) {
  kz_index *index = NULL;
  assert_int_equal(kz_index_new(&index), KZ_OK);
  assert_non_null(index);
  return index;
}

static kz_id intern(kz_index *index, kz_term_kind kind, const char *value, const char *language,
                    const char *datatype) {
  kz_term term = {kind, value, language, datatype};
  kz_id id = KZ_ID_NONE;
  assert_int_equal(kz_index_intern(index, &term, &id), KZ_OK);
  assert_true(id != KZ_ID_NONE);
  return id;
}

static kz_id iri(kz_index *index, const char *value) {
  return intern(index, KZ_TERM_IRI, value, NULL, NULL);
}

/* A small deterministic generator, so failures reproduce. */
static uint64_t rng_state;
static uint32_t rnd(uint32_t bound) {
  if (bound == 0)
    return 0;
  rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)((rng_state >> 33) % bound);
}

/* The reference: a plain list of distinct quads. */
typedef struct ref {
  kz_id (*quads)[4];
  size_t count, cap;
} ref;

static bool ref_has(const ref *r, const kz_id q[4]) {
  for (size_t i = 0; i < r->count; i++)
    if (memcmp(r->quads[i], q, sizeof(kz_id[4])) == 0)
      return true;
  return false;
}

static void ref_add(ref *r, const kz_id q[4]) {
  if (ref_has(r, q))
    return;
  if (r->count == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 256;
    r->quads = realloc(r->quads, r->cap * sizeof *r->quads);
    assert_non_null(r->quads);
  }
  memcpy(r->quads[r->count++], q, sizeof(kz_id[4]));
}

static bool ref_remove(ref *r, const kz_id q[4]) {
  for (size_t i = 0; i < r->count; i++)
    if (memcmp(r->quads[i], q, sizeof(kz_id[4])) == 0) {
      memcpy(r->quads[i], r->quads[--r->count], sizeof(kz_id[4]));
      return true;
    }
  return false;
}

static int compare_quads(const void *a, const void *b) { return memcmp(a, b, sizeof(kz_id[4])); }

/* Quads are compared as sorted lists; kz_id is compared bytewise, which is
 * an order as good as any for equality. */
static int cmp_quad(const void *a, const void *b) {
  const kz_id *x = a, *y = b;
  for (int i = 0; i < 4; i++)
    if (x[i] != y[i])
      return x[i] < y[i] ? -1 : 1;
  return 0;
}

static bool quad_matches(const kz_id q[4], const kz_pattern *pt) {
  if ((pt->s && q[0] != pt->s) || (pt->p && q[1] != pt->p) || (pt->o && q[2] != pt->o))
    return false;
  if (pt->mode == KZ_MATCH_GRAPH && !pt->any_graph && q[3] != pt->g)
    return false;
  return true;
}

/* The expected answer of pt from the reference, sorted; *count set. */
static kz_id (*expected(const ref *r, const kz_pattern *pt, size_t *count))[4] {
  kz_id(*out)[4] = malloc((r->count + 1) * sizeof *out);
  assert_non_null(out);
  size_t n = 0;
  for (size_t i = 0; i < r->count; i++) {
    if (!quad_matches(r->quads[i], pt))
      continue;
    kz_id q[4] = {r->quads[i][0], r->quads[i][1], r->quads[i][2], r->quads[i][3]};
    if (pt->mode == KZ_MATCH_UNION)
      q[3] = KZ_ID_NONE;
    memcpy(out[n++], q, sizeof q);
  }
  qsort(out, n, sizeof *out, cmp_quad);
  if (pt->mode == KZ_MATCH_UNION) { /* one row per distinct triple */
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
      if (w == 0 || cmp_quad(out[w - 1], out[i]) != 0)
        memcpy(out[w++], out[i], sizeof out[i]);
    n = w;
  }
  *count = n;
  return out;
}

/* Checks one pattern against the reference: same answers, estimate an
 * upper bound (exact in GRAPH mode), contains agrees. */
static void check_pattern(kz_index *index, const ref *r, const kz_pattern *pt) {
  size_t want_count;
  kz_id(*want)[4] = expected(r, pt, &want_count);
  kz_id(*got)[4] = malloc((r->count + 1) * sizeof *got);
  assert_non_null(got);
  size_t got_count = 0;
  kz_cursor cursor;
  kz_index_match(index, pt, &cursor);
  kz_id quad[4];
  while (kz_cursor_next(&cursor, quad)) {
    assert_true(got_count <= r->count);
    memcpy(got[got_count++], quad, sizeof quad);
  }
  assert_false(kz_cursor_next(&cursor, quad)); /* stays at the end */
  qsort(got, got_count, sizeof *got, cmp_quad);
  if (got_count != want_count)
    fail_msg("pattern s=%u p=%u o=%u g=%u mode=%d any=%d: %zu answers, expected %zu", pt->s, pt->p,
             pt->o, pt->g, pt->mode, pt->any_graph, got_count, want_count);
  for (size_t i = 0; i < got_count; i++)
    assert_memory_equal(got[i], want[i], sizeof got[i]);
  size_t estimate = kz_index_estimate(index, pt);
  assert_true(estimate >= want_count);
  if (pt->mode == KZ_MATCH_GRAPH)
    assert_int_equal(estimate, want_count);
  assert_int_equal(kz_index_contains(index, pt), want_count > 0);
  free(want);
  free(got);
}

/* Every pattern shape, with bound values taken from stored quads and from
 * the ID ranges (absent values too). */
static void check_all_shapes(kz_index *index, const ref *r, uint32_t id_range, int rounds) {
  for (int round = 0; round < rounds; round++) {
    kz_id sample[4] = {1 + rnd(id_range), 1 + rnd(id_range), 1 + rnd(id_range), rnd(id_range)};
    if (r->count && rnd(4) != 0)
      memcpy(sample, r->quads[rnd((uint32_t)r->count)], sizeof sample);
    for (int mask = 0; mask < 16; mask++) {
      kz_pattern pt = {mask & 1 ? sample[0] : 0, mask & 2 ? sample[1] : 0, mask & 4 ? sample[2] : 0,
                       mask & 8 ? sample[3] : 0, KZ_MATCH_GRAPH,           false};
      check_pattern(index, r, &pt); /* the 16 in GRAPH mode (g unbound: default graph) */
      if (mask < 8) {
        pt.mode = KZ_MATCH_UNION;
        check_pattern(index, r, &pt);
        pt.mode = KZ_MATCH_GRAPH;
        pt.any_graph = true;
        check_pattern(index, r, &pt);
      }
    }
  }
}

/* Adds count random quads (small ranges: many collisions; a quarter added
 * twice) to the index and the reference. */
static void add_random(kz_index *index, ref *r, size_t count, uint32_t id_range,
                       uint32_t graph_range) {
  for (size_t i = 0; i < count; i++) {
    kz_id q[4] = {1 + rnd(id_range), 1 + rnd(id_range / 2 + 1), 1 + rnd(id_range),
                  rnd(3) == 0 ? 0 : rnd(graph_range)};
    assert_int_equal(kz_index_add(index, q[0], q[1], q[2], q[3]), KZ_OK);
    if (rnd(4) == 0)
      assert_int_equal(kz_index_add(index, q[0], q[1], q[2], q[3]), KZ_OK);
    ref_add(r, q);
  }
}

static kz_index *index_with_terms(uint32_t count) {
  kz_index *index = new_index();
  char name[64];
  for (uint32_t i = 1; i <= count; i++) {
    snprintf(name, sizeof name, "http://example.org/t%u", i);
    assert_int_equal(iri(index, name), i);
  }
  return index;
}

/* Compares everything the index says with the reference. */
static void check_everything(kz_index *index, const ref *r, uint32_t id_range, int rounds) {
  assert_int_equal(kz_index_quad_count(index), r->count);
  check_all_shapes(index, r, id_range, rounds);
}

/* ---- the dictionary -------------------------------------------------------- */

static void test_intern(void **state) {
  (void)state;
  kz_index *index = new_index();
  assert_int_equal(kz_index_term_count(index), 0);
  kz_id a = iri(index, "http://example.org/a");
  assert_int_equal(a, 1);
  assert_int_equal(iri(index, "http://example.org/a"), a);
  kz_id blank = intern(index, KZ_TERM_BLANK, "http://example.org/a", NULL, NULL);
  kz_id literal = intern(index, KZ_TERM_LITERAL, "http://example.org/a", NULL, NULL);
  assert_true(blank != a && literal != a && literal != blank);

  /* xsd:string is the simple literal. */
  kz_id plain = intern(index, KZ_TERM_LITERAL, "chat", NULL, NULL);
  assert_int_equal(
      intern(index, KZ_TERM_LITERAL, "chat", NULL, "http://www.w3.org/2001/XMLSchema#string"),
      plain);
  /* Language tags: case-insensitive, stored lower-cased; no datatype. */
  kz_id fr = intern(index, KZ_TERM_LITERAL, "chat", "fr-BE", NULL);
  assert_true(fr != plain);
  assert_int_equal(intern(index, KZ_TERM_LITERAL, "chat", "FR-be", NULL), fr);
  assert_int_equal(intern(index, KZ_TERM_LITERAL, "chat", "fr-be",
                          "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"),
                   fr);
  assert_string_equal(kz_index_term(index, fr)->language, "fr-be");
  assert_null(kz_index_term(index, fr)->datatype);
  assert_true(intern(index, KZ_TERM_LITERAL, "chat", "en", NULL) != fr);
  /* A long tag (hashed in pieces) the same in any case. */
  char long_tag[300], long_upper[300];
  for (int i = 0; i < 299; i++) {
    long_tag[i] = (char)('a' + i % 26);
    long_upper[i] = (char)('A' + i % 26);
  }
  long_tag[299] = long_upper[299] = '\0';
  assert_int_equal(intern(index, KZ_TERM_LITERAL, "x", long_upper, NULL),
                   intern(index, KZ_TERM_LITERAL, "x", long_tag, NULL));

  /* Typed literals: the datatype matters, and is shared. */
  const char *xsd_int = "http://www.w3.org/2001/XMLSchema#integer";
  kz_id one = intern(index, KZ_TERM_LITERAL, "1", NULL, xsd_int);
  kz_id one_dec =
      intern(index, KZ_TERM_LITERAL, "1", NULL, "http://www.w3.org/2001/XMLSchema#decimal");
  assert_true(one != one_dec);
  assert_true(one != intern(index, KZ_TERM_LITERAL, "1", NULL, NULL));
  kz_id two = intern(index, KZ_TERM_LITERAL, "2", NULL, xsd_int);
  assert_ptr_equal(kz_index_term(index, one)->datatype, kz_index_term(index, two)->datatype);
  assert_string_equal(kz_index_term(index, one)->datatype, xsd_int);

  /* Lookup never adds. */
  size_t before = kz_index_term_count(index);
  kz_term absent = {KZ_TERM_IRI, "http://example.org/absent", NULL, NULL};
  assert_int_equal(kz_index_lookup(index, &absent), KZ_ID_NONE);
  assert_int_equal(kz_index_term_count(index), before);
  kz_term fr_upper = {KZ_TERM_LITERAL, "chat", "FR-BE", NULL};
  assert_int_equal(kz_index_lookup(index, &fr_upper), fr);
  kz_term as_string = {KZ_TERM_LITERAL, "chat", NULL, "http://www.w3.org/2001/XMLSchema#string"};
  assert_int_equal(kz_index_lookup(index, &as_string), plain);

  /* The records. */
  const kz_term *t = kz_index_term(index, a);
  assert_int_equal(t->kind, KZ_TERM_IRI);
  assert_string_equal(t->value, "http://example.org/a");
  assert_null(t->language);
  assert_null(t->datatype);
  assert_int_equal(kz_index_term(index, blank)->kind, KZ_TERM_BLANK);
  assert_null(kz_index_term(index, KZ_ID_NONE));
  assert_null(kz_index_term(index, (kz_id)kz_index_term_count(index) + 1));

  /* Bad terms. */
  kz_id id = 7;
  kz_term no_value = {KZ_TERM_IRI, NULL, NULL, NULL};
  assert_int_equal(kz_index_intern(index, &no_value, &id), KZ_ERR_ARGUMENT);
  assert_int_equal(id, KZ_ID_NONE);
  kz_term bad_kind = {(kz_term_kind)0, "x", NULL, NULL};
  assert_int_equal(kz_index_intern(index, &bad_kind, &id), KZ_ERR_ARGUMENT);
  assert_int_equal(kz_index_lookup(index, &bad_kind), KZ_ID_NONE);
  kz_index_free(index);
  kz_index_free(NULL);
}

static void test_intern_many(void **state) {
  (void)state;
  kz_index *index = new_index();
  char name[64];
  const kz_term *first = NULL;
  /* Enough to grow the table and fill several record blocks. */
  for (uint32_t i = 0; i < 60000; i++) {
    snprintf(name, sizeof name, "term %u", i);
    kz_id id = intern(index, i % 2 ? KZ_TERM_LITERAL : KZ_TERM_IRI, name, NULL, NULL);
    assert_int_equal(id, i + 1);
    if (i == 0)
      first = kz_index_term(index, id);
  }
  for (uint32_t i = 0; i < 60000; i += 7) {
    snprintf(name, sizeof name, "term %u", i);
    kz_term term = {i % 2 ? KZ_TERM_LITERAL : KZ_TERM_IRI, name, NULL, NULL};
    assert_int_equal(kz_index_lookup(index, &term), i + 1);
    assert_string_equal(kz_index_term(index, i + 1)->value, name);
  }
  assert_ptr_equal(kz_index_term(index, 1), first); /* records never move */
  assert_string_equal(first->value, "term 0");
  /* A string longer than an arena chunk. */
  size_t big = (1u << 20) + 17;
  char *huge = malloc(big + 1);
  assert_non_null(huge);
  memset(huge, 'h', big);
  huge[big] = '\0';
  kz_id id = iri(index, huge);
  assert_int_equal(iri(index, huge), id);
  assert_int_equal(strlen(kz_index_term(index, id)->value), big);
  free(huge);
  kz_index_free(index);
}

/* ---- patterns ---------------------------------------------------------------- */

static void test_empty_index(void **state) {
  (void)state;
  kz_index *index = new_index();
  assert_int_equal(kz_index_quad_count(index), 0);
  kz_pattern pt = {0, 0, 0, 0, KZ_MATCH_UNION, false};
  kz_cursor cursor;
  kz_id quad[4];
  kz_index_match(index, &pt, &cursor);
  assert_false(kz_cursor_next(&cursor, quad));
  assert_int_equal(kz_index_estimate(index, &pt), 0);
  assert_false(kz_index_contains(index, &pt));
  size_t count = 9;
  kz_index_graphs(index, &count);
  assert_int_equal(count, 0);
  kz_predicate_stats stats = kz_index_predicate_stats(index, 1);
  assert_int_equal(stats.triples, 0);
  bool removed = true;
  assert_int_equal(kz_index_remove(index, 1, 1, 1, 0, &removed), KZ_OK);
  assert_false(removed);
  /* IDs must be known terms. */
  assert_int_equal(kz_index_add(index, 1, 1, 1, 0), KZ_ERR_ARGUMENT);
  iri(index, "http://example.org/x");
  assert_int_equal(kz_index_add(index, 0, 1, 1, 0), KZ_ERR_ARGUMENT);
  assert_int_equal(kz_index_add(index, 1, 1, 2, 0), KZ_ERR_ARGUMENT);
  assert_int_equal(kz_index_add(index, 1, 1, 1, 0), KZ_OK);
  assert_int_equal(kz_index_quad_count(index), 1);
  kz_index_free(index);
}

/* Random graphs, small (insertion sorts) and larger (radix passes). */
static void run_random_patterns(size_t quads, uint32_t id_range, uint32_t graph_range, int rounds) {
  kz_index *index = index_with_terms(id_range);
  ref r = {0};
  add_random(index, &r, quads, id_range, graph_range);
  check_everything(index, &r, id_range, rounds);
  /* A second batch merged into the first. */
  add_random(index, &r, quads / 3, id_range, graph_range);
  check_everything(index, &r, id_range, rounds);
  /* And a few single adds. */
  add_random(index, &r, 5, id_range, graph_range);
  check_everything(index, &r, id_range, rounds);
  free(r.quads);
  kz_index_free(index);
}

static void test_patterns_small(void **state) {
  (void)state;
  rng_state = 1;
  for (int i = 0; i < 20; i++)
    run_random_patterns(1 + rnd(40), 6, 3, 3);
}

static void test_patterns_random(void **state) {
  (void)state;
  rng_state = 42;
  run_random_patterns(3000, 40, 5, 25);
  run_random_patterns(4000, 300, 4, 15);
}

/* Large IDs: the radix passes over more than one digit. */
static void test_patterns_large_ids(void **state) {
  (void)state;
  rng_state = 7;
  kz_index *index = index_with_terms(5000);
  ref r = {0};
  for (int i = 0; i < 3000; i++) {
    kz_id q[4] = {1 + rnd(5000), 4990 + rnd(10), 1 + rnd(5000), rnd(2) ? 0 : 4000 + rnd(1000)};
    assert_int_equal(kz_index_add(index, q[0], q[1], q[2], q[3]), KZ_OK);
    ref_add(&r, q);
  }
  check_everything(index, &r, 5000, 10);
  free(r.quads);
  kz_index_free(index);
}

static void test_union_and_graphs(void **state) {
  (void)state;
  kz_index *index = index_with_terms(10);
  /* One triple in three graphs and the default graph. */
  assert_int_equal(kz_index_add(index, 1, 2, 3, 0), KZ_OK);
  assert_int_equal(kz_index_add(index, 1, 2, 3, 9), KZ_OK);
  assert_int_equal(kz_index_add(index, 1, 2, 3, 8), KZ_OK);
  assert_int_equal(kz_index_add(index, 1, 2, 3, 8), KZ_OK);
  assert_int_equal(kz_index_add(index, 1, 2, 4, 10), KZ_OK);
  assert_int_equal(kz_index_quad_count(index), 4);
  kz_pattern pt = {1, 0, 0, 0, KZ_MATCH_UNION, false};
  kz_cursor cursor;
  kz_id quad[4];
  kz_index_match(index, &pt, &cursor);
  assert_true(kz_cursor_next(&cursor, quad));
  kz_id want1[4] = {1, 2, 3, 0};
  assert_memory_equal(quad, want1, sizeof quad);
  assert_true(kz_cursor_next(&cursor, quad));
  kz_id want2[4] = {1, 2, 4, 0};
  assert_memory_equal(quad, want2, sizeof quad);
  assert_false(kz_cursor_next(&cursor, quad));
  assert_int_equal(kz_index_estimate(index, &pt), 4); /* counts the copies */

  size_t count = 0;
  const kz_id *graphs = kz_index_graphs(index, &count);
  assert_int_equal(count, 3);
  assert_int_equal(graphs[0], 8);
  assert_int_equal(graphs[1], 9);
  assert_int_equal(graphs[2], 10);

  kz_pattern in8 = {0, 0, 0, 8, KZ_MATCH_GRAPH, false};
  assert_int_equal(kz_index_estimate(index, &in8), 1);
  kz_pattern any = {0, 0, 3, 0, KZ_MATCH_GRAPH, true};
  assert_int_equal(kz_index_estimate(index, &any), 3);
  kz_pattern default_graph = {0, 0, 0, 0, KZ_MATCH_GRAPH, false};
  assert_int_equal(kz_index_estimate(index, &default_graph), 1);

  bool removed = false;
  assert_int_equal(kz_index_remove(index, 1, 2, 4, 10, &removed), KZ_OK);
  assert_true(removed);
  graphs = kz_index_graphs(index, &count);
  assert_int_equal(count, 2);
  assert_int_equal(graphs[1], 9);
  kz_index_free(index);
}

/* ---- removes ----------------------------------------------------------------- */

static void test_remove(void **state) {
  (void)state;
  rng_state = 99;
  uint32_t range = 30;
  kz_index *index = index_with_terms(range);
  ref r = {0};
  add_random(index, &r, 2500, range, 4);
  assert_int_equal(kz_index_quad_count(index), r.count);
  /* Remove present and absent quads, some twice before a flush. */
  for (int i = 0; i < 800; i++) {
    kz_id q[4] = {1 + rnd(range), 1 + rnd(range / 2 + 1), 1 + rnd(range), rnd(4)};
    if (rnd(2))
      memcpy(q, r.quads[rnd((uint32_t)r.count)], sizeof q);
    bool want = ref_remove(&r, q), removed = !want;
    assert_int_equal(kz_index_remove(index, q[0], q[1], q[2], q[3], &removed), KZ_OK);
    assert_int_equal(removed, want);
    if (want && rnd(3) == 0) {
      assert_int_equal(kz_index_remove(index, q[0], q[1], q[2], q[3], &removed), KZ_OK);
      assert_false(removed);
    }
  }
  assert_int_equal(kz_index_remove(index, 1, 1, 1, 1, NULL), KZ_OK);
  ref_remove(&r, (kz_id[4]){1, 1, 1, 1});
  check_everything(index, &r, range, 20);

  /* Remove everything, then add again. */
  for (size_t i = r.count; i > 0; i--) {
    bool removed = false;
    assert_int_equal(kz_index_remove(index, r.quads[i - 1][0], r.quads[i - 1][1], r.quads[i - 1][2],
                                     r.quads[i - 1][3], &removed),
                     KZ_OK);
    assert_true(removed);
  }
  r.count = 0;
  check_everything(index, &r, range, 3);
  add_random(index, &r, 300, range, 4);
  check_everything(index, &r, range, 10);
  free(r.quads);
  kz_index_free(index);
}

/* Adds, removes and reads in any order agree with the reference. */
static void test_interleaved(void **state) {
  (void)state;
  rng_state = 2024;
  uint32_t range = 12;
  kz_index *index = index_with_terms(range);
  ref r = {0};
  for (int step = 0; step < 3000; step++) {
    kz_id q[4] = {1 + rnd(range), 1 + rnd(4), 1 + rnd(range), rnd(3)};
    switch (rnd(5)) {
    case 0:
    case 1:
      assert_int_equal(kz_index_add(index, q[0], q[1], q[2], q[3]), KZ_OK);
      ref_add(&r, q);
      break;
    case 2: {
      bool removed;
      bool want = ref_remove(&r, q);
      assert_int_equal(kz_index_remove(index, q[0], q[1], q[2], q[3], &removed), KZ_OK);
      assert_int_equal(removed, want);
      break;
    }
    case 3: {
      kz_pattern pt = {rnd(2) ? q[0] : 0,
                       rnd(2) ? q[1] : 0,
                       rnd(2) ? q[2] : 0,
                       q[3],
                       rnd(2) ? KZ_MATCH_UNION : KZ_MATCH_GRAPH,
                       rnd(2)};
      check_pattern(index, &r, &pt);
      break;
    }
    default:
      /* add then remove, remove then add, before any read */
      assert_int_equal(kz_index_add(index, q[0], q[1], q[2], q[3]), KZ_OK);
      ref_add(&r, q);
      if (rnd(2)) {
        bool removed;
        assert_int_equal(kz_index_remove(index, q[0], q[1], q[2], q[3], &removed), KZ_OK);
        assert_true(removed);
        ref_remove(&r, q);
        if (rnd(2)) {
          assert_int_equal(kz_index_add(index, q[0], q[1], q[2], q[3]), KZ_OK);
          ref_add(&r, q);
        }
      }
    }
  }
  check_everything(index, &r, range, 10);
  free(r.quads);
  kz_index_free(index);
}

/* ---- statistics -------------------------------------------------------------- */

static void check_stats(kz_index *index, const ref *r, uint32_t range) {
  for (kz_id p = 0; p <= range + 1; p++) {
    /* brute force: distinct triples, subjects, objects of p */
    kz_id(*triples)[4] = calloc(r->count + 1, sizeof *triples);
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
      if (r->quads[i][1] == p && p != 0) {
        kz_id t[4] = {r->quads[i][0], r->quads[i][1], r->quads[i][2], 0};
        memcpy(triples[n++], t, sizeof t);
      }
    qsort(triples, n, sizeof *triples, compare_quads);
    size_t distinct = 0, subjects = 0, objects = 0;
    for (size_t i = 0; i < n; i++) {
      bool new_triple = i == 0 || memcmp(triples[i], triples[i - 1], sizeof triples[i]) != 0;
      distinct += new_triple;
      bool seen_s = false, seen_o = false;
      for (size_t j = 0; j < i; j++) {
        seen_s = seen_s || triples[j][0] == triples[i][0];
        seen_o = seen_o || triples[j][2] == triples[i][2];
      }
      subjects += !seen_s;
      objects += !seen_o;
    }
    kz_predicate_stats stats = kz_index_predicate_stats(index, p);
    assert_int_equal(stats.triples, distinct);
    assert_int_equal(stats.distinct_subjects, subjects);
    assert_int_equal(stats.distinct_objects, objects);
    free(triples);
  }
}

static void test_predicate_stats(void **state) {
  (void)state;
  rng_state = 5;
  uint32_t range = 25;
  kz_index *index = index_with_terms(range);
  ref r = {0};
  add_random(index, &r, 1500, range, 3);
  check_stats(index, &r, range);
  for (int i = 0; i < 200; i++) {
    kz_id q[4];
    memcpy(q, r.quads[rnd((uint32_t)r.count)], sizeof q);
    ref_remove(&r, q);
    assert_int_equal(kz_index_remove(index, q[0], q[1], q[2], q[3], NULL), KZ_OK);
  }
  check_stats(index, &r, range);
  add_random(index, &r, 50, range, 3);
  check_stats(index, &r, range);
  free(r.quads);
  kz_index_free(index);
}

static char *temp_path(const char *stem) {
  static char path[256];
  const char *dir = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/kz_test_index_%s_%d.kzi", dir ? dir : "/tmp", stem,
           (int)getpid());
  return path;
}

/* Small batches adjust the statistics instead of recounting them: adds and
 * removes of a few quads, repeated triples across graphs, a predicate's
 * last triple going, a new predicate coming; in memory and from a file. */
static void test_predicate_stats_small_batches(void **state) {
  (void)state;
  rng_state = 11;
  uint32_t range = 25;
  kz_index *index = index_with_terms(range + 2);
  ref r = {0};
  add_random(index, &r, 3000, range, 3);
  check_stats(index, &r, range + 2);
  const char *path = temp_path("stats");
  for (int from_file = 0; from_file < 2; from_file++) {
    if (from_file) {
      kz_error err;
      assert_int_equal(kz_index_save(index, path, &err), KZ_OK);
      kz_index_free(index);
      assert_int_equal(kz_index_open_file(&index, path, &err), KZ_OK);
    }
    for (int round = 0; round < 40; round++) {
      int batch = 1 + (int)rnd(6);
      for (int i = 0; i < batch; i++) {
        kz_id q[4];
        if (rnd(2) && r.count) {
          memcpy(q, r.quads[rnd((uint32_t)r.count)], sizeof q);
          if (rnd(2)) { /* the same triple in another graph */
            q[3] = rnd(3);
            assert_int_equal(kz_index_add(index, q[0], q[1], q[2], q[3]), KZ_OK);
            ref_add(&r, q);
          } else {
            assert_int_equal(kz_index_remove(index, q[0], q[1], q[2], q[3], NULL), KZ_OK);
            ref_remove(&r, q);
          }
        } else {
          q[0] = 1 + rnd(range);
          q[1] = 1 + rnd(range / 2 + 1);
          q[2] = 1 + rnd(range);
          q[3] = rnd(3);
          if (round % 13 == 12)
            q[1] = range + 1 + rnd(2); /* a predicate new to the index */
          assert_int_equal(kz_index_add(index, q[0], q[1], q[2], q[3]), KZ_OK);
          ref_add(&r, q);
        }
      }
      check_stats(index, &r, range + 2);
    }
    /* Remove every quad of one predicate, a few at a time. */
    kz_id gone = 1 + rnd(range / 2 + 1);
    for (size_t i = r.count; i > 0; i--) {
      if (r.quads[i - 1][1] != gone)
        continue;
      kz_id q[4];
      memcpy(q, r.quads[i - 1], sizeof q);
      assert_int_equal(kz_index_remove(index, q[0], q[1], q[2], q[3], NULL), KZ_OK);
      ref_remove(&r, q);
      if (rnd(4) == 0)
        check_stats(index, &r, range + 2);
    }
    check_stats(index, &r, range + 2);
    assert_int_equal(kz_index_predicate_stats(index, gone).triples, 0);
  }
  unlink(path);
  free(r.quads);
  kz_index_free(index);
}

/* ---- files ------------------------------------------------------------------- */

static void corrupt_file(const char *path, long offset, int whence) {
  FILE *f = fopen(path, "r+b");
  assert_non_null(f);
  assert_int_equal(fseek(f, offset, whence), 0);
  int c = fgetc(f);
  assert_true(c != EOF);
  assert_int_equal(fseek(f, -1, SEEK_CUR), 0);
  fputc(c ^ 0x10, f);
  fclose(f);
}

static long file_size(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fclose(f);
  return size;
}

static void copy_file(const char *from, const char *to, long length) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  assert_non_null(in);
  assert_non_null(out);
  for (long i = 0; i < length; i++) {
    int c = fgetc(in);
    assert_true(c != EOF);
    fputc(c, out);
  }
  fclose(in);
  fclose(out);
}

static void expect_refused(const char *path, kz_status status, const char *words) {
  kz_index *index = (kz_index *)&index;
  kz_error err;
  kz_error_clear(&err);
  assert_int_equal(kz_index_open_file(&index, path, &err), status);
  assert_null(index);
  assert_int_equal(err.status, status);
  assert_string_equal(err.source, path);
  if (!strstr(err.message, words))
    fail_msg("message \"%s\" does not say \"%s\"", err.message, words);
  assert_null(strchr(err.message, '\n'));
}

static void test_save_open(void **state) {
  (void)state;
  rng_state = 77;
  uint32_t range = 40;
  kz_index *index = index_with_terms(range);
  intern(index, KZ_TERM_LITERAL, "chat", "fr", NULL);
  intern(index, KZ_TERM_LITERAL, "7", NULL, "http://www.w3.org/2001/XMLSchema#integer");
  intern(index, KZ_TERM_BLANK, "b0", NULL, NULL);
  ref r = {0};
  add_random(index, &r, 3000, range, 6);
  const char *path = temp_path("roundtrip");
  kz_error err;
  assert_int_equal(kz_index_save(index, path, &err), KZ_OK);
  char tmp[300];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  assert_int_equal(access(tmp, F_OK), -1); /* renamed away */

  kz_index *loaded = NULL;
  assert_int_equal(kz_index_open_file(&loaded, path, &err), KZ_OK);
  assert_non_null(loaded);
  assert_int_equal(kz_index_term_count(loaded), kz_index_term_count(index));
  for (kz_id id = 1; id <= kz_index_term_count(index); id++) {
    const kz_term *a = kz_index_term(index, id), *b = kz_index_term(loaded, id);
    assert_int_equal(a->kind, b->kind);
    assert_string_equal(a->value, b->value);
    assert_true((a->language == NULL) == (b->language == NULL));
    if (a->language)
      assert_string_equal(a->language, b->language);
    assert_true((a->datatype == NULL) == (b->datatype == NULL));
    if (a->datatype)
      assert_string_equal(a->datatype, b->datatype);
    assert_int_equal(kz_index_lookup(loaded, a), id);
  }
  kz_term fr = {KZ_TERM_LITERAL, "chat", "FR", NULL};
  assert_int_equal(kz_index_lookup(loaded, &fr), kz_index_lookup(index, &fr));
  check_everything(loaded, &r, range, 15);
  check_stats(loaded, &r, range);
  size_t count_a, count_b;
  const kz_id *graphs_a = kz_index_graphs(index, &count_a);
  const kz_id *graphs_b = kz_index_graphs(loaded, &count_b);
  assert_int_equal(count_a, count_b);
  assert_memory_equal(graphs_a, graphs_b, count_a * sizeof *graphs_a);

  /* The loaded index takes changes (copying what it changes), and saves
   * over its own file while mapped. */
  const kz_term *old_record = kz_index_term(loaded, 3);
  kz_id fresh = intern(loaded, KZ_TERM_IRI, "http://example.org/new", NULL, NULL);
  assert_int_equal(fresh, kz_index_term_count(index) + 1);
  const char *xsd_int = "http://www.w3.org/2001/XMLSchema#integer";
  kz_id typed = intern(loaded, KZ_TERM_LITERAL, "8", NULL, xsd_int);
  kz_id seven = intern(loaded, KZ_TERM_LITERAL, "7", NULL, xsd_int);
  assert_true(seven < fresh); /* from the file */
  assert_ptr_equal(kz_index_term(loaded, typed)->datatype, kz_index_term(loaded, seven)->datatype);
  kz_id q[4] = {fresh, 1, 2, 0};
  assert_int_equal(kz_index_add(loaded, q[0], q[1], q[2], q[3]), KZ_OK);
  ref_add(&r, q);
  for (int i = 0; i < 100; i++) {
    memcpy(q, r.quads[rnd((uint32_t)r.count)], sizeof q);
    assert_int_equal(kz_index_remove(loaded, q[0], q[1], q[2], q[3], NULL), KZ_OK);
    ref_remove(&r, q);
  }
  check_everything(loaded, &r, range + 5, 10);
  assert_int_equal(kz_index_save(loaded, path, &err), KZ_OK);
  assert_string_equal(old_record->value, "http://example.org/t3"); /* still mapped */
  kz_index_free(loaded);
  assert_int_equal(kz_index_open_file(&loaded, path, &err), KZ_OK);
  check_everything(loaded, &r, range + 5, 10);
  kz_index_free(loaded);

  /* An empty index round-trips too. */
  kz_index *empty = new_index();
  assert_int_equal(kz_index_save(empty, path, &err), KZ_OK);
  kz_index_free(empty);
  assert_int_equal(kz_index_open_file(&empty, path, &err), KZ_OK);
  assert_int_equal(kz_index_quad_count(empty), 0);
  assert_int_equal(kz_index_term_count(empty), 0);
  kz_id a = iri(empty, "http://example.org/a");
  assert_int_equal(kz_index_add(empty, a, a, a, 0), KZ_OK);
  assert_int_equal(kz_index_quad_count(empty), 1);
  kz_index_free(empty);

  unlink(path);
  free(r.quads);
  kz_index_free(index);
}

/* Same answers, in the same order, from two indexes. */
static void assert_same_matches(kz_index *a, kz_index *b, const kz_pattern *pt) {
  kz_cursor ca, cb;
  kz_id qa[4], qb[4];
  kz_index_match(a, pt, &ca);
  kz_index_match(b, pt, &cb);
  size_t count = 0;
  for (;;) {
    bool more_a = kz_cursor_next(&ca, qa), more_b = kz_cursor_next(&cb, qb);
    assert_int_equal(more_a, more_b);
    if (!more_a)
      break;
    assert_memory_equal(qa, qb, sizeof qa);
    count++;
  }
  assert_true(kz_index_estimate(a, pt) >= count);
}

/* A bigger file (arrays written straight through, not buffered), many
 * datatypes, and a check of every shape against the original index. */
static void test_save_open_large(void **state) {
  (void)state;
  rng_state = 8;
  uint32_t range = 6000;
  kz_index *index = index_with_terms(range);
  char value[64], datatype[64];
  for (int i = 0; i < 300; i++) {
    snprintf(value, sizeof value, "%d", i);
    snprintf(datatype, sizeof datatype, "http://example.org/datatype/%d", i % 40);
    intern(index, KZ_TERM_LITERAL, value, NULL, datatype);
  }
  kz_id max_id = (kz_id)kz_index_term_count(index);
  for (int i = 0; i < 60000; i++)
    assert_int_equal(
        kz_index_add(index, 1 + rnd(range), 1 + rnd(50), 1 + rnd(max_id), rnd(2) ? 0 : 1 + rnd(20)),
        KZ_OK);
  const char *path = temp_path("large");
  kz_error err;
  assert_int_equal(kz_index_save(index, path, &err), KZ_OK);
  kz_index *loaded = NULL;
  assert_int_equal(kz_index_open_file(&loaded, path, &err), KZ_OK);
  assert_int_equal(kz_index_quad_count(loaded), kz_index_quad_count(index));
  for (kz_id id = range + 1; id <= max_id; id++) {
    const kz_term *t = kz_index_term(loaded, id);
    assert_string_equal(t->datatype, kz_index_term(index, id)->datatype);
    assert_int_equal(kz_index_lookup(loaded, t), id);
  }
  for (int round = 0; round < 30; round++) {
    kz_id q[4] = {1 + rnd(range), 1 + rnd(50), 1 + rnd(max_id), rnd(21)};
    for (int mask = 0; mask < 16; mask++) {
      kz_pattern pt = {mask & 1 ? q[0] : 0,
                       mask & 2 ? q[1] : 0,
                       mask & 4 ? q[2] : 0,
                       mask & 8 ? q[3] : 0,
                       rnd(2) ? KZ_MATCH_UNION : KZ_MATCH_GRAPH,
                       rnd(3) == 0};
      if (round < 2 || mask) /* the full scans twice only */
        assert_same_matches(index, loaded, &pt);
    }
  }
  for (kz_id p = 0; p <= 51; p++) {
    kz_predicate_stats x = kz_index_predicate_stats(index, p),
                       y = kz_index_predicate_stats(loaded, p);
    assert_memory_equal(&x, &y, sizeof x);
  }
  /* New datatypes in the loaded index: its datatype table grows. */
  for (int i = 0; i < 50; i++) {
    snprintf(datatype, sizeof datatype, "http://example.org/other-datatype/%d", i);
    kz_id id = intern(loaded, KZ_TERM_LITERAL, "x", NULL, datatype);
    assert_string_equal(kz_index_term(loaded, id)->datatype, datatype);
  }
  unlink(path);
  kz_index_free(loaded);
  kz_index_free(index);
}

static void test_bad_files(void **state) {
  (void)state;
  rng_state = 3;
  kz_index *index = index_with_terms(20);
  ref r = {0};
  add_random(index, &r, 500, 20, 3);
  char good[300], bad[300];
  snprintf(good, sizeof good, "%s", temp_path("good"));
  snprintf(bad, sizeof bad, "%s", temp_path("bad"));
  kz_error err;
  assert_int_equal(kz_index_save(index, good, &err), KZ_OK);
  long size = file_size(good);

  expect_refused(temp_path("missing"), KZ_ERR_NOT_FOUND, "no such");

  /* Truncated: anywhere, including inside the header. */
  long cuts[] = {0, 4, 100, 511, 600, size / 2, size - 1};
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    copy_file(good, bad, cuts[i]);
    expect_refused(bad, KZ_ERR_SYNTAX, cuts[i] < 8 ? "not a Kizuna index" : "");
  }
  copy_file(good, bad, size - 1);
  expect_refused(bad, KZ_ERR_SYNTAX, "truncated");

  /* A flipped byte in the header, in the dictionary, in the quads. */
  long offsets[] = {9, 40, 300, 600, size / 3, size / 2, size - 1};
  for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
    copy_file(good, bad, size);
    corrupt_file(bad, offsets[i], SEEK_SET);
    kz_index *loaded = NULL;
    kz_status status = kz_index_open_file(&loaded, bad, &err);
    assert_true(status == KZ_ERR_SYNTAX || status == KZ_ERR_UNSUPPORTED);
    assert_null(loaded);
    assert_string_equal(err.source, bad);
  }
  copy_file(good, bad, size);
  corrupt_file(bad, size / 2, SEEK_SET);
  expect_refused(bad, KZ_ERR_SYNTAX, "checksum");

  /* A foreign file. */
  FILE *f = fopen(bad, "wb");
  assert_non_null(f);
  fputs("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", f);
  for (int i = 0; i < 100; i++)
    fputs("ex:a ex:b \"padding padding padding\" .\n", f);
  fclose(f);
  expect_refused(bad, KZ_ERR_SYNTAX, "not a Kizuna index file");

  /* Saving into a missing directory fails, naming the file it tried. */
  assert_int_equal(kz_index_save(index, "/nonexistent-dir/x.kzi", &err), KZ_ERR_IO);
  assert_string_equal(err.source, "/nonexistent-dir/x.kzi.tmp");

  unlink(good);
  unlink(bad);
  free(r.quads);
  kz_index_free(index);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_intern),
      cmocka_unit_test(test_intern_many),
      cmocka_unit_test(test_empty_index),
      cmocka_unit_test(test_patterns_small),
      cmocka_unit_test(test_patterns_random),
      cmocka_unit_test(test_patterns_large_ids),
      cmocka_unit_test(test_union_and_graphs),
      cmocka_unit_test(test_remove),
      cmocka_unit_test(test_interleaved),
      cmocka_unit_test(test_predicate_stats),
      cmocka_unit_test(test_predicate_stats_small_batches),
      cmocka_unit_test(test_save_open),
      cmocka_unit_test(test_save_open_large),
      cmocka_unit_test(test_bad_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
