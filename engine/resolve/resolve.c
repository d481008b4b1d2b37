/*
 * Name resolution. The labels of every resource of the wanted class are
 * read from the store and compared with the name as keys: lower-case
 * ASCII letters and digits only (other ASCII dropped, non-ASCII bytes kept),
 * without a leading "the". Equal keys are an exact match. Otherwise each
 * label scores the larger of its edit-distance similarity and, when one key
 * contains the other, a containment score; a resource scores its best label.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/strset.h"
#include "kizuna/resolve.h"
#include "store/store_internal.h"

#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#define RDFS_LABEL "http://www.w3.org/2000/01/rdf-schema#label"
#define SKOS_PREF_LABEL "http://www.w3.org/2004/02/skos/core#prefLabel"
#define SKOS_ALT_LABEL "http://www.w3.org/2004/02/skos/core#altLabel"

#define ACCEPT 0.75 /* a fuzzy match must score at least this... */
#define MARGIN 0.05 /* ...and beat every other resource by this much */
#define SUGGEST 0.4 /* candidates worth naming in an error */
#define MAX_LISTED 5

typedef struct candidate {
  char *iri;
  char *label; /* the label that scored best */
  double score;
} candidate;

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

static int compare_candidates(const void *a, const void *b) {
  const candidate *x = a, *y = b;
  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return strcmp(x->iri, y->iri);
}

/* Appends "label <iri>, ..." for the first candidates to buf. */
static void list_candidates(char *buf, size_t size, const candidate *c, size_t n) {
  size_t used = strlen(buf);
  for (size_t i = 0; i < n && i < MAX_LISTED && used < size; i++) {
    snprintf(buf + used, size - used, "%s%s <%s>", i ? ", " : "", c[i].label, c[i].iri);
    used = strlen(buf);
  }
}

static int looks_like_iri(const char *name) {
  return strncmp(name, "http://", 7) == 0 || strncmp(name, "https://", 8) == 0 ||
         strncmp(name, "urn:", 4) == 0;
}

/* Adds or improves the candidate for resource iri with a label's score. */
static int consider(candidate **items, size_t *n, size_t *capacity, const char *iri,
                    const char *label, double score) {
  size_t i = 0;
  while (i < *n && strcmp((*items)[i].iri, iri) != 0)
    i++;
  if (i == *n) {
    if (*n == *capacity) {
      size_t bigger = *capacity ? *capacity * 2 : 64;
      candidate *grown = realloc(*items, bigger * sizeof *grown);
      if (!grown)
        return -1;
      *items = grown;
      *capacity = bigger;
    }
    (*items)[i] = (candidate){kz_strdup(iri), NULL, -1.0};
    if (!(*items)[i].iri)
      return -1;
    (*n)++;
  }
  if (score > (*items)[i].score) {
    free((*items)[i].label);
    (*items)[i].label = kz_strdup(label);
    (*items)[i].score = score;
    if (!(*items)[i].label)
      return -1;
  }
  return 0;
}

/* The IRIs of the instances of class_iri (inferred types included). */
static kz_strset *instances_of(kz_store *store, const char *class_iri) {
  kz_strset *set = kz_strset_new();
  librdf_statement *pattern = librdf_new_statement_from_nodes(
      store->world, NULL,
      librdf_new_node_from_uri_string(store->world, (const unsigned char *)RDF_TYPE),
      librdf_new_node_from_uri_string(store->world, (const unsigned char *)class_iri));
  librdf_stream *stream = set && pattern ? librdf_model_find_statements(store->model, pattern) : NULL;
  for (; stream && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_node *subject = librdf_statement_get_subject(librdf_stream_get_object(stream));
    if (librdf_node_is_resource(subject) &&
        kz_strset_add(set, (const char *)librdf_uri_as_string(librdf_node_get_uri(subject))) < 0)
      break;
  }
  if (stream)
    librdf_free_stream(stream);
  if (pattern)
    librdf_free_statement(pattern);
  return set;
}

/* Scores every label of every instance of class_iri against key; the
 * candidates end up one per resource, best first. Reads the store directly
 * (three label scans and one type lookup), not through a query. */
static kz_status score_all(candidate **out, size_t *count, kz_store *store,
                           const char *class_iri, const char *key, kz_error *err) {
  static const char *const label_properties[] = {RDFS_LABEL, SKOS_PREF_LABEL, SKOS_ALT_LABEL};
  *out = NULL;
  *count = 0;
  kz_strset *members = instances_of(store, class_iri);
  if (!members)
    return kz_fail(err, KZ_ERR_NOMEM, "resolve", 0, 0, "out of memory");
  candidate *items = NULL;
  size_t n = 0, capacity = 0;
  int failed = 0;
  for (size_t k = 0; !failed && k < sizeof label_properties / sizeof label_properties[0]; k++) {
    librdf_statement *pattern = librdf_new_statement_from_nodes(
        store->world, NULL,
        librdf_new_node_from_uri_string(store->world, (const unsigned char *)label_properties[k]),
        NULL);
    librdf_stream *stream = pattern ? librdf_model_find_statements(store->model, pattern) : NULL;
    failed = !stream;
    for (; stream && !failed && !librdf_stream_end(stream); librdf_stream_next(stream)) {
      librdf_statement *statement = librdf_stream_get_object(stream);
      kz_term subject, label;
      kz_store_node_to_term(librdf_statement_get_subject(statement), &subject);
      kz_store_node_to_term(librdf_statement_get_object(statement), &label);
      if (subject.kind != KZ_TERM_IRI || label.kind != KZ_TERM_LITERAL ||
          !kz_strset_contains(members, subject.value))
        continue;
      char *label_key = name_key(label.value);
      if (!label_key) {
        failed = 1;
        break;
      }
      double score = strcmp(label_key, key) == 0 ? 2.0 /* exact */ : similarity(key, label_key);
      free(label_key);
      failed = consider(&items, &n, &capacity, subject.value, label.value, score) != 0;
    }
    if (stream)
      librdf_free_stream(stream);
    if (pattern)
      librdf_free_statement(pattern);
  }
  kz_strset_free(members);
  if (failed) {
    for (size_t i = 0; i < n; i++) {
      free(items[i].iri);
      free(items[i].label);
    }
    free(items);
    return kz_fail(err, KZ_ERR_NOMEM, "resolve", 0, 0, "out of memory");
  }
  if (n)
    qsort(items, n, sizeof *items, compare_candidates);
  *out = items;
  *count = n;
  return KZ_OK;
}

kz_status kz_resolve_name(char **iri, kz_store *store, const char *class_iri,
                          const char *what, const char *name, kz_error *err) {
  *iri = NULL;
  while (*name == ' ')
    name++;
  if (!*name)
    return kz_fail(err, KZ_ERR_ARGUMENT, what, 0, 0, "empty %s name", what);
  if (looks_like_iri(name)) {
    *iri = kz_strdup(name);
    return *iri ? KZ_OK : kz_fail(err, KZ_ERR_NOMEM, what, 0, 0, "out of memory");
  }
  char *key = name_key(name);
  if (!key)
    return kz_fail(err, KZ_ERR_NOMEM, what, 0, 0, "out of memory");
  candidate *c = NULL;
  size_t n = 0;
  kz_status status = *key ? score_all(&c, &n, store, class_iri, key, err)
                          : kz_fail(err, KZ_ERR_NOT_FOUND, name, 0, 0,
                                    "'%s' is not a %s name", name, what);
  free(key);
  if (status != KZ_OK)
    return status;
  size_t exact = 0;
  while (exact < n && c[exact].score >= 2.0)
    exact++;
  char list[768] = "";
  if (exact == 1 || (exact == 0 && n > 0 && c[0].score >= ACCEPT &&
                     (n == 1 || c[1].score < c[0].score - MARGIN))) {
    *iri = c[0].iri;
    c[0].iri = NULL;
  } else if (exact > 1) {
    list_candidates(list, sizeof list, c, exact);
    status = kz_fail(err, KZ_ERR_AMBIGUOUS, name, 0, 0, "'%s' names %zu %s resources: %s",
                     name, exact, what, list);
  } else {
    size_t worth = 0;
    while (worth < n && c[worth].score >= SUGGEST)
      worth++;
    list_candidates(list, sizeof list, c, worth);
    if (worth > 1 && c[0].score >= ACCEPT)
      status = kz_fail(err, KZ_ERR_AMBIGUOUS, name, 0, 0, "'%s' could be several %s resources: %s",
                       name, what, list);
    else if (worth)
      status = kz_fail(err, KZ_ERR_NOT_FOUND, name, 0, 0, "no %s named '%s'; did you mean: %s",
                       what, name, list);
    else
      status = kz_fail(err, KZ_ERR_NOT_FOUND, name, 0, 0, "no %s named '%s'", what, name);
  }
  for (size_t i = 0; i < n; i++) {
    free(c[i].iri);
    free(c[i].label);
  }
  free(c);
  return status;
}
