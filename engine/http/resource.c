/*
 * Linked data: every resource IRI under the published base dereferences at
 * the server. The base (--base, default https://w3id.org/kizuna/) stands
 * for the server's "/", so https://w3id.org/kizuna/id/agency/iit-hyderabad
 * is GET /id/agency/iit-hyderabad.
 *
 * A description is the resource's statements in both directions plus the
 * labels of its neighbours, made by one CONSTRUCT through the library: the
 * server's own catalogue entry "describe-resource", whose ?resource is
 * bound by kz_catalog_bind as an IRI term (checked against the IRIREF
 * grammar, never spliced as text). It is sent as Turtle, N-Triples,
 * JSON-LD (when the library writes it), RDF/XML or N-Quads by Accept, or as
 * a small HTML page whose IRIs under the base link to their local pages.
 * A resource with no statement is 404.
 *
 * The server's own catalogue is embedded here and loaded, at start, from a
 * private temporary folder (the catalogue API reads folders).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/http_internal.h"

#define RDFS_LABEL "http://www.w3.org/2000/01/rdf-schema#label"

/* The server's own catalogue: the resource description, and the queries
 * of the VoID document (meta.c), whose ?base is the published base. */
static const struct {
  const char *file;
  const char *text;
} own_queries[] = {
    {"describe-resource.rq",
     "# name: describe-resource\n"
     "# description: A resource's statements in both directions, with the labels of its "
     "neighbours\n"
     "# param: resource iri\n"
     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
     "CONSTRUCT {\n"
     "  ?resource ?p ?o . ?o rdfs:label ?o_label .\n"
     "  ?s ?q ?resource . ?s rdfs:label ?s_label .\n"
     "}\n"
     "WHERE {\n"
     "  { ?resource ?p ?o OPTIONAL { ?o rdfs:label ?o_label } }\n"
     "  UNION\n"
     "  { ?s ?q ?resource OPTIONAL { ?s rdfs:label ?s_label } }\n"
     "}\n"},
    {"void-entities.rq",
     "# name: void-entities\n"
     "# description: The resources of the URI space\n"
     "# param: base string\n"
     "SELECT (COUNT(DISTINCT ?s) AS ?n)\n"
     "WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?base)) }\n"},
    {"void-examples.rq",
     "# name: void-examples\n"
     "# description: The resources of the URI space with the most statements\n"
     "# param: base string\n"
     "SELECT ?s (COUNT(*) AS ?n)\n"
     "WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?base)) }\n"
     "GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 3\n"},
    {"void-linksets.rq",
     "# name: void-linksets\n"
     "# description: Links from the URI space to other datasets, by predicate and target\n"
     "# param: base string\n"
     "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
     "PREFIX schema: <http://schema.org/>\n"
     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
     "SELECT ?p ?target (COUNT(*) AS ?n)\n"
     "WHERE {\n"
     "  ?s ?p ?o\n"
     "  FILTER(?p IN (owl:sameAs, skos:exactMatch, skos:closeMatch, skos:relatedMatch,\n"
     "                skos:broadMatch, skos:narrowMatch, rdfs:seeAlso, schema:sameAs))\n"
     "  FILTER(isIRI(?s) && isIRI(?o) && STRSTARTS(STR(?s), ?base) && !STRSTARTS(STR(?o), ?base))\n"
     "  BIND(REPLACE(STR(?o), \"^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*/?).*$\", \"$1\") AS ?target)\n"
     "}\n"
     "GROUP BY ?p ?target ORDER BY ?p ?target\n"},
};

kz_status http_own_queries_load(kz_catalog **out, kz_error *err) {
  *out = NULL;
  const char *tmp = getenv("TMPDIR");
  char dir[4096], file[4200];
  snprintf(dir, sizeof dir, "%s/kizuna-serve-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    snprintf(err->message, sizeof err->message, "cannot make a temporary folder: %s",
             strerror(errno));
    return err->status = KZ_ERR_IO;
  }
  size_t n = sizeof own_queries / sizeof own_queries[0], written = 0;
  for (; written < n; written++) {
    snprintf(file, sizeof file, "%s/%s", dir, own_queries[written].file);
    FILE *f = fopen(file, "w");
    int ok = f && fputs(own_queries[written].text, f) >= 0;
    if (f && fclose(f) != 0)
      ok = 0;
    if (!ok) {
      snprintf(err->message, sizeof err->message, "cannot write %.500s: %s", file, strerror(errno));
      err->status = KZ_ERR_IO;
      break;
    }
  }
  kz_status status = written == n ? kz_catalog_load(out, dir, err) : KZ_ERR_IO;
  for (size_t i = 0; i < n; i++) {
    snprintf(file, sizeof file, "%s/%s", dir, own_queries[i].file);
    unlink(file);
  }
  rmdir(dir);
  return status;
}

/* ---- HTML ---- */


/* The href for iri: a local path when it is under the base. */
static void href(http_buf *b, const http_server *server, const char *iri) {
  size_t n = strlen(server->base);
  if (strncmp(iri, server->base, n) == 0 && server->base[n - 1] == '/') {
    http_buf_puts(b, "/");
    http_buf_html(b, iri + n);
  } else {
    http_buf_html(b, iri);
  }
}

/* A short name for an IRI: prefix:local with the prefixes the writers use
 * (kz_results_prefix_for), else the IRI. */
static void short_name(http_buf *b, const char *iri) {
  const char *local = NULL;
  const char *prefix = kz_results_prefix_for(iri, &local);
  if (prefix && *local) {
    http_buf_html(b, prefix);
    http_buf_puts(b, ":");
    http_buf_html(b, local);
    return;
  }
  http_buf_html(b, iri);
}

/* The triples of a description, copied out of the buffered answer: the
 * terms' strings stay the answer's (valid until it is freed). */
typedef struct description {
  kz_term (*triples)[3]; /* kind 0: unbound */
  size_t count;
} description;

/* Term c (0 subject, 1 predicate, 2 object) of triple i, or NULL. */
static const kz_term *cell(const description *d, size_t i, size_t c) {
  return i < d->count && d->triples[i][c].kind ? &d->triples[i][c] : NULL;
}

/* Reads a buffered answer (a CONSTRUCT) from its first triple into d. */
static kz_status read_description(description *d, kz_results *answer, kz_error *err) {
  size_t capacity = 0;
  d->triples = NULL;
  d->count = 0;
  kz_status status = kz_results_rewind(answer, err);
  while (status == KZ_OK && (status = kz_results_next(answer, err)) == KZ_OK) {
    if (d->count == capacity) {
      capacity = capacity ? 2 * capacity : 64;
      kz_term(*grown)[3] = realloc(d->triples, capacity * sizeof *grown);
      if (!grown) {
        err->status = status = KZ_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        break;
      }
      d->triples = grown;
    }
    for (size_t c = 0; c < 3; c++) {
      const kz_term *t = kz_results_get_value(answer, c);
      d->triples[d->count][c] = t ? *t : (kz_term){0};
    }
    d->count++;
  }
  return status == KZ_DONE ? KZ_OK : status;
}

/* The labels of a description: (subject, label) pairs sorted by subject,
 * an English or untagged label first, for bsearch. */
typedef struct label_entry {
  const char *subject;
  const char *label;
  int rank; /* 0: English or untagged, 1: another language */
} label_entry;

typedef struct labels {
  label_entry *items;
  size_t count;
} labels;

static int compare_labels(const void *x, const void *y) {
  const label_entry *a = x, *b = y;
  int d = strcmp(a->subject, b->subject);
  return d ? d : a->rank - b->rank;
}

static int make_labels(labels *out, const description *rows) {
  size_t n = rows->count;
  out->count = 0;
  out->items = malloc((n ? n : 1) * sizeof *out->items);
  if (!out->items)
    return -1;
  for (size_t i = 0; i < n; i++) {
    const kz_term *s = cell(rows, i, 0), *p = cell(rows, i, 1), *o = cell(rows, i, 2);
    if (s && p && o && s->kind == KZ_TERM_IRI && o->kind == KZ_TERM_LITERAL &&
        strcmp(p->value, RDFS_LABEL) == 0)
      out->items[out->count++] =
          (label_entry){s->value, o->value, o->language && strcmp(o->language, "en") != 0};
  }
  qsort(out->items, out->count, sizeof *out->items, compare_labels);
  return 0;
}

/* The label of term (the first of its subject's run), or NULL. */
static const char *label_of(const labels *table, const kz_term *term) {
  if (!term || term->kind != KZ_TERM_IRI || !table->count)
    return NULL;
  size_t lo = 0, hi = table->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(table->items[mid].subject, term->value) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < table->count && strcmp(table->items[lo].subject, term->value) == 0
             ? table->items[lo].label : NULL;
}

static void html_term(http_buf *b, const http_server *server, const labels *table,
                      const kz_term *term) {
  if (!term)
    return;
  if (term->kind == KZ_TERM_IRI) {
    const char *label = label_of(table, term);
    http_buf_puts(b, "<a href=\"");
    href(b, server, term->value);
    http_buf_puts(b, "\" title=\"");
    http_buf_html(b, term->value);
    http_buf_puts(b, "\">");
    if (label)
      http_buf_html(b, label);
    else
      short_name(b, term->value);
    http_buf_puts(b, "</a>");
  } else if (term->kind == KZ_TERM_BLANK) {
    http_buf_puts(b, "<span class=\"blank\">_:");
    http_buf_html(b, term->value);
    http_buf_puts(b, "</span>");
  } else {
    http_buf_puts(b, "<span class=\"literal\">");
    http_buf_html(b, term->value);
    http_buf_puts(b, "</span>");
    if (term->language) {
      http_buf_puts(b, " <span class=\"lang\">@");
      http_buf_html(b, term->language);
      http_buf_puts(b, "</span>");
    } else if (term->datatype) {
      http_buf_puts(b, " <span class=\"datatype\">");
      short_name(b, term->datatype);
      http_buf_puts(b, "</span>");
    }
  }
}

typedef struct order_context {
  const description *rows;
  size_t key1, key2; /* columns to sort by */
} order_context;

static _Thread_local const order_context *ordering;

static int compare_terms(const kz_term *a, const kz_term *b) {
  if (!a || !b)
    return (a != NULL) - (b != NULL);
  if (a->kind != b->kind)
    return (int)a->kind - (int)b->kind;
  return strcmp(a->value, b->value);
}

static int compare_rows(const void *x, const void *y) {
  size_t i = *(const size_t *)x, j = *(const size_t *)y;
  const order_context *c = ordering;
  int d = compare_terms(cell(c->rows, i, c->key1), cell(c->rows, j, c->key1));
  return d ? d : compare_terms(cell(c->rows, i, c->key2), cell(c->rows, j, c->key2));
}

/* Rows whose column `at` is the resource, sorted by key1 then key2. */
static size_t *rows_at(const description *rows, size_t at, const char *iri, size_t key1,
                       size_t key2, size_t *count) {
  size_t n = rows->count, found = 0;
  size_t *list = malloc((n ? n : 1) * sizeof *list);
  if (!list)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    const kz_term *t = cell(rows, i, at);
    if (t && t->kind == KZ_TERM_IRI && strcmp(t->value, iri) == 0)
      list[found++] = i;
  }
  order_context context = {rows, key1, key2};
  ordering = &context;
  qsort(list, found, sizeof *list, compare_rows);
  ordering = NULL;
  *count = found;
  return list;
}

static char *render_html(const http_server *server, const char *iri, const description *rows,
                         size_t *size) {
  kz_term self = {KZ_TERM_IRI, iri, NULL, NULL};
  labels table;
  if (make_labels(&table, rows) != 0)
    return NULL;
  const char *label = label_of(&table, &self);
  http_buf b = {0};
  http_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>");
  http_buf_html(&b, label ? label : iri);
  http_buf_puts(&b, " · Kizuna</title>\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n"
                    "</head>\n<body>\n<header><a href=\"/\">Kizuna</a> · linked data</header>\n"
                    "<main>\n<h1>");
  http_buf_html(&b, label ? label : iri);
  http_buf_puts(&b, "</h1>\n<p class=\"iri\"><a href=\"");
  http_buf_html(&b, iri);
  http_buf_puts(&b, "\">");
  http_buf_html(&b, iri);
  http_buf_puts(&b, "</a></p>\n");
  size_t out_count = 0, in_count = 0;
  size_t *out = rows_at(rows, 0, iri, 1, 2, &out_count);
  size_t *in = rows_at(rows, 2, iri, 1, 0, &in_count);
  if (out && out_count) {
    http_buf_puts(&b, "<h2>Statements</h2>\n<table class=\"statements\">\n"
                      "<thead><tr><th>property</th><th>value</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < out_count; k++) {
      http_buf_puts(&b, "<tr><td>");
      html_term(&b, server, &table, cell(rows, out[k], 1));
      http_buf_puts(&b, "</td><td>");
      html_term(&b, server, &table, cell(rows, out[k], 2));
      http_buf_puts(&b, "</td></tr>\n");
    }
    http_buf_puts(&b, "</tbody>\n</table>\n");
  }
  if (in && in_count) {
    http_buf_puts(&b, "<h2>Referenced by</h2>\n<table class=\"statements\">\n"
                      "<thead><tr><th>resource</th><th>property</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < in_count; k++) {
      http_buf_puts(&b, "<tr><td>");
      html_term(&b, server, &table, cell(rows, in[k], 0));
      http_buf_puts(&b, "</td><td>");
      html_term(&b, server, &table, cell(rows, in[k], 1));
      http_buf_puts(&b, "</td></tr>\n");
    }
    http_buf_puts(&b, "</tbody>\n</table>\n");
  }
  http_buf_puts(&b, "<p class=\"note\">This page is also served as RDF: ask for "
                    "<code>text/turtle</code>, <code>application/n-triples</code>");
  if (server->jsonld)
    http_buf_puts(&b, ", <code>application/ld+json</code>");
  http_buf_puts(&b, " or <code>application/rdf+xml</code> in <code>Accept</code>.</p>\n"
                    "</main>\n</body>\n</html>\n");
  free(out);
  free(in);
  free(table.items);
  if (!out || !in)
    b.failed = 1;
  return http_buf_take(&b, size);
}

void http_handle_resource(http_server *server, const http_request *request, http_reply *reply) {
  /* The IRI: the base, then the request path as sent (still percent-encoded,
   * as IRIs keep their escapes). */
  http_buf iri = {0};
  http_buf_puts(&iri, server->base);
  http_buf_puts(&iri, request->path + 1);
  if (iri.failed) {
    http_reply_text(reply, 503, "out of memory");
    return;
  }
  /* Turtle first (what a linked-data client without preferences gets),
   * then HTML for browsers, then the other graph formats. */
  http_offer graph[HTTP_MAX_OFFERS], offers[HTTP_MAX_OFFERS + 1];
  size_t graph_count = http_offers_graph(graph, HTTP_MAX_OFFERS, server->jsonld), count = 0;
  offers[count++] = graph[0];
  offers[count++] = (http_offer){"text/html", "html"};
  for (size_t i = 1; i < graph_count; i++)
    offers[count++] = graph[i];
  const kz_catalog_entry *entry = kz_catalog_find(server->own_queries, "describe-resource");
  kz_param param = {"resource", iri.data};
  char *sparql = NULL;
  kz_results *answer = NULL;
  description rows = {NULL, 0};
  int truncated = 0;
  kz_error err;
  kz_error_clear(&err);
  if (http_query_slot_take(server, reply, 0) != 0) {
    http_buf_clear(&iri);
    return;
  }
  kz_status status = kz_catalog_bind(&sparql, entry, server->store, &param, 1, &err);
  if (status == KZ_ERR_ARGUMENT) {
    /* not an IRI at all (a space, a quote...): nothing can be there */
    http_reply_text(reply, 404, "no resource <%.600s> here", iri.data);
    goto done;
  }
  if (status == KZ_OK)
    status = http_run_buffered(server, sparql, "describe", &answer, &truncated, &err);
  if (status == KZ_OK)
    status = read_description(&rows, answer, &err);
  if (status != KZ_OK) {
    char line[2048];
    http_reply_text(reply, status == KZ_ERR_TIMEOUT ? 503 : http_status_of(status), "%s",
                    http_error_line(&err, line, sizeof line));
    goto done;
  }
  if (rows.count == 0) {
    http_reply_text(reply, 404, "no resource <%.600s> here: nothing is said about it", iri.data);
    goto done;
  }
  int chosen = http_negotiate(request->accept, offers, count);
  if (chosen < 0) {
    http_reply_not_acceptable(reply, offers, count);
    goto done;
  }
  char *body = NULL;
  size_t size = 0;
  if (strcmp(offers[chosen].format, "html") == 0) {
    if (!(body = render_html(server, iri.data, &rows, &size))) {
      http_reply_text(reply, 503, "out of memory");
      goto done;
    }
  } else if (http_write_results(answer, offers[chosen].format, &body, &size, &err) != KZ_OK) {
    char line[2048];
    http_reply_text(reply, http_status_of(err.status), "%s",
                    http_error_line(&err, line, sizeof line));
    goto done;
  }
  http_reply_body(reply, 200, http_content_type(offers[chosen].media_type), body, size);
  if (truncated)
    http_reply_header(reply, "X-SPARQL-MaxRows", "%zu", server->config.max_rows);
done:
  http_query_slot_release(server);
  free(rows.triples);
  kz_results_free(answer);
  free(sparql);
  http_buf_clear(&iri);
}
