/*
 * The SPARQL algebra (SPARQL 1.1 Query Language, section 18) of a query:
 * what the evaluator runs. kz_algebra_translate turns an AST into it as
 * section 18.2 says, and kz_algebra_write prints it as an S-expression in
 * the style of Jena's SSE, e.g. (project (?x) (bgp (triple ?x <p> ?o))).
 *
 * What an evaluator gets:
 *  - variables numbered 0..var_count-1 per query (subqueries included), so
 *    a solution can be an array indexed by variable number. vars[i] names
 *    each and says what it is: a variable of the query, a blank node of a
 *    pattern (18.2.2.1: it acts as a variable), an intermediate variable
 *    of a path sequence, or an aggregate's or GROUP BY expression's result.
 *    Only NAMED variables are ever projected by SELECT *.
 *  - terms as small values (kz_sparql_term of ast.h): in the algebra a
 *    VAR's `var` is its number, and BLANK terms only occur in CONSTRUCT
 *    templates (numbered per template, fresh per solution).
 *  - operators as a tree of kz_alg_op with an explicit kind; expressions as
 *    a tree of kz_alg_expr with an operator enum (kz_sparql_op) in which
 *    aggregates no longer occur: each is computed by a GROUP node into a
 *    variable that the expressions above refer to.
 *
 * How the spec's operators map to nodes:
 *  BGP, Path, Join, LeftJoin (with its filter: exprs, a conjunction; none
 *  means true), Filter (exprs, a conjunction), Union, Minus, Graph,
 *  Service, Extend, ToMultiSet, ToList, OrderBy, Project, Distinct,
 *  Reduced, Slice map one to one. Table is a VALUES block (or the join
 *  identity Z, "table unit": no variables and one empty row, which is also
 *  what an empty group {} becomes). GROUP is the spec's
 *  AggregateJoin(Aggregation(..., Group(exprlist, P))): the grouping keys
 *  and the list of aggregates, each into its own variable; after it each
 *  solution binds the key variables and the aggregate variables. Keys stay
 *  bound (as in Jena) instead of being re-read through Sample(), which the
 *  spec's text does and which gives the same answers; other variables that
 *  HAVING or ORDER BY use outside an aggregate are wrapped in SAMPLE, as
 *  18.2.4.1 says.
 * Simplification 18.2.2.8 is applied: Join(Z, A) and Join(A, Z) become A.
 * FILTERs of a group are collected at its end (18.2.2.2), and the triples
 * blocks of a group that only FILTERs separate form one BGP.
 */
#ifndef KZ_SPARQL_ALGEBRA_H
#define KZ_SPARQL_ALGEBRA_H

#include <stdio.h>

#include "kizuna/status.h"
#include "sparql/ast.h"

/* The tallest algebra a query may have: operators, the expressions in them
 * and the patterns of EXISTS all count. A recursive walk of the algebra
 * (the printer, an evaluator) never goes deeper than this. */
#define KZ_ALG_MAX_HEIGHT 4096

typedef struct kz_alg_op kz_alg_op;
typedef struct kz_alg_expr kz_alg_expr;

typedef enum kz_alg_kind {
  KZ_ALG_BGP = 1,     /* bgp */
  KZ_ALG_PATH,        /* path: a property path pattern */
  KZ_ALG_JOIN,        /* left, right */
  KZ_ALG_LEFT_JOIN,   /* left, right, exprs */
  KZ_ALG_FILTER,      /* input, exprs */
  KZ_ALG_UNION,       /* left, right */
  KZ_ALG_MINUS,       /* left, right */
  KZ_ALG_GRAPH,       /* input, graph.name */
  KZ_ALG_SERVICE,     /* input, graph.name, graph.silent */
  KZ_ALG_EXTEND,      /* input, extend */
  KZ_ALG_TABLE,       /* table */
  KZ_ALG_GROUP,       /* input, group */
  KZ_ALG_TO_MULTISET, /* input: a subquery's solution sequence */
  KZ_ALG_TO_LIST,     /* input */
  KZ_ALG_ORDER_BY,    /* input, order */
  KZ_ALG_PROJECT,     /* input, project */
  KZ_ALG_DISTINCT,    /* input */
  KZ_ALG_REDUCED,     /* input */
  KZ_ALG_SLICE        /* input, slice */
} kz_alg_kind;

/* A triple pattern of a BGP or a template. The predicate is an IRI or a
 * VAR (or, in a template, whatever the query wrote there). */
typedef struct kz_alg_triple {
  kz_sparql_term subject;
  kz_sparql_term predicate;
  kz_sparql_term object;
} kz_alg_triple;

/*
 * An expression. CONSTANT: term. VARIABLE: term (term.var is the number).
 * FUNCTION: term is the IRI, args the arguments, distinct as written.
 * EXISTS, NOT_EXISTS: pattern. Operators and built-ins: args.
 */
struct kz_alg_expr {
  kz_sparql_op op;
  kz_sparql_term term;
  kz_alg_expr **args;
  size_t arg_count;
  bool distinct;
  kz_alg_op *pattern;
  int height; /* of this tree, EXISTS patterns included; a leaf is 1 */
};

/* A GROUP BY key: the solutions' value of expr, bound to var (the key's
 * own variable for GROUP BY ?x, the AS variable, or an internal one). */
typedef struct kz_alg_group_key {
  int var;
  kz_alg_expr *expr;
} kz_alg_group_key;

/* An aggregate of a GROUP: op is COUNT ... GROUP_CONCAT; arg NULL for
 * COUNT(*); separator is GROUP_CONCAT's (" " when the query gave none);
 * the result goes to variable var. */
typedef struct kz_alg_aggregate {
  kz_sparql_op op;
  bool distinct;
  kz_alg_expr *arg;
  const char *separator;
  bool separator_given;
  int var;
} kz_alg_aggregate;

typedef struct kz_alg_order {
  kz_alg_expr *expr;
  bool descending;
} kz_alg_order;

struct kz_alg_op {
  kz_alg_kind kind;
  int height; /* of this tree, expressions included; a leaf is 1 */
  union {
    kz_alg_op *left; /* binary operators */
    kz_alg_op *input; /* unary operators */
  };
  kz_alg_op *right;
  kz_alg_expr **exprs; /* FILTER, LEFT_JOIN: a conjunction */
  size_t expr_count;
  union {
    struct {
      kz_alg_triple *triples;
      size_t count;
    } bgp;
    struct {
      kz_sparql_term subject;
      kz_sparql_path *path; /* not a LINK nor a SEQUENCE (those became triples) */
      kz_sparql_term object;
    } path;
    struct {
      kz_sparql_term name; /* an IRI or a VAR */
      bool silent;
    } graph;
    struct {
      int var;
      kz_alg_expr *expr;
    } extend;
    struct {
      int *vars;
      size_t var_count;
      kz_sparql_term *cells; /* row r, column c at cells[r * var_count + c]; UNDEF unbound */
      size_t row_count;
    } table;
    struct {
      kz_alg_group_key *keys;
      size_t key_count;
      kz_alg_aggregate *aggregates;
      size_t aggregate_count;
    } group;
    struct {
      kz_alg_order *conditions;
      size_t count;
    } order;
    struct {
      int *vars;
      size_t count;
    } project;
    struct {
      long long offset; /* -1: none */
      long long limit;  /* -1: none */
    } slice;
  };
};

typedef enum kz_alg_var_kind {
  KZ_ALG_VAR_NAMED = 1, /* ?x of the query */
  KZ_ALG_VAR_BLANK,     /* a blank node of a pattern: prints as ??N */
  KZ_ALG_VAR_PATH,      /* between the steps of a path sequence: ??PN */
  KZ_ALG_VAR_INTERNAL   /* an aggregate or GROUP BY expression: ?.N */
} kz_alg_var_kind;

/* name is what follows the '?' when printed ("x", "?0", "?P0", ".0"). */
typedef struct kz_alg_var {
  const char *name;
  kz_alg_var_kind kind;
} kz_alg_var;

/*
 * A translated query. root is the whole pattern with its solution
 * modifiers. For SELECT the root is (under Distinct/Reduced/Slice) a
 * PROJECT whose variables are the result columns; DESCRIBE projects the
 * described variables. construct[] is CONSTRUCT's template; describe[]
 * DESCRIBE's IRIs and variables (empty for DESCRIBE *: the projected
 * variables).
 */
typedef struct kz_algebra {
  kz_arena *arena; /* owns everything below */
  kz_ast_form form;
  kz_alg_op *root;
  kz_alg_var *vars;
  size_t var_count;
  const char **from;
  size_t from_count;
  const char **from_named;
  size_t from_named_count;
  const char *base; /* the base in force after the prologue (for IRI()), or NULL */
  kz_alg_triple *construct;
  size_t construct_count;
  size_t construct_blank_count;
  kz_sparql_term *describe;
  size_t describe_count;
} kz_algebra;

/*
 * Translates query (borrowed; the algebra copies what it keeps, so the AST
 * may be freed afterwards). On success caller frees *out with
 * kz_algebra_free. Fails with KZ_ERR_QUERY when the algebra would be taller
 * than KZ_ALG_MAX_HEIGHT (thousands of OPTIONALs in one group, say) and
 * with KZ_ERR_NOMEM; the parser has checked everything else. source names
 * the query in errors.
 */
kz_status kz_algebra_translate(kz_algebra **out, const kz_ast_query *query, const char *source,
                               kz_error *err);

/* Frees an algebra. Accepts NULL. */
void kz_algebra_free(kz_algebra *algebra);

/* How kz_algebra_write lays out its S-expression. */
typedef enum kz_algebra_layout {
  KZ_ALGEBRA_COMPACT = 0, /* one line */
  KZ_ALGEBRA_INDENTED     /* one operator per line, indented by depth */
} kz_algebra_layout;

/*
 * Writes algebra->root to out (borrowed) with a final newline. ToList and
 * ToMultiSet are not written (as in Jena: they change no solution). Returns
 * false when writing fails.
 */
bool kz_algebra_write(const kz_algebra *algebra, FILE *out, kz_algebra_layout layout);

/* The same as a new string: caller frees with free(). NULL on out of memory. */
char *kz_algebra_to_string(const kz_algebra *algebra, kz_algebra_layout layout);

#endif
