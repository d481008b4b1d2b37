/**
 * @file status.h
 * @brief The one status type of libkizuna and the rich error record.
 *
 * Every fallible function returns a kz_status and, when given a non-NULL
 * kz_error, fills it with the input's name, the position and a one-line
 * message. The library never prints and never exits: turning a kz_error into
 * text is the caller's job (kz_error_format does the usual rendering).
 */
#ifndef KIZUNA_STATUS_H
#define KIZUNA_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Outcome of a libkizuna call. KZ_OK and KZ_DONE are not errors. */
typedef enum kz_status {
  KZ_OK = 0,           /**< success */
  KZ_DONE,             /**< an iterator has no more items */
  KZ_ERR_ARGUMENT,     /**< a bad parameter: unknown format, bad store spec... */
  KZ_ERR_IO,           /**< a file could not be read or written */
  KZ_ERR_SYNTAX,       /**< data that does not parse */
  KZ_ERR_QUERY,        /**< a query that does not parse or cannot run */
  KZ_ERR_NOT_FOUND,    /**< a named thing (graph, store file, name) does not exist */
  KZ_ERR_AMBIGUOUS,    /**< a name fits several things */
  KZ_ERR_LOCKED,       /**< the store is being used by another process */
  KZ_ERR_UNSUPPORTED,  /**< valid request the current backend cannot do */
  KZ_ERR_TIMEOUT,      /**< a query ran out of time or was cancelled */
  KZ_ERR_NOMEM,        /**< out of memory */
  KZ_ERR_INTERNAL      /**< a bug or an unexpected library failure */
} kz_status;

/**
 * A rich error. Plain value: no pointers, nothing to free.
 * line and column are 1-based; 0 means unknown.
 */
typedef struct kz_error {
  kz_status status;
  char source[512];   /**< the input: a file name, "query", a store spec */
  long line;
  long column;
  char message[1024]; /**< one line, no trailing newline */
} kz_error;

/** A static, human description of a status ("syntax error"). Never NULL. */
const char *kz_strerror(kz_status status);

/** Resets err to KZ_OK with empty fields. Accepts NULL. */
void kz_error_clear(kz_error *err);

/**
 * Renders err as one line: "SOURCE:LINE:COL: MESSAGE", leaving out the parts
 * that are unknown. Returns buf (always NUL-terminated when size > 0).
 */
char *kz_error_format(const kz_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
