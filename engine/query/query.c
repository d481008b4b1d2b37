/*
 * The query API: a prepared query is its text, checked once, plus the store
 * it runs on. Evaluation is delegated to a backend (backend.h), so the
 * evaluator can change without callers noticing.
 */
#include <stdlib.h>

#include "core/internal.h"
#include "query/backend.h"

struct kz_query {
  kz_store *store; /* borrowed */
  char *text;
  char *base;
  char *source;
  kz_query_form form;
};

kz_status kz_query_prepare(kz_query **out, kz_store *store, const char *text,
                           const kz_query_options *options, kz_error *err) {
  static const kz_query_options defaults = KZ_QUERY_OPTIONS_INIT;
  if (!options)
    options = &defaults;
  *out = NULL;
  const char *source = options->source ? options->source : "query";
  if (!text)
    return kz_fail(err, KZ_ERR_ARGUMENT, source, 0, 0, "no query text");
  kz_query *query = calloc(1, sizeof *query);
  if (!query)
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  query->store = store;
  query->text = kz_strdup(text);
  query->base = kz_strdup(options->base);
  query->source = kz_strdup(source);
  if (!query->text || !query->source || (options->base && !query->base)) {
    kz_query_free(query);
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  }
  kz_status status = kz_rasqal_check(store, text, options->base, source, &query->form, err);
  if (status != KZ_OK) {
    kz_query_free(query);
    return status;
  }
  *out = query;
  return KZ_OK;
}

kz_query_form kz_query_get_form(const kz_query *query) { return query->form; }

kz_status kz_query_execute(kz_results **out, kz_query *query, kz_error *err) {
  return kz_rasqal_execute(out, query->store, query->text, query->base, query->source, err);
}

void kz_query_free(kz_query *query) {
  if (!query)
    return;
  free(query->text);
  free(query->base);
  free(query->source);
  free(query);
}
