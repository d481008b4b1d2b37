/*
 * Expression evaluation (SPARQL 1.1 section 17): the walk over a
 * kz_alg_expr tree, the operators (|| && ! = != < > <= >= IN + - * /), the
 * special forms that do not evaluate all their arguments first (BOUND, IF,
 * COALESCE, EXISTS), the effective boolean value, RDF term equality and
 * the ORDER BY order. Built-in functions live in functions.c and are
 * reached through kz_builtin_find; values of literals come from value.h.
 *
 * Every evaluation either gives a term (true) or a SPARQL error (false).
 * An evaluation failure, which is not a SPARQL error but a reason to stop
 * the query (out of memory, EXISTS failing), also returns false and sets
 * env->failed; once it is set every evaluation returns false at once, so
 * a caller checks it after the fact.
 *
 * Equality follows the operator mapping of 17.3 with the choices the W3C
 * "open world" tests make: values of the same kind compare by value;
 * literals of two different known kinds (a number and a date) are
 * unequal; a language-tagged literal is unequal to any other kind of
 * literal; and a literal of an unknown datatype or an ill-typed one
 * ("abc"^^xsd:integer) equals only itself, any other comparison with it
 * being an error.
 */
#include <stdint.h>
#include <string.h>

#include "core/text.h"
#include "eval/expr.h"
#include "eval/expr_internal.h"
#include "eval/value.h"

/* ---- making terms ---------------------------------------------------------- */

bool kz_expr_fail(kz_expr_env *env) {
  env->failed = true;
  return false;
}

static const char *normal_datatype(const char *datatype) {
  return datatype && strcmp(datatype, KZ_XSD_STRING) == 0 ? NULL : datatype;
}

void kz_make_literal_borrowed(kz_term *out, const char *lexical, const char *language,
                              const char *datatype) {
  *out = (kz_term){.kind = KZ_TERM_LITERAL,
                   .value = lexical,
                   .language = language && *language ? language : NULL,
                   .datatype = language && *language ? NULL : normal_datatype(datatype)};
}

bool kz_make_literal(kz_expr_env *env, kz_term *out, const char *lexical, size_t size,
                     const char *language, const char *datatype) {
  char *copy = kz_arena_strndup(env->scratch, lexical, size);
  if (!copy)
    return kz_expr_fail(env);
  kz_make_literal_borrowed(out, copy, language, datatype);
  return true;
}

bool kz_make_number(kz_expr_env *env, kz_term *out, const kz_number *n, kz_number_style style) {
  char *lexical = kz_number_format(env->scratch, n, style);
  if (!lexical)
    return kz_expr_fail(env);
  kz_make_literal_borrowed(out, lexical, NULL, kz_number_datatype(n->type));
  return true;
}

void kz_make_boolean(kz_term *out, bool value) {
  kz_make_literal_borrowed(out, value ? "true" : "false", NULL, KZ_XSD_BOOLEAN);
}

bool kz_make_integer(kz_expr_env *env, kz_term *out, kz_i128 value) {
  kz_number n = kz_number_integer(value);
  return kz_make_number(env, out, &n, KZ_STYLE_CANONICAL);
}

/* A constant of the algebra as a term; its strings live as long as the
 * algebra. */
static bool constant_term(const kz_sparql_term *term, kz_term *out) {
  switch (term->kind) {
  case KZ_SPARQL_IRI: *out = (kz_term){.kind = KZ_TERM_IRI, .value = term->lexical}; return true;
  case KZ_SPARQL_LITERAL:
    kz_make_literal_borrowed(out, term->lexical, term->lang, term->datatype);
    return true;
  case KZ_SPARQL_BLANK:
    *out = (kz_term){.kind = KZ_TERM_BLANK, .value = term->lexical};
    return true;
  default: return false;
  }
}

/* ---- identity, EBV, equality, order --------------------------------------------- */

static bool same_string(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "") == 0;
}

bool kz_term_same(const kz_term *a, const kz_term *b) {
  if (!a || !b || a->kind != b->kind || strcmp(a->value, b->value) != 0)
    return false;
  if (a->kind != KZ_TERM_LITERAL)
    return true;
  /* Language tags compare without case (RDF 1.1); xsd:string is no datatype. */
  return kz_ascii_iequal(a->language ? a->language : "", b->language ? b->language : "") &&
         same_string(normal_datatype(a->datatype), normal_datatype(b->datatype));
}

int kz_term_ebv(const kz_term *term) {
  kz_value v;
  switch (kz_value_of(term, &v)) {
  case KZ_VALUE_BOOLEAN: return v.boolean;
  case KZ_VALUE_NUMBER: return !kz_number_is_zero(&v.number) && !kz_number_is_nan(&v.number);
  case KZ_VALUE_STRING:
  case KZ_VALUE_LANG_STRING: return term->value[0] != '\0';
  case KZ_VALUE_NONE:
    /* 17.2.2: an ill-typed boolean or number has the EBV false. */
    if (term && term->kind == KZ_TERM_LITERAL && term->datatype &&
        (strcmp(term->datatype, KZ_XSD_BOOLEAN) == 0 || kz_datatype_is_numeric(term->datatype)))
      return 0;
    return -1;
  default: return -1;
  }
}

int kz_term_equals(const kz_term *a, const kz_term *b) {
  if (!a || !b)
    return -1;
  if (a->kind != KZ_TERM_LITERAL || b->kind != KZ_TERM_LITERAL)
    return kz_term_same(a, b);
  kz_value x, y;
  kz_value_of(a, &x);
  kz_value_of(b, &y);
  /* The same term is equal to itself, except a NaN. */
  if (kz_term_same(a, b) && !(x.kind == KZ_VALUE_NUMBER && kz_number_is_nan(&x.number)))
    return 1;
  if (x.kind == KZ_VALUE_LANG_STRING || y.kind == KZ_VALUE_LANG_STRING)
    return 0; /* not the same term, and a tagged string is no other kind of value */
  if (x.kind == KZ_VALUE_NONE || y.kind == KZ_VALUE_NONE)
    return -1; /* an unknown value might be equal: an error, not false */
  if (x.kind != y.kind)
    return 0;
  bool odd = false;
  int cmp = 0;
  switch (x.kind) {
  case KZ_VALUE_NUMBER:
    cmp = kz_number_compare(&x.number, &y.number, &odd);
    return !odd && cmp == 0;
  case KZ_VALUE_STRING: return strcmp(a->value, b->value) == 0;
  case KZ_VALUE_BOOLEAN: return x.boolean == y.boolean;
  case KZ_VALUE_DATETIME:
  case KZ_VALUE_DATE:
    cmp = kz_datetime_compare(&x.datetime, &y.datetime, &odd);
    return odd ? -1 : cmp == 0;
  default: return -1;
  }
}

/* a < b and friends (17.3): numbers, simple literals and xsd:strings,
 * booleans, dateTimes, dates. Sets *cmp; false when they do not compare.
 * A NaN compares, but *nan is set: every order comparison with it is
 * false, as in XPath. */
static bool operator_compare(const kz_term *a, const kz_term *b, int *cmp, bool *nan) {
  kz_value x, y;
  kz_value_of(a, &x);
  kz_value_of(b, &y);
  *nan = false;
  if (x.kind != y.kind)
    return false;
  bool odd = false;
  switch (x.kind) {
  case KZ_VALUE_NUMBER: *cmp = kz_number_compare(&x.number, &y.number, nan); return true;
  case KZ_VALUE_STRING: *cmp = strcmp(a->value, b->value); return true;
  case KZ_VALUE_BOOLEAN: *cmp = (int)x.boolean - (int)y.boolean; return true;
  case KZ_VALUE_DATETIME:
  case KZ_VALUE_DATE: *cmp = kz_datetime_compare(&x.datetime, &y.datetime, &odd); return !odd;
  default: return false;
  }
}

static int sign_of(int v) { return (v > 0) - (v < 0); }

static int compare_strings(const char *a, const char *b) {
  return sign_of(strcmp(a ? a : "", b ? b : ""));
}

/* The rank of a term among kinds for ORDER BY: unbound, blank nodes, IRIs,
 * then literals by the kind of their value. */
static int order_rank(const kz_term *term, const kz_value *value) {
  if (!term)
    return 0;
  if (term->kind == KZ_TERM_BLANK)
    return 1;
  if (term->kind == KZ_TERM_IRI)
    return 2;
  switch (value->kind) {
  case KZ_VALUE_NUMBER: return 3;
  case KZ_VALUE_STRING:
  case KZ_VALUE_LANG_STRING: return 4;
  case KZ_VALUE_BOOLEAN: return 5;
  case KZ_VALUE_DATETIME: return 6;
  case KZ_VALUE_DATE: return 7;
  default: return 8;
  }
}

/* Language tags in ASCII lower case, as sameTerm compares them. */
static int compare_tags(const char *a, const char *b) {
  for (a = a ? a : "", b = b ? b : "";; a++, b++) {
    int x = *a >= 'A' && *a <= 'Z' ? *a + 32 : (unsigned char)*a;
    int y = *b >= 'A' && *b <= 'Z' ? *b + 32 : (unsigned char)*b;
    if (x != y || x == 0)
      return sign_of(x - y);
  }
}

/* The fixed order that breaks ties: lexical form, datatype, language. */
static int order_fixed(const kz_term *a, const kz_term *b) {
  int c = compare_strings(a->value, b->value);
  if (c == 0)
    c = compare_strings(normal_datatype(a->datatype), normal_datatype(b->datatype));
  if (c == 0)
    c = compare_tags(a->language, b->language);
  return c;
}

int kz_term_order(const kz_term *a, const kz_term *b) {
  kz_value x = {0}, y = {0};
  if (a && a->kind == KZ_TERM_LITERAL)
    kz_value_of(a, &x);
  if (b && b->kind == KZ_TERM_LITERAL)
    kz_value_of(b, &y);
  int ra = order_rank(a, &x), rb = order_rank(b, &y);
  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (!a)
    return 0;
  if (a->kind != KZ_TERM_LITERAL)
    return compare_strings(a->value, b->value);
  int c = 0;
  bool nan_a, nan_b, odd;
  switch (x.kind) {
  case KZ_VALUE_NUMBER:
    /* NaN first, so the order stays total. */
    nan_a = kz_number_is_nan(&x.number);
    nan_b = kz_number_is_nan(&y.number);
    if (nan_a || nan_b)
      c = nan_a == nan_b ? 0 : nan_a ? -1 : 1;
    else
      c = kz_number_compare(&x.number, &y.number, &odd);
    break;
  case KZ_VALUE_STRING:
  case KZ_VALUE_LANG_STRING:
    c = compare_strings(a->value, b->value);
    if (c == 0 && (x.kind != y.kind))
      c = x.kind == KZ_VALUE_STRING ? -1 : 1;
    break;
  case KZ_VALUE_BOOLEAN: c = (int)x.boolean - (int)y.boolean; break;
  case KZ_VALUE_DATETIME:
  case KZ_VALUE_DATE: c = kz_datetime_order(&x.datetime, &y.datetime); break;
  default: break;
  }
  return c != 0 ? sign_of(c) : order_fixed(a, b);
}

/* ---- evaluation ----------------------------------------------------------------- */

/* Evaluates the arguments of expr into args (stack when they fit, else
 * scratch). False on an error in any of them. */
static bool eval_args(const kz_alg_expr *expr, kz_expr_env *env, kz_term *stack, size_t stack_size,
                      kz_term **args) {
  *args = stack;
  if (expr->arg_count > stack_size) {
    *args = kz_arena_alloc(env->scratch, expr->arg_count * sizeof(kz_term));
    if (!*args)
      return kz_expr_fail(env);
  }
  for (size_t i = 0; i < expr->arg_count; i++)
    if (!kz_expr_eval(expr->args[i], env, &(*args)[i]))
      return false;
  return true;
}

static bool eval_logical(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  if (expr->arg_count != 2)
    return false;
  /* || is true if either side is, && false if either side is, even when
   * the other side is an error (17.2). */
  int decisive = expr->op == KZ_OP_OR ? 1 : 0;
  int left = kz_expr_ebv(expr->args[0], env);
  if (env->failed)
    return false;
  if (left == decisive) {
    kz_make_boolean(out, decisive);
    return true;
  }
  int right = kz_expr_ebv(expr->args[1], env);
  if (env->failed)
    return false;
  if (right == decisive) {
    kz_make_boolean(out, decisive);
    return true;
  }
  if (left < 0 || right < 0)
    return false;
  kz_make_boolean(out, !decisive);
  return true;
}

static bool eval_compare(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  kz_term operands[2];
  if (expr->arg_count != 2 || !kz_expr_eval(expr->args[0], env, &operands[0]) ||
      !kz_expr_eval(expr->args[1], env, &operands[1]))
    return false;
  if (expr->op == KZ_OP_EQ || expr->op == KZ_OP_NE) {
    int equal = kz_term_equals(&operands[0], &operands[1]);
    if (equal < 0)
      return false;
    kz_make_boolean(out, expr->op == KZ_OP_EQ ? equal : !equal);
    return true;
  }
  int cmp;
  bool nan;
  if (!operator_compare(&operands[0], &operands[1], &cmp, &nan))
    return false;
  bool result = false; /* stays false for a NaN */
  if (!nan) {
    switch (expr->op) {
    case KZ_OP_LT: result = cmp < 0; break;
    case KZ_OP_GT: result = cmp > 0; break;
    case KZ_OP_LE: result = cmp <= 0; break;
    case KZ_OP_GE: result = cmp >= 0; break;
    default: return false;
    }
  }
  kz_make_boolean(out, result);
  return true;
}

/* x IN (e1, ...): true when x = ei for some i; otherwise an error if some
 * comparison was, else false (17.4.1.9). NOT IN is its negation. */
static bool eval_in(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  kz_term x, candidate;
  if (expr->arg_count < 1 || !kz_expr_eval(expr->args[0], env, &x))
    return false;
  bool found = false, error = false;
  for (size_t i = 1; i < expr->arg_count && !found; i++) {
    if (!kz_expr_eval(expr->args[i], env, &candidate)) {
      if (env->failed)
        return false;
      error = true;
      continue;
    }
    int equal = kz_term_equals(&x, &candidate);
    if (equal < 0)
      error = true;
    found = equal > 0;
  }
  if (!found && error)
    return false;
  kz_make_boolean(out, expr->op == KZ_OP_IN ? found : !found);
  return true;
}

/* Whether a lexical form is written as an integer: [+-]?[0-9]+. */
static bool integer_notation(const char *s) {
  const char *end = kz_xsd_number_read(s, false);
  return end && !*end;
}

/* The operators keep the operands' notation: when every operand is
 * written as an integer ("3"^^xsd:double), a whole result is written so
 * too ("6"^^xsd:double), which is what the W3C expr-ops tests expect;
 * otherwise the result is canonical ("1.0" + 2 is "3.0"). */
static bool eval_arithmetic(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  kz_term operands[2];
  kz_value x, y;
  size_t arity = expr->op == KZ_OP_UNARY_PLUS || expr->op == KZ_OP_UNARY_MINUS ? 1 : 2;
  if (expr->arg_count != arity)
    return false;
  for (size_t i = 0; i < arity; i++)
    if (!kz_expr_eval(expr->args[i], env, &operands[i]))
      return false;
  if (kz_value_of(&operands[0], &x) != KZ_VALUE_NUMBER)
    return false;
  kz_number result;
  if (arity == 1) {
    if (expr->op == KZ_OP_UNARY_MINUS)
      kz_number_negate(&result, &x.number);
    else
      result = x.number;
  } else {
    if (kz_value_of(&operands[1], &y) != KZ_VALUE_NUMBER ||
        !kz_number_arith(&result, expr->op, &x.number, &y.number))
      return false;
  }
  bool integral =
      integer_notation(operands[0].value) && (arity == 1 || integer_notation(operands[1].value));
  return kz_make_number(env, out, &result, integral ? KZ_STYLE_INTEGRAL : KZ_STYLE_CANONICAL);
}

static bool eval_bound(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  if (expr->arg_count != 1)
    return false;
  const kz_alg_expr *arg = expr->args[0];
  bool bound;
  if (arg->op == KZ_OP_VARIABLE) {
    bound = env->var(env->user, arg->term.var) != NULL;
  } else {
    kz_term ignored;
    bound = kz_expr_eval(arg, env, &ignored);
    if (env->failed)
      return false;
  }
  kz_make_boolean(out, bound);
  return true;
}

static bool eval_if(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  if (expr->arg_count != 3)
    return false;
  int condition = kz_expr_ebv(expr->args[0], env);
  if (condition < 0)
    return false;
  return kz_expr_eval(expr->args[condition ? 1 : 2], env, out);
}

static bool eval_coalesce(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  for (size_t i = 0; i < expr->arg_count; i++) {
    if (kz_expr_eval(expr->args[i], env, out))
      return true;
    if (env->failed)
      return false;
  }
  return false;
}

static bool eval_exists(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  if (!env->exists || !expr->pattern)
    return kz_expr_fail(env);
  int found = env->exists(env->user, expr->pattern);
  if (found < 0)
    return kz_expr_fail(env);
  kz_make_boolean(out, expr->op == KZ_OP_EXISTS ? found : !found);
  return true;
}

bool kz_expr_eval(const kz_alg_expr *expr, kz_expr_env *env, kz_term *out) {
  if (env->failed || !expr)
    return false;
  kz_term stack[4], *args;
  switch (expr->op) {
  case KZ_OP_CONSTANT: return constant_term(&expr->term, out);
  case KZ_OP_VARIABLE: {
    const kz_term *value = env->var(env->user, expr->term.var);
    if (!value)
      return false;
    *out = *value;
    return true;
  }
  case KZ_OP_OR:
  case KZ_OP_AND: return eval_logical(expr, env, out);
  case KZ_OP_NOT: {
    int value = expr->arg_count == 1 ? kz_expr_ebv(expr->args[0], env) : -1;
    if (value < 0)
      return false;
    kz_make_boolean(out, !value);
    return true;
  }
  case KZ_OP_EQ:
  case KZ_OP_NE:
  case KZ_OP_LT:
  case KZ_OP_GT:
  case KZ_OP_LE:
  case KZ_OP_GE: return eval_compare(expr, env, out);
  case KZ_OP_IN:
  case KZ_OP_NOT_IN: return eval_in(expr, env, out);
  case KZ_OP_ADD:
  case KZ_OP_SUBTRACT:
  case KZ_OP_MULTIPLY:
  case KZ_OP_DIVIDE:
  case KZ_OP_UNARY_PLUS:
  case KZ_OP_UNARY_MINUS: return eval_arithmetic(expr, env, out);
  case KZ_OP_BOUND: return eval_bound(expr, env, out);
  case KZ_OP_IF: return eval_if(expr, env, out);
  case KZ_OP_COALESCE: return eval_coalesce(expr, env, out);
  case KZ_OP_EXISTS:
  case KZ_OP_NOT_EXISTS: return eval_exists(expr, env, out);
  case KZ_OP_FUNCTION:
    if (expr->term.kind != KZ_SPARQL_IRI ||
        !eval_args(expr, env, stack, sizeof stack / sizeof stack[0], &args))
      return false;
    return kz_function_call(env, expr->term.lexical, args, expr->arg_count, out);
  default: {
    const kz_builtin *builtin = kz_builtin_find(expr->op);
    if (!builtin || expr->arg_count < builtin->min_args || expr->arg_count > builtin->max_args)
      return false; /* an aggregate outside a GROUP, or a malformed call */
    if (!eval_args(expr, env, stack, sizeof stack / sizeof stack[0], &args))
      return false;
    return builtin->fn(env, expr, args, expr->arg_count, out);
  }
  }
}

int kz_expr_ebv(const kz_alg_expr *expr, kz_expr_env *env) {
  kz_term value;
  if (!kz_expr_eval(expr, env, &value))
    return -1;
  return kz_term_ebv(&value);
}
