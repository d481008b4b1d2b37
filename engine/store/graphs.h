/*
 * Graph-by-graph access to a store for the modules above it (export,
 * statistics). Never installed.
 */
#ifndef KZ_STORE_GRAPHS_H
#define KZ_STORE_GRAPHS_H

#include "store/store_internal.h"

/* The store's named graphs, sorted; caller frees with kz_graph_names_free. */
kz_status kz_store_graph_names(kz_store *store, char ***out, size_t *count, kz_error *err);
void kz_graph_names_free(char **names, size_t count);

/* Called for each quad; terms are borrowed for the call. Non-KZ_OK stops. */
typedef kz_status (*kz_quad_visitor)(const kz_term *subject, const kz_term *predicate,
                                     const kz_term *object, const kz_term *graph,
                                     void *user, kz_error *err);

/* Visits the quads of graph (NULL: every graph, in name order). With
 * distinct_triples, a triple already visited in an earlier graph is skipped.
 * KZ_ERR_NOT_FOUND if graph is not in the store. The visitor must not change
 * the store. */
kz_status kz_store_visit(kz_store *store, const char *graph, int distinct_triples,
                         kz_quad_visitor visit, void *user, kz_error *err);

#endif
