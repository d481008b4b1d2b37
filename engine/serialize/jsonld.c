/*
 * The JSON-LD writer: RDF quads as one compact JSON-LD 1.1 document,
 *
 *   { "@context": { "kz": "https://w3id.org/kizuna/ontology#", ... },
 *     "@graph": [ { "@id": "lab:x", "@type": "kz:JointLab",
 *                   "rdfs:label": {"@value": "X", "@language": "en"} },
 *                 { "@id": "kzg:reference", "@graph": [ ...its nodes... ] } ] }
 *
 * A node object must hold every statement of its subject, and quads may
 * come in any order, so the writer buffers the whole dataset and writes it
 * at finish. Terms are interned (an open-addressing table of jterm, one
 * allocation per distinct term), so a quad is four pointers and "the same
 * term" is pointer equality. At finish every term gets its written form and
 * a rank (rdf:type first, then IRIs by written form, blank nodes, literals),
 * the quads are sorted by the ranks of (graph, subject, predicate, object)
 * and duplicates dropped; the output is therefore the same whatever order
 * the quads came in. Memory: the distinct terms once, plus 32 bytes a quad.
 *
 * What is written, so that a JSON-LD processor reads back exactly the quads
 * that came in:
 *  - IRIs are compact IRIs ("kz:JointLab") with the longest prefix of
 *    kz_prefixes, unless the local part starts with "//" (the whole would
 *    read as an IRI with an authority). A prefix whose name is also the
 *    scheme of an IRI in the data ("kz:x" as a full IRI) would make that
 *    IRI read as a compact one; such a prefix is left out of the context
 *    and not used. IRIs must be absolute (they start with a scheme, so no
 *    key can look like a keyword, and no @id is resolved against a base);
 *    add refuses any other.
 *  - rdf:type with IRI or blank objects is "@type"; a literal object of
 *    rdf:type (rare, but RDF allows it) stays a "rdf:type" property.
 *  - Literals keep their lexical form: a simple string (xsd:string) is a
 *    JSON string, a language-tagged one {"@value", "@language"}, any other
 *    {"@value", "@type": datatype}; numbers and booleans are never JSON
 *    natives, so "1.50"^^xsd:decimal comes back as it went.
 *  - A named graph is a node {"@id": graph, "@graph": [...]} in the top
 *    @graph, merged with the node of the same IRI in the default graph.
 *  - Blank nodes are renamed _:b0, _:b1... in an order that depends on the
 *    data, not on the labels the store made up (see label_blanks), so the
 *    same data gives the same bytes in every run.
 *  - JSON strings escape '"', '\\' and control characters; UTF-8 passes
 *    through; a byte that is not part of valid UTF-8 becomes U+FFFD, since
 *    JSON text must be UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "serialize/serialize.h"

#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#define RDF_LANG_STRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#define XSD_STRING "http://www.w3.org/2001/XMLSchema#string"

/* An interned term. value, language and datatype share the allocation. */
typedef struct jterm {
  kz_term_kind kind;
  uint64_t hash;
  const char *language; /* NULL unless a language-tagged literal */
  const char *datatype; /* NULL for simple and language-tagged literals */
  const char *written;  /* set at finish: compact IRI, "_:label" or the value */
  char *written_owned;  /* written, when it had to be built */
  size_t rank;          /* set at finish: position in the written-form order */
  int is_type;          /* rdf:type, which sorts first so "@type" leads */
  uint64_t colour;      /* blank node relabelling: what the data says of it */
  size_t blank_index;   /* blank nodes: the N of the label _:bN written */
  char value[];
} jterm;

typedef struct jquad {
  jterm *graph; /* NULL: the default graph */
  jterm *subject;
  jterm *predicate;
  jterm *object;
} jquad;

struct kz_jsonld_writer {
  FILE *out;
  int failed;
  /* the term table: open addressing, linear probing, at most half full */
  jterm **slots;
  size_t capacity;
  /* every term, in the order first seen */
  jterm **terms;
  size_t term_count, term_capacity;
  jquad *quads;
  size_t quad_count, quad_capacity;
  /* per entry of kz_prefixes: 1 when its name is a scheme in the data */
  unsigned char *excluded;
  size_t prefix_count;
};

/* ---- terms ---- */

static int same_string(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

static uint64_t term_hash(kz_term_kind kind, const char *value, const char *language,
                          const char *datatype) {
  uint64_t h = XXH3_64bits_withSeed(value, strlen(value), (uint64_t)kind);
  if (language)
    h = XXH3_64bits_withSeed(language, strlen(language), h ^ 0x6c);
  if (datatype)
    h = XXH3_64bits_withSeed(datatype, strlen(datatype), h ^ 0x64);
  return h;
}

/* RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'.
 * Returns the length of the scheme, or 0 when s does not start with one. */
static size_t scheme_length(const char *s) {
  size_t n = 0;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
    return 0;
  for (n = 1; s[n] && s[n] != ':'; n++) {
    char c = s[n];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '-' || c == '.'))
      return 0;
  }
  return s[n] == ':' ? n : 0;
}

static int grow_table(kz_jsonld_writer *w) {
  size_t capacity = w->capacity ? w->capacity * 2 : 1024;
  jterm **slots = calloc(capacity, sizeof *slots);
  if (!slots)
    return -1;
  for (size_t i = 0; i < w->capacity; i++) {
    jterm *t = w->slots[i];
    if (!t)
      continue;
    size_t j = (size_t)t->hash & (capacity - 1);
    while (slots[j])
      j = (j + 1) & (capacity - 1);
    slots[j] = t;
  }
  free(w->slots);
  w->slots = slots;
  w->capacity = capacity;
  return 0;
}

/* The interned copy of term, NULL on out of memory. Literals are
 * normalised: xsd:string is a simple literal, and a language tag wins over
 * a datatype (which can then only be rdf:langString). */
static jterm *intern(kz_jsonld_writer *w, const kz_term *term) {
  const char *language = NULL, *datatype = NULL;
  if (term->kind == KZ_TERM_LITERAL) {
    if (term->language && *term->language)
      language = term->language;
    else if (term->datatype && strcmp(term->datatype, XSD_STRING) != 0 &&
             strcmp(term->datatype, RDF_LANG_STRING) != 0)
      datatype = term->datatype;
  }
  if ((w->term_count + 1) * 2 > w->capacity && grow_table(w) != 0)
    return NULL;
  uint64_t hash = term_hash(term->kind, term->value, language, datatype);
  size_t i = (size_t)hash & (w->capacity - 1);
  for (jterm *t; (t = w->slots[i]); i = (i + 1) & (w->capacity - 1))
    if (t->hash == hash && t->kind == term->kind && strcmp(t->value, term->value) == 0 &&
        same_string(t->language, language) && same_string(t->datatype, datatype))
      return t;
  size_t value_len = strlen(term->value) + 1;
  size_t language_len = language ? strlen(language) + 1 : 0;
  size_t datatype_len = datatype ? strlen(datatype) + 1 : 0;
  if (w->term_count == w->term_capacity) {
    size_t capacity = w->term_capacity ? w->term_capacity * 2 : 1024;
    jterm **terms = realloc(w->terms, capacity * sizeof *terms);
    if (!terms)
      return NULL;
    w->terms = terms;
    w->term_capacity = capacity;
  }
  jterm *t = malloc(sizeof *t + value_len + language_len + datatype_len);
  if (!t)
    return NULL;
  memset(t, 0, sizeof *t);
  t->kind = term->kind;
  t->hash = hash;
  char *p = t->value;
  memcpy(p, term->value, value_len);
  p += value_len;
  if (language) {
    memcpy(p, language, language_len);
    t->language = p;
    p += language_len;
  }
  if (datatype) {
    memcpy(p, datatype, datatype_len);
    t->datatype = p;
  }
  t->is_type = t->kind == KZ_TERM_IRI && strcmp(t->value, RDF_TYPE) == 0;
  w->slots[i] = t;
  w->terms[w->term_count++] = t;
  return t;
}

/* ---- the writer ---- */

kz_jsonld_writer *kz_jsonld_writer_new(FILE *out) {
  kz_jsonld_writer *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->out = out;
  while (kz_prefixes[w->prefix_count].prefix)
    w->prefix_count++;
  w->excluded = calloc(w->prefix_count + 1, 1);
  if (!w->excluded || grow_table(w) != 0) {
    free(w->excluded);
    free(w->slots);
    free(w);
    return NULL;
  }
  return w;
}

static int valid_iri(const kz_term *term) {
  return term->kind == KZ_TERM_IRI && scheme_length(term->value) > 0;
}

static int valid_node(const kz_term *term) {
  return term && (term->kind == KZ_TERM_BLANK || valid_iri(term));
}

int kz_jsonld_writer_add(kz_jsonld_writer *w, const kz_term *subject, const kz_term *predicate,
                         const kz_term *object, const kz_term *graph) {
  if (w->failed)
    return -1;
  /* What JSON-LD cannot carry: a literal or relative IRI as subject or
   * graph, anything but an absolute IRI as predicate or datatype. */
  int valid = valid_node(subject) && predicate && valid_iri(predicate) && object &&
              (object->kind != KZ_TERM_IRI || valid_iri(object)) &&
              (object->kind != KZ_TERM_LITERAL || object->language || !object->datatype ||
               scheme_length(object->datatype) > 0) &&
              (!graph || valid_node(graph));
  if (!valid)
    return -1;
  if (w->quad_count == w->quad_capacity) {
    size_t capacity = w->quad_capacity ? w->quad_capacity * 2 : 1024;
    jquad *quads = realloc(w->quads, capacity * sizeof *quads);
    if (!quads) {
      w->failed = 1;
      return -1;
    }
    w->quads = quads;
    w->quad_capacity = capacity;
  }
  jquad q = {NULL, intern(w, subject), intern(w, predicate), intern(w, object)};
  if (graph)
    q.graph = intern(w, graph);
  if (!q.subject || !q.predicate || !q.object || (graph && !q.graph)) {
    w->failed = 1;
    return -1;
  }
  w->quads[w->quad_count++] = q;
  return 0;
}

static void free_writer(kz_jsonld_writer *w) {
  for (size_t i = 0; i < w->term_count; i++) {
    free(w->terms[i]->written_owned);
    free(w->terms[i]);
  }
  free(w->terms);
  free(w->slots);
  free(w->quads);
  free(w->excluded);
  free(w);
}

/* ---- compact IRIs ---- */

/* A prefix named like the scheme of iri would turn iri, written in full,
 * into a compact IRI, unless what follows the colon is "//". */
static void exclude_scheme_of(kz_jsonld_writer *w, const char *iri) {
  size_t n = scheme_length(iri);
  if (n == 0 || strncmp(iri + n + 1, "//", 2) == 0)
    return;
  for (size_t i = 0; i < w->prefix_count; i++)
    if (strlen(kz_prefixes[i].prefix) == n && strncmp(kz_prefixes[i].prefix, iri, n) == 0)
      w->excluded[i] = 1;
}

/* The index of the prefix to write iri with, or -1 to write it in full. */
static int prefix_of(const kz_jsonld_writer *w, const char *iri) {
  int best = -1;
  size_t best_len = 0;
  for (size_t i = 0; i < w->prefix_count; i++) {
    size_t len = strlen(kz_prefixes[i].iri);
    if (!w->excluded[i] && len > best_len && strncmp(iri, kz_prefixes[i].iri, len) == 0 &&
        strncmp(iri + len, "//", 2) != 0) {
      best = (int)i;
      best_len = len;
    }
  }
  return best;
}

/* "prefix:local" or a copy of iri; caller frees. */
static char *compact_iri(const kz_jsonld_writer *w, const char *iri) {
  int p = prefix_of(w, iri);
  const char *prefix = p >= 0 ? kz_prefixes[p].prefix : "";
  const char *local = p >= 0 ? iri + strlen(kz_prefixes[p].iri) : iri;
  size_t prefix_len = strlen(prefix), local_len = strlen(local);
  char *s = malloc(prefix_len + local_len + 2);
  if (!s)
    return NULL;
  memcpy(s, prefix, prefix_len);
  if (p >= 0)
    s[prefix_len++] = ':';
  memcpy(s + prefix_len, local, local_len + 1);
  return s;
}

/* ---- ordering ---- */

static int compare_size(size_t a, size_t b) { return (a > b) - (a < b); }

/* ---- blank node labels ----
 *
 * Blank node labels are whatever the store made up, different in each
 * process; written as they are, they would change the output (and, as nodes
 * are sorted, its order) from run to run. So they are renamed _:b0, _:b1...
 * in an order that depends on the data alone: each blank node gets a
 * colour, refined round by round from the colours of the statements it is
 * in (colour refinement, as in the Weisfeiler-Leman test), until a round
 * tells no more nodes apart. Nodes of equal colour are ordered by their old
 * label; for all but contrived data such nodes are symmetric, and the output
 * is the same whichever gets which number. */

static uint64_t mix(const uint64_t *words, size_t count) {
  return XXH3_64bits(words, count * sizeof *words);
}

static int compare_colours(const void *pa, const void *pb) {
  uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
  return (a > b) - (a < b);
}

static int compare_blanks(const void *pa, const void *pb) {
  const jterm *a = *(const jterm *const *)pa, *b = *(const jterm *const *)pb;
  int c = compare_colours(&a->colour, &b->colour);
  return c ? c : strcmp(a->value, b->value);
}

static size_t distinct_colours(uint64_t *colours, size_t count) {
  qsort(colours, count, sizeof *colours, compare_colours);
  size_t distinct = count ? 1 : 0;
  for (size_t i = 1; i < count; i++)
    distinct += colours[i] != colours[i - 1];
  return distinct;
}

/* One round: each blank node's next colour from its colour and the
 * multiset (a sum of hashes) of the statements it is in, with its role. */
static void refine(const kz_jsonld_writer *w, const size_t *touching, size_t touching_count,
                   jterm **blanks, size_t blank_count, uint64_t *next) {
  memset(next, 0, blank_count * sizeof *next);
  for (size_t i = 0; i < touching_count; i++) {
    const jquad *q = &w->quads[touching[i]];
    jterm *roles[3] = {q->graph, q->subject, q->object};
    uint64_t words[5] = {q->graph ? q->graph->colour : 0, q->subject->colour, q->predicate->colour,
                         q->object->colour, 0};
    for (uint64_t role = 0; role < 3; role++) {
      if (!roles[role] || roles[role]->kind != KZ_TERM_BLANK)
        continue;
      words[4] = role + 1;
      next[roles[role]->blank_index] += mix(words, 5);
    }
  }
  for (size_t i = 0; i < blank_count; i++) {
    uint64_t words[2] = {blanks[i]->colour, next[i]};
    next[i] = mix(words, 2);
  }
}

static int label_blanks(kz_jsonld_writer *w) {
  size_t blank_count = 0, touching_count = 0;
  for (size_t i = 0; i < w->term_count; i++) {
    jterm *t = w->terms[i];
    t->colour = t->kind == KZ_TERM_BLANK ? 0x626c616e6bULL : t->hash;
    if (t->kind == KZ_TERM_BLANK)
      t->blank_index = blank_count++;
  }
  if (!blank_count)
    return 0;
  for (size_t i = 0; i < w->quad_count; i++) {
    const jquad *q = &w->quads[i];
    touching_count += q->subject->kind == KZ_TERM_BLANK || q->object->kind == KZ_TERM_BLANK ||
                      (q->graph && q->graph->kind == KZ_TERM_BLANK);
  }
  jterm **blanks = malloc(blank_count * sizeof *blanks);
  uint64_t *next = malloc(blank_count * sizeof *next);
  uint64_t *scratch = malloc(blank_count * sizeof *scratch);
  size_t *touching = malloc((touching_count ? touching_count : 1) * sizeof *touching);
  int rc = blanks && next && scratch && touching ? 0 : -1;
  if (rc == 0) {
    for (size_t i = 0, n = 0; i < w->term_count; i++)
      if (w->terms[i]->kind == KZ_TERM_BLANK)
        blanks[n++] = w->terms[i];
    for (size_t i = 0, n = 0; i < w->quad_count; i++) {
      const jquad *q = &w->quads[i];
      if (q->subject->kind == KZ_TERM_BLANK || q->object->kind == KZ_TERM_BLANK ||
          (q->graph && q->graph->kind == KZ_TERM_BLANK))
        touching[n++] = i;
    }
    size_t distinct = 1;
    /* Each round that tells nodes apart adds a colour, so this ends; the
     * bound is only a guard. */
    for (size_t round = 0; round < blank_count + 1 && distinct < blank_count; round++) {
      refine(w, touching, touching_count, blanks, blank_count, next);
      memcpy(scratch, next, blank_count * sizeof *scratch);
      size_t now = distinct_colours(scratch, blank_count);
      for (size_t i = 0; i < blank_count; i++)
        blanks[i]->colour = next[i];
      if (now <= distinct)
        break;
      distinct = now;
    }
    qsort(blanks, blank_count, sizeof *blanks, compare_blanks);
  }
  for (size_t i = 0; rc == 0 && i < blank_count; i++) {
    char label[32];
    int n = snprintf(label, sizeof label, "_:b%zu", i);
    blanks[i]->blank_index = i;
    if (!(blanks[i]->written = blanks[i]->written_owned = malloc((size_t)n + 1)))
      rc = -1;
    else
      memcpy(blanks[i]->written_owned, label, (size_t)n + 1);
  }
  free(blanks);
  free(next);
  free(scratch);
  free(touching);
  return rc;
}

static int compare_optional(const char *a, const char *b) {
  if (!a || !b)
    return (a != NULL) - (b != NULL);
  return strcmp(a, b);
}

/* rdf:type first, then IRIs, blank nodes (by number), literals. */
static int compare_terms(const void *pa, const void *pb) {
  const jterm *a = *(const jterm *const *)pa, *b = *(const jterm *const *)pb;
  int c = b->is_type - a->is_type;
  if (c == 0)
    c = (int)a->kind - (int)b->kind;
  if (c == 0 && a->kind == KZ_TERM_BLANK)
    return compare_size(a->blank_index, b->blank_index);
  if (c == 0)
    c = strcmp(a->written, b->written);
  if (c == 0)
    c = strcmp(a->value, b->value);
  if (c == 0)
    c = compare_optional(a->language, b->language);
  if (c == 0)
    c = compare_optional(a->datatype, b->datatype);
  return c;
}

static int compare_quads(const void *pa, const void *pb) {
  const jquad *a = pa, *b = pb;
  int c = compare_size(a->graph ? a->graph->rank + 1 : 0, b->graph ? b->graph->rank + 1 : 0);
  if (c == 0)
    c = compare_size(a->subject->rank, b->subject->rank);
  if (c == 0)
    c = compare_size(a->predicate->rank, b->predicate->rank);
  if (c == 0)
    c = compare_size(a->object->rank, b->object->rank);
  return c;
}

/* Written forms, ranks, then the quads in order without duplicates. */
static int prepare(kz_jsonld_writer *w) {
  for (size_t i = 0; i < w->term_count; i++) {
    const jterm *t = w->terms[i];
    if (t->kind == KZ_TERM_IRI)
      exclude_scheme_of(w, t->value);
    else if (t->datatype)
      exclude_scheme_of(w, t->datatype);
  }
  for (size_t i = 0; i < w->term_count; i++) {
    jterm *t = w->terms[i];
    if (t->kind == KZ_TERM_IRI) {
      if (!(t->written = t->written_owned = compact_iri(w, t->value)))
        return -1;
    } else if (t->kind == KZ_TERM_LITERAL) {
      t->written = t->value;
    }
  }
  if (label_blanks(w) != 0)
    return -1;
  if (!w->quad_count)
    return 0; /* and no terms: nothing to sort (memcpy and qsort take no NULL) */
  jterm **sorted = malloc(w->term_count * sizeof *sorted);
  if (!sorted)
    return -1;
  memcpy(sorted, w->terms, w->term_count * sizeof *sorted);
  qsort(sorted, w->term_count, sizeof *sorted, compare_terms);
  for (size_t i = 0; i < w->term_count; i++)
    sorted[i]->rank = i;
  free(sorted);
  qsort(w->quads, w->quad_count, sizeof *w->quads, compare_quads);
  size_t kept = 0;
  for (size_t i = 0; i < w->quad_count; i++)
    if (kept == 0 || memcmp(&w->quads[kept - 1], &w->quads[i], sizeof w->quads[i]) != 0)
      w->quads[kept++] = w->quads[i];
  w->quad_count = kept;
  return 0;
}

/* ---- JSON output ---- */

/* The length of the valid UTF-8 sequence at s (2 to 4), or 0. */
static size_t utf8_sequence(const unsigned char *s) {
  uint32_t c;
  size_t n;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    c = s[0] & 0x1F;
    n = 2;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    c = s[0] & 0x0F;
    n = 3;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    c = s[0] & 0x07;
    n = 4;
  } else {
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  /* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
  if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || (c >= 0xD800 && c <= 0xDFFF) ||
      c > 0x10FFFF)
    return 0;
  return n;
}

/* The characters of s as the inside of a JSON string. */
static void json_chars(FILE *out, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned char c = *p;
    if (c >= 0x80) {
      size_t n = utf8_sequence(p);
      if (n) {
        fwrite(p, 1, n, out);
        p += n;
      } else {
        fputs("\\ufffd", out);
        p++;
      }
      continue;
    }
    switch (c) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\b': fputs("\\b", out); break;
    case '\f': fputs("\\f", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default:
      if (c < 0x20 || c == 0x7F)
        fprintf(out, "\\u%04x", c);
      else
        fputc(c, out);
    }
    p++;
  }
}

static void json_string(FILE *out, const char *s) {
  fputc('"', out);
  json_chars(out, s);
  fputc('"', out);
}

static void indent(FILE *out, int depth) {
  for (int i = 0; i < depth; i++)
    fputs("  ", out);
}

/* A key line opener: ",\n" between entries, then the indentation. */
static void key(FILE *out, int depth, int *first, const char *name) {
  fputs(*first ? "\n" : ",\n", out);
  *first = 0;
  indent(out, depth);
  json_string(out, name);
  fputs(": ", out);
}

static void write_value(const kz_jsonld_writer *w, const jterm *o) {
  FILE *out = w->out;
  if (o->kind != KZ_TERM_LITERAL) {
    fputs("{\"@id\": ", out);
    json_string(out, o->written);
    fputc('}', out);
  } else if (o->language) {
    fputs("{\"@value\": ", out);
    json_string(out, o->value);
    fputs(", \"@language\": ", out);
    json_string(out, o->language);
    fputc('}', out);
  } else if (o->datatype) {
    fputs("{\"@value\": ", out);
    json_string(out, o->value);
    fputs(", \"@type\": ", out);
    int p = prefix_of(w, o->datatype);
    fputc('"', out);
    if (p >= 0) {
      json_chars(out, kz_prefixes[p].prefix);
      fputc(':', out);
      json_chars(out, o->datatype + strlen(kz_prefixes[p].iri));
    } else {
      json_chars(out, o->datatype);
    }
    fputs("\"}", out);
  } else {
    json_string(out, o->value);
  }
}

/* The "@type" entry from the IRI and blank objects of quads[from, to), all
 * rdf:type statements of one subject. */
static void write_types(const kz_jsonld_writer *w, const jquad *quads, size_t from, size_t to,
                        int depth, int *first) {
  size_t count = 0;
  for (size_t i = from; i < to; i++)
    count += quads[i].object->kind != KZ_TERM_LITERAL;
  if (!count)
    return;
  key(w->out, depth, first, "@type");
  if (count > 1)
    fputc('[', w->out);
  size_t written = 0;
  for (size_t i = from; i < to; i++) {
    if (quads[i].object->kind == KZ_TERM_LITERAL)
      continue;
    if (written++)
      fputs(", ", w->out);
    json_string(w->out, quads[i].object->written);
  }
  if (count > 1)
    fputc(']', w->out);
}

/* One property: its values in quads[from, to), literals only if
 * literals_only (for the literal objects of rdf:type). */
static void write_property(const kz_jsonld_writer *w, const jquad *quads, size_t from, size_t to,
                           int literals_only, int depth, int *first) {
  size_t count = 0;
  for (size_t i = from; i < to; i++)
    count += !literals_only || quads[i].object->kind == KZ_TERM_LITERAL;
  if (!count)
    return;
  key(w->out, depth, first, quads[from].predicate->written);
  if (count > 1)
    fputc('[', w->out);
  size_t written = 0;
  for (size_t i = from; i < to; i++) {
    if (literals_only && quads[i].object->kind != KZ_TERM_LITERAL)
      continue;
    if (count > 1) {
      fputs(written++ ? ",\n" : "\n", w->out);
      indent(w->out, depth + 1);
    }
    write_value(w, quads[i].object);
  }
  if (count > 1) {
    fputc('\n', w->out);
    indent(w->out, depth);
    fputc(']', w->out);
  }
}

/* The statements of one subject: quads[from, to), sorted by predicate. */
static void write_properties(const kz_jsonld_writer *w, const jquad *quads, size_t from, size_t to,
                             int depth, int *first) {
  for (size_t i = from; i < to;) {
    size_t end = i;
    while (end < to && quads[end].predicate == quads[i].predicate)
      end++;
    if (quads[i].predicate->is_type) {
      write_types(w, quads, i, end, depth, first);
      write_property(w, quads, i, end, 1, depth, first);
    } else {
      write_property(w, quads, i, end, 0, depth, first);
    }
    i = end;
  }
}

static size_t subject_run_end(const jquad *quads, size_t from, size_t to) {
  size_t end = from;
  while (end < to && quads[end].subject == quads[from].subject)
    end++;
  return end;
}

static size_t graph_run_end(const jquad *quads, size_t from, size_t to) {
  size_t end = from;
  while (end < to && quads[end].graph == quads[from].graph)
    end++;
  return end;
}

static void open_node(FILE *out, const jterm *id, int depth, size_t index, int *first) {
  fputs(index ? ",\n" : "\n", out);
  indent(out, depth);
  fputc('{', out);
  *first = 1;
  key(out, depth + 1, first, "@id");
  json_string(out, id->written);
}

static void close_node(FILE *out, int depth) {
  fputc('\n', out);
  indent(out, depth);
  fputc('}', out);
}

/* The node objects of the quads [from, to) of one named graph, one per
 * subject, in order. */
static void write_nodes(const kz_jsonld_writer *w, size_t from, size_t to, int depth) {
  size_t index = 0;
  for (size_t i = from; i < to; index++) {
    size_t end = subject_run_end(w->quads, i, to);
    int first;
    open_node(w->out, w->quads[i].subject, depth, index, &first);
    write_properties(w, w->quads, i, end, depth + 1, &first);
    close_node(w->out, depth);
    i = end;
  }
}

/* The top @graph: the subjects of the default graph and the named graphs,
 * merged in rank order; a graph name that is also a default-graph subject
 * is one node with its properties and its "@graph". */
static void write_top(const kz_jsonld_writer *w) {
  FILE *out = w->out;
  size_t defaults_end = 0;
  while (defaults_end < w->quad_count && !w->quads[defaults_end].graph)
    defaults_end++;
  size_t s = 0, g = defaults_end, index = 0;
  while (s < defaults_end || g < w->quad_count) {
    const jterm *subject = s < defaults_end ? w->quads[s].subject : NULL;
    const jterm *graph = g < w->quad_count ? w->quads[g].graph : NULL;
    int take_subject = subject && (!graph || subject->rank <= graph->rank);
    int take_graph = graph && (!subject || graph->rank <= subject->rank);
    int first;
    open_node(out, take_subject ? subject : graph, 2, index++, &first);
    if (take_subject) {
      size_t end = subject_run_end(w->quads, s, defaults_end);
      write_properties(w, w->quads, s, end, 3, &first);
      s = end;
    }
    if (take_graph) {
      size_t end = graph_run_end(w->quads, g, w->quad_count);
      key(out, 3, &first, "@graph");
      fputc('[', out);
      write_nodes(w, g, end, 4);
      fputc('\n', out);
      indent(out, 3);
      fputc(']', out);
      g = end;
    }
    close_node(out, 2);
  }
}

static void write_document(const kz_jsonld_writer *w) {
  FILE *out = w->out;
  fputs("{\n  \"@context\": {", out);
  int first = 1;
  for (size_t i = 0; i < w->prefix_count; i++) {
    if (w->excluded[i])
      continue;
    key(out, 2, &first, kz_prefixes[i].prefix);
    json_string(out, kz_prefixes[i].iri);
  }
  fputs(first ? "},\n" : "\n  },\n", out);
  fputs("  \"@graph\": [", out);
  write_top(w);
  fputs(w->quad_count ? "\n  ]\n}\n" : "]\n}\n", out);
}

int kz_jsonld_writer_finish(kz_jsonld_writer *w) {
  if (!w)
    return 0;
  int rc = w->failed ? -1 : prepare(w);
  if (rc == 0) {
    write_document(w);
    if (ferror(w->out))
      rc = -1;
  }
  free_writer(w);
  return rc;
}
