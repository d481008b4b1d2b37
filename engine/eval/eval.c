/*
 * The evaluator's entry point: sets up the execution context for one
 * query (dataset, term table, clock), builds the plan (plan.c), and turns
 * the root iterator into a kz_results stream:
 *  - SELECT: each solution's projected columns, materialised from IDs;
 *  - ASK: whether the pattern has a solution (evaluation stops at the
 *    first);
 *  - CONSTRUCT: the template instantiated with each solution, fresh blank
 *    nodes per solution, triples that are not valid RDF (an unbound
 *    variable, a literal subject) left out, each triple once;
 *  - DESCRIBE: for each resource named or bound, its concise bounded
 *    description: the triples it is the subject of, and recursively those
 *    of the blank nodes among their objects.
 * Results stream: rows are produced when kz_results_next asks, so a LIMIT
 * stops the evaluation early and memory stays bounded.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/internal.h"
#include "eval/eval.h"
#include "eval/exec.h"
#include "results/results_internal.h"

static const kz_active_graph default_graph = {true, KZ_ID_NONE};

/* A set of triples of IDs, for CONSTRUCT and DESCRIBE output. */
typedef struct triple_set {
  kz_id *slots; /* three per slot; slot empty when its subject is 0 */
  size_t slot_count, count;
} triple_set;

static uint64_t triple_hash(const kz_id *t) {
  uint64_t h = t[0] * 0x9e3779b97f4a7c15ULL;
  h ^= (h >> 31) ^ (t[1] * 0xc2b2ae3d27d4eb4fULL);
  h ^= (h >> 29) ^ (t[2] * 0x165667b19e3779f9ULL);
  return h ^ (h >> 32);
}

/* 1 added, 0 already there, -1 out of memory. */
static int triple_set_add(triple_set *set, const kz_id *t) {
  if ((set->count + 1) * 2 > set->slot_count) {
    size_t count = set->slot_count ? set->slot_count * 2 : 256;
    kz_id *slots = calloc(count * 3, sizeof *slots);
    if (!slots)
      return -1;
    for (size_t i = 0; i < set->slot_count; i++) {
      kz_id *old = set->slots + 3 * i;
      if (!old[0])
        continue;
      size_t j = triple_hash(old) & (count - 1);
      while (slots[3 * j])
        j = (j + 1) & (count - 1);
      memcpy(slots + 3 * j, old, 3 * sizeof *old);
    }
    free(set->slots);
    set->slots = slots;
    set->slot_count = count;
  }
  size_t mask = set->slot_count - 1;
  for (size_t j = triple_hash(t) & mask;; j = (j + 1) & mask) {
    kz_id *slot = set->slots + 3 * j;
    if (!slot[0]) {
      memcpy(slot, t, 3 * sizeof *t);
      set->count++;
      return 1;
    }
    if (memcmp(slot, t, 3 * sizeof *t) == 0)
      return 0;
  }
}

typedef struct eval_results {
  kz_exec exec;
  kz_iter *root;
  kz_ast_form form;
  int *columns;
  size_t column_count;
  /* CONSTRUCT */
  size_t template_position;
  bool have_solution;
  kz_id *blanks; /* per template blank node, for the current solution */
  triple_set emitted;
  /* DESCRIBE */
  kz_id *resources;
  size_t resource_count, resource_position;
  kz_idset described;
  kz_cursor cursor;
  bool cursor_open;
  kz_id *pending; /* blank nodes to describe next */
  size_t pending_count, pending_capacity;
} eval_results;

static void results_free(void *data) {
  eval_results *r = data;
  if (!r)
    return;
  kz_exec_cleanup(&r->exec);
  kz_termtab_free(r->exec.terms);
  kz_regex_cache_free(r->exec.regex_cache);
  kz_arena_free(r->exec.scratch);
  kz_arena_free(r->exec.arena);
  free(r->exec.default_graphs);
  free(r->exec.named_graphs);
  free(r->emitted.slots);
  free(r->resources);
  free(r->pending);
  kz_idset_free(&r->described);
  free(r);
}

static kz_status failure(eval_results *r) {
  return r->exec.status == KZ_OK ? KZ_DONE : r->exec.status;
}

static void set_term(kz_results *results, size_t column, kz_exec *exec, kz_id id) {
  kz_results_set_value(results, column, kz_exec_term(exec, id));
}

static kz_status select_next(kz_results *results, void *data, kz_error *err) {
  eval_results *r = data;
  r->exec.err = err;
  if (!r->root->next(r->root))
    return failure(r);
  for (size_t i = 0; i < r->column_count; i++)
    set_term(results, i, &r->exec, r->root->row[r->columns[i]]);
  return KZ_OK;
}

/* ---- CONSTRUCT ------------------------------------------------------------------- */

static kz_id template_term(eval_results *r, const kz_sparql_term *t) {
  kz_exec *exec = &r->exec;
  switch (t->kind) {
  case KZ_SPARQL_VAR: return r->root->row[t->var];
  case KZ_SPARQL_BLANK:
    if (!r->blanks[t->var]) {
      char label[48];
      snprintf(label, sizeof label, "c%llu", (unsigned long long)++exec->bnode_counter);
      kz_term b = {KZ_TERM_BLANK, label, NULL, NULL};
      r->blanks[t->var] = kz_exec_intern(exec, &b);
    }
    return r->blanks[t->var];
  default: {
    kz_term c = {t->kind == KZ_SPARQL_IRI ? KZ_TERM_IRI : KZ_TERM_LITERAL, t->lexical, t->lang,
                 t->datatype};
    return kz_exec_intern(exec, &c);
  }
  }
}

static bool valid_triple(kz_exec *exec, const kz_id *t) {
  if (!t[0] || !t[1] || !t[2])
    return false;
  const kz_term *s = kz_exec_term(exec, t[0]), *p = kz_exec_term(exec, t[1]);
  return s->kind != KZ_TERM_LITERAL && p->kind == KZ_TERM_IRI;
}

static kz_status emit_triple(kz_results *results, eval_results *r, const kz_id *t) {
  for (size_t i = 0; i < 3; i++)
    set_term(results, i, &r->exec, t[i]);
  return KZ_OK;
}

static kz_status construct_next(kz_results *results, void *data, kz_error *err) {
  eval_results *r = data;
  kz_exec *exec = &r->exec;
  const kz_algebra *algebra = exec->algebra;
  exec->err = err;
  for (;;) {
    if (!r->have_solution || r->template_position >= algebra->construct_count) {
      if (!r->root->next(r->root))
        return failure(r);
      r->have_solution = true;
      r->template_position = 0;
      if (algebra->construct_blank_count)
        memset(r->blanks, 0, algebra->construct_blank_count * sizeof *r->blanks);
    }
    while (r->template_position < algebra->construct_count) {
      const kz_alg_triple *pattern = &algebra->construct[r->template_position++];
      kz_id t[3] = {template_term(r, &pattern->subject), template_term(r, &pattern->predicate),
                    template_term(r, &pattern->object)};
      if (exec->status != KZ_OK)
        return exec->status;
      if (!valid_triple(exec, t))
        continue;
      int added = triple_set_add(&r->emitted, t);
      if (added < 0)
        return kz_fail(err, KZ_ERR_NOMEM, exec->source, 0, 0, "out of memory");
      if (added)
        return emit_triple(results, r, t);
    }
  }
}

/* ---- DESCRIBE ---------------------------------------------------------------------- */

static bool add_resource(eval_results *r, kz_id id) {
  if (!id || id >= KZ_LOCAL_ID_BASE)
    return true; /* the store knows nothing about it */
  int added = kz_idset_add(&r->exec, &r->described, id);
  if (added <= 0)
    return added == 0;
  kz_id *grown = kz_grow(r->pending, &r->pending_capacity, r->pending_count + 1, sizeof *grown, 16);
  if (!grown)
    return kz_exec_fail(&r->exec, KZ_ERR_NOMEM, "out of memory");
  r->pending = grown;
  r->pending[r->pending_count++] = id;
  return true;
}

static kz_status describe_next(kz_results *results, void *data, kz_error *err) {
  eval_results *r = data;
  kz_exec *exec = &r->exec;
  exec->err = err;
  for (;;) {
    if (r->cursor_open) {
      kz_id quad[4];
      while (kz_cursor_next(&r->cursor, quad)) {
        if (kz_exec_term(exec, quad[2])->kind == KZ_TERM_BLANK && !add_resource(r, quad[2]))
          return exec->status;
        int added = triple_set_add(&r->emitted, quad);
        if (added < 0)
          return kz_fail(err, KZ_ERR_NOMEM, exec->source, 0, 0, "out of memory");
        if (added)
          return emit_triple(results, r, quad);
      }
      r->cursor_open = false;
    }
    if (r->pending_count == 0)
      return KZ_DONE;
    kz_id subject = r->pending[--r->pending_count];
    kz_pattern q = {subject, 0, 0, 0, KZ_MATCH_UNION, false};
    if (!exec->default_union) {
      /* the merge of the default graphs: first one holding the subject */
      q.mode = KZ_MATCH_GRAPH;
      q.g = exec->default_graph_count ? exec->default_graphs[0] : 0;
    }
    kz_index_match(exec->index, &q, &r->cursor);
    r->cursor_open = true;
  }
}

static kz_status describe_setup(eval_results *r) {
  kz_exec *exec = &r->exec;
  const kz_algebra *algebra = exec->algebra;
  for (size_t i = 0; i < algebra->describe_count; i++) {
    const kz_sparql_term *t = &algebra->describe[i];
    if (t->kind == KZ_SPARQL_IRI && !add_resource(r, kz_exec_constant(exec, t)))
      return exec->status;
  }
  if (!r->root)
    return KZ_OK;
  bool star = true;
  for (size_t i = 0; i < algebra->describe_count; i++)
    star &= algebra->describe[i].kind != KZ_SPARQL_VAR && algebra->describe[i].kind != KZ_SPARQL_IRI;
  while (r->root->next(r->root)) {
    for (size_t i = 0; i < algebra->describe_count; i++) {
      const kz_sparql_term *t = &algebra->describe[i];
      if (t->kind == KZ_SPARQL_VAR && !add_resource(r, r->root->row[t->var]))
        return exec->status;
    }
    if (star || algebra->describe_count == 0)
      for (size_t i = 0; i < r->column_count; i++)
        if (!add_resource(r, r->root->row[r->columns[i]]))
          return exec->status;
  }
  return exec->status;
}

/* ---- setting up ------------------------------------------------------------------------ */

static const kz_alg_op *find_project(const kz_alg_op *op) {
  while (op && op->kind != KZ_ALG_PROJECT &&
         (op->kind == KZ_ALG_SLICE || op->kind == KZ_ALG_DISTINCT || op->kind == KZ_ALG_REDUCED ||
          op->kind == KZ_ALG_TO_LIST || op->kind == KZ_ALG_ORDER_BY))
    op = op->input;
  return op && op->kind == KZ_ALG_PROJECT ? op : NULL;
}

static kz_status graph_ids(kz_exec *exec, const char *const *iris, size_t count, kz_id **out,
                           size_t *out_count) {
  *out = calloc(count ? count : 1, sizeof **out);
  *out_count = 0;
  if (!*out)
    return KZ_ERR_NOMEM;
  for (size_t i = 0; i < count; i++) {
    kz_term t = {KZ_TERM_IRI, iris[i], NULL, NULL};
    kz_id id = kz_index_lookup(exec->index, &t);
    bool seen = false;
    for (size_t j = 0; j < *out_count; j++)
      seen |= (*out)[j] == id;
    if (id && !seen)
      (*out)[(*out_count)++] = id;
  }
  return KZ_OK;
}

static kz_status setup(eval_results **out, kz_index *index, const kz_algebra *algebra,
                       const kz_eval_options *options, kz_error *err) {
  const char *source = options && options->source ? options->source : "query";
  *out = NULL;
  eval_results *r = calloc(1, sizeof *r);
  if (!r)
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  kz_exec *exec = &r->exec;
  exec->index = index;
  exec->algebra = algebra;
  exec->width = algebra->var_count;
  exec->source = source;
  exec->base = algebra->base ? algebra->base : options ? options->base : NULL;
  exec->err = err;
  exec->arena = kz_arena_new();
  exec->scratch = kz_arena_new();
  exec->terms = exec->arena ? kz_termtab_new(exec->arena) : NULL;
  exec->regex_cache = kz_regex_cache_new();
  exec->default_union = !options || options->default_union;
  exec->named_all = !options || options->named_all;
  if (!exec->arena || !exec->scratch || !exec->terms || !exec->regex_cache ||
      (!exec->default_union &&
       graph_ids(exec, options->default_graphs, options->default_graph_count,
                 &exec->default_graphs, &exec->default_graph_count) != KZ_OK) ||
      (!exec->named_all &&
       graph_ids(exec, options->named_graphs, options->named_graph_count, &exec->named_graphs,
                 &exec->named_graph_count) != KZ_OK)) {
    results_free(r);
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  }
  if (options && options->timeout > 0) {
    clock_gettime(CLOCK_MONOTONIC, &exec->deadline);
    double whole = floor(options->timeout);
    exec->deadline.tv_sec += (time_t)whole;
    exec->deadline.tv_nsec += (long)((options->timeout - whole) * 1e9);
    if (exec->deadline.tv_nsec >= 1000000000L) {
      exec->deadline.tv_sec++;
      exec->deadline.tv_nsec -= 1000000000L;
    }
  }
  exec->cancel = options ? options->cancel : NULL;
  time_t now = time(NULL);
  struct tm utc;
  gmtime_r(&now, &utc);
  strftime(exec->now, sizeof exec->now, "%Y-%m-%dT%H:%M:%SZ", &utc);
  if (kz_index_flush(index) != KZ_OK) {
    results_free(r);
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  }
  r->form = algebra->form;
  if (algebra->root) {
    r->root = kz_plan(exec, algebra->root, &default_graph);
    if (!r->root) {
      kz_status status = exec->status != KZ_OK ? exec->status : KZ_ERR_INTERNAL;
      results_free(r);
      return status;
    }
  }
  const kz_alg_op *project = find_project(algebra->root);
  if (project) {
    r->columns = project->project.vars;
    r->column_count = project->project.count;
  }
  *out = r;
  return KZ_OK;
}

static const kz_results_backend select_backend = {select_next, results_free};
static const kz_results_backend construct_backend = {construct_next, results_free};
static const kz_results_backend describe_backend = {describe_next, results_free};

kz_status kz_eval_run(kz_results **out, kz_index *index, const kz_algebra *algebra,
                      const kz_eval_options *options, kz_error *err) {
  *out = NULL;
  eval_results *r = NULL;
  TRY(setup(&r, index, algebra, options, err));
  kz_exec *exec = &r->exec;
  const char *source = exec->source; /* the caller's: outlives r */
  if (r->root)
    r->root->open(r->root, NULL, false);
  kz_results *results = NULL;
  static const char *const triple_names[3] = {"subject", "predicate", "object"};
  switch (r->form) {
  case KZ_AST_ASK: {
    bool found = r->root && r->root->next(r->root);
    if (exec->status != KZ_OK) {
      kz_status status = exec->status;
      results_free(r);
      return status;
    }
    results = kz_results_new(KZ_RESULTS_BOOLEAN, 0, NULL, &select_backend, r);
    if (results)
      kz_results_set_boolean(results, found);
    break;
  }
  case KZ_AST_CONSTRUCT:
    r->blanks = kz_arena_alloc(exec->arena, (algebra->construct_blank_count + 1) * sizeof *r->blanks);
    if (!r->blanks) {
      results_free(r);
      return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
    }
    results = kz_results_new(KZ_RESULTS_GRAPH, 3, triple_names, &construct_backend, r);
    break;
  case KZ_AST_DESCRIBE: {
    kz_status status = describe_setup(r);
    if (status != KZ_OK) {
      results_free(r);
      return status;
    }
    results = kz_results_new(KZ_RESULTS_GRAPH, 3, triple_names, &describe_backend, r);
    break;
  }
  default: {
    const char **names = calloc(r->column_count ? r->column_count : 1, sizeof *names);
    if (names)
      for (size_t i = 0; i < r->column_count; i++)
        names[i] = algebra->vars[r->columns[i]].name;
    results = names ? kz_results_new(KZ_RESULTS_BINDINGS, r->column_count, names, &select_backend, r)
                    : NULL;
    if (!names)
      results_free(r);
    free(names);
    break;
  }
  }
  if (!results) /* r is freed: kz_results_new owns it even on failure */
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  *out = results;
  return KZ_OK;
}

kz_status kz_eval_explain(FILE *out, kz_index *index, const kz_algebra *algebra,
                          const kz_eval_options *options, bool with_rows, size_t *rows,
                          kz_error *err) {
  eval_results *r = NULL;
  TRY(setup(&r, index, algebra, options, err));
  size_t count = 0;
  if (with_rows && r->root) {
    r->root->open(r->root, NULL, false);
    while (r->root->next(r->root))
      count++;
  }
  kz_status status = r->exec.status;
  if (status == KZ_OK && r->root && !kz_iter_explain(r->root, out, 0, with_rows))
    status = kz_fail(err, KZ_ERR_IO, "stdout", 0, 0, "cannot write the plan");
  if (rows)
    *rows = count;
  results_free(r);
  return status;
}
