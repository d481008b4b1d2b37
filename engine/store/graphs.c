/*
 * Walking a store graph by graph: the sorted list of named graphs, and a
 * visitor over every quad of one or all graphs, optionally skipping triples
 * already seen in another graph (for union views). Export and statistics are
 * built on it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/graphs.h"

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
    if (n == capacity) {
      capacity = capacity ? capacity * 2 : 16;
      char **grown = realloc(names, capacity * sizeof *names);
      if (!grown) {
        status = KZ_ERR_NOMEM;
        break;
      }
      names = grown;
    }
    if (!(names[n] = kz_strdup(term.value))) {
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

kz_status kz_store_visit(kz_store *store, const char *graph, int distinct_triples,
                         kz_quad_visitor visit, void *user, kz_error *err) {
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
