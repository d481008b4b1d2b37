/*
 * Changing a store: adding quads all or nothing, and dropping a graph.
 *
 * The kizuna storage ("memory") and SQLite stores get a transaction and
 * deduplicate quads themselves; the kizuna storage's rollback takes back
 * exactly the quads the transaction added. Redland's hashes storage keeps
 * duplicates and has no transactions, so for it the store keeps a set of the
 * quads it holds (quad_set): a quad already in it is skipped, and the quads
 * added so far are removed again if a later one fails.
 *
 * Every change drops the store's snapshot index (kz_store_changed).
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store_internal.h"

static kz_status add_in_transaction(kz_store *store, const kz_quad *quads, size_t count,
                                    const char *source, kz_error *err) {
  if (librdf_model_transaction_start(store->model) != 0)
    return kz_fail(err, KZ_ERR_INTERNAL, source, 0, 0, "cannot start a transaction");
  for (size_t i = 0; i < count; i++) {
    if (librdf_model_context_add_statement(store->model, quads[i].graph, quads[i].statement) != 0) {
      librdf_model_transaction_rollback(store->model);
      return kz_fail(err, KZ_ERR_IO, source, 0, 0, "cannot store the data; nothing was added");
    }
  }
  if (librdf_model_transaction_commit(store->model) != 0)
    return kz_fail(err, KZ_ERR_IO, source, 0, 0, "cannot commit; nothing was added");
  return KZ_OK;
}

static kz_status add_with_undo(kz_store *store, const kz_quad *quads, size_t count,
                               const char *source, kz_error *err) {
  size_t added = 0;
  char **keys = calloc(count ? count : 1, sizeof *keys);
  size_t *added_at = calloc(count ? count : 1, sizeof *added_at);
  kz_status status = keys && added_at ? KZ_OK : KZ_ERR_NOMEM;
  for (size_t i = 0; status == KZ_OK && i < count; i++) {
    char *key = kz_store_quad_key(quads[i].statement, quads[i].graph);
    int fresh = key ? kz_strset_add(store->quad_set, key) : -1;
    if (fresh <= 0) { /* already stored, twice in this batch, or out of memory */
      free(key);
      if (fresh < 0)
        status = KZ_ERR_NOMEM;
      continue;
    }
    if (librdf_model_context_add_statement(store->model, quads[i].graph, quads[i].statement) != 0) {
      kz_strset_remove(store->quad_set, key);
      free(key);
      status = KZ_ERR_INTERNAL;
      break;
    }
    keys[added] = key;
    added_at[added++] = i;
  }
  if (status != KZ_OK) {
    for (size_t k = 0; k < added; k++) {
      const kz_quad *q = &quads[added_at[k]];
      librdf_model_context_remove_statement(store->model, q->graph, q->statement);
      kz_strset_remove(store->quad_set, keys[k]);
    }
  }
  for (size_t k = 0; k < added; k++)
    free(keys[k]);
  free(keys);
  free(added_at);
  if (status != KZ_OK)
    return kz_fail(err, status, source, 0, 0, "cannot store the data; nothing was added");
  return KZ_OK;
}

kz_status kz_store_add_quads(kz_store *store, const kz_quad *quads, size_t count,
                             const char *source, kz_error *err) {
  if (store->read_only)
    return kz_fail(err, KZ_ERR_ARGUMENT, store->spec, 0, 0, "store is open read-only");
  kz_store_changed(store);
  return store->quad_set ? add_with_undo(store, quads, count, source, err)
                         : add_in_transaction(store, quads, count, source, err);
}

kz_status kz_store_drop_graph(kz_store *store, const char *graph, kz_error *err) {
  if (store->read_only)
    return kz_fail(err, KZ_ERR_ARGUMENT, store->spec, 0, 0, "store is open read-only");
  librdf_node *context = librdf_new_node_from_uri_string(store->world, (const unsigned char *)graph);
  if (!context)
    return kz_fail(err, KZ_ERR_ARGUMENT, graph, 0, 0, "not an IRI");
  kz_store_changed(store);
  kz_status status = KZ_OK;
  if (store->quad_set) {
    librdf_stream *stream = librdf_model_context_as_stream(store->model, context);
    for (; stream && !librdf_stream_end(stream); librdf_stream_next(stream)) {
      char *key = kz_store_quad_key(librdf_stream_get_object(stream), context);
      if (!key) {
        status = kz_fail(err, KZ_ERR_NOMEM, graph, 0, 0, "out of memory");
        break;
      }
      kz_strset_remove(store->quad_set, key);
      free(key);
    }
    if (stream)
      librdf_free_stream(stream);
  }
  if (status == KZ_OK && librdf_model_contains_context(store->model, context) &&
      librdf_model_context_remove_statements(store->model, context) != 0)
    status = kz_fail(err, KZ_ERR_IO, graph, 0, 0, "cannot remove the graph");
  librdf_free_node(context);
  return status;
}
