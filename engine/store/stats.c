/*
 * Store statistics: quads per graph, and over the distinct triples of the
 * union graph, instances per class and uses per property. Names are gathered
 * in arrays, then sorted and counted in runs, which needs no hash map.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/graphs.h"

#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

typedef struct name_list {
  char **items;
  size_t count;
  size_t capacity;
} name_list;

typedef struct stats_state {
  name_list classes;
  name_list properties;
  name_list graphs; /* one entry per quad */
} stats_state;

static int push(name_list *list, const char *name) {
  if (list->count == list->capacity) {
    size_t capacity = list->capacity ? list->capacity * 2 : 256;
    char **items = realloc(list->items, capacity * sizeof *items);
    if (!items)
      return -1;
    list->items = items;
    list->capacity = capacity;
  }
  if (!(list->items[list->count] = kz_strdup(name)))
    return -1;
  list->count++;
  return 0;
}

static void clear(name_list *list) {
  for (size_t i = 0; i < list->count; i++)
    free(list->items[i]);
  free(list->items);
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int compare_counts(const void *a, const void *b) {
  const kz_count *x = a, *y = b;
  if (x->count != y->count)
    return x->count < y->count ? 1 : -1;
  return strcmp(x->name, y->name);
}

/* Turns a list of names into counts; by_count orders most frequent first. */
static int count_runs(name_list *list, kz_count **out, size_t *out_count, int by_count) {
  *out = NULL;
  *out_count = 0;
  if (!list->count)
    return 0;
  qsort(list->items, list->count, sizeof *list->items, compare_strings);
  kz_count *counts = calloc(list->count, sizeof *counts);
  if (!counts)
    return -1;
  size_t n = 0;
  for (size_t i = 0; i < list->count; i++) {
    if (n && strcmp(counts[n - 1].name, list->items[i]) == 0) {
      counts[n - 1].count++;
      continue;
    }
    counts[n].name = list->items[i];
    list->items[i] = NULL; /* moved */
    counts[n].count = 1;
    n++;
  }
  if (by_count)
    qsort(counts, n, sizeof *counts, compare_counts);
  *out = counts;
  *out_count = n;
  return 0;
}

static kz_status collect(const kz_term *subject, const kz_term *predicate, const kz_term *object,
                         const kz_term *graph, void *user, kz_error *err) {
  stats_state *state = user;
  (void)subject;
  (void)graph;
  if (push(&state->properties, predicate->value) != 0 ||
      (strcmp(predicate->value, RDF_TYPE) == 0 && object->kind == KZ_TERM_IRI &&
       push(&state->classes, object->value) != 0))
    return kz_fail(err, KZ_ERR_NOMEM, "stats", 0, 0, "out of memory");
  return KZ_OK;
}

static kz_status count_graph(const kz_term *subject, const kz_term *predicate,
                             const kz_term *object, const kz_term *graph, void *user,
                             kz_error *err) {
  stats_state *state = user;
  (void)subject;
  (void)predicate;
  (void)object;
  if (push(&state->graphs, graph->value) != 0)
    return kz_fail(err, KZ_ERR_NOMEM, "stats", 0, 0, "out of memory");
  return KZ_OK;
}

kz_status kz_store_stats(kz_stats **out, kz_store *store, kz_error *err) {
  *out = NULL;
  stats_state state = {{0}, {0}, {0}};
  kz_stats *stats = calloc(1, sizeof *stats);
  kz_status status = stats ? KZ_OK : KZ_ERR_NOMEM;
  if (status == KZ_OK)
    status = kz_store_visit(store, NULL, 0, count_graph, &state, err);
  if (status == KZ_OK)
    status = kz_store_visit(store, NULL, 1, collect, &state, err);
  if (status == KZ_OK) {
    stats->quads = state.graphs.count;
    if (count_runs(&state.graphs, &stats->graphs, &stats->graph_count, 0) != 0 ||
        count_runs(&state.classes, &stats->classes, &stats->class_count, 1) != 0 ||
        count_runs(&state.properties, &stats->properties, &stats->property_count, 1) != 0)
      status = KZ_ERR_NOMEM;
  }
  clear(&state.graphs);
  clear(&state.classes);
  clear(&state.properties);
  if (status != KZ_OK) {
    kz_stats_free(stats);
    if (status == KZ_ERR_NOMEM)
      return kz_fail(err, status, "stats", 0, 0, "out of memory");
    return status;
  }
  *out = stats;
  return KZ_OK;
}

static void free_counts(kz_count *counts, size_t n) {
  for (size_t i = 0; counts && i < n; i++)
    free(counts[i].name);
  free(counts);
}

void kz_stats_free(kz_stats *stats) {
  if (!stats)
    return;
  free_counts(stats->graphs, stats->graph_count);
  free_counts(stats->classes, stats->class_count);
  free_counts(stats->properties, stats->property_count);
  free(stats);
}
