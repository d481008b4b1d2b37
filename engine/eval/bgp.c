/*
 * Basic graph patterns: index nested-loop joins of triple patterns.
 *
 * Each triple pattern becomes a kz_pattern of IDs where constants and the
 * variables bound so far are filled in, and the index answers it with one
 * range scan (kz_index_match). The patterns run depth first, one cursor
 * per level, so a BGP streams its solutions and keeps no intermediate
 * results.
 *
 * The order of the patterns is chosen at open, for the variables the seed
 * binds: greedily the cheapest pattern connected to what is bound so far
 * (a cross product only when nothing connected is left), where a pattern's
 * cost is the size of the index range of its constants, divided, for each
 * position that an earlier pattern binds, by that position's number of
 * distinct values (per-predicate statistics when the predicate is known).
 * The order is kept while the seed binds the same variables, so re-opening
 * for each row of a join costs no planning.
 *
 * Graphs: the default graph is the union of all graphs (one union-mode
 * scan, each triple once), one graph, or the merge of several: then each
 * graph is scanned in turn and a triple already in an earlier graph of the
 * list is skipped, so the merge has each triple once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/exec.h"

enum { POS_CONST, POS_BOUND, POS_NEW, POS_REPEAT };

typedef struct position {
  int kind;  /* at the level the pattern runs, once ordered */
  int var;   /* -1 for a constant */
  kz_id id;  /* the constant */
} position;

typedef struct level {
  size_t pattern;    /* which pattern runs at this level */
  position at[3];    /* s, p, o with their kinds for this order */
  kz_cursor cursor;
  size_t graph_pos;  /* in the graph list */
  double estimate;
  kz_alg_expr **filters; /* checked as soon as this level has matched */
  size_t filter_count;
} level;

/* A FILTER pushed into the BGP: checked at the first level where every
 * variable it reads that the BGP binds is bound (EXISTS: the last level). */
typedef struct pushed_filter {
  kz_alg_expr *expr;
  kz_varset vars; /* variables it reads */
  bool late;      /* has EXISTS: after the last level */
} pushed_filter;

typedef struct bgp_iter {
  kz_iter base;
  size_t count;
  position (*patterns)[3]; /* as written: kinds unset */
  bool impossible;         /* a constant the store does not have */
  level *levels;
  kz_varset planned_for;   /* the seed variables the order was chosen for */
  bool planned;
  /* the graphs of the current open */
  kz_match_mode mode;
  const kz_id *graphs;
  size_t graph_count;
  kz_id one_graph;
  size_t depth;
  bool started, done;
  pushed_filter *filters;
  size_t filter_count;
  kz_varset pattern_vars; /* variables of the patterns */
} bgp_iter;

static bool bound_in(const kz_varset *bound, const position *p) {
  return p->var >= 0 && kz_varset_has(bound, p->var);
}

/* Rows expected from pattern i when the variables of bound are bound. */
static double cost(bgp_iter *it, size_t i, const kz_varset *bound) {
  kz_exec *exec = it->base.exec;
  const position *p = it->patterns[i];
  kz_pattern q = {p[0].var < 0 ? p[0].id : 0, p[1].var < 0 ? p[1].id : 0,
                  p[2].var < 0 ? p[2].id : 0, 0, it->mode, false};
  double rows = 0;
  if (it->mode == KZ_MATCH_UNION) {
    rows = (double)kz_index_estimate(exec->index, &q);
  } else {
    for (size_t g = 0; g < it->graph_count; g++) {
      q.g = it->graphs[g];
      rows += (double)kz_index_estimate(exec->index, &q);
    }
  }
  bool s_bound = bound_in(bound, &p[0]), o_bound = bound_in(bound, &p[2]);
  if (p[1].var < 0 && (s_bound || o_bound)) {
    kz_predicate_stats stats = kz_index_predicate_stats(exec->index, p[1].id);
    if (s_bound && stats.distinct_subjects)
      rows /= (double)stats.distinct_subjects;
    if (o_bound && stats.distinct_objects)
      rows /= (double)stats.distinct_objects;
  } else {
    double terms = (double)kz_index_term_count(exec->index) + 1;
    for (int k = 0; k < 3; k++)
      if (bound_in(bound, &p[k]))
        rows /= k == 1 ? sqrt(terms) : terms / 4 + 1;
  }
  return rows < 1 ? (rows > 0 ? 1 : 0) : rows;
}

static bool connected(const position *p, const kz_varset *bound) {
  for (int k = 0; k < 3; k++)
    if (bound_in(bound, &p[k]))
      return true;
  return false;
}

static bool has_var(const position *p) { return p[0].var >= 0 || p[1].var >= 0 || p[2].var >= 0; }

/* Chooses the order for the variables bound now (bound: modified). */
static void plan(bgp_iter *it, kz_varset *bound) {
  bool *used = calloc(it->count ? it->count : 1, sizeof *used);
  if (!used) {
    kz_exec_fail(it->base.exec, KZ_ERR_NOMEM, "out of memory");
    return;
  }
  bool any_bound = false;
  for (size_t w = 0; w < bound->word_count; w++)
    any_bound |= bound->words[w] != 0;
  for (size_t l = 0; l < it->count; l++) {
    size_t best = SIZE_MAX;
    double best_cost = 0;
    bool best_connected = false;
    for (size_t i = 0; i < it->count; i++) {
      if (used[i])
        continue;
      const position *p = it->patterns[i];
      bool linked = !any_bound || !has_var(p) || connected(p, bound);
      double c = cost(it, i, bound);
      if (best == SIZE_MAX || (linked && !best_connected) ||
          (linked == best_connected && c < best_cost)) {
        best = i;
        best_cost = c;
        best_connected = linked;
      }
    }
    used[best] = true;
    level *lv = &it->levels[l];
    lv->pattern = best;
    lv->estimate = best_cost;
    for (int k = 0; k < 3; k++) {
      position p = it->patterns[best][k];
      if (p.var < 0) {
        p.kind = POS_CONST;
      } else if (kz_varset_has(bound, p.var)) {
        p.kind = POS_BOUND;
        for (int j = 0; j < k; j++)
          if (lv->at[j].var == p.var && lv->at[j].kind == POS_NEW)
            p.kind = POS_REPEAT;
      } else {
        p.kind = POS_NEW;
        kz_varset_add(bound, p.var);
      }
      lv->at[k] = p;
    }
    any_bound = true;
  }
  free(used);
  /* Each pushed FILTER goes to the first level after which all of its
   * variables that the patterns bind are bound. */
  for (size_t l = 0; l < it->count; l++)
    it->levels[l].filter_count = 0;
  kz_exec *exec = it->base.exec;
  kz_varset seen;
  if (!it->filter_count || !kz_varset_init(exec, &seen))
    return;
  for (size_t f = 0; f < it->filter_count; f++) {
    pushed_filter *pf = &it->filters[f];
    size_t at = it->count - 1;
    if (!pf->late) {
      memcpy(seen.words, it->planned_for.words, seen.word_count * sizeof *seen.words);
      for (size_t l = 0; l < it->count; l++) {
        for (int k = 0; k < 3; k++)
          if (it->levels[l].at[k].var >= 0)
            kz_varset_add(&seen, it->levels[l].at[k].var);
        bool ready = true;
        for (size_t w = 0; w < seen.word_count && ready; w++)
          ready = (pf->vars.words[w] & it->pattern_vars.words[w] & ~seen.words[w]) == 0;
        if (ready) {
          at = l;
          break;
        }
      }
    }
    level *lv = &it->levels[at];
    lv->filters[lv->filter_count++] = pf->expr;
  }
}

static void set_graphs(bgp_iter *it) {
  const kz_active_graph *graph = it->base.graph;
  kz_exec *exec = it->base.exec;
  if (!graph->is_default) {
    it->mode = KZ_MATCH_GRAPH;
    it->one_graph = graph->graph;
    it->graphs = &it->one_graph;
    it->graph_count = 1;
  } else if (exec->default_union) {
    it->mode = KZ_MATCH_UNION;
    it->graphs = NULL;
    it->graph_count = 1;
  } else {
    it->mode = KZ_MATCH_GRAPH;
    it->graphs = exec->default_graphs;
    it->graph_count = exec->default_graph_count;
  }
}

static void bgp_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  (void)substitute; /* a BGP treats every bound variable as a constant */
  bgp_iter *it = (bgp_iter *)iter;
  kz_exec *exec = iter->exec;
  iter->opens++;
  kz_row_set(exec, iter->row, seed);
  it->started = false;
  it->done = it->impossible || (!iter->graph->is_default && iter->graph->graph == KZ_ID_NONE);
  set_graphs(it);
  if (it->graph_count == 0)
    it->done = true;
  if (it->done || it->count == 0)
    return;
  /* The order depends only on which variables are bound at the start. */
  kz_varset bound;
  if (!kz_varset_init(exec, &bound))
    return;
  for (size_t i = 0; i < it->count; i++)
    for (int k = 0; k < 3; k++) {
      int v = it->patterns[i][k].var;
      if (v >= 0 && iter->row[v])
        kz_varset_add(&bound, v);
    }
  if (it->planned && memcmp(bound.words, it->planned_for.words,
                            bound.word_count * sizeof *bound.words) == 0)
    return;
  kz_varset_copy(&it->planned_for, &bound);
  plan(it, &bound);
  it->planned = true;
}

static kz_id value_at(const kz_id *row, const position *p) {
  return p->kind == POS_CONST ? p->id : p->kind == POS_NEW || p->kind == POS_REPEAT ? 0 : row[p->var];
}

static void start_graph(bgp_iter *it, level *lv) {
  const position *p = lv->at;
  kz_id *row = it->base.row;
  kz_pattern q = {value_at(row, &p[0]), value_at(row, &p[1]), value_at(row, &p[2]),
                  it->mode == KZ_MATCH_GRAPH ? it->graphs[lv->graph_pos] : 0, it->mode, false};
  kz_index_match(it->base.exec->index, &q, &lv->cursor);
}

static void open_level(bgp_iter *it, level *lv) {
  lv->graph_pos = 0;
  start_graph(it, lv);
}

/* In a merge of graphs, a triple of an earlier graph was produced there. */
static bool seen_earlier(bgp_iter *it, const level *lv, const kz_id *quad) {
  for (size_t g = 0; g < lv->graph_pos; g++) {
    kz_pattern q = {quad[0], quad[1], quad[2], it->graphs[g], KZ_MATCH_GRAPH, false};
    if (kz_index_contains(it->base.exec->index, &q))
      return true;
  }
  return false;
}

static bool advance(bgp_iter *it, level *lv) {
  kz_id quad[4];
  kz_id *row = it->base.row;
  for (;;) {
    if (!kz_cursor_next(&lv->cursor, quad)) {
      if (it->mode == KZ_MATCH_GRAPH && lv->graph_pos + 1 < it->graph_count) {
        lv->graph_pos++;
        start_graph(it, lv);
        continue;
      }
      return false;
    }
    if (!kz_exec_tick(it->base.exec))
      return false;
    bool ok = true;
    for (int k = 0; k < 3 && ok; k++) {
      const position *p = &lv->at[k];
      if (p->kind == POS_NEW)
        row[p->var] = quad[k];
      else if (p->kind == POS_REPEAT)
        ok = row[p->var] == quad[k];
    }
    if (ok && lv->graph_pos > 0 && seen_earlier(it, lv, quad))
      ok = false;
    if (ok && lv->filter_count &&
        !kz_exec_filter(it->base.exec, lv->filters, lv->filter_count, row, it->base.graph))
      ok = false;
    if (ok)
      return true;
    if (it->base.exec->status != KZ_OK)
      return false;
  }
}

static void unbind(bgp_iter *it, const level *lv) {
  for (int k = 0; k < 3; k++)
    if (lv->at[k].kind == POS_NEW)
      it->base.row[lv->at[k].var] = KZ_ID_NONE;
}

static bool bgp_next(kz_iter *iter) {
  bgp_iter *it = (bgp_iter *)iter;
  if (it->done || iter->exec->status != KZ_OK)
    return false;
  if (it->count == 0) {
    it->done = true;
    iter->rows_out++;
    iter->exec->solution_counter++;
    return true;
  }
  if (!it->started) {
    it->started = true;
    it->depth = 0;
    open_level(it, &it->levels[0]);
  }
  for (;;) {
    level *lv = &it->levels[it->depth];
    if (advance(it, lv)) {
      if (it->depth + 1 == it->count) {
        iter->rows_out++;
        iter->exec->solution_counter++;
        return true;
      }
      it->depth++;
      open_level(it, &it->levels[it->depth]);
    } else {
      unbind(it, lv);
      if (iter->exec->status != KZ_OK || it->depth == 0) {
        it->done = true;
        return false;
      }
      it->depth--;
    }
  }
}

kz_iter *kz_bgp_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph) {
  bgp_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, "bgp")) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->base.open = bgp_open;
  it->base.next = bgp_next;
  it->count = op->bgp.count;
  size_t n = it->count ? it->count : 1;
  it->patterns = kz_arena_alloc(exec->arena, n * sizeof *it->patterns);
  it->levels = kz_arena_alloc(exec->arena, n * sizeof *it->levels);
  if (!it->patterns || !it->levels || !kz_varset_init(exec, &it->planned_for) ||
      !kz_varset_init(exec, &it->pattern_vars)) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  for (size_t i = 0; i < it->count; i++) {
    const kz_sparql_term *t[3] = {&op->bgp.triples[i].subject, &op->bgp.triples[i].predicate,
                                  &op->bgp.triples[i].object};
    for (int k = 0; k < 3; k++) {
      position *p = &it->patterns[i][k];
      if (t[k]->kind == KZ_SPARQL_VAR) {
        p->var = t[k]->var;
        kz_varset_add(&it->base.certain, p->var);
      } else {
        p->var = -1;
        p->id = kz_exec_constant(exec, t[k]);
        /* A literal subject or an unknown term matches nothing. */
        if (!p->id || (k != 2 && t[k]->kind == KZ_SPARQL_LITERAL))
          it->impossible = true;
      }
    }
  }
  kz_varset_copy(&it->base.maybe, &it->base.certain);
  kz_varset_copy(&it->base.accept, &it->base.certain);
  kz_varset_copy(&it->pattern_vars, &it->base.certain);
  /* Rough size for the planner above: the cheapest pattern alone, over
   * the union of all graphs (the graph is only known at open). */
  it->mode = KZ_MATCH_UNION;
  it->graph_count = 1;
  double estimate = it->count ? INFINITY : 1;
  kz_varset none;
  if (!kz_varset_init(exec, &none))
    return NULL;
  for (size_t i = 0; i < it->count && !it->impossible; i++) {
    double c = cost(it, i, &none);
    if (c < estimate)
      estimate = c;
  }
  it->base.estimate = it->impossible ? 0 : estimate;
  return &it->base;
}

static void expr_vars(const kz_alg_expr *e, kz_varset *vars, bool *late) {
  if (e->op == KZ_OP_VARIABLE)
    kz_varset_add(vars, e->term.var);
  if (e->op == KZ_OP_EXISTS || e->op == KZ_OP_NOT_EXISTS)
    *late = true;
  for (size_t i = 0; i < e->arg_count; i++)
    expr_vars(e->args[i], vars, late);
}

bool kz_bgp_push_filters(kz_iter *iter, kz_alg_expr *const *exprs, size_t count) {
  bgp_iter *it = (bgp_iter *)iter;
  kz_exec *exec = iter->exec;
  if (it->count == 0)
    return false;
  it->filters = kz_arena_alloc(exec->arena, count * sizeof *it->filters);
  for (size_t l = 0; it->filters && l < it->count; l++)
    if (!(it->levels[l].filters = kz_arena_alloc(exec->arena, count * sizeof(kz_alg_expr *))))
      return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  if (!it->filters)
    return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  for (size_t f = 0; f < count; f++) {
    pushed_filter *pf = &it->filters[f];
    pf->expr = exprs[f];
    if (!kz_varset_init(exec, &pf->vars))
      return false;
    expr_vars(exprs[f], &pf->vars, &pf->late);
  }
  it->filter_count = count;
  it->planned = false; /* place them at the next open */
  iter->name = "bgp (with filters)";
  iter->estimate /= 2;
  return true;
}

/* For --explain: the order chosen at the last open, with estimates. */
size_t kz_bgp_levels(kz_iter *iter, size_t *patterns, double *estimates, size_t max) {
  bgp_iter *it = (bgp_iter *)iter;
  size_t n = it->planned ? it->count : 0;
  for (size_t l = 0; l < n && l < max; l++) {
    patterns[l] = it->levels[l].pattern;
    estimates[l] = it->levels[l].estimate;
  }
  return n;
}
