/**
 * @file query.h
 * @brief SPARQL queries over a store, answered as a stream of results.
 *
 * kz_query_prepare parses a query once; kz_query_execute runs it and hands
 * out a kz_results iterator (results.h). Queries run on Kizuna's own SPARQL
 * 1.1 evaluator (over the store's term IDs) by default, or on Redland's
 * Rasqal for comparison.
 */
#ifndef KIZUNA_QUERY_H
#define KIZUNA_QUERY_H

#include <stdio.h>

#include "kizuna/results.h"
#include "kizuna/status.h"
#include "kizuna/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A prepared query. Opaque. */
typedef struct kz_query kz_query;

/** The four SPARQL query forms. */
typedef enum kz_query_form {
  KZ_QUERY_SELECT = 1,
  KZ_QUERY_ASK,
  KZ_QUERY_CONSTRUCT,
  KZ_QUERY_DESCRIBE
} kz_query_form;

/** The evaluator a query runs on. */
typedef enum kz_query_engine {
  KZ_ENGINE_KIZUNA = 0, /**< Kizuna's own (the default) */
  KZ_ENGINE_RASQAL      /**< Redland's Rasqal, for comparison */
} kz_query_engine;

/**
 * A SPARQL dataset over the graphs of a store (SPARQL 1.1 section 13): the
 * default graph is the RDF merge of default_graphs, and the named graphs
 * are named_graphs (graph IRIs; graphs the store does not have are empty).
 * All strings are borrowed for the duration of kz_query_prepare (copied).
 */
typedef struct kz_dataset {
  const char *const *default_graphs;
  size_t default_graph_count;
  const char *const *named_graphs;
  size_t named_graph_count;
} kz_dataset;

/** Options for kz_query_prepare. Initialise with KZ_QUERY_OPTIONS_INIT. */
typedef struct kz_query_options {
  unsigned int version;
  const char *base;   /**< base IRI for relative IRIs; NULL for none */
  const char *source; /**< name of the query's origin for errors; NULL: "query" */
  kz_query_engine engine;
  /**< The dataset; NULL: the query's FROM / FROM NAMED if it has any, else
   * the store's own (the default graph is the union of all graphs, every
   * graph is a named graph). A dataset given here wins over FROM clauses,
   * as in the SPARQL protocol. Kizuna engine only. */
  const kz_dataset *dataset;
  double timeout;        /**< seconds; 0: none. Kizuna engine only. */
  volatile int *cancel;  /**< polled while the query runs: non-zero stops it */
  /** Since version 2. The dataset of a query that names none: used when
   * neither dataset nor the query's FROM / FROM NAMED gives one; NULL: the
   * store's own. For a service whose default dataset is not the whole
   * store: FROM wins over it, and dataset over both. Kizuna engine only. */
  const kz_dataset *default_dataset;
  /** Since version 2. Non-zero: FROM and FROM NAMED may name only graphs
   * of the store. Without it, FROM IRIs that are not graphs of the store
   * are loaded as local files (file: IRIs); with it, such an IRI fails the
   * query with KZ_ERR_NOT_FOUND and a message naming it, and no file is
   * read. For queries from untrusted clients (kizuna serve). Rasqal cannot
   * be kept to the store: on that engine a query with FROM or FROM NAMED
   * then fails with KZ_ERR_UNSUPPORTED. */
  int from_store_only;
} kz_query_options;

#define KZ_QUERY_OPTIONS_VERSION 2
#define KZ_QUERY_OPTIONS_INIT \
  {KZ_QUERY_OPTIONS_VERSION, NULL, NULL, KZ_ENGINE_KIZUNA, NULL, 0, NULL, NULL, 0}

/**
 * Parses text as a SPARQL 1.1 query against store. options may be NULL.
 * On success caller frees *out with kz_query_free; store is borrowed and must
 * outlive the query. A bad query gives KZ_ERR_QUERY with its line; with
 * from_store_only, a FROM or FROM NAMED that is not a graph of the store
 * gives KZ_ERR_NOT_FOUND (checked again by each kz_query_execute).
 */
kz_status kz_query_prepare(kz_query **out, kz_store *store, const char *text,
                           const kz_query_options *options, kz_error *err);

/** The form of a prepared query. */
kz_query_form kz_query_get_form(const kz_query *query);

/**
 * Runs the query. On success caller frees *out with kz_results_free, before
 * freeing the query (and before modifying the store). A query that runs
 * out of time or is cancelled fails with KZ_ERR_TIMEOUT, here or from
 * kz_results_next. FROM and FROM NAMED name graphs of the store, or local
 * files (file: IRIs, loaded for this query; nothing is fetched from the
 * network) unless the options say from_store_only.
 */
kz_status kz_query_execute(kz_results **out, kz_query *query, kz_error *err);

/** Frees a query. Accepts NULL. */
void kz_query_free(kz_query *query);

/**
 * Checks text as a SPARQL 1.1 query with Kizuna's own parser, without a
 * store and without running it: the grammar and the static rules of the
 * spec (scope of BIND and of SELECT ... AS, grouping, blank node labels,
 * VALUES arity, where aggregates may appear). options may be NULL; its base
 * resolves relative IRIs and its source names the query in errors. Returns
 * KZ_OK for a valid query, KZ_ERR_QUERY with the line and column of the
 * offending token for an invalid one.
 */
kz_status kz_query_check(const char *text, const kz_query_options *options, kz_error *err);

/**
 * Checks text as kz_query_check does and writes its SPARQL algebra (SPARQL
 * 1.1 section 18) as an S-expression, one operator per line, e.g.
 * "(project (?x)\n  (bgp (triple ?x <http://ex/p> ?o)))\n". Nothing runs.
 * On success caller frees *out with free(); *out is NULL on failure.
 */
kz_status kz_query_explain(char **out, const char *text, const kz_query_options *options,
                           kz_error *err);

/**
 * Writes the query's physical plan to out: the operators with their
 * estimated rows. With run, the query is first run to the end (its results
 * discarded) and each operator also shows how often it was opened and how
 * many rows it produced; *rows (if not NULL) gets the number of results.
 * Kizuna engine only (KZ_ERR_UNSUPPORTED for Rasqal).
 */
kz_status kz_query_explain_plan(kz_query *query, FILE *out, int run, size_t *rows, kz_error *err);

#ifdef __cplusplus
}
#endif
#endif
