/*
 * Validation reports: an array of results whose strings the report owns,
 * counted by severity as they are added and sorted once when validation is
 * done (severity, most severe first, then focus node, path, message,
 * value), so that output does not depend on the order in which a storage
 * hands out statements.
 *
 * Each entry keeps its value term beside the public result; result.value
 * points at it only after kz_report_finish, when the array no longer moves.
 *
 * Writers: text for people (the value is added to a message that does not
 * show it), and the W3C sh:ValidationReport as an RDF graph
 * through the shared graph writer. In the graph, blank nodes of the data
 * and of the shapes are relabelled (d_LABEL, s_LABEL) so they cannot clash
 * with the report's own (report, resultN, pathN).
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "serialize/serialize.h"
#include "validate/validate_internal.h"

typedef struct entry {
  kz_validation_result result; /* its strings are owned by the entry */
  kz_term value;
  int has_value;
} entry;

struct kz_report {
  entry *entries;
  size_t count;
  size_t capacity;
  size_t by_severity[KZ_SEVERITY_VIOLATION + 1];
};

kz_report *kz_report_new(void) { return calloc(1, sizeof(kz_report)); }

/* The report owns the strings behind its const pointers. */
static void free_string(const char *s) { free((void *)s); }

static void term_clear(kz_term *term) {
  free_string(term->value);
  free_string(term->language);
  free_string(term->datatype);
  memset(term, 0, sizeof *term);
}

static int term_copy(kz_term *to, const kz_term *from) {
  memset(to, 0, sizeof *to);
  to->kind = from->kind;
  to->value = kz_strdup(from->value ? from->value : "");
  to->language = kz_strdup(from->language);
  to->datatype = kz_strdup(from->datatype);
  if (!to->value || (from->language && !to->language) || (from->datatype && !to->datatype)) {
    term_clear(to);
    return -1;
  }
  return 0;
}

static void entry_clear(entry *e) {
  term_clear(&e->result.focus);
  term_clear(&e->result.shape);
  term_clear(&e->value);
  free_string(e->result.path);
  free_string(e->result.message);
}

void kz_report_free(kz_report *report) {
  if (!report)
    return;
  for (size_t i = 0; i < report->count; i++)
    entry_clear(&report->entries[i]);
  free(report->entries);
  free(report);
}

kz_status kz_report_add(kz_report *report, const kz_validation_result *result, kz_error *err) {
  entry *grown = kz_grow(report->entries, &report->capacity, report->count + 1, sizeof *grown, 32);
  if (!grown)
    return kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
  report->entries = grown;
  entry *e = &report->entries[report->count];
  memset(e, 0, sizeof *e);
  e->result.severity = result->severity;
  e->result.inverse_path = result->inverse_path;
  e->result.component = result->component; /* static */
  e->has_value = result->value != NULL;
  int failed = term_copy(&e->result.focus, &result->focus) != 0 ||
               term_copy(&e->result.shape, &result->shape) != 0 ||
               (result->value && term_copy(&e->value, result->value) != 0);
  e->result.path = kz_strdup(result->path);
  e->result.message = kz_strdup(result->message ? result->message : "");
  if (failed || (result->path && !e->result.path) || !e->result.message) {
    entry_clear(e);
    return kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  report->count++;
  report->by_severity[result->severity]++;
  return KZ_OK;
}

static int compare_strings(const char *a, const char *b) {
  if (!a || !b)
    return (a != NULL) - (b != NULL);
  return strcmp(a, b);
}

static int compare_terms(const kz_term *a, const kz_term *b) {
  if (a->kind != b->kind)
    return (int)a->kind - (int)b->kind;
  int c = strcmp(a->value, b->value);
  if (c == 0)
    c = compare_strings(a->datatype, b->datatype);
  return c ? c : compare_strings(a->language, b->language);
}

static int compare_entries(const void *left, const void *right) {
  const entry *a = left, *b = right;
  if (a->result.severity != b->result.severity)
    return (int)b->result.severity - (int)a->result.severity;
  int c = compare_terms(&a->result.focus, &b->result.focus);
  if (c == 0)
    c = compare_strings(a->result.path, b->result.path);
  if (c == 0)
    c = a->result.inverse_path - b->result.inverse_path;
  if (c == 0)
    c = strcmp(a->result.message, b->result.message);
  if (c == 0)
    c = a->has_value - b->has_value;
  if (c == 0 && a->has_value)
    c = compare_terms(&a->value, &b->value);
  return c;
}

void kz_report_finish(kz_report *report) {
  if (report->count)
    qsort(report->entries, report->count, sizeof *report->entries, compare_entries);
  for (size_t i = 0; i < report->count; i++) {
    entry *e = &report->entries[i];
    e->result.value = e->has_value ? &e->value : NULL;
  }
}

size_t kz_report_get_count(const kz_report *report) { return report->count; }

const kz_validation_result *kz_report_get_result(const kz_report *report, size_t i) {
  return i < report->count ? &report->entries[i].result : NULL;
}

size_t kz_report_count(const kz_report *report, kz_severity severity) {
  return severity >= KZ_SEVERITY_INFO && severity <= KZ_SEVERITY_VIOLATION
             ? report->by_severity[severity]
             : 0;
}

int kz_report_conforms(const kz_report *report) { return report->count == 0; }

const char *kz_severity_name(kz_severity severity) {
  switch (severity) {
  case KZ_SEVERITY_INFO: return "Info";
  case KZ_SEVERITY_WARNING: return "Warning";
  case KZ_SEVERITY_VIOLATION: return "Violation";
  }
  return "Violation";
}

char *kz_term_compact(const kz_term *term) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  if (!out)
    return NULL;
  kz_write_term_turtle(out, term);
  if (fclose(out) != 0) {
    free(text);
    return NULL;
  }
  return text;
}

static void write_text(const kz_report *report, FILE *out) {
  for (size_t i = 0; i < report->count; i++) {
    const kz_validation_result *r = &report->entries[i].result;
    fprintf(out, "%s ", kz_severity_name(r->severity));
    kz_write_term_turtle(out, &r->focus);
    if (r->path) {
      fputs(r->inverse_path ? " ^" : " ", out);
      kz_write_iri_turtle(out, r->path);
    }
    fprintf(out, ": %s", r->message);
    /* A shape's own sh:message may not say which value is wrong. */
    char *value = r->value ? kz_term_compact(r->value) : NULL;
    if (value && !strstr(r->message, value))
      fprintf(out, " (value: %s)", value);
    free(value);
    fputc('\n', out);
  }
  size_t violations = report->by_severity[KZ_SEVERITY_VIOLATION];
  size_t warnings = report->by_severity[KZ_SEVERITY_WARNING];
  size_t infos = report->by_severity[KZ_SEVERITY_INFO];
  fprintf(out, "%zu violation%s, %zu warning%s", violations, violations == 1 ? "" : "s",
          warnings, warnings == 1 ? "" : "s");
  if (infos)
    fprintf(out, ", %zu info%s", infos, infos == 1 ? "" : "s");
  fputc('\n', out);
}

/* Writing the graph: terms built here live until the triple is added. */
typedef struct graph_out {
  kz_graph_writer *writer;
  int failed;
} graph_out;

static kz_term iri_term(const char *iri) {
  kz_term term = {KZ_TERM_IRI, iri, NULL, NULL};
  return term;
}

static kz_term blank_term(const char *label) {
  kz_term term = {KZ_TERM_BLANK, label, NULL, NULL};
  return term;
}

static void add(graph_out *g, const kz_term *s, const kz_term *p, const kz_term *o) {
  if (!g->failed && kz_graph_writer_add(g->writer, s, p, o, NULL) != 0)
    g->failed = 1;
}

static void add_iri(graph_out *g, const kz_term *s, const char *p, const char *o) {
  kz_term predicate = iri_term(p), object = iri_term(o);
  add(g, s, &predicate, &object);
}

/* Adds (s, p, term), relabelling a blank term with prefix. */
static void add_term(graph_out *g, const kz_term *s, const char *p, const kz_term *term,
                     const char *prefix) {
  kz_term predicate = iri_term(p);
  if (term->kind != KZ_TERM_BLANK) {
    add(g, s, &predicate, term);
    return;
  }
  size_t n = strlen(prefix) + strlen(term->value) + 1;
  char *label = malloc(n);
  if (!label) {
    g->failed = 1;
    return;
  }
  snprintf(label, n, "%s%s", prefix, term->value);
  kz_term relabelled = blank_term(label);
  add(g, s, &predicate, &relabelled);
  free(label);
}

static void add_result(graph_out *g, const kz_term *report_node, size_t i,
                       const kz_validation_result *r) {
  char label[64], path_label[64];
  snprintf(label, sizeof label, "result%zu", i + 1);
  snprintf(path_label, sizeof path_label, "path%zu", i + 1);
  kz_term node = blank_term(label);
  kz_term predicate = iri_term(KZ_NS_SH "result");
  add(g, report_node, &predicate, &node);
  add_iri(g, &node, KZ_NS_RDF "type", KZ_NS_SH "ValidationResult");
  add_term(g, &node, KZ_NS_SH "focusNode", &r->focus, "d_");
  if (r->path && r->inverse_path) {
    kz_term path_node = blank_term(path_label);
    kz_term result_path = iri_term(KZ_NS_SH "resultPath");
    add(g, &node, &result_path, &path_node);
    add_iri(g, &path_node, KZ_NS_SH "inversePath", r->path);
  } else if (r->path) {
    add_iri(g, &node, KZ_NS_SH "resultPath", r->path);
  }
  if (r->value)
    add_term(g, &node, KZ_NS_SH "value", r->value, "d_");
  static const char *const severities[] = {NULL, KZ_NS_SH "Info", KZ_NS_SH "Warning",
                                           KZ_NS_SH "Violation"};
  add_iri(g, &node, KZ_NS_SH "resultSeverity", severities[r->severity]);
  add_term(g, &node, KZ_NS_SH "sourceShape", &r->shape, "s_");
  add_iri(g, &node, KZ_NS_SH "sourceConstraintComponent", r->component);
  kz_term message = {KZ_TERM_LITERAL, r->message, NULL, NULL};
  add_term(g, &node, KZ_NS_SH "resultMessage", &message, "");
}

static kz_status write_graph(const kz_report *report, FILE *out, const char *format,
                             kz_error *err) {
  graph_out g = {kz_graph_writer_new(out, format), 0};
  if (!g.writer)
    return kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
  kz_term report_node = blank_term("report");
  add_iri(&g, &report_node, KZ_NS_RDF "type", KZ_NS_SH "ValidationReport");
  kz_term conforms = {KZ_TERM_LITERAL, report->count ? "false" : "true", NULL,
                      KZ_NS_XSD "boolean"};
  add_term(&g, &report_node, KZ_NS_SH "conforms", &conforms, "");
  for (size_t i = 0; i < report->count; i++)
    add_result(&g, &report_node, i, &report->entries[i].result);
  if (kz_graph_writer_finish(g.writer) != 0 || g.failed)
    return kz_fail(err, KZ_ERR_IO, NULL, 0, 0, "cannot write the validation report");
  return KZ_OK;
}

kz_status kz_report_write(const kz_report *report, FILE *out, const char *format,
                          kz_error *err) {
  if (!format || strcmp(format, "text") == 0) {
    write_text(report, out);
    if (fflush(out) != 0 || ferror(out))
      return kz_fail(err, KZ_ERR_IO, NULL, 0, 0, "cannot write the validation report");
    return KZ_OK;
  }
  if (strcmp(format, "turtle") != 0 && strcmp(format, "ntriples") != 0 &&
      strcmp(format, "rdfxml") != 0)
    return kz_fail(err, KZ_ERR_ARGUMENT, format, 0, 0,
                   "unknown report format (expected text, turtle, ntriples or rdfxml)");
  return write_graph(report, out, format, err);
}
