/*
 * Store statistics: quads per graph, and over the distinct triples of the
 * union graph, instances per class and uses per property. Names are gathered
 * in arrays, then sorted and counted in runs, which needs no hash map.
 *
 * On the kizuna storage the counts come from the quad index instead: quads
 * per graph from the size of each graph's range, and one scan of the union's
 * distinct triples counting predicates and rdf:type objects by term ID.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/graphs.h"
#include "store/kizuna_storage.h"

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
  char **items = kz_grow(list->items, &list->capacity, list->count + 1, sizeof *items, 256);
  if (!items)
    return -1;
  list->items = items;
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

static int compare_names(const void *a, const void *b) {
  const kz_count *x = a, *y = b;
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

/* ---- the kizuna storage: counts by term ID ---- */

/* The IDs with a non-zero count as kz_counts; by_count orders most frequent
 * first, otherwise by name. -1 on out of memory. */
static int counts_from_ids(kz_index *index, const uint32_t *by_id, size_t id_count,
                           kz_count **out, size_t *out_count, int by_count) {
  *out = NULL;
  *out_count = 0;
  size_t n = 0;
  for (size_t id = 1; id <= id_count; id++)
    n += by_id[id] != 0;
  if (!n)
    return 0;
  kz_count *counts = calloc(n, sizeof *counts);
  if (!counts)
    return -1;
  size_t k = 0;
  for (size_t id = 1; id <= id_count; id++) {
    if (!by_id[id])
      continue;
    counts[k].count = by_id[id];
    if (!(counts[k].name = kz_strdup(kz_index_term(index, (kz_id)id)->value))) {
      for (size_t i = 0; i < k; i++)
        free(counts[i].name);
      free(counts);
      return -1;
    }
    k++;
  }
  qsort(counts, n, sizeof *counts, by_count ? compare_counts : compare_names);
  *out = counts;
  *out_count = n;
  return 0;
}

/* Stats from the index; KZ_DONE when the store holds statements outside any
 * named graph, which the graph-by-graph definition leaves out and the union
 * scan would not. */
static kz_status stats_from_index(kz_stats *stats, kz_index *index) {
  kz_pattern no_graph = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_MATCH_GRAPH, false};
  if (kz_index_flush(index) != KZ_OK)
    return KZ_ERR_NOMEM;
  if (kz_index_contains(index, &no_graph))
    return KZ_DONE;
  size_t term_count = kz_index_term_count(index);
  uint32_t *graph_quads = calloc(term_count + 1, sizeof *graph_quads);
  uint32_t *property_uses = calloc(term_count + 1, sizeof *property_uses);
  uint32_t *class_members = calloc(term_count + 1, sizeof *class_members);
  kz_status status = graph_quads && property_uses && class_members ? KZ_OK : KZ_ERR_NOMEM;
  if (status == KZ_OK) {
    size_t graph_count = 0;
    const kz_id *graphs = kz_index_graphs(index, &graph_count);
    for (size_t i = 0; i < graph_count; i++) {
      kz_pattern in_graph = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, graphs[i], KZ_MATCH_GRAPH, false};
      graph_quads[graphs[i]] = (uint32_t)kz_index_estimate(index, &in_graph);
      stats->quads += graph_quads[graphs[i]];
    }
    kz_term type_term = {KZ_TERM_IRI, RDF_TYPE, NULL, NULL};
    kz_id rdf_type = kz_index_lookup(index, &type_term);
    kz_pattern all = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_MATCH_UNION, false};
    kz_cursor cursor;
    kz_id triple[4];
    kz_index_match(index, &all, &cursor);
    while (kz_cursor_next(&cursor, triple)) {
      property_uses[triple[1]]++;
      if (triple[1] == rdf_type && rdf_type != KZ_ID_NONE &&
          kz_index_term(index, triple[2])->kind == KZ_TERM_IRI)
        class_members[triple[2]]++;
    }
    if (counts_from_ids(index, graph_quads, term_count, &stats->graphs, &stats->graph_count, 0) ||
        counts_from_ids(index, class_members, term_count, &stats->classes, &stats->class_count, 1) ||
        counts_from_ids(index, property_uses, term_count, &stats->properties,
                        &stats->property_count, 1))
      status = KZ_ERR_NOMEM;
  }
  free(graph_quads);
  free(property_uses);
  free(class_members);
  return status;
}

kz_status kz_store_stats(kz_stats **out, kz_store *store, kz_error *err) {
  *out = NULL;
  kz_index *index = kz_storage_index(store->storage);
  if (index) {
    kz_stats *stats = calloc(1, sizeof *stats);
    kz_status status = stats ? stats_from_index(stats, index) : KZ_ERR_NOMEM;
    if (status == KZ_OK) {
      *out = stats;
      return KZ_OK;
    }
    kz_stats_free(stats);
    if (status != KZ_DONE)
      return kz_fail(err, status, "stats", 0, 0, "out of memory");
  }
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
