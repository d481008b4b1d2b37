/*
 * Buffered results (kz_results_buffer): an answer read into memory, then
 * replayed as a kz_results of its own, from the first row, as often as the
 * caller rewinds it. A server reads an answer to its end before writing a
 * byte, so that an answer that fails half-way (a timeout, an error) gets
 * its own status instead of a cut body; it can then write the same rows in
 * several formats.
 *
 * The data structure: the cells of every row in one array, row after row
 * (column_count cells per row; kind 0 marks an unbound cell), and their
 * strings copied into a chain of arena chunks that never move, so that a
 * term handed out stays valid until the buffered results are freed, not
 * only until the next row. The buffer is the results' backend (see
 * results_internal.h): it owns everything and depends on nothing of the
 * results, query or store it was read from.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "results/results_internal.h"

#define CHUNK_SIZE ((size_t)64 * 1024)

typedef struct chunk {
  struct chunk *next;
  size_t used, capacity;
  char bytes[];
} chunk;

typedef struct buffer {
  size_t column_count;
  kz_term *cells; /* row_count * column_count (at least one per row) */
  size_t row_count, row_capacity;
  size_t next_row; /* the row the next kz_results_next hands out */
  chunk *chunks;
} buffer;

static void buffer_free(void *impl) {
  buffer *b = impl;
  if (!b)
    return;
  for (chunk *c = b->chunks, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(b->cells);
  free(b);
}

/* A copy of s in the arena; NULL for NULL or on out of memory (*failed). */
static const char *keep(buffer *b, const char *s, int *failed) {
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  chunk *c = b->chunks;
  if (!c || c->capacity - c->used < n) {
    size_t capacity = n > CHUNK_SIZE ? n : CHUNK_SIZE;
    chunk *fresh = malloc(sizeof *fresh + capacity);
    if (!fresh) {
      *failed = 1;
      return NULL;
    }
    fresh->used = 0;
    fresh->capacity = capacity;
    fresh->next = b->chunks;
    b->chunks = c = fresh;
  }
  char *copy = c->bytes + c->used;
  memcpy(copy, s, n);
  c->used += n;
  return copy;
}

static size_t row_width(const buffer *b) { return b->column_count ? b->column_count : 1; }

/* Appends the current row of results. */
static kz_status add_row(buffer *b, const kz_results *results, kz_error *err) {
  size_t width = row_width(b);
  if (b->row_count == b->row_capacity) {
    size_t capacity = b->row_capacity ? b->row_capacity * 2 : 64;
    kz_term *grown = realloc(b->cells, capacity * width * sizeof *grown);
    if (!grown)
      return kz_fail(err, KZ_ERR_NOMEM, "results", 0, 0, "out of memory");
    b->cells = grown;
    b->row_capacity = capacity;
  }
  kz_term *row = b->cells + b->row_count * width;
  memset(row, 0, width * sizeof *row);
  int failed = 0;
  for (size_t c = 0; c < b->column_count; c++) {
    const kz_term *t = kz_results_get_value(results, c);
    if (!t)
      continue;
    row[c].kind = t->kind;
    row[c].value = keep(b, t->value ? t->value : "", &failed);
    row[c].language = keep(b, t->language, &failed);
    row[c].datatype = keep(b, t->datatype, &failed);
  }
  if (failed)
    return kz_fail(err, KZ_ERR_NOMEM, "results", 0, 0, "out of memory");
  b->row_count++;
  return KZ_OK;
}

static kz_status buffer_next(kz_results *results, void *impl, kz_error *err) {
  (void)err;
  buffer *b = impl;
  if (b->next_row >= b->row_count)
    return KZ_DONE;
  const kz_term *row = b->cells + b->next_row * row_width(b);
  for (size_t c = 0; c < b->column_count; c++)
    kz_results_set_value(results, c, row[c].kind ? &row[c] : NULL);
  b->next_row++;
  return KZ_OK;
}

static const kz_results_backend buffer_backend = {buffer_next, buffer_free};

kz_status kz_results_buffer(kz_results **buffered, kz_results *results, size_t max_rows,
                            int *truncated, kz_error *err) {
  *buffered = NULL;
  if (truncated)
    *truncated = 0;
  if (!results)
    return kz_fail(err, KZ_ERR_ARGUMENT, "results", 0, 0, "no results to buffer");
  buffer *b = calloc(1, sizeof *b);
  if (!b)
    return kz_fail(err, KZ_ERR_NOMEM, "results", 0, 0, "out of memory");
  kz_results_kind kind = kz_results_get_kind(results);
  b->column_count = kz_results_get_column_count(results);
  const char **names = calloc(row_width(b), sizeof *names);
  if (!names) {
    buffer_free(b);
    return kz_fail(err, KZ_ERR_NOMEM, "results", 0, 0, "out of memory");
  }
  for (size_t c = 0; c < b->column_count; c++)
    names[c] = kz_results_get_column_name(results, c);
  /* takes b, even on failure */
  kz_results *copy = kz_results_new(kind, b->column_count, names, &buffer_backend, b);
  free(names);
  if (!copy)
    return kz_fail(err, KZ_ERR_NOMEM, "results", 0, 0, "out of memory");
  if (kind == KZ_RESULTS_BOOLEAN) {
    kz_results_set_boolean(copy, kz_results_get_boolean(results));
    *buffered = copy;
    return KZ_OK;
  }
  kz_status status;
  while ((status = kz_results_next(results, err)) == KZ_OK) {
    /* one row past the limit says whether any was left */
    if (max_rows && b->row_count == max_rows) {
      if (truncated)
        *truncated = 1;
      status = KZ_DONE;
      break;
    }
    if ((status = add_row(b, results, err)) != KZ_OK)
      break;
  }
  if (status != KZ_DONE) {
    kz_results_free(copy);
    return status;
  }
  *buffered = copy;
  return KZ_OK;
}

kz_status kz_results_rewind(kz_results *results, kz_error *err) {
  buffer *b = results ? kz_results_get_impl(results, &buffer_backend) : NULL;
  if (!b)
    return kz_fail(err, KZ_ERR_UNSUPPORTED, "results", 0, 0,
                   "only buffered results (kz_results_buffer) can be rewound");
  b->next_row = 0;
  for (size_t c = 0; c < b->column_count; c++)
    kz_results_set_value(results, c, NULL);
  return KZ_OK;
}
