/*
 * Growable strings for building replies, with the escapes the server needs:
 * JSON strings and HTML text. An http_buf that fails to grow remembers it
 * (failed) and ignores later appends, so builders check once at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"

static int reserve(http_buf *b, size_t more) {
  if (b->failed)
    return -1;
  if (b->size + more + 1 <= b->capacity)
    return 0;
  size_t capacity = b->capacity ? b->capacity : 256;
  while (capacity < b->size + more + 1)
    capacity *= 2;
  char *grown = realloc(b->data, capacity);
  if (!grown) {
    b->failed = 1;
    return -1;
  }
  b->data = grown;
  b->capacity = capacity;
  return 0;
}

void http_buf_add(http_buf *b, const char *bytes, size_t size) {
  if (reserve(b, size) != 0)
    return;
  memcpy(b->data + b->size, bytes, size);
  b->size += size;
  b->data[b->size] = '\0';
}

void http_buf_puts(http_buf *b, const char *s) { http_buf_add(b, s, strlen(s)); }

void http_buf_printf(http_buf *b, const char *format, ...) {
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  int n = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (n >= 0 && reserve(b, (size_t)n) == 0) {
    vsnprintf(b->data + b->size, (size_t)n + 1, format, again);
    b->size += (size_t)n;
  }
  va_end(again);
}

void http_buf_json(http_buf *b, const char *s) {
  http_buf_add(b, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
    switch (*p) {
    case '"': http_buf_puts(b, "\\\""); break;
    case '\\': http_buf_puts(b, "\\\\"); break;
    case '\n': http_buf_puts(b, "\\n"); break;
    case '\r': http_buf_puts(b, "\\r"); break;
    case '\t': http_buf_puts(b, "\\t"); break;
    default:
      if (*p < 0x20)
        http_buf_printf(b, "\\u%04x", *p);
      else
        http_buf_add(b, (const char *)p, 1);
    }
  }
  http_buf_add(b, "\"", 1);
}

void http_buf_html(http_buf *b, const char *s) {
  for (const char *p = s; p && *p; p++) {
    switch (*p) {
    case '<': http_buf_puts(b, "&lt;"); break;
    case '>': http_buf_puts(b, "&gt;"); break;
    case '&': http_buf_puts(b, "&amp;"); break;
    case '"': http_buf_puts(b, "&quot;"); break;
    case '\'': http_buf_puts(b, "&#39;"); break;
    default: http_buf_add(b, p, 1);
    }
  }
}

char *http_buf_take(http_buf *b, size_t *size) {
  if (b->failed) {
    http_buf_clear(b);
    return NULL;
  }
  if (!b->data && reserve(b, 0) == 0)
    b->data[0] = '\0';
  char *data = b->data;
  if (size)
    *size = b->size;
  memset(b, 0, sizeof *b);
  return data;
}

void http_buf_clear(http_buf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

int http_utf8_valid(const char *s, size_t size) {
  const unsigned char *p = (const unsigned char *)s, *end = p + size;
  while (p < end) {
    unsigned c = *p;
    size_t n;
    unsigned min;
    if (c < 0x80) {
      p++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, min = 0x10000, c &= 0x07;
    } else {
      return 0;
    }
    if ((size_t)(end - p) <= n)
      return 0;
    for (size_t i = 1; i <= n; i++) {
      if ((p[i] & 0xC0) != 0x80)
        return 0;
      c = (c << 6) | (p[i] & 0x3F);
    }
    /* no overlong forms, no surrogates, nothing past U+10FFFF */
    if (c < min || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
      return 0;
    p += n + 1;
  }
  return 1;
}

void http_strings_free(char **strings, size_t count) {
  if (!strings)
    return;
  for (size_t i = 0; i < count; i++)
    free(strings[i]);
  free(strings);
}
