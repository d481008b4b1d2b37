/*
 * Writers shared by results and export: the prefix table, terms in
 * N-Triples/Turtle syntax, and RDF graph output (Raptor, TriG, JSON-LD).
 */
#ifndef KZ_SERIALIZE_H
#define KZ_SERIALIZE_H

#include <stdio.h>

#include <raptor2.h>

#include "kizuna/results.h"
#include "kizuna/term.h"

typedef struct kz_prefix {
  const char *prefix;
  const char *iri;
} kz_prefix;

/* The prefixes Kizuna writes, NULL-terminated. */
extern const kz_prefix kz_prefixes[];

/* The entry whose IRI is the longest start of iri and leaves a local name
 * that needs no escaping in Turtle; NULL if none. */
const kz_prefix *kz_prefix_for(const char *iri);

/* Writes term in N-Triples syntax (<iri>, "lit"@en, "1"^^<dt>, _:b). */
void kz_write_term_nt(FILE *out, const kz_term *term);

/* Writes term in Turtle syntax, compacting IRIs with kz_prefixes. */
void kz_write_term_turtle(FILE *out, const kz_term *term);

/* Writes an IRI, prefixed if possible, else <iri>. */
void kz_write_iri_turtle(FILE *out, const char *iri);

/* Graph writers: one quad at a time, then finish. Formats: "turtle",
 * "ntriples", "nquads", "rdfxml", "trig", "jsonld". The JSON-LD writer
 * buffers everything and writes at finish; the others stream. */
typedef struct kz_graph_writer kz_graph_writer;

/* NULL if the format is unknown or on out of memory. out is borrowed. */
kz_graph_writer *kz_graph_writer_new(FILE *out, const char *format);
/* graph may be NULL (default graph). Returns 0 on success. */
int kz_graph_writer_add(kz_graph_writer *writer, const kz_term *subject,
                        const kz_term *predicate, const kz_term *object,
                        const kz_term *graph);
/* Flushes and frees. Returns 0 on success. Accepts NULL. */
int kz_graph_writer_finish(kz_graph_writer *writer);

/* Non-zero if format names a graph format. */
int kz_graph_format_supported(const char *format);

/* The JSON-LD back end of the graph writer (jsonld.c): one compact JSON-LD
 * 1.1 document with the kz_prefixes as its context, a node object per
 * subject and a {"@id", "@graph"} node per named graph, written in a
 * stable order at finish. NULL on out of memory; out is borrowed. */
typedef struct kz_jsonld_writer kz_jsonld_writer;
kz_jsonld_writer *kz_jsonld_writer_new(FILE *out);
/* Copies the terms. graph may be NULL (default graph). Returns -1 on out of
 * memory or for a quad JSON-LD cannot carry (a relative IRI, a literal
 * subject, a non-IRI predicate), else 0. */
int kz_jsonld_writer_add(kz_jsonld_writer *writer, const kz_term *subject,
                         const kz_term *predicate, const kz_term *object,
                         const kz_term *graph);
/* Writes the document (nothing if an add failed) and frees. Returns 0 on
 * success. Accepts NULL. */
int kz_jsonld_writer_finish(kz_jsonld_writer *writer);

#endif
