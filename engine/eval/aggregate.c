/*
 * The aggregates of SPARQL 1.1 (section 18.5): COUNT, SUM, MIN, MAX, AVG,
 * SAMPLE and GROUP_CONCAT, with or without DISTINCT, folded one solution
 * at a time.
 *
 * A kz_aggregator holds the running state of one aggregate over one group
 * and lives in the arena it was made in. Because the evaluator resets the
 * scratch arena between solutions, everything the state keeps from a
 * solution (MIN's current term, the terms DISTINCT has seen, the text of
 * GROUP_CONCAT) is copied into that arena; numbers are kept as values.
 *
 * DISTINCT compares terms by identity (sameTerm), so 1 and 1.0 are two
 * values; the seen terms sit in an open-addressing hash table that doubles
 * when half full (the old slots stay in the arena until it is freed).
 * COUNT(DISTINCT *) compares whole solutions: the tuple of variables
 * 0..env->var_count-1.
 *
 * Errors: an argument that fails to evaluate makes SUM, AVG, MIN, MAX and
 * GROUP_CONCAT an error; COUNT does not count it, and SAMPLE picks another
 * value (any value of the group is a valid sample).
 */
#include <string.h>

#include "eval/expr.h"
#include "eval/expr_internal.h"
#include "eval/value.h"

/* One entry of the DISTINCT set: a term, or a solution for COUNT(DISTINCT *). */
typedef struct seen_entry {
  uint64_t hash;
  kz_term *terms; /* NULL: a free slot */
} seen_entry;

typedef struct seen_set {
  seen_entry *slots;
  size_t capacity; /* a power of two, or 0 */
  size_t count;
} seen_set;

struct kz_aggregator {
  kz_sparql_op op;
  bool distinct;
  const kz_alg_expr *arg; /* NULL: COUNT(*) */
  const char *separator;
  kz_arena *arena;
  bool error;
  uint64_t count;
  kz_number sum;
  kz_term kept; /* MIN, MAX, SAMPLE: the value so far */
  bool has_kept;
  char *text; /* GROUP_CONCAT: text_size bytes, NUL-terminated, in capacity */
  size_t text_size, text_capacity;
  bool has_text;
  seen_set seen;
};

kz_aggregator *kz_aggregator_new(const kz_alg_aggregate *aggregate, kz_arena *arena) {
  kz_aggregator *agg = kz_arena_alloc(arena, sizeof *agg);
  if (!agg)
    return NULL;
  agg->op = aggregate->op;
  agg->distinct = aggregate->distinct;
  agg->arg = aggregate->arg;
  agg->separator = aggregate->separator ? aggregate->separator : " ";
  agg->arena = arena;
  agg->sum = kz_number_integer(0);
  return agg;
}

/* ---- terms kept across solutions ------------------------------------------------ */

static bool copy_term(kz_arena *arena, kz_term *out, const kz_term *term) {
  *out = *term;
  out->value = kz_arena_strdup(arena, term->value);
  out->language = kz_arena_strdup(arena, term->language);
  out->datatype = kz_arena_strdup(arena, term->datatype);
  return out->value && (!term->language || out->language) && (!term->datatype || out->datatype);
}

static uint64_t hash_string(uint64_t h, const char *s, bool fold_case) {
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (fold_case && c >= 'A' && c <= 'Z')
      c = (unsigned char)(c + 32);
    h = (h ^ c) * 0x100000001B3u; /* FNV-1a */
  }
  return (h ^ 0xFF) * 0x100000001B3u;
}

/* A hash that agrees with kz_term_same (language case folded, xsd:string
 * as no datatype). */
static uint64_t hash_term(uint64_t h, const kz_term *t) {
  if (!t)
    return (h ^ 0xFE) * 0x100000001B3u;
  h = (h ^ (uint64_t)t->kind) * 0x100000001B3u;
  h = hash_string(h, t->value, false);
  if (t->kind == KZ_TERM_LITERAL) {
    h = hash_string(h, t->language, true);
    bool string = !t->datatype || strcmp(t->datatype, KZ_XSD_STRING) == 0;
    h = hash_string(h, string ? NULL : t->datatype, false);
  }
  return h;
}

static bool same_tuple(const kz_term *a, const kz_term *const *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    bool a_bound = a[i].kind != 0, b_bound = b[i] != NULL;
    if (a_bound != b_bound || (a_bound && !kz_term_same(&a[i], b[i])))
      return false;
  }
  return true;
}

static bool seen_grow(kz_arena *arena, seen_set *set) {
  size_t capacity = set->capacity ? set->capacity * 2 : 16;
  seen_entry *slots = kz_arena_alloc(arena, capacity * sizeof *slots);
  if (!slots)
    return false;
  for (size_t i = 0; i < set->capacity; i++) {
    if (!set->slots[i].terms)
      continue;
    size_t at = set->slots[i].hash & (capacity - 1);
    while (slots[at].terms)
      at = (at + 1) & (capacity - 1);
    slots[at] = set->slots[i];
  }
  set->slots = slots;
  set->capacity = capacity;
  return true;
}

/* Adds the tuple terms[0..n-1] (NULL: unbound) to the set unless it is
 * there: *added tells which. False on out of memory. An unbound term is
 * stored with kind 0. */
static bool seen_add(kz_arena *arena, seen_set *set, const kz_term *const *terms, size_t n,
                     bool *added) {
  *added = false;
  uint64_t h = 0xCBF29CE484222325u;
  for (size_t i = 0; i < n; i++)
    h = hash_term(h, terms[i]);
  if ((set->count + 1) * 2 > set->capacity && !seen_grow(arena, set))
    return false;
  size_t at = h & (set->capacity - 1);
  for (; set->slots[at].terms; at = (at + 1) & (set->capacity - 1))
    if (set->slots[at].hash == h && same_tuple(set->slots[at].terms, terms, n))
      return true;
  kz_term *copy = kz_arena_alloc(arena, (n ? n : 1) * sizeof *copy);
  if (!copy)
    return false;
  for (size_t i = 0; i < n; i++)
    if (terms[i] && !copy_term(arena, &copy[i], terms[i]))
      return false;
  set->slots[at] = (seen_entry){h, copy};
  set->count++;
  *added = true;
  return true;
}

/* ---- folding --------------------------------------------------------------------- */

static bool append_text(kz_aggregator *agg, const char *s) {
  size_t n = strlen(s);
  if (agg->text_size + n + 1 > agg->text_capacity) {
    size_t capacity = agg->text_capacity ? agg->text_capacity : 64;
    while (capacity < agg->text_size + n + 1)
      capacity *= 2;
    char *text = kz_arena_alloc(agg->arena, capacity);
    if (!text)
      return false;
    if (agg->text_size)
      memcpy(text, agg->text, agg->text_size);
    agg->text = text;
    agg->text_capacity = capacity;
  }
  memcpy(agg->text + agg->text_size, s, n + 1);
  agg->text_size += n;
  return true;
}

static bool fold(kz_aggregator *agg, const kz_term *value) {
  kz_value v;
  switch (agg->op) {
  case KZ_OP_COUNT: agg->count++; return true;
  case KZ_OP_SUM:
  case KZ_OP_AVG:
    if (kz_value_of(value, &v) != KZ_VALUE_NUMBER ||
        !kz_number_arith(&agg->sum, KZ_OP_ADD, &agg->sum, &v.number))
      agg->error = true;
    agg->count++;
    return true;
  case KZ_OP_MIN:
  case KZ_OP_MAX:
  case KZ_OP_SAMPLE: {
    bool replace = !agg->has_kept;
    if (!replace && agg->op != KZ_OP_SAMPLE) {
      int order = kz_term_order(value, &agg->kept);
      replace = agg->op == KZ_OP_MIN ? order < 0 : order > 0;
    }
    if (replace) {
      if (!copy_term(agg->arena, &agg->kept, value))
        return false;
      agg->has_kept = true;
    }
    return true;
  }
  case KZ_OP_GROUP_CONCAT:
    if (value->kind == KZ_TERM_BLANK) {
      agg->error = true;
      return true;
    }
    if ((agg->has_text && !append_text(agg, agg->separator)) || !append_text(agg, value->value))
      return false;
    agg->has_text = true;
    return true;
  default: agg->error = true; return true;
  }
}

bool kz_aggregator_add(kz_aggregator *agg, kz_expr_env *env) {
  bool added;
  if (!agg->arg) { /* COUNT(*) */
    if (agg->distinct) {
      size_t n = env->var_count > 0 ? (size_t)env->var_count : 0;
      const kz_term **solution = kz_arena_alloc(env->scratch, (n ? n : 1) * sizeof *solution);
      if (!solution)
        return kz_expr_fail(env);
      for (size_t i = 0; i < n; i++)
        solution[i] = env->var(env->user, (int)i);
      if (!seen_add(agg->arena, &agg->seen, solution, n, &added))
        return kz_expr_fail(env);
      if (!added)
        return true;
    }
    agg->count++;
    return true;
  }
  if (agg->error)
    return true; /* nothing can undo an error */
  kz_term value;
  if (!kz_expr_eval(agg->arg, env, &value)) {
    if (env->failed)
      return false;
    if (agg->op != KZ_OP_COUNT && agg->op != KZ_OP_SAMPLE)
      agg->error = true;
    return true;
  }
  if (agg->distinct) {
    const kz_term *key = &value;
    if (!seen_add(agg->arena, &agg->seen, &key, 1, &added))
      return kz_expr_fail(env);
    if (!added)
      return true;
  }
  return fold(agg, &value) ? true : kz_expr_fail(env);
}

static bool number_result(kz_arena *arena, const kz_number *n, kz_term *out) {
  char *lexical = kz_number_format(arena, n, KZ_STYLE_CANONICAL);
  if (!lexical)
    return false;
  *out =
      (kz_term){.kind = KZ_TERM_LITERAL, .value = lexical, .datatype = kz_number_datatype(n->type)};
  return true;
}

bool kz_aggregator_result(kz_aggregator *agg, kz_arena *arena, kz_term *out) {
  if (agg->error)
    return false;
  kz_number n;
  switch (agg->op) {
  case KZ_OP_COUNT:
    n = kz_number_integer((kz_i128)agg->count);
    return number_result(arena, &n, out);
  case KZ_OP_SUM: return number_result(arena, &agg->sum, out);
  case KZ_OP_AVG:
    if (agg->count == 0) {
      n = kz_number_integer(0);
    } else {
      kz_number count = kz_number_integer((kz_i128)agg->count);
      if (!kz_number_arith(&n, KZ_OP_DIVIDE, &agg->sum, &count))
        return false;
    }
    return number_result(arena, &n, out);
  case KZ_OP_MIN:
  case KZ_OP_MAX: {
    /* MIN and MAX give a value, so a number comes out in its canonical
     * form (as XPath's fn:min does, and as the W3C tests expect). */
    kz_value v;
    if (agg->has_kept && kz_value_of(&agg->kept, &v) == KZ_VALUE_NUMBER)
      return number_result(arena, &v.number, out);
    return agg->has_kept && copy_term(arena, out, &agg->kept);
  }
  case KZ_OP_SAMPLE: return agg->has_kept && copy_term(arena, out, &agg->kept);
  case KZ_OP_GROUP_CONCAT: {
    char *text = kz_arena_strdup(arena, agg->text ? agg->text : "");
    if (!text)
      return false;
    *out = (kz_term){.kind = KZ_TERM_LITERAL, .value = text};
    return true;
  }
  default: return false;
  }
}
