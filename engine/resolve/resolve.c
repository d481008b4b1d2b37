/*
 * Name resolution. The labels of every resource of the wanted class are
 * read from the store and compared with the name as keys: lower-case
 * ASCII letters and digits only (other ASCII dropped, non-ASCII bytes kept),
 * without a leading "the". Equal keys are an exact match. Otherwise each
 * label scores the larger of its edit-distance similarity and, when one key
 * contains the other, a containment score; a resource scores its best label.
 *
 * The store is read through its quad index (kz_store_get_index), by term
 * IDs: the members of the class are one range scan of (?, rdf:type, class),
 * each label property one scan of (?, property, ?). Nothing goes through
 * librdf, whose node and URI constructors share the world's tables without
 * locks: like query evaluation, resolution only reads the flushed index, so
 * it may run in several threads at once while nothing writes to the store
 * (the index is flushed, or a non-kizuna store's snapshot built, by the
 * first read; the HTTP server does one before its threads start).
 *
 * A kz_resolution owns copies of everything it hands out (the name, the
 * IRIs, the labels), so it outlives the store's index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/internal.h"
#include "kizuna/resolve.h"
#include "store/store_internal.h"

#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#define RDFS_LABEL "http://www.w3.org/2000/01/rdf-schema#label"
#define SKOS_PREF_LABEL "http://www.w3.org/2004/02/skos/core#prefLabel"
#define SKOS_ALT_LABEL "http://www.w3.org/2004/02/skos/core#altLabel"

#define EXACT 2.0   /* the score of an exact match (fuzzy ones are at most 1) */
#define ACCEPT 0.75 /* a fuzzy match must score at least this... */
#define MARGIN 0.05 /* ...and beat every other resource by this much */
#define SUGGEST 0.4 /* candidates worth naming in an error */

/* One label of one resource, scored against the name. IDs of the index. */
typedef struct scored {
  const char *iri;   /* the resource's, borrowed from the index */
  const char *label; /* borrowed from the index */
  int property;      /* index in label_properties: rdfs:label first */
  double score;
} scored;

typedef struct resolution_candidate {
  char *iri;
  char *label; /* NULL for an IRI given as it is */
} resolution_candidate;

struct kz_resolution {
  kz_status status; /* KZ_OK, KZ_ERR_NOT_FOUND or KZ_ERR_AMBIGUOUS */
  char *name;
  char *what;
  resolution_candidate *candidates;
  size_t count;
};

/* The comparison key of a name. Caller frees. */
static char *name_key(const char *name) {
  while (*name == ' ')
    name++;
  if (strncasecmp(name, "the ", 4) == 0)
    name += 4;
  char *key = malloc(3 * strlen(name) + 1); /* '&' becomes "and" */
  if (!key)
    return NULL;
  char *out = key;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if (*p >= 0x80)
      *out++ = (char)*p;
    else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
      *out++ = (char)*p;
    else if (*p >= 'A' && *p <= 'Z')
      *out++ = (char)(*p - 'A' + 'a');
    else if (*p == '&') { /* "S&T" = "S and T" */
      memcpy(out, "and", 3);
      out += 3;
    }
  }
  *out = '\0';
  return key;
}

static double edit_similarity(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (!la && !lb)
    return 1.0;
  size_t *row = malloc((lb + 1) * sizeof *row);
  if (!row)
    return 0.0;
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t above = row[j];
      size_t best = diagonal + (a[i - 1] != b[j - 1]);
      if (above + 1 < best)
        best = above + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diagonal = above;
    }
  }
  size_t distance = row[lb];
  free(row);
  return 1.0 - (double)distance / (double)(la > lb ? la : lb);
}

static double similarity(const char *query, const char *label) {
  double score = edit_similarity(query, label);
  size_t lq = strlen(query), ll = strlen(label);
  const char *shorter = lq < ll ? query : label, *longer = lq < ll ? label : query;
  size_t ls = lq < ll ? lq : ll, lg = lq < ll ? ll : lq;
  if (ls >= 3 && strstr(longer, shorter)) {
    double contained = 0.5 + 0.5 * (double)ls / (double)lg;
    if (contained > score)
      score = contained;
  }
  return score;
}

static int looks_like_iri(const char *name) {
  return strncmp(name, "http://", 7) == 0 || strncmp(name, "https://", 8) == 0 ||
         strncmp(name, "urn:", 4) == 0;
}

/* A resource's labels together, its best first (ties: rdfs:label before
 * skos:prefLabel before skos:altLabel, then the shorter, then by text, so
 * that the label shown does not depend on the order of the index). */
static int by_resource(const void *a, const void *b) {
  const scored *x = a, *y = b;
  int order = strcmp(x->iri, y->iri);
  if (order)
    return order;
  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  if (x->property != y->property)
    return x->property - y->property;
  size_t lx = strlen(x->label), ly = strlen(y->label);
  if (lx != ly)
    return lx < ly ? -1 : 1;
  return strcmp(x->label, y->label);
}

/* Best score first, then by IRI. */
static int by_score(const void *a, const void *b) {
  const scored *x = a, *y = b;
  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return strcmp(x->iri, y->iri);
}

static int by_id(const void *a, const void *b) {
  kz_id x = *(const kz_id *)a, y = *(const kz_id *)b;
  return x < y ? -1 : x > y;
}

static kz_id iri_id(const kz_index *index, const char *iri) {
  kz_term term = {KZ_TERM_IRI, iri, NULL, NULL};
  return kz_index_lookup(index, &term);
}

/* The resources of class_iri (inferred types included), sorted, into
 * *members; -1 on out of memory. */
static int instances_of(kz_index *index, const char *class_iri, kz_id **members, size_t *count) {
  *members = NULL;
  *count = 0;
  kz_pattern pattern = {KZ_ID_NONE, iri_id(index, RDF_TYPE), iri_id(index, class_iri),
                        KZ_ID_NONE, KZ_MATCH_UNION, false};
  if (pattern.p == KZ_ID_NONE || pattern.o == KZ_ID_NONE)
    return 0; /* no such class, or nothing typed at all: no members */
  size_t capacity = 0;
  kz_cursor cursor;
  kz_id quad[4];
  kz_index_match(index, &pattern, &cursor);
  while (kz_cursor_next(&cursor, quad)) {
    kz_id *grown = kz_grow(*members, &capacity, *count + 1, sizeof *grown, 64);
    if (!grown)
      return -1;
    *members = grown;
    (*members)[(*count)++] = quad[0];
  }
  if (*count)
    qsort(*members, *count, sizeof **members, by_id);
  return 0;
}

/* Scores every label of every resource of class_iri (any resource when
 * NULL) against key; *out ends up one entry per resource (its best label),
 * best first. */
static kz_status score_all(scored **out, size_t *count, kz_index *index, const char *class_iri,
                           const char *key, const char *what, kz_error *err) {
  static const char *const label_properties[] = {RDFS_LABEL, SKOS_PREF_LABEL, SKOS_ALT_LABEL};
  *out = NULL;
  *count = 0;
  kz_id *members = NULL;
  size_t member_count = 0;
  if (class_iri && instances_of(index, class_iri, &members, &member_count) != 0) {
    free(members);
    return kz_fail(err, KZ_ERR_NOMEM, what, 0, 0, "out of memory");
  }
  scored *items = NULL;
  size_t n = 0, capacity = 0;
  int failed = 0;
  for (int k = 0; !failed && k < (int)(sizeof label_properties / sizeof label_properties[0]); k++) {
    kz_pattern pattern = {KZ_ID_NONE, iri_id(index, label_properties[k]), KZ_ID_NONE,
                          KZ_ID_NONE, KZ_MATCH_UNION, false};
    if (pattern.p == KZ_ID_NONE || (class_iri && !member_count))
      continue;
    kz_cursor cursor;
    kz_id quad[4];
    kz_index_match(index, &pattern, &cursor);
    while (!failed && kz_cursor_next(&cursor, quad)) {
      const kz_term *subject = kz_index_term(index, quad[0]);
      const kz_term *label = kz_index_term(index, quad[2]);
      if (!subject || !label || subject->kind != KZ_TERM_IRI || label->kind != KZ_TERM_LITERAL)
        continue;
      if (class_iri && !bsearch(&quad[0], members, member_count, sizeof *members, by_id))
        continue;
      scored *grown = kz_grow(items, &capacity, n + 1, sizeof *grown, 256);
      if (!grown) {
        failed = 1;
        break;
      }
      items = grown;
      char *label_key = name_key(label->value);
      if (!label_key) {
        failed = 1;
        break;
      }
      double score = strcmp(label_key, key) == 0 ? EXACT : similarity(key, label_key);
      free(label_key);
      items[n++] = (scored){subject->value, label->value, k, score};
    }
  }
  free(members);
  if (failed) {
    free(items);
    return kz_fail(err, KZ_ERR_NOMEM, what, 0, 0, "out of memory");
  }
  /* One entry per resource: its best label. */
  if (n)
    qsort(items, n, sizeof *items, by_resource);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || strcmp(items[i].iri, items[i - 1].iri) != 0)
      items[kept++] = items[i];
  if (kept)
    qsort(items, kept, sizeof *items, by_score);
  *out = items;
  *count = kept;
  return KZ_OK;
}

void kz_resolution_free(kz_resolution *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->count; i++) {
    free(r->candidates[i].iri);
    free(r->candidates[i].label);
  }
  free(r->candidates);
  free(r->name);
  free(r->what);
  free(r);
}

kz_status kz_resolution_status(const kz_resolution *r) { return r->status; }
const char *kz_resolution_name(const kz_resolution *r) { return r->name; }
const char *kz_resolution_what(const kz_resolution *r) { return r->what; }
const char *kz_resolution_iri(const kz_resolution *r) {
  return r->status == KZ_OK && r->count ? r->candidates[0].iri : NULL;
}
size_t kz_resolution_count(const kz_resolution *r) { return r->count; }
const char *kz_resolution_candidate_iri(const kz_resolution *r, size_t i) {
  return i < r->count ? r->candidates[i].iri : NULL;
}
const char *kz_resolution_candidate_label(const kz_resolution *r, size_t i) {
  return i < r->count ? r->candidates[i].label : NULL;
}

/* Appends a candidate (copies); -1 on out of memory. */
static int add_candidate(kz_resolution *r, const char *iri, const char *label) {
  resolution_candidate *grown = realloc(r->candidates, (r->count + 1) * sizeof *grown);
  if (!grown)
    return -1;
  r->candidates = grown;
  resolution_candidate *c = &r->candidates[r->count];
  c->iri = kz_strdup(iri);
  c->label = label ? kz_strdup(label) : NULL;
  if (!c->iri || (label && !c->label)) {
    free(c->iri);
    free(c->label);
    return -1;
  }
  r->count++;
  return 0;
}

/* "label <iri>, ..." for the first candidates of r, as the messages say. */
static void list_candidates(char *buf, size_t size, const kz_resolution *r) {
  size_t used = strlen(buf);
  for (size_t i = 0; i < r->count && i < KZ_RESOLVE_MAX_SUGGESTIONS && used < size; i++) {
    snprintf(buf + used, size - used, "%s%s <%s>", i ? ", " : "", r->candidates[i].label,
             r->candidates[i].iri);
    used = strlen(buf);
  }
}

/* Decides from the scored resources c[0..n) (best first), fills r and, when
 * the name does not resolve, err. */
static kz_status decide(kz_resolution *r, const scored *c, size_t n, const char *class_iri,
                        kz_error *err) {
  const char *name = r->name, *what = r->what;
  /* "agency resources", or just "resources" when any class will do */
  char kind[128];
  snprintf(kind, sizeof kind, class_iri ? "%s resources" : "resources", what);
  size_t exact = 0;
  while (exact < n && c[exact].score >= EXACT)
    exact++;
  size_t listed = 0;
  if (exact == 1 || (exact == 0 && n > 0 && c[0].score >= ACCEPT &&
                     (n == 1 || c[1].score < c[0].score - MARGIN))) {
    r->status = KZ_OK;
    listed = 1;
  } else if (exact > 1) {
    r->status = KZ_ERR_AMBIGUOUS;
    listed = exact;
  } else {
    while (listed < n && listed < KZ_RESOLVE_MAX_SUGGESTIONS && c[listed].score >= SUGGEST)
      listed++;
    r->status = listed > 1 && c[0].score >= ACCEPT ? KZ_ERR_AMBIGUOUS : KZ_ERR_NOT_FOUND;
  }
  for (size_t i = 0; i < listed; i++)
    if (add_candidate(r, c[i].iri, c[i].label) != 0)
      return kz_fail(err, KZ_ERR_NOMEM, what, 0, 0, "out of memory");
  char list[768] = "";
  list_candidates(list, sizeof list, r);
  if (r->status == KZ_OK)
    return KZ_OK;
  if (exact > 1)
    return kz_fail(err, KZ_ERR_AMBIGUOUS, name, 0, 0, "'%s' names %zu %s: %s", name, exact, kind,
                   list);
  if (r->status == KZ_ERR_AMBIGUOUS)
    return kz_fail(err, KZ_ERR_AMBIGUOUS, name, 0, 0, "'%s' could be several %s: %s", name, kind,
                   list);
  if (listed)
    return kz_fail(err, KZ_ERR_NOT_FOUND, name, 0, 0, "no %s named '%s'; did you mean: %s", what,
                   name, list);
  return kz_fail(err, KZ_ERR_NOT_FOUND, name, 0, 0, "no %s named '%s'", what, name);
}

/* A full IRI, possibly in angle brackets, into a new string; NULL if name
 * is not one. */
static char *given_iri(const char *name, int *nomem) {
  size_t n = strlen(name);
  while (n && name[n - 1] == ' ')
    n--;
  if (n >= 2 && name[0] == '<' && name[n - 1] == '>') {
    name++;
    n -= 2;
  }
  if (!looks_like_iri(name))
    return NULL;
  char *iri = malloc(n + 1);
  if (!iri) {
    *nomem = 1;
    return NULL;
  }
  memcpy(iri, name, n);
  iri[n] = '\0';
  return iri;
}

kz_status kz_resolve(kz_resolution **out, kz_store *store, const char *class_iri,
                     const char *what, const char *name, kz_error *err) {
  *out = NULL;
  while (*name == ' ')
    name++;
  if (!*name)
    return kz_fail(err, KZ_ERR_ARGUMENT, what, 0, 0, "empty %s name", what);
  kz_resolution *r = calloc(1, sizeof *r);
  if (!r || !(r->name = kz_strdup(name)) || !(r->what = kz_strdup(what))) {
    kz_resolution_free(r);
    return kz_fail(err, KZ_ERR_NOMEM, what, 0, 0, "out of memory");
  }
  int nomem = 0;
  char *iri = given_iri(name, &nomem);
  if (iri || nomem) {
    kz_status status = iri && add_candidate(r, iri, NULL) == 0
                           ? KZ_OK
                           : kz_fail(err, KZ_ERR_NOMEM, what, 0, 0, "out of memory");
    free(iri);
    if (status != KZ_OK) {
      kz_resolution_free(r);
      return status;
    }
    r->status = KZ_OK;
    *out = r;
    return KZ_OK;
  }
  char *key = name_key(name);
  if (!key) {
    kz_resolution_free(r);
    return kz_fail(err, KZ_ERR_NOMEM, what, 0, 0, "out of memory");
  }
  if (!*key) { /* nothing of it can match a label */
    free(key);
    r->status = KZ_ERR_NOT_FOUND;
    *out = r;
    return kz_fail(err, KZ_ERR_NOT_FOUND, name, 0, 0, "'%s' is not a %s name", name, what);
  }
  kz_index *index = NULL;
  scored *c = NULL;
  size_t n = 0;
  kz_status status = kz_store_get_index(store, &index, err);
  if (status == KZ_OK)
    status = score_all(&c, &n, index, class_iri, key, what, err);
  free(key);
  if (status == KZ_OK) {
    status = decide(r, c, n, class_iri, err);
    if (status == KZ_ERR_NOMEM) {
      free(c);
      kz_resolution_free(r);
      return status;
    }
  }
  free(c);
  if (status != KZ_OK && status != KZ_ERR_NOT_FOUND && status != KZ_ERR_AMBIGUOUS) {
    kz_resolution_free(r);
    return status;
  }
  *out = r;
  return status;
}

kz_status kz_resolve_name(char **iri, kz_store *store, const char *class_iri,
                          const char *what, const char *name, kz_error *err) {
  *iri = NULL;
  kz_resolution *r = NULL;
  kz_status status = kz_resolve(&r, store, class_iri, what, name, err);
  if (status == KZ_OK) {
    *iri = r->candidates[0].iri;
    r->candidates[0].iri = NULL;
  }
  kz_resolution_free(r);
  return status;
}
