/*
 * The operators of the algebra that combine or filter solutions: Join and
 * LeftJoin (one implementation), Union, Minus, Filter, Extend, Table
 * (VALUES), Graph, Project, Distinct, Reduced and Slice.
 *
 * Joins. When the right side accepts as seed a variable the left side
 * certainly binds, the join is an index nested-loop join: the right side
 * is re-opened for each left solution with the shared variables bound, so
 * its triple patterns become range lookups. Otherwise (nothing shared, or
 * a right side that takes no seed: a subquery with LIMIT, a GROUP) the
 * right side runs once, its solutions are kept in a hash table on the
 * variables both sides certainly bind, and each left solution probes it.
 * LeftJoin is the same with its filter applied to each merged pair and the
 * left solution kept when no pair passes; Minus keeps the right side's
 * solutions in the same kind of table (anti-join). No operator re-scans
 * the store per left solution.
 *
 * Every operator keeps a copy of its seed and merges it into what it
 * produces, so that "every solution extends the seed" holds whatever its
 * children accepted.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "eval/exec.h"

/* ---- shared pieces ---------------------------------------------------------- */

/* A seed copy and a scratch buffer for children's seeds. */
typedef struct seeded {
  kz_id *seed;
  kz_id *child_seed;
  bool substitute;
} seeded;

static bool seeded_init(kz_exec *exec, seeded *s) {
  return (s->seed = kz_row_new(exec)) && (s->child_seed = kz_row_new(exec));
}

static void seeded_set(kz_exec *exec, seeded *s, const kz_id *seed, bool substitute) {
  kz_row_set(exec, s->seed, seed);
  s->substitute = substitute;
}

/* row := from merged with the seed; false if they disagree. */
static bool emit(kz_exec *exec, kz_id *row, const kz_id *from, const seeded *s) {
  memcpy(row, from, exec->width * sizeof *row);
  return kz_row_merge(row, s->seed, exec->width);
}

/* Variables set as a list, for hashing. */
typedef struct varlist {
  int *vars;
  size_t count;
} varlist;

static bool varlist_from(kz_exec *exec, varlist *list, const kz_varset *a, const kz_varset *b) {
  list->count = 0;
  list->vars = kz_arena_alloc(exec->arena, (exec->width + 1) * sizeof *list->vars);
  if (!list->vars)
    return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  for (size_t v = 0; v < exec->width; v++)
    if (kz_varset_has(a, (int)v) && (!b || kz_varset_has(b, (int)v)))
      list->vars[list->count++] = (int)v;
  return true;
}

/* A hash table of rows on key variables: chains of row numbers. */
typedef struct row_table {
  kz_rowbuf *rows;
  size_t *heads; /* bucket -> row + 1 */
  size_t *next;  /* row -> next row + 1 */
  size_t bucket_count, next_capacity;
  varlist key;
} row_table;

static void row_table_free(void *table) {
  row_table *t = table;
  free(t->heads);
  free(t->next);
  t->heads = t->next = NULL;
  t->bucket_count = t->next_capacity = 0;
}

/* Indexes rows by key (after they are all in t->rows). */
static bool row_table_build(kz_exec *exec, row_table *t) {
  size_t n = t->rows->count;
  size_t buckets = 16;
  while (buckets < n * 2)
    buckets *= 2;
  free(t->heads);
  free(t->next);
  t->heads = calloc(buckets, sizeof *t->heads);
  t->next = calloc(n ? n : 1, sizeof *t->next);
  t->bucket_count = buckets;
  if (!t->heads || !t->next)
    return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    kz_id *row = kz_rowbuf_at(exec, t->rows, i);
    size_t b = kz_row_hash(row, t->key.vars, t->key.count, exec->width) & (buckets - 1);
    t->next[i] = t->heads[b];
    t->heads[b] = i + 1;
  }
  return true;
}

/* First candidate row for probe (row + 1, 0 for none); then next[]. */
static size_t row_table_first(kz_exec *exec, const row_table *t, const kz_id *probe) {
  if (!t->bucket_count)
    return 0;
  size_t b = kz_row_hash(probe, t->key.vars, t->key.count, exec->width) & (t->bucket_count - 1);
  return t->heads[b];
}

static void open_child(kz_iter *child, const seeded *s) {
  kz_iter_open_child(child, s->seed, s->substitute, s->child_seed);
}

/* ---- Join and LeftJoin ----------------------------------------------------- */

typedef struct join_iter {
  kz_iter base;
  kz_iter *left, *right;
  bool optional;
  kz_alg_expr **exprs;
  size_t expr_count;
  bool bind; /* index nested loop; else hash */
  seeded s;
  kz_id *left_row; /* the current left solution merged with the seed */
  kz_id *right_seed;
  bool have_left, matched;
  /* hash mode */
  row_table table;
  kz_id *built_for; /* the right side's seed when the table was built */
  kz_active_graph built_graph; /* and the graph */
  bool built;
  size_t candidate;
} join_iter;

static bool join_build(join_iter *it);

static void join_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  join_iter *it = (join_iter *)iter;
  iter->opens++;
  seeded_set(iter->exec, &it->s, seed, substitute);
  open_child(it->left, &it->s);
  it->have_left = false;
  if (!it->bind)
    join_build(it);
}

/* Builds the right side's table for the current seed (kept while the
 * seed the right side gets is the same). */
static bool join_build(join_iter *it) {
  kz_exec *exec = it->base.exec;
  kz_id *right_seed = it->right_seed;
  for (size_t i = 0; i < exec->width; i++)
    right_seed[i] = it->s.seed[i] && (it->s.substitute || kz_varset_has(&it->right->accept, (int)i))
                        ? it->s.seed[i]
                        : KZ_ID_NONE;
  const kz_active_graph *graph = it->base.graph;
  if (it->built && memcmp(right_seed, it->built_for, exec->width * sizeof *right_seed) == 0 &&
      graph->is_default == it->built_graph.is_default && graph->graph == it->built_graph.graph)
    return true;
  memcpy(it->built_for, right_seed, exec->width * sizeof *right_seed);
  it->built_graph = *graph;
  it->table.rows->count = 0;
  it->right->open(it->right, right_seed, it->s.substitute);
  while (it->right->next(it->right))
    if (!kz_rowbuf_push(exec, it->table.rows, it->right->row))
      return false;
  if (exec->status != KZ_OK || !row_table_build(exec, &it->table))
    return false;
  it->built = true;
  return true;
}

/* The next left solution, merged with the seed, and the right side set up
 * for it. */
static bool join_next_left(join_iter *it) {
  kz_exec *exec = it->base.exec;
  for (;;) {
    if (!it->left->next(it->left))
      return false;
    memcpy(it->left_row, it->left->row, exec->width * sizeof *it->left_row);
    if (kz_row_merge(it->left_row, it->s.seed, exec->width))
      break;
  }
  it->matched = false;
  if (it->bind) {
    kz_iter_open_child(it->right, it->left_row, it->s.substitute, it->right_seed);
  } else {
    it->candidate = row_table_first(exec, &it->table, it->left_row);
    if (it->table.key.count == 0)
      it->candidate = it->table.rows->count ? 1 : 0; /* every row, in order */
  }
  return true;
}

/* The next right solution compatible with the left one, merged into row. */
static bool join_next_right(join_iter *it) {
  kz_exec *exec = it->base.exec;
  kz_id *row = it->base.row;
  for (;;) {
    const kz_id *right;
    if (it->bind) {
      if (!it->right->next(it->right))
        return false;
      right = it->right->row;
    } else {
      if (!it->candidate)
        return false;
      size_t i = it->candidate - 1;
      it->candidate = it->table.key.count ? it->table.next[i]
                                          : (i + 1 < it->table.rows->count ? i + 2 : 0);
      right = kz_rowbuf_at(exec, it->table.rows, i);
    }
    if (!kz_exec_tick(exec))
      return false;
    memcpy(row, it->left_row, exec->width * sizeof *row);
    if (!kz_row_merge(row, right, exec->width))
      continue;
    if (it->expr_count && !kz_exec_filter(exec, it->exprs, it->expr_count, row, it->base.graph))
      continue;
    return true;
  }
}

static bool join_next(kz_iter *iter) {
  join_iter *it = (join_iter *)iter;
  kz_exec *exec = iter->exec;
  for (;;) {
    if (exec->status != KZ_OK)
      return false;
    if (!it->have_left) {
      if (!join_next_left(it))
        return false;
      it->have_left = true;
    }
    if (join_next_right(it)) {
      it->matched = true;
      iter->rows_out++;
      return true;
    }
    if (exec->status != KZ_OK)
      return false;
    it->have_left = false;
    if (it->optional && !it->matched) {
      memcpy(iter->row, it->left_row, exec->width * sizeof *iter->row);
      iter->rows_out++;
      return true;
    }
  }
}

/* Does b take as seed a variable that a certainly binds? */
static bool feeds(kz_exec *exec, const kz_iter *a, const kz_iter *b) {
  (void)exec;
  for (size_t w = 0; w < a->certain.word_count; w++)
    if (a->certain.words[w] & b->accept.words[w])
      return true;
  return false;
}

kz_iter *kz_join_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                     kz_iter *left, kz_iter *right) {
  /* Join is commutative. For an index nested loop the smaller side goes
   * first (when the other takes its variables as seed); for a hash join the
   * smaller side is the one kept in the table (the right). */
  bool swap = false;
  if (op->kind == KZ_ALG_JOIN) {
    bool left_feeds = feeds(exec, left, right), right_feeds = feeds(exec, right, left);
    if (left_feeds || right_feeds)
      swap = right_feeds && (!left_feeds || right->estimate < left->estimate);
    else
      swap = right->estimate > left->estimate;
  }
  if (swap) {
    kz_iter *t = left;
    left = right;
    right = t;
  }
  join_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, "join") || !seeded_init(exec, &it->s) ||
      !(it->left_row = kz_row_new(exec)) || !(it->right_seed = kz_row_new(exec)) ||
      !(it->built_for = kz_row_new(exec)) || !(it->table.rows = kz_rowbuf_new(exec))) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->base.open = join_open;
  it->base.next = join_next;
  it->base.children[0] = it->left = left;
  it->base.children[1] = it->right = right;
  it->optional = op->kind == KZ_ALG_LEFT_JOIN;
  it->exprs = op->exprs;
  it->expr_count = op->expr_count;
  kz_iter *b = &it->base;
  kz_varset_copy(&b->certain, &left->certain);
  kz_varset_copy(&b->maybe, &left->maybe);
  kz_varset_union(&b->maybe, &right->maybe);
  kz_varset_copy(&b->accept, &left->accept);
  if (!it->optional) {
    kz_varset_union(&b->certain, &right->certain);
    kz_varset_union(&b->accept, &right->accept);
  }
  /* Index nested loop when a variable the left side certainly binds can
   * be handed to the right side. */
  kz_varset shared;
  if (!kz_varset_init(exec, &shared))
    return NULL;
  kz_varset_copy(&shared, &right->accept);
  kz_varset_intersect(&shared, &left->certain);
  for (size_t w = 0; w < shared.word_count; w++)
    it->bind |= shared.words[w] != 0;
  if (!it->bind && (!varlist_from(exec, &it->table.key, &left->certain, &right->certain) ||
                    !kz_exec_on_free(exec, row_table_free, &it->table)))
    return NULL;
  it->base.name = it->optional ? (it->bind ? "leftjoin (index nested loop)" : "leftjoin (hash)")
                               : (it->bind ? "join (index nested loop)" : "join (hash)");
  double l = left->estimate, r = right->estimate;
  b->estimate = it->bind ? l * (r > 1 ? 1 + r / (r + 1) : 1) : l * (r > 0 ? r : 1);
  if (it->optional && b->estimate < l)
    b->estimate = l;
  return b;
}


/* ---- Union ------------------------------------------------------------------------- */

typedef struct union_iter {
  kz_iter base;
  kz_iter *left, *right;
  seeded s;
  int side; /* 0 left, 1 right, 2 done */
} union_iter;

static void union_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  union_iter *it = (union_iter *)iter;
  iter->opens++;
  seeded_set(iter->exec, &it->s, seed, substitute);
  it->side = 0;
  open_child(it->left, &it->s);
}

static bool union_next(kz_iter *iter) {
  union_iter *it = (union_iter *)iter;
  while (it->side < 2 && iter->exec->status == KZ_OK) {
    kz_iter *child = it->side == 0 ? it->left : it->right;
    if (child->next(child)) {
      if (!emit(iter->exec, iter->row, child->row, &it->s))
        continue;
      iter->rows_out++;
      return true;
    }
    if (++it->side == 1)
      open_child(it->right, &it->s);
  }
  return false;
}

static kz_iter *union_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                          kz_iter *left, kz_iter *right) {
  union_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, "union") || !seeded_init(exec, &it->s)) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->base.open = union_open;
  it->base.next = union_next;
  it->base.children[0] = it->left = left;
  it->base.children[1] = it->right = right;
  kz_varset_copy(&it->base.certain, &left->certain);
  kz_varset_intersect(&it->base.certain, &right->certain);
  kz_varset_copy(&it->base.accept, &left->accept);
  kz_varset_intersect(&it->base.accept, &right->accept);
  kz_varset_copy(&it->base.maybe, &left->maybe);
  kz_varset_union(&it->base.maybe, &right->maybe);
  it->base.estimate = left->estimate + right->estimate;
  return &it->base;
}

/* ---- Minus ---------------------------------------------------------------------- */

typedef struct minus_iter {
  kz_iter base;
  kz_iter *left, *right;
  seeded s;
  row_table table;
  kz_active_graph built_graph;
  bool built;
} minus_iter;

static void minus_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  minus_iter *it = (minus_iter *)iter;
  kz_exec *exec = iter->exec;
  iter->opens++;
  seeded_set(exec, &it->s, seed, substitute);
  open_child(it->left, &it->s);
  /* The right side takes no seed: the same in the same graph. */
  const kz_active_graph *graph = iter->graph;
  if (it->built && graph->is_default == it->built_graph.is_default &&
      graph->graph == it->built_graph.graph)
    return;
  it->built_graph = *graph;
  it->table.rows->count = 0;
  it->right->open(it->right, NULL, false);
  while (it->right->next(it->right))
    if (!kz_rowbuf_push(exec, it->table.rows, it->right->row))
      return;
  if (exec->status == KZ_OK && row_table_build(exec, &it->table))
    it->built = true;
}

/* Is there a right solution compatible with row that shares a variable? */
static bool minus_removes(minus_iter *it, const kz_id *row) {
  kz_exec *exec = it->base.exec;
  size_t n = it->table.rows->count;
  size_t candidate = it->table.key.count ? row_table_first(exec, &it->table, row) : (n ? 1 : 0);
  while (candidate) {
    size_t i = candidate - 1;
    candidate = it->table.key.count ? it->table.next[i] : (i + 1 < n ? i + 2 : 0);
    const kz_id *right = kz_rowbuf_at(exec, it->table.rows, i);
    bool shared = false, compatible = true;
    for (size_t v = 0; v < exec->width && compatible; v++) {
      if (row[v] && right[v]) {
        shared = true;
        compatible = row[v] == right[v];
      }
    }
    if (shared && compatible)
      return true;
  }
  return false;
}

static bool minus_next(kz_iter *iter) {
  minus_iter *it = (minus_iter *)iter;
  while (iter->exec->status == KZ_OK && it->left->next(it->left)) {
    if (!kz_exec_tick(iter->exec))
      return false;
    if (!emit(iter->exec, iter->row, it->left->row, &it->s) || minus_removes(it, iter->row))
      continue;
    iter->rows_out++;
    return true;
  }
  return false;
}

static kz_iter *minus_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                          kz_iter *left, kz_iter *right) {
  minus_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, "minus (hash anti-join)") ||
      !seeded_init(exec, &it->s) || !(it->table.rows = kz_rowbuf_new(exec)) ||
      !varlist_from(exec, &it->table.key, &left->certain, &right->certain) ||
      !kz_exec_on_free(exec, row_table_free, &it->table)) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->base.open = minus_open;
  it->base.next = minus_next;
  it->base.children[0] = it->left = left;
  it->base.children[1] = it->right = right;
  kz_varset_copy(&it->base.certain, &left->certain);
  kz_varset_copy(&it->base.maybe, &left->maybe);
  kz_varset_copy(&it->base.accept, &left->accept);
  it->base.estimate = left->estimate;
  return &it->base;
}

/* ---- unary operators: Filter, Extend, Project, Distinct, Slice ------------------ */

typedef struct unary_iter {
  kz_iter base;
  kz_iter *input;
  seeded s;
  /* Extend */
  int var;
  const kz_alg_expr *expr;
  /* Project */
  int *vars;
  size_t var_count;
  /* Distinct */
  row_table seen;
  /* Slice */
  long long offset, limit, position;
} unary_iter;

static void unary_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  unary_iter *it = (unary_iter *)iter;
  iter->opens++;
  seeded_set(iter->exec, &it->s, seed, substitute);
  open_child(it->input, &it->s);
  it->position = 0;
  if (it->seen.rows) {
    it->seen.rows->count = 0;
    if (it->seen.heads)
      memset(it->seen.heads, 0, it->seen.bucket_count * sizeof *it->seen.heads);
  }
}

/* Pulls the input's next solution merged with the seed into row. */
static bool pull(unary_iter *it) {
  while (it->input->next(it->input)) {
    if (emit(it->base.exec, it->base.row, it->input->row, &it->s))
      return true;
  }
  return false;
}

static bool filter_next(kz_iter *iter) {
  unary_iter *it = (unary_iter *)iter;
  kz_exec *exec = iter->exec;
  while (pull(it)) {
    if (!kz_exec_tick(exec))
      return false;
    if (kz_exec_filter(exec, iter->op->exprs, iter->op->expr_count, iter->row, iter->graph)) {
      iter->rows_out++;
      return true;
    }
    if (exec->status != KZ_OK)
      return false;
  }
  return false;
}

static bool extend_next(kz_iter *iter) {
  unary_iter *it = (unary_iter *)iter;
  kz_exec *exec = iter->exec;
  if (!pull(it))
    return false;
  if (!iter->row[it->var])
    iter->row[it->var] = kz_exec_value(exec, it->expr, iter->row, iter->graph);
  if (exec->status != KZ_OK)
    return false;
  iter->rows_out++;
  return true;
}

static bool project_next(kz_iter *iter) {
  unary_iter *it = (unary_iter *)iter;
  kz_exec *exec = iter->exec;
  while (it->input->next(it->input)) {
    const kz_id *in = it->input->row;
    memset(iter->row, 0, exec->width * sizeof *iter->row);
    for (size_t i = 0; i < it->var_count; i++)
      iter->row[it->vars[i]] = in[it->vars[i]];
    if (!kz_row_merge(iter->row, it->s.seed, exec->width))
      continue;
    iter->rows_out++;
    return true;
  }
  return false;
}

/* DISTINCT (and REDUCED): a hash set of the rows produced so far. */
static bool distinct_next(kz_iter *iter) {
  unary_iter *it = (unary_iter *)iter;
  kz_exec *exec = iter->exec;
  row_table *t = &it->seen;
  while (pull(it)) {
    if (!kz_exec_tick(exec))
      return false;
    if (t->rows->count * 2 >= t->bucket_count) {
      if (!row_table_build(exec, t))
        return false;
      /* the rebuilt table has room: grow next[] as rows come */
      t->next_capacity = t->rows->count ? t->rows->count : 1;
    }
    uint64_t h = kz_row_hash(iter->row, NULL, 0, exec->width);
    size_t b = h & (t->bucket_count - 1);
    bool found = false;
    for (size_t c = t->heads[b]; c && !found; c = t->next[c - 1])
      found = memcmp(kz_rowbuf_at(exec, t->rows, c - 1), iter->row,
                     exec->width * sizeof *iter->row) == 0;
    if (found)
      continue;
    if (!kz_rowbuf_push(exec, t->rows, iter->row))
      return false;
    size_t n = t->rows->count;
    size_t *next = kz_grow(t->next, &t->next_capacity, n, sizeof *next, 64);
    if (!next)
      return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    t->next = next;
    t->next[n - 1] = t->heads[b];
    t->heads[b] = n;
    iter->rows_out++;
    return true;
  }
  return false;
}

static bool slice_next(kz_iter *iter) {
  unary_iter *it = (unary_iter *)iter;
  for (;;) {
    if (it->limit >= 0 && it->position >= it->offset && it->position - it->offset >= it->limit)
      return false;
    if (!pull(it))
      return false;
    if (it->position++ >= it->offset) {
      iter->rows_out++;
      return true;
    }
  }
}

static unary_iter *unary_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                             kz_iter *input, const char *name, bool (*next)(kz_iter *)) {
  unary_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, name) || !seeded_init(exec, &it->s)) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->base.open = unary_open;
  it->base.next = next;
  it->base.children[0] = it->input = input;
  kz_varset_copy(&it->base.certain, &input->certain);
  kz_varset_copy(&it->base.maybe, &input->maybe);
  kz_varset_copy(&it->base.accept, &input->accept);
  it->base.estimate = input->estimate;
  return it;
}

static kz_iter *filter_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                           kz_iter *input) {
  unary_iter *it = unary_new(exec, op, graph, input, "filter", filter_next);
  if (it)
    it->base.estimate = input->estimate / 2;
  return it ? &it->base : NULL;
}

static kz_iter *extend_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                           kz_iter *input) {
  unary_iter *it = unary_new(exec, op, graph, input, "extend", extend_next);
  if (!it)
    return NULL;
  it->var = op->extend.var;
  it->expr = op->extend.expr;
  kz_varset_add(&it->base.maybe, it->var);
  if (op->extend.expr->op == KZ_OP_CONSTANT)
    kz_varset_add(&it->base.certain, it->var);
  return &it->base;
}

static kz_iter *project_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                            kz_iter *input) {
  unary_iter *it = unary_new(exec, op, graph, input, "project", project_next);
  if (!it)
    return NULL;
  it->vars = op->project.vars;
  it->var_count = op->project.count;
  kz_varset only;
  if (!kz_varset_init(exec, &only))
    return NULL;
  for (size_t i = 0; i < it->var_count; i++)
    kz_varset_add(&only, it->vars[i]);
  kz_varset_intersect(&it->base.certain, &only);
  kz_varset_intersect(&it->base.maybe, &only);
  kz_varset_intersect(&it->base.accept, &only);
  return &it->base;
}

static kz_iter *distinct_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                             kz_iter *input) {
  unary_iter *it = unary_new(exec, op, graph, input,
                             op->kind == KZ_ALG_DISTINCT ? "distinct (hash)" : "reduced (hash)",
                             distinct_next);
  if (!it || !(it->seen.rows = kz_rowbuf_new(exec)) ||
      !kz_exec_on_free(exec, row_table_free, &it->seen))
    return NULL;
  return &it->base;
}

static kz_iter *slice_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                          kz_iter *input) {
  unary_iter *it = unary_new(exec, op, graph, input, "slice", slice_next);
  if (!it)
    return NULL;
  it->offset = op->slice.offset > 0 ? op->slice.offset : 0;
  it->limit = op->slice.limit;
  /* A LIMIT applies to the whole input: a seed would change which rows. */
  memset(it->base.accept.words, 0, it->base.accept.word_count * sizeof *it->base.accept.words);
  if (it->limit >= 0 && it->base.estimate > (double)it->limit)
    it->base.estimate = (double)it->limit;
  return &it->base;
}

/* ---- Table (VALUES) ---------------------------------------------------------------- */

typedef struct table_iter {
  kz_iter base;
  kz_rowbuf *rows;
  seeded s;
  size_t position;
} table_iter;

static void table_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  table_iter *it = (table_iter *)iter;
  iter->opens++;
  seeded_set(iter->exec, &it->s, seed, substitute);
  it->position = 0;
}

static bool table_next(kz_iter *iter) {
  table_iter *it = (table_iter *)iter;
  while (it->position < it->rows->count) {
    const kz_id *row = kz_rowbuf_at(iter->exec, it->rows, it->position++);
    if (emit(iter->exec, iter->row, row, &it->s)) {
      iter->rows_out++;
      iter->exec->solution_counter++;
      return true;
    }
  }
  return false;
}

static kz_iter *table_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph) {
  table_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, "table") || !seeded_init(exec, &it->s) ||
      !(it->rows = kz_rowbuf_new(exec))) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->base.open = table_open;
  it->base.next = table_next;
  size_t columns = op->table.var_count;
  kz_id *row = kz_row_new(exec);
  if (!row)
    return NULL;
  for (size_t c = 0; c < columns; c++) {
    kz_varset_add(&it->base.certain, op->table.vars[c]);
    kz_varset_add(&it->base.maybe, op->table.vars[c]);
  }
  for (size_t r = 0; r < op->table.row_count; r++) {
    memset(row, 0, exec->width * sizeof *row);
    for (size_t c = 0; c < columns; c++) {
      const kz_sparql_term *cell = &op->table.cells[r * columns + c];
      if (cell->kind == KZ_SPARQL_UNDEF)
        continue;
      kz_term t = {cell->kind == KZ_SPARQL_IRI ? KZ_TERM_IRI : cell->kind == KZ_SPARQL_BLANK
                                                                   ? KZ_TERM_BLANK
                                                                   : KZ_TERM_LITERAL,
                   cell->lexical, cell->lang, cell->datatype};
      if (!(row[op->table.vars[c]] = kz_exec_intern(exec, &t)))
        return NULL;
    }
    if (!kz_rowbuf_push(exec, it->rows, row))
      return NULL;
  }
  /* certain: the columns bound in every row */
  for (size_t c = 0; c < columns; c++)
    for (size_t r = 0; r < op->table.row_count; r++)
      if (op->table.cells[r * columns + c].kind == KZ_SPARQL_UNDEF) {
        int v = op->table.vars[c];
        it->base.certain.words[v / 64] &= ~((uint64_t)1 << (v % 64));
        break;
      }
  kz_varset_copy(&it->base.accept, &it->base.certain);
  it->base.estimate = (double)op->table.row_count;
  return &it->base;
}

/* ---- Graph ------------------------------------------------------------------------- */

typedef struct graph_iter {
  kz_iter base;
  kz_iter *input;
  seeded s;
  kz_active_graph inner; /* what the input reads */
  int var;               /* -1 for GRAPH <iri> */
  kz_id fixed;           /* the IRI's ID */
  const kz_id *graphs;   /* the named graphs to go through */
  size_t graph_count, position;
  bool open_input;
} graph_iter;

static bool is_named_graph(kz_exec *exec, kz_id g) {
  if (!g)
    return false;
  size_t count;
  const kz_id *graphs = exec->named_all ? kz_index_graphs(exec->index, &count) : exec->named_graphs;
  if (!exec->named_all)
    count = exec->named_graph_count;
  for (size_t i = 0; i < count; i++)
    if (graphs[i] == g)
      return true;
  return false;
}

static void graph_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  graph_iter *it = (graph_iter *)iter;
  kz_exec *exec = iter->exec;
  iter->opens++;
  seeded_set(exec, &it->s, seed, substitute);
  it->position = 0;
  it->open_input = false;
  kz_id g = it->var >= 0 ? it->s.seed[it->var] : it->fixed;
  if (g || it->var < 0) {
    it->graphs = &it->fixed;
    it->graph_count = is_named_graph(exec, g) ? 1 : 0;
    it->fixed = g;
  } else if (exec->named_all) {
    it->graphs = kz_index_graphs(exec->index, &it->graph_count);
  } else {
    it->graphs = exec->named_graphs;
    it->graph_count = exec->named_graph_count;
  }
}

static bool graph_next(kz_iter *iter) {
  graph_iter *it = (graph_iter *)iter;
  kz_exec *exec = iter->exec;
  for (;;) {
    if (exec->status != KZ_OK)
      return false;
    if (!it->open_input) {
      if (it->position >= it->graph_count)
        return false;
      it->inner.is_default = false;
      it->inner.graph = it->graphs[it->position++];
      open_child(it->input, &it->s);
      it->open_input = true;
    }
    if (!it->input->next(it->input)) {
      it->open_input = false;
      continue;
    }
    if (!emit(exec, iter->row, it->input->row, &it->s))
      continue;
    if (it->var >= 0) {
      if (iter->row[it->var] && iter->row[it->var] != it->inner.graph)
        continue;
      iter->row[it->var] = it->inner.graph;
    }
    iter->rows_out++;
    return true;
  }
}

kz_iter *kz_graph_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                      kz_iter *(*plan_input)(kz_exec *, const kz_alg_op *, const kz_active_graph *)) {
  graph_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, "graph") || !seeded_init(exec, &it->s)) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->base.open = graph_open;
  it->base.next = graph_next;
  it->inner.is_default = false;
  it->var = op->graph.name.kind == KZ_SPARQL_VAR ? op->graph.name.var : -1;
  if (it->var < 0)
    it->fixed = kz_exec_constant(exec, &op->graph.name);
  kz_iter *input = plan_input(exec, op->input, &it->inner);
  if (!input)
    return NULL;
  it->base.children[0] = it->input = input;
  kz_varset_copy(&it->base.certain, &input->certain);
  kz_varset_copy(&it->base.maybe, &input->maybe);
  kz_varset_copy(&it->base.accept, &input->accept);
  if (it->var >= 0) {
    kz_varset_add(&it->base.certain, it->var);
    kz_varset_add(&it->base.maybe, it->var);
    kz_varset_add(&it->base.accept, it->var);
  }
  it->base.estimate = input->estimate;
  return &it->base;
}

/* ---- building ------------------------------------------------------------------------ */

kz_iter *kz_unary_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                      kz_iter *input) {
  switch (op->kind) {
  case KZ_ALG_FILTER: return filter_new(exec, op, graph, input);
  case KZ_ALG_EXTEND: return extend_new(exec, op, graph, input);
  case KZ_ALG_PROJECT: return project_new(exec, op, graph, input);
  case KZ_ALG_DISTINCT:
  case KZ_ALG_REDUCED: return distinct_new(exec, op, graph, input);
  case KZ_ALG_SLICE: return slice_new(exec, op, graph, input);
  default: return input; /* ToList, ToMultiSet change nothing */
  }
}

kz_iter *kz_binary_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                       kz_iter *left, kz_iter *right) {
  switch (op->kind) {
  case KZ_ALG_UNION: return union_new(exec, op, graph, left, right);
  case KZ_ALG_MINUS: return minus_new(exec, op, graph, left, right);
  default: return kz_join_new(exec, op, graph, left, right);
  }
}

kz_iter *kz_table_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph) {
  return table_new(exec, op, graph);
}
