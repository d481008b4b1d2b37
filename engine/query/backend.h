/*
 * The evaluator interface behind kz_query: checking a query's syntax and
 * running it. Today one backend, Redland's Rasqal (rasqal.c).
 */
#ifndef KZ_QUERY_BACKEND_H
#define KZ_QUERY_BACKEND_H

#include "kizuna/query.h"
#include "store/store_internal.h"

/* Parses text; on success sets *form and *from_count (its FROM and FROM
 * NAMED clauses). Errors carry source and line. */
kz_status kz_rasqal_check(kz_store *store, const char *text, const char *base,
                          const char *source, kz_query_form *form, size_t *from_count,
                          kz_error *err);

/* Runs text over the store's model; on success caller frees *out. */
kz_status kz_rasqal_execute(kz_results **out, kz_store *store, const char *text,
                            const char *base, const char *source, kz_error *err);

#endif
