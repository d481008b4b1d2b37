/**
 * @file store.h
 * @brief Stores: open, load RDF files into named graphs, inspect, close.
 *
 * A store is a Redland model with contexts: every loaded file is its own
 * named graph, and queries see the union of all graphs as their default
 * graph. Store specs:
 *   - "memory"       in memory, the default: Kizuna's quad index (a term
 *                    dictionary and sorted ID permutations) as a Redland
 *                    storage module
 *   - "hashes"       in memory: Redland's "hashes" storage (hash-type
 *                    memory), kept for comparison
 *   - "kizuna:PATH"  persistent: Kizuna's storage saved as one file that
 *                    opens by mmap (no re-parsing); created by the first
 *                    writer, written by kz_store_save
 *   - "sqlite:PATH"  persistent SQLite file; created by the first writer
 *
 * A persistent store is locked while open: many readers or one writer. A
 * second process that would conflict gets KZ_ERR_LOCKED instead of waiting
 * or corrupting the file.
 */
#ifndef KIZUNA_STORE_H
#define KIZUNA_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "kizuna/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open store. Opaque. */
typedef struct kz_store kz_store;

/** Options for kz_store_open. Initialise with KZ_STORE_OPTIONS_INIT. */
typedef struct kz_store_options {
  unsigned int version;
  int read_only; /**< non-zero: never write; a missing persistent store is an error */
} kz_store_options;

#define KZ_STORE_OPTIONS_VERSION 1
#define KZ_STORE_OPTIONS_INIT {KZ_STORE_OPTIONS_VERSION, 0}

/**
 * Opens the store named by spec ("memory", "hashes", "kizuna:PATH" or "sqlite:PATH"; NULL
 * means "memory"). options may be NULL for the defaults.
 * On success *out is a new store: caller frees with kz_store_free.
 */
kz_status kz_store_open(kz_store **out, const char *spec,
                        const kz_store_options *options, kz_error *err);

/** Closes the store and releases its lock. Accepts NULL. */
void kz_store_free(kz_store *store);

/** Options for kz_store_load. Initialise with KZ_LOAD_OPTIONS_INIT. */
typedef struct kz_load_options {
  unsigned int version;
  const char *syntax; /**< raptor parser name or a short alias; NULL: by extension */
  const char *graph;  /**< named graph IRI; NULL: the file's own IRI */
  const char *base;   /**< base IRI; NULL: the file's IRI */
} kz_load_options;

#define KZ_LOAD_OPTIONS_VERSION 1
#define KZ_LOAD_OPTIONS_INIT {KZ_LOAD_OPTIONS_VERSION, NULL, NULL, NULL}

/**
 * Parses the RDF file at path and adds its triples to a named graph.
 * Syntaxes: turtle (.ttl), ntriples (.nt), nquads (.nq), trig (.trig),
 * rdfxml (.rdf, .owl, .xml), rdfjson (.rj, .json). N-Quads and TriG keep
 * their own graphs; the graph option then names the graph of default-graph
 * triples only.
 * The load is all or nothing: on any error (KZ_ERR_SYNTAX with the line and
 * column, KZ_ERR_IO, ...) the store is left exactly as it was before.
 * Loading triples that are already in the graph adds nothing (set semantics).
 * *added, if not NULL, receives the number of new quads.
 */
kz_status kz_store_load(kz_store *store, const char *path,
                        const kz_load_options *options, uint64_t *added,
                        kz_error *err);

/**
 * Loads the project's bundled data from datadir: every ".ttl" file of
 * datadir/ontology (but shapes.ttl) and of datadir/datasets, in name order,
 * each into the graph https://w3id.org/kizuna/graph/NAME (NAME: file name
 * without its extension).
 */
kz_status kz_store_load_bundled(kz_store *store, const char *datadir,
                                kz_error *err);

/**
 * The IRI of a local file, as kz_store_load names its graph by default
 * ("file:///abs/path", percent-encoded). Caller frees with free(); NULL on
 * out of memory.
 */
char *kz_file_iri(const char *path);

/**
 * Makes the changes to a kizuna:PATH store durable: writes the whole store
 * to PATH.tmp, syncs it and renames it over PATH, so that a crash leaves
 * either the old or the new store, never half of one. Unsaved changes are
 * lost when the store is freed. Other stores write as they go: nothing to do.
 */
kz_status kz_store_save(kz_store *store, kz_error *err);

/** The graph IRI bundled files are loaded into. */
#define KZ_BUNDLED_GRAPH_BASE "https://w3id.org/kizuna/graph/"

/**
 * Removes every quad of the named graph (nothing if there is none).
 */
kz_status kz_store_drop_graph(kz_store *store, const char *graph, kz_error *err);

/** A name with a count, as kz_stats lists them. */
typedef struct kz_count {
  char *name; /**< an IRI */
  uint64_t count;
} kz_count;

/** A summary of a store. A plain value: caller frees with kz_stats_free. */
typedef struct kz_stats {
  uint64_t quads;           /**< statements over all graphs */
  size_t graph_count;
  kz_count *graphs;         /**< quads per named graph, by name */
  size_t class_count;
  kz_count *classes;        /**< instances per rdf:type object, most first */
  size_t property_count;
  kz_count *properties;     /**< uses per predicate, most first */
} kz_stats;

/** Computes the summary of store. On success caller frees *out with kz_stats_free. */
kz_status kz_store_stats(kz_stats **out, kz_store *store, kz_error *err);

/** Frees stats. Accepts NULL. */
void kz_stats_free(kz_stats *stats);

/**
 * Writes the store to out in format: "turtle", "ntriples", "nquads", "trig",
 * "rdfxml" or "jsonld". graph, if not NULL, restricts the output to that
 * named graph (KZ_ERR_NOT_FOUND if there is none). Without graph, the triple
 * formats (turtle, ntriples, rdfxml) write the union of all graphs and the
 * quad formats (nquads, trig, jsonld) keep each graph. out is borrowed and
 * not closed.
 */
kz_status kz_store_export(kz_store *store, FILE *out, const char *format,
                          const char *graph, kz_error *err);

#ifdef __cplusplus
}
#endif
#endif
