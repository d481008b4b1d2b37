/*
 * The two places where the server reaches inside libkizuna, through its
 * private headers, because the public API has no way to say what it needs
 * yet. Each is small and would become a public call of the library:
 *
 * 1. Buffered results (http_rows). An answer is read to the end (or to
 *    --max-rows) before anything is written, so that a query that runs out
 *    of time or fails half-way gets its proper status (503, 400) instead of
 *    a 200 with a cut body, and so that graph formats can be written under
 *    the Raptor lock (server.c) without holding it while the query runs.
 *    The rows are then replayed as a kz_results, through the evaluators'
 *    own extension point (results/results_internal.h), so that every
 *    format is still written by kz_results_write. Public replacement:
 *    kz_results_write with a row limit, and thread-safe graph writers.
 *
 * 2. FROM and FROM NAMED (http_query_from). The library loads a FROM IRI
 *    that is not a graph of the store as a local file (file: IRIs), which a
 *    remote client must never be able to do. The server parses the query
 *    with the library's own parser to see its FROM IRIs and refuses the
 *    ones that are not graphs of the store. Public replacement: a
 *    kz_query_options flag that keeps FROM to the store's graphs.
 *
 * Buffered rows: terms in one array, row after row (column_count per row;
 * kind 0 marks an unbound cell), their strings in a chain of arena chunks
 * that never move, so terms handed out stay valid until http_rows_free.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"
#include "results/results_internal.h"
#include "sparql/algebra.h"
#include "sparql/parser.h"

#define CHUNK_SIZE ((size_t)64 * 1024)

typedef struct chunk {
  struct chunk *next;
  size_t used, capacity;
  char bytes[];
} chunk;

struct http_rows {
  kz_results_kind kind;
  int boolean;
  size_t column_count;
  char **column_names;
  kz_term *terms; /* row_count * column_count */
  size_t row_count, row_capacity;
  chunk *chunks;
};

static const char *keep(http_rows *rows, const char *s) {
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  chunk *c = rows->chunks;
  if (!c || c->capacity - c->used < n) {
    size_t capacity = n > CHUNK_SIZE ? n : CHUNK_SIZE;
    chunk *fresh = malloc(sizeof *fresh + capacity);
    if (!fresh)
      return NULL;
    fresh->used = 0;
    fresh->capacity = capacity;
    fresh->next = rows->chunks;
    rows->chunks = c = fresh;
  }
  char *copy = c->bytes + c->used;
  memcpy(copy, s, n);
  c->used += n;
  return copy;
}

static kz_status nomem(kz_error *err) {
  if (err) {
    kz_error_clear(err);
    err->status = KZ_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
  }
  return KZ_ERR_NOMEM;
}

/* Appends the current row of results. */
static kz_status add_row(http_rows *rows, const kz_results *results, kz_error *err) {
  size_t columns = rows->column_count ? rows->column_count : 1;
  if (rows->row_count == rows->row_capacity) {
    size_t capacity = rows->row_capacity ? rows->row_capacity * 2 : 64;
    kz_term *grown = realloc(rows->terms, capacity * columns * sizeof *grown);
    if (!grown)
      return nomem(err);
    rows->terms = grown;
    rows->row_capacity = capacity;
  }
  kz_term *row = rows->terms + rows->row_count * columns;
  memset(row, 0, columns * sizeof *row);
  for (size_t c = 0; c < rows->column_count; c++) {
    const kz_term *t = kz_results_get_value(results, c);
    if (!t)
      continue;
    row[c].kind = t->kind;
    if (!(row[c].value = keep(rows, t->value)) || (t->language && !(row[c].language = keep(rows, t->language))) ||
        (t->datatype && !(row[c].datatype = keep(rows, t->datatype))))
      return nomem(err);
  }
  rows->row_count++;
  return KZ_OK;
}

kz_status http_rows_collect(http_rows **out, kz_results *results, size_t max_rows,
                            int *truncated, kz_error *err) {
  *out = NULL;
  *truncated = 0;
  http_rows *rows = calloc(1, sizeof *rows);
  if (!rows)
    return nomem(err);
  rows->kind = kz_results_get_kind(results);
  rows->column_count = kz_results_get_column_count(results);
  rows->column_names = calloc(rows->column_count ? rows->column_count : 1, sizeof(char *));
  if (!rows->column_names) {
    http_rows_free(rows);
    return nomem(err);
  }
  for (size_t c = 0; c < rows->column_count; c++)
    if (!(rows->column_names[c] = (char *)keep(rows, kz_results_get_column_name(results, c)))) {
      http_rows_free(rows);
      return nomem(err);
    }
  if (rows->kind == KZ_RESULTS_BOOLEAN) {
    rows->boolean = kz_results_get_boolean(results);
    *out = rows;
    return KZ_OK;
  }
  kz_status status;
  while ((status = kz_results_next(results, err)) == KZ_OK) {
    if (max_rows && rows->row_count == max_rows) {
      *truncated = 1;
      status = KZ_DONE;
      break;
    }
    if ((status = add_row(rows, results, err)) != KZ_OK)
      break;
  }
  if (status != KZ_DONE) {
    http_rows_free(rows);
    return status;
  }
  *out = rows;
  return KZ_OK;
}

void http_rows_free(http_rows *rows) {
  if (!rows)
    return;
  for (chunk *c = rows->chunks, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(rows->column_names);
  free(rows->terms);
  free(rows);
}

size_t http_rows_count(const http_rows *rows) { return rows->row_count; }

kz_results_kind http_rows_kind(const http_rows *rows) { return rows->kind; }

const kz_term *http_rows_value(const http_rows *rows, size_t i, size_t c) {
  if (i >= rows->row_count || c >= rows->column_count)
    return NULL;
  const kz_term *t = &rows->terms[i * rows->column_count + c];
  return t->kind ? t : NULL;
}

/* ---- replay ---- */

typedef struct replay {
  const http_rows *rows;
  size_t next;
} replay;

static kz_status replay_next(kz_results *results, void *impl, kz_error *err) {
  (void)err;
  replay *r = impl;
  if (r->next >= r->rows->row_count)
    return KZ_DONE;
  for (size_t c = 0; c < r->rows->column_count; c++)
    kz_results_set_value(results, c, http_rows_value(r->rows, r->next, c));
  r->next++;
  return KZ_OK;
}

static void replay_free(void *impl) { free(impl); }

static const kz_results_backend replay_backend = {replay_next, replay_free};

kz_results *http_rows_replay(const http_rows *rows) {
  replay *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->rows = rows;
  kz_results *results = kz_results_new(rows->kind, rows->column_count,
                                       (const char *const *)rows->column_names, &replay_backend, r);
  if (results && rows->kind == KZ_RESULTS_BOOLEAN)
    kz_results_set_boolean(results, rows->boolean);
  return results;
}

/* ---- FROM ---- */

void http_strings_free(char **strings, size_t count) {
  if (!strings)
    return;
  for (size_t i = 0; i < count; i++)
    free(strings[i]);
  free(strings);
}

kz_status http_query_from(char ***iris, size_t *count, const char *text, const char *source,
                          kz_error *err) {
  *iris = NULL;
  *count = 0;
  kz_ast_query *ast = NULL;
  kz_algebra *algebra = NULL;
  kz_status status = kz_sparql_parse(&ast, text, NULL, source, err);
  if (status == KZ_OK)
    status = kz_algebra_translate(&algebra, ast, source, err);
  kz_ast_free(ast);
  if (status != KZ_OK)
    return status;
  size_t n = algebra->from_count + algebra->from_named_count;
  char **list = calloc(n ? n : 1, sizeof *list);
  for (size_t i = 0; list && i < n; i++) {
    const char *iri = i < algebra->from_count ? algebra->from[i]
                                              : algebra->from_named[i - algebra->from_count];
    size_t size = strlen(iri) + 1;
    if (!(list[i] = malloc(size))) {
      http_strings_free(list, i);
      list = NULL;
      break;
    }
    memcpy(list[i], iri, size);
  }
  kz_algebra_free(algebra);
  if (!list)
    return nomem(err);
  *iris = list;
  *count = n;
  return KZ_OK;
}
