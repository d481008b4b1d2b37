/*
 * The query API: a prepared query is its text, checked once, plus the store
 * it runs on and the engine that runs it.
 *
 * Kizuna's engine: the text is parsed (sparql/parser.h) and translated to
 * the algebra (sparql/algebra.h) once, at prepare; each execute runs the
 * algebra over the store's quad index (eval/eval.h). The dataset is the
 * caller's (options), else the query's FROM / FROM NAMED, else the store's
 * own: the union of all graphs as default graph, every graph named (or
 * the caller's default dataset, for a query without FROM). FROM IRIs that
 * are graphs of the store select them; otherwise they must all be local
 * files (file: IRIs), loaded into a private memory store for the query,
 * each into the graph of its IRI, unless the caller keeps FROM to the
 * store's graphs (from_store_only, for untrusted queries): then an IRI
 * that is not a graph of the store fails the query, at prepare and again
 * at each execute, before anything could be read.
 *
 * Rasqal: kept for comparison, behind backend.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/text.h"
#include "eval/eval.h"
#include "query/backend.h"
#include "sparql/algebra.h"
#include "sparql/parser.h"

struct kz_query {
  kz_store *store; /* borrowed */
  char *text;
  char *base;
  char *source;
  kz_query_engine engine;
  kz_query_form form;
  kz_algebra *algebra; /* Kizuna's engine */
  /* The caller's dataset, copied; has_dataset false: none given. */
  bool has_dataset;
  char **default_graphs, **named_graphs;
  size_t default_graph_count, named_graph_count;
  double timeout;
  volatile int *cancel;
  bool from_store_only; /* FROM may name only graphs of the store */
  kz_store *from_store; /* FROM files, loaded by the last execute */
  char **from_defaults;  /* the graphs of its default graph */
  size_t from_default_count;
};

static char **copy_strings(const char *const *strings, size_t count, bool *failed) {
  char **copy = calloc(count ? count : 1, sizeof *copy);
  if (!copy) {
    *failed = true;
    return NULL;
  }
  for (size_t i = 0; i < count; i++)
    if (!(copy[i] = kz_strdup(strings[i])))
      *failed = true;
  return copy;
}

static void free_strings(char **strings, size_t count) {
  if (!strings)
    return;
  for (size_t i = 0; i < count; i++)
    free(strings[i]);
  free(strings);
}

static kz_query_form form_of(kz_ast_form form) {
  switch (form) {
  case KZ_AST_ASK: return KZ_QUERY_ASK;
  case KZ_AST_CONSTRUCT: return KZ_QUERY_CONSTRUCT;
  case KZ_AST_DESCRIBE: return KZ_QUERY_DESCRIBE;
  default: return KZ_QUERY_SELECT;
  }
}

static kz_status check_from_in_store(const kz_query *query, kz_index *index, kz_error *err);

kz_status kz_query_prepare(kz_query **out, kz_store *store, const char *text,
                           const kz_query_options *options, kz_error *err) {
  static const kz_query_options defaults = KZ_QUERY_OPTIONS_INIT;
  if (!options)
    options = &defaults;
  *out = NULL;
  const char *source = options->source ? options->source : "query";
  if (!text)
    return kz_fail(err, KZ_ERR_ARGUMENT, source, 0, 0, "no query text");
  kz_query *query = calloc(1, sizeof *query);
  if (!query)
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  query->store = store;
  query->engine = options->engine;
  query->timeout = options->timeout;
  query->cancel = options->cancel;
  query->text = kz_strdup(text);
  query->base = kz_strdup(options->base);
  query->source = kz_strdup(source);
  /* the fields of version 2 */
  bool version2 = options->version >= 2;
  query->from_store_only = version2 && options->from_store_only;
  const kz_dataset *default_dataset = version2 ? options->default_dataset : NULL;
  bool failed = !query->text || !query->source || (options->base && !query->base);
  if (failed) {
    kz_query_free(query);
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  }
  kz_status status;
  size_t from_count = 0; /* FROM and FROM NAMED clauses */
  if (query->engine == KZ_ENGINE_RASQAL) {
    status = kz_rasqal_check(store, text, options->base, source, &query->form, &from_count, err);
    if (status == KZ_OK && query->from_store_only && from_count)
      status = kz_fail(err, KZ_ERR_UNSUPPORTED, source, 0, 0,
                       "FROM and FROM NAMED cannot be kept to the store's graphs on the rasqal "
                       "engine (the kizuna engine can)");
  } else {
    kz_ast_query *ast = NULL;
    status = kz_sparql_parse(&ast, text, options->base, source, err);
    if (status == KZ_OK)
      status = kz_algebra_translate(&query->algebra, ast, source, err);
    kz_ast_free(ast);
    if (status == KZ_OK) {
      query->form = form_of(query->algebra->form);
      from_count = query->algebra->from_count + query->algebra->from_named_count;
    }
  }
  /* The caller's dataset wins over FROM, and FROM over the default one. */
  const kz_dataset *d = options->dataset ? options->dataset : from_count ? NULL : default_dataset;
  if (status == KZ_OK && d) {
    query->has_dataset = true;
    query->default_graphs = copy_strings(d->default_graphs, d->default_graph_count, &failed);
    query->default_graph_count = d->default_graph_count;
    query->named_graphs = copy_strings(d->named_graphs, d->named_graph_count, &failed);
    query->named_graph_count = d->named_graph_count;
    if (failed)
      status = kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  }
  if (status == KZ_OK && query->algebra && query->from_store_only && !query->has_dataset &&
      from_count) {
    kz_index *index = NULL;
    status = kz_store_get_index(store, &index, err);
    if (status == KZ_OK)
      status = check_from_in_store(query, index, err);
  }
  if (status != KZ_OK) {
    kz_query_free(query);
    return status;
  }
  *out = query;
  return KZ_OK;
}

kz_query_form kz_query_get_form(const kz_query *query) { return query->form; }

/* ---- FROM and FROM NAMED ------------------------------------------------------- */

static bool store_has_graph(kz_index *index, const char *iri) {
  kz_term t = {KZ_TERM_IRI, iri, NULL, NULL};
  kz_id id = kz_index_lookup(index, &t);
  size_t count;
  const kz_id *graphs = kz_index_graphs(index, &count);
  for (size_t i = 0; id && i < count; i++)
    if (graphs[i] == id)
      return true;
  return false;
}

/* from_store_only: every FROM and FROM NAMED IRI must be a graph of the
 * store, else the query fails naming the first that is not. */
static kz_status check_from_in_store(const kz_query *query, kz_index *index, kz_error *err) {
  const kz_algebra *a = query->algebra;
  for (int named = 0; named < 2; named++) {
    const char **iris = named ? a->from_named : a->from;
    size_t count = named ? a->from_named_count : a->from_count;
    for (size_t i = 0; i < count; i++)
      if (!store_has_graph(index, iris[i]))
        return kz_fail(err, KZ_ERR_NOT_FOUND, query->source, 0, 0,
                       "FROM%s <%.600s> is not a graph of the store (here FROM may name only "
                       "the store's graphs)",
                       named ? " NAMED" : "", iris[i]);
  }
  return KZ_OK;
}

/* The local path of a file: IRI (percent-decoded), or NULL. Caller frees. */
static char *file_path(const char *iri) {
  const char *p;
  if (strncmp(iri, "file://", 7) == 0) {
    p = iri + 7;
    if (strncmp(p, "localhost/", 10) == 0)
      p += 9;
    if (*p != '/')
      return NULL;
  } else if (strncmp(iri, "file:/", 6) == 0) {
    p = iri + 5;
  } else {
    return NULL;
  }
  return kz_percent_decode(p, strcspn(p, "#?"), 0, NULL);
}

/* The graph a FROM file is loaded into: its IRI, unless the same file is
 * also FROM NAMED (then the default graph's copy, with blank nodes of its
 * own, goes to a graph of its own). Caller frees. */
static char *from_graph(const kz_algebra *a, const char *iri) {
  bool also_named = false;
  for (size_t i = 0; i < a->from_named_count; i++)
    also_named |= strcmp(a->from_named[i], iri) == 0;
  size_t n = strlen(iri) + sizeof "#kizuna-default";
  char *graph = malloc(n);
  if (graph)
    snprintf(graph, n, also_named ? "%s#kizuna-default" : "%s", iri);
  return graph;
}

/* Loads the FROM / FROM NAMED files into query->from_store; the default
 * graphs' names into query->from_defaults. */
static kz_status load_from_files(kz_query *query, kz_error *err) {
  const kz_algebra *a = query->algebra;
  free_strings(query->from_defaults, query->from_default_count);
  query->from_default_count = 0;
  query->from_defaults = calloc(a->from_count ? a->from_count : 1, sizeof *query->from_defaults);
  if (!query->from_defaults)
    return kz_fail(err, KZ_ERR_NOMEM, query->source, 0, 0, "out of memory");
  kz_store_free(query->from_store);
  query->from_store = NULL;
  TRY(kz_store_open(&query->from_store, "memory", NULL, err));
  for (int named = 0; named < 2; named++) {
    const char **iris = named ? a->from_named : a->from;
    size_t count = named ? a->from_named_count : a->from_count;
    for (size_t i = 0; i < count; i++) {
      char *path = file_path(iris[i]);
      if (!path)
        return kz_fail(err, KZ_ERR_NOT_FOUND, query->source, 0, 0,
                       "FROM%s <%s>: not a graph of the store, nor a local file (Kizuna "
                       "fetches nothing from the network)",
                       named ? " NAMED" : "", iris[i]);
      char *graph = named ? kz_strdup(iris[i]) : from_graph(a, iris[i]);
      if (!graph) {
        free(path);
        return kz_fail(err, KZ_ERR_NOMEM, query->source, 0, 0, "out of memory");
      }
      kz_load_options load = KZ_LOAD_OPTIONS_INIT;
      load.graph = graph;
      load.base = iris[i];
      kz_status status = kz_store_load(query->from_store, path, &load, NULL, err);
      free(path);
      if (named || status != KZ_OK)
        free(graph);
      else
        query->from_defaults[query->from_default_count++] = graph;
      if (status != KZ_OK)
        return status;
    }
  }
  return KZ_OK;
}

/* The index and the options of a Kizuna run. */
static kz_status prepare_run(kz_query *query, kz_index **index, kz_eval_options *options,
                             kz_error *err) {
  const kz_algebra *a = query->algebra;
  memset(options, 0, sizeof *options);
  options->source = query->source;
  options->base = query->base;
  options->timeout = query->timeout;
  options->cancel = query->cancel;
  options->default_union = options->named_all = true;
  TRY(kz_store_get_index(query->store, index, err));
  if (query->has_dataset) {
    options->default_union = options->named_all = false;
    options->default_graphs = (const char *const *)query->default_graphs;
    options->default_graph_count = query->default_graph_count;
    options->named_graphs = (const char *const *)query->named_graphs;
    options->named_graph_count = query->named_graph_count;
    return KZ_OK;
  }
  if (a->from_count == 0 && a->from_named_count == 0)
    return KZ_OK;
  options->default_union = options->named_all = false;
  options->default_graphs = a->from;
  options->default_graph_count = a->from_count;
  options->named_graphs = a->from_named;
  options->named_graph_count = a->from_named_count;
  if (query->from_store_only)
    TRY(check_from_in_store(query, *index, err));
  /* All graphs of the store, or all local files. */
  const char *in_store = NULL, *file = NULL;
  for (int named = 0; named < 2; named++) {
    const char **iris = named ? a->from_named : a->from;
    size_t count = named ? a->from_named_count : a->from_count;
    for (size_t i = 0; i < count; i++) {
      char *path = NULL;
      if (store_has_graph(*index, iris[i])) {
        in_store = iris[i];
      } else if ((path = file_path(iris[i])) != NULL) {
        file = iris[i];
      } else {
        return kz_fail(err, KZ_ERR_NOT_FOUND, query->source, 0, 0,
                       "FROM%s <%s>: not a graph of the store, nor a local file (Kizuna "
                       "fetches nothing from the network)",
                       named ? " NAMED" : "", iris[i]);
      }
      free(path);
    }
  }
  if (!file)
    return KZ_OK;
  if (in_store)
    return kz_fail(err, KZ_ERR_QUERY, query->source, 0, 0,
                   "FROM mixes a graph of the store (<%s>) and a local file (<%s>): a "
                   "query's dataset is made of one or the other",
                   in_store, file);
  TRY(load_from_files(query, err));
  options->default_graphs = (const char *const *)query->from_defaults;
  options->default_graph_count = query->from_default_count;
  return kz_store_get_index(query->from_store, index, err);
}

kz_status kz_query_execute(kz_results **out, kz_query *query, kz_error *err) {
  *out = NULL;
  if (query->engine == KZ_ENGINE_RASQAL)
    return kz_rasqal_execute(out, query->store, query->text, query->base, query->source, err);
  kz_index *index = NULL;
  kz_eval_options options;
  TRY(prepare_run(query, &index, &options, err));
  return kz_eval_run(out, index, query->algebra, &options, err);
}

kz_status kz_query_explain_plan(kz_query *query, FILE *out, int run, size_t *rows, kz_error *err) {
  if (query->engine == KZ_ENGINE_RASQAL)
    return kz_fail(err, KZ_ERR_UNSUPPORTED, query->source, 0, 0,
                   "plans are shown for the kizuna engine only");
  kz_index *index = NULL;
  kz_eval_options options;
  TRY(prepare_run(query, &index, &options, err));
  return kz_eval_explain(out, index, query->algebra, &options, run != 0, rows, err);
}

void kz_query_free(kz_query *query) {
  if (!query)
    return;
  kz_algebra_free(query->algebra);
  kz_store_free(query->from_store);
  free_strings(query->from_defaults, query->from_default_count);
  free_strings(query->default_graphs, query->default_graph_count);
  free_strings(query->named_graphs, query->named_graph_count);
  free(query->text);
  free(query->base);
  free(query->source);
  free(query);
}
