/*
 * The status type's names, the rendering of a kz_error as one line, and the
 * allocation helpers of core/internal.h (kz_strdup, kz_grow).
 * An error message is always a single line: newlines that a dependency puts
 * into its messages are folded into spaces when the error is filled.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "kizuna/version.h"

const char *kz_version(void) { return KZ_VERSION_STRING; }

const char *kz_strerror(kz_status status) {
  switch (status) {
  case KZ_OK: return "success";
  case KZ_DONE: return "no more items";
  case KZ_ERR_ARGUMENT: return "invalid argument";
  case KZ_ERR_IO: return "input/output error";
  case KZ_ERR_SYNTAX: return "syntax error";
  case KZ_ERR_QUERY: return "query error";
  case KZ_ERR_NOT_FOUND: return "not found";
  case KZ_ERR_AMBIGUOUS: return "ambiguous name";
  case KZ_ERR_LOCKED: return "store is locked";
  case KZ_ERR_UNSUPPORTED: return "unsupported";
  case KZ_ERR_TIMEOUT: return "timed out";
  case KZ_ERR_NOMEM: return "out of memory";
  case KZ_ERR_INTERNAL: return "internal error";
  }
  return "unknown status";
}

void kz_error_clear(kz_error *err) {
  if (err)
    memset(err, 0, sizeof *err);
}

static void fold_newlines(char *s) {
  for (; *s; s++)
    if (*s == '\n' || *s == '\r' || *s == '\t')
      *s = ' ';
}

kz_status kz_fail(kz_error *err, kz_status status, const char *source,
                  long line, long column, const char *format, ...) {
  if (!err)
    return status;
  err->status = status;
  snprintf(err->source, sizeof err->source, "%s", source ? source : "");
  err->line = line > 0 ? line : 0;
  err->column = column > 0 ? column : 0;
  va_list args;
  va_start(args, format);
  vsnprintf(err->message, sizeof err->message, format, args);
  va_end(args);
  fold_newlines(err->message);
  /* Drop trailing blanks left by folding. */
  size_t n = strlen(err->message);
  while (n > 0 && err->message[n - 1] == ' ')
    err->message[--n] = '\0';
  return status;
}

char *kz_error_format(const kz_error *err, char *buf, size_t size) {
  if (!buf || size == 0)
    return buf;
  if (!err) {
    buf[0] = '\0';
    return buf;
  }
  const char *message = err->message[0] ? err->message : kz_strerror(err->status);
  if (err->source[0] && err->line > 0 && err->column > 0)
    snprintf(buf, size, "%s:%ld:%ld: %s", err->source, err->line, err->column, message);
  else if (err->source[0] && err->line > 0)
    snprintf(buf, size, "%s:%ld: %s", err->source, err->line, message);
  else if (err->source[0])
    snprintf(buf, size, "%s: %s", err->source, message);
  else
    snprintf(buf, size, "%s", message);
  return buf;
}

char *kz_strdup(const char *s) {
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy)
    memcpy(copy, s, n);
  return copy;
}

void *kz_grow(void *items, size_t *capacity, size_t needed, size_t item_size, size_t initial) {
  if (needed <= *capacity)
    return items;
  size_t bigger = *capacity ? *capacity * 2 : initial;
  while (bigger < needed)
    bigger *= 2;
  void *grown = realloc(items, bigger * item_size);
  if (grown)
    *capacity = bigger;
  return grown;
}
