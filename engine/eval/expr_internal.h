/*
 * What the files of the expression module share: term constructors that
 * allocate in the environment's scratch arena, and the built-in function
 * table that functions.c defines and expr.c dispatches through. Private to
 * engine/eval.
 */
#ifndef KZ_EVAL_EXPR_INTERNAL_H
#define KZ_EVAL_EXPR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "eval/expr.h"
#include "eval/value.h"

/* Records an evaluation failure (out of memory) and returns false. */
bool kz_expr_fail(kz_expr_env *env);

/* A literal whose lexical form is a copy of the first size bytes of lexical
 * (in env->scratch); language NULL or a tag, datatype NULL, a static
 * string, or one that outlives the scratch arena. xsd:string becomes no
 * datatype. False (and env->failed) on out of memory. */
bool kz_make_literal(kz_expr_env *env, kz_term *out, const char *lexical, size_t size,
                     const char *language, const char *datatype);

/* The same without copying: lexical already lives long enough. */
void kz_make_literal_borrowed(kz_term *out, const char *lexical, const char *language,
                              const char *datatype);

/* A number in the given style (see kz_number_format). */
bool kz_make_number(kz_expr_env *env, kz_term *out, const kz_number *n, kz_number_style style);

/* "true"/"false"^^xsd:boolean (static strings). */
void kz_make_boolean(kz_term *out, bool value);

/* An xsd:integer. */
bool kz_make_integer(kz_expr_env *env, kz_term *out, kz_i128 value);

/* A built-in whose arguments are evaluated first, all of which must have a
 * value: fn gets them in args[0..count-1]. */
typedef bool (*kz_builtin_fn)(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                              size_t count, kz_term *out);

typedef struct kz_builtin {
  kz_sparql_op op;
  kz_builtin_fn fn;
  size_t min_args;
  size_t max_args; /* SIZE_MAX: any number */
} kz_builtin;

/* The built-in for op, or NULL when expr.c evaluates op itself. */
const kz_builtin *kz_builtin_find(kz_sparql_op op);

/* A function call by IRI (the XSD casts): iri, its evaluated arguments. */
bool kz_function_call(kz_expr_env *env, const char *iri, const kz_term *args, size_t count,
                      kz_term *out);

#endif
