/*
 * The results iterator: a fixed set of columns and a current row, filled by
 * whichever evaluator produced the results. Rows are never stored here, so a
 * result streams with bounded memory.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "results/results_internal.h"

struct kz_results {
  kz_results_kind kind;
  size_t column_count;
  char **column_names;
  kz_term *values;
  unsigned char *bound;
  int boolean;
  const kz_results_backend *backend;
  void *impl;
};

kz_results *kz_results_new(kz_results_kind kind, size_t column_count,
                           const char *const *column_names,
                           const kz_results_backend *backend, void *impl) {
  kz_results *results = calloc(1, sizeof *results);
  if (!results)
    goto fail;
  results->kind = kind;
  results->backend = backend;
  results->impl = impl;
  results->column_count = column_count;
  size_t n = column_count ? column_count : 1;
  results->column_names = calloc(n, sizeof *results->column_names);
  results->values = calloc(n, sizeof *results->values);
  results->bound = calloc(n, 1);
  if (!results->column_names || !results->values || !results->bound) {
    kz_results_free(results);
    return NULL;
  }
  for (size_t i = 0; i < column_count; i++) {
    if (!(results->column_names[i] = kz_strdup(column_names[i]))) {
      kz_results_free(results);
      return NULL;
    }
  }
  return results;
fail:
  if (backend && impl)
    backend->free(impl);
  return NULL;
}

void kz_results_set_boolean(kz_results *results, int value) { results->boolean = value != 0; }

void kz_results_set_value(kz_results *results, size_t i, const kz_term *term) {
  if (i >= results->column_count)
    return;
  results->bound[i] = term != NULL;
  if (term)
    results->values[i] = *term;
}

void *kz_results_get_impl(const kz_results *results, const kz_results_backend *backend) {
  return results->backend == backend ? results->impl : NULL;
}

kz_results_kind kz_results_get_kind(const kz_results *results) { return results->kind; }

size_t kz_results_get_column_count(const kz_results *results) { return results->column_count; }

const char *kz_results_get_column_name(const kz_results *results, size_t i) {
  return i < results->column_count ? results->column_names[i] : NULL;
}

kz_status kz_results_next(kz_results *results, kz_error *err) {
  if (results->kind == KZ_RESULTS_BOOLEAN || !results->backend)
    return KZ_DONE;
  memset(results->bound, 0, results->column_count ? results->column_count : 1);
  return results->backend->next(results, results->impl, err);
}

const kz_term *kz_results_get_value(const kz_results *results, size_t i) {
  if (i >= results->column_count || !results->bound[i])
    return NULL;
  return &results->values[i];
}

int kz_results_get_boolean(const kz_results *results) { return results->boolean; }

void kz_results_free(kz_results *results) {
  if (!results)
    return;
  if (results->backend && results->impl)
    results->backend->free(results->impl);
  if (results->column_names)
    for (size_t i = 0; i < results->column_count; i++)
      free(results->column_names[i]);
  free(results->column_names);
  free(results->values);
  free(results->bound);
  free(results);
}
