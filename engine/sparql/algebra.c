/*
 * AST to algebra, following SPARQL 1.1 section 18.2 step by step:
 *   18.2.2   graph patterns: for each group, FILTERs are collected and
 *            applied at the end; OPTIONAL becomes LeftJoin (taking over the
 *            filter of its group), MINUS Minus, BIND Extend, everything else
 *            is joined in order, starting from Z (the empty pattern).
 *   18.2.2.3 paths: negated property sets are split into forward and
 *   18.2.2.4 inverse parts; a link becomes a triple, an inverted link a
 *            swapped triple, a sequence two patterns around a fresh
 *            variable; whatever remains is a Path pattern. Consecutive
 *            triples make a BGP.
 *   18.2.4   grouping and aggregates, HAVING, VALUES, SELECT expressions
 *   18.2.5   ToList, OrderBy, Project, Distinct/Reduced, Slice.
 * The translator owns a fresh arena for the algebra and copies every
 * string it keeps, so the result does not depend on the AST.
 *
 * Variable numbers: each name gets one number the first time it is met
 * (vars_by_name). Blank nodes of patterns are numbered by label (labels are
 * unique per query: the parser keeps each in one BGP and invents the
 * others), path and internal variables get fresh numbers.
 */
#include "sparql/algebra.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "sparql/names.h"

typedef struct translator {
  kz_arena *arena;
  kz_algebra *alg;
  kz_error *err;
  const char *source;
  kz_names vars_by_name;  /* NAMED variables: name -> number */
  kz_names blanks;        /* pattern blank node label -> number */
  size_t var_capacity;
  int blank_counter, path_counter, internal_counter;
  int depth; /* of translate_group and translate_expr calls */
} translator;

static kz_status nomem(translator *t) {
  return kz_fail(t->err, KZ_ERR_NOMEM, t->source, 0, 0, "out of memory");
}

static kz_status too_complex(translator *t) {
  return kz_fail(t->err, KZ_ERR_QUERY, t->source, 0, 0,
                 "the query is too complex: its algebra would nest deeper than %d levels",
                 KZ_ALG_MAX_HEIGHT);
}

/* Makes *height at least one more than child's, within the limit. */
static kz_status raise(translator *t, int *height, int child) {
  if (child + 1 > *height)
    *height = child + 1;
  return *height > KZ_ALG_MAX_HEIGHT ? too_complex(t) : KZ_OK;
}

static kz_status enter(translator *t) {
  return ++t->depth > KZ_ALG_MAX_HEIGHT ? too_complex(t) : KZ_OK;
}

#define ALLOC(t, ptr)                                          \
  do {                                                         \
    if (!((ptr) = kz_arena_alloc((t)->arena, sizeof *(ptr)))) \
      return nomem(t);                                         \
  } while (0)

#define PUSH(t, slot, items, count, capacity)                          \
  do {                                                                 \
    if (!((slot) = KZ_ARENA_PUSH((t)->arena, items, count, capacity))) \
      return nomem(t);                                                 \
  } while (0)

/* ---- variables and terms -------------------------------------------- */

static kz_status new_var(translator *t, kz_alg_var_kind kind, const char *name, int *out) {
  kz_alg_var *v = NULL;
  PUSH(t, v, t->alg->vars, t->alg->var_count, t->var_capacity);
  if (!(v->name = kz_arena_strdup(t->arena, name)))
    return nomem(t);
  v->kind = kind;
  *out = (int)(t->alg->var_count - 1);
  return KZ_OK;
}

static kz_status numbered_var(translator *t, kz_alg_var_kind kind, const char *prefix,
                              int *counter, int *out) {
  char name[32];
  snprintf(name, sizeof name, "%s%d", prefix, (*counter)++);
  return new_var(t, kind, name, out);
}

static kz_status named_var(translator *t, const char *name, int *out) {
  long found = kz_names_find(&t->vars_by_name, name);
  if (found >= 0) {
    *out = t->vars_by_name.values[found];
    return KZ_OK;
  }
  TRY(new_var(t, KZ_ALG_VAR_NAMED, name, out));
  const char *key = t->alg->vars[*out].name;
  return kz_names_put(t->arena, &t->vars_by_name, key, *out, false) ? KZ_OK : nomem(t);
}

static kz_status blank_var(translator *t, const char *label, int *out) {
  long found = kz_names_find(&t->blanks, label);
  if (found >= 0) {
    *out = t->blanks.values[found];
    return KZ_OK;
  }
  TRY(numbered_var(t, KZ_ALG_VAR_BLANK, "?", &t->blank_counter, out));
  const char *key = kz_arena_strdup(t->arena, label);
  if (!key || !kz_names_put(t->arena, &t->blanks, key, *out, false))
    return nomem(t);
  return KZ_OK;
}

static kz_sparql_term var_ref(int var) {
  return (kz_sparql_term){.kind = KZ_SPARQL_VAR, .var = var};
}

/* A copy of term in the algebra's arena; variables and pattern blank
 * nodes become numbered VARs (lexical: the printed name). */
static kz_status copy_term(translator *t, const kz_sparql_term *in, kz_sparql_term *out) {
  *out = (kz_sparql_term){.kind = in->kind, .var = -1};
  if (in->kind == KZ_SPARQL_VAR || in->kind == KZ_SPARQL_BLANK) {
    int var;
    TRY(in->kind == KZ_SPARQL_VAR ? named_var(t, in->lexical, &var) : blank_var(t, in->lexical, &var));
    *out = var_ref(var);
    out->lexical = t->alg->vars[var].name;
    return KZ_OK;
  }
  if (in->kind == KZ_SPARQL_UNDEF)
    return KZ_OK;
  out->lexical = kz_arena_strdup(t->arena, in->lexical);
  out->datatype = kz_arena_strdup(t->arena, in->datatype);
  out->lang = kz_arena_strdup(t->arena, in->lang);
  if (!out->lexical || (in->datatype && !out->datatype) || (in->lang && !out->lang))
    return nomem(t);
  return KZ_OK;
}

static kz_status var_term_of(translator *t, int var, kz_sparql_term *out) {
  *out = var_ref(var);
  out->lexical = t->alg->vars[var].name;
  return KZ_OK;
}

/* ---- operators ------------------------------------------------------- */

static kz_status new_op(translator *t, kz_alg_kind kind, kz_alg_op *left, kz_alg_op *right,
                        kz_alg_op **out) {
  kz_alg_op *op = NULL;
  ALLOC(t, op);
  op->kind = kind;
  op->left = left;
  op->right = right;
  op->height = 1;
  if (left)
    TRY(raise(t, &op->height, left->height));
  if (right)
    TRY(raise(t, &op->height, right->height));
  *out = op;
  return KZ_OK;
}

/* Z: the table with no variables and one row, the identity of Join. */
static kz_status unit_table(translator *t, kz_alg_op **out) {
  TRY(new_op(t, KZ_ALG_TABLE, NULL, NULL, out));
  (*out)->table.row_count = 1;
  return KZ_OK;
}

static bool is_unit(const kz_alg_op *op) {
  return op->kind == KZ_ALG_TABLE && op->table.var_count == 0 && op->table.row_count == 1;
}

/* Join(G, A) with Z removed (18.2.2.8); G NULL stands for Z. */
static kz_status join(translator *t, kz_alg_op *g, kz_alg_op *a, kz_alg_op **out) {
  if (!g || is_unit(g)) {
    *out = a;
    return KZ_OK;
  }
  if (is_unit(a)) {
    *out = g;
    return KZ_OK;
  }
  return new_op(t, KZ_ALG_JOIN, g, a, out);
}

/* ---- expressions ----------------------------------------------------- */

/* Where aggregates go while the expressions of an aggregated level are
 * translated; NULL elsewhere. */
typedef struct aggregation {
  const kz_ast_select *level;
  const kz_names *keys;    /* grouped variable names */
  const kz_names *aliases; /* SELECT ... AS names, bound above the group */
  bool sample_ungrouped;   /* HAVING, ORDER BY: wrap other variables in SAMPLE */
  const kz_ast_expr **sources; /* the AST aggregate of each aggregate, for sharing */
  kz_alg_aggregate *items;
  size_t count, capacity, source_capacity;
} aggregation;

static kz_status translate_group(translator *t, const kz_ast_group *group, kz_alg_op **out);

static bool terms_equal(const kz_sparql_term *a, const kz_sparql_term *b) {
  if (a->kind != b->kind)
    return false;
  if (a->kind == KZ_SPARQL_UNDEF)
    return true;
  return strcmp(a->lexical, b->lexical) == 0 &&
         ((!a->datatype && !b->datatype) || (a->datatype && b->datatype && strcmp(a->datatype, b->datatype) == 0)) &&
         ((!a->lang && !b->lang) || (a->lang && b->lang && strcmp(a->lang, b->lang) == 0));
}

/* Structural equality of AST expressions, for sharing identical
 * aggregates (COUNT(*) in SELECT and in HAVING is one aggregate). */
static bool ast_expr_equal(const kz_ast_expr *a, const kz_ast_expr *b) {
  if (a->op != b->op || a->arg_count != b->arg_count || a->distinct != b->distinct)
    return false;
  if ((a->separator == NULL) != (b->separator == NULL) ||
      (a->separator && strcmp(a->separator, b->separator) != 0))
    return false;
  if (a->op == KZ_OP_EXISTS || a->op == KZ_OP_NOT_EXISTS)
    return a->pattern == b->pattern;
  if ((a->op == KZ_OP_CONSTANT || a->op == KZ_OP_VARIABLE || a->op == KZ_OP_FUNCTION) &&
      !terms_equal(&a->term, &b->term))
    return false;
  for (size_t i = 0; i < a->arg_count; i++)
    if (!ast_expr_equal(a->args[i], b->args[i]))
      return false;
  return true;
}

static kz_status translate_expr(translator *t, const kz_ast_expr *e, aggregation *agg,
                                kz_alg_expr **out);

/* The variable holding aggregate e (an AST aggregate) of this level. */
static kz_status aggregate_var(translator *t, const kz_ast_expr *e, aggregation *agg, int *out) {
  for (size_t i = 0; i < agg->count; i++)
    if (ast_expr_equal(agg->sources[i], e)) {
      *out = agg->items[i].var;
      return KZ_OK;
    }
  kz_alg_aggregate a = {.op = e->op, .distinct = e->distinct, .separator = " "};
  if (e->arg_count) {
    /* aggregate arguments are evaluated per solution of the group */
    TRY(translate_expr(t, e->args[0], NULL, &a.arg));
  }
  if (e->separator) {
    a.separator_given = true;
    if (!(a.separator = kz_arena_strdup(t->arena, e->separator)))
      return nomem(t);
  }
  TRY(numbered_var(t, KZ_ALG_VAR_INTERNAL, ".", &t->internal_counter, &a.var));
  kz_alg_aggregate *slot = NULL;
  const kz_ast_expr **source;
  size_t source_count = agg->count;
  PUSH(t, source, agg->sources, source_count, agg->source_capacity);
  PUSH(t, slot, agg->items, agg->count, agg->capacity);
  *source = e;
  *slot = a;
  *out = a.var;
  return KZ_OK;
}

static kz_status new_expr(translator *t, kz_sparql_op op, kz_alg_expr **out) {
  ALLOC(t, *out);
  (*out)->op = op;
  (*out)->term.var = -1;
  (*out)->height = 1;
  return KZ_OK;
}

static kz_status var_expr(translator *t, int var, kz_alg_expr **out) {
  TRY(new_expr(t, KZ_OP_VARIABLE, out));
  return var_term_of(t, var, &(*out)->term);
}

static kz_status translate_expr(translator *t, const kz_ast_expr *e, aggregation *agg,
                                kz_alg_expr **out) {
  TRY(enter(t));
  if (kz_sparql_op_is_aggregate(e->op)) {
    if (!agg) /* the parser allows aggregates only where agg is given */
      return kz_fail(t->err, KZ_ERR_INTERNAL, t->source, e->line, e->column,
                     "aggregate outside SELECT, HAVING or ORDER BY");
    int var;
    TRY(aggregate_var(t, e, agg, &var));
    t->depth--;
    return var_expr(t, var, out);
  }
  if (e->op == KZ_OP_VARIABLE && agg && agg->sample_ungrouped &&
      !kz_names_has(agg->keys, e->term.lexical) && !kz_names_has(agg->aliases, e->term.lexical)) {
    /* 18.2.4.1: "Replace V with Sample(V)" */
    kz_ast_expr *sample = kz_arena_alloc(t->arena, sizeof *sample);
    kz_ast_expr **args = kz_arena_alloc(t->arena, sizeof *args);
    if (!sample || !args)
      return nomem(t);
    args[0] = (kz_ast_expr *)e; /* only read */
    *sample = (kz_ast_expr){.op = KZ_OP_SAMPLE, .args = args, .arg_count = 1,
                            .line = e->line, .column = e->column};
    int var;
    TRY(aggregate_var(t, sample, agg, &var));
    t->depth--;
    return var_expr(t, var, out);
  }
  kz_alg_expr *x = NULL;
  TRY(new_expr(t, e->op, &x));
  x->distinct = e->distinct;
  if (e->op == KZ_OP_CONSTANT || e->op == KZ_OP_VARIABLE || e->op == KZ_OP_FUNCTION)
    TRY(copy_term(t, &e->term, &x->term));
  if (e->op == KZ_OP_EXISTS || e->op == KZ_OP_NOT_EXISTS) {
    TRY(translate_group(t, e->pattern, &x->pattern));
    TRY(raise(t, &x->height, x->pattern->height));
  }
  if (e->arg_count) {
    if (!(x->args = kz_arena_alloc(t->arena, e->arg_count * sizeof *x->args)))
      return nomem(t);
    x->arg_count = e->arg_count;
    for (size_t i = 0; i < e->arg_count; i++) {
      TRY(translate_expr(t, e->args[i], agg, &x->args[i]));
      TRY(raise(t, &x->height, x->args[i]->height));
    }
  }
  t->depth--;
  *out = x;
  return KZ_OK;
}

/* ---- paths and triples ---------------------------------------------- */

/* Copies a path, splitting negated property sets (18.2.2.3):
 * !(a|^b) is alt(NPS(a), inv(NPS(b))). */
static kz_status translate_path(translator *t, const kz_sparql_path *in, kz_sparql_path **out) {
  kz_sparql_path *p = NULL;
  ALLOC(t, p);
  p->kind = in->kind;
  p->term.var = -1;
  switch (in->kind) {
  case KZ_PATH_LINK: TRY(copy_term(t, &in->term, &p->term)); break;
  case KZ_PATH_SEQUENCE:
  case KZ_PATH_ALTERNATIVE: TRY(translate_path(t, in->right, &p->right)); /* fall through */
  case KZ_PATH_INVERSE:
  case KZ_PATH_ZERO_OR_MORE:
  case KZ_PATH_ONE_OR_MORE:
  case KZ_PATH_ZERO_OR_ONE: TRY(translate_path(t, in->left, &p->left)); break;
  case KZ_PATH_NEGATED: {
    kz_sparql_path *forward = NULL, *inverse = NULL;
    if (in->forward_count || !in->inverse_count) {
      ALLOC(t, forward);
      forward->kind = KZ_PATH_NEGATED;
      forward->forward_count = in->forward_count;
      if (in->forward_count &&
          !(forward->forward = kz_arena_alloc(t->arena, in->forward_count * sizeof *forward->forward)))
        return nomem(t);
      for (size_t i = 0; i < in->forward_count; i++)
        TRY(copy_term(t, &in->forward[i], &forward->forward[i]));
    }
    if (in->inverse_count) {
      kz_sparql_path *set = NULL;
      ALLOC(t, set);
      set->kind = KZ_PATH_NEGATED;
      set->forward_count = in->inverse_count;
      if (!(set->forward = kz_arena_alloc(t->arena, in->inverse_count * sizeof *set->forward)))
        return nomem(t);
      for (size_t i = 0; i < in->inverse_count; i++)
        TRY(copy_term(t, &in->inverse[i], &set->forward[i]));
      ALLOC(t, inverse);
      inverse->kind = KZ_PATH_INVERSE;
      inverse->left = set;
    }
    if (forward && inverse) {
      p->kind = KZ_PATH_ALTERNATIVE;
      p->left = forward;
      p->right = inverse;
    } else {
      p = forward ? forward : inverse;
    }
    break;
  }
  }
  *out = p;
  return KZ_OK;
}

/* What a triples block becomes before BGPs are formed: triple patterns and
 * path patterns, in order. */
typedef struct pattern_item {
  bool is_path;
  kz_alg_triple triple; /* for a path, predicate is unused */
  kz_sparql_path *path;
} pattern_item;

typedef struct pattern_list {
  pattern_item *items;
  size_t count, capacity;
} pattern_list;

/* Appends the steps of a (nested) sequence to steps, in order. */
typedef struct path_steps {
  kz_sparql_path **items;
  size_t count, capacity;
} path_steps;

static kz_status flatten_sequence(translator *t, kz_sparql_path *path, path_steps *steps) {
  if (path->kind == KZ_PATH_SEQUENCE) {
    TRY(flatten_sequence(t, path->left, steps));
    return flatten_sequence(t, path->right, steps);
  }
  kz_sparql_path **slot = NULL;
  PUSH(t, slot, steps->items, steps->count, steps->capacity);
  *slot = path;
  return KZ_OK;
}

/* 18.2.2.4: X P Y to triples and path patterns. */
static kz_status expand_path(translator *t, pattern_list *list, kz_sparql_term s,
                             kz_sparql_path *path, kz_sparql_term o) {
  pattern_item *item = NULL;
  if (path->kind == KZ_PATH_LINK) {
    PUSH(t, item, list->items, list->count, list->capacity);
    *item = (pattern_item){.triple = {s, path->term, o}}; /* slots are reused after a flush */
    return KZ_OK;
  }
  if (path->kind == KZ_PATH_INVERSE && path->left->kind == KZ_PATH_LINK) {
    PUSH(t, item, list->items, list->count, list->capacity);
    *item = (pattern_item){.triple = {o, path->left->term, s}};
    return KZ_OK;
  }
  if (path->kind == KZ_PATH_SEQUENCE) {
    /* X P1/.../Pn Y: one fresh variable between each two steps, numbered
     * in reading order whatever way the sequence was nested */
    path_steps steps = {0};
    TRY(flatten_sequence(t, path, &steps));
    kz_sparql_term from = s;
    for (size_t i = 0; i < steps.count; i++) {
      kz_sparql_term to = o;
      if (i + 1 < steps.count) {
        int var;
        TRY(numbered_var(t, KZ_ALG_VAR_PATH, "?P", &t->path_counter, &var));
        TRY(var_term_of(t, var, &to));
      }
      TRY(expand_path(t, list, from, steps.items[i], to));
      from = to;
    }
    return KZ_OK;
  }
  PUSH(t, item, list->items, list->count, list->capacity);
  item->is_path = true;
  item->triple.subject = s;
  item->triple.object = o;
  item->path = path;
  return KZ_OK;
}

static kz_status add_triples(translator *t, pattern_list *list, const kz_ast_element *e) {
  for (size_t i = 0; i < e->triple_count; i++) {
    const kz_ast_triple *in = &e->triples[i];
    kz_sparql_term s, o;
    kz_sparql_path *path = NULL;
    TRY(copy_term(t, &in->subject, &s));
    TRY(translate_path(t, in->predicate, &path));
    TRY(copy_term(t, &in->object, &o));
    TRY(expand_path(t, list, s, path, o));
  }
  return KZ_OK;
}

/* Consecutive triples make one BGP; paths stand alone; all are joined. */
static kz_status flush_patterns(translator *t, pattern_list *list, kz_alg_op **g) {
  size_t i = 0;
  while (i < list->count) {
    kz_alg_op *op = NULL;
    if (list->items[i].is_path) {
      TRY(new_op(t, KZ_ALG_PATH, NULL, NULL, &op));
      op->path.subject = list->items[i].triple.subject;
      op->path.path = list->items[i].path;
      op->path.object = list->items[i].triple.object;
      i++;
    } else {
      size_t end = i;
      while (end < list->count && !list->items[end].is_path)
        end++;
      TRY(new_op(t, KZ_ALG_BGP, NULL, NULL, &op));
      if (!(op->bgp.triples = kz_arena_alloc(t->arena, (end - i) * sizeof *op->bgp.triples)))
        return nomem(t);
      for (size_t k = i; k < end; k++)
        op->bgp.triples[op->bgp.count++] = list->items[k].triple;
      i = end;
    }
    TRY(join(t, *g, op, g));
  }
  list->count = 0;
  return KZ_OK;
}

/* ---- graph patterns -------------------------------------------------- */

static kz_status translate_level(translator *t, const kz_ast_select *s, kz_alg_op **out);

static kz_status translate_values(translator *t, const kz_ast_values *v, kz_alg_op **out) {
  kz_alg_op *op = NULL;
  TRY(new_op(t, KZ_ALG_TABLE, NULL, NULL, &op));
  op->table.var_count = v->var_count;
  op->table.row_count = v->row_count;
  size_t cells = v->var_count * v->row_count;
  if (v->var_count && !(op->table.vars = kz_arena_alloc(t->arena, v->var_count * sizeof(int))))
    return nomem(t);
  if (cells && !(op->table.cells = kz_arena_alloc(t->arena, cells * sizeof *op->table.cells)))
    return nomem(t);
  for (size_t i = 0; i < v->var_count; i++)
    TRY(named_var(t, v->vars[i].lexical, &op->table.vars[i]));
  for (size_t i = 0; i < cells; i++)
    TRY(copy_term(t, &v->cells[i], &op->table.cells[i]));
  *out = op;
  return KZ_OK;
}

static kz_status set_exprs(translator *t, kz_alg_op *op, kz_alg_expr **exprs, size_t count) {
  op->exprs = exprs;
  op->expr_count = count;
  for (size_t i = 0; i < count; i++)
    TRY(raise(t, &op->height, exprs[i]->height));
  return KZ_OK;
}

/* A balanced tree of Union over the branches (Union is associative; three
 * branches give the spec's Union(Union(A, B), C)). */
static kz_status translate_union(translator *t, kz_ast_group *const *branches, size_t count,
                                 kz_alg_op **out) {
  if (count == 1)
    return translate_group(t, branches[0], out);
  size_t half = count - count / 2;
  kz_alg_op *left = NULL, *right = NULL;
  TRY(translate_union(t, branches, half, &left));
  TRY(translate_union(t, branches + half, count - half, &right));
  return new_op(t, KZ_ALG_UNION, left, right, out);
}

static kz_status translate_element(translator *t, const kz_ast_element *e, kz_alg_op **g) {
  kz_alg_op *a = NULL;
  switch (e->kind) {
  case KZ_AST_OPTIONAL: {
    TRY(translate_group(t, e->group, &a));
    if (!*g)
      TRY(unit_table(t, g));
    kz_alg_op *lj = NULL;
    /* Only the group's own FILTERs go into the LeftJoin: a Filter that
     * comes from a nested group (Join(Z, Filter) simplified to Filter)
     * stays inside, as simplification comes after translation. */
    bool own_filter = false;
    for (size_t i = 0; i < e->group->element_count; i++)
      own_filter |= e->group->elements[i].kind == KZ_AST_FILTER;
    if (a->kind == KZ_ALG_FILTER && own_filter) {
      TRY(new_op(t, KZ_ALG_LEFT_JOIN, *g, a->input, &lj));
      TRY(set_exprs(t, lj, a->exprs, a->expr_count));
    } else {
      TRY(new_op(t, KZ_ALG_LEFT_JOIN, *g, a, &lj));
    }
    *g = lj;
    return KZ_OK;
  }
  case KZ_AST_MINUS:
    TRY(translate_group(t, e->group, &a));
    if (!*g)
      TRY(unit_table(t, g));
    return new_op(t, KZ_ALG_MINUS, *g, a, g);
  case KZ_AST_BIND: {
    kz_alg_op *extend = NULL;
    if (!*g)
      TRY(unit_table(t, g));
    TRY(new_op(t, KZ_ALG_EXTEND, *g, NULL, &extend));
    TRY(translate_expr(t, e->expr, NULL, &extend->extend.expr));
    TRY(raise(t, &extend->height, extend->extend.expr->height));
    TRY(named_var(t, e->var.lexical, &extend->extend.var));
    *g = extend;
    return KZ_OK;
  }
  case KZ_AST_UNION: TRY(translate_union(t, e->branches, e->branch_count, &a)); break;
  case KZ_AST_GROUP: TRY(translate_group(t, e->group, &a)); break;
  case KZ_AST_GRAPH:
  case KZ_AST_SERVICE: {
    kz_alg_op *inner = NULL;
    TRY(translate_group(t, e->group, &inner));
    TRY(new_op(t, e->kind == KZ_AST_GRAPH ? KZ_ALG_GRAPH : KZ_ALG_SERVICE, inner, NULL, &a));
    TRY(copy_term(t, &e->name, &a->graph.name));
    a->graph.silent = e->silent;
    break;
  }
  case KZ_AST_VALUES: TRY(translate_values(t, e->values, &a)); break;
  case KZ_AST_SUBSELECT: {
    kz_alg_op *sub = NULL;
    TRY(translate_level(t, e->select, &sub));
    TRY(new_op(t, KZ_ALG_TO_MULTISET, sub, NULL, &a));
    break;
  }
  case KZ_AST_TRIPLES:
  case KZ_AST_FILTER: return KZ_OK; /* handled by translate_group */
  }
  return join(t, *g, a, g);
}

/* 18.2.2.6 for one GroupGraphPattern. */
static kz_status translate_group(translator *t, const kz_ast_group *group, kz_alg_op **out) {
  TRY(enter(t));
  kz_alg_op *g = NULL;
  kz_alg_expr **filters = NULL;
  size_t filter_count = 0, filter_capacity = 0;
  pattern_list pending = {0};
  for (size_t i = 0; i < group->element_count; i++) {
    const kz_ast_element *e = &group->elements[i];
    if (e->kind == KZ_AST_FILTER) {
      kz_alg_expr **slot;
      PUSH(t, slot, filters, filter_count, filter_capacity);
      TRY(translate_expr(t, e->expr, NULL, slot));
      continue;
    }
    if (e->kind == KZ_AST_TRIPLES) {
      TRY(add_triples(t, &pending, e));
      continue;
    }
    TRY(flush_patterns(t, &pending, &g));
    TRY(translate_element(t, e, &g));
  }
  TRY(flush_patterns(t, &pending, &g));
  if (!g)
    TRY(unit_table(t, &g));
  if (filter_count) {
    TRY(new_op(t, KZ_ALG_FILTER, g, NULL, &g));
    TRY(set_exprs(t, g, filters, filter_count));
  }
  t->depth--;
  *out = g;
  return KZ_OK;
}

/* ---- query levels ---------------------------------------------------- */

static kz_status add_name(translator *t, kz_names *set, const char *name) {
  return kz_names_put(t->arena, set, name, 0, false) ? KZ_OK : nomem(t);
}

/* PV of 18.2.4.4, as variable numbers. */
static kz_status projection_vars(translator *t, const kz_ast_select *s, int **vars, size_t *count) {
  kz_names names = {0};
  if (s->star) {
    if (s->where)
      for (size_t i = 0; i < s->where->in_scope_count; i++)
        TRY(add_name(t, &names, s->where->in_scope[i]));
    if (s->values)
      for (size_t i = 0; i < s->values->var_count; i++)
        TRY(add_name(t, &names, s->values->vars[i].lexical));
  } else if (s->form == KZ_AST_DESCRIBE) {
    for (size_t i = 0; i < s->describe_count; i++)
      if (s->describe[i].kind == KZ_SPARQL_VAR)
        TRY(add_name(t, &names, s->describe[i].lexical));
  } else {
    for (size_t i = 0; i < s->projection_count; i++)
      TRY(add_name(t, &names, s->projection[i].var.lexical));
  }
  *count = names.count;
  *vars = NULL;
  if (names.count && !(*vars = kz_arena_alloc(t->arena, names.count * sizeof **vars)))
    return nomem(t);
  for (size_t i = 0; i < names.count; i++)
    TRY(named_var(t, names.names[i], &(*vars)[i]));
  return KZ_OK;
}

/* 18.2.4 and 18.2.5 for one query level. */
static kz_status translate_level(translator *t, const kz_ast_select *s, kz_alg_op **out) {
  kz_alg_op *p = NULL;
  if (s->where)
    TRY(translate_group(t, s->where, &p));
  else
    TRY(unit_table(t, &p));

  /* The expressions of SELECT, HAVING and ORDER BY, translated in that
   * order so that aggregates are numbered as they appear. */
  kz_names keys = {0}, aliases = {0};
  aggregation agg = {.level = s, .keys = &keys, .aliases = &aliases};
  aggregation *ctx = s->aggregated ? &agg : NULL;
  kz_alg_group_key *group_keys = NULL;
  if (s->aggregated && s->group_by_count &&
      !(group_keys = kz_arena_alloc(t->arena, s->group_by_count * sizeof *group_keys)))
    return nomem(t);
  for (size_t i = 0; i < s->group_by_count; i++) {
    const kz_ast_group_key *key = &s->group_by[i];
    TRY(translate_expr(t, key->expr, NULL, &group_keys[i].expr));
    if (key->var.kind == KZ_SPARQL_VAR) {
      TRY(named_var(t, key->var.lexical, &group_keys[i].var));
      TRY(add_name(t, &keys, key->var.lexical));
    } else {
      TRY(numbered_var(t, KZ_ALG_VAR_INTERNAL, ".", &t->internal_counter, &group_keys[i].var));
    }
  }
  kz_alg_expr **select_exprs = NULL;
  if (s->projection_count &&
      !(select_exprs = kz_arena_alloc(t->arena, s->projection_count * sizeof *select_exprs)))
    return nomem(t);
  for (size_t i = 0; i < s->projection_count; i++) {
    if (!s->projection[i].expr)
      continue;
    TRY(translate_expr(t, s->projection[i].expr, ctx, &select_exprs[i]));
    TRY(add_name(t, &aliases, s->projection[i].var.lexical));
  }
  kz_alg_expr **having = NULL;
  if (s->having_count && !(having = kz_arena_alloc(t->arena, s->having_count * sizeof *having)))
    return nomem(t);
  kz_names no_aliases = {0};
  agg.aliases = &no_aliases; /* HAVING comes before the SELECT expressions */
  agg.sample_ungrouped = true;
  for (size_t i = 0; i < s->having_count; i++)
    TRY(translate_expr(t, s->having[i], ctx, &having[i]));
  agg.aliases = &aliases;
  kz_alg_order *order = NULL;
  if (s->order_count && !(order = kz_arena_alloc(t->arena, s->order_count * sizeof *order)))
    return nomem(t);
  for (size_t i = 0; i < s->order_count; i++) {
    TRY(translate_expr(t, s->order_by[i].expr, ctx, &order[i].expr));
    order[i].descending = s->order_by[i].descending;
  }

  if (s->aggregated) {
    TRY(new_op(t, KZ_ALG_GROUP, p, NULL, &p));
    p->group.keys = group_keys;
    p->group.key_count = s->group_by_count;
    p->group.aggregates = agg.items;
    p->group.aggregate_count = agg.count;
    for (size_t i = 0; i < s->group_by_count; i++)
      TRY(raise(t, &p->height, group_keys[i].expr->height));
    for (size_t i = 0; i < agg.count; i++)
      if (agg.items[i].arg)
        TRY(raise(t, &p->height, agg.items[i].arg->height));
  }
  if (s->having_count) {
    TRY(new_op(t, KZ_ALG_FILTER, p, NULL, &p));
    TRY(set_exprs(t, p, having, s->having_count));
  }
  if (s->values) {
    kz_alg_op *table = NULL;
    TRY(translate_values(t, s->values, &table));
    TRY(join(t, p, table, &p));
  }
  for (size_t i = 0; i < s->projection_count; i++) {
    if (!s->projection[i].expr)
      continue;
    TRY(new_op(t, KZ_ALG_EXTEND, p, NULL, &p));
    p->extend.expr = select_exprs[i];
    TRY(raise(t, &p->height, p->extend.expr->height));
    TRY(named_var(t, s->projection[i].var.lexical, &p->extend.var));
  }
  TRY(new_op(t, KZ_ALG_TO_LIST, p, NULL, &p));
  if (s->order_count) {
    TRY(new_op(t, KZ_ALG_ORDER_BY, p, NULL, &p));
    p->order.conditions = order;
    p->order.count = s->order_count;
    for (size_t i = 0; i < s->order_count; i++)
      TRY(raise(t, &p->height, order[i].expr->height));
  }
  if (s->form == KZ_AST_SELECT || (s->form == KZ_AST_DESCRIBE && (s->star || s->describe_count))) {
    kz_alg_op *project = NULL;
    TRY(new_op(t, KZ_ALG_PROJECT, p, NULL, &project));
    TRY(projection_vars(t, s, &project->project.vars, &project->project.count));
    bool describes_iris_only = s->form == KZ_AST_DESCRIBE && !s->star && project->project.count == 0;
    if (!describes_iris_only)
      p = project;
  }
  if (s->distinct)
    TRY(new_op(t, KZ_ALG_DISTINCT, p, NULL, &p));
  if (s->reduced)
    TRY(new_op(t, KZ_ALG_REDUCED, p, NULL, &p));
  if (s->limit >= 0 || s->offset >= 0) {
    TRY(new_op(t, KZ_ALG_SLICE, p, NULL, &p));
    p->slice.offset = s->offset;
    p->slice.limit = s->limit;
  }
  *out = p;
  return KZ_OK;
}

/* CONSTRUCT's template: variables as in the pattern, blank nodes numbered
 * per template. */
static kz_status translate_template(translator *t, const kz_ast_select *s) {
  kz_algebra *alg = t->alg;
  kz_names labels = {0};
  if (!s->template_count)
    return KZ_OK;
  if (!(alg->construct = kz_arena_alloc(t->arena, s->template_count * sizeof *alg->construct)))
    return nomem(t);
  for (size_t i = 0; i < s->template_count; i++) {
    const kz_ast_triple *in = &s->template[i];
    kz_alg_triple *out = &alg->construct[alg->construct_count++];
    const kz_sparql_term *parts[3] = {&in->subject, &in->predicate->term, &in->object};
    kz_sparql_term *outs[3] = {&out->subject, &out->predicate, &out->object};
    for (int k = 0; k < 3; k++) {
      if (parts[k]->kind != KZ_SPARQL_BLANK) {
        TRY(copy_term(t, parts[k], outs[k]));
        continue;
      }
      long found = kz_names_find(&labels, parts[k]->lexical);
      int number = found >= 0 ? labels.values[found] : (int)alg->construct_blank_count++;
      if (found < 0 && !kz_names_put(t->arena, &labels, parts[k]->lexical, number, false))
        return nomem(t);
      char label[32];
      snprintf(label, sizeof label, "b%d", number);
      *outs[k] = (kz_sparql_term){.kind = KZ_SPARQL_BLANK, .var = number,
                                  .lexical = kz_arena_strdup(t->arena, label)};
      if (!outs[k]->lexical)
        return nomem(t);
    }
  }
  return KZ_OK;
}

static kz_status copy_iris(translator *t, const char *const *in, size_t count, const char ***out) {
  if (!count)
    return KZ_OK;
  if (!(*out = kz_arena_alloc(t->arena, count * sizeof **out)))
    return nomem(t);
  for (size_t i = 0; i < count; i++)
    if (!((*out)[i] = kz_arena_strdup(t->arena, in[i])))
      return nomem(t);
  return KZ_OK;
}

static kz_status translate_query(translator *t, const kz_ast_query *q) {
  kz_algebra *alg = t->alg;
  const kz_ast_select *s = q->select;
  alg->form = s->form;
  if (q->base && !(alg->base = kz_arena_strdup(t->arena, q->base)))
    return nomem(t);
  TRY(translate_level(t, s, &alg->root));
  TRY(translate_template(t, s));
  TRY(copy_iris(t, q->from, q->from_count, &alg->from));
  alg->from_count = q->from_count;
  TRY(copy_iris(t, q->from_named, q->from_named_count, &alg->from_named));
  alg->from_named_count = q->from_named_count;
  if (s->describe_count) {
    if (!(alg->describe = kz_arena_alloc(t->arena, s->describe_count * sizeof *alg->describe)))
      return nomem(t);
    for (size_t i = 0; i < s->describe_count; i++)
      TRY(copy_term(t, &s->describe[i], &alg->describe[alg->describe_count++]));
  }
  return KZ_OK;
}

kz_status kz_algebra_translate(kz_algebra **out, const kz_ast_query *query, const char *source,
                               kz_error *err) {
  *out = NULL;
  kz_arena *arena = kz_arena_new();
  kz_algebra *alg = arena ? kz_arena_alloc(arena, sizeof *alg) : NULL;
  if (!alg) {
    kz_arena_free(arena);
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  }
  alg->arena = arena;
  translator t = {.arena = arena, .alg = alg, .err = err, .source = source};
  kz_status status = translate_query(&t, query);
  if (status != KZ_OK) {
    kz_arena_free(arena);
    return status;
  }
  *out = alg;
  return KZ_OK;
}

void kz_algebra_free(kz_algebra *algebra) {
  if (algebra)
    kz_arena_free(algebra->arena);
}
