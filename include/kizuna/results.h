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
 * Writes the remaining results to out in format, consuming them.
 * Bindings and booleans: "table", "csv", "tsv", "json", "xml".
 * Graphs: "turtle", "ntriples", "nquads", "rdfxml".
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
