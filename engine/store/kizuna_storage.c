/*
 * The "kizuna" Redland storage module: librdf's storage factory functions
 * implemented over a kz_index (see kizuna_storage.h for what Redland sees).
 *
 * Data structure: one kz_storage per librdf_storage (its instance), holding
 *  - the index, which owns every term and quad;
 *  - pending: the quads added inside an open transaction, not yet in the
 *    index; and undo: what the transaction did to the index (quads it added
 *    that were not there before, quads it removed), replayed backwards by a
 *    rollback;
 *  - live: the streams still reading the index through a kz_cursor.
 *
 * Invariants:
 *  - outside a transaction, pending and undo are empty;
 *  - a stream in live holds a cursor into the index's arrays, which any
 *    write may move. So every write first calls detach_streams, which copies
 *    the rest of each live stream's matches into the stream and takes it off
 *    the list. Interning terms does not move quads and needs no detaching;
 *  - librdf_nodes are made only at the boundary (a stream's statement, a
 *    context node); lookups of bound nodes never intern, so asking about a
 *    term the storage has never seen adds nothing.
 *
 * Every live kz_storage is also in a process-wide registry, which is how
 * kz_storage_index recognises a kizuna storage without reaching into
 * Redland's private structures.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/kizuna_storage.h"
#include "store/store_internal.h"

typedef struct match_stream match_stream;

typedef enum undo_op { UNDO_REMOVE_ADDED, UNDO_ADD_REMOVED } undo_op;

typedef struct undo_entry {
  undo_op op;
  kz_id quad[4];
} undo_entry;

typedef struct kz_storage {
  librdf_storage *storage;
  librdf_world *world;
  kz_index *index;
  int in_transaction;
  kz_id *pending; /* 4 IDs per quad */
  size_t pending_count, pending_capacity;
  undo_entry *undo;
  size_t undo_count, undo_capacity;
  match_stream *live; /* streams reading through a cursor */
  struct kz_storage *next_registered;
} kz_storage;

/* ---- the registry of live kizuna storages ------------------------------ */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static kz_storage *registry;

static void registry_add(kz_storage *ks) {
  pthread_mutex_lock(&registry_lock);
  ks->next_registered = registry;
  registry = ks;
  pthread_mutex_unlock(&registry_lock);
}

static void registry_remove(kz_storage *ks) {
  pthread_mutex_lock(&registry_lock);
  for (kz_storage **at = &registry; *at; at = &(*at)->next_registered) {
    if (*at == ks) {
      *at = ks->next_registered;
      break;
    }
  }
  pthread_mutex_unlock(&registry_lock);
}

kz_index *kz_storage_index(librdf_storage *storage) {
  if (!storage)
    return NULL;
  kz_index *index = NULL;
  pthread_mutex_lock(&registry_lock);
  for (kz_storage *ks = registry; ks; ks = ks->next_registered) {
    if (ks->storage == storage) {
      index = ks->index;
      break;
    }
  }
  pthread_mutex_unlock(&registry_lock);
  return index;
}

static kz_storage *instance_of(librdf_storage *storage) {
  return librdf_storage_get_instance(storage);
}

/* ---- nodes and IDs ------------------------------------------------------- */

/* The ID of node, interning it when intern is set; KZ_ID_NONE for an unknown
 * node when it is not. */
static kz_status node_id(kz_storage *ks, librdf_node *node, int intern, kz_id *out) {
  kz_term term;
  kz_store_node_to_term(node, &term);
  if (intern)
    return kz_index_intern(ks->index, &term, out);
  *out = kz_index_lookup(ks->index, &term);
  return KZ_OK;
}

/* A new librdf_node for id: caller frees with librdf_free_node. NULL on out
 * of memory. */
static librdf_node *new_node(kz_storage *ks, kz_id id) {
  const kz_term *term = kz_index_term(ks->index, id);
  if (!term)
    return NULL;
  const unsigned char *value = (const unsigned char *)term->value;
  switch (term->kind) {
  case KZ_TERM_IRI: return librdf_new_node_from_uri_string(ks->world, value);
  case KZ_TERM_BLANK: return librdf_new_node_from_blank_identifier(ks->world, value);
  case KZ_TERM_LITERAL:
    if (term->datatype) {
      librdf_uri *datatype = librdf_new_uri(ks->world, (const unsigned char *)term->datatype);
      if (!datatype)
        return NULL;
      librdf_node *node = librdf_new_node_from_typed_literal(ks->world, value, NULL, datatype);
      librdf_free_uri(datatype);
      return node;
    }
    return librdf_new_node_from_typed_literal(ks->world, value, term->language, NULL);
  }
  return NULL;
}

/* Subject an IRI or blank node, predicate an IRI, an object: what the index
 * may hold. */
static int statement_is_legal(librdf_statement *statement) {
  librdf_node *subject = librdf_statement_get_subject(statement);
  librdf_node *predicate = librdf_statement_get_predicate(statement);
  return subject && predicate && librdf_statement_get_object(statement) &&
         (librdf_node_is_resource(subject) || librdf_node_is_blank(subject)) &&
         librdf_node_is_resource(predicate);
}

/* ---- growable arrays ----------------------------------------------------- */

/* kz_grow on *items: 0, or -1 on out of memory. */
static int reserve(void **items, size_t *capacity, size_t needed, size_t item_size) {
  void *grown = kz_grow(*items, capacity, needed, item_size, 64);
  *items = grown ? grown : *items;
  return grown ? 0 : -1;
}

static int push_undo(kz_storage *ks, undo_op op, const kz_id quad[4]) {
  if (reserve((void **)&ks->undo, &ks->undo_capacity, ks->undo_count + 1, sizeof *ks->undo))
    return -1;
  undo_entry *entry = &ks->undo[ks->undo_count++];
  entry->op = op;
  memcpy(entry->quad, quad, sizeof entry->quad);
  return 0;
}

/* ---- match streams ------------------------------------------------------- */

/* A few recently made nodes, by ID: consecutive statements of a stream
 * share subjects and predicates, and a copy of a node is a reference. */
#define NODE_CACHE_SIZE 32

struct match_stream {
  kz_storage *ks;
  librdf_storage *storage; /* referenced while the stream lives */
  kz_cursor cursor;
  int live; /* reading through cursor (in ks->live) */
  match_stream *prev, *next;
  kz_id *rest; /* once detached: the matches still to come */
  size_t rest_count, rest_at;
  kz_id quad[4]; /* the current match */
  int at_end;
  librdf_statement current; /* built from quad on demand */
  int current_ok;
  librdf_node *context; /* the graph of a context stream, or NULL */
  kz_id cache_ids[NODE_CACHE_SIZE];
  librdf_node *cache_nodes[NODE_CACHE_SIZE];
};

static void unlink_stream(match_stream *ms) {
  if (!ms->live)
    return;
  if (ms->prev)
    ms->prev->next = ms->next;
  else
    ms->ks->live = ms->next;
  if (ms->next)
    ms->next->prev = ms->prev;
  ms->prev = ms->next = NULL;
  ms->live = 0;
}

/* Copies the rest of ms's matches out of the index. */
static int detach_stream(match_stream *ms) {
  size_t capacity = 0;
  kz_id quad[4];
  while (kz_cursor_next(&ms->cursor, quad)) {
    if (reserve((void **)&ms->rest, &capacity, (ms->rest_count + 1) * 4, sizeof *ms->rest))
      return -1;
    memcpy(ms->rest + ms->rest_count * 4, quad, sizeof quad);
    ms->rest_count++;
  }
  unlink_stream(ms);
  return 0;
}

/* Called before every write to the index. On failure (out of memory) the
 * write must not happen. */
static int detach_streams(kz_storage *ks) {
  while (ks->live)
    if (detach_stream(ks->live) != 0)
      return -1;
  return 0;
}

/* For a write that must happen (a rollback): a stream that cannot copy its
 * matches ends early rather than read moved memory. */
static void detach_or_end_streams(kz_storage *ks) {
  while (ks->live) {
    match_stream *ms = ks->live;
    if (detach_stream(ms) != 0)
      unlink_stream(ms); /* keeps what it could copy */
  }
}

static void stream_advance(match_stream *ms) {
  ms->current_ok = 0;
  if (ms->live) {
    if (kz_cursor_next(&ms->cursor, ms->quad))
      return;
    unlink_stream(ms);
  } else if (ms->rest_at < ms->rest_count) {
    memcpy(ms->quad, ms->rest + ms->rest_at * 4, sizeof ms->quad);
    ms->rest_at++;
    return;
  }
  ms->at_end = 1;
}

static librdf_node *cached_node(match_stream *ms, kz_id id) {
  size_t slot = (size_t)((id * 2654435761u) >> 16) % NODE_CACHE_SIZE;
  if (ms->cache_ids[slot] != id || !ms->cache_nodes[slot]) {
    librdf_node *node = new_node(ms->ks, id);
    if (!node)
      return NULL;
    if (ms->cache_nodes[slot])
      librdf_free_node(ms->cache_nodes[slot]);
    ms->cache_nodes[slot] = node;
    ms->cache_ids[slot] = id;
  }
  return librdf_new_node_from_node(ms->cache_nodes[slot]);
}

static int stream_is_end(void *context) { return ((match_stream *)context)->at_end; }

static int stream_next(void *context) {
  match_stream *ms = context;
  if (!ms->at_end)
    stream_advance(ms);
  return ms->at_end;
}

static void *stream_get(void *context, int flags) {
  match_stream *ms = context;
  if (ms->at_end)
    return NULL;
  if (flags == LIBRDF_STREAM_GET_METHOD_GET_CONTEXT)
    return ms->context;
  if (flags != LIBRDF_STREAM_GET_METHOD_GET_OBJECT)
    return NULL;
  if (!ms->current_ok) {
    librdf_statement_clear(&ms->current);
    librdf_node *subject = cached_node(ms, ms->quad[0]);
    librdf_node *predicate = cached_node(ms, ms->quad[1]);
    librdf_node *object = cached_node(ms, ms->quad[2]);
    librdf_statement_set_subject(&ms->current, subject);
    librdf_statement_set_predicate(&ms->current, predicate);
    librdf_statement_set_object(&ms->current, object);
    if (!subject || !predicate || !object)
      return NULL; /* out of memory: Redland ends the stream */
    ms->current_ok = 1;
  }
  return &ms->current;
}

static void stream_finished(void *context) {
  match_stream *ms = context;
  unlink_stream(ms);
  librdf_statement_clear(&ms->current);
  for (size_t i = 0; i < NODE_CACHE_SIZE; i++)
    if (ms->cache_nodes[i])
      librdf_free_node(ms->cache_nodes[i]);
  if (ms->context)
    librdf_free_node(ms->context);
  free(ms->rest);
  librdf_storage_remove_reference(ms->storage);
  free(ms);
}

/* A stream over the matches of pattern; context (copied) is reported as
 * every statement's context. NULL on out of memory. */
static librdf_stream *new_match_stream(kz_storage *ks, const kz_pattern *pattern,
                                       librdf_node *context) {
  match_stream *ms = calloc(1, sizeof *ms);
  if (!ms)
    return NULL;
  ms->ks = ks;
  ms->storage = ks->storage;
  librdf_storage_add_reference(ms->storage);
  librdf_statement_init(ks->world, &ms->current);
  if (context && !(ms->context = librdf_new_node_from_node(context))) {
    stream_finished(ms);
    return NULL;
  }
  kz_index_match(ks->index, pattern, &ms->cursor);
  ms->live = 1;
  ms->next = ks->live;
  if (ks->live)
    ks->live->prev = ms;
  ks->live = ms;
  stream_advance(ms);
  librdf_stream *stream =
      librdf_new_stream(ks->world, ms, stream_is_end, stream_next, stream_get, stream_finished);
  if (!stream)
    stream_finished(ms);
  return stream;
}

/* ---- transactions -------------------------------------------------------- */

/* Moves the pending adds of the open transaction into the index, noting in
 * undo the quads that were not there before. Non-zero on out of memory; the
 * adds not yet moved stay pending. */
static int apply_pending(kz_storage *ks) {
  size_t count = ks->pending_count;
  if (!count)
    return 0;
  if (kz_index_flush(ks->index) != KZ_OK ||
      reserve((void **)&ks->undo, &ks->undo_capacity, ks->undo_count + count, sizeof *ks->undo))
    return 1;
  unsigned char *fresh = malloc(count);
  if (!fresh || detach_streams(ks) != 0) {
    free(fresh);
    return 1;
  }
  /* All lookups before any add: a lookup after an add would flush the index
   * once per quad. */
  for (size_t i = 0; i < count; i++) {
    const kz_id *q = ks->pending + i * 4;
    kz_pattern pattern = {q[0], q[1], q[2], q[3], KZ_MATCH_GRAPH, false};
    fresh[i] = !kz_index_contains(ks->index, &pattern);
  }
  size_t done = 0;
  int failed = 0;
  for (; done < count; done++) {
    const kz_id *q = ks->pending + done * 4;
    if (!fresh[done])
      continue;
    if (kz_index_add(ks->index, q[0], q[1], q[2], q[3]) != KZ_OK) {
      failed = 1;
      break;
    }
    push_undo(ks, UNDO_REMOVE_ADDED, q); /* cannot fail: reserved above */
  }
  free(fresh);
  memmove(ks->pending, ks->pending + done * 4, (count - done) * 4 * sizeof *ks->pending);
  ks->pending_count = count - done;
  return failed;
}

/* Takes back what the open transaction did and ends it. */
static int rollback(kz_storage *ks) {
  ks->pending_count = 0;
  detach_or_end_streams(ks);
  int status = 0;
  for (size_t i = ks->undo_count; i-- > 0;) {
    const kz_id *q = ks->undo[i].quad;
    if (ks->undo[i].op == UNDO_REMOVE_ADDED)
      status |= kz_index_remove(ks->index, q[0], q[1], q[2], q[3], NULL) != KZ_OK;
    else
      status |= kz_index_add(ks->index, q[0], q[1], q[2], q[3]) != KZ_OK;
  }
  ks->undo_count = 0;
  ks->in_transaction = 0;
  return status;
}

static int factory_transaction_start(librdf_storage *storage) {
  kz_storage *ks = instance_of(storage);
  if (ks->in_transaction)
    return 1;
  ks->in_transaction = 1;
  return 0;
}

static int factory_transaction_commit(librdf_storage *storage) {
  kz_storage *ks = instance_of(storage);
  if (!ks->in_transaction)
    return 1;
  if (apply_pending(ks) != 0) {
    rollback(ks);
    return 1;
  }
  ks->undo_count = 0;
  ks->in_transaction = 0;
  return 0;
}

static int factory_transaction_rollback(librdf_storage *storage) {
  kz_storage *ks = instance_of(storage);
  if (!ks->in_transaction)
    return 1;
  return rollback(ks);
}

/* Before a read: a transaction sees its own adds. */
static int ready_to_read(kz_storage *ks) { return ks->in_transaction ? apply_pending(ks) : 0; }

/* ---- adding and removing ------------------------------------------------- */

/* Adds statement to graph context (NULL: no graph). 0 on success, 1 on out
 * of memory, 2 for a statement the storage cannot hold. */
static int add_quad(kz_storage *ks, librdf_node *context, librdf_statement *statement) {
  if (!statement_is_legal(statement))
    return 2;
  kz_id q[4] = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE};
  if (node_id(ks, librdf_statement_get_subject(statement), 1, &q[0]) != KZ_OK ||
      node_id(ks, librdf_statement_get_predicate(statement), 1, &q[1]) != KZ_OK ||
      node_id(ks, librdf_statement_get_object(statement), 1, &q[2]) != KZ_OK ||
      (context && node_id(ks, context, 1, &q[3]) != KZ_OK))
    return 1;
  if (ks->in_transaction) {
    if (reserve((void **)&ks->pending, &ks->pending_capacity, (ks->pending_count + 1) * 4,
                sizeof *ks->pending))
      return 1;
    memcpy(ks->pending + ks->pending_count * 4, q, sizeof q);
    ks->pending_count++;
    return 0;
  }
  if (detach_streams(ks) != 0)
    return 1;
  return kz_index_add(ks->index, q[0], q[1], q[2], q[3]) != KZ_OK;
}

/* Removes statement from graph context (NULL: no graph). */
static int remove_quad(kz_storage *ks, librdf_node *context, librdf_statement *statement) {
  if (!librdf_statement_is_complete(statement) || ready_to_read(ks) != 0)
    return 1;
  kz_id q[4] = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE};
  node_id(ks, librdf_statement_get_subject(statement), 0, &q[0]);
  node_id(ks, librdf_statement_get_predicate(statement), 0, &q[1]);
  node_id(ks, librdf_statement_get_object(statement), 0, &q[2]);
  if (context)
    node_id(ks, context, 0, &q[3]);
  if (!q[0] || !q[1] || !q[2] || (context && !q[3]))
    return 0; /* a term never seen: the quad is not there */
  if (detach_streams(ks) != 0 ||
      (ks->in_transaction &&
       reserve((void **)&ks->undo, &ks->undo_capacity, ks->undo_count + 1, sizeof *ks->undo)))
    return 1;
  bool removed = false;
  if (kz_index_remove(ks->index, q[0], q[1], q[2], q[3], &removed) != KZ_OK)
    return 1;
  if (removed && ks->in_transaction)
    push_undo(ks, UNDO_ADD_REMOVED, q); /* cannot fail: reserved above */
  return 0;
}

static int factory_add_statement(librdf_storage *storage, librdf_statement *statement) {
  return add_quad(instance_of(storage), NULL, statement);
}

static int factory_context_add_statement(librdf_storage *storage, librdf_node *context,
                                         librdf_statement *statement) {
  return add_quad(instance_of(storage), context, statement);
}

/* Adds every statement of stream, skipping those the storage cannot hold
 * (as Redland's own loop does). */
static int add_stream(kz_storage *ks, librdf_node *context, librdf_stream *stream) {
  for (; !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    if (!statement || add_quad(ks, context, statement) == 1)
      return 1;
  }
  return 0;
}

static int factory_add_statements(librdf_storage *storage, librdf_stream *stream) {
  return add_stream(instance_of(storage), NULL, stream);
}

static int factory_context_add_statements(librdf_storage *storage, librdf_node *context,
                                          librdf_stream *stream) {
  return add_stream(instance_of(storage), context, stream);
}

static int factory_remove_statement(librdf_storage *storage, librdf_statement *statement) {
  return remove_quad(instance_of(storage), NULL, statement);
}

static int factory_context_remove_statement(librdf_storage *storage, librdf_node *context,
                                            librdf_statement *statement) {
  return remove_quad(instance_of(storage), context, statement);
}

static int factory_context_remove_statements(librdf_storage *storage, librdf_node *context) {
  kz_storage *ks = instance_of(storage);
  if (ready_to_read(ks) != 0)
    return 1;
  kz_id graph = KZ_ID_NONE;
  if (context) {
    node_id(ks, context, 0, &graph);
    if (graph == KZ_ID_NONE)
      return 0; /* no such graph */
  }
  /* Collect first: removing moves the quads a cursor reads. */
  kz_pattern pattern = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, graph, KZ_MATCH_GRAPH, false};
  kz_cursor cursor;
  kz_id *quads = NULL, quad[4];
  size_t count = 0, capacity = 0;
  kz_index_match(ks->index, &pattern, &cursor);
  while (kz_cursor_next(&cursor, quad)) {
    if (reserve((void **)&quads, &capacity, (count + 1) * 4, sizeof *quads)) {
      free(quads);
      return 1;
    }
    memcpy(quads + count++ * 4, quad, sizeof quad);
  }
  int status = detach_streams(ks) != 0 ||
               (ks->in_transaction && reserve((void **)&ks->undo, &ks->undo_capacity,
                                              ks->undo_count + count, sizeof *ks->undo));
  for (size_t i = 0; status == 0 && i < count; i++) {
    const kz_id *q = quads + i * 4;
    status = kz_index_remove(ks->index, q[0], q[1], q[2], q[3], NULL) != KZ_OK;
    if (status == 0 && ks->in_transaction)
      push_undo(ks, UNDO_ADD_REMOVED, q); /* cannot fail: reserved above */
  }
  free(quads);
  return status;
}

/* ---- reading ------------------------------------------------------------- */

static int factory_size(librdf_storage *storage) {
  kz_storage *ks = instance_of(storage);
  if (ready_to_read(ks) != 0)
    return -1;
  size_t count = kz_index_quad_count(ks->index);
  return count > (size_t)INT32_MAX ? INT32_MAX : (int)count;
}

/* Fills the s, p, o of pattern from the bound parts of statement (NULL:
 * all free). Returns 0 when a bound part is a term the index has never
 * seen, so that nothing can match. */
static int pattern_from(kz_storage *ks, librdf_statement *statement, kz_pattern *pattern) {
  if (!statement)
    return 1;
  librdf_node *parts[3] = {librdf_statement_get_subject(statement),
                           librdf_statement_get_predicate(statement),
                           librdf_statement_get_object(statement)};
  kz_id *ids[3] = {&pattern->s, &pattern->p, &pattern->o};
  for (int i = 0; i < 3; i++) {
    if (!parts[i])
      continue;
    node_id(ks, parts[i], 0, ids[i]);
    if (*ids[i] == KZ_ID_NONE)
      return 0;
  }
  return 1;
}

static int factory_contains_statement(librdf_storage *storage, librdf_statement *statement) {
  kz_storage *ks = instance_of(storage);
  kz_pattern pattern = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_MATCH_UNION, false};
  if (ready_to_read(ks) != 0 || !librdf_statement_is_complete(statement) ||
      !pattern_from(ks, statement, &pattern))
    return 0;
  return kz_index_contains(ks->index, &pattern);
}

/* A stream over statement's matches: over the union of all graphs when
 * in_context is 0, else in graph context (NULL: the quads without one). */
static librdf_stream *find(librdf_storage *storage, librdf_statement *statement, int in_context,
                           librdf_node *context) {
  kz_storage *ks = instance_of(storage);
  if (ready_to_read(ks) != 0)
    return NULL;
  kz_pattern pattern = {
      KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, in_context ? KZ_MATCH_GRAPH : KZ_MATCH_UNION,
      false};
  int possible = pattern_from(ks, statement, &pattern);
  if (possible && context) {
    node_id(ks, context, 0, &pattern.g);
    possible = pattern.g != KZ_ID_NONE;
  }
  if (!possible)
    return librdf_new_empty_stream(ks->world);
  return new_match_stream(ks, &pattern, in_context ? context : NULL);
}

static librdf_stream *factory_serialise(librdf_storage *storage) {
  return find(storage, NULL, 0, NULL);
}

static librdf_stream *factory_find_statements(librdf_storage *storage,
                                              librdf_statement *statement) {
  return find(storage, statement, 0, NULL);
}

static librdf_stream *factory_context_serialise(librdf_storage *storage, librdf_node *context) {
  return find(storage, NULL, 1, context);
}

static librdf_stream *factory_find_statements_in_context(librdf_storage *storage,
                                                         librdf_statement *statement,
                                                         librdf_node *context) {
  return find(storage, statement, 1, context);
}

/* The graphs, as nodes made when the iterator is: a handful, and safe from
 * changes to the storage while the caller iterates. */
typedef struct graph_iterator {
  librdf_storage *storage;
  librdf_node **nodes;
  size_t count, at;
} graph_iterator;

static int graphs_is_end(void *context) {
  graph_iterator *gi = context;
  return gi->at >= gi->count;
}

static int graphs_next(void *context) {
  graph_iterator *gi = context;
  if (gi->at < gi->count)
    gi->at++;
  return gi->at >= gi->count;
}

static void *graphs_get(void *context, int flags) {
  graph_iterator *gi = context;
  if (gi->at >= gi->count || flags != LIBRDF_ITERATOR_GET_METHOD_GET_OBJECT)
    return NULL;
  return gi->nodes[gi->at];
}

static void graphs_finished(void *context) {
  graph_iterator *gi = context;
  for (size_t i = 0; i < gi->count; i++)
    librdf_free_node(gi->nodes[i]);
  free(gi->nodes);
  librdf_storage_remove_reference(gi->storage);
  free(gi);
}

static librdf_iterator *factory_get_contexts(librdf_storage *storage) {
  kz_storage *ks = instance_of(storage);
  if (ready_to_read(ks) != 0)
    return NULL;
  size_t count = 0;
  const kz_id *graphs = kz_index_graphs(ks->index, &count);
  graph_iterator *gi = calloc(1, sizeof *gi);
  if (!gi)
    return NULL;
  gi->storage = storage;
  librdf_storage_add_reference(storage);
  gi->nodes = calloc(count ? count : 1, sizeof *gi->nodes);
  if (!gi->nodes) {
    graphs_finished(gi);
    return NULL;
  }
  for (; gi->count < count; gi->count++) {
    if (!(gi->nodes[gi->count] = new_node(ks, graphs[gi->count]))) {
      graphs_finished(gi);
      return NULL;
    }
  }
  librdf_iterator *iterator =
      librdf_new_iterator(ks->world, gi, graphs_is_end, graphs_next, graphs_get, graphs_finished);
  if (!iterator)
    graphs_finished(gi);
  return iterator;
}

static librdf_node *factory_get_feature(librdf_storage *storage, librdf_uri *feature) {
  kz_storage *ks = instance_of(storage);
  const char *name = feature ? (const char *)librdf_uri_as_string(feature) : NULL;
  if (name && strcmp(name, LIBRDF_MODEL_FEATURE_CONTEXTS) == 0)
    return librdf_new_node_from_typed_literal(ks->world, (const unsigned char *)"1", NULL, NULL);
  return NULL;
}

/* ---- life cycle ---------------------------------------------------------- */

static int factory_init(librdf_storage *storage, const char *name, librdf_hash *options) {
  (void)name;
  if (options)
    librdf_free_hash(options); /* ours, and none is used */
  kz_storage *ks = calloc(1, sizeof *ks);
  if (!ks)
    return 1;
  if (kz_index_new(&ks->index) != KZ_OK) {
    free(ks);
    return 1;
  }
  ks->storage = storage;
  ks->world = librdf_storage_get_world(storage);
  librdf_storage_set_instance(storage, ks);
  registry_add(ks);
  return 0;
}

static void factory_terminate(librdf_storage *storage) {
  kz_storage *ks = instance_of(storage);
  if (!ks)
    return;
  registry_remove(ks);
  kz_index_free(ks->index);
  free(ks->pending);
  free(ks->undo);
  free(ks);
  librdf_storage_set_instance(storage, NULL);
}

static int factory_open(librdf_storage *storage, librdf_model *model) {
  (void)storage;
  (void)model;
  return 0;
}

static int factory_close(librdf_storage *storage) {
  (void)storage;
  return 0;
}

static int factory_sync(librdf_storage *storage) {
  kz_storage *ks = instance_of(storage);
  return ks->in_transaction ? 0 : kz_index_flush(ks->index) != KZ_OK;
}

static void register_factory(librdf_storage_factory *factory) {
  factory->version = LIBRDF_STORAGE_INTERFACE_VERSION;
  factory->init = factory_init;
  factory->terminate = factory_terminate;
  factory->open = factory_open;
  factory->close = factory_close;
  factory->size = factory_size;
  factory->add_statement = factory_add_statement;
  factory->add_statements = factory_add_statements;
  factory->remove_statement = factory_remove_statement;
  factory->contains_statement = factory_contains_statement;
  factory->serialise = factory_serialise;
  factory->find_statements = factory_find_statements;
  factory->context_add_statement = factory_context_add_statement;
  factory->context_add_statements = factory_context_add_statements;
  factory->context_remove_statement = factory_context_remove_statement;
  factory->context_remove_statements = factory_context_remove_statements;
  factory->context_serialise = factory_context_serialise;
  factory->find_statements_in_context = factory_find_statements_in_context;
  factory->get_contexts = factory_get_contexts;
  factory->get_feature = factory_get_feature;
  factory->sync = factory_sync;
  factory->transaction_start = factory_transaction_start;
  factory->transaction_commit = factory_transaction_commit;
  factory->transaction_rollback = factory_transaction_rollback;
}

kz_status kz_storage_add_ids(librdf_storage *storage, const kz_id *quads, size_t count) {
  kz_storage *ks = instance_of(storage);
  if (!ks || ks->in_transaction)
    return KZ_ERR_INTERNAL;
  if (detach_streams(ks) != 0)
    return KZ_ERR_NOMEM;
  for (size_t i = 0; i < count; i++) {
    const kz_id *q = quads + 4 * i;
    kz_status status = kz_index_add(ks->index, q[0], q[1], q[2], q[3]);
    if (status != KZ_OK)
      return status;
  }
  return kz_index_flush(ks->index);
}

kz_status kz_storage_adopt_index(librdf_storage *storage, kz_index *index) {
  kz_storage *ks = NULL;
  pthread_mutex_lock(&registry_lock);
  for (kz_storage *r = registry; r; r = r->next_registered)
    if (r->storage == storage)
      ks = r;
  pthread_mutex_unlock(&registry_lock);
  if (!ks || ks->in_transaction || ks->live || kz_index_quad_count(ks->index) != 0) {
    kz_index_free(index);
    return KZ_ERR_INTERNAL;
  }
  kz_index_free(ks->index);
  ks->index = index;
  return KZ_OK;
}

kz_status kz_storage_register(librdf_world *world) {
  if (librdf_storage_register_factory(world, KZ_STORAGE_NAME, "Kizuna quad index",
                                      register_factory) != 0)
    return KZ_ERR_INTERNAL;
  return KZ_OK;
}
