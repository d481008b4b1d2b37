/**
 * @file resolve.h
 * @brief Names to IRIs: "IIT Hyderabad", "IITH", "iit-h" all name one agency.
 *
 * A name is compared with every rdfs:label, skos:prefLabel and skos:altLabel
 * of the resources of a class, ignoring case, punctuation, spaces and a
 * leading article. An exact match wins; otherwise the best fuzzy match
 * (edit distance and containment) is taken when it is good and clearly
 * better than any other resource's. A full IRI (also in angle brackets) is
 * accepted as it is.
 *
 * Two ways in: kz_resolve_name gives the IRI or an error whose one-line
 * message lists the candidates; kz_resolve gives a kz_resolution, which
 * holds the same candidates as data (IRI and label each), for callers that
 * show them otherwise (the HTTP server's JSON).
 *
 * Names are read from the store's quad index (the one the SPARQL engine
 * reads), never through librdf: resolving is safe from several threads at
 * once, as evaluating queries is, as long as nothing modifies the store and
 * the index has been read once before the threads start (any query, or one
 * resolution, does it).
 */
#ifndef KIZUNA_RESOLVE_H
#define KIZUNA_RESOLVE_H

#include <stddef.h>

#include "kizuna/status.h"
#include "kizuna/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Resolves name to the IRI of a resource of class_iri (through inferred
 * types too; class_iri NULL: any resource with a label). On success *iri is
 * a new string: caller frees with free(). Unknown names give
 * KZ_ERR_NOT_FOUND and ambiguous ones KZ_ERR_AMBIGUOUS, the message listing
 * the closest candidates with their IRIs. what names the kind of thing in
 * messages ("agency").
 */
kz_status kz_resolve_name(char **iri, kz_store *store, const char *class_iri,
                          const char *what, const char *name, kz_error *err);

/** What a name resolved to, or the resources it might have meant. Opaque. */
typedef struct kz_resolution kz_resolution;

/**
 * Resolves name as kz_resolve_name does (same arguments, same status, same
 * message in err) and hands back what it found as a kz_resolution.
 *
 * Ownership: whatever the status, pass *out to kz_resolution_free. It is a
 * resolution whenever the name could be looked up: KZ_OK (resolved),
 * KZ_ERR_NOT_FOUND (unknown; the candidates are suggestions) and
 * KZ_ERR_AMBIGUOUS (the candidates are what it could mean); it is NULL on
 * any other status (KZ_ERR_ARGUMENT for an empty name, KZ_ERR_NOMEM...).
 */
kz_status kz_resolve(kz_resolution **out, kz_store *store, const char *class_iri,
                     const char *what, const char *name, kz_error *err);

/** KZ_OK, KZ_ERR_NOT_FOUND or KZ_ERR_AMBIGUOUS, as kz_resolve returned. */
kz_status kz_resolution_status(const kz_resolution *resolution);

/** The name looked up (as given, less leading spaces). Borrowed until
 * kz_resolution_free. */
const char *kz_resolution_name(const kz_resolution *resolution);

/** The kind of thing looked for, the what of kz_resolve ("agency").
 * Borrowed until kz_resolution_free. */
const char *kz_resolution_what(const kz_resolution *resolution);

/** The IRI the name resolved to, or NULL when it did not. Borrowed until
 * kz_resolution_free. */
const char *kz_resolution_iri(const kz_resolution *resolution);

/**
 * The candidates, best first:
 *  - resolved: one, the resource (its label NULL when an IRI was given);
 *  - ambiguous: every resource the name fits exactly, or else the fuzzy
 *    matches it cannot choose between (at most KZ_RESOLVE_MAX_SUGGESTIONS);
 *  - unknown: the closest resources worth suggesting (at most
 *    KZ_RESOLVE_MAX_SUGGESTIONS; none when nothing is close).
 * The messages name the same candidates (the first
 * KZ_RESOLVE_MAX_SUGGESTIONS of them).
 */
size_t kz_resolution_count(const kz_resolution *resolution);

/** Candidate i's IRI, and the label of it that matched the name best (NULL
 * only as said above). Borrowed until kz_resolution_free; NULL when i is out
 * of range. */
const char *kz_resolution_candidate_iri(const kz_resolution *resolution, size_t i);
const char *kz_resolution_candidate_label(const kz_resolution *resolution, size_t i);

/** Frees a resolution. Accepts NULL. */
void kz_resolution_free(kz_resolution *resolution);

/** The most fuzzy candidates a resolution lists. */
#define KZ_RESOLVE_MAX_SUGGESTIONS 5

#ifdef __cplusplus
}
#endif
#endif
