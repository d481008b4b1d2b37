/*
 * Private helpers shared by every module of libkizuna: error filling, the
 * TRY macro, and small allocation wrappers. Never installed.
 */
#ifndef KZ_CORE_INTERNAL_H
#define KZ_CORE_INTERNAL_H

#include <stddef.h>

#include "kizuna/status.h"

#if defined(__GNUC__)
#define KZ_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define KZ_PRINTF(fmt, args)
#endif

/* Returns from the enclosing function when expr is not KZ_OK. */
#define TRY(expr)                      \
  do {                                 \
    kz_status try_status_ = (expr);    \
    if (try_status_ != KZ_OK)          \
      return try_status_;              \
  } while (0)

/* Fills err (if not NULL) and returns status, so callers can
 * `return kz_fail(err, KZ_ERR_IO, path, 0, 0, "cannot open: %s", ...);` */
kz_status kz_fail(kz_error *err, kz_status status, const char *source,
                  long line, long column, const char *format, ...)
    KZ_PRINTF(6, 7);

/* strdup that returns NULL on NULL. */
char *kz_strdup(const char *s);

/* A growing array: returns items when its *capacity holds `needed` (at
 * least 1) items of item_size, else a copy with double the room (initial at
 * first), *capacity updated. NULL on out of memory, with items untouched
 * and still the caller's. */
void *kz_grow(void *items, size_t *capacity, size_t needed, size_t item_size, size_t initial);

#endif
