/*
 * The algebra as an S-expression, in the spirit of Jena's SSE:
 *   (project (?x) (filter (> ?o 1) (bgp (triple ?x <p> ?o))))
 * Terms print as in SPARQL (<iri>, "lex"@lang, "lex"^^<dt>, numbers and
 * booleans bare when their lexical form is the SPARQL token), variables
 * with their algebra names (?x, ??0 for a blank node, ??P0 for a path
 * step, ?.0 for an aggregate). In the indented layout every operator
 * starts a line at two spaces per depth and a BGP of several triples puts
 * each on its own line; expressions, and the patterns inside EXISTS, stay
 * on one line. ToList and ToMultiSet are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparql/algebra.h"

typedef struct printer {
  FILE *out;
  const kz_algebra *alg;
  bool indented;
} printer;

static void put(printer *pr, const char *s) { fputs(s, pr->out); }

static void newline(printer *pr, int depth) {
  if (!pr->indented || depth < 0) {
    fputc(' ', pr->out);
    return;
  }
  fputc('\n', pr->out);
  for (int i = 0; i < depth; i++)
    fputs("  ", pr->out);
}

static void put_string(printer *pr, const char *s) {
  fputc('"', pr->out);
  for (; *s; s++) {
    switch (*s) {
    case '"': put(pr, "\\\""); break;
    case '\\': put(pr, "\\\\"); break;
    case '\n': put(pr, "\\n"); break;
    case '\r': put(pr, "\\r"); break;
    case '\t': put(pr, "\\t"); break;
    case '\b': put(pr, "\\b"); break;
    case '\f': put(pr, "\\f"); break;
    default: fputc(*s, pr->out);
    }
  }
  fputc('"', pr->out);
}

static bool all_digits(const char *s) {
  if (!*s)
    return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

/* Whether lexical is how SPARQL writes a bare literal of this datatype. */
static bool is_bare(const char *lexical, const char *datatype) {
  const char *s = lexical + (lexical[0] == '+' || lexical[0] == '-');
  if (strcmp(datatype, KZ_XSD_NS "integer") == 0)
    return all_digits(s);
  if (strcmp(datatype, KZ_XSD_NS "boolean") == 0)
    return strcmp(lexical, "true") == 0 || strcmp(lexical, "false") == 0;
  if (strcmp(datatype, KZ_XSD_NS "decimal") == 0) {
    const char *dot = strchr(s, '.');
    if (!dot)
      return false;
    char whole[64];
    size_t n = (size_t)(dot - s);
    if (n >= sizeof whole)
      return false;
    memcpy(whole, s, n);
    whole[n] = '\0';
    return (n == 0 || all_digits(whole)) && all_digits(dot + 1);
  }
  if (strcmp(datatype, KZ_XSD_NS "double") == 0) {
    const char *e = strpbrk(s, "eE");
    if (!e || e == s)
      return false;
    size_t digits = 0, dots = 0;
    for (const char *c = s; c < e; c++) {
      if (*c == '.')
        dots++;
      else if (*c >= '0' && *c <= '9')
        digits++;
      else
        return false;
    }
    const char *x = e + 1 + (e[1] == '+' || e[1] == '-');
    return digits > 0 && dots <= 1 && all_digits(x);
  }
  return false;
}

static void put_term(printer *pr, const kz_sparql_term *term) {
  switch (term->kind) {
  case KZ_SPARQL_IRI: fprintf(pr->out, "<%s>", term->lexical); break;
  case KZ_SPARQL_VAR: fprintf(pr->out, "?%s", pr->alg->vars[term->var].name); break;
  case KZ_SPARQL_BLANK: fprintf(pr->out, "_:%s", term->lexical); break;
  case KZ_SPARQL_UNDEF: put(pr, "UNDEF"); break;
  case KZ_SPARQL_LITERAL:
    if (term->datatype && is_bare(term->lexical, term->datatype)) {
      put(pr, term->lexical);
      break;
    }
    put_string(pr, term->lexical);
    if (term->lang)
      fprintf(pr->out, "@%s", term->lang);
    else if (term->datatype)
      fprintf(pr->out, "^^<%s>", term->datatype);
    break;
  }
}

static void put_var(printer *pr, int var) { fprintf(pr->out, "?%s", pr->alg->vars[var].name); }

static void put_path(printer *pr, const kz_sparql_path *path) {
  switch (path->kind) {
  case KZ_PATH_LINK: put_term(pr, &path->term); return;
  case KZ_PATH_INVERSE: put(pr, "(reverse "); break;
  case KZ_PATH_SEQUENCE: put(pr, "(seq "); break;
  case KZ_PATH_ALTERNATIVE: put(pr, "(alt "); break;
  case KZ_PATH_ZERO_OR_MORE: put(pr, "(path* "); break;
  case KZ_PATH_ONE_OR_MORE: put(pr, "(path+ "); break;
  case KZ_PATH_ZERO_OR_ONE: put(pr, "(path? "); break;
  case KZ_PATH_NEGATED:
    put(pr, "(notoneof");
    for (size_t i = 0; i < path->forward_count; i++) {
      put(pr, " ");
      put_term(pr, &path->forward[i]);
    }
    for (size_t i = 0; i < path->inverse_count; i++) { /* only in an AST */
      put(pr, " (reverse ");
      put_term(pr, &path->inverse[i]);
      put(pr, ")");
    }
    put(pr, ")");
    return;
  }
  put_path(pr, path->left);
  if (path->right) {
    put(pr, " ");
    put_path(pr, path->right);
  }
  put(pr, ")");
}

static void put_op(printer *pr, const kz_alg_op *op, int depth);

static void put_expr(printer *pr, const kz_alg_expr *e) {
  switch (e->op) {
  case KZ_OP_CONSTANT:
  case KZ_OP_VARIABLE: put_term(pr, &e->term); return;
  case KZ_OP_EXISTS:
  case KZ_OP_NOT_EXISTS:
    fprintf(pr->out, "(%s ", kz_sparql_op_name(e->op));
    put_op(pr, e->pattern, -1);
    put(pr, ")");
    return;
  case KZ_OP_FUNCTION:
    put(pr, "(");
    put_term(pr, &e->term);
    if (e->distinct)
      put(pr, " distinct");
    break;
  default: fprintf(pr->out, "(%s", kz_sparql_op_name(e->op)); break;
  }
  for (size_t i = 0; i < e->arg_count; i++) {
    put(pr, " ");
    put_expr(pr, e->args[i]);
  }
  put(pr, ")");
}

/* One expression, or (exprlist ...) for a conjunction of several. */
static void put_conjunction(printer *pr, kz_alg_expr *const *exprs, size_t count) {
  if (count == 1) {
    put_expr(pr, exprs[0]);
    return;
  }
  put(pr, "(exprlist");
  for (size_t i = 0; i < count; i++) {
    put(pr, " ");
    put_expr(pr, exprs[i]);
  }
  put(pr, ")");
}

static void put_aggregate(printer *pr, const kz_alg_aggregate *a) {
  fprintf(pr->out, "(%s", kz_sparql_op_name(a->op));
  if (a->distinct)
    put(pr, " distinct");
  if (a->separator_given) {
    put(pr, " (separator ");
    put_string(pr, a->separator);
    put(pr, ")");
  }
  if (a->arg) {
    put(pr, " ");
    put_expr(pr, a->arg);
  }
  put(pr, ")");
}

static void put_triple(printer *pr, const kz_alg_triple *t) {
  put(pr, "(triple ");
  put_term(pr, &t->subject);
  put(pr, " ");
  put_term(pr, &t->predicate);
  put(pr, " ");
  put_term(pr, &t->object);
  put(pr, ")");
}

static void put_table(printer *pr, const kz_alg_op *op, int depth) {
  if (op->table.var_count == 0 && op->table.row_count == 1) {
    put(pr, "(table unit)");
    return;
  }
  if (op->table.var_count == 0 && op->table.row_count == 0) {
    put(pr, "(table empty)");
    return;
  }
  put(pr, "(table (vars");
  for (size_t i = 0; i < op->table.var_count; i++) {
    put(pr, " ");
    put_var(pr, op->table.vars[i]);
  }
  put(pr, ")");
  for (size_t r = 0; r < op->table.row_count; r++) {
    newline(pr, depth < 0 ? depth : depth + 1);
    put(pr, "(row");
    for (size_t c = 0; c < op->table.var_count; c++) {
      const kz_sparql_term *cell = &op->table.cells[r * op->table.var_count + c];
      if (cell->kind == KZ_SPARQL_UNDEF)
        continue;
      put(pr, " [");
      put_var(pr, op->table.vars[c]);
      put(pr, " ");
      put_term(pr, cell);
      put(pr, "]");
    }
    put(pr, ")");
  }
  put(pr, ")");
}

static void put_group(printer *pr, const kz_alg_op *op) {
  put(pr, "(group (");
  for (size_t i = 0; i < op->group.key_count; i++) {
    const kz_alg_group_key *key = &op->group.keys[i];
    if (i)
      put(pr, " ");
    if (key->expr->op == KZ_OP_VARIABLE && key->expr->term.var == key->var) {
      put_var(pr, key->var);
      continue;
    }
    put(pr, "(");
    put_var(pr, key->var);
    put(pr, " ");
    put_expr(pr, key->expr);
    put(pr, ")");
  }
  put(pr, ") (");
  for (size_t i = 0; i < op->group.aggregate_count; i++) {
    if (i)
      put(pr, " ");
    put(pr, "(");
    put_var(pr, op->group.aggregates[i].var);
    put(pr, " ");
    put_aggregate(pr, &op->group.aggregates[i]);
    put(pr, ")");
  }
  put(pr, ")");
}

/* depth < 0: all on one line. */
static void put_op(printer *pr, const kz_alg_op *op, int depth) {
  int inner = depth < 0 ? depth : depth + 1;
  switch (op->kind) {
  case KZ_ALG_TO_LIST:
  case KZ_ALG_TO_MULTISET: put_op(pr, op->input, depth); return;
  case KZ_ALG_TABLE: put_table(pr, op, depth); return;
  case KZ_ALG_BGP:
    put(pr, "(bgp");
    for (size_t i = 0; i < op->bgp.count; i++) {
      if (op->bgp.count > 1)
        newline(pr, inner);
      else
        put(pr, " ");
      put_triple(pr, &op->bgp.triples[i]);
    }
    put(pr, ")");
    return;
  case KZ_ALG_PATH:
    put(pr, "(path ");
    put_term(pr, &op->path.subject);
    put(pr, " ");
    put_path(pr, op->path.path);
    put(pr, " ");
    put_term(pr, &op->path.object);
    put(pr, ")");
    return;
  case KZ_ALG_JOIN: put(pr, "(join"); break;
  case KZ_ALG_LEFT_JOIN: put(pr, "(leftjoin"); break;
  case KZ_ALG_UNION: put(pr, "(union"); break;
  case KZ_ALG_MINUS: put(pr, "(minus"); break;
  case KZ_ALG_FILTER:
    put(pr, "(filter ");
    put_conjunction(pr, op->exprs, op->expr_count);
    break;
  case KZ_ALG_GRAPH:
    put(pr, "(graph ");
    put_term(pr, &op->graph.name);
    break;
  case KZ_ALG_SERVICE:
    put(pr, op->graph.silent ? "(service silent " : "(service ");
    put_term(pr, &op->graph.name);
    break;
  case KZ_ALG_EXTEND:
    put(pr, "(extend ((");
    put_var(pr, op->extend.var);
    put(pr, " ");
    put_expr(pr, op->extend.expr);
    put(pr, "))");
    break;
  case KZ_ALG_GROUP: put_group(pr, op); break;
  case KZ_ALG_ORDER_BY:
    put(pr, "(order (");
    for (size_t i = 0; i < op->order.count; i++) {
      if (i)
        put(pr, " ");
      if (op->order.conditions[i].descending) {
        put(pr, "(desc ");
        put_expr(pr, op->order.conditions[i].expr);
        put(pr, ")");
      } else {
        put_expr(pr, op->order.conditions[i].expr);
      }
    }
    put(pr, ")");
    break;
  case KZ_ALG_PROJECT:
    put(pr, "(project (");
    for (size_t i = 0; i < op->project.count; i++) {
      if (i)
        put(pr, " ");
      put_var(pr, op->project.vars[i]);
    }
    put(pr, ")");
    break;
  case KZ_ALG_DISTINCT: put(pr, "(distinct"); break;
  case KZ_ALG_REDUCED: put(pr, "(reduced"); break;
  case KZ_ALG_SLICE:
    put(pr, "(slice ");
    if (op->slice.offset >= 0)
      fprintf(pr->out, "%lld", op->slice.offset);
    else
      put(pr, "_");
    if (op->slice.limit >= 0)
      fprintf(pr->out, " %lld", op->slice.limit);
    else
      put(pr, " _");
    break;
  }
  newline(pr, inner);
  put_op(pr, op->left, inner);
  if (op->kind == KZ_ALG_JOIN || op->kind == KZ_ALG_LEFT_JOIN || op->kind == KZ_ALG_UNION ||
      op->kind == KZ_ALG_MINUS) {
    newline(pr, inner);
    put_op(pr, op->right, inner);
  }
  if (op->kind == KZ_ALG_LEFT_JOIN && op->expr_count) {
    newline(pr, inner);
    put_conjunction(pr, op->exprs, op->expr_count);
  }
  put(pr, ")");
}

bool kz_algebra_write(const kz_algebra *algebra, FILE *out, kz_algebra_layout layout) {
  printer pr = {.out = out, .alg = algebra, .indented = layout == KZ_ALGEBRA_INDENTED};
  put_op(&pr, algebra->root, layout == KZ_ALGEBRA_INDENTED ? 0 : -1);
  fputc('\n', out);
  return !ferror(out);
}

char *kz_algebra_to_string(const kz_algebra *algebra, kz_algebra_layout layout) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  if (!out)
    return NULL;
  bool ok = kz_algebra_write(algebra, out, layout);
  if (fclose(out) != 0 || !ok) {
    free(text);
    return NULL;
  }
  return text;
}
