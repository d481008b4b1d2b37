/**
 * @file results.h
 * @brief Query results: a stream of rows, a boolean, or a stream of triples,
 * and the writers for every W3C results and RDF format.
 *
 * Iterate with kz_results_next until it returns KZ_DONE. Values handed out
 * are borrowed and valid until the next call to kz_results_next or
 * kz_results_free.
 */
#ifndef KIZUNA_RESULTS_H
#define KIZUNA_RESULTS_H

#include <stdio.h>

#include "kizuna/status.h"
#include "kizuna/term.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Results of a query. Opaque. */
typedef struct kz_results kz_results;

/** What a result is made of. */
typedef enum kz_results_kind {
  KZ_RESULTS_BINDINGS = 1, /**< SELECT: rows of variable bindings */
  KZ_RESULTS_BOOLEAN,      /**< ASK: one boolean */
  KZ_RESULTS_GRAPH         /**< CONSTRUCT/DESCRIBE: triples; columns s, p, o */
} kz_results_kind;

kz_results_kind kz_results_get_kind(const kz_results *results);

/** Number of columns: the projected variables, or 3 for graphs, 0 for ASK. */
size_t kz_results_get_column_count(const kz_results *results);

/** Name of column i (no '?'); borrowed, valid until kz_results_free. */
const char *kz_results_get_column_name(const kz_results *results, size_t i);

/**
 * Moves to the next row (or triple). Returns KZ_OK when a row is there,
 * KZ_DONE at the end, or an error.
 */
kz_status kz_results_next(kz_results *results, kz_error *err);

/**
 * The value of column i in the current row, or NULL when unbound.
 * Borrowed: valid until the next kz_results_next or kz_results_free.
 */
const kz_term *kz_results_get_value(const kz_results *results, size_t i);

/** The answer of an ASK query (0 or 1). */
int kz_results_get_boolean(const kz_results *results);

/** Frees results. Accepts NULL. */
void kz_results_free(kz_results *results);

/**
 * Reads results to their end, or to max_rows rows or triples (0: no limit),
 * into memory, and hands out the same answer again as *buffered: results
 * of the same kind, columns and boolean, which replay the rows from the
 * first (and from the first again after kz_results_rewind). For callers
 * that must know an answer is whole before they write a byte of it, such as
 * a server choosing its status code, or that write it in several formats.
 * *truncated, if not NULL, is set to 1 when rows were left unread, else 0.
 *
 * results is consumed but stays the caller's (free it as usual, before or
 * after *buffered). *buffered holds copies of everything and depends on
 * neither results, nor its query, nor its store. Its values are borrowed as
 * for any results, but the strings of a value (kz_term value, language,
 * datatype) stay valid until *buffered is freed, so a kz_term copied from
 * it outlives the next kz_results_next.
 *
 * On success caller frees *buffered with kz_results_free. On failure
 * *buffered is NULL and the status is the one kz_results_next gave (e.g.
 * KZ_ERR_TIMEOUT for a query out of time), or KZ_ERR_NOMEM.
 */
kz_status kz_results_buffer(kz_results **buffered, kz_results *results, size_t max_rows,
                            int *truncated, kz_error *err);

/**
 * Moves results made by kz_results_buffer back before their first row, to
 * be read or written again. Other results stream and cannot go back:
 * KZ_ERR_UNSUPPORTED.
 */
kz_status kz_results_rewind(kz_results *results, kz_error *err);

/**
 * The prefix the writers use for iri (the Turtle, TriG and RDF/XML
 * prefixes: "rdfs" for http://www.w3.org/2000/01/rdf-schema#label), with
 * *local_name set to the rest of iri, a local name that needs no escaping
 * in Turtle; NULL (and *local_name NULL) when no prefix fits. Both strings
 * are borrowed: the prefix is static, the local name points into iri.
 */
const char *kz_results_prefix_for(const char *iri, const char **local_name);

/**
 * Writes the remaining results to out in format, consuming them.
 * Bindings and booleans: "table", "csv", "tsv", "json", "xml".
 * Graphs: "turtle", "ntriples", "nquads", "rdfxml", "jsonld" (compact
 * JSON-LD 1.1 with the Kizuna prefixes as context, one node object per
 * subject; written whole at the end, as it groups the triples).
 * NULL format picks "table" or "turtle". out is borrowed and not closed.
 * *rows, if not NULL, receives the number of rows or triples written.
 */
kz_status kz_results_write(kz_results *results, FILE *out, const char *format,
                           size_t *rows, kz_error *err);

/** Non-zero if format is a name kz_results_write accepts for kind. */
int kz_results_format_supported(kz_results_kind kind, const char *format);

#ifdef __cplusplus
}
#endif
#endif
