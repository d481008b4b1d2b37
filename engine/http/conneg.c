/*
 * Content negotiation (RFC 9110, section 12.5.1). The Accept header is a
 * list of media ranges, each with an optional q-value, such as
 * "text/turtle;q=0.9, application/ld+json". A range names a type and a
 * subtype, or uses the wildcard '*' for any subtype of a type, or for
 * anything at all. For each representation the server can make, the most
 * specific range that matches it (exact, then any subtype, then anything)
 * gives its quality; the representation with the highest
 * quality above 0 wins, and on a tie the server's order decides (offers
 * come in order of preference). Parameters other than q are ignored for
 * matching, and malformed ranges are skipped rather than failing the
 * request.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http_internal.h"

/* One media range: type and subtype ("*" for a wildcard), its quality in
 * thousandths, and how specific it is (0: anything, 1: any subtype, 2:
 * exact). */
typedef struct range {
  char type[64];
  char subtype[96];
  int quality;
  int specificity;
} range;

static const char *skip_space(const char *p) {
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* A q-value "0", "0.5", "1", "1.000" in thousandths; -1 if malformed. */
static int parse_quality(const char *p, size_t n) {
  if (n == 0 || (p[0] != '0' && p[0] != '1'))
    return -1;
  int value = (p[0] - '0') * 1000;
  if (n == 1)
    return value;
  if (p[1] != '.' || n > 5)
    return -1;
  int scale = 100;
  for (size_t i = 2; i < n; i++, scale /= 10) {
    if (!isdigit((unsigned char)p[i]))
      return -1;
    value += (p[i] - '0') * scale;
  }
  return value > 1000 ? -1 : value;
}

/* Parses one range from text[0..n); 0 on success. */
static int parse_range(const char *text, size_t n, range *r) {
  const char *p = text, *end = text + n;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  const char *slash = memchr(p, '/', (size_t)(end - p));
  if (!slash)
    return -1;
  const char *sub = slash + 1, *sub_end = sub;
  while (sub_end < end && *sub_end != ';' && *sub_end != ' ' && *sub_end != '\t')
    sub_end++;
  size_t type_len = (size_t)(slash - p), sub_len = (size_t)(sub_end - sub);
  if (!type_len || !sub_len || type_len >= sizeof r->type || sub_len >= sizeof r->subtype)
    return -1;
  memcpy(r->type, p, type_len);
  r->type[type_len] = '\0';
  memcpy(r->subtype, sub, sub_len);
  r->subtype[sub_len] = '\0';
  int any_type = strcmp(r->type, "*") == 0, any_sub = strcmp(r->subtype, "*") == 0;
  if (any_type && !any_sub)
    return -1; /* a wildcard type needs a wildcard subtype */
  r->specificity = any_type ? 0 : any_sub ? 1 : 2;
  r->quality = 1000;
  /* parameters: ;name=value, q among them */
  const char *q = sub_end;
  while (q < end) {
    q = skip_space(q);
    if (q >= end)
      break;
    if (*q != ';')
      return -1;
    q = skip_space(q + 1);
    const char *param_end = q;
    while (param_end < end && *param_end != ';')
      param_end++;
    if (param_end - q >= 2 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
      const char *v = q + 2, *v_end = param_end;
      while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t'))
        v_end--;
      r->quality = parse_quality(v, (size_t)(v_end - v));
      if (r->quality < 0)
        return -1;
    }
    q = param_end;
  }
  return 0;
}

/* Whether range r matches the media type "type/subtype". */
static int matches(const range *r, const char *media_type) {
  if (r->specificity == 0)
    return 1;
  const char *slash = strchr(media_type, '/');
  size_t type_len = (size_t)(slash - media_type);
  if (strlen(r->type) != type_len || strncasecmp(r->type, media_type, type_len) != 0)
    return 0;
  return r->specificity == 1 || strcasecmp(r->subtype, slash + 1) == 0;
}

int http_negotiate(const char *accept, const http_offer *offers, size_t count) {
  if (!count)
    return -1;
  if (!accept || !*skip_space(accept))
    return 0;
  /* The quality of each offer: from its most specific matching range. */
  int quality[HTTP_MAX_OFFERS * 2];
  int specificity[HTTP_MAX_OFFERS * 2];
  if (count > sizeof quality / sizeof quality[0])
    count = sizeof quality / sizeof quality[0];
  for (size_t i = 0; i < count; i++)
    quality[i] = 0, specificity[i] = -1;
  int parsed = 0;
  for (const char *p = accept; *p;) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    range r;
    if (parse_range(p, n, &r) == 0) {
      parsed++;
      for (size_t i = 0; i < count; i++)
        if (matches(&r, offers[i].media_type) &&
            (r.specificity > specificity[i] ||
             (r.specificity == specificity[i] && r.quality > quality[i]))) {
          specificity[i] = r.specificity;
          quality[i] = r.quality;
        }
    }
    p += n + (comma != NULL);
  }
  if (!parsed)
    return 0; /* nothing usable in the header: as if there were none */
  int best = -1;
  for (size_t i = 0; i < count; i++)
    if (quality[i] > 0 && (best < 0 || quality[i] > quality[best]))
      best = (int)i;
  return best;
}

size_t http_offers_bindings(http_offer *out, size_t capacity) {
  static const http_offer offers[] = {
      {"application/sparql-results+json", "json"},
      {"application/sparql-results+xml", "xml"},
      {"text/csv", "csv"},
      {"text/tab-separated-values", "tsv"},
      /* what generic clients ask for */
      {"application/json", "json"},
      {"application/xml", "xml"},
  };
  size_t n = sizeof offers / sizeof offers[0];
  n = n < capacity ? n : capacity;
  memcpy(out, offers, n * sizeof *out);
  return n;
}

size_t http_offers_graph(http_offer *out, size_t capacity, int jsonld) {
  static const http_offer offers[] = {
      {"text/turtle", "turtle"},
      {"application/n-triples", "ntriples"},
      {"application/ld+json", "jsonld"},
      {"application/rdf+xml", "rdfxml"},
      {"application/n-quads", "nquads"},
  };
  size_t n = 0;
  for (size_t i = 0; i < sizeof offers / sizeof offers[0] && n < capacity; i++)
    if (jsonld || strcmp(offers[i].format, "jsonld") != 0)
      out[n++] = offers[i];
  return n;
}

const char *http_content_type(const char *media_type) {
  static const struct {
    const char *media_type;
    const char *content_type;
  } text_types[] = {
      {"text/csv", "text/csv; charset=utf-8"},
      {"text/tab-separated-values", "text/tab-separated-values; charset=utf-8"},
      {"text/turtle", "text/turtle; charset=utf-8"},
      {"text/html", "text/html; charset=utf-8"},
      {"text/plain", "text/plain; charset=utf-8"},
      {"text/css", "text/css; charset=utf-8"},
      {"text/javascript", "text/javascript; charset=utf-8"},
  };
  for (size_t i = 0; i < sizeof text_types / sizeof text_types[0]; i++)
    if (strcmp(media_type, text_types[i].media_type) == 0)
      return text_types[i].content_type;
  return media_type;
}
