/*
 * Walking a store graph by graph: the sorted list of named graphs, and a
 * visitor over every quad of one or all graphs, optionally skipping triples
 * already seen in another graph (for union views). Export and statistics are
 * built on it.
 *
 * On the kizuna storage the walk reads the quad index directly: terms come
 * from its dictionary, and "already seen in an earlier graph" is one lookup
 * of the triple's other graphs, so no librdf_node is made and no set of
 * seen triples is kept. Other storages go through Redland's streams, with a
 * set of N-Triples keys for the triples already seen.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/graphs.h"
#include "store/kizuna_storage.h"

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void kz_graph_names_free(char **names, size_t count) {
  if (!names)
    return;
  for (size_t i = 0; i < count; i++)
    free(names[i]);
  free(names);
}

kz_status kz_store_graph_names(kz_store *store, char ***out, size_t *count, kz_error *err) {
  *out = NULL;
  *count = 0;
  librdf_iterator *it = librdf_model_get_contexts(store->model);
  if (!it)
    return KZ_OK; /* no graphs */
  char **names = NULL;
  size_t n = 0, capacity = 0;
  kz_status status = KZ_OK;
  for (; !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *node = librdf_iterator_get_object(it);
    kz_term term;
    kz_store_node_to_term(node, &term);
    char **grown = kz_grow(names, &capacity, n + 1, sizeof *names, 16);
    names = grown ? grown : names;
    if (!grown || !(names[n] = kz_strdup(term.value))) {
      status = KZ_ERR_NOMEM;
      break;
    }
    n++;
  }
  librdf_free_iterator(it);
  if (status != KZ_OK) {
    kz_graph_names_free(names, n);
    return kz_fail(err, status, store->spec, 0, 0, "out of memory");
  }
  if (n)
    qsort(names, n, sizeof *names, compare_strings);
  *out = names;
  *count = n;
  return KZ_OK;
}

static kz_status visit_graph(kz_store *store, const char *name, kz_strset *seen,
                             kz_quad_visitor visit, void *user, kz_error *err) {
  librdf_node *graph = librdf_new_node_from_uri_string(store->world, (const unsigned char *)name);
  if (!graph)
    return kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
  librdf_stream *stream = librdf_model_context_as_stream(store->model, graph);
  kz_status status = KZ_OK;
  kz_term graph_term;
  kz_store_node_to_term(graph, &graph_term);
  for (; stream && status == KZ_OK && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    if (seen) {
      char *key = kz_store_quad_key(statement, NULL);
      int fresh = key ? kz_strset_add(seen, key) : -1;
      free(key);
      if (fresh < 0) {
        status = kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
        break;
      }
      if (!fresh)
        continue;
    }
    kz_term terms[3];
    kz_store_node_to_term(librdf_statement_get_subject(statement), &terms[0]);
    kz_store_node_to_term(librdf_statement_get_predicate(statement), &terms[1]);
    kz_store_node_to_term(librdf_statement_get_object(statement), &terms[2]);
    status = visit(&terms[0], &terms[1], &terms[2], &graph_term, user, err);
  }
  if (stream)
    librdf_free_stream(stream);
  librdf_free_node(graph);
  return status;
}

/* ---- the kizuna storage: straight from the index ---- */

typedef struct ranked_graph {
  kz_id id;
  const kz_term *term;
  size_t rank; /* position in name order */
} ranked_graph;

static int compare_graph_names(const void *a, const void *b) {
  const ranked_graph *x = a, *y = b;
  return strcmp(x->term->value, y->term->value);
}

static int compare_graph_ids(const void *a, const void *b) {
  const ranked_graph *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* True when triple (s, p, o) is also in a graph that comes before rank.
 * by_id: the graphs sorted by ID. */
static int seen_earlier(kz_index *index, const kz_id quad[4], size_t rank,
                        const ranked_graph *by_id, size_t graph_count) {
  kz_pattern pattern = {quad[0], quad[1], quad[2], KZ_ID_NONE, KZ_MATCH_GRAPH, true};
  kz_cursor cursor;
  kz_id other[4];
  kz_index_match(index, &pattern, &cursor);
  while (kz_cursor_next(&cursor, other)) {
    if (other[3] == KZ_ID_NONE)
      continue; /* not in a named graph */
    ranked_graph key = {other[3], NULL, 0};
    const ranked_graph *found = bsearch(&key, by_id, graph_count, sizeof *by_id, compare_graph_ids);
    if (found && found->rank < rank)
      return 1;
  }
  return 0;
}

static kz_status visit_index(kz_store *store, kz_index *index, const char *graph,
                             int distinct_triples, kz_quad_visitor visit, void *user,
                             kz_error *err) {
  if (kz_index_flush(index) != KZ_OK)
    return kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
  size_t count = 0;
  const kz_id *ids = kz_index_graphs(index, &count);
  ranked_graph *by_name = calloc(count ? count : 1, sizeof *by_name);
  ranked_graph *by_id = calloc(count ? count : 1, sizeof *by_id);
  if (!by_name || !by_id) {
    free(by_name);
    free(by_id);
    return kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
  }
  for (size_t i = 0; i < count; i++) {
    by_name[i].id = ids[i];
    by_name[i].term = kz_index_term(index, ids[i]);
  }
  if (count)
    qsort(by_name, count, sizeof *by_name, compare_graph_names);
  for (size_t i = 0; i < count; i++) {
    by_name[i].rank = i;
    by_id[i] = by_name[i];
  }
  if (count)
    qsort(by_id, count, sizeof *by_id, compare_graph_ids);
  kz_status status = KZ_OK;
  int found = graph == NULL;
  for (size_t i = 0; status == KZ_OK && i < count; i++) {
    if (graph && strcmp(graph, by_name[i].term->value) != 0)
      continue;
    found = 1;
    kz_pattern pattern = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, by_name[i].id, KZ_MATCH_GRAPH, false};
    kz_cursor cursor;
    kz_id quad[4];
    kz_index_match(index, &pattern, &cursor);
    while (status == KZ_OK && kz_cursor_next(&cursor, quad)) {
      if (distinct_triples && seen_earlier(index, quad, i, by_id, count))
        continue;
      status = visit(kz_index_term(index, quad[0]), kz_index_term(index, quad[1]),
                     kz_index_term(index, quad[2]), by_name[i].term, user, err);
    }
  }
  if (status == KZ_OK && !found)
    status = kz_fail(err, KZ_ERR_NOT_FOUND, graph, 0, 0, "no such graph in %s", store->spec);
  free(by_name);
  free(by_id);
  return status;
}

kz_status kz_store_visit(kz_store *store, const char *graph, int distinct_triples,
                         kz_quad_visitor visit, void *user, kz_error *err) {
  kz_index *index = kz_storage_index(store->storage);
  if (index)
    return visit_index(store, index, graph, distinct_triples, visit, user, err);
  char **names = NULL;
  size_t count = 0;
  TRY(kz_store_graph_names(store, &names, &count, err));
  kz_status status = KZ_OK;
  kz_strset *seen = NULL;
  if (distinct_triples && !(seen = kz_strset_new()))
    status = kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
  int found = graph == NULL;
  for (size_t i = 0; status == KZ_OK && i < count; i++) {
    if (graph && strcmp(graph, names[i]) != 0)
      continue;
    found = 1;
    status = visit_graph(store, names[i], seen, visit, user, err);
  }
  if (status == KZ_OK && !found)
    status = kz_fail(err, KZ_ERR_NOT_FOUND, graph, 0, 0, "no such graph in %s", store->spec);
  kz_strset_free(seen);
  kz_graph_names_free(names, count);
  return status;
}
