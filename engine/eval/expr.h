/*
 * SPARQL 1.1 expressions and aggregates on RDF terms (section 17 of the
 * spec): what FILTER, BIND, SELECT expressions, ORDER BY, GROUP BY, HAVING
 * and the aggregates compute. The evaluator (eval.c) works on term IDs and
 * hands terms to this module only where a value is needed.
 *
 * Error semantics as the spec says: an expression either gives a term or
 * raises an error (a type error, an unbound variable, a bad cast...).
 * FILTER keeps a solution only when its effective boolean value is true;
 * errors propagate except where || && COALESCE IF and IN say otherwise.
 *
 * Terms made by expressions (a sum, a string function's result) live in
 * the scratch arena of the environment, which the evaluator resets
 * between solutions; terms read from variables are borrowed from the
 * evaluator. Literal terms follow the conventions of kz_term: a simple
 * literal has neither datatype nor language; xsd:string typed literals are
 * given without datatype.
 */
#ifndef KZ_EVAL_EXPR_H
#define KZ_EVAL_EXPR_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "kizuna/term.h"
#include "sparql/algebra.h"
#include "sparql/arena.h"

/* Compiled REGEX/REPLACE patterns, kept across solutions. Opaque; see
 * kz_regex_cache_new. */
typedef struct kz_regex_cache kz_regex_cache;

/* What an expression sees of the solution it runs on, and of the query. */
typedef struct kz_expr_env {
  /* The value of variable var (its number in the algebra) in the current
   * solution, or NULL when unbound. Borrowed, valid while the expression
   * runs. */
  const kz_term *(*var)(void *user, int var);
  /* EXISTS { pattern } on the current solution: 1 true, 0 false, -1 on an
   * evaluation failure (out of memory, timeout: the query stops). */
  int (*exists)(void *user, const kz_alg_op *pattern);
  void *user;
  /* Where terms made by expressions are allocated. */
  kz_arena *scratch;
  /* NOW(): the same xsd:dateTime for the whole query ("2026-11-23T17:09:19Z"). */
  const char *now;
  /* Blank nodes made by BNODE(): labels unique to the query; the evaluator
   * bumps solution_id for each solution so BNODE("x") is the same node
   * within one solution and a different node in the next. */
  uint64_t *bnode_counter;
  uint64_t solution_id;
  /* The query's base IRI, against which IRI("rel") and URI("rel") resolve;
   * NULL: the string is taken as it is. */
  const char *base;
  /* Where REGEX and REPLACE keep their compiled patterns (borrowed; the
   * evaluator makes one per query run with kz_regex_cache_new). NULL:
   * each call compiles its pattern and frees it. */
  kz_regex_cache *regex_cache;
  /* The number of variables of the query: COUNT(DISTINCT *) compares
   * solutions on variables 0..var_count-1. */
  int var_count;
  /* Set by the module when an evaluation failure (not a SPARQL error:
   * out of memory, EXISTS failing) must stop the query. */
  bool failed;
} kz_expr_env;

/*
 * Evaluates expr. Returns true and sets *out to the value, or false for a
 * SPARQL error (the expression has no value). *out's strings are borrowed
 * from the variables' terms or allocated in env->scratch.
 */
bool kz_expr_eval(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out);

/*
 * The effective boolean value of expr (17.2.2): 1 true, 0 false, -1 error.
 * A conjunction (FILTER's list) is true when each of its members is.
 */
int kz_expr_ebv(const kz_alg_expr *expr, kz_expr_env *env);

/* The effective boolean value of a term: 1, 0, or -1 (no EBV: an IRI, a
 * blank node, a literal of another datatype, an ill-typed literal). */
int kz_term_ebv(const kz_term *term);

/*
 * ORDER BY's order of two terms (15.1): unbound (NULL) < blank nodes < IRIs
 * < literals; among literals, values of the same kind compare by value
 * (numbers, strings, booleans, dateTimes), and anything left by a fixed
 * order on the term (kind, lexical form, datatype, language). Never an
 * error: a total order. <0, 0, >0.
 */
int kz_term_order(const kz_term *a, const kz_term *b);

/*
 * The = operator on two terms (RDFterm-equal and value equality for
 * numbers, strings, booleans, dates): 1 equal, 0 not, -1 error (e.g.
 * comparing literals of unknown datatypes with different lexical forms).
 */
int kz_term_equals(const kz_term *a, const kz_term *b);

/* True when two terms are the same RDF term (sameTerm). */
bool kz_term_same(const kz_term *a, const kz_term *b);

/* A new, empty cache of compiled patterns for env->regex_cache; NULL on
 * out of memory. It keeps a few dozen patterns, keyed by the expression
 * node, the pattern and the flags, so a constant pattern is compiled once
 * per query run. Not thread-safe: one per running query. Caller frees
 * with kz_regex_cache_free. */
kz_regex_cache *kz_regex_cache_new(void);

/* Frees a cache and every pattern in it. Accepts NULL. */
void kz_regex_cache_free(kz_regex_cache *cache);

/* ---- aggregates ----------------------------------------------------------- */

/* The running state of one aggregate over one group. Opaque. */
typedef struct kz_aggregator kz_aggregator;

/* A new accumulator for aggregate (COUNT ... GROUP_CONCAT, DISTINCT and
 * the separator as the algebra gives them), allocated in arena (freed with
 * it). NULL on out of memory. */
kz_aggregator *kz_aggregator_new(const kz_alg_aggregate *aggregate, kz_arena *arena);

/* Adds one solution of the group: evaluates the aggregate's argument in
 * env (COUNT(*) counts the solution; COUNT(DISTINCT *) compares solutions
 * on variables 0..env->var_count-1) and folds it in, copying what it keeps
 * into the aggregator's arena. An error in the argument makes the
 * aggregate an error (COUNT skips it, SAMPLE samples another value).
 * Returns false only on an evaluation failure (out of memory): the query
 * stops. */
bool kz_aggregator_add(kz_aggregator *aggregator, kz_expr_env *env);

/* The aggregate's value into *out (strings in arena): true, or false when
 * it is an error (e.g. SUM over an IRI; MIN of no values...) or arena runs
 * out of memory. Per 18.5: COUNT of nothing is 0, SUM of nothing 0, AVG of
 * nothing 0, MIN/MAX/SAMPLE of nothing are unbound (false), GROUP_CONCAT
 * of nothing is "" (always a simple literal). MIN and MAX order by
 * kz_term_order and give a number in its canonical form. */
bool kz_aggregator_result(kz_aggregator *aggregator, kz_arena *arena, kz_term *out);

#endif
