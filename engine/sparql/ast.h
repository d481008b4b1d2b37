/*
 * The abstract syntax tree of a SPARQL 1.1 query, as the parser builds it,
 * and the pieces it shares with the algebra (algebra.h): terms, property
 * paths and the operator enumeration of expressions.
 *
 * The AST is the query after the syntax forms of section 18.2.2.1 are
 * expanded: prefixed names and relative IRIs are full IRIs, 'a' is
 * rdf:type, ';' ',' lists, blank node property lists and collections are
 * plain triple patterns with fresh blank nodes, and numeric and boolean
 * literals carry their datatypes. It keeps everything else as written:
 * group elements in order, FILTERs where they stand, UNION chains, paths
 * as syntax. Every node lives in the arena of its kz_ast_query and every
 * string is NUL-terminated; nothing in the AST is freed on its own.
 */
#ifndef KZ_SPARQL_AST_H
#define KZ_SPARQL_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "sparql/arena.h"

#define KZ_RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define KZ_XSD_NS "http://www.w3.org/2001/XMLSchema#"

/* ---- terms --------------------------------------------------------------- */

typedef enum kz_sparql_term_kind {
  KZ_SPARQL_UNDEF = 0, /* no term: UNDEF in VALUES, an absent name */
  KZ_SPARQL_IRI,
  KZ_SPARQL_LITERAL,
  KZ_SPARQL_BLANK,
  KZ_SPARQL_VAR
} kz_sparql_term_kind;

/*
 * An RDF term or a variable, as a small value.
 *   IRI      lexical is the absolute IRI (relative only when the query has
 *            no base at all).
 *   LITERAL  lexical is the lexical form; datatype is the datatype IRI or
 *            NULL for a simple literal; lang is the language tag as
 *            written, or NULL. A literal never has both.
 *   BLANK    lexical is the label; `[]`, `[ ... ]` and collections get
 *            labels that a query cannot write (they start with '.').
 *   VAR      lexical is the name, without ? or $.
 * var: in the algebra, the variable's number (VAR, and BLANK in a CONSTRUCT
 * template: the template's blank node number); -1 in the AST.
 */
typedef struct kz_sparql_term {
  kz_sparql_term_kind kind;
  const char *lexical;
  const char *datatype;
  const char *lang;
  int var;
} kz_sparql_term;

/* ---- property paths --------------------------------------------------- */

typedef enum kz_path_kind {
  KZ_PATH_LINK = 1,      /* an IRI, or in the AST also a variable predicate */
  KZ_PATH_INVERSE,       /* ^P */
  KZ_PATH_SEQUENCE,      /* P1 / P2 */
  KZ_PATH_ALTERNATIVE,   /* P1 | P2 */
  KZ_PATH_ZERO_OR_MORE,  /* P* */
  KZ_PATH_ONE_OR_MORE,   /* P+ */
  KZ_PATH_ZERO_OR_ONE,   /* P? */
  KZ_PATH_NEGATED        /* !(...): forward and inverse IRIs */
} kz_path_kind;

/*
 * A property path. LINK: term. INVERSE and the three repetitions: left.
 * SEQUENCE and ALTERNATIVE: left and right (binary; a chain of them is a
 * balanced tree, as both are associative).
 * NEGATED: forward[forward_count] are the IRIs of !(iri|...) and
 * inverse[inverse_count] those of !(^iri|...). In the AST a NEGATED path
 * may have both lists; the algebra splits it as section 18.2.2.3 says, so
 * there one of them is empty.
 */
typedef struct kz_sparql_path kz_sparql_path;
struct kz_sparql_path {
  kz_path_kind kind;
  kz_sparql_term term;
  kz_sparql_path *left;
  kz_sparql_path *right;
  kz_sparql_term *forward;
  size_t forward_count;
  kz_sparql_term *inverse;
  size_t inverse_count;
};

/* ---- expressions ----------------------------------------------------- */

/* What an expression node computes: operators, built-in calls, function
 * calls by IRI and aggregates. The order of the built-ins follows the
 * BuiltInCall rule of the grammar. */
typedef enum kz_sparql_op {
  KZ_OP_CONSTANT = 1, /* term is an IRI or a literal */
  KZ_OP_VARIABLE,     /* term is a VAR */
  /* operators */
  KZ_OP_OR, KZ_OP_AND,
  KZ_OP_EQ, KZ_OP_NE, KZ_OP_LT, KZ_OP_GT, KZ_OP_LE, KZ_OP_GE,
  KZ_OP_IN, KZ_OP_NOT_IN, /* args[0] IN (args[1..]) */
  KZ_OP_ADD, KZ_OP_SUBTRACT, KZ_OP_MULTIPLY, KZ_OP_DIVIDE,
  KZ_OP_NOT, KZ_OP_UNARY_PLUS, KZ_OP_UNARY_MINUS,
  /* built-in calls */
  KZ_OP_STR, KZ_OP_LANG, KZ_OP_LANGMATCHES, KZ_OP_DATATYPE, KZ_OP_BOUND,
  KZ_OP_IRI, KZ_OP_URI, KZ_OP_BNODE, KZ_OP_RAND, KZ_OP_ABS, KZ_OP_CEIL,
  KZ_OP_FLOOR, KZ_OP_ROUND, KZ_OP_CONCAT, KZ_OP_SUBSTR, KZ_OP_STRLEN,
  KZ_OP_REPLACE, KZ_OP_UCASE, KZ_OP_LCASE, KZ_OP_ENCODE_FOR_URI,
  KZ_OP_CONTAINS, KZ_OP_STRSTARTS, KZ_OP_STRENDS, KZ_OP_STRBEFORE,
  KZ_OP_STRAFTER, KZ_OP_YEAR, KZ_OP_MONTH, KZ_OP_DAY, KZ_OP_HOURS,
  KZ_OP_MINUTES, KZ_OP_SECONDS, KZ_OP_TIMEZONE, KZ_OP_TZ, KZ_OP_NOW,
  KZ_OP_UUID, KZ_OP_STRUUID, KZ_OP_MD5, KZ_OP_SHA1, KZ_OP_SHA256,
  KZ_OP_SHA384, KZ_OP_SHA512, KZ_OP_COALESCE, KZ_OP_IF, KZ_OP_STRLANG,
  KZ_OP_STRDT, KZ_OP_SAMETERM, KZ_OP_ISIRI, KZ_OP_ISURI, KZ_OP_ISBLANK,
  KZ_OP_ISLITERAL, KZ_OP_ISNUMERIC, KZ_OP_REGEX,
  KZ_OP_EXISTS, KZ_OP_NOT_EXISTS, /* a graph pattern, no args */
  KZ_OP_FUNCTION, /* term is the function's IRI (casts are such calls) */
  /* aggregates: one arg, or none for COUNT(*) */
  KZ_OP_COUNT, KZ_OP_SUM, KZ_OP_MIN, KZ_OP_MAX, KZ_OP_AVG, KZ_OP_SAMPLE,
  KZ_OP_GROUP_CONCAT
} kz_sparql_op;

/* The operator's name as the algebra printer writes it ("+", "strlen",
 * "group_concat"...); "" for CONSTANT, VARIABLE and FUNCTION. */
const char *kz_sparql_op_name(kz_sparql_op op);

/* True for COUNT ... GROUP_CONCAT. */
bool kz_sparql_op_is_aggregate(kz_sparql_op op);

/* ---- the AST ----------------------------------------------------------- */

typedef struct kz_ast_group kz_ast_group;
typedef struct kz_ast_select kz_ast_select;

/*
 * An expression. CONSTANT, VARIABLE: term. FUNCTION: term is the IRI,
 * args the arguments (distinct: the ArgList had DISTINCT). Aggregates: args
 * holds the one argument, or none for COUNT(*); distinct as written;
 * separator for GROUP_CONCAT (NULL when not given). EXISTS, NOT_EXISTS:
 * pattern. line/column: where the expression starts. Chains of || and &&
 * are built as balanced trees (the operators are associative), other
 * operators associate to the left as the grammar says.
 */
typedef struct kz_ast_expr kz_ast_expr;
struct kz_ast_expr {
  kz_sparql_op op;
  kz_sparql_term term;
  kz_ast_expr **args;
  size_t arg_count;
  bool distinct;
  const char *separator;
  kz_ast_group *pattern;
  int height; /* of this tree (a leaf is 1): the parser bounds it */
  long line, column;
};

/* A triple pattern; the predicate is a path (a LINK for a plain IRI or a
 * variable). In a CONSTRUCT template the predicate is always a LINK. */
typedef struct kz_ast_triple {
  kz_sparql_term subject;
  kz_sparql_path *predicate;
  kz_sparql_term object;
} kz_ast_triple;

/* VALUES: vars[var_count], and row_count rows of var_count cells each in
 * cells (row r, column c at cells[r * var_count + c]); UNDEF is a cell of
 * kind KZ_SPARQL_UNDEF. */
typedef struct kz_ast_values {
  kz_sparql_term *vars;
  size_t var_count;
  kz_sparql_term *cells;
  size_t row_count;
} kz_ast_values;

typedef enum kz_ast_element_kind {
  KZ_AST_TRIPLES = 1, /* a TriplesBlock: triples */
  KZ_AST_FILTER,      /* expr */
  KZ_AST_OPTIONAL,    /* group */
  KZ_AST_MINUS,       /* group */
  KZ_AST_UNION,       /* branches: two or more groups */
  KZ_AST_GROUP,       /* group: a nested { ... } that is not a UNION */
  KZ_AST_GRAPH,       /* name (an IRI or a VAR), group */
  KZ_AST_SERVICE,     /* name, silent, group */
  KZ_AST_BIND,        /* expr, var */
  KZ_AST_VALUES,      /* values */
  KZ_AST_SUBSELECT    /* select */
} kz_ast_element_kind;

typedef struct kz_ast_element {
  kz_ast_element_kind kind;
  long line, column;
  kz_ast_triple *triples;
  size_t triple_count;
  kz_ast_expr *expr;
  kz_sparql_term var;
  kz_ast_group *group;
  kz_ast_group **branches;
  size_t branch_count;
  kz_sparql_term name;
  bool silent;
  kz_ast_values *values;
  kz_ast_select *select;
} kz_ast_element;

/* A group graph pattern { ... }: its elements in order. in_scope lists the
 * names of the variables in scope after the group (section 18.2.1), each
 * once, in order of appearance. */
struct kz_ast_group {
  kz_ast_element *elements;
  size_t element_count;
  const char **in_scope;
  size_t in_scope_count;
};

/* A SELECT item: a variable, or (expr AS var) when expr is not NULL. */
typedef struct kz_ast_projection {
  kz_sparql_term var;
  kz_ast_expr *expr;
  long line, column;
} kz_ast_projection;

/* A GROUP BY condition: expr, and var for (expr AS ?var) or a plain ?var
 * (then expr is that variable); var.kind is UNDEF for a bare expression. */
typedef struct kz_ast_group_key {
  kz_ast_expr *expr;
  kz_sparql_term var;
} kz_ast_group_key;

typedef struct kz_ast_order {
  kz_ast_expr *expr;
  bool descending;
} kz_ast_order;

typedef enum kz_ast_form {
  KZ_AST_SELECT = 1,
  KZ_AST_CONSTRUCT,
  KZ_AST_DESCRIBE,
  KZ_AST_ASK
} kz_ast_form;

/*
 * One query level: the query itself, or a subquery (always a SELECT).
 * star: SELECT * or DESCRIBE *. where may be NULL only for DESCRIBE.
 * limit and offset are -1 when absent. values: the trailing VALUES, or NULL.
 * aggregated: the level groups (GROUP BY, or an aggregate in SELECT,
 * HAVING or ORDER BY). template: CONSTRUCT's triples (for CONSTRUCT WHERE,
 * the pattern's). describe: DESCRIBE's IRIs and variables.
 */
struct kz_ast_select {
  kz_ast_form form;
  bool distinct, reduced, star, aggregated;
  kz_ast_projection *projection;
  size_t projection_count;
  kz_ast_group *where;
  kz_ast_group_key *group_by;
  size_t group_by_count;
  kz_ast_expr **having;
  size_t having_count;
  kz_ast_order *order_by;
  size_t order_count;
  long long limit, offset;
  kz_ast_values *values;
  kz_ast_triple *template;
  size_t template_count;
  kz_sparql_term *describe;
  size_t describe_count;
};

/* A parsed query: the top level plus the prologue's outcome and the
 * dataset. from/from_named: the FROM and FROM NAMED IRIs. */
typedef struct kz_ast_query {
  kz_arena *arena; /* owns everything below */
  const char *base; /* the base in force at the end of the prologue, or NULL */
  kz_ast_select *select;
  const char **from;
  size_t from_count;
  const char **from_named;
  size_t from_named_count;
} kz_ast_query;

#endif
