/*
 * Terms as text: the prefix table and the N-Triples and Turtle forms of IRIs,
 * blank nodes and literals. Escaping follows the N-Triples and Turtle
 * grammars: in IRIs the characters <>"{}|^`\ and controls become \uXXXX; in
 * strings quote, backslash and line breaks get their short escapes and other
 * controls \uXXXX.
 */
#include <string.h>

#include "serialize/serialize.h"

const kz_prefix kz_prefixes[] = {
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
    {"owl", "http://www.w3.org/2002/07/owl#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
    {"skos", "http://www.w3.org/2004/02/skos/core#"},
    {"dcterms", "http://purl.org/dc/terms/"},
    {"foaf", "http://xmlns.com/foaf/0.1/"},
    {"org", "http://www.w3.org/ns/org#"},
    {"prov", "http://www.w3.org/ns/prov#"},
    {"schema", "http://schema.org/"},
    {"dcat", "http://www.w3.org/ns/dcat#"},
    {"void", "http://rdfs.org/ns/void#"},
    {"sh", "http://www.w3.org/ns/shacl#"},
    {"oa", "http://www.w3.org/ns/oa#"},
    {"kz", "https://w3id.org/kizuna/ontology#"},
    {"agency", "https://w3id.org/kizuna/id/agency/"},
    {"agreement", "https://w3id.org/kizuna/id/agreement/"},
    {"committee", "https://w3id.org/kizuna/id/committee/"},
    {"cooperation", "https://w3id.org/kizuna/id/cooperation/"},
    {"country", "https://w3id.org/kizuna/id/country/"},
    {"document", "https://w3id.org/kizuna/id/document/"},
    {"domain", "https://w3id.org/kizuna/id/domain/"},
    {"event", "https://w3id.org/kizuna/id/event/"},
    {"facility", "https://w3id.org/kizuna/id/facility/"},
    {"forum", "https://w3id.org/kizuna/id/forum/"},
    {"lab", "https://w3id.org/kizuna/id/lab/"},
    {"organisation", "https://w3id.org/kizuna/id/organisation/"},
    {"person", "https://w3id.org/kizuna/id/person/"},
    {"place", "https://w3id.org/kizuna/id/place/"},
    {"project", "https://w3id.org/kizuna/id/project/"},
    {"scheme", "https://w3id.org/kizuna/id/scheme/"},
    {"series", "https://w3id.org/kizuna/id/series/"},
    {"kzid", "https://w3id.org/kizuna/id/"},
    {"kzg", "https://w3id.org/kizuna/graph/"},
    {NULL, NULL},
};

/* A Turtle local name we can write without escapes: PN_CHARS_U or digit
 * first, then letters, digits, '_', '-', '.', not ending with '.'. ASCII
 * only, to stay simple and safe. */
static int plain_local_name(const char *s) {
  if (!*s)
    return 1;
  size_t n = strlen(s);
  if (s[n - 1] == '.' || s[0] == '-' || s[0] == '.')
    return 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_' || c == '-' || c == '.'))
      return 0;
  }
  return 1;
}

const kz_prefix *kz_prefix_for(const char *iri) {
  const kz_prefix *best = NULL;
  size_t best_len = 0;
  for (const kz_prefix *p = kz_prefixes; p->prefix; p++) {
    size_t len = strlen(p->iri);
    if (len > best_len && strncmp(iri, p->iri, len) == 0 && plain_local_name(iri + len)) {
      best = p;
      best_len = len;
    }
  }
  return best;
}

const char *kz_results_prefix_for(const char *iri, const char **local_name) {
  const kz_prefix *p = iri ? kz_prefix_for(iri) : NULL;
  *local_name = p ? iri + strlen(p->iri) : NULL;
  return p ? p->prefix : NULL;
}

static void write_iri_nt(FILE *out, const char *iri) {
  fputc('<', out);
  for (const unsigned char *p = (const unsigned char *)iri; *p; p++) {
    if (*p <= 0x20 || strchr("<>\"{}|^`\\", *p))
      fprintf(out, "\\u%04X", *p);
    else
      fputc(*p, out);
  }
  fputc('>', out);
}

static void write_string_nt(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default:
      if (*p < 0x20 || *p == 0x7F)
        fprintf(out, "\\u%04X", *p);
      else
        fputc(*p, out);
    }
  }
  fputc('"', out);
}

static void write_blank(FILE *out, const char *label) {
  fputs("_:", out);
  /* Labels from other stores may hold characters N-Triples does not allow. */
  for (const unsigned char *p = (const unsigned char *)label; *p; p++) {
    int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '_' || (p != (const unsigned char *)label && *p == '-');
    if (ok)
      fputc(*p, out);
    else
      fprintf(out, "x%02X", *p);
  }
}

static void write_term(FILE *out, const kz_term *term, int turtle) {
  switch (term->kind) {
  case KZ_TERM_IRI:
    if (turtle)
      kz_write_iri_turtle(out, term->value);
    else
      write_iri_nt(out, term->value);
    return;
  case KZ_TERM_BLANK:
    write_blank(out, term->value);
    return;
  case KZ_TERM_LITERAL:
    write_string_nt(out, term->value);
    if (term->language) {
      fprintf(out, "@%s", term->language);
    } else if (term->datatype) {
      fputs("^^", out);
      if (turtle)
        kz_write_iri_turtle(out, term->datatype);
      else
        write_iri_nt(out, term->datatype);
    }
    return;
  }
}

void kz_write_term_nt(FILE *out, const kz_term *term) { write_term(out, term, 0); }

void kz_write_term_turtle(FILE *out, const kz_term *term) { write_term(out, term, 1); }

void kz_write_iri_turtle(FILE *out, const char *iri) {
  const kz_prefix *p = kz_prefix_for(iri);
  if (p)
    fprintf(out, "%s:%s", p->prefix, iri + strlen(p->iri));
  else
    write_iri_nt(out, iri);
}
