/**
 * @file resolve.h
 * @brief Names to IRIs: "IIT Hyderabad", "IITH", "iit-h" all name one agency.
 *
 * A name is compared with every rdfs:label, skos:prefLabel and skos:altLabel
 * of the resources of a class, ignoring case, punctuation, spaces and a
 * leading article. An exact match wins; otherwise the best fuzzy match
 * (edit distance and containment) is taken when it is good and clearly
 * better than any other resource's. A full IRI is accepted as it is.
 */
#ifndef KIZUNA_RESOLVE_H
#define KIZUNA_RESOLVE_H

#include "kizuna/status.h"
#include "kizuna/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Resolves name to the IRI of a resource of class_iri (through inferred
 * types too). On success *iri is a new string: caller frees with free().
 * Unknown names give KZ_ERR_NOT_FOUND and ambiguous ones KZ_ERR_AMBIGUOUS,
 * the message listing the closest candidates with their IRIs. what names
 * the kind of thing in messages ("agency").
 */
kz_status kz_resolve_name(char **iri, kz_store *store, const char *class_iri,
                          const char *what, const char *name, kz_error *err);

#ifdef __cplusplus
}
#endif
#endif
