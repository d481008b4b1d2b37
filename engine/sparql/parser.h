/*
 * The SPARQL 1.1 Query parser: recursive descent over the grammar of
 * section 19.8 (queries only, not updates), building the AST of ast.h and
 * enforcing the static rules the spec states beside the grammar (variable
 * scope of BIND and SELECT ... AS, grouping, blank node labels, VALUES
 * arity, where aggregates may appear).
 */
#ifndef KZ_SPARQL_PARSER_H
#define KZ_SPARQL_PARSER_H

#include "kizuna/status.h"
#include "sparql/ast.h"

/* How deeply groups, brackets, collections and paths may nest. */
#define KZ_SPARQL_MAX_DEPTH 256

/* How tall an expression tree may be (a chain of 1000 additions is 1000
 * tall; chains of || and && are balanced and stay short). */
#define KZ_SPARQL_MAX_EXPR_HEIGHT 1024

/*
 * Parses text (NUL-terminated UTF-8) as a SPARQL 1.1 query. base is the
 * initial base IRI for relative IRIs, or NULL; source names the input in
 * errors (NULL: "query"). On success caller frees *out with kz_ast_free.
 * A bad query gives KZ_ERR_QUERY with the line and column of the offending
 * token and a one-line message; out of memory gives KZ_ERR_NOMEM. *out is
 * NULL on failure.
 */
kz_status kz_sparql_parse(kz_ast_query **out, const char *text, const char *base,
                          const char *source, kz_error *err);

/* Frees a query and everything in it. Accepts NULL. */
void kz_ast_free(kz_ast_query *query);

#endif
