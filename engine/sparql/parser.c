/*
 * SPARQL 1.1 Query parser: one function per grammar rule (section 19.8),
 * reading tokens from the lexer with up to two tokens of lookahead, and
 * building the AST of ast.h in the query's arena. Every function returns a
 * kz_status; the first error is recorded in p->err and everything unwinds
 * through TRY, so the arena is the only thing to release.
 *
 * Expansion of syntax forms (18.2.2.1) happens here: prefixed names and
 * relative IRIs become absolute, 'a' becomes rdf:type, and blank node
 * property lists and collections become triples about fresh blank nodes,
 * each outer triple emitted before the triples of the node it points to.
 *
 * Static rules, checked as soon as what they need is parsed:
 *  - BIND(... AS ?v): ?v not in scope in the group so far (18.2.1). Each
 *    group keeps the set of its in-scope variables as elements are added.
 *  - SELECT (... AS ?v): ?v not in scope in the WHERE pattern nor projected
 *    before it (18.2.4.4).
 *  - a level that groups (GROUP BY, or an aggregate in SELECT, HAVING or
 *    ORDER BY) has no SELECT *, and projects only grouped variables,
 *    earlier AS variables and aggregates (18.2.4.1).
 *  - aggregates only in SELECT, HAVING and ORDER BY, and not nested.
 *  - a blank node label belongs to one basic graph pattern: every triples
 *    block gets a BGP number, kept across FILTERs in its group and renewed
 *    by any other element; a label seen under two numbers is an error.
 *  - VALUES rows have as many values as there are variables.
 * Depth: groups, brackets, collections, property lists and paths count
 * towards KZ_SPARQL_MAX_DEPTH, so no input can exhaust the C stack.
 */
#include "sparql/parser.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/internal.h"
#include "sparql/iri.h"
#include "sparql/lexer.h"
#include "sparql/names.h"

/* ---- the parser ------------------------------------------------------- */

typedef struct parser {
  kz_lexer lex;
  kz_arena *arena;
  const char *source;
  kz_error *err;
  kz_token ahead[2]; /* lookahead: ahead_count tokens read but not taken */
  size_t ahead_count;
  const char *base;
  kz_names prefixes;  /* prefix -> index into prefix_iris */
  const char **prefix_iris;
  size_t prefix_iri_count, prefix_iri_capacity;
  kz_names labels;    /* blank node label -> BGP number */
  int bgp;            /* the current BGP's number; 0 outside one */
  int bgp_counter;
  unsigned long fresh_blank;
  int depth;
  bool in_template;   /* blank node labels of a CONSTRUCT template */
  bool aggregates_allowed;
  bool in_aggregate;
  bool saw_aggregate; /* in the current query level */
} parser;

static kz_status nomem(parser *p) {
  return kz_fail(p->err, KZ_ERR_NOMEM, p->source, 0, 0, "out of memory");
}

#define ALLOC(p, ptr)                                          \
  do {                                                         \
    if (!((ptr) = kz_arena_alloc((p)->arena, sizeof *(ptr)))) \
      return nomem(p);                                         \
  } while (0)

#define PUSH(p, slot, items, count, capacity)                          \
  do {                                                                 \
    if (!((slot) = KZ_ARENA_PUSH((p)->arena, items, count, capacity))) \
      return nomem(p);                                                 \
  } while (0)

static const kz_token *peek_at(parser *p, size_t i) {
  while (p->ahead_count <= i)
    kz_lexer_next(&p->lex, &p->ahead[p->ahead_count++]);
  return &p->ahead[i];
}

static const kz_token *peek(parser *p) { return peek_at(p, 0); }

static kz_token take(parser *p) {
  peek(p);
  kz_token taken = p->ahead[0];
  p->ahead[0] = p->ahead[1];
  p->ahead_count--;
  return taken;
}

/* How a token shows in a message: 'WHERE', '<http://x>', end of query. */
static const char *show(const kz_token *t, char *buf, size_t size) {
  if (t->kind == KZ_TOK_EOF)
    return "end of query";
  size_t n = t->text_length;
  const char *more = "";
  if (n > 40) {
    n = 40;
    while (n > 0 && ((unsigned char)t->text[n] & 0xC0) == 0x80)
      n--; /* do not cut a UTF-8 sequence */
    more = "...";
  }
  snprintf(buf, size, "'%.*s%s'", (int)n, t->text, more);
  return buf;
}

static kz_status fail_at(parser *p, long line, long column, const char *format, ...)
    KZ_PRINTF(4, 5);

static kz_status fail_at(parser *p, long line, long column, const char *format, ...) {
  char message[768];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  return kz_fail(p->err, KZ_ERR_QUERY, p->source, line, column, "%s", message);
}

static kz_status lex_error(parser *p) {
  if (p->err)
    *p->err = p->lex.error;
  return p->lex.error.status;
}

/* "expected WHAT but found TOKEN" at the next token. */
static kz_status expected(parser *p, const char *what) {
  const kz_token *t = peek(p);
  if (t->kind == KZ_TOK_ERROR)
    return lex_error(p);
  char shown[64];
  return fail_at(p, t->line, t->column, "expected %s but found %s", what, show(t, shown, sizeof shown));
}

static bool is_keyword(const kz_token *t, const char *keyword) {
  return t->kind == KZ_TOK_KEYWORD && strcasecmp(t->value, keyword) == 0;
}

static bool next_is(parser *p, kz_token_kind kind) { return peek(p)->kind == kind; }
static bool next_is_keyword(parser *p, const char *keyword) { return is_keyword(peek(p), keyword); }

static kz_status expect(parser *p, kz_token_kind kind) {
  if (!next_is(p, kind))
    return expected(p, kz_token_kind_name(kind));
  take(p);
  return KZ_OK;
}

static kz_status expect_keyword(parser *p, const char *keyword) {
  if (!next_is_keyword(p, keyword)) {
    char what[64];
    snprintf(what, sizeof what, "'%s'", keyword);
    return expected(p, what);
  }
  take(p);
  return KZ_OK;
}

static bool take_if(parser *p, kz_token_kind kind) {
  if (!next_is(p, kind))
    return false;
  take(p);
  return true;
}

static bool take_if_keyword(parser *p, const char *keyword) {
  if (!next_is_keyword(p, keyword))
    return false;
  take(p);
  return true;
}

static kz_status enter(parser *p) {
  if (++p->depth > KZ_SPARQL_MAX_DEPTH) {
    const kz_token *t = peek(p);
    return fail_at(p, t->line, t->column, "the query nests deeper than %d levels",
                   KZ_SPARQL_MAX_DEPTH);
  }
  return KZ_OK;
}

static void leave(parser *p) { p->depth--; }

/* ---- terms ----------------------------------------------------------- */

static const char *const rdf_first = KZ_RDF_NS "first";
static const char *const rdf_rest = KZ_RDF_NS "rest";
static const char *const rdf_nil = KZ_RDF_NS "nil";
static const char *const rdf_type = KZ_RDF_NS "type";

static kz_sparql_term iri_term(const char *iri) {
  return (kz_sparql_term){.kind = KZ_SPARQL_IRI, .lexical = iri, .var = -1};
}

static kz_sparql_term var_term(const char *name) {
  return (kz_sparql_term){.kind = KZ_SPARQL_VAR, .lexical = name, .var = -1};
}

static kz_status fresh_blank(parser *p, kz_sparql_term *out) {
  char label[32];
  snprintf(label, sizeof label, ".b%lu", p->fresh_blank++);
  const char *copy = kz_arena_strdup(p->arena, label);
  if (!copy)
    return nomem(p);
  *out = (kz_sparql_term){.kind = KZ_SPARQL_BLANK, .lexical = copy, .var = -1};
  return KZ_OK;
}

static bool is_iri_token(const kz_token *t) {
  return t->kind == KZ_TOK_IRIREF || t->kind == KZ_TOK_PNAME_LN || t->kind == KZ_TOK_PNAME_NS;
}

static bool is_var_token(const kz_token *t) {
  return t->kind == KZ_TOK_VAR1 || t->kind == KZ_TOK_VAR2;
}

static bool is_string_token(const kz_token *t) {
  return t->kind >= KZ_TOK_STRING_LITERAL1 && t->kind <= KZ_TOK_STRING_LITERAL_LONG2;
}

static bool is_number_token(const kz_token *t) {
  return t->kind >= KZ_TOK_INTEGER && t->kind <= KZ_TOK_DOUBLE_NEGATIVE;
}

static bool is_signed_number_token(const kz_token *t) {
  return t->kind >= KZ_TOK_INTEGER_POSITIVE && t->kind <= KZ_TOK_DOUBLE_NEGATIVE;
}

static bool is_boolean_token(const kz_token *t) {
  return is_keyword(t, "true") || is_keyword(t, "false");
}

/* iri ::= IRIREF | PrefixedName, resolved. */
static kz_status parse_iri(parser *p, const char **out) {
  const kz_token *t = peek(p);
  if (t->kind == KZ_TOK_IRIREF) {
    kz_token tok = take(p);
    if (!(*out = kz_iri_resolve(p->arena, p->base, tok.value)))
      return nomem(p);
    return KZ_OK;
  }
  if (t->kind != KZ_TOK_PNAME_LN && t->kind != KZ_TOK_PNAME_NS)
    return expected(p, "an IRI");
  kz_token tok = take(p);
  long found = kz_names_find(&p->prefixes, tok.value);
  if (found < 0)
    return fail_at(p, tok.line, tok.column, "unknown prefix '%s:' (declare it with PREFIX)", tok.value);
  const char *ns = p->prefix_iris[p->prefixes.values[found]];
  const char *local = tok.kind == KZ_TOK_PNAME_LN ? tok.local : "";
  size_t ns_length = strlen(ns), local_length = strlen(local);
  char *iri = kz_arena_alloc(p->arena, ns_length + local_length + 1);
  if (!iri)
    return nomem(p);
  memcpy(iri, ns, ns_length);
  memcpy(iri + ns_length, local, local_length + 1);
  *out = iri;
  return KZ_OK;
}

static const char *number_datatype(kz_token_kind kind) {
  switch (kind) {
  case KZ_TOK_INTEGER:
  case KZ_TOK_INTEGER_POSITIVE:
  case KZ_TOK_INTEGER_NEGATIVE: return KZ_XSD_NS "integer";
  case KZ_TOK_DECIMAL:
  case KZ_TOK_DECIMAL_POSITIVE:
  case KZ_TOK_DECIMAL_NEGATIVE: return KZ_XSD_NS "decimal";
  default: return KZ_XSD_NS "double";
  }
}

/* NumericLiteral, signed or not; the lexical form keeps its sign. */
static kz_sparql_term number_term(const kz_token *t) {
  return (kz_sparql_term){.kind = KZ_SPARQL_LITERAL, .lexical = t->value,
                          .datatype = number_datatype(t->kind), .var = -1};
}

/* RDFLiteral ::= String ( LANGTAG | ( '^^' iri ) )? */
static kz_status parse_rdf_literal(parser *p, kz_sparql_term *out) {
  kz_token s = take(p);
  *out = (kz_sparql_term){.kind = KZ_SPARQL_LITERAL, .lexical = s.value, .var = -1};
  if (next_is(p, KZ_TOK_LANGTAG)) {
    out->lang = take(p).value;
  } else if (take_if(p, KZ_TOK_DCARET)) {
    TRY(parse_iri(p, &out->datatype));
  }
  return KZ_OK;
}

/* A literal or IRI in VALUES or as a constant: iri | RDFLiteral |
 * NumericLiteral | BooleanLiteral. false when the next token is none. */
static bool starts_constant(const kz_token *t) {
  return is_iri_token(t) || is_string_token(t) || is_number_token(t) || is_boolean_token(t);
}

static kz_status parse_constant(parser *p, kz_sparql_term *out) {
  const kz_token *t = peek(p);
  if (is_iri_token(t)) {
    const char *iri = NULL;
    TRY(parse_iri(p, &iri));
    *out = iri_term(iri);
  } else if (is_string_token(t)) {
    TRY(parse_rdf_literal(p, out));
  } else if (is_number_token(t)) {
    *out = number_term(t);
    take(p);
  } else if (is_boolean_token(t)) {
    bool value = is_keyword(t, "true");
    take(p);
    *out = (kz_sparql_term){.kind = KZ_SPARQL_LITERAL, .lexical = value ? "true" : "false",
                            .datatype = KZ_XSD_NS "boolean", .var = -1};
  } else {
    return expected(p, "an IRI or a literal");
  }
  return KZ_OK;
}

/* A blank node label in a graph pattern must stay in one BGP. */
static kz_status use_label(parser *p, const kz_token *t) {
  if (p->in_template)
    return KZ_OK;
  long found = kz_names_find(&p->labels, t->value);
  if (found < 0)
    return kz_names_put(p->arena, &p->labels, t->value, p->bgp, false) ? KZ_OK : nomem(p);
  if (p->labels.values[found] != p->bgp)
    return fail_at(p, t->line, t->column,
                   "blank node _:%s is used in two basic graph patterns (use a variable)", t->value);
  return KZ_OK;
}

/* VarOrTerm ::= Var | GraphTerm; GraphTerm includes BlankNode and NIL. */
static kz_status parse_var_or_term(parser *p, kz_sparql_term *out) {
  const kz_token *t = peek(p);
  if (is_var_token(t)) {
    *out = var_term(take(p).value);
  } else if (t->kind == KZ_TOK_BLANK_NODE_LABEL) {
    TRY(use_label(p, t));
    *out = (kz_sparql_term){.kind = KZ_SPARQL_BLANK, .lexical = take(p).value, .var = -1};
  } else if (t->kind == KZ_TOK_ANON) {
    take(p);
    TRY(fresh_blank(p, out));
  } else if (t->kind == KZ_TOK_NIL) {
    take(p);
    *out = iri_term(rdf_nil);
  } else if (starts_constant(t)) {
    TRY(parse_constant(p, out));
  } else {
    return expected(p, "an RDF term or a variable");
  }
  return KZ_OK;
}

static kz_status parse_var(parser *p, kz_sparql_term *out) {
  if (!is_var_token(peek(p)))
    return expected(p, "a variable");
  *out = var_term(take(p).value);
  return KZ_OK;
}

/* VarOrIri ::= Var | iri */
static kz_status parse_var_or_iri(parser *p, kz_sparql_term *out) {
  if (is_var_token(peek(p)))
    return parse_var(p, out);
  if (!is_iri_token(peek(p)))
    return expected(p, "a variable or an IRI");
  const char *iri = NULL;
  TRY(parse_iri(p, &iri));
  *out = iri_term(iri);
  return KZ_OK;
}

/* ---- expressions ----------------------------------------------------- */

typedef struct builtin {
  const char *keyword;
  kz_sparql_op op;
  int min_args, max_args; /* max -1: any number */
} builtin;

static const builtin builtins[] = {
    {"STR", KZ_OP_STR, 1, 1}, {"LANG", KZ_OP_LANG, 1, 1},
    {"LANGMATCHES", KZ_OP_LANGMATCHES, 2, 2}, {"DATATYPE", KZ_OP_DATATYPE, 1, 1},
    {"BOUND", KZ_OP_BOUND, 1, 1}, {"IRI", KZ_OP_IRI, 1, 1}, {"URI", KZ_OP_URI, 1, 1},
    {"BNODE", KZ_OP_BNODE, 0, 1}, {"RAND", KZ_OP_RAND, 0, 0}, {"ABS", KZ_OP_ABS, 1, 1},
    {"CEIL", KZ_OP_CEIL, 1, 1}, {"FLOOR", KZ_OP_FLOOR, 1, 1}, {"ROUND", KZ_OP_ROUND, 1, 1},
    {"CONCAT", KZ_OP_CONCAT, 0, -1}, {"SUBSTR", KZ_OP_SUBSTR, 2, 3},
    {"STRLEN", KZ_OP_STRLEN, 1, 1}, {"REPLACE", KZ_OP_REPLACE, 3, 4},
    {"UCASE", KZ_OP_UCASE, 1, 1}, {"LCASE", KZ_OP_LCASE, 1, 1},
    {"ENCODE_FOR_URI", KZ_OP_ENCODE_FOR_URI, 1, 1}, {"CONTAINS", KZ_OP_CONTAINS, 2, 2},
    {"STRSTARTS", KZ_OP_STRSTARTS, 2, 2}, {"STRENDS", KZ_OP_STRENDS, 2, 2},
    {"STRBEFORE", KZ_OP_STRBEFORE, 2, 2}, {"STRAFTER", KZ_OP_STRAFTER, 2, 2},
    {"YEAR", KZ_OP_YEAR, 1, 1}, {"MONTH", KZ_OP_MONTH, 1, 1}, {"DAY", KZ_OP_DAY, 1, 1},
    {"HOURS", KZ_OP_HOURS, 1, 1}, {"MINUTES", KZ_OP_MINUTES, 1, 1},
    {"SECONDS", KZ_OP_SECONDS, 1, 1}, {"TIMEZONE", KZ_OP_TIMEZONE, 1, 1},
    {"TZ", KZ_OP_TZ, 1, 1}, {"NOW", KZ_OP_NOW, 0, 0}, {"UUID", KZ_OP_UUID, 0, 0},
    {"STRUUID", KZ_OP_STRUUID, 0, 0}, {"MD5", KZ_OP_MD5, 1, 1}, {"SHA1", KZ_OP_SHA1, 1, 1},
    {"SHA256", KZ_OP_SHA256, 1, 1}, {"SHA384", KZ_OP_SHA384, 1, 1},
    {"SHA512", KZ_OP_SHA512, 1, 1}, {"COALESCE", KZ_OP_COALESCE, 0, -1},
    {"IF", KZ_OP_IF, 3, 3}, {"STRLANG", KZ_OP_STRLANG, 2, 2}, {"STRDT", KZ_OP_STRDT, 2, 2},
    {"sameTerm", KZ_OP_SAMETERM, 2, 2}, {"isIRI", KZ_OP_ISIRI, 1, 1},
    {"isURI", KZ_OP_ISURI, 1, 1}, {"isBLANK", KZ_OP_ISBLANK, 1, 1},
    {"isLITERAL", KZ_OP_ISLITERAL, 1, 1}, {"isNUMERIC", KZ_OP_ISNUMERIC, 1, 1},
    {"REGEX", KZ_OP_REGEX, 2, 3}, {"EXISTS", KZ_OP_EXISTS, 0, 0},
    {"NOT", KZ_OP_NOT_EXISTS, 0, 0}, {"COUNT", KZ_OP_COUNT, 1, 1}, {"SUM", KZ_OP_SUM, 1, 1},
    {"MIN", KZ_OP_MIN, 1, 1}, {"MAX", KZ_OP_MAX, 1, 1}, {"AVG", KZ_OP_AVG, 1, 1},
    {"SAMPLE", KZ_OP_SAMPLE, 1, 1}, {"GROUP_CONCAT", KZ_OP_GROUP_CONCAT, 1, 1},
};

static const builtin *find_builtin(const kz_token *t) {
  if (t->kind != KZ_TOK_KEYWORD)
    return NULL;
  for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
    if (strcasecmp(t->value, builtins[i].keyword) == 0)
      return &builtins[i];
  return NULL;
}

static kz_status parse_expression(parser *p, kz_ast_expr **out);
static kz_status parse_group(parser *p, kz_ast_group **out);

static kz_status new_expr(parser *p, kz_sparql_op op, const kz_token *at, kz_ast_expr **out) {
  kz_ast_expr *e = NULL;
  ALLOC(p, e);
  e->op = op;
  e->term.var = -1;
  e->height = 1;
  e->line = at->line;
  e->column = at->column;
  *out = e;
  return KZ_OK;
}

/* Makes e at least one taller than child, within the limit. */
static kz_status grow(parser *p, kz_ast_expr *e, const kz_ast_expr *child) {
  if (child->height + 1 > e->height)
    e->height = child->height + 1;
  if (e->height > KZ_SPARQL_MAX_EXPR_HEIGHT)
    return fail_at(p, e->line, e->column,
                   "the expression is too deep (more than %d nested operations)",
                   KZ_SPARQL_MAX_EXPR_HEIGHT);
  return KZ_OK;
}

static kz_status add_arg(parser *p, kz_ast_expr *e, kz_ast_expr *arg, size_t *capacity) {
  kz_ast_expr **slot = NULL;
  PUSH(p, slot, e->args, e->arg_count, *capacity);
  *slot = arg;
  return grow(p, e, arg);
}

static kz_status binary(parser *p, kz_sparql_op op, kz_ast_expr *left, kz_ast_expr *right,
                        kz_ast_expr **out) {
  kz_ast_expr *e = NULL;
  ALLOC(p, e);
  e->op = op;
  e->term.var = -1;
  e->line = left->line;
  e->column = left->column;
  if (!(e->args = kz_arena_alloc(p->arena, 2 * sizeof *e->args)))
    return nomem(p);
  e->args[0] = left;
  e->args[1] = right;
  e->arg_count = 2;
  e->height = 1;
  TRY(grow(p, e, left));
  TRY(grow(p, e, right));
  *out = e;
  return KZ_OK;
}

/* A balanced tree of op over items[0, count) (count >= 1), the left half
 * taking the extra item, so that three items give ((a b) c). */
static kz_status balanced(parser *p, kz_sparql_op op, kz_ast_expr **items, size_t count,
                          kz_ast_expr **out) {
  if (count == 1) {
    *out = items[0];
    return KZ_OK;
  }
  size_t half = count - count / 2;
  kz_ast_expr *left = NULL, *right = NULL;
  TRY(balanced(p, op, items, half, &left));
  TRY(balanced(p, op, items + half, count - half, &right));
  return binary(p, op, left, right, out);
}

/* '(' Expression ( ',' Expression )* ')' or NIL, appended to e->args. */
static kz_status parse_arguments(parser *p, kz_ast_expr *e, bool allow_distinct) {
  if (take_if(p, KZ_TOK_NIL))
    return KZ_OK;
  TRY(expect(p, KZ_TOK_LPAREN));
  if (allow_distinct && take_if_keyword(p, "DISTINCT"))
    e->distinct = true;
  size_t capacity = 0;
  do {
    kz_ast_expr *arg = NULL;
    TRY(parse_expression(p, &arg));
    TRY(add_arg(p, e, arg, &capacity));
  } while (take_if(p, KZ_TOK_COMMA));
  return expect(p, KZ_TOK_RPAREN);
}

/* Aggregate ::= COUNT '(' DISTINCT? ( '*' | Expression ) ')' | ... */
static kz_status parse_aggregate(parser *p, const builtin *b, const kz_token *at, kz_ast_expr **out) {
  if (p->in_aggregate)
    return fail_at(p, at->line, at->column, "aggregates cannot be nested (%s inside another)",
                   b->keyword);
  if (!p->aggregates_allowed)
    return fail_at(p, at->line, at->column,
                   "aggregate %s is only allowed in SELECT, HAVING and ORDER BY", b->keyword);
  p->saw_aggregate = true;
  kz_ast_expr *e = NULL;
  TRY(new_expr(p, b->op, at, &e));
  TRY(expect(p, KZ_TOK_LPAREN));
  if (take_if_keyword(p, "DISTINCT"))
    e->distinct = true;
  if (b->op == KZ_OP_COUNT && take_if(p, KZ_TOK_STAR)) {
    /* COUNT(*): no argument */
  } else {
    kz_ast_expr *arg = NULL;
    size_t capacity = 0;
    p->in_aggregate = true;
    kz_status status = parse_expression(p, &arg);
    p->in_aggregate = false;
    TRY(status);
    TRY(add_arg(p, e, arg, &capacity));
  }
  if (b->op == KZ_OP_GROUP_CONCAT && take_if(p, KZ_TOK_SEMICOLON)) {
    TRY(expect_keyword(p, "SEPARATOR"));
    TRY(expect(p, KZ_TOK_EQ));
    if (!is_string_token(peek(p)))
      return expected(p, "a string");
    e->separator = take(p).value;
  }
  TRY(expect(p, KZ_TOK_RPAREN));
  *out = e;
  return KZ_OK;
}

/* BuiltInCall, after its keyword. */
static kz_status parse_builtin(parser *p, const builtin *b, kz_ast_expr **out) {
  kz_token at = take(p);
  if (kz_sparql_op_is_aggregate(b->op))
    return parse_aggregate(p, b, &at, out);
  kz_ast_expr *e = NULL;
  TRY(new_expr(p, b->op, &at, &e));
  if (b->op == KZ_OP_NOT_EXISTS || b->op == KZ_OP_EXISTS) {
    if (b->op == KZ_OP_NOT_EXISTS)
      TRY(expect_keyword(p, "EXISTS"));
    bool allowed = p->aggregates_allowed, inside = p->in_aggregate;
    p->aggregates_allowed = p->in_aggregate = false;
    kz_status status = parse_group(p, &e->pattern);
    p->aggregates_allowed = allowed;
    p->in_aggregate = inside;
    TRY(status);
    *out = e;
    return KZ_OK;
  }
  if (b->max_args == 0) {
    if (!take_if(p, KZ_TOK_NIL) && !(take_if(p, KZ_TOK_LPAREN) && take_if(p, KZ_TOK_RPAREN)))
      return expected(p, "'()'");
  } else {
    TRY(parse_arguments(p, e, false));
  }
  int count = (int)e->arg_count;
  if (count < b->min_args || (b->max_args >= 0 && count > b->max_args)) {
    char range[32];
    if (b->min_args == b->max_args)
      snprintf(range, sizeof range, "%d", b->min_args);
    else if (b->max_args < 0)
      snprintf(range, sizeof range, "at least %d", b->min_args);
    else
      snprintf(range, sizeof range, "%d or %d", b->min_args, b->max_args);
    return fail_at(p, at.line, at.column, "%s takes %s argument%s, not %d", b->keyword, range,
                   b->max_args == 1 && b->min_args == 1 ? "" : "s", count);
  }
  if (b->op == KZ_OP_BOUND && e->args[0]->op != KZ_OP_VARIABLE)
    return fail_at(p, e->args[0]->line, e->args[0]->column, "BOUND takes a variable");
  *out = e;
  return KZ_OK;
}

/* iriOrFunction ::= iri ArgList? ; with require_call, FunctionCall. */
static kz_status parse_iri_or_function(parser *p, bool require_call, kz_ast_expr **out) {
  kz_token at = *peek(p);
  const char *iri = NULL;
  TRY(parse_iri(p, &iri));
  kz_ast_expr *e = NULL;
  if (next_is(p, KZ_TOK_LPAREN) || next_is(p, KZ_TOK_NIL)) {
    TRY(new_expr(p, KZ_OP_FUNCTION, &at, &e));
    e->term = iri_term(iri);
    TRY(parse_arguments(p, e, true));
  } else if (require_call) {
    return expected(p, "'(' of a function call");
  } else {
    TRY(new_expr(p, KZ_OP_CONSTANT, &at, &e));
    e->term = iri_term(iri);
  }
  *out = e;
  return KZ_OK;
}

/* BrackettedExpression ::= '(' Expression ')' */
static kz_status parse_bracketted(parser *p, kz_ast_expr **out) {
  TRY(expect(p, KZ_TOK_LPAREN));
  TRY(parse_expression(p, out));
  return expect(p, KZ_TOK_RPAREN);
}

static kz_status parse_primary(parser *p, kz_ast_expr **out) {
  const kz_token *t = peek(p);
  kz_ast_expr *e = NULL;
  if (t->kind == KZ_TOK_LPAREN)
    return parse_bracketted(p, out);
  if (is_var_token(t)) {
    TRY(new_expr(p, KZ_OP_VARIABLE, t, &e));
    e->term = var_term(take(p).value);
  } else if (is_iri_token(t)) {
    return parse_iri_or_function(p, false, out);
  } else if (starts_constant(t)) {
    TRY(new_expr(p, KZ_OP_CONSTANT, t, &e));
    TRY(parse_constant(p, &e->term));
  } else if (t->kind == KZ_TOK_KEYWORD) {
    const builtin *b = find_builtin(t);
    if (!b) {
      char shown[64];
      return fail_at(p, t->line, t->column, "unknown function or keyword %s in an expression",
                     show(t, shown, sizeof shown));
    }
    return parse_builtin(p, b, out);
  } else {
    return expected(p, "an expression");
  }
  *out = e;
  return KZ_OK;
}

/* UnaryExpression ::= ( '!' | '+' | '-' )? PrimaryExpression */
static kz_status parse_unary(parser *p, kz_ast_expr **out) {
  const kz_token *t = peek(p);
  kz_sparql_op op = t->kind == KZ_TOK_BANG ? KZ_OP_NOT
                    : t->kind == KZ_TOK_PLUS ? KZ_OP_UNARY_PLUS
                    : t->kind == KZ_TOK_MINUS ? KZ_OP_UNARY_MINUS
                                              : KZ_OP_CONSTANT;
  if (op == KZ_OP_CONSTANT)
    return parse_primary(p, out);
  kz_token at = take(p);
  kz_ast_expr *e = NULL, *arg = NULL;
  TRY(parse_primary(p, &arg));
  TRY(new_expr(p, op, &at, &e));
  size_t capacity = 0;
  TRY(add_arg(p, e, arg, &capacity));
  *out = e;
  return KZ_OK;
}

/* ( ( '*' | '/' ) UnaryExpression )* applied to *left */
static kz_status parse_multiplicative_rest(parser *p, kz_ast_expr **left) {
  for (;;) {
    kz_sparql_op op;
    if (next_is(p, KZ_TOK_STAR))
      op = KZ_OP_MULTIPLY;
    else if (next_is(p, KZ_TOK_SLASH))
      op = KZ_OP_DIVIDE;
    else
      return KZ_OK;
    take(p);
    kz_ast_expr *right = NULL;
    TRY(parse_unary(p, &right));
    TRY(binary(p, op, *left, right, left));
  }
}

static kz_status parse_additive(parser *p, kz_ast_expr **out) {
  TRY(parse_unary(p, out));
  TRY(parse_multiplicative_rest(p, out));
  for (;;) {
    const kz_token *t = peek(p);
    kz_ast_expr *right = NULL;
    kz_sparql_op op;
    if (t->kind == KZ_TOK_PLUS || t->kind == KZ_TOK_MINUS) {
      op = t->kind == KZ_TOK_PLUS ? KZ_OP_ADD : KZ_OP_SUBTRACT;
      take(p);
      TRY(parse_unary(p, &right));
    } else if (is_signed_number_token(t)) {
      /* "?a -2" is ?a - 2: the sign is the operator (grammar note on
       * AdditiveExpression), and the literal loses it. */
      kz_token number = take(p);
      op = number.value[0] == '+' ? KZ_OP_ADD : KZ_OP_SUBTRACT;
      TRY(new_expr(p, KZ_OP_CONSTANT, &number, &right));
      right->term = number_term(&number);
      right->term.lexical = number.value + 1;
      right->column++;
    } else {
      return KZ_OK;
    }
    TRY(parse_multiplicative_rest(p, &right));
    TRY(binary(p, op, *out, right, out));
  }
}

static kz_status parse_relational(parser *p, kz_ast_expr **out) {
  TRY(parse_additive(p, out));
  const kz_token *t = peek(p);
  kz_sparql_op op;
  switch (t->kind) {
  case KZ_TOK_EQ: op = KZ_OP_EQ; break;
  case KZ_TOK_NE: op = KZ_OP_NE; break;
  case KZ_TOK_LT: op = KZ_OP_LT; break;
  case KZ_TOK_GT: op = KZ_OP_GT; break;
  case KZ_TOK_LE: op = KZ_OP_LE; break;
  case KZ_TOK_GE: op = KZ_OP_GE; break;
  default:
    if (is_keyword(t, "IN")) {
      op = KZ_OP_IN;
    } else if (is_keyword(t, "NOT") && is_keyword(peek_at(p, 1), "IN")) {
      op = KZ_OP_NOT_IN;
      take(p);
    } else {
      return KZ_OK;
    }
    kz_token at = take(p);
    kz_ast_expr *e = NULL;
    TRY(new_expr(p, op, &at, &e));
    e->line = (*out)->line;
    e->column = (*out)->column;
    size_t capacity = 0;
    TRY(add_arg(p, e, *out, &capacity));
    TRY(parse_arguments(p, e, false));
    *out = e;
    return KZ_OK;
  }
  take(p);
  kz_ast_expr *right = NULL;
  TRY(parse_additive(p, &right));
  return binary(p, op, *out, right, out);
}

/* operand ( separator operand )* as a balanced tree of op. */
static kz_status parse_chain(parser *p, kz_token_kind separator, kz_sparql_op op,
                             kz_status (*operand)(parser *, kz_ast_expr **), kz_ast_expr **out) {
  TRY(operand(p, out));
  if (!next_is(p, separator))
    return KZ_OK;
  kz_ast_expr **items = NULL, **slot = NULL;
  size_t count = 0, capacity = 0;
  PUSH(p, slot, items, count, capacity);
  *slot = *out;
  while (take_if(p, separator)) {
    PUSH(p, slot, items, count, capacity);
    TRY(operand(p, slot));
  }
  return balanced(p, op, items, count, out);
}

static kz_status parse_and(parser *p, kz_ast_expr **out) {
  return parse_chain(p, KZ_TOK_AND, KZ_OP_AND, parse_relational, out);
}

static kz_status parse_expression(parser *p, kz_ast_expr **out) {
  TRY(enter(p));
  TRY(parse_chain(p, KZ_TOK_OR, KZ_OP_OR, parse_and, out));
  leave(p);
  return KZ_OK;
}

/* Constraint ::= BrackettedExpression | BuiltInCall | FunctionCall */
static bool starts_constraint(const kz_token *t) {
  return t->kind == KZ_TOK_LPAREN || is_iri_token(t) || find_builtin(t) != NULL;
}

static kz_status parse_constraint(parser *p, kz_ast_expr **out) {
  const kz_token *t = peek(p);
  if (t->kind == KZ_TOK_LPAREN)
    return parse_bracketted(p, out);
  if (is_iri_token(t))
    return parse_iri_or_function(p, true, out);
  const builtin *b = find_builtin(t);
  if (b)
    return parse_builtin(p, b, out);
  return expected(p, "'(' or a function call");
}

/* ---- property paths -------------------------------------------------- */

static kz_status parse_path(parser *p, kz_sparql_path **out);

static kz_status new_path(parser *p, kz_path_kind kind, kz_sparql_path *left,
                          kz_sparql_path *right, kz_sparql_path **out) {
  kz_sparql_path *path = NULL;
  ALLOC(p, path);
  path->kind = kind;
  path->left = left;
  path->right = right;
  path->term.var = -1;
  *out = path;
  return KZ_OK;
}

static kz_status link_path(parser *p, kz_sparql_term term, kz_sparql_path **out) {
  TRY(new_path(p, KZ_PATH_LINK, NULL, NULL, out));
  (*out)->term = term;
  return KZ_OK;
}

/* iri | 'a', as a term. */
static kz_status parse_iri_or_a(parser *p, kz_sparql_term *out) {
  if (next_is(p, KZ_TOK_KEYWORD) && strcmp(peek(p)->value, "a") == 0) {
    take(p);
    *out = iri_term(rdf_type);
    return KZ_OK;
  }
  if (!is_iri_token(peek(p)))
    return expected(p, "an IRI or 'a'");
  const char *iri = NULL;
  TRY(parse_iri(p, &iri));
  *out = iri_term(iri);
  return KZ_OK;
}

/* PathOneInPropertySet ::= iri | 'a' | '^' ( iri | 'a' ) */
static kz_status parse_one_in_set(parser *p, kz_sparql_path *set, size_t *forward_capacity,
                                  size_t *inverse_capacity) {
  kz_sparql_term *slot = NULL;
  if (take_if(p, KZ_TOK_CARET)) {
    PUSH(p, slot, set->inverse, set->inverse_count, *inverse_capacity);
  } else {
    PUSH(p, slot, set->forward, set->forward_count, *forward_capacity);
  }
  return parse_iri_or_a(p, slot);
}

/* PathPrimary ::= iri | 'a' | '!' PathNegatedPropertySet | '(' Path ')' */
static kz_status parse_path_primary(parser *p, kz_sparql_path **out) {
  if (take_if(p, KZ_TOK_BANG)) {
    TRY(new_path(p, KZ_PATH_NEGATED, NULL, NULL, out));
    size_t forward_capacity = 0, inverse_capacity = 0;
    if (take_if(p, KZ_TOK_NIL))
      return KZ_OK;
    if (take_if(p, KZ_TOK_LPAREN)) {
      do
        TRY(parse_one_in_set(p, *out, &forward_capacity, &inverse_capacity));
      while (take_if(p, KZ_TOK_PIPE));
      return expect(p, KZ_TOK_RPAREN);
    }
    return parse_one_in_set(p, *out, &forward_capacity, &inverse_capacity);
  }
  if (take_if(p, KZ_TOK_LPAREN)) {
    TRY(enter(p));
    TRY(parse_path(p, out));
    leave(p);
    return expect(p, KZ_TOK_RPAREN);
  }
  kz_sparql_term term;
  TRY(parse_iri_or_a(p, &term));
  return link_path(p, term, out);
}

/* PathEltOrInverse ::= '^'? PathPrimary PathMod? */
static kz_status parse_path_element(parser *p, kz_sparql_path **out) {
  bool inverse = take_if(p, KZ_TOK_CARET);
  TRY(parse_path_primary(p, out));
  kz_path_kind mod = next_is(p, KZ_TOK_QUESTION) ? KZ_PATH_ZERO_OR_ONE
                     : next_is(p, KZ_TOK_STAR)   ? KZ_PATH_ZERO_OR_MORE
                     : next_is(p, KZ_TOK_PLUS)   ? KZ_PATH_ONE_OR_MORE
                                                 : KZ_PATH_LINK;
  if (mod != KZ_PATH_LINK) {
    take(p);
    TRY(new_path(p, mod, *out, NULL, out));
  }
  if (inverse)
    TRY(new_path(p, KZ_PATH_INVERSE, *out, NULL, out));
  return KZ_OK;
}

/* A balanced tree of kind over items[0, count), as for expressions. */
static kz_status balanced_path(parser *p, kz_path_kind kind, kz_sparql_path **items,
                               size_t count, kz_sparql_path **out) {
  if (count == 1) {
    *out = items[0];
    return KZ_OK;
  }
  size_t half = count - count / 2;
  kz_sparql_path *left = NULL, *right = NULL;
  TRY(balanced_path(p, kind, items, half, &left));
  TRY(balanced_path(p, kind, items + half, count - half, &right));
  return new_path(p, kind, left, right, out);
}

/* operand ( separator operand )* as a balanced tree of kind. */
static kz_status parse_path_chain(parser *p, kz_token_kind separator, kz_path_kind kind,
                                  kz_status (*operand)(parser *, kz_sparql_path **),
                                  kz_sparql_path **out) {
  TRY(operand(p, out));
  if (!next_is(p, separator))
    return KZ_OK;
  kz_sparql_path **items = NULL, **slot = NULL;
  size_t count = 0, capacity = 0;
  PUSH(p, slot, items, count, capacity);
  *slot = *out;
  while (take_if(p, separator)) {
    PUSH(p, slot, items, count, capacity);
    TRY(operand(p, slot));
  }
  return balanced_path(p, kind, items, count, out);
}

/* PathSequence ::= PathEltOrInverse ( '/' PathEltOrInverse )* */
static kz_status parse_path_sequence(parser *p, kz_sparql_path **out) {
  return parse_path_chain(p, KZ_TOK_SLASH, KZ_PATH_SEQUENCE, parse_path_element, out);
}

/* Path ::= PathSequence ( '|' PathSequence )* */
static kz_status parse_path(parser *p, kz_sparql_path **out) {
  return parse_path_chain(p, KZ_TOK_PIPE, KZ_PATH_ALTERNATIVE, parse_path_sequence, out);
}

/* ---- triples --------------------------------------------------------- */

typedef struct triple_list {
  kz_ast_triple *items;
  size_t count, capacity;
} triple_list;

/* How triples are read: paths allowed (WHERE) or not (templates). */
typedef struct triples_mode {
  bool paths;
} triples_mode;

static kz_status emit(parser *p, triple_list *list, kz_sparql_term s, kz_sparql_path *pred,
                      kz_sparql_term o) {
  kz_ast_triple *t = NULL;
  PUSH(p, t, list->items, list->count, list->capacity);
  t->subject = s;
  t->predicate = pred;
  t->object = o;
  return KZ_OK;
}

static kz_status parse_property_list(parser *p, triple_list *list, kz_sparql_term subject,
                                     triples_mode mode);

static bool starts_triples_node(const kz_token *t) {
  return t->kind == KZ_TOK_LBRACKET || t->kind == KZ_TOK_LPAREN;
}

static bool starts_var_or_term(const kz_token *t) {
  return is_var_token(t) || t->kind == KZ_TOK_BLANK_NODE_LABEL || t->kind == KZ_TOK_ANON ||
         t->kind == KZ_TOK_NIL || starts_constant(t);
}

static bool starts_triples(const kz_token *t) {
  return starts_triples_node(t) || starts_var_or_term(t);
}

static bool starts_verb(const kz_token *t, triples_mode mode) {
  if (is_var_token(t) || is_iri_token(t) || (t->kind == KZ_TOK_KEYWORD && strcmp(t->value, "a") == 0))
    return true;
  return mode.paths && (t->kind == KZ_TOK_CARET || t->kind == KZ_TOK_BANG || t->kind == KZ_TOK_LPAREN);
}

static kz_status parse_object(parser *p, triple_list *list, kz_sparql_term subject,
                              kz_sparql_path *verb, triples_mode mode);

/* The items of a collection, after its '('; cell is its first node. */
static kz_status parse_collection(parser *p, triple_list *list, kz_sparql_term cell,
                                  triples_mode mode) {
  kz_sparql_path *first = NULL, *rest = NULL;
  TRY(link_path(p, iri_term(rdf_first), &first));
  TRY(link_path(p, iri_term(rdf_rest), &rest));
  for (;;) {
    TRY(parse_object(p, list, cell, first, mode));
    if (take_if(p, KZ_TOK_RPAREN))
      return emit(p, list, cell, rest, iri_term(rdf_nil));
    if (!starts_triples(peek(p)))
      return expected(p, "')' or a collection item");
    kz_sparql_term next;
    TRY(fresh_blank(p, &next));
    TRY(emit(p, list, cell, rest, next));
    cell = next;
  }
}

/* Object ::= GraphNode (or GraphNodePath): emits (subject verb object) and
 * then the triples of a blank node property list or collection. */
static kz_status parse_object(parser *p, triple_list *list, kz_sparql_term subject,
                              kz_sparql_path *verb, triples_mode mode) {
  const kz_token *t = peek(p);
  kz_sparql_term node;
  if (starts_triples_node(t)) {
    bool collection = t->kind == KZ_TOK_LPAREN;
    take(p);
    TRY(enter(p));
    TRY(fresh_blank(p, &node));
    TRY(emit(p, list, subject, verb, node));
    if (collection) {
      TRY(parse_collection(p, list, node, mode));
    } else {
      TRY(parse_property_list(p, list, node, mode));
      TRY(expect(p, KZ_TOK_RBRACKET));
    }
    leave(p);
    return KZ_OK;
  }
  TRY(parse_var_or_term(p, &node));
  return emit(p, list, subject, verb, node);
}

/* Verb: a variable, or a path (or with paths off, an IRI or 'a'). */
static kz_status parse_verb(parser *p, triples_mode mode, kz_sparql_path **out) {
  if (is_var_token(peek(p))) {
    kz_sparql_term var;
    TRY(parse_var(p, &var));
    return link_path(p, var, out);
  }
  if (mode.paths)
    return parse_path(p, out);
  kz_sparql_term term;
  TRY(parse_iri_or_a(p, &term));
  return link_path(p, term, out);
}

/* PropertyListNotEmpty ::= Verb ObjectList ( ';' ( Verb ObjectList )? )* */
static kz_status parse_property_list(parser *p, triple_list *list, kz_sparql_term subject,
                                     triples_mode mode) {
  if (!starts_verb(peek(p), mode))
    return expected(p, mode.paths ? "a predicate or a property path" : "a predicate");
  for (;;) {
    kz_sparql_path *verb = NULL;
    TRY(parse_verb(p, mode, &verb));
    do
      TRY(parse_object(p, list, subject, verb, mode));
    while (take_if(p, KZ_TOK_COMMA));
    if (!next_is(p, KZ_TOK_SEMICOLON))
      return KZ_OK;
    while (take_if(p, KZ_TOK_SEMICOLON))
      ;
    if (!starts_verb(peek(p), mode))
      return KZ_OK;
  }
}

/* TriplesSameSubject(Path) */
static kz_status parse_same_subject(parser *p, triple_list *list, triples_mode mode) {
  const kz_token *t = peek(p);
  kz_sparql_term subject;
  if (starts_triples_node(t)) {
    bool collection = t->kind == KZ_TOK_LPAREN;
    take(p);
    TRY(enter(p));
    TRY(fresh_blank(p, &subject));
    if (collection) {
      TRY(parse_collection(p, list, subject, mode));
    } else {
      TRY(parse_property_list(p, list, subject, mode));
      TRY(expect(p, KZ_TOK_RBRACKET));
    }
    leave(p);
    if (starts_verb(peek(p), mode))
      TRY(parse_property_list(p, list, subject, mode));
    return KZ_OK;
  }
  TRY(parse_var_or_term(p, &subject));
  return parse_property_list(p, list, subject, mode);
}

/* TriplesBlock / ConstructTriples: same-subject groups separated by '.'.
 * *ended_with_dot tells whether a '.' was the last token taken. */
static kz_status parse_triples_block(parser *p, triple_list *list, triples_mode mode,
                                     bool *ended_with_dot) {
  for (;;) {
    TRY(parse_same_subject(p, list, mode));
    *ended_with_dot = take_if(p, KZ_TOK_DOT);
    if (!*ended_with_dot || !starts_triples(peek(p)))
      return KZ_OK;
  }
}

/* ---- variable scope -------------------------------------------------- */

static kz_status scope_add(parser *p, kz_names *scope, const char *name) {
  return kz_names_put(p->arena, scope, name, 0, false) ? KZ_OK : nomem(p);
}

static kz_status scope_add_term(parser *p, kz_names *scope, const kz_sparql_term *term) {
  return term->kind == KZ_SPARQL_VAR ? scope_add(p, scope, term->lexical) : KZ_OK;
}

static kz_status scope_add_path(parser *p, kz_names *scope, const kz_sparql_path *path) {
  return path->kind == KZ_PATH_LINK ? scope_add_term(p, scope, &path->term) : KZ_OK;
}

static kz_status scope_add_group(parser *p, kz_names *scope, const kz_ast_group *group) {
  for (size_t i = 0; i < group->in_scope_count; i++)
    TRY(scope_add(p, scope, group->in_scope[i]));
  return KZ_OK;
}

/* The variables a query level makes visible to its parent (a subquery's
 * projection, 18.2.1). */
static kz_status scope_add_projection(parser *p, kz_names *scope, const kz_ast_select *s) {
  if (s->star) {
    if (s->where)
      TRY(scope_add_group(p, scope, s->where));
    if (s->values)
      for (size_t i = 0; i < s->values->var_count; i++)
        TRY(scope_add_term(p, scope, &s->values->vars[i]));
    return KZ_OK;
  }
  for (size_t i = 0; i < s->projection_count; i++)
    TRY(scope_add_term(p, scope, &s->projection[i].var));
  return KZ_OK;
}

static kz_status scope_add_element(parser *p, kz_names *scope, const kz_ast_element *e) {
  switch (e->kind) {
  case KZ_AST_TRIPLES:
    for (size_t i = 0; i < e->triple_count; i++) {
      TRY(scope_add_term(p, scope, &e->triples[i].subject));
      TRY(scope_add_path(p, scope, e->triples[i].predicate));
      TRY(scope_add_term(p, scope, &e->triples[i].object));
    }
    return KZ_OK;
  case KZ_AST_OPTIONAL:
  case KZ_AST_GROUP:
  case KZ_AST_SERVICE: return scope_add_group(p, scope, e->group);
  case KZ_AST_GRAPH:
    TRY(scope_add_term(p, scope, &e->name));
    return scope_add_group(p, scope, e->group);
  case KZ_AST_UNION:
    for (size_t i = 0; i < e->branch_count; i++)
      TRY(scope_add_group(p, scope, e->branches[i]));
    return KZ_OK;
  case KZ_AST_BIND: return scope_add_term(p, scope, &e->var);
  case KZ_AST_VALUES:
    for (size_t i = 0; i < e->values->var_count; i++)
      TRY(scope_add_term(p, scope, &e->values->vars[i]));
    return KZ_OK;
  case KZ_AST_SUBSELECT: return scope_add_projection(p, scope, e->select);
  case KZ_AST_FILTER:
  case KZ_AST_MINUS: return KZ_OK;
  }
  return KZ_OK;
}

/* ---- graph patterns -------------------------------------------------- */

static kz_status parse_subselect(parser *p, kz_ast_select *s);

/* DataBlock ::= InlineDataOneVar | InlineDataFull */
static kz_status parse_data_block(parser *p, kz_ast_values **out) {
  kz_ast_values *v = NULL;
  ALLOC(p, v);
  size_t var_capacity = 0, cell_capacity = 0;
  kz_sparql_term *slot = NULL;
  bool one_var = is_var_token(peek(p));
  if (one_var) {
    PUSH(p, slot, v->vars, v->var_count, var_capacity);
    TRY(parse_var(p, slot));
  } else if (!take_if(p, KZ_TOK_NIL)) {
    if (!next_is(p, KZ_TOK_LPAREN))
      return expected(p, "a variable or '(' after VALUES");
    take(p);
    while (is_var_token(peek(p))) {
      PUSH(p, slot, v->vars, v->var_count, var_capacity);
      TRY(parse_var(p, slot));
    }
    TRY(expect(p, KZ_TOK_RPAREN));
  }
  TRY(expect(p, KZ_TOK_LBRACE));
  size_t cell_count = 0;
  while (!take_if(p, KZ_TOK_RBRACE)) {
    kz_token row_start = *peek(p);
    size_t values = 0;
    bool nil_row = !one_var && take_if(p, KZ_TOK_NIL);
    if (!one_var && !nil_row)
      TRY(expect(p, KZ_TOK_LPAREN));
    while (!nil_row && (one_var ? !next_is(p, KZ_TOK_RBRACE) : !take_if(p, KZ_TOK_RPAREN))) {
      PUSH(p, slot, v->cells, cell_count, cell_capacity);
      if (take_if_keyword(p, "UNDEF"))
        *slot = (kz_sparql_term){.kind = KZ_SPARQL_UNDEF, .var = -1};
      else if (starts_constant(peek(p)))
        TRY(parse_constant(p, slot));
      else
        return expected(p, one_var ? "a value, UNDEF or '}'" : "a value, UNDEF or ')'");
      values++;
      if (one_var)
        break; /* one value per row */
    }
    if (values != v->var_count)
      return fail_at(p, row_start.line, row_start.column,
                     "this VALUES row has %zu value%s for %zu variable%s", values,
                     values == 1 ? "" : "s", v->var_count, v->var_count == 1 ? "" : "s");
    v->row_count++;
  }
  *out = v;
  return KZ_OK;
}

static bool starts_pattern_element(const kz_token *t) {
  static const char *const keywords[] = {"OPTIONAL", "MINUS", "GRAPH", "SERVICE",
                                         "FILTER",   "BIND",  "VALUES"};
  if (t->kind == KZ_TOK_LBRACE)
    return true;
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (is_keyword(t, keywords[i]))
      return true;
  return false;
}

/* GraphPatternNotTriples, into e. */
static kz_status parse_pattern_element(parser *p, kz_ast_element *e, kz_names *scope) {
  kz_token at = *peek(p);
  e->line = at.line;
  e->column = at.column;
  if (at.kind == KZ_TOK_LBRACE) {
    kz_ast_group *group = NULL;
    TRY(parse_group(p, &group));
    if (!next_is_keyword(p, "UNION")) {
      e->kind = KZ_AST_GROUP;
      e->group = group;
      return KZ_OK;
    }
    e->kind = KZ_AST_UNION;
    size_t capacity = 0;
    kz_ast_group **slot = NULL;
    PUSH(p, slot, e->branches, e->branch_count, capacity);
    *slot = group;
    while (take_if_keyword(p, "UNION")) {
      PUSH(p, slot, e->branches, e->branch_count, capacity);
      TRY(parse_group(p, slot));
    }
    return KZ_OK;
  }
  take(p);
  if (is_keyword(&at, "OPTIONAL") || is_keyword(&at, "MINUS")) {
    e->kind = is_keyword(&at, "OPTIONAL") ? KZ_AST_OPTIONAL : KZ_AST_MINUS;
    return parse_group(p, &e->group);
  }
  if (is_keyword(&at, "GRAPH")) {
    e->kind = KZ_AST_GRAPH;
    TRY(parse_var_or_iri(p, &e->name));
    return parse_group(p, &e->group);
  }
  if (is_keyword(&at, "SERVICE")) {
    e->kind = KZ_AST_SERVICE;
    e->silent = take_if_keyword(p, "SILENT");
    TRY(parse_var_or_iri(p, &e->name));
    return parse_group(p, &e->group);
  }
  if (is_keyword(&at, "FILTER")) {
    e->kind = KZ_AST_FILTER;
    return parse_constraint(p, &e->expr);
  }
  if (is_keyword(&at, "BIND")) {
    e->kind = KZ_AST_BIND;
    TRY(expect(p, KZ_TOK_LPAREN));
    TRY(parse_expression(p, &e->expr));
    TRY(expect_keyword(p, "AS"));
    kz_token var_at = *peek(p);
    TRY(parse_var(p, &e->var));
    if (kz_names_has(scope, e->var.lexical))
      return fail_at(p, var_at.line, var_at.column,
                     "BIND cannot assign ?%s: it is already in scope in this group", e->var.lexical);
    return expect(p, KZ_TOK_RPAREN);
  }
  e->kind = KZ_AST_VALUES; /* starts_pattern_element leaves only VALUES */
  return parse_data_block(p, &e->values);
}

/* GroupGraphPatternSub, up to (not including) the closing '}'. */
static kz_status parse_group_body(parser *p, kz_ast_group *group, kz_names *scope) {
  size_t capacity = 0;
  bool triples_allowed = true, dot_allowed = false;
  for (;;) {
    const kz_token *t = peek(p);
    if (t->kind == KZ_TOK_RBRACE || t->kind == KZ_TOK_EOF || t->kind == KZ_TOK_ERROR)
      return KZ_OK; /* the caller expects the '}' */
    kz_ast_element *e = NULL;
    if (t->kind == KZ_TOK_DOT && dot_allowed) {
      take(p);
      dot_allowed = false;
      triples_allowed = true;
      continue;
    }
    if (starts_triples(t) && triples_allowed) {
      if (!p->bgp)
        p->bgp = ++p->bgp_counter;
      PUSH(p, e, group->elements, group->element_count, capacity);
      e->kind = KZ_AST_TRIPLES;
      e->line = t->line;
      e->column = t->column;
      triple_list list = {0};
      bool ended_with_dot;
      TRY(parse_triples_block(p, &list, (triples_mode){.paths = true}, &ended_with_dot));
      e = &group->elements[group->element_count - 1];
      e->triples = list.items;
      e->triple_count = list.count;
      triples_allowed = ended_with_dot;
      dot_allowed = !ended_with_dot;
    } else if (starts_pattern_element(t)) {
      PUSH(p, e, group->elements, group->element_count, capacity);
      size_t index = group->element_count - 1;
      int bgp = p->bgp;
      bool filter = is_keyword(t, "FILTER");
      TRY(parse_pattern_element(p, e, scope));
      e = &group->elements[index];
      /* only a FILTER leaves the current basic graph pattern open */
      p->bgp = filter ? bgp : 0;
      triples_allowed = dot_allowed = true;
    } else {
      return expected(p, triples_allowed ? "a triple pattern, a graph pattern or '}'"
                                         : "'.', a graph pattern or '}'");
    }
    TRY(scope_add_element(p, scope, e));
  }
}

/* GroupGraphPattern ::= '{' ( SubSelect | GroupGraphPatternSub ) '}' */
static kz_status parse_group(parser *p, kz_ast_group **out) {
  TRY(enter(p));
  TRY(expect(p, KZ_TOK_LBRACE));
  kz_ast_group *group = NULL;
  ALLOC(p, group);
  kz_names scope = {0};
  int outer_bgp = p->bgp;
  p->bgp = 0;
  if (next_is_keyword(p, "SELECT")) {
    kz_ast_element *e = NULL;
    size_t capacity = 0;
    PUSH(p, e, group->elements, group->element_count, capacity);
    e->kind = KZ_AST_SUBSELECT;
    e->line = peek(p)->line;
    e->column = peek(p)->column;
    ALLOC(p, e->select);
    TRY(parse_subselect(p, e->select));
    TRY(scope_add_element(p, &scope, e));
  } else {
    TRY(parse_group_body(p, group, &scope));
  }
  TRY(expect(p, KZ_TOK_RBRACE));
  p->bgp = outer_bgp;
  group->in_scope = scope.names;
  group->in_scope_count = scope.count;
  leave(p);
  *out = group;
  return KZ_OK;
}

/* ---- query levels ---------------------------------------------------- */

/* What the checks of a level need to know about where things were. */
typedef struct level_marks {
  kz_token star; /* the '*' of SELECT * */
} level_marks;

static kz_status parse_select_clause(parser *p, kz_ast_select *s, level_marks *marks) {
  TRY(expect_keyword(p, "SELECT"));
  if (take_if_keyword(p, "DISTINCT"))
    s->distinct = true;
  else if (take_if_keyword(p, "REDUCED"))
    s->reduced = true;
  if (next_is(p, KZ_TOK_STAR)) {
    marks->star = take(p);
    s->star = true;
    return KZ_OK;
  }
  size_t capacity = 0;
  while (is_var_token(peek(p)) || next_is(p, KZ_TOK_LPAREN)) {
    kz_ast_projection *item = NULL;
    PUSH(p, item, s->projection, s->projection_count, capacity);
    item->line = peek(p)->line;
    item->column = peek(p)->column;
    if (is_var_token(peek(p))) {
      TRY(parse_var(p, &item->var));
      continue;
    }
    take(p);
    p->aggregates_allowed = true;
    kz_status status = parse_expression(p, &item->expr);
    p->aggregates_allowed = false;
    TRY(status);
    TRY(expect_keyword(p, "AS"));
    item->line = peek(p)->line;
    item->column = peek(p)->column;
    TRY(parse_var(p, &item->var));
    TRY(expect(p, KZ_TOK_RPAREN));
  }
  if (s->projection_count == 0)
    return expected(p, "a variable, '(' or '*'");
  return KZ_OK;
}

static kz_status parse_dataset(parser *p, kz_ast_query *q) {
  size_t from_capacity = 0, named_capacity = 0;
  while (take_if_keyword(p, "FROM")) {
    const char **slot = NULL;
    if (take_if_keyword(p, "NAMED")) {
      PUSH(p, slot, q->from_named, q->from_named_count, named_capacity);
    } else {
      PUSH(p, slot, q->from, q->from_count, from_capacity);
    }
    TRY(parse_iri(p, slot));
  }
  return KZ_OK;
}

/* GroupCondition ::= BuiltInCall | FunctionCall | '(' Expression ( 'AS' Var )? ')' | Var */
static bool starts_group_condition(const kz_token *t) {
  return is_var_token(t) || t->kind == KZ_TOK_LPAREN || is_iri_token(t) ||
         (find_builtin(t) != NULL);
}

static kz_status parse_group_condition(parser *p, kz_ast_group_key *key) {
  const kz_token *t = peek(p);
  key->var.var = -1;
  if (is_var_token(t)) {
    kz_ast_expr *e = NULL;
    TRY(new_expr(p, KZ_OP_VARIABLE, t, &e));
    TRY(parse_var(p, &e->term));
    key->expr = e;
    key->var = e->term;
    return KZ_OK;
  }
  if (t->kind == KZ_TOK_LPAREN) {
    take(p);
    TRY(parse_expression(p, &key->expr));
    if (take_if_keyword(p, "AS"))
      TRY(parse_var(p, &key->var));
    else if (key->expr->op == KZ_OP_VARIABLE)
      key->var = key->expr->term; /* "(?x)" groups by ?x */
    return expect(p, KZ_TOK_RPAREN);
  }
  return parse_constraint(p, &key->expr);
}

static kz_status parse_limit_value(parser *p, const char *what, long long *out) {
  if (!next_is(p, KZ_TOK_INTEGER)) {
    char message[64];
    snprintf(message, sizeof message, "an integer after %s", what);
    return expected(p, message);
  }
  kz_token t = take(p);
  errno = 0;
  long long value = strtoll(t.value, NULL, 10);
  if (errno == ERANGE)
    return fail_at(p, t.line, t.column, "%s %s is too large", what, t.value);
  *out = value;
  return KZ_OK;
}

/* SolutionModifier ::= GroupClause? HavingClause? OrderClause? LimitOffsetClauses? */
static kz_status parse_solution_modifier(parser *p, kz_ast_select *s) {
  if (take_if_keyword(p, "GROUP")) {
    TRY(expect_keyword(p, "BY"));
    size_t capacity = 0;
    if (!starts_group_condition(peek(p)))
      return expected(p, "a GROUP BY condition");
    while (starts_group_condition(peek(p))) {
      kz_ast_group_key *key = NULL;
      PUSH(p, key, s->group_by, s->group_by_count, capacity);
      TRY(parse_group_condition(p, key));
    }
  }
  p->aggregates_allowed = true;
  if (take_if_keyword(p, "HAVING")) {
    size_t capacity = 0;
    if (!starts_constraint(peek(p)))
      return expected(p, "a HAVING condition");
    while (starts_constraint(peek(p))) {
      kz_ast_expr **slot = NULL;
      PUSH(p, slot, s->having, s->having_count, capacity);
      TRY(parse_constraint(p, slot));
    }
  }
  if (next_is_keyword(p, "ORDER")) {
    take(p);
    TRY(expect_keyword(p, "BY"));
    size_t capacity = 0;
    for (;;) {
      const kz_token *t = peek(p);
      kz_ast_order *order = NULL;
      if (is_keyword(t, "ASC") || is_keyword(t, "DESC")) {
        PUSH(p, order, s->order_by, s->order_count, capacity);
        kz_token direction = take(p);
        order->descending = is_keyword(&direction, "DESC");
        TRY(parse_bracketted(p, &order->expr));
      } else if (is_var_token(t)) {
        PUSH(p, order, s->order_by, s->order_count, capacity);
        TRY(new_expr(p, KZ_OP_VARIABLE, t, &order->expr));
        TRY(parse_var(p, &order->expr->term));
      } else if (starts_constraint(t)) {
        PUSH(p, order, s->order_by, s->order_count, capacity);
        TRY(parse_constraint(p, &order->expr));
      } else {
        break;
      }
    }
    if (s->order_count == 0)
      return expected(p, "an ORDER BY condition");
  }
  p->aggregates_allowed = false;
  bool limit = false, offset = false;
  for (;;) {
    if (!limit && take_if_keyword(p, "LIMIT")) {
      limit = true;
      TRY(parse_limit_value(p, "LIMIT", &s->limit));
    } else if (!offset && take_if_keyword(p, "OFFSET")) {
      offset = true;
      TRY(parse_limit_value(p, "OFFSET", &s->offset));
    } else {
      return KZ_OK;
    }
  }
}

/* Variables of e outside aggregates (and outside EXISTS patterns) must be
 * in allowed. */
static kz_status check_grouped(parser *p, const kz_ast_expr *e, const kz_names *keys,
                               const kz_names *aliases) {
  if (kz_sparql_op_is_aggregate(e->op) || e->op == KZ_OP_EXISTS || e->op == KZ_OP_NOT_EXISTS)
    return KZ_OK;
  if (e->op == KZ_OP_VARIABLE && !kz_names_has(keys, e->term.lexical) &&
      !kz_names_has(aliases, e->term.lexical))
    return fail_at(p, e->line, e->column,
                   "?%s is neither grouped nor aggregated (add it to GROUP BY or use it in an "
                   "aggregate)",
                   e->term.lexical);
  for (size_t i = 0; i < e->arg_count; i++)
    TRY(check_grouped(p, e->args[i], keys, aliases));
  return KZ_OK;
}

/* The static rules of one query level (18.2.4.1, 18.2.4.4). */
static kz_status check_level(parser *p, kz_ast_select *s, const level_marks *marks) {
  kz_names visible = {0}, projected = {0}, keys = {0}, aliases = {0};
  s->aggregated = s->group_by_count > 0 || p->saw_aggregate;
  if (s->where)
    TRY(scope_add_group(p, &visible, s->where));
  if (s->values)
    for (size_t i = 0; i < s->values->var_count; i++)
      TRY(scope_add_term(p, &visible, &s->values->vars[i]));
  if (s->aggregated && s->star && s->form == KZ_AST_SELECT)
    return fail_at(p, marks->star.line, marks->star.column,
                   "SELECT * is not allowed in a query with GROUP BY or aggregates");
  for (size_t i = 0; i < s->group_by_count; i++)
    if (s->group_by[i].var.kind == KZ_SPARQL_VAR)
      TRY(scope_add(p, &keys, s->group_by[i].var.lexical));
  for (size_t i = 0; i < s->projection_count; i++) {
    kz_ast_projection *item = &s->projection[i];
    const char *name = item->var.lexical;
    if (item->expr) {
      if (kz_names_has(&visible, name) || kz_names_has(&projected, name))
        return fail_at(p, item->line, item->column,
                       "AS ?%s: the variable is already in scope (choose another name)", name);
      if (s->aggregated)
        TRY(check_grouped(p, item->expr, &keys, &aliases));
      TRY(scope_add(p, &aliases, name));
    } else if (s->aggregated && !kz_names_has(&keys, name) && !kz_names_has(&aliases, name)) {
      return fail_at(p, item->line, item->column,
                     "?%s is selected but not grouped (add it to GROUP BY or use it in an "
                     "aggregate)",
                     name);
    }
    TRY(scope_add(p, &projected, name));
  }
  return KZ_OK;
}

static kz_status parse_where(parser *p, kz_ast_select *s);

/* SubSelect ::= SelectClause WhereClause SolutionModifier ValuesClause, a
 * level of its own: the aggregate flags of the enclosing level are kept
 * aside while it is read. */
static kz_status parse_subselect(parser *p, kz_ast_select *s) {
  bool outer_saw = p->saw_aggregate, outer_allowed = p->aggregates_allowed,
       outer_in = p->in_aggregate;
  p->saw_aggregate = p->aggregates_allowed = p->in_aggregate = false;
  level_marks marks;
  memset(&marks, 0, sizeof marks);
  s->form = KZ_AST_SELECT;
  s->limit = s->offset = -1;
  TRY(parse_select_clause(p, s, &marks));
  TRY(parse_where(p, s));
  TRY(parse_solution_modifier(p, s));
  if (take_if_keyword(p, "VALUES"))
    TRY(parse_data_block(p, &s->values));
  TRY(check_level(p, s, &marks));
  p->saw_aggregate = outer_saw;
  p->aggregates_allowed = outer_allowed;
  p->in_aggregate = outer_in;
  return KZ_OK;
}

/* ---- queries --------------------------------------------------------- */

static kz_status parse_prologue(parser *p) {
  for (;;) {
    if (take_if_keyword(p, "BASE")) {
      if (!next_is(p, KZ_TOK_IRIREF))
        return expected(p, "an IRI after BASE");
      if (!(p->base = kz_iri_resolve(p->arena, p->base, take(p).value)))
        return nomem(p);
    } else if (take_if_keyword(p, "PREFIX")) {
      if (!next_is(p, KZ_TOK_PNAME_NS))
        return expected(p, "a prefix such as 'ex:' after PREFIX");
      const char *prefix = take(p).value;
      if (!next_is(p, KZ_TOK_IRIREF))
        return expected(p, "an IRI after the prefix");
      const char *iri = kz_iri_resolve(p->arena, p->base, take(p).value);
      const char **slot = NULL;
      if (!iri)
        return nomem(p);
      PUSH(p, slot, p->prefix_iris, p->prefix_iri_count, p->prefix_iri_capacity);
      *slot = iri;
      if (!kz_names_put(p->arena, &p->prefixes, prefix, (int)(p->prefix_iri_count - 1), true))
        return nomem(p);
    } else {
      return KZ_OK;
    }
  }
}

/* WhereClause ::= 'WHERE'? GroupGraphPattern */
static kz_status parse_where(parser *p, kz_ast_select *s) {
  take_if_keyword(p, "WHERE");
  return parse_group(p, &s->where);
}

static kz_status parse_construct(parser *p, kz_ast_query *q, kz_ast_select *s) {
  take(p);
  s->form = KZ_AST_CONSTRUCT;
  triple_list list = {0};
  bool dot;
  if (next_is(p, KZ_TOK_LBRACE)) {
    take(p);
    p->in_template = true;
    if (starts_triples(peek(p)))
      TRY(parse_triples_block(p, &list, (triples_mode){.paths = false}, &dot));
    p->in_template = false;
    TRY(expect(p, KZ_TOK_RBRACE));
    s->template = list.items;
    s->template_count = list.count;
    TRY(parse_dataset(p, q));
    TRY(parse_where(p, s));
    return parse_solution_modifier(p, s);
  }
  /* CONSTRUCT WHERE { TriplesTemplate? }: the template is the pattern */
  TRY(parse_dataset(p, q));
  TRY(expect_keyword(p, "WHERE"));
  kz_token brace = *peek(p);
  TRY(expect(p, KZ_TOK_LBRACE));
  ALLOC(p, s->where);
  p->bgp = ++p->bgp_counter;
  if (starts_triples(peek(p)))
    TRY(parse_triples_block(p, &list, (triples_mode){.paths = false}, &dot));
  p->bgp = 0;
  if (!next_is(p, KZ_TOK_RBRACE))
    return expected(p, "'}' (CONSTRUCT WHERE takes only triple patterns)");
  take(p);
  s->template = list.items;
  s->template_count = list.count;
  if (list.count) {
    kz_ast_element *e = NULL;
    size_t capacity = 0;
    PUSH(p, e, s->where->elements, s->where->element_count, capacity);
    e->kind = KZ_AST_TRIPLES;
    e->line = brace.line;
    e->column = brace.column;
    e->triples = list.items;
    e->triple_count = list.count;
    kz_names scope = {0};
    TRY(scope_add_element(p, &scope, e));
    s->where->in_scope = scope.names;
    s->where->in_scope_count = scope.count;
  }
  return parse_solution_modifier(p, s);
}

static kz_status parse_describe(parser *p, kz_ast_query *q, kz_ast_select *s) {
  take(p);
  s->form = KZ_AST_DESCRIBE;
  if (take_if(p, KZ_TOK_STAR)) {
    s->star = true;
  } else {
    size_t capacity = 0;
    if (!is_var_token(peek(p)) && !is_iri_token(peek(p)))
      return expected(p, "a variable, an IRI or '*' after DESCRIBE");
    while (is_var_token(peek(p)) || is_iri_token(peek(p))) {
      kz_sparql_term *slot = NULL;
      PUSH(p, slot, s->describe, s->describe_count, capacity);
      TRY(parse_var_or_iri(p, slot));
    }
  }
  TRY(parse_dataset(p, q));
  if (next_is_keyword(p, "WHERE") || next_is(p, KZ_TOK_LBRACE))
    TRY(parse_where(p, s));
  return parse_solution_modifier(p, s);
}

static kz_status parse_query(parser *p, kz_ast_query *q) {
  TRY(parse_prologue(p));
  kz_ast_select *s = NULL;
  ALLOC(p, s);
  s->limit = s->offset = -1;
  q->select = s;
  level_marks marks;
  memset(&marks, 0, sizeof marks);
  const kz_token *t = peek(p);
  if (is_keyword(t, "SELECT")) {
    /* the dataset clauses sit between the SELECT clause and WHERE */
    TRY(parse_select_clause(p, s, &marks));
    s->form = KZ_AST_SELECT;
    TRY(parse_dataset(p, q));
    TRY(parse_where(p, s));
    TRY(parse_solution_modifier(p, s));
  } else if (is_keyword(t, "CONSTRUCT")) {
    TRY(parse_construct(p, q, s));
  } else if (is_keyword(t, "DESCRIBE")) {
    TRY(parse_describe(p, q, s));
  } else if (is_keyword(t, "ASK")) {
    take(p);
    s->form = KZ_AST_ASK;
    TRY(parse_dataset(p, q));
    TRY(parse_where(p, s));
    TRY(parse_solution_modifier(p, s));
  } else if (is_keyword(t, "INSERT") || is_keyword(t, "DELETE") || is_keyword(t, "LOAD") ||
             is_keyword(t, "CLEAR") || is_keyword(t, "CREATE") || is_keyword(t, "DROP") ||
             is_keyword(t, "WITH")) {
    return fail_at(p, t->line, t->column, "SPARQL Update is not supported, only queries");
  } else {
    return expected(p, "SELECT, CONSTRUCT, DESCRIBE or ASK");
  }
  if (take_if_keyword(p, "VALUES"))
    TRY(parse_data_block(p, &s->values));
  TRY(check_level(p, s, &marks));
  if (!next_is(p, KZ_TOK_EOF))
    return expected(p, "the end of the query");
  q->base = p->base;
  return KZ_OK;
}

kz_status kz_sparql_parse(kz_ast_query **out, const char *text, const char *base,
                          const char *source, kz_error *err) {
  *out = NULL;
  if (!source)
    source = "query";
  if (!text)
    return kz_fail(err, KZ_ERR_ARGUMENT, source, 0, 0, "no query text");
  kz_arena *arena = kz_arena_new();
  kz_ast_query *q = arena ? kz_arena_alloc(arena, sizeof *q) : NULL;
  if (!q) {
    kz_arena_free(arena);
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  }
  q->arena = arena;
  parser p;
  memset(&p, 0, sizeof p);
  p.arena = arena;
  p.source = source;
  p.err = err;
  kz_status status = KZ_OK;
  if (base && !(p.base = kz_arena_strdup(arena, base)))
    status = nomem(&p);
  if (status == KZ_OK)
    status = kz_lexer_init(&p.lex, arena, text, source, err);
  if (status == KZ_OK)
    status = parse_query(&p, q);
  if (status != KZ_OK) {
    kz_arena_free(arena);
    return status;
  }
  *out = q;
  return KZ_OK;
}

void kz_ast_free(kz_ast_query *query) {
  if (query)
    kz_arena_free(query->arena);
}
