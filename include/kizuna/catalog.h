/**
 * @file catalog.h
 * @brief The named query catalogue: questions with typed parameters, bound
 * safely, and matched from everyday phrasing.
 *
 * A catalogue is a folder of .rq files. Each starts with a header of
 * comment lines:
 *
 *     # name: joint-labs-involving
 *     # description: Joint labs an agency takes part in
 *     # param: agency agency       (NAME TYPE [optional]; types: agency,
 *     #                             country, domain, resource, date, year,
 *     #                             string, iri)
 *     # phrase: {lead}{the}{labs} {involving} (?<agency>.+)
 *     # example: all joint labs involving IIT Hyderabad
 *
 * and then the SPARQL, where each parameter is a variable (?agency). Binding
 * turns each value into an RDF term written by the N-Triples writer (so a
 * value is always data, never query text) and puts it where the variable
 * stood. Names of type agency, country and domain are resolved first among
 * the resources of their class, names of type resource among every labelled
 * resource (resolve.h). A date is YYYY, YYYY-MM or YYYY-MM-DD, or written
 * with the month's name ("March 2015", "Oct 2018", "29 October 2018"). An
 * optional parameter may be left out: its variable then stays unbound, and
 * phrases need not capture it. Phrases are PCRE2 patterns
 * (case-insensitive, matching the whole question) whose named groups are
 * parameters; {word} placeholders stand for families of everyday words
 * (the README's "Asking questions" lists them).
 */
#ifndef KIZUNA_CATALOG_H
#define KIZUNA_CATALOG_H

#include <stddef.h>

#include "kizuna/resolve.h"
#include "kizuna/status.h"
#include "kizuna/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded catalogue. Opaque. */
typedef struct kz_catalog kz_catalog;
/** One named query. Opaque; borrowed from its catalogue. */
typedef struct kz_catalog_entry kz_catalog_entry;

/**
 * Loads every .rq file of dir. Errors name the file and line. On success
 * caller frees *out with kz_catalog_free.
 */
kz_status kz_catalog_load(kz_catalog **out, const char *dir, kz_error *err);

/** Frees a catalogue and its entries. Accepts NULL. */
void kz_catalog_free(kz_catalog *catalog);

/** Number of entries, and entry i (in name order). Borrowed. */
size_t kz_catalog_count(const kz_catalog *catalog);
const kz_catalog_entry *kz_catalog_get(const kz_catalog *catalog, size_t i);

/** The entry called name, or NULL. Borrowed. */
const kz_catalog_entry *kz_catalog_find(const kz_catalog *catalog, const char *name);

/** Entry fields; strings borrowed until kz_catalog_free. */
const char *kz_catalog_entry_name(const kz_catalog_entry *entry);
const char *kz_catalog_entry_description(const kz_catalog_entry *entry);
const char *kz_catalog_entry_query(const kz_catalog_entry *entry);
size_t kz_catalog_entry_param_count(const kz_catalog_entry *entry);
const char *kz_catalog_entry_param_name(const kz_catalog_entry *entry, size_t i);
const char *kz_catalog_entry_param_type(const kz_catalog_entry *entry, size_t i);
/** Non-zero when parameter i is optional (may be left out). */
int kz_catalog_entry_param_optional(const kz_catalog_entry *entry, size_t i);
size_t kz_catalog_entry_example_count(const kz_catalog_entry *entry);
const char *kz_catalog_entry_example(const kz_catalog_entry *entry, size_t i);

/** A parameter value, as typed by a user. */
typedef struct kz_param {
  const char *name;
  const char *value;
} kz_param;

/**
 * Binds params into the entry's query: checks that every required parameter
 * is given, none twice and no unknown one, validates and types each value,
 * resolves names against store. On success *sparql is the final query:
 * caller frees with free().
 */
kz_status kz_catalog_bind(char **sparql, const kz_catalog_entry *entry, kz_store *store,
                          const kz_param *params, size_t param_count, kz_error *err);

/**
 * kz_catalog_bind, telling more when a name does not resolve: then (status
 * KZ_ERR_NOT_FOUND or KZ_ERR_AMBIGUOUS) *unresolved is that name's
 * resolution, with the candidates the message lists as data (resolve.h);
 * in every other case it is NULL. Whatever the status, pass *unresolved to
 * kz_resolution_free. unresolved may be NULL (then this is kz_catalog_bind).
 */
kz_status kz_catalog_bind_detailed(char **sparql, kz_resolution **unresolved,
                                   const kz_catalog_entry *entry, kz_store *store,
                                   const kz_param *params, size_t param_count, kz_error *err);

/** What a question matched: every phrase that fits it, best first. */
typedef struct kz_match kz_match;

/**
 * Matches question against every phrase. Candidates are ranked by how little
 * text they leave to their parameters (they explain more of the question),
 * then by how much of the question the phrase spells out in its own words
 * rather than with {placeholder} word families (the more specific phrase);
 * callers try them in order, as a name that does not resolve for the first
 * may for the next.
 *
 * When nothing matches: KZ_ERR_NOT_FOUND, the message naming the closest
 * example questions, and *out a match with no candidates that holds those
 * examples (kz_match_closest).
 *
 * Ownership: whatever the status, pass *out to kz_match_free. It is a match
 * on KZ_OK and KZ_ERR_NOT_FOUND, NULL otherwise (KZ_ERR_NOMEM).
 */
kz_status kz_catalog_match(kz_match **out, const kz_catalog *catalog, const char *question,
                           kz_error *err);

/** Number of candidates: at least 1 on success, 0 when nothing matched. */
size_t kz_match_count(const kz_match *match);

/** Candidate i: its entry (borrowed from the catalogue) and parameters
 * (borrowed until kz_match_free). */
const kz_catalog_entry *kz_match_entry(const kz_match *match, size_t i);
size_t kz_match_param_count(const kz_match *match, size_t i);
const kz_param *kz_match_params(const kz_match *match, size_t i);

/**
 * When nothing matched: the number of example questions closest to the
 * question (at most 3, those sharing the most words with it, one per entry;
 * 0 when none shares a word), and example i, best first, with its entry.
 * Both borrowed from the catalogue, valid until kz_catalog_free. 0 and NULL
 * when the question matched.
 */
size_t kz_match_closest_count(const kz_match *match);
const char *kz_match_closest(const kz_match *match, size_t i);
const kz_catalog_entry *kz_match_closest_entry(const kz_match *match, size_t i);

/** Frees a match. Accepts NULL. */
void kz_match_free(kz_match *match);

#ifdef __cplusplus
}
#endif
#endif
