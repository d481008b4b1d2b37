/*
 * Forward-chaining inference to a fixpoint over integer term IDs.
 *
 * The store's triples (all graphs) are read once into a table of (s, p, o)
 * IDs with a hash set over it; terms are interned by their N-Triples form,
 * and each ID keeps a librdf_node for writing back. The schema is read from
 * that table: superclasses and superproperties (transitive closures, by
 * breadth-first search, so cycles in a hierarchy terminate), domains,
 * ranges, transitive, symmetric and inverse properties.
 *
 * The table is its own work queue: every triple, old or derived, is visited
 * once in order, derived ones being appended behind, and the rules fire on it:
 *   (s p o), p ⊑ q                   → (s q o)
 *   (s rdf:type C), C ⊑ D            → (s rdf:type D)
 *   (s p o), p domain C              → (s rdf:type C)
 *   (s p o), p range C, o no literal → (o rdf:type C)
 *   (s p o), p symmetric             → (o p s)
 *   (s p o), p inverseOf q (or q inverseOf p) → (o q s)
 *   (s p o), p transitive            → joined with (o p z) and (w p s)
 * A triple is appended only if the set lacks it, so the queue drains: there
 * are finitely many triples over the known terms. The schema is taken as
 * given before the rules run; the closure triples of the hierarchies
 * (C subClassOf E through D) are written out too.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/strset.h"
#include "kizuna/infer.h"
#include "store/store_internal.h"

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define OWL "http://www.w3.org/2002/07/owl#"
#define NONE UINT32_MAX

typedef struct triple {
  uint32_t s, p, o;
} triple;

typedef struct id_list {
  uint32_t *items;
  uint32_t count, capacity;
} id_list;

/* A hash map from a 64-bit key to a list of distinct IDs (open addressing). */
typedef struct multimap {
  uint64_t *keys;
  id_list *lists;
  unsigned char *used;
  size_t capacity, size;
} multimap;

typedef struct reasoner {
  kz_store *store;
  kz_strset *term_ids;
  librdf_node **nodes; /* by ID, owned */
  unsigned char *is_literal;
  uint32_t term_count, term_capacity;
  triple *triples;
  size_t triple_count, triple_capacity, first_new;
  uint32_t *triple_slots; /* hash set: triple index + 1, 0 = empty */
  size_t slot_capacity;
  /* well-known IDs, NONE when the data does not mention them */
  uint32_t rdf_type, sub_class_of, sub_property_of, domain, range;
  uint32_t transitive_class, symmetric_class, inverse_of;
  /* schema, by term ID */
  multimap super_classes, super_properties, domains, ranges, inverses;
  unsigned char *transitive, *symmetric;
  /* transitive joins: (p, s) -> objects and (p, o) -> subjects */
  multimap out_edges, in_edges;
  int out_of_memory;
} reasoner;

/* ---- containers ---- */

static int list_push(id_list *list, uint32_t id) {
  if (list->count == list->capacity) {
    uint32_t capacity = list->capacity ? list->capacity * 2 : 4;
    uint32_t *items = realloc(list->items, capacity * sizeof *items);
    if (!items)
      return -1;
    list->items = items;
    list->capacity = capacity;
  }
  list->items[list->count++] = id;
  return 0;
}

static int list_has(const id_list *list, uint32_t id) {
  for (uint32_t k = 0; list && k < list->count; k++)
    if (list->items[k] == id)
      return 1;
  return 0;
}

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

static void multimap_free(multimap *map) {
  for (size_t i = 0; i < map->capacity; i++)
    if (map->used[i])
      free(map->lists[i].items);
  free(map->keys);
  free(map->lists);
  free(map->used);
  memset(map, 0, sizeof *map);
}

static id_list *multimap_find(const multimap *map, uint64_t key) {
  if (!map->capacity)
    return NULL;
  size_t mask = map->capacity - 1;
  for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
    if (!map->used[i])
      return NULL;
    if (map->keys[i] == key)
      return &map->lists[i];
  }
}

static int multimap_grow(multimap *map) {
  multimap bigger = {0};
  bigger.capacity = map->capacity ? map->capacity * 2 : 64;
  bigger.keys = calloc(bigger.capacity, sizeof *bigger.keys);
  bigger.lists = calloc(bigger.capacity, sizeof *bigger.lists);
  bigger.used = calloc(bigger.capacity, 1);
  if (!bigger.keys || !bigger.lists || !bigger.used) {
    free(bigger.keys);
    free(bigger.lists);
    free(bigger.used);
    return -1;
  }
  size_t mask = bigger.capacity - 1;
  for (size_t i = 0; i < map->capacity; i++) {
    if (!map->used[i])
      continue;
    size_t j = mix(map->keys[i]) & mask;
    while (bigger.used[j])
      j = (j + 1) & mask;
    bigger.used[j] = 1;
    bigger.keys[j] = map->keys[i];
    bigger.lists[j] = map->lists[i];
  }
  bigger.size = map->size;
  free(map->keys);
  free(map->lists);
  free(map->used);
  *map = bigger;
  return 0;
}

/* Appends value to key's list unless it is there already; -1 on OOM. */
static int multimap_add(multimap *map, uint64_t key, uint32_t value) {
  if ((map->size + 1) * 4 > map->capacity * 3 && multimap_grow(map) != 0)
    return -1;
  size_t mask = map->capacity - 1;
  size_t i = mix(key) & mask;
  while (map->used[i] && map->keys[i] != key)
    i = (i + 1) & mask;
  if (!map->used[i]) {
    map->used[i] = 1;
    map->keys[i] = key;
    map->size++;
  }
  if (list_has(&map->lists[i], value))
    return 0;
  return list_push(&map->lists[i], value);
}

static uint64_t pair(uint32_t a, uint32_t b) { return ((uint64_t)a << 32) | b; }

/* ---- terms and triples ---- */

static uint32_t intern(reasoner *r, librdf_node *node) {
  unsigned char *text = raptor_term_to_string(node);
  if (!text) {
    r->out_of_memory = 1;
    return NONE;
  }
  uint32_t id;
  int fresh = kz_strset_intern(r->term_ids, (const char *)text, r->term_count, &id);
  raptor_free_memory(text);
  if (fresh < 0) {
    r->out_of_memory = 1;
    return NONE;
  }
  if (fresh) {
    if (r->term_count == r->term_capacity) {
      uint32_t capacity = r->term_capacity ? r->term_capacity * 2 : 1024;
      librdf_node **nodes = realloc(r->nodes, capacity * sizeof *nodes);
      if (nodes)
        r->nodes = nodes;
      unsigned char *literal = nodes ? realloc(r->is_literal, capacity) : NULL;
      if (!literal) {
        r->out_of_memory = 1;
        return NONE;
      }
      r->is_literal = literal;
      r->term_capacity = capacity;
    }
    r->nodes[id] = librdf_new_node_from_node(node);
    r->is_literal[id] = librdf_node_is_literal(node) != 0;
    r->term_count++;
  }
  return id;
}

/* The ID of a well-known IRI, or NONE if the data does not mention it. */
static uint32_t lookup_iri(reasoner *r, const char *iri) {
  char key[256];
  snprintf(key, sizeof key, "<%s>", iri);
  uint32_t id;
  return kz_strset_intern(r->term_ids, key, NONE, &id) == 0 ? id : NONE;
}

static uint64_t triple_hash(uint32_t s, uint32_t p, uint32_t o) {
  return mix(((uint64_t)s << 42) ^ ((uint64_t)p << 21) ^ o);
}

static int slots_grow(reasoner *r) {
  size_t capacity = r->slot_capacity ? r->slot_capacity * 2 : 4096;
  uint32_t *slots = calloc(capacity, sizeof *slots);
  if (!slots)
    return -1;
  for (size_t t = 0; t < r->triple_count; t++) {
    size_t i = triple_hash(r->triples[t].s, r->triples[t].p, r->triples[t].o) & (capacity - 1);
    while (slots[i])
      i = (i + 1) & (capacity - 1);
    slots[i] = (uint32_t)t + 1;
  }
  free(r->triple_slots);
  r->triple_slots = slots;
  r->slot_capacity = capacity;
  return 0;
}

/* Appends (s p o) unless known: 0 either way, -1 on out of memory. */
static int add_triple(reasoner *r, uint32_t s, uint32_t p, uint32_t o) {
  if ((r->triple_count + 1) * 2 > r->slot_capacity && slots_grow(r) != 0)
    return -1;
  size_t mask = r->slot_capacity - 1;
  size_t i = triple_hash(s, p, o) & mask;
  for (; r->triple_slots[i]; i = (i + 1) & mask) {
    const triple *t = &r->triples[r->triple_slots[i] - 1];
    if (t->s == s && t->p == p && t->o == o)
      return 0;
  }
  triple *triples =
      kz_grow(r->triples, &r->triple_capacity, r->triple_count + 1, sizeof *triples, 4096);
  if (!triples)
    return -1;
  r->triples = triples;
  r->triples[r->triple_count] = (triple){s, p, o};
  r->triple_slots[i] = (uint32_t)++r->triple_count;
  return 0;
}

/* ---- schema ---- */

/* closure[x] = every y != x reachable from x along (x relation y) edges. */
static int close_hierarchy(reasoner *r, uint32_t relation, multimap *closure) {
  if (relation == NONE)
    return 0;
  multimap direct = {0};
  int rc = 0;
  for (size_t t = 0; t < r->triple_count && rc == 0; t++)
    if (r->triples[t].p == relation && r->triples[t].s != r->triples[t].o)
      rc = multimap_add(&direct, r->triples[t].s, r->triples[t].o);
  id_list queue = {0};
  for (size_t i = 0; rc == 0 && i < direct.capacity; i++) {
    if (!direct.used[i])
      continue;
    uint32_t start = (uint32_t)direct.keys[i];
    queue.count = 0;
    rc = list_push(&queue, start);
    for (uint32_t head = 0; rc == 0 && head < queue.count; head++) {
      id_list *next = multimap_find(&direct, queue.items[head]);
      for (uint32_t k = 0; next && rc == 0 && k < next->count; k++) {
        uint32_t y = next->items[k];
        if (y != start && !list_has(multimap_find(closure, start), y))
          rc = multimap_add(closure, start, y) || list_push(&queue, y);
      }
    }
  }
  free(queue.items);
  multimap_free(&direct);
  return rc;
}

static int read_schema(reasoner *r) {
  size_t n = r->term_count;
  r->transitive = calloc(n ? n : 1, 1);
  r->symmetric = calloc(n ? n : 1, 1);
  if (!r->transitive || !r->symmetric)
    return -1;
  if (close_hierarchy(r, r->sub_class_of, &r->super_classes) != 0 ||
      close_hierarchy(r, r->sub_property_of, &r->super_properties) != 0)
    return -1;
  for (size_t t = 0; t < r->triple_count; t++) {
    triple x = r->triples[t];
    int rc = 0;
    if (r->is_literal[x.o])
      continue;
    if (x.p == r->domain)
      rc = multimap_add(&r->domains, x.s, x.o);
    else if (x.p == r->range)
      rc = multimap_add(&r->ranges, x.s, x.o);
    else if (x.p == r->inverse_of)
      rc = multimap_add(&r->inverses, x.s, x.o) || multimap_add(&r->inverses, x.o, x.s);
    else if (x.p == r->rdf_type && x.o == r->transitive_class)
      r->transitive[x.s] = 1;
    else if (x.p == r->rdf_type && x.o == r->symmetric_class)
      r->symmetric[x.s] = 1;
    if (rc != 0)
      return -1;
  }
  return 0;
}

/* ---- rules ---- */

/* Derives (s p_k o) for every p_k in list; with swap, (o p_k s). */
static int derive_each(reasoner *r, const id_list *list, uint32_t s, uint32_t o, int swap) {
  for (uint32_t k = 0; list && k < list->count; k++)
    if (add_triple(r, swap ? o : s, list->items[k], swap ? s : o) != 0)
      return -1;
  return 0;
}

/* Derives (s rdf:type C) for every C in list. */
static int type_each(reasoner *r, const id_list *list, uint32_t s) {
  for (uint32_t k = 0; list && k < list->count; k++)
    if (add_triple(r, s, r->rdf_type, list->items[k]) != 0)
      return -1;
  return 0;
}

static int fire_transitive(reasoner *r, triple x) {
  if (multimap_add(&r->out_edges, pair(x.p, x.s), x.o) ||
      multimap_add(&r->in_edges, pair(x.p, x.o), x.s))
    return -1;
  /* Look the lists up again after each derivation: adding may move them. */
  for (uint32_t k = 0;; k++) {
    id_list *after = multimap_find(&r->out_edges, pair(x.p, x.o));
    if (!after || k >= after->count)
      break;
    if (add_triple(r, x.s, x.p, after->items[k]) != 0)
      return -1;
  }
  for (uint32_t k = 0;; k++) {
    id_list *before = multimap_find(&r->in_edges, pair(x.p, x.s));
    if (!before || k >= before->count)
      break;
    if (add_triple(r, before->items[k], x.p, x.o) != 0)
      return -1;
  }
  return 0;
}

static int fire(reasoner *r, triple x) {
  if (derive_each(r, multimap_find(&r->super_properties, x.p), x.s, x.o, 0) ||
      (x.p == r->rdf_type && type_each(r, multimap_find(&r->super_classes, x.o), x.s)) ||
      type_each(r, multimap_find(&r->domains, x.p), x.s))
    return -1;
  if (r->is_literal[x.o])
    return 0;
  if (type_each(r, multimap_find(&r->ranges, x.p), x.o) ||
      (r->symmetric[x.p] && add_triple(r, x.o, x.p, x.s) != 0) ||
      derive_each(r, multimap_find(&r->inverses, x.p), x.s, x.o, 1) ||
      (r->transitive[x.p] && fire_transitive(r, x)))
    return -1;
  return 0;
}

/* The closure triples of a hierarchy (C subClassOf E through D). */
static int write_hierarchy(reasoner *r, uint32_t relation, const multimap *closure) {
  if (relation == NONE)
    return 0;
  for (size_t i = 0; i < closure->capacity; i++)
    for (uint32_t k = 0; closure->used[i] && k < closure->lists[i].count; k++)
      if (add_triple(r, (uint32_t)closure->keys[i], relation, closure->lists[i].items[k]) != 0)
        return -1;
  return 0;
}

static kz_status read_store(reasoner *r, kz_error *err) {
  librdf_stream *stream = librdf_model_as_stream(r->store->model);
  for (; stream && !librdf_stream_end(stream) && !r->out_of_memory; librdf_stream_next(stream)) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    uint32_t s = intern(r, librdf_statement_get_subject(statement));
    uint32_t p = intern(r, librdf_statement_get_predicate(statement));
    uint32_t o = intern(r, librdf_statement_get_object(statement));
    if (!r->out_of_memory && add_triple(r, s, p, o) != 0)
      r->out_of_memory = 1;
  }
  if (stream)
    librdf_free_stream(stream);
  if (r->out_of_memory)
    return kz_fail(err, KZ_ERR_NOMEM, r->store->spec, 0, 0, "out of memory during inference");
  return KZ_OK;
}

static kz_status write_back(reasoner *r, uint64_t *added, kz_error *err) {
  size_t count = r->triple_count - r->first_new;
  if (added)
    *added = count;
  if (!count)
    return KZ_OK;
  librdf_node *graph = librdf_new_node_from_uri_string(r->store->world,
                                                       (const unsigned char *)KZ_INFERRED_GRAPH);
  kz_quad *quads = calloc(count, sizeof *quads);
  kz_status status = graph && quads ? KZ_OK : KZ_ERR_NOMEM;
  size_t made = 0;
  for (; status == KZ_OK && made < count; made++) {
    triple x = r->triples[r->first_new + made];
    quads[made].graph = graph;
    quads[made].statement = librdf_new_statement_from_nodes(
        r->store->world, librdf_new_node_from_node(r->nodes[x.s]),
        librdf_new_node_from_node(r->nodes[x.p]), librdf_new_node_from_node(r->nodes[x.o]));
    if (!quads[made].statement)
      status = KZ_ERR_NOMEM;
  }
  if (status == KZ_OK)
    status = kz_store_add_quads(r->store, quads, count, KZ_INFERRED_GRAPH, err);
  else
    kz_fail(err, status, r->store->spec, 0, 0, "out of memory during inference");
  for (size_t i = 0; quads && i < made; i++)
    librdf_free_statement(quads[i].statement);
  free(quads);
  if (graph)
    librdf_free_node(graph);
  return status;
}

static void reasoner_free(reasoner *r) {
  for (uint32_t i = 0; i < r->term_count; i++)
    librdf_free_node(r->nodes[i]);
  free(r->nodes);
  free(r->is_literal);
  kz_strset_free(r->term_ids);
  free(r->triples);
  free(r->triple_slots);
  multimap_free(&r->super_classes);
  multimap_free(&r->super_properties);
  multimap_free(&r->domains);
  multimap_free(&r->ranges);
  multimap_free(&r->inverses);
  multimap_free(&r->out_edges);
  multimap_free(&r->in_edges);
  free(r->transitive);
  free(r->symmetric);
}

static int well_known_ids(reasoner *r) {
  r->rdf_type = lookup_iri(r, RDF "type");
  r->sub_class_of = lookup_iri(r, RDFS "subClassOf");
  r->sub_property_of = lookup_iri(r, RDFS "subPropertyOf");
  r->domain = lookup_iri(r, RDFS "domain");
  r->range = lookup_iri(r, RDFS "range");
  r->transitive_class = lookup_iri(r, OWL "TransitiveProperty");
  r->symmetric_class = lookup_iri(r, OWL "SymmetricProperty");
  r->inverse_of = lookup_iri(r, OWL "inverseOf");
  if (r->rdf_type == NONE) { /* typing rules need it even if no triple uses it */
    librdf_node *type = librdf_new_node_from_uri_string(r->store->world,
                                                        (const unsigned char *)RDF "type");
    if (!type)
      return -1;
    r->rdf_type = intern(r, type);
    librdf_free_node(type);
  }
  return r->out_of_memory ? -1 : 0;
}

kz_status kz_store_infer(kz_store *store, uint64_t *added, kz_error *err) {
  if (added)
    *added = 0;
  reasoner r = {0};
  r.store = store;
  r.term_ids = kz_strset_new();
  if (!r.term_ids)
    return kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
  kz_status status = read_store(&r, err);
  if (status == KZ_OK) {
    r.first_new = r.triple_count;
    int rc = well_known_ids(&r) || read_schema(&r) ||
             write_hierarchy(&r, r.sub_class_of, &r.super_classes) ||
             write_hierarchy(&r, r.sub_property_of, &r.super_properties);
    for (size_t t = 0; !rc && t < r.triple_count; t++)
      rc = fire(&r, r.triples[t]);
    if (rc)
      status = kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory during inference");
  }
  if (status == KZ_OK)
    status = write_back(&r, added, err);
  reasoner_free(&r);
  return status;
}
