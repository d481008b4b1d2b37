/*
 * RDF graph writers. Turtle, N-Triples, N-Quads and RDF/XML go through
 * Raptor's serializers, each in a raptor_world lent to the writer alone from
 * the process-wide pool of core/raptor_worlds.c (a world is never shared by
 * two threads at once, and never freed: freeing one cleans up libxml2 under
 * the other threads' feet), whose log handler only records that an error
 * happened; TriG, which Raptor cannot write, is
 * written here: the prefix table first, then one block per graph with the
 * quads in the order they come, consecutive triples of one subject joined
 * with ';'. Callers hand quads grouped by graph. JSON-LD is jsonld.c's
 * buffered writer.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/raptor_worlds.h"
#include "serialize/serialize.h"

struct kz_graph_writer {
  FILE *out;
  int trig;
  kz_jsonld_writer *jsonld; /* the JSON-LD path, when not NULL */
  /* Raptor path */
  kz_raptor_lease *lease;
  raptor_world *world; /* the lease's */
  raptor_serializer *serializer;
  int failed;
  /* TriG path: the open graph block and the last subject written in it */
  int in_block;
  char *block_graph;
  char *last_subject; /* kind letter + value */
};

static const struct {
  const char *name;
  const char *raptor;
} raptor_formats[] = {
    {"turtle", "turtle"},
    {"ntriples", "ntriples"},
    {"nquads", "nquads"},
    {"rdfxml", "rdfxml-abbrev"},
};

static const char *raptor_name(const char *format) {
  for (size_t i = 0; i < sizeof raptor_formats / sizeof raptor_formats[0]; i++)
    if (strcmp(format, raptor_formats[i].name) == 0)
      return raptor_formats[i].raptor;
  return NULL;
}

int kz_graph_format_supported(const char *format) {
  return format && (raptor_name(format) || strcmp(format, "trig") == 0 ||
                    strcmp(format, "jsonld") == 0);
}

static void write_prefixes(FILE *out) {
  for (const kz_prefix *p = kz_prefixes; p->prefix; p++)
    fprintf(out, "@prefix %s: <%s> .\n", p->prefix, p->iri);
  fputc('\n', out);
}

kz_graph_writer *kz_graph_writer_new(FILE *out, const char *format) {
  if (!kz_graph_format_supported(format))
    return NULL;
  kz_graph_writer *writer = calloc(1, sizeof *writer);
  if (!writer)
    return NULL;
  writer->out = out;
  if (strcmp(format, "jsonld") == 0) {
    if (!(writer->jsonld = kz_jsonld_writer_new(out)))
      goto fail;
    return writer;
  }
  if (strcmp(format, "trig") == 0) {
    writer->trig = 1;
    write_prefixes(out);
    return writer;
  }
  if (!(writer->lease = kz_raptor_lease_take(&writer->failed)))
    goto fail;
  writer->world = kz_raptor_lease_world(writer->lease);
  writer->serializer = raptor_new_serializer(writer->world, raptor_name(format));
  if (!writer->serializer)
    goto fail;
  int wants_prefixes = strcmp(format, "turtle") == 0 || strcmp(format, "rdfxml") == 0;
  for (const kz_prefix *p = kz_prefixes; wants_prefixes && p->prefix; p++) {
    raptor_uri *uri = raptor_new_uri(writer->world, (const unsigned char *)p->iri);
    if (!uri)
      goto fail;
    raptor_serializer_set_namespace(writer->serializer, uri, (const unsigned char *)p->prefix);
    raptor_free_uri(uri);
  }
  if (raptor_serializer_start_to_file_handle(writer->serializer, NULL, out) != 0)
    goto fail;
  return writer;
fail:
  if (writer->serializer)
    raptor_free_serializer(writer->serializer);
  kz_raptor_lease_return(writer->lease);
  free(writer);
  return NULL;
}

static raptor_term *to_raptor(raptor_world *world, const kz_term *term) {
  if (!term)
    return NULL;
  switch (term->kind) {
  case KZ_TERM_IRI:
    return raptor_new_term_from_uri_string(world, (const unsigned char *)term->value);
  case KZ_TERM_BLANK:
    return raptor_new_term_from_blank(world, (const unsigned char *)term->value);
  case KZ_TERM_LITERAL: {
    raptor_uri *datatype = term->datatype
        ? raptor_new_uri(world, (const unsigned char *)term->datatype) : NULL;
    raptor_term *literal = raptor_new_term_from_literal(
        world, (const unsigned char *)term->value, datatype,
        (const unsigned char *)term->language);
    if (datatype)
      raptor_free_uri(datatype);
    return literal;
  }
  }
  return NULL;
}

static char *term_key(const kz_term *term) {
  size_t n = strlen(term->value);
  char *key = malloc(n + 2);
  if (key) {
    key[0] = (char)('0' + term->kind);
    memcpy(key + 1, term->value, n + 1);
  }
  return key;
}

static int trig_add(kz_graph_writer *writer, const kz_term *subject, const kz_term *predicate,
                    const kz_term *object, const kz_term *graph) {
  FILE *out = writer->out;
  const char *graph_name = graph ? graph->value : "";
  if (!writer->in_block || strcmp(writer->block_graph, graph_name) != 0) {
    if (writer->in_block)
      fputs(" .\n}\n\n", out);
    free(writer->block_graph);
    free(writer->last_subject);
    writer->last_subject = NULL;
    if (!(writer->block_graph = kz_strdup(graph_name)))
      return -1;
    writer->in_block = 1;
    if (graph) {
      kz_write_term_turtle(out, graph);
      fputc(' ', out);
    }
    fputs("{\n", out);
  }
  char *key = term_key(subject);
  if (!key)
    return -1;
  if (writer->last_subject && strcmp(writer->last_subject, key) == 0) {
    fputs(" ;\n    ", out);
    free(key);
  } else {
    if (writer->last_subject)
      fputs(" .\n", out);
    free(writer->last_subject);
    writer->last_subject = key;
    fputs("  ", out);
    kz_write_term_turtle(out, subject);
    fputc(' ', out);
  }
  kz_write_term_turtle(out, predicate);
  fputc(' ', out);
  kz_write_term_turtle(out, object);
  return ferror(out) ? -1 : 0;
}

int kz_graph_writer_add(kz_graph_writer *writer, const kz_term *subject,
                        const kz_term *predicate, const kz_term *object,
                        const kz_term *graph) {
  if (writer->jsonld)
    return kz_jsonld_writer_add(writer->jsonld, subject, predicate, object, graph);
  if (writer->trig)
    return trig_add(writer, subject, predicate, object, graph);
  raptor_term *s = to_raptor(writer->world, subject);
  raptor_term *p = to_raptor(writer->world, predicate);
  raptor_term *o = to_raptor(writer->world, object);
  raptor_term *g = to_raptor(writer->world, graph);
  if (!s || !p || !o || (graph && !g)) {
    raptor_free_term(s);
    raptor_free_term(p);
    raptor_free_term(o);
    raptor_free_term(g);
    return -1;
  }
  raptor_statement *statement = raptor_new_statement_from_nodes(writer->world, s, p, o, g);
  if (!statement)
    return -1;
  int rc = raptor_serializer_serialize_statement(writer->serializer, statement);
  raptor_free_statement(statement);
  return rc != 0 || writer->failed ? -1 : 0;
}

int kz_graph_writer_finish(kz_graph_writer *writer) {
  if (!writer)
    return 0;
  int rc = 0;
  if (writer->jsonld) {
    rc = kz_jsonld_writer_finish(writer->jsonld);
  } else if (writer->trig) {
    if (writer->in_block)
      fputs(writer->last_subject ? " .\n}\n" : "}\n", writer->out);
    free(writer->block_graph);
    free(writer->last_subject);
  } else {
    rc = raptor_serializer_serialize_end(writer->serializer);
    raptor_free_serializer(writer->serializer);
    kz_raptor_lease_return(writer->lease);
  }
  if (fflush(writer->out) != 0 || ferror(writer->out) || writer->failed)
    rc = -1;
  free(writer);
  return rc;
}
