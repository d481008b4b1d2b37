/*
 * The Rasqal backend: queries run through Redland's librdf_query over the
 * store's model, whose default graph is the union of its named graphs.
 *
 * Rows are handed out by converting each binding's librdf_node into a
 * kz_term that borrows the node's strings; the nodes of the current row are
 * kept (and freed) here until the next row. For graph results the stream's
 * current statement is borrowed the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "query/backend.h"
#include "results/results_internal.h"

#define LANGUAGE "sparql11-query"

static kz_status logged_error(kz_store *store, kz_status status, const char *source,
                              const char *fallback, kz_error *err) {
  if (store->log.have_error)
    return kz_fail(err, status, source, store->log.error.line, store->log.error.column,
                   "%s", store->log.error.message);
  return kz_fail(err, status, source, 0, 0, "%s", fallback);
}

kz_status kz_rasqal_check(kz_store *store, const char *text, const char *base,
                          const char *source, kz_query_form *form, size_t *from_count,
                          kz_error *err) {
  *from_count = 0;
  rasqal_world *world = librdf_world_get_rasqal(store->world);
  rasqal_query *query = rasqal_new_query(world, LANGUAGE, NULL);
  if (!query)
    return kz_fail(err, KZ_ERR_INTERNAL, source, 0, 0, "cannot create a query");
  raptor_uri *base_uri = base ? raptor_new_uri(librdf_world_get_raptor(store->world),
                                               (const unsigned char *)base)
                              : NULL;
  kz_store_log_begin(store);
  int rc = rasqal_query_prepare(query, (const unsigned char *)text, base_uri);
  int failed = kz_store_log_end(store);
  kz_status status = KZ_OK;
  if (rc != 0 || failed) {
    status = logged_error(store, KZ_ERR_QUERY, source, "cannot parse the query", err);
  } else {
    raptor_sequence *graphs = rasqal_query_get_data_graph_sequence(query);
    int n = graphs ? raptor_sequence_size(graphs) : 0;
    *from_count = n > 0 ? (size_t)n : 0;
    switch (rasqal_query_get_verb(query)) {
    case RASQAL_QUERY_VERB_SELECT: *form = KZ_QUERY_SELECT; break;
    case RASQAL_QUERY_VERB_ASK: *form = KZ_QUERY_ASK; break;
    case RASQAL_QUERY_VERB_CONSTRUCT: *form = KZ_QUERY_CONSTRUCT; break;
    case RASQAL_QUERY_VERB_DESCRIBE: *form = KZ_QUERY_DESCRIBE; break;
    default:
      status = kz_fail(err, KZ_ERR_QUERY, source, 0, 0,
                       "not a query (SELECT, ASK, CONSTRUCT or DESCRIBE expected)");
    }
  }
  if (base_uri)
    raptor_free_uri(base_uri);
  rasqal_free_query(query);
  return status;
}

/* The projected variable names of a SELECT, from Rasqal's own parse (the
 * results of librdf give none when there are no rows). Caller frees the
 * array and each name; NULL and 0 on failure. */
static char **projected_names(kz_store *store, const char *text, const char *base,
                              size_t *count) {
  *count = 0;
  rasqal_world *world = librdf_world_get_rasqal(store->world);
  rasqal_query *query = rasqal_new_query(world, LANGUAGE, NULL);
  if (!query)
    return NULL;
  raptor_uri *base_uri = base ? raptor_new_uri(librdf_world_get_raptor(store->world),
                                               (const unsigned char *)base)
                              : NULL;
  char **names = NULL;
  kz_store_log_begin(store);
  if (rasqal_query_prepare(query, (const unsigned char *)text, base_uri) == 0) {
    raptor_sequence *vars = rasqal_query_get_bound_variable_sequence(query);
    int n = vars ? raptor_sequence_size(vars) : 0;
    names = calloc(n > 0 ? (size_t)n : 1, sizeof *names);
    for (int i = 0; names && i < n; i++) {
      rasqal_variable *v = raptor_sequence_get_at(vars, i);
      names[i] = kz_strdup(v && v->name ? (const char *)v->name : "");
      if (names[i])
        (*count)++;
    }
  }
  kz_store_log_end(store);
  if (base_uri)
    raptor_free_uri(base_uri);
  rasqal_free_query(query);
  return names;
}

typedef struct rasqal_impl {
  kz_store *store;
  librdf_query *query;
  librdf_query_results *results;
  librdf_stream *stream; /* graph results */
  librdf_node **row;     /* nodes of the current row */
  size_t column_count;
  int started;
  char *source;
} rasqal_impl;

static void free_row(rasqal_impl *impl) {
  for (size_t i = 0; i < impl->column_count; i++) {
    if (impl->row[i]) {
      librdf_free_node(impl->row[i]);
      impl->row[i] = NULL;
    }
  }
}

static void impl_free(void *data) {
  rasqal_impl *impl = data;
  if (impl->row) {
    free_row(impl);
    free(impl->row);
  }
  if (impl->stream)
    librdf_free_stream(impl->stream);
  if (impl->results)
    librdf_free_query_results(impl->results);
  if (impl->query)
    librdf_free_query(impl->query);
  free(impl->source);
  free(impl);
}

static kz_status bindings_next(kz_results *results, void *data, kz_error *err) {
  rasqal_impl *impl = data;
  free_row(impl);
  kz_store_log_begin(impl->store);
  if (impl->started)
    librdf_query_results_next(impl->results);
  impl->started = 1;
  int finished = librdf_query_results_finished(impl->results);
  if (kz_store_log_end(impl->store))
    return logged_error(impl->store, KZ_ERR_QUERY, impl->source, "query failed", err);
  if (finished)
    return KZ_DONE;
  for (size_t i = 0; i < impl->column_count; i++) {
    librdf_node *node = librdf_query_results_get_binding_value(impl->results, (int)i);
    impl->row[i] = node;
    if (node) {
      kz_term term;
      kz_store_node_to_term(node, &term);
      kz_results_set_value(results, i, &term);
    }
  }
  return KZ_OK;
}

static kz_status graph_next(kz_results *results, void *data, kz_error *err) {
  rasqal_impl *impl = data;
  (void)err;
  if (!impl->stream)
    return KZ_DONE;
  if (impl->started)
    librdf_stream_next(impl->stream);
  impl->started = 1;
  if (librdf_stream_end(impl->stream))
    return KZ_DONE;
  librdf_statement *statement = librdf_stream_get_object(impl->stream);
  librdf_node *nodes[3] = {librdf_statement_get_subject(statement),
                           librdf_statement_get_predicate(statement),
                           librdf_statement_get_object(statement)};
  for (size_t i = 0; i < 3; i++) {
    kz_term term;
    kz_store_node_to_term(nodes[i], &term);
    kz_results_set_value(results, i, &term);
  }
  return KZ_OK;
}

static const kz_results_backend bindings_backend = {bindings_next, impl_free};
static const kz_results_backend graph_backend = {graph_next, impl_free};

kz_status kz_rasqal_execute(kz_results **out, kz_store *store, const char *text,
                            const char *base, const char *source, kz_error *err) {
  *out = NULL;
  rasqal_impl *impl = calloc(1, sizeof *impl);
  if (!impl)
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  impl->store = store;
  impl->source = kz_strdup(source);
  librdf_uri *base_uri = base ? librdf_new_uri(store->world, (const unsigned char *)base) : NULL;
  kz_store_log_begin(store);
  impl->query = librdf_new_query(store->world, LANGUAGE, NULL, (const unsigned char *)text, base_uri);
  if (impl->query)
    impl->results = librdf_model_query_execute(store->model, impl->query);
  int failed = kz_store_log_end(store);
  if (base_uri)
    librdf_free_uri(base_uri);
  if (!impl->source || !impl->query || !impl->results || failed) {
    kz_status status = logged_error(store, KZ_ERR_QUERY, source, "query failed", err);
    impl_free(impl);
    return status;
  }

  kz_results *results = NULL;
  if (librdf_query_results_is_boolean(impl->results)) {
    int value = librdf_query_results_get_boolean(impl->results);
    results = kz_results_new(KZ_RESULTS_BOOLEAN, 0, NULL, &bindings_backend, impl);
    if (results)
      kz_results_set_boolean(results, value > 0);
  } else if (librdf_query_results_is_graph(impl->results)) {
    static const char *const names[3] = {"subject", "predicate", "object"};
    impl->stream = librdf_query_results_as_stream(impl->results);
    results = kz_results_new(KZ_RESULTS_GRAPH, 3, names, &graph_backend, impl);
  } else {
    int count = librdf_query_results_get_bindings_count(impl->results);
    impl->column_count = count > 0 ? (size_t)count : 0;
    impl->row = calloc(impl->column_count ? impl->column_count : 1, sizeof *impl->row);
    const char **names = calloc(impl->column_count ? impl->column_count : 1, sizeof *names);
    if (!impl->row || !names) {
      free(names);
      impl_free(impl);
      return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < impl->column_count; i++)
      names[i] = librdf_query_results_get_binding_name(impl->results, (int)i);
    size_t parsed_count = 0;
    char **parsed = impl->column_count ? NULL : projected_names(store, text, base, &parsed_count);
    if (parsed_count) {
      /* no rows: the names come from the query itself */
      free(names);
      free(impl->row);
      impl->row = calloc(parsed_count, sizeof *impl->row);
      names = (const char **)parsed;
      impl->column_count = impl->row ? parsed_count : 0;
    }
    results = kz_results_new(KZ_RESULTS_BINDINGS, impl->column_count, names,
                             &bindings_backend, impl);
    for (size_t i = 0; i < parsed_count; i++)
      free(parsed[i]);
    if (parsed_count)
      free(parsed);
    else
      free(names);
    if (parsed && !parsed_count)
      free(parsed);
  }
  if (!results)
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  *out = results;
  return KZ_OK;
}
