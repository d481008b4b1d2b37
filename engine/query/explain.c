/*
 * kz_query_check and kz_query_explain: Kizuna's own SPARQL front end
 * (engine/sparql: lexer, parser, algebra) behind the query API. Neither
 * needs a store nor runs anything; evaluation still goes through the
 * backend of query.c. Both take the options of kz_query_prepare, so a
 * query gets the same base and the same name in errors everywhere.
 */
#include <stdlib.h>

#include "core/internal.h"
#include "kizuna/query.h"
#include "sparql/algebra.h"
#include "sparql/parser.h"

static const kz_query_options *options_or_defaults(const kz_query_options *options) {
  static const kz_query_options defaults = KZ_QUERY_OPTIONS_INIT;
  return options ? options : &defaults;
}

static const char *source_of(const kz_query_options *options) {
  return options->source ? options->source : "query";
}

kz_status kz_query_check(const char *text, const kz_query_options *options, kz_error *err) {
  options = options_or_defaults(options);
  kz_ast_query *ast = NULL;
  kz_status status = kz_sparql_parse(&ast, text, options->base, source_of(options), err);
  kz_ast_free(ast);
  return status;
}

kz_status kz_query_explain(char **out, const char *text, const kz_query_options *options,
                           kz_error *err) {
  *out = NULL;
  options = options_or_defaults(options);
  const char *source = source_of(options);
  kz_ast_query *ast = NULL;
  kz_algebra *algebra = NULL;
  TRY(kz_sparql_parse(&ast, text, options->base, source, err));
  kz_status status = kz_algebra_translate(&algebra, ast, source, err);
  kz_ast_free(ast);
  if (status != KZ_OK)
    return status;
  *out = kz_algebra_to_string(algebra, KZ_ALGEBRA_INDENTED);
  kz_algebra_free(algebra);
  if (!*out)
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  return KZ_OK;
}
