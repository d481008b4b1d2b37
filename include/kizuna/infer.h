/**
 * @file infer.h
 * @brief Materialised entailment: the RDFS and OWL facts the queries rely on.
 *
 * kz_store_infer computes, over every graph of a store, the triples entailed
 * by rdfs:subClassOf, rdfs:subPropertyOf, rdfs:domain, rdfs:range,
 * owl:TransitiveProperty, owl:inverseOf and owl:SymmetricProperty, and adds
 * the ones not already stored to the graph KZ_INFERRED_GRAPH, where they can
 * be shown (GRAPH <...inferred>) or left out (kz_store_drop_graph). It reaches
 * a fixpoint, terminates on cycles, and is idempotent.
 */
#ifndef KIZUNA_INFER_H
#define KIZUNA_INFER_H

#include <stdint.h>

#include "kizuna/status.h"
#include "kizuna/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The graph inferred triples go to. */
#define KZ_INFERRED_GRAPH "https://w3id.org/kizuna/graph/inferred"

/**
 * Adds the entailments of the store's contents to KZ_INFERRED_GRAPH.
 * *added, if not NULL, receives the number of triples added.
 */
kz_status kz_store_infer(kz_store *store, uint64_t *added, kz_error *err);

#ifdef __cplusplus
}
#endif
#endif
