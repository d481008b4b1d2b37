/*
 * Query strings and form bodies (application/x-www-form-urlencoded): pairs
 * NAME=VALUE separated by '&', percent-encoded, '+' for a space. Decoding is
 * strict, because a query that arrives damaged must be refused rather than
 * run: a '%' not followed by two hex digits, a decoded NUL byte, or bytes
 * that are not UTF-8 make the whole text invalid (400). Pairs keep their
 * order, and a name may repeat (default-graph-uri, named-graph-uri).
 */
#include <stdlib.h>
#include <string.h>

/* core/text.h: the one percent decoder of the project, shared with the
 * query module (FROM paths); a text utility, not a library internal. */
#include "core/text.h"
#include "http/http_internal.h"

/* Decodes text[0..size) into a new string; NULL with *problem set. */
static char *decode(const char *text, size_t size, const char **problem) {
  char *out = kz_percent_decode(text, size, KZ_DECODE_FORM | KZ_DECODE_STRICT, problem);
  if (out && !http_utf8_valid(out, strlen(out))) {
    free(out);
    *problem = "text that is not UTF-8";
    return NULL;
  }
  return out;
}

int http_params_parse(http_params *params, const char *text, size_t size, const char **problem) {
  size_t start = 0;
  while (start <= size) {
    size_t end = start;
    while (end < size && text[end] != '&')
      end++;
    if (end > start) {
      size_t eq = start;
      while (eq < end && text[eq] != '=')
        eq++;
      http_param pair = {decode(text + start, eq - start, problem), NULL};
      if (pair.name)
        pair.value = eq < end ? decode(text + eq + 1, end - eq - 1, problem) : decode("", 0, problem);
      http_param *grown = pair.name && pair.value
          ? realloc(params->items, (params->count + 1) * sizeof *grown) : NULL;
      if (!grown) {
        if (pair.name && pair.value)
          *problem = "out of memory";
        free(pair.name);
        free(pair.value);
        return -1;
      }
      params->items = grown;
      params->items[params->count++] = pair;
    }
    start = end + 1;
  }
  return 0;
}

const char *http_params_get(const http_params *params, const char *name) {
  for (size_t i = 0; i < params->count; i++)
    if (strcmp(params->items[i].name, name) == 0)
      return params->items[i].value;
  return NULL;
}

size_t http_params_count(const http_params *params, const char *name) {
  size_t n = 0;
  for (size_t i = 0; i < params->count; i++)
    n += strcmp(params->items[i].name, name) == 0;
  return n;
}

void http_params_clear(http_params *params) {
  for (size_t i = 0; i < params->count; i++) {
    free(params->items[i].name);
    free(params->items[i].value);
  }
  free(params->items);
  params->items = NULL;
  params->count = 0;
}
