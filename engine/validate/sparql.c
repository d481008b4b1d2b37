/*
 * SPARQL-based constraints (sh:sparql, from SHACL-SPARQL): a SELECT query
 * run through kz_query for each focus node with $this pre-bound; every
 * solution is a validation result.
 *
 * Pre-binding is done by substitution: the query text is scanned token by
 * token (strings, IRIs and comments are copied untouched) and each $this or
 * ?this variable becomes the focus node's term, written in SPARQL syntax;
 * in a SELECT projection it becomes (TERM AS ?this), as a bare term is not
 * allowed there. A blank node cannot be named in a query (nor can an IRI
 * holding characters that SPARQL IRIs forbid), so such focus nodes are
 * checked together: the query runs once with $this free and the solutions
 * whose ?this is one of them are kept. That needs the query to select
 * $this, which the usual `SELECT $this ...` does.
 *
 * Each solution gives sh:value from ?value (or the focus node), sh:resultPath
 * from ?path, and the message from ?message, else from the constraint's or
 * the shape's sh:message with {?var} and {$var} replaced by the solution's
 * values, else a generic one.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/text.h"
#include "kizuna/query.h"
#include "sparql/lexer.h"
#include "validate/validate_internal.h"

static void append_str(kz_text *b, const char *s) { kz_text_append(b, s, strlen(s)); }

/* ---- terms in SPARQL syntax ---------------------------------------------- */

/* A character SPARQL's IRIREF allows. */
static int iri_char(unsigned char c) { return c > 0x20 && !strchr("<>\"{}|^`\\", c); }

static int writable_iri(const char *iri) {
  for (const unsigned char *p = (const unsigned char *)iri; *p; p++)
    if (!iri_char(*p))
      return 0;
  return 1;
}

/* The term in SPARQL syntax, into b; 0 if it cannot be written. */
static int write_term(kz_text *b, const kz_term *term) {
  switch (term->kind) {
  case KZ_TERM_IRI:
    if (!writable_iri(term->value))
      return 0;
    append_str(b, "<");
    append_str(b, term->value);
    append_str(b, ">");
    return 1;
  case KZ_TERM_LITERAL:
    if (term->datatype && !writable_iri(term->datatype))
      return 0;
    append_str(b, "\"");
    for (const char *p = term->value; *p; p++) {
      switch (*p) {
      case '"': append_str(b, "\\\""); break;
      case '\\': append_str(b, "\\\\"); break;
      case '\n': append_str(b, "\\n"); break;
      case '\r': append_str(b, "\\r"); break;
      default: kz_text_append(b, p, 1);
      }
    }
    append_str(b, "\"");
    if (term->language) {
      append_str(b, "@");
      append_str(b, term->language);
    } else if (term->datatype) {
      append_str(b, "^^<");
      append_str(b, term->datatype);
      append_str(b, ">");
    }
    return 1;
  case KZ_TERM_BLANK:
    return 0;
  }
  return 0;
}

/* ---- substituting $this ---------------------------------------------------- */

static int is_keyword(const char *p, size_t n, const char *keyword) {
  return strlen(keyword) == n && strncasecmp(p, keyword, n) == 0;
}

/* query with every $this/?this token replaced by term (SPARQL syntax).
 * Caller frees; NULL on out of memory. */
static char *bind_this(const char *query, const char *term) {
  kz_text out = {0};
  int in_projection = 0, depth = 0;
  const char *p = query;
  kz_scan_kind kind;
  for (size_t n; (n = kz_sparql_scan(p, &kind)); p += n) {
    if (kind == KZ_SCAN_VARIABLE && n == 5 && strncmp(p + 1, "this", 4) == 0) {
      int alias = in_projection && depth == 0;
      append_str(&out, alias ? "(" : "");
      append_str(&out, term);
      append_str(&out, alias ? " AS ?this)" : "");
      continue;
    }
    if (kind == KZ_SCAN_WORD && is_keyword(p, n, "SELECT")) {
      in_projection = 1;
      depth = 0;
    } else if ((kind == KZ_SCAN_WORD && (is_keyword(p, n, "WHERE") || is_keyword(p, n, "FROM"))) ||
               (kind == KZ_SCAN_OTHER && *p == '{')) {
      in_projection = 0;
    } else if (kind == KZ_SCAN_OTHER && (*p == '(' || *p == ')')) {
      depth += *p == '(' ? 1 : -1;
    }
    kz_text_append(&out, p, n);
  }
  return kz_text_finish(&out);
}

/* ---- checking the syntax once, when the shapes are read ------------------- */

/* Re-fills err from a query error, placing it in the shapes file. */
static kz_status query_error(kz_error *err, const kz_constraint *c, const char *source,
                             const char *shape_label) {
  kz_error inner = *err;
  long line = 0;
  if (c->line > 0 && inner.line > (long)c->prefix_lines)
    line = c->line + (inner.line - (long)c->prefix_lines) - 1;
  else if (c->line > 0)
    line = c->line;
  return kz_fail(err, inner.status == KZ_ERR_NOMEM ? KZ_ERR_NOMEM : KZ_ERR_QUERY, source, line, 0,
                 "sh:sparql query of %s: %s", shape_label, inner.message);
}

static kz_status prepare(kz_query **out, kz_store *store, const char *text, const kz_constraint *c,
                         const char *source, const char *shape_label, kz_error *err) {
  if (kz_query_prepare(out, store, text, NULL, err) != KZ_OK)
    return query_error(err, c, source, shape_label);
  if (kz_query_get_form(*out) != KZ_QUERY_SELECT) {
    kz_query_free(*out);
    *out = NULL;
    return kz_fail(err, KZ_ERR_QUERY, source, c->line, 0,
                   "sh:sparql query of %s: sh:select needs a SELECT query", shape_label);
  }
  return KZ_OK;
}

kz_status kz_sparql_check_syntax(kz_store *store, const kz_constraint *c, const char *source,
                                 const char *shape_label, kz_error *err) {
  char *bound = bind_this(c->query, "<urn:x-kizuna:this>");
  if (!bound)
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  kz_query *query = NULL;
  kz_status status = prepare(&query, store, bound, c, source, shape_label, err);
  kz_query_free(query);
  query = NULL;
  if (status == KZ_OK)
    status = prepare(&query, store, c->query, c, source, shape_label, err);
  kz_query_free(query);
  free(bound);
  return status;
}

/* ---- running ----------------------------------------------------------- */

/* Where the solution variables a result uses are, or -1. */
typedef struct columns {
  long this_var, value, path, message;
} columns;

static long column_of(kz_results *results, const char *name) {
  size_t n = kz_results_get_column_count(results);
  for (size_t i = 0; i < n; i++)
    if (strcmp(kz_results_get_column_name(results, i), name) == 0)
      return (long)i;
  return -1;
}

static const kz_term *value_at(kz_results *results, long column) {
  return column >= 0 ? kz_results_get_value(results, (size_t)column) : NULL;
}

/* The template with {?var} and {$var} replaced by the solution's values:
 * literals by their lexical form, other terms compactly. */
static char *fill_template(const char *template_text, kz_results *results, const kz_term *focus) {
  kz_text out = {0};
  const char *p = template_text;
  while (*p) {
    kz_scan_kind kind = KZ_SCAN_OTHER;
    size_t n = p[0] == '{' ? kz_sparql_scan(p + 1, &kind) : 0; /* the variable, sigil included */
    if (kind != KZ_SCAN_VARIABLE || p[1 + n] != '}') {
      kz_text_append(&out, p++, 1);
      continue;
    }
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)n - 1, p + 2);
    const kz_term *term = strcmp(name, "this") == 0 ? focus
                                                    : value_at(results, column_of(results, name));
    if (term && term->kind == KZ_TERM_LITERAL) {
      append_str(&out, term->value);
    } else if (term) {
      char *compact = kz_term_compact(term);
      append_str(&out, compact ? compact : "");
      out.failed |= !compact;
      free(compact);
    }
    p += n + 2;
  }
  return kz_text_finish(&out);
}

/* Turns the current solution into a result for focus. */
static kz_status emit_row(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                          kz_results *results, const columns *cols, const kz_term *focus,
                          kz_error *err) {
  const kz_term *value = value_at(results, cols->value);
  const kz_term *path = value_at(results, cols->path);
  const kz_term *message = value_at(results, cols->message);
  const char *template_text = c->message ? c->message : shape->message;
  char *text = NULL;
  if (v->report && !message) {
    text = template_text ? fill_template(template_text, results, focus)
                         : kz_strdup("does not satisfy the SPARQL constraint");
    if (!text)
      return kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  kz_status status = kz_validator_emit(v, shape, c, focus,
                                       path && path->kind == KZ_TERM_IRI ? path->value : NULL, 0,
                                       value ? value : focus, message ? message->value : text,
                                       err);
  free(text);
  return status;
}

/* A key telling terms apart, for the set of unnamed focus nodes; caller
 * frees. */
static char *term_key(const kz_term *term) {
  kz_text key = {0};
  char kind = (char)('0' + term->kind);
  kz_text_append(&key, &kind, 1);
  append_str(&key, term->value);
  if (term->kind == KZ_TERM_LITERAL) {
    append_str(&key, "\x1f");
    append_str(&key, term->datatype ? term->datatype : "");
    append_str(&key, "\x1f");
    append_str(&key, term->language ? term->language : "");
  }
  return kz_text_finish(&key);
}

/* Runs text; emits every solution (free: only those whose ?this is in
 * wanted, with that ?this as the focus; else with focus). */
static kz_status run(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                     const char *text, const kz_term *focus, const kz_strset *wanted,
                     kz_error *err) {
  char label[512];
  kz_term shape_term;
  kz_store_node_to_term(shape->node, &shape_term);
  char *compact = kz_term_compact(&shape_term);
  snprintf(label, sizeof label, "%s", compact ? compact : "?");
  free(compact);
  const char *source = v->shapes->path;
  kz_query *query = NULL;
  kz_results *results = NULL;
  kz_status status = prepare(&query, v->data, text, c, source, label, err);
  if (status == KZ_OK && kz_query_execute(&results, query, err) != KZ_OK)
    status = query_error(err, c, source, label);
  columns cols = {-1, -1, -1, -1};
  for (int first = 1; status == KZ_OK; first = 0) {
    kz_status next = kz_results_next(results, err);
    if (next == KZ_DONE)
      break;
    if (next != KZ_OK) {
      status = query_error(err, c, source, label);
      break;
    }
    if (first) { /* Rasqal names no columns before the first row of an empty result */
      cols.this_var = column_of(results, "this");
      cols.value = column_of(results, "value");
      cols.path = column_of(results, "path");
      cols.message = column_of(results, "message");
    }
    if (wanted && cols.this_var < 0) {
      status = kz_fail(err, KZ_ERR_QUERY, source, c->line, 0,
                       "sh:sparql query of %s must select $this to be checked on blank nodes",
                       label);
      break;
    }
    if (!wanted) {
      status = emit_row(v, shape, c, results, &cols, focus, err);
      continue;
    }
    const kz_term *this_term = value_at(results, cols.this_var);
    if (!this_term)
      continue;
    char *key = term_key(this_term);
    if (!key)
      status = kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
    else if (kz_strset_contains(wanted, key))
      status = emit_row(v, shape, c, results, &cols, this_term, err);
    free(key);
  }
  kz_results_free(results);
  kz_query_free(query);
  return status;
}

kz_status kz_sparql_check(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                          const kz_node_list *focus, kz_error *err) {
  kz_strset *unnamed = NULL; /* keys of focus nodes a query cannot name */
  kz_status status = KZ_OK;
  for (size_t i = 0; status == KZ_OK && i < focus->count; i++) {
    kz_term term;
    kz_store_node_to_term(focus->items[i], &term);
    kz_text written = {0};
    if (!write_term(&written, &term)) {
      free(written.data);
      char *key = term_key(&term);
      if (!key || (!unnamed && !(unnamed = kz_strset_new())) || kz_strset_add(unnamed, key) < 0)
        status = kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
      free(key);
      continue;
    }
    char *term_text = kz_text_finish(&written);
    char *text = term_text ? bind_this(c->query, term_text) : NULL;
    status = text ? run(v, shape, c, text, &term, NULL, err)
                  : kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
    free(text);
    free(term_text);
  }
  if (status == KZ_OK && unnamed)
    status = run(v, shape, c, c->query, NULL, unnamed, err);
  kz_strset_free(unnamed);
  return status;
}
