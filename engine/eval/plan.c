/*
 * From algebra to physical plan: one iterator per algebra node, chosen by
 * the node's kind and, for joins, by what each side binds (ops.c decides
 * between index nested-loop and hash joins from the certain and accepted
 * variables of its children; bgp.c orders triple patterns at open time
 * from the index's statistics). Two rewrites on the way:
 *  - Slice over (Project over) OrderBy becomes a top-k ORDER BY that keeps
 *    only offset+limit solutions;
 *  - SERVICE has no network to reach: SERVICE SILENT gives the empty
 *    solution as the spec allows for a failing service, plain SERVICE is
 *    an error.
 * kz_iter_explain prints the tree with estimated rows (and with actual
 * rows and opens after a run).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "eval/exec.h"

kz_iter *kz_join_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                     kz_iter *left, kz_iter *right);
kz_iter *kz_unary_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                      kz_iter *input);
kz_iter *kz_binary_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                       kz_iter *left, kz_iter *right);
kz_iter *kz_table_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph);
kz_iter *kz_graph_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                      kz_iter *(*plan_input)(kz_exec *, const kz_alg_op *,
                                             const kz_active_graph *));
size_t kz_bgp_levels(kz_iter *iter, size_t *patterns, double *estimates, size_t max);
bool kz_bgp_push_filters(kz_iter *iter, kz_alg_expr *const *exprs, size_t count);

/* The empty solution: what SERVICE SILENT gives when the service fails. */
static const kz_alg_op unit_table = {.kind = KZ_ALG_TABLE, .height = 1, .table = {NULL, 0, NULL, 1}};

/* OrderBy under a Slice (through a Project): the number of solutions the
 * order needs to keep, or -1. */
static long long top_k(const kz_alg_op *slice) {
  if (slice->slice.limit < 0)
    return -1;
  long long offset = slice->slice.offset > 0 ? slice->slice.offset : 0;
  if (slice->slice.limit > LLONG_MAX - offset)
    return -1; /* no bound worth keeping */
  return offset + slice->slice.limit;
}

kz_iter *kz_plan(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph) {
  if (exec->status != KZ_OK)
    return NULL;
  switch (op->kind) {
  case KZ_ALG_BGP: return kz_bgp_new(exec, op, graph);
  case KZ_ALG_PATH: return kz_path_new(exec, op, graph);
  case KZ_ALG_TABLE: return kz_table_new(exec, op, graph);
  case KZ_ALG_GROUP: return kz_group_new(exec, op, graph);
  case KZ_ALG_ORDER_BY: return kz_order_new(exec, op, graph, -1);
  case KZ_ALG_FILTER:
    /* A FILTER over a BGP is checked inside it, as soon as its variables
     * are bound. */
    if (op->input->kind == KZ_ALG_BGP && op->input->bgp.count > 0) {
      kz_iter *bgp = kz_bgp_new(exec, op->input, graph);
      if (bgp && kz_bgp_push_filters(bgp, op->exprs, op->expr_count))
        return bgp;
      if (!bgp || exec->status != KZ_OK)
        return NULL;
    }
    break;
  case KZ_ALG_GRAPH: return kz_graph_new(exec, op, graph, kz_plan);
  case KZ_ALG_SERVICE:
    if (op->graph.silent)
      return kz_table_new(exec, &unit_table, graph);
    kz_exec_fail(exec, KZ_ERR_UNSUPPORTED, "SERVICE <%s> cannot be queried: Kizuna makes no "
                                           "network requests (use SERVICE SILENT to go on without it)",
                 op->graph.name.lexical ? op->graph.name.lexical : "?");
    return NULL;
  case KZ_ALG_JOIN:
  case KZ_ALG_LEFT_JOIN:
  case KZ_ALG_UNION:
  case KZ_ALG_MINUS: {
    kz_iter *left = kz_plan(exec, op->left, graph);
    kz_iter *right = left ? kz_plan(exec, op->right, graph) : NULL;
    return right ? kz_binary_new(exec, op, graph, left, right) : NULL;
  }
  default: break;
  }
  switch (op->kind) {
  case KZ_ALG_SLICE: {
    const kz_alg_op *below = op->input;
    const kz_alg_op *project = below->kind == KZ_ALG_PROJECT ? below : NULL;
    const kz_alg_op *order = project ? project->input : below;
    long long k = top_k(op);
    if (k >= 0 && order->kind == KZ_ALG_ORDER_BY) {
      kz_iter *sorted = kz_order_new(exec, order, graph, k);
      kz_iter *input = sorted && project ? kz_unary_new(exec, project, graph, sorted) : sorted;
      return input ? kz_unary_new(exec, op, graph, input) : NULL;
    }
    kz_iter *input = kz_plan(exec, op->input, graph);
    return input ? kz_unary_new(exec, op, graph, input) : NULL;
  }
  default: {
    kz_iter *input = kz_plan(exec, op->input, graph);
    return input ? kz_unary_new(exec, op, graph, input) : NULL;
  }
  }
}

static void write_term(FILE *out, const kz_sparql_term *t, const kz_algebra *algebra) {
  switch (t->kind) {
  case KZ_SPARQL_VAR: fprintf(out, "?%s", algebra->vars[t->var].name); break;
  case KZ_SPARQL_IRI: fprintf(out, "<%s>", t->lexical); break;
  case KZ_SPARQL_LITERAL:
    fprintf(out, "\"%s\"", t->lexical);
    if (t->lang)
      fprintf(out, "@%s", t->lang);
    else if (t->datatype)
      fprintf(out, "^^<%s>", t->datatype);
    break;
  default: fprintf(out, "_:%s", t->lexical ? t->lexical : "");
  }
}

bool kz_iter_explain(kz_iter *iter, FILE *out, int depth, bool with_rows) {
  kz_exec *exec = iter->exec;
  fprintf(out, "%*s(%s  est=%.0f", depth * 2, "", iter->name, iter->estimate);
  if (with_rows)
    fprintf(out, " opens=%llu rows=%llu", (unsigned long long)iter->opens,
            (unsigned long long)iter->rows_out);
  if (iter->op && iter->op->kind == KZ_ALG_BGP) {
    size_t patterns[64];
    double estimates[64];
    size_t n = kz_bgp_levels(iter, patterns, estimates, 64);
    if (n == 0)
      for (size_t i = 0; i < iter->op->bgp.count && i < 64; i++) {
        patterns[i] = i;
        estimates[i] = -1;
      }
    size_t count = n ? n : (iter->op->bgp.count < 64 ? iter->op->bgp.count : 64);
    for (size_t l = 0; l < count; l++) {
      const kz_alg_triple *t = &iter->op->bgp.triples[patterns[l]];
      fprintf(out, "\n%*s(triple ", depth * 2 + 2, "");
      write_term(out, &t->subject, exec->algebra);
      fputc(' ', out);
      write_term(out, &t->predicate, exec->algebra);
      fputc(' ', out);
      write_term(out, &t->object, exec->algebra);
      if (estimates[l] >= 0)
        fprintf(out, "  est=%.0f", estimates[l]);
      fputc(')', out);
    }
  }
  for (int c = 0; c < 2; c++)
    if (iter->children[c]) {
      fputc('\n', out);
      kz_iter_explain(iter->children[c], out, depth + 1, with_rows);
    }
  fputc(')', out);
  if (depth == 0)
    fputc('\n', out);
  return !ferror(out);
}
