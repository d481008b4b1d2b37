/*
 * Writing query results: the W3C formats for bindings and booleans (SPARQL
 * 1.1 JSON, XML, CSV and TSV), an aligned text table for people, and graph
 * results through the graph writers.
 *
 * Every format but the table streams row by row. The table must know its
 * column widths before the first line, so it keeps the rendered cells (only
 * strings, never store objects) until the end.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/strset.h"
#include "serialize/serialize.h"

typedef enum { FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON, FMT_XML } bindings_format;

static const char *const bindings_names[] = {"table", "csv", "tsv", "json", "xml"};

static int bindings_format_of(const char *format) {
  for (size_t i = 0; i < sizeof bindings_names / sizeof bindings_names[0]; i++)
    if (strcmp(format, bindings_names[i]) == 0)
      return (int)i;
  return -1;
}

int kz_results_format_supported(kz_results_kind kind, const char *format) {
  if (!format)
    return 1;
  if (kind == KZ_RESULTS_GRAPH)
    return kz_graph_format_supported(format) && strcmp(format, "trig") != 0;
  return bindings_format_of(format) >= 0;
}

/* ---- JSON ---- */

static void json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default:
      if (*p < 0x20)
        fprintf(out, "\\u%04x", *p);
      else
        fputc(*p, out);
    }
  }
  fputc('"', out);
}

static void json_term(FILE *out, const kz_term *term) {
  static const char *const types[] = {"", "uri", "bnode", "literal"};
  fprintf(out, "{ \"type\": \"%s\", \"value\": ", types[term->kind]);
  json_string(out, term->value);
  if (term->language) {
    fputs(", \"xml:lang\": ", out);
    json_string(out, term->language);
  } else if (term->datatype) {
    fputs(", \"datatype\": ", out);
    json_string(out, term->datatype);
  }
  fputs(" }", out);
}

/* ---- XML ---- */

static void xml_text(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '&': fputs("&amp;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\r': fputs("&#13;", out); break;
    default:
      /* XML 1.0 cannot carry other control characters at all. */
      if (*p < 0x20 && *p != '\n' && *p != '\t')
        fputc('?', out);
      else
        fputc(*p, out);
    }
  }
}

static void xml_term(FILE *out, const kz_term *term) {
  switch (term->kind) {
  case KZ_TERM_IRI:
    fputs("<uri>", out);
    xml_text(out, term->value);
    fputs("</uri>", out);
    break;
  case KZ_TERM_BLANK:
    fputs("<bnode>", out);
    xml_text(out, term->value);
    fputs("</bnode>", out);
    break;
  case KZ_TERM_LITERAL:
    fputs("<literal", out);
    if (term->language) {
      fputs(" xml:lang=\"", out);
      xml_text(out, term->language);
      fputc('"', out);
    } else if (term->datatype) {
      fputs(" datatype=\"", out);
      xml_text(out, term->datatype);
      fputc('"', out);
    }
    fputc('>', out);
    xml_text(out, term->value);
    fputs("</literal>", out);
    break;
  }
}

/* ---- CSV and TSV ---- */

static void csv_field(FILE *out, const char *s) {
  if (strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static void csv_term(FILE *out, const kz_term *term) {
  if (term->kind == KZ_TERM_BLANK)
    fputs("_:", out);
  csv_field(out, term->value);
}

/* ---- table ---- */

/* Table cells: IRIs compacted with the prefix table, literals as their
 * text (no language tag or datatype); tabs and line breaks shown as \t, \n
 * so rows stay on one line. */
static char *table_cell(const kz_term *term) {
  char *text = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&text, &size);
  if (!m)
    return NULL;
  if (!term) {
    /* unbound: empty cell */
  } else if (term->kind == KZ_TERM_IRI) {
    kz_write_iri_turtle(m, term->value);
  } else if (term->kind == KZ_TERM_BLANK) {
    fprintf(m, "_:%s", term->value);
  } else {
    for (const char *p = term->value; *p; p++) {
      if (*p == '\n')
        fputs("\\n", m);
      else if (*p == '\t')
        fputs("\\t", m);
      else if (*p == '\r')
        fputs("\\r", m);
      else
        fputc(*p, m);
    }
    /* language tags are left out: the table is for reading */
  }
  fclose(m);
  return text;
}

/* Display width: code points, not bytes. */
static size_t display_width(const char *s) {
  size_t width = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      width++;
  return width;
}

typedef struct table {
  size_t columns;
  size_t rows;
  size_t capacity;
  char **cells; /* rows x columns, header first */
  size_t *widths;
} table;

static int table_push_row(table *t, char **row) {
  if (t->rows == t->capacity) {
    size_t capacity = t->capacity ? t->capacity * 2 : 64;
    char **cells = realloc(t->cells, capacity * t->columns * sizeof *cells);
    if (!cells)
      return -1;
    t->cells = cells;
    t->capacity = capacity;
  }
  for (size_t i = 0; i < t->columns; i++) {
    t->cells[t->rows * t->columns + i] = row[i];
    size_t width = display_width(row[i]);
    if (width > t->widths[i])
      t->widths[i] = width;
  }
  t->rows++;
  return 0;
}

static void table_rule(FILE *out, const table *t, char c) {
  size_t total = 1;
  for (size_t i = 0; i < t->columns; i++)
    total += t->widths[i] + 3;
  for (size_t i = 0; i < total; i++)
    fputc(c, out);
  fputc('\n', out);
}

static void table_line(FILE *out, const table *t, size_t row) {
  fputc('|', out);
  for (size_t i = 0; i < t->columns; i++) {
    const char *cell = t->cells[row * t->columns + i];
    fprintf(out, " %s", cell);
    for (size_t pad = display_width(cell); pad < t->widths[i]; pad++)
      fputc(' ', out);
    fputs(" |", out);
  }
  fputc('\n', out);
}

static kz_status write_table(kz_results *results, FILE *out, size_t *rows, kz_error *err) {
  table t = {0};
  t.columns = kz_results_get_column_count(results);
  kz_status status = KZ_OK;
  char **row = calloc(t.columns ? t.columns : 1, sizeof *row);
  t.widths = calloc(t.columns ? t.columns : 1, sizeof *t.widths);
  if (!row || !t.widths) {
    status = KZ_ERR_NOMEM;
    goto cleanup;
  }
  for (size_t i = 0; i < t.columns; i++) {
    size_t n = strlen(kz_results_get_column_name(results, i));
    if (!(row[i] = malloc(n + 2))) {
      status = KZ_ERR_NOMEM;
      goto cleanup;
    }
    snprintf(row[i], n + 2, "?%s", kz_results_get_column_name(results, i));
  }
  while (status == KZ_OK) {
    if (table_push_row(&t, row) != 0) {
      status = KZ_ERR_NOMEM;
      break;
    }
    memset(row, 0, t.columns * sizeof *row);
    status = kz_results_next(results, err);
    if (status != KZ_OK)
      break;
    for (size_t i = 0; i < t.columns; i++)
      if (!(row[i] = table_cell(kz_results_get_value(results, i))))
        status = KZ_ERR_NOMEM;
  }
  if (status == KZ_DONE) {
    status = KZ_OK;
    table_rule(out, &t, '-');
    table_line(out, &t, 0);
    table_rule(out, &t, '=');
    for (size_t r = 1; r < t.rows; r++)
      table_line(out, &t, r);
    table_rule(out, &t, '-');
    if (rows)
      *rows = t.rows - 1;
  }
cleanup:
  if (row)
    for (size_t i = 0; i < t.columns; i++)
      free(row[i]);
  free(row);
  for (size_t i = 0; i < t.rows * t.columns; i++)
    free(t.cells[i]);
  free(t.cells);
  free(t.widths);
  if (status == KZ_ERR_NOMEM)
    return kz_fail(err, status, "results", 0, 0, "out of memory");
  return status;
}

/* ---- booleans ---- */

static void write_boolean(kz_results *results, FILE *out, bindings_format format) {
  const char *value = kz_results_get_boolean(results) ? "true" : "false";
  switch (format) {
  case FMT_TABLE: fprintf(out, "%s\n", kz_results_get_boolean(results) ? "yes" : "no"); break;
  case FMT_CSV: fprintf(out, "_askResult\r\n%s\r\n", value); break;
  case FMT_TSV: fprintf(out, "?_askResult\n%s\n", value); break;
  case FMT_JSON: fprintf(out, "{ \"head\": {}, \"boolean\": %s }\n", value); break;
  case FMT_XML:
    fprintf(out, "<?xml version=\"1.0\"?>\n"
                 "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
                 "  <head/>\n  <boolean>%s</boolean>\n</sparql>\n", value);
    break;
  }
}

/* ---- rows, streamed ---- */

static void write_head(kz_results *results, FILE *out, bindings_format format) {
  size_t columns = kz_results_get_column_count(results);
  switch (format) {
  case FMT_CSV:
  case FMT_TSV:
    for (size_t i = 0; i < columns; i++) {
      if (i)
        fputc(format == FMT_CSV ? ',' : '\t', out);
      if (format == FMT_TSV)
        fputc('?', out);
      fputs(kz_results_get_column_name(results, i), out);
    }
    fputs(format == FMT_CSV ? "\r\n" : "\n", out);
    break;
  case FMT_JSON:
    fputs("{ \"head\": { \"vars\": [", out);
    for (size_t i = 0; i < columns; i++) {
      fputs(i ? ", " : " ", out);
      json_string(out, kz_results_get_column_name(results, i));
    }
    fputs(" ] },\n  \"results\": { \"bindings\": [", out);
    break;
  case FMT_XML:
    fputs("<?xml version=\"1.0\"?>\n"
          "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n  <head>\n", out);
    for (size_t i = 0; i < columns; i++) {
      fputs("    <variable name=\"", out);
      xml_text(out, kz_results_get_column_name(results, i));
      fputs("\"/>\n", out);
    }
    fputs("  </head>\n  <results>\n", out);
    break;
  case FMT_TABLE:
    break;
  }
}

static void write_row(kz_results *results, FILE *out, bindings_format format, size_t index) {
  size_t columns = kz_results_get_column_count(results);
  switch (format) {
  case FMT_CSV:
  case FMT_TSV:
    for (size_t i = 0; i < columns; i++) {
      if (i)
        fputc(format == FMT_CSV ? ',' : '\t', out);
      const kz_term *term = kz_results_get_value(results, i);
      if (term && format == FMT_CSV)
        csv_term(out, term);
      else if (term)
        kz_write_term_nt(out, term);
    }
    fputs(format == FMT_CSV ? "\r\n" : "\n", out);
    break;
  case FMT_JSON: {
    fputs(index ? ",\n    {" : "\n    {", out);
    int first = 1;
    for (size_t i = 0; i < columns; i++) {
      const kz_term *term = kz_results_get_value(results, i);
      if (!term)
        continue;
      fputs(first ? " " : ", ", out);
      first = 0;
      json_string(out, kz_results_get_column_name(results, i));
      fputs(": ", out);
      json_term(out, term);
    }
    fputs(" }", out);
    break;
  }
  case FMT_XML:
    fputs("    <result>\n", out);
    for (size_t i = 0; i < columns; i++) {
      const kz_term *term = kz_results_get_value(results, i);
      if (!term)
        continue;
      fputs("      <binding name=\"", out);
      xml_text(out, kz_results_get_column_name(results, i));
      fputs("\">", out);
      xml_term(out, term);
      fputs("</binding>\n", out);
    }
    fputs("    </result>\n", out);
    break;
  case FMT_TABLE:
    break;
  }
}

static void write_tail(FILE *out, bindings_format format) {
  if (format == FMT_JSON)
    fputs("\n  ] }\n}\n", out);
  else if (format == FMT_XML)
    fputs("  </results>\n</sparql>\n", out);
}

/* The current triple as a key for duplicate checks: each term as its kind
 * and its strings (a literal's language, else its datatype), each string
 * after its length, so that two triples share a key only when they are the
 * same triple. Built in one allocation: a memstream per triple was slow,
 * and under ASan many threads opening and closing memstreams at that rate
 * trip the fclose/open_memstream race of its interceptors
 * (google/sanitizers#1619). Caller frees. */
static char *triple_key(kz_results *results) {
  const char *parts[3][3];
  int kinds[3];
  size_t size = 1;
  for (size_t i = 0; i < 3; i++) {
    const kz_term *t = kz_results_get_value(results, i);
    kinds[i] = t ? (int)t->kind : 0;
    parts[i][0] = t && t->value ? t->value : "";
    parts[i][1] = t && t->language ? t->language : "";
    parts[i][2] = t && !t->language && t->datatype ? t->datatype : "";
    for (size_t j = 0; j < 3; j++)
      size += strlen(parts[i][j]) + 24; /* " LENGTH:" */
    size += 8;                          /* the kind and '|' */
  }
  char *key = malloc(size), *p = key;
  if (!key)
    return NULL;
  for (size_t i = 0; i < 3; i++) {
    p += sprintf(p, "%d", kinds[i]);
    for (size_t j = 0; j < 3; j++)
      p += sprintf(p, " %zu:%s", strlen(parts[i][j]), parts[i][j]);
    *p++ = '|';
  }
  *p = '\0';
  return key;
}

/* A CONSTRUCT result is a graph, a set: each triple is written once. */
static kz_status write_graph(kz_results *results, FILE *out, const char *format,
                             size_t *rows, kz_error *err) {
  kz_graph_writer *writer = kz_graph_writer_new(out, format);
  kz_strset *seen = kz_strset_new();
  if (!writer || !seen) {
    kz_graph_writer_finish(writer);
    kz_strset_free(seen);
    return kz_fail(err, KZ_ERR_NOMEM, "results", 0, 0, "cannot start the %s writer", format);
  }
  kz_status status;
  size_t count = 0;
  while ((status = kz_results_next(results, err)) == KZ_OK) {
    char *key = triple_key(results);
    int fresh = key ? kz_strset_add(seen, key) : -1;
    free(key);
    if (fresh < 0) {
      status = kz_fail(err, KZ_ERR_NOMEM, "results", 0, 0, "out of memory");
      break;
    }
    if (!fresh)
      continue;
    if (kz_graph_writer_add(writer, kz_results_get_value(results, 0),
                            kz_results_get_value(results, 1),
                            kz_results_get_value(results, 2), NULL) != 0) {
      status = kz_fail(err, KZ_ERR_IO, "results", 0, 0, "cannot write %s output", format);
      break;
    }
    count++;
  }
  if (kz_graph_writer_finish(writer) != 0 && status == KZ_DONE)
    status = kz_fail(err, KZ_ERR_IO, "results", 0, 0, "cannot write %s output", format);
  kz_strset_free(seen);
  if (rows)
    *rows = count;
  return status == KZ_DONE ? KZ_OK : status;
}

kz_status kz_results_write(kz_results *results, FILE *out, const char *format,
                           size_t *rows, kz_error *err) {
  kz_results_kind kind = kz_results_get_kind(results);
  if (rows)
    *rows = 0;
  if (!format)
    format = kind == KZ_RESULTS_GRAPH ? "turtle" : "table";
  if (!kz_results_format_supported(kind, format))
    return kz_fail(err, KZ_ERR_ARGUMENT, format, 0, 0,
                   kind == KZ_RESULTS_GRAPH
                       ? "unknown format for graph results (expected turtle, ntriples, nquads, rdfxml or jsonld)"
                       : "unknown format for results (expected table, csv, tsv, json or xml)");
  if (kind == KZ_RESULTS_GRAPH)
    return write_graph(results, out, format, rows, err);
  bindings_format fmt = (bindings_format)bindings_format_of(format);
  if (kind == KZ_RESULTS_BOOLEAN) {
    write_boolean(results, out, fmt);
  } else if (fmt == FMT_TABLE) {
    TRY(write_table(results, out, rows, err));
  } else {
    write_head(results, out, fmt);
    kz_status status;
    size_t count = 0;
    while ((status = kz_results_next(results, err)) == KZ_OK)
      write_row(results, out, fmt, count++);
    if (status != KZ_DONE)
      return status;
    write_tail(out, fmt);
    if (rows)
      *rows = count;
  }
  if (fflush(out) != 0 || ferror(out))
    return kz_fail(err, KZ_ERR_IO, "output", 0, 0, "cannot write the results");
  return KZ_OK;
}
