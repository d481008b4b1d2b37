/*
 * The inside of Kizuna's SPARQL evaluator, shared by its files: the
 * execution context, solutions as rows of term IDs, and physical
 * operators as pull iterators.
 *
 * Solutions. A solution is a row of kz_id, one per variable of the algebra
 * (kz_algebra.var_count), KZ_ID_NONE where unbound. IDs below
 * KZ_LOCAL_ID_BASE are the store's (kz_index); terms that expressions make
 * and the store does not hold get local IDs from the query's own term
 * table (terms.c). A term has exactly one ID either way, so two IDs are
 * equal exactly when their terms are the same RDF term, and joins,
 * DISTINCT and GROUP BY compare integers.
 *
 * Operators. Each algebra node becomes one kz_iter (plan.c builds them).
 * iter->open(iter, seed) starts it over: every solution it then produces
 * extends seed (the seed's bound variables act as constants inside). The
 * caller decides what a seed may hold: in a join, only the variables the
 * right side certainly binds (kz_iter.certain), so that evaluating the
 * right side with them substituted gives the same solutions as evaluating
 * it alone and joining (FILTERs and OPTIONALs inside see no more than they
 * would alone); for EXISTS, the whole current solution (the spec's
 * substitution). iter->next(iter) produces the next solution into
 * iter->row and returns true, or false at the end or when the query
 * failed (exec->status tells which).
 */
#ifndef KZ_EVAL_EXEC_H
#define KZ_EVAL_EXEC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "eval/expr.h"
#include "kizuna/status.h"
#include "sparql/algebra.h"
#include "sparql/arena.h"
#include "store/index.h"

#define KZ_LOCAL_ID_BASE ((kz_id)0x80000000u)

typedef struct kz_termtab kz_termtab;
typedef struct kz_iter kz_iter;
typedef struct kz_rowbuf kz_rowbuf;
typedef struct kz_exec kz_exec;

/* A set of variables as a bitset over variable numbers. */
typedef struct kz_varset {
  uint64_t *words;
  size_t word_count;
} kz_varset;

/* The graphs a pattern reads: the default graph (the union of all graphs,
 * or the merge of a list of graphs) or one named graph. */
typedef struct kz_active_graph {
  bool is_default;
  kz_id graph; /* when !is_default */
} kz_active_graph;

struct kz_exec {
  kz_index *index;
  const kz_algebra *algebra;
  size_t width; /* variables per row */
  kz_termtab *terms;
  kz_arena *arena;   /* lives as long as the query: plans, rows, copies */
  kz_arena *scratch; /* expression results, reset per solution */
  kz_status status;  /* KZ_OK until the query fails */
  kz_error *err;
  const char *source;
  const char *base;
  /* The dataset: the default graph is the union of all graphs when
   * default_union, else the merge of default_graphs; named graphs are all
   * graphs when named_all, else named_graphs. */
  bool default_union;
  kz_id *default_graphs;
  size_t default_graph_count;
  bool named_all;
  kz_id *named_graphs;
  size_t named_graph_count;
  /* Timeout and cancellation. */
  struct timespec deadline; /* tv_sec 0: none */
  volatile int *cancel;     /* set non-zero by another thread to stop */
  unsigned tick;
  char now[40];
  uint64_t bnode_counter;
  uint64_t solution_counter;
  int expr_depth;     /* expressions running (EXISTS nests them) */
  kz_regex_cache *regex_cache; /* compiled REGEX/REPLACE patterns */
  kz_rowbuf *rowbufs; /* to free with the query */
  struct kz_cleanup *cleanups;
  void *exists_plans; /* exec.c's cache of planned EXISTS patterns */
};

struct kz_iter {
  /* Starts over with seed (exec->width IDs, copied; NULL: none). Normally
   * the seed holds only variables of iter->accept; with substitute, it may
   * hold any, and they are substituted everywhere below (EXISTS). */
  void (*open)(kz_iter *iter, const kz_id *seed, bool substitute);
  bool (*next)(kz_iter *iter);
  const char *name;   /* of the operator, for --explain */
  kz_exec *exec;
  const kz_alg_op *op;
  kz_id *row;         /* the current solution, exec->width IDs */
  kz_varset certain;  /* variables bound in every solution */
  kz_varset maybe;    /* variables bound in some solution */
  kz_varset accept;   /* variables a seed may bind (a subset of certain) */
  const kz_active_graph *graph; /* read at open */
  kz_iter *children[2];
  double estimate;    /* rows expected without a seed, for the planner */
  uint64_t opens, rows_out; /* for --explain with --time */
};

/* ---- the execution context --------------------------------------------- */

/* Sets exec->status (once) and the error; returns false so iterators can
 * `return kz_exec_fail(...)`. */
bool kz_exec_fail(kz_exec *exec, kz_status status, const char *format, ...);

/* Checks the deadline and the cancel flag now and then (cheap to call in
 * every loop): true while the query may go on. */
bool kz_exec_tick(kz_exec *exec);

/* The term of an ID (store or local); NULL for KZ_ID_NONE. Borrowed for the
 * query's lifetime. */
const kz_term *kz_exec_term(kz_exec *exec, kz_id id);

/* The ID of a term, adding it to the query's term table when the store
 * does not have it (copying its strings). KZ_ID_NONE on out of memory
 * (status set). */
kz_id kz_exec_intern(kz_exec *exec, const kz_term *term);

/* The ID of a term if the store or the query has it, else KZ_ID_NONE. */
kz_id kz_exec_lookup(kz_exec *exec, const kz_term *term);

/* The ID of an algebra constant (IRI or literal); KZ_ID_NONE when neither
 * the store nor the query knows it (a pattern with it matches nothing). */
kz_id kz_exec_constant(kz_exec *exec, const kz_sparql_term *term);

/* What an expression environment needs to read a row. */
typedef struct kz_env_user {
  kz_exec *exec;
  const kz_id *row;
  const kz_active_graph *graph; /* for EXISTS */
} kz_env_user;

/* Sets up env (and user, which it points to) to evaluate expressions on
 * row in graph. */
void kz_exec_env(kz_exec *exec, kz_expr_env *env, kz_env_user *user, const kz_id *row,
                 const kz_active_graph *graph);

/* Effective boolean value of a conjunction of expressions on row: true
 * only when each is true (errors count as false). */
bool kz_exec_filter(kz_exec *exec, kz_alg_expr *const *exprs, size_t count, const kz_id *row,
                    const kz_active_graph *graph);

/* Evaluates expr on row and interns its value: the ID, or KZ_ID_NONE for
 * an error (or a failure: status set). */
kz_id kz_exec_value(kz_exec *exec, const kz_alg_expr *expr, const kz_id *row,
                    const kz_active_graph *graph);

/* Frees what expressions allocated, unless an expression is running
 * (EXISTS evaluates patterns in the middle of one). */
void kz_exec_scratch_done(kz_exec *exec);

/* ---- term table -------------------------------------------------------- */

kz_termtab *kz_termtab_new(kz_arena *arena);
void kz_termtab_free(kz_termtab *table);

/* ---- rows and variable sets ----------------------------------------------- */

kz_id *kz_row_new(kz_exec *exec); /* zeroed, in exec->arena; NULL on OOM (status set) */
/* row := seed, or all unbound when seed is NULL (the start of every open). */
void kz_row_set(kz_exec *exec, kz_id *row, const kz_id *seed);
bool kz_varset_init(kz_exec *exec, kz_varset *set);
static inline bool kz_varset_has(const kz_varset *set, int var) {
  return (set->words[var / 64] >> (var % 64)) & 1u;
}
static inline void kz_varset_add(kz_varset *set, int var) {
  set->words[var / 64] |= (uint64_t)1 << (var % 64);
}
void kz_varset_copy(kz_varset *to, const kz_varset *from);
void kz_varset_union(kz_varset *to, const kz_varset *from);
void kz_varset_intersect(kz_varset *to, const kz_varset *from);

/* A growable list of rows, owned by the query (freed with it). */
struct kz_rowbuf {
  kz_id *rows; /* row i at rows + i * width */
  size_t count, capacity;
  struct kz_rowbuf *next_owned;
};

kz_rowbuf *kz_rowbuf_new(kz_exec *exec);

/* Registers fn(data) to run when the query is freed. false on OOM. */
bool kz_exec_on_free(kz_exec *exec, void (*fn)(void *), void *data);
/* Runs the registered cleanups and frees the row buffers. */
void kz_exec_cleanup(kz_exec *exec);
/* Appends a copy of row; its slot, or NULL on OOM (status set). */
kz_id *kz_rowbuf_push(kz_exec *exec, kz_rowbuf *buf, const kz_id *row);
static inline kz_id *kz_rowbuf_at(kz_exec *exec, kz_rowbuf *buf, size_t i) {
  return buf->rows + i * exec->width;
}

/* A set of IDs (or of ID tuples hashed to one key), open addressing. */
typedef struct kz_idset {
  kz_id *slots;
  size_t slot_count, count;
} kz_idset;
/* Adds id (not KZ_ID_NONE): 1 if new, 0 if there, -1 on OOM (status set). */
int kz_idset_add(kz_exec *exec, kz_idset *set, kz_id id);
bool kz_idset_has(const kz_idset *set, kz_id id);
void kz_idset_clear(kz_idset *set);
void kz_idset_free(kz_idset *set);

/* Hash of a row's values at vars (or at every position when vars is NULL). */
uint64_t kz_row_hash(const kz_id *row, const int *vars, size_t var_count, size_t width);

/* Merges b into a (a's bound values win; false if they disagree). */
bool kz_row_merge(kz_id *a, const kz_id *b, size_t width);

/* Two rows are compatible (18.3): equal wherever both are bound. */
bool kz_rows_compatible(const kz_id *a, const kz_id *b, size_t width);

/* ---- building iterators (plan.c) ---------------------------------------- */

/* The iterator for op reading graph (borrowed; read at each open). NULL on
 * failure (status set). */
kz_iter *kz_plan(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph);

/* Opens child from its parent's seed: restricted to child->accept into
 * buffer (exec->width IDs), or whole when substituting. */
void kz_iter_open_child(kz_iter *child, const kz_id *seed, bool substitute, kz_id *buffer);

/* Fills iter's common fields (exec, op, graph, row, varsets). false on OOM. */
bool kz_iter_init(kz_iter *iter, kz_exec *exec, const kz_alg_op *op,
                  const kz_active_graph *graph, const char *name);

/* Constructors of each kind. */
kz_iter *kz_bgp_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph);
kz_iter *kz_path_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph);
kz_iter *kz_group_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph);
kz_iter *kz_order_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                      long long limit);

/* Writes the physical plan of iter as indented text (for --explain). */
bool kz_iter_explain(kz_iter *iter, FILE *out, int depth, bool with_rows);

/* EXISTS: does pattern have a solution in graph extending row (the spec's
 * substitution)? 1, 0, -1 on failure. */
int kz_exec_exists(kz_exec *exec, const kz_alg_op *pattern, const kz_active_graph *graph,
                   const kz_id *row);

#endif
