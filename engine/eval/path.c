/*
 * Property paths (SPARQL 1.1 section 9 and 18.4): the Path operator, for
 * what the algebra did not already turn into triple patterns, i.e. paths
 * with an alternative, a repetition or a negated property set somewhere.
 *
 * A path is evaluated into a list of (start, end) pairs for the start
 * and end the pattern binds (either, both or neither), as the spec's
 * ArbitraryLengthPath and eval functions define them:
 *  - a link, an inverse, a sequence, an alternative and a negated property
 *    set give a multiset (a pair once per way of reaching it), computed
 *    from whichever end is bound (a sequence is walked from its bound end);
 *  - P*, P+ and P? give a set: breadth-first closure from each start node
 *    with a visited set, so cycles terminate; P* and P? also give the
 *    zero-length pair (x, x), for any term x, even one that is not in the
 *    graph when it is given as a constant. With both ends free, the start
 *    nodes are every subject and object of the active graph.
 * The pairs of one open are computed when it is opened and handed out in
 * order; memory is that of the answer.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "eval/exec.h"

typedef struct pairs {
  kz_id *items; /* start, end, start, end... */
  size_t count, capacity;
} pairs;

typedef struct path_iter {
  kz_iter base;
  int subject_var, object_var; /* -1: a constant */
  kz_id subject_id, object_id;
  bool impossible; /* a constant end that is a literal subject... */
  pairs result;
  size_t position;
  kz_id *seed;
} path_iter;

typedef struct walker {
  kz_exec *exec;
  const kz_active_graph *graph;
  bool failed;
} walker;

static bool push(walker *w, pairs *p, kz_id start, kz_id end) {
  kz_id *items = kz_grow(p->items, &p->capacity, p->count + 1, 2 * sizeof *items, 64);
  if (!items) {
    w->failed = true;
    return kz_exec_fail(w->exec, KZ_ERR_NOMEM, "out of memory");
  }
  p->items = items;
  p->items[2 * p->count] = start;
  p->items[2 * p->count + 1] = end;
  p->count++;
  return true;
}

/* Scans (s, p, o) in the active graph (0: wildcard) and calls back with
 * each triple; a default graph made of several graphs has each triple once. */
typedef bool (*triple_fn)(walker *w, const kz_id *quad, void *user);

static bool scan(walker *w, kz_id s, kz_id p, kz_id o, triple_fn fn, void *user) {
  kz_exec *exec = w->exec;
  const kz_active_graph *graph = w->graph;
  kz_cursor cursor;
  kz_id quad[4];
  if (s >= KZ_LOCAL_ID_BASE || p >= KZ_LOCAL_ID_BASE || o >= KZ_LOCAL_ID_BASE)
    return true; /* a term the store does not have is in no triple */
  if (!graph->is_default || !exec->default_union) {
    const kz_id *graphs = graph->is_default ? exec->default_graphs : &graph->graph;
    size_t count = graph->is_default ? exec->default_graph_count : 1;
    for (size_t g = 0; g < count; g++) {
      kz_pattern q = {s, p, o, graphs[g], KZ_MATCH_GRAPH, false};
      kz_index_match(exec->index, &q, &cursor);
      while (kz_cursor_next(&cursor, quad)) {
        bool earlier = false;
        for (size_t h = 0; h < g && !earlier; h++) {
          kz_pattern e = {quad[0], quad[1], quad[2], graphs[h], KZ_MATCH_GRAPH, false};
          earlier = kz_index_contains(exec->index, &e);
        }
        if (!earlier && (!kz_exec_tick(exec) || !fn(w, quad, user)))
          return false;
      }
    }
    return true;
  }
  kz_pattern q = {s, p, o, 0, KZ_MATCH_UNION, false};
  kz_index_match(exec->index, &q, &cursor);
  while (kz_cursor_next(&cursor, quad))
    if (!kz_exec_tick(exec) || !fn(w, quad, user))
      return false;
  return true;
}

/* ---- one step: the pairs of a path from a bound start, or to a bound end ---- */

static bool eval_path(walker *w, const kz_sparql_path *path, kz_id start, kz_id end, pairs *out);

typedef struct collect {
  pairs *out;
  bool forward; /* pair (s, o); else (o, s) */
  const kz_sparql_path *negated;
  kz_id *negated_ids; /* the set's IRIs, 0 for unknown ones */
} collect;

static bool in_set(const collect *c, kz_id p) {
  size_t n = c->negated->forward_count ? c->negated->forward_count : c->negated->inverse_count;
  for (size_t i = 0; i < n; i++)
    if (c->negated_ids[i] == p)
      return true;
  return false;
}

static bool collect_triple(walker *w, const kz_id *quad, void *user) {
  collect *c = user;
  if (c->negated && in_set(c, quad[1]))
    return true;
  return c->forward ? push(w, c->out, quad[0], quad[2]) : push(w, c->out, quad[2], quad[0]);
}

static bool eval_link(walker *w, kz_id predicate, kz_id start, kz_id end, pairs *out) {
  if (!predicate)
    return true;
  collect c = {out, true, NULL, NULL};
  return scan(w, start, predicate, end, collect_triple, &c);
}

static bool eval_negated(walker *w, const kz_sparql_path *path, kz_id start, kz_id end, pairs *out) {
  bool inverse = path->forward_count == 0 && path->inverse_count > 0;
  const kz_sparql_term *iris = inverse ? path->inverse : path->forward;
  size_t n = inverse ? path->inverse_count : path->forward_count;
  kz_id *ids = calloc(n ? n : 1, sizeof *ids);
  if (!ids) {
    w->failed = true;
    return kz_exec_fail(w->exec, KZ_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++)
    ids[i] = kz_exec_constant(w->exec, &iris[i]);
  collect c = {out, !inverse, path, ids};
  bool ok = inverse ? scan(w, end, 0, start, collect_triple, &c)
                    : scan(w, start, 0, end, collect_triple, &c);
  free(ids);
  return ok;
}

/* Every subject and object of the active graph, once each. */
static bool add_node(walker *w, const kz_id *quad, void *user) {
  kz_idset *nodes = user;
  return kz_idset_add(w->exec, nodes, quad[0]) >= 0 && kz_idset_add(w->exec, nodes, quad[2]) >= 0;
}

static bool all_nodes(walker *w, kz_idset *nodes) { return scan(w, 0, 0, 0, add_node, nodes); }

/* The ends reachable from start by one or more steps of path (or, with
 * backward, the starts reaching start), added to reached. */
static bool closure(walker *w, const kz_sparql_path *path, kz_id from, bool backward,
                    kz_idset *reached) {
  kz_id *frontier = malloc(sizeof *frontier);
  size_t count = 1, capacity = 1;
  if (!frontier) {
    w->failed = true;
    return kz_exec_fail(w->exec, KZ_ERR_NOMEM, "out of memory");
  }
  frontier[0] = from;
  pairs step = {0};
  bool ok = true;
  while (ok && count > 0) {
    kz_id node = frontier[--count];
    step.count = 0;
    ok = backward ? eval_path(w, path, 0, node, &step) : eval_path(w, path, node, 0, &step);
    for (size_t i = 0; ok && i < step.count; i++) {
      kz_id next = step.items[2 * i + (backward ? 0 : 1)];
      int added = kz_idset_add(w->exec, reached, next);
      if (added < 0) {
        ok = false;
      } else if (added) {
        kz_id *grown = kz_grow(frontier, &capacity, count + 1, sizeof *grown, 64);
        if (!grown) {
          ok = kz_exec_fail(w->exec, KZ_ERR_NOMEM, "out of memory");
          break;
        }
        frontier = grown;
        frontier[count++] = next;
      }
    }
  }
  free(frontier);
  free(step.items);
  return ok;
}

/* P*, P+ from one node in one direction: the pairs (from, x) or (x, from). */
static bool repeat_from(walker *w, const kz_sparql_path *path, kz_id node, bool backward,
                        bool zero, kz_id other, pairs *out) {
  kz_idset reached = {0};
  bool ok = true;
  if (zero)
    ok = kz_idset_add(w->exec, &reached, node) >= 0;
  ok = ok && closure(w, path->left, node, backward, &reached);
  for (size_t i = 0; ok && i < reached.slot_count; i++) {
    kz_id x = reached.slots[i];
    if (!x || (other && x != other))
      continue;
    ok = backward ? push(w, out, x, node) : push(w, out, node, x);
  }
  kz_idset_free(&reached);
  return ok;
}

static bool eval_repeat(walker *w, const kz_sparql_path *path, kz_id start, kz_id end, pairs *out) {
  bool zero = path->kind != KZ_PATH_ONE_OR_MORE;
  if (path->kind == KZ_PATH_ZERO_OR_ONE) {
    /* distinct pairs of the zero-length path and one step */
    pairs step = {0};
    bool ok = eval_path(w, path->left, start, end, &step);
    pairs all = {0};
    if (ok) {
      if (start && (!end || end == start))
        ok = push(w, &all, start, start);
      else if (!start && end)
        ok = push(w, &all, end, end);
      else if (!start && !end) {
        kz_idset nodes = {0};
        ok = all_nodes(w, &nodes);
        for (size_t i = 0; ok && i < nodes.slot_count; i++)
          if (nodes.slots[i])
            ok = push(w, &all, nodes.slots[i], nodes.slots[i]);
        kz_idset_free(&nodes);
      }
    }
    for (size_t i = 0; ok && i < step.count; i++)
      ok = push(w, &all, step.items[2 * i], step.items[2 * i + 1]);
    /* drop duplicate pairs */
    for (size_t i = 0; ok && i < all.count; i++) {
      bool dup = false;
      for (size_t j = 0; j < i && !dup; j++)
        dup = all.items[2 * j] == all.items[2 * i] && all.items[2 * j + 1] == all.items[2 * i + 1];
      if (!dup)
        ok = push(w, out, all.items[2 * i], all.items[2 * i + 1]);
    }
    free(step.items);
    free(all.items);
    return ok;
  }
  if (start)
    return repeat_from(w, path, start, false, zero, end, out);
  if (end)
    return repeat_from(w, path, end, true, zero, 0, out);
  kz_idset nodes = {0};
  bool ok = all_nodes(w, &nodes);
  for (size_t i = 0; ok && i < nodes.slot_count; i++)
    if (nodes.slots[i])
      ok = repeat_from(w, path, nodes.slots[i], false, zero, 0, out);
  kz_idset_free(&nodes);
  return ok;
}

static bool eval_sequence(walker *w, const kz_sparql_path *path, kz_id start, kz_id end,
                          pairs *out) {
  pairs first = {0}, second = {0};
  bool ok;
  if (!start && end) {
    /* walk from the bound end */
    ok = eval_path(w, path->right, 0, end, &second);
    for (size_t i = 0; ok && i < second.count; i++) {
      first.count = 0;
      ok = eval_path(w, path->left, 0, second.items[2 * i], &first);
      for (size_t j = 0; ok && j < first.count; j++)
        ok = push(w, out, first.items[2 * j], end);
    }
  } else {
    ok = eval_path(w, path->left, start, 0, &first);
    for (size_t i = 0; ok && i < first.count; i++) {
      second.count = 0;
      ok = eval_path(w, path->right, first.items[2 * i + 1], end, &second);
      for (size_t j = 0; ok && j < second.count; j++)
        ok = push(w, out, first.items[2 * i], second.items[2 * j + 1]);
    }
  }
  free(first.items);
  free(second.items);
  return ok;
}

static bool eval_path(walker *w, const kz_sparql_path *path, kz_id start, kz_id end, pairs *out) {
  if (w->failed || w->exec->status != KZ_OK)
    return false;
  switch (path->kind) {
  case KZ_PATH_LINK: return eval_link(w, kz_exec_constant(w->exec, &path->term), start, end, out);
  case KZ_PATH_INVERSE: {
    size_t before = out->count;
    if (!eval_path(w, path->left, end, start, out))
      return false;
    for (size_t i = before; i < out->count; i++) {
      kz_id t = out->items[2 * i];
      out->items[2 * i] = out->items[2 * i + 1];
      out->items[2 * i + 1] = t;
    }
    return true;
  }
  case KZ_PATH_SEQUENCE: return eval_sequence(w, path, start, end, out);
  case KZ_PATH_ALTERNATIVE:
    return eval_path(w, path->left, start, end, out) && eval_path(w, path->right, start, end, out);
  case KZ_PATH_NEGATED: return eval_negated(w, path, start, end, out);
  default: return eval_repeat(w, path, start, end, out);
  }
}

/* ---- the operator ------------------------------------------------------------ */

static void path_free(void *data) {
  path_iter *it = data;
  free(it->result.items);
}

/* Is id a subject or an object of the active graph? */
static bool is_node(walker *w, kz_id id) {
  kz_exec *exec = w->exec;
  if (id >= KZ_LOCAL_ID_BASE)
    return false;
  const kz_active_graph *graph = w->graph;
  bool all = graph->is_default && exec->default_union;
  const kz_id *graphs = graph->is_default ? exec->default_graphs : &graph->graph;
  size_t count = all ? 1 : graph->is_default ? exec->default_graph_count : 1;
  for (size_t g = 0; g < count; g++) {
    kz_pattern as_subject = {id, 0, 0, all ? 0 : graphs[g], all ? KZ_MATCH_UNION : KZ_MATCH_GRAPH, false};
    kz_pattern as_object = as_subject;
    as_object.s = 0;
    as_object.o = id;
    if (kz_index_estimate(exec->index, &as_subject) || kz_index_estimate(exec->index, &as_object))
      return true;
  }
  return false;
}

static void path_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  path_iter *it = (path_iter *)iter;
  kz_exec *exec = iter->exec;
  iter->opens++;
  kz_row_set(exec, it->seed, seed);
  it->result.count = it->position = 0;
  if (it->impossible || (!iter->graph->is_default && !iter->graph->graph))
    return;
  kz_id start = it->subject_var >= 0 ? it->seed[it->subject_var] : it->subject_id;
  kz_id end = it->object_var >= 0 ? it->seed[it->object_var] : it->object_id;
  walker w = {exec, iter->graph, false};
  /* A variable end comes from the graph: joined in from elsewhere, a term
   * that is no node of this graph matches nothing, not even by a
   * zero-length path (a constant in the query would). */
  if (!substitute && ((it->subject_var >= 0 && start && !is_node(&w, start)) ||
                      (it->object_var >= 0 && end && !is_node(&w, end))))
    return;
  eval_path(&w, iter->op->path.path, start, end, &it->result);
}

static bool path_next(kz_iter *iter) {
  path_iter *it = (path_iter *)iter;
  kz_exec *exec = iter->exec;
  while (exec->status == KZ_OK && it->position < it->result.count) {
    kz_id start = it->result.items[2 * it->position];
    kz_id end = it->result.items[2 * it->position + 1];
    it->position++;
    memcpy(iter->row, it->seed, exec->width * sizeof *iter->row);
    if (it->subject_var >= 0) {
      if (iter->row[it->subject_var] && iter->row[it->subject_var] != start)
        continue;
      iter->row[it->subject_var] = start;
    }
    if (it->object_var >= 0) {
      if (iter->row[it->object_var] && iter->row[it->object_var] != end)
        continue;
      iter->row[it->object_var] = end;
    }
    iter->rows_out++;
    exec->solution_counter++;
    return true;
  }
  return false;
}

kz_iter *kz_path_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph) {
  path_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, "path") || !(it->seed = kz_row_new(exec)) ||
      !kz_exec_on_free(exec, path_free, it)) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->base.open = path_open;
  it->base.next = path_next;
  const kz_sparql_term *ends[2] = {&op->path.subject, &op->path.object};
  int *vars[2] = {&it->subject_var, &it->object_var};
  kz_id *ids[2] = {&it->subject_id, &it->object_id};
  for (int k = 0; k < 2; k++) {
    if (ends[k]->kind == KZ_SPARQL_VAR) {
      *vars[k] = ends[k]->var;
      kz_varset_add(&it->base.certain, ends[k]->var);
    } else {
      *vars[k] = -1;
      /* A constant end gets an ID even if the store lacks it: p* reaches it
       * by the zero-length path. */
      kz_term t = {ends[k]->kind == KZ_SPARQL_IRI ? KZ_TERM_IRI : KZ_TERM_LITERAL,
                   ends[k]->lexical, ends[k]->lang, ends[k]->datatype};
      if (!(*ids[k] = kz_exec_intern(exec, &t)))
        return NULL;
    }
  }
  kz_varset_copy(&it->base.maybe, &it->base.certain);
  kz_varset_copy(&it->base.accept, &it->base.certain);
  it->base.estimate = it->subject_var < 0 || it->object_var < 0 ? 10 : 1000;
  return &it->base;
}
