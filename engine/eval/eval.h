/*
 * Kizuna's SPARQL evaluator: runs a query's algebra (sparql/algebra.h)
 * over a quad index (store/index.h) and hands out its answers as a
 * kz_results stream. The stages inside are in exec.h.
 */
#ifndef KZ_EVAL_EVAL_H
#define KZ_EVAL_EVAL_H

#include <stdio.h>

#include "kizuna/results.h"
#include "kizuna/status.h"
#include "sparql/algebra.h"
#include "store/index.h"

/* What a query runs on, and how long it may take. */
typedef struct kz_eval_options {
  const char *source; /* names the query in errors */
  const char *base;   /* for IRI(); NULL for none */
  /* The dataset. default_union: the default graph is the union of all
   * graphs; else the merge of default_graphs (IRIs; graphs the index does
   * not have are empty). named_all: every graph is a named graph; else only
   * named_graphs. */
  bool default_union;
  const char *const *default_graphs;
  size_t default_graph_count;
  bool named_all;
  const char *const *named_graphs;
  size_t named_graph_count;
  double timeout;      /* seconds; 0 for none */
  volatile int *cancel; /* polled; non-zero stops the query; may be NULL */
} kz_eval_options;

/*
 * Runs algebra over index. On success caller frees *out with
 * kz_results_free; index and algebra are borrowed and must outlive the
 * results (and the index must not be modified meanwhile). Errors while the
 * results are read (a timeout, out of memory) come from kz_results_next.
 */
kz_status kz_eval_run(kz_results **out, kz_index *index, const kz_algebra *algebra,
                      const kz_eval_options *options, kz_error *err);

/*
 * Writes the physical plan of the query to out, without running it
 * (with_rows false), or after running it to the end and discarding the
 * results (with_rows true: actual rows and opens per operator). *rows gets
 * the number of results in the second case.
 */
kz_status kz_eval_explain(FILE *out, kz_index *index, const kz_algebra *algebra,
                          const kz_eval_options *options, bool with_rows, size_t *rows,
                          kz_error *err);

#endif
