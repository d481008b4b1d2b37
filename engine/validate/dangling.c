/*
 * "No dangling IRIs", a constraint component implemented natively
 * (kzsh:NoDanglingIRIConstraintComponent, parameter kzsh:instanceNamespace):
 * for a focus node, every asserted triple (focus, p, o) whose object is an
 * IRI in the instance namespace needs o to be the subject of some asserted
 * triple. "Asserted" means in any graph but KZ_INFERRED_GRAPH: inference
 * gives a dangling IRI a type (from rdfs:range) and inverse triples, which
 * would otherwise make it look described.
 *
 * One pass over the store (kz_store_visit) puts every asserted subject into
 * a set and every triple from a focus node to an IRI of the namespace into a
 * list; the list is then checked against the set. Nodes are keyed by kind
 * and value, which is enough as subjects are never literals.
 *
 * The shapes file also gives the component a SPARQL validator, for other
 * SHACL processors. It is not run here: Rasqal evaluates OPTIONAL by
 * scanning the store once per row, which takes minutes on the bundled data,
 * and it would count the inferred triples.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "kizuna/infer.h"
#include "store/graphs.h"
#include "validate/validate_internal.h"

typedef struct candidate {
  kz_term_kind subject_kind;
  char *subject;
  char *predicate;
  char *object;
} candidate;

typedef struct scan {
  const char *namespace_iri;
  size_t namespace_length;
  kz_strset *focus;      /* keys of the focus nodes */
  kz_strset *subjects;   /* keys of every asserted subject */
  kz_strset *triples;    /* candidates already listed (a triple in two graphs) */
  candidate *candidates;
  size_t count;
  size_t capacity;
} scan;

/* "KIND VALUE", the key of a subject or of an IRI object; caller frees. */
static char *key_of(kz_term_kind kind, const char *value) {
  size_t n = strlen(value);
  char *key = malloc(n + 2);
  if (key) {
    key[0] = (char)('0' + kind);
    memcpy(key + 1, value, n + 1);
  }
  return key;
}

static kz_status nomem(kz_error *err) {
  return kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static kz_status add_candidate(scan *s, const kz_term *subject, const kz_term *predicate,
                               const kz_term *object, kz_error *err) {
  size_t n = strlen(subject->value) + strlen(predicate->value) + strlen(object->value) + 4;
  char *triple = malloc(n);
  if (!triple)
    return nomem(err);
  snprintf(triple, n, "%d%s %s %s", (int)subject->kind, subject->value, predicate->value,
           object->value);
  int fresh = kz_strset_add(s->triples, triple);
  free(triple);
  if (fresh <= 0)
    return fresh < 0 ? nomem(err) : KZ_OK;
  candidate *grown = kz_grow(s->candidates, &s->capacity, s->count + 1, sizeof *grown, 32);
  if (!grown)
    return nomem(err);
  s->candidates = grown;
  candidate *c = &s->candidates[s->count];
  c->subject_kind = subject->kind;
  c->subject = kz_strdup(subject->value);
  c->predicate = kz_strdup(predicate->value);
  c->object = kz_strdup(object->value);
  s->count++; /* counted even when a copy failed, so that it is freed */
  return c->subject && c->predicate && c->object ? KZ_OK : nomem(err);
}

static kz_status visit(const kz_term *subject, const kz_term *predicate, const kz_term *object,
                       const kz_term *graph, void *user, kz_error *err) {
  scan *s = user;
  if (graph && strcmp(graph->value, KZ_INFERRED_GRAPH) == 0)
    return KZ_OK;
  char *key = key_of(subject->kind, subject->value);
  if (!key || kz_strset_add(s->subjects, key) < 0) {
    free(key);
    return nomem(err);
  }
  int from_focus = kz_strset_contains(s->focus, key);
  free(key);
  if (from_focus && object->kind == KZ_TERM_IRI &&
      strncmp(object->value, s->namespace_iri, s->namespace_length) == 0)
    return add_candidate(s, subject, predicate, object, err);
  return KZ_OK;
}

/* Reports the candidates whose object no asserted triple describes. */
static kz_status report_dangling(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                                 const scan *s, kz_error *err) {
  kz_status status = KZ_OK;
  for (size_t i = 0; status == KZ_OK && i < s->count; i++) {
    const candidate *d = &s->candidates[i];
    char *key = key_of(KZ_TERM_IRI, d->object);
    if (!key)
      return nomem(err);
    int described = kz_strset_contains(s->subjects, key);
    free(key);
    if (described)
      continue;
    kz_term focus = {d->subject_kind, d->subject, NULL, NULL};
    kz_term value = {KZ_TERM_IRI, d->object, NULL, NULL};
    char *compact = kz_term_compact(&value);
    size_t n = (compact ? strlen(compact) : 0) + 64;
    char *message = compact ? malloc(n) : NULL;
    if (message) {
      snprintf(message, n, "%s is in the instance namespace but no triple describes it",
               compact);
      status = kz_validator_emit(v, shape, c, &focus, d->predicate, 0, &value, message, err);
    } else {
      status = nomem(err);
    }
    free(message);
    free(compact);
  }
  return status;
}

kz_status kz_dangling_check(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                            const kz_node_list *focus, kz_error *err) {
  scan s;
  memset(&s, 0, sizeof s);
  s.namespace_iri = c->namespace_iri;
  s.namespace_length = strlen(c->namespace_iri);
  s.focus = kz_strset_new();
  s.subjects = kz_strset_new();
  s.triples = kz_strset_new();
  kz_status status = s.focus && s.subjects && s.triples ? KZ_OK : nomem(err);
  for (size_t i = 0; status == KZ_OK && i < focus->count; i++) {
    kz_term term;
    kz_store_node_to_term(focus->items[i], &term);
    char *key = key_of(term.kind, term.value);
    if (!key || kz_strset_add(s.focus, key) < 0)
      status = nomem(err);
    free(key);
  }
  if (status == KZ_OK)
    status = kz_store_visit(v->data, NULL, 0, visit, &s, err);
  if (status == KZ_OK)
    status = report_dangling(v, shape, c, &s, err);
  for (size_t i = 0; i < s.count; i++) {
    free(s.candidates[i].subject);
    free(s.candidates[i].predicate);
    free(s.candidates[i].object);
  }
  free(s.candidates);
  kz_strset_free(s.focus);
  kz_strset_free(s.subjects);
  kz_strset_free(s.triples);
  return status;
}
