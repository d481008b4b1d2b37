/*
 * How an evaluator feeds a kz_results: it creates one with kz_results_new,
 * handing over a backend (next/free) and its private state, and on each
 * next() fills the current row with kz_results_set_value. The strings of a
 * row belong to the backend and stay valid until its next call.
 */
#ifndef KZ_RESULTS_INTERNAL_H
#define KZ_RESULTS_INTERNAL_H

#include "kizuna/results.h"

typedef struct kz_results_backend {
  /* Moves to the next row: KZ_OK, KZ_DONE or an error. */
  kz_status (*next)(kz_results *results, void *impl, kz_error *err);
  /* Frees impl. */
  void (*free)(void *impl);
} kz_results_backend;

/* New results with copies of the column names; takes ownership of impl, even
 * on failure (NULL). */
kz_results *kz_results_new(kz_results_kind kind, size_t column_count,
                           const char *const *column_names,
                           const kz_results_backend *backend, void *impl);

/* Sets the boolean of ASK results. */
void kz_results_set_boolean(kz_results *results, int value);

/* Sets column i of the current row; NULL term means unbound. The term's
 * strings are borrowed from the backend. */
void kz_results_set_value(kz_results *results, size_t i, const kz_term *term);

/* The impl of results when they were made with backend, else NULL. */
void *kz_results_get_impl(const kz_results *results, const kz_results_backend *backend);

#endif
