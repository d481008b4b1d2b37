/*
 * The inside of a kz_store, shared by the modules that work on it (load,
 * query, serialize). Never installed.
 */
#ifndef KZ_STORE_INTERNAL_H
#define KZ_STORE_INTERNAL_H

#include <redland.h>

#include "core/strset.h"
#include "kizuna/store.h"
#include "kizuna/term.h"
#include "store/index.h"

/* Messages Redland, Raptor and Rasqal log while a capture is active. */
typedef struct kz_log_capture {
  int active;
  int have_error;
  kz_error error; /* the first error logged; source left empty */
} kz_log_capture;

/*
 * Storages by spec: "memory" is the kizuna storage (kizuna_storage.h, over
 * a kz_index), "hashes" Redland's hashes storage in memory (kept for
 * comparison), "sqlite:PATH" Redland's SQLite storage.
 */
struct kz_store {
  librdf_world *world;
  librdf_storage *storage;
  librdf_model *model;
  char *spec;
  int read_only;
  int lock_fd;         /* -1 for memory stores */
  kz_strset *quad_set; /* quads already stored, for storages that keep duplicates (hashes) */
  char *save_path;     /* kizuna:PATH: where kz_store_save writes */
  int dirty;           /* changed since opened or saved */
  kz_index *snapshot;  /* kz_store_get_index's copy of a non-kizuna storage; NULL when stale */
  kz_log_capture log;
};

/* A statement in a graph. */
typedef struct kz_quad {
  librdf_statement *statement;
  librdf_node *graph;
} kz_quad;

/* Adds quads, all or none: inside a transaction where the storage has them
 * (kizuna, SQLite), or with an undo list where it does not (the hashes
 * storage, where quads already stored are skipped here). The quads stay the
 * caller's. source names the input in errors. */
kz_status kz_store_add_quads(kz_store *store, const kz_quad *quads, size_t count,
                             const char *source, kz_error *err);

/*
 * The store's quads as a kz_index, for the SPARQL evaluator's ID-level reads
 * (match a pattern of IDs, ID <-> term, statistics) without librdf_nodes.
 * For a kizuna storage ("memory") this is the storage's own index, flushed;
 * for any other storage, a snapshot built from the model (every quad with
 * its graph), made on the first call and kept until the store is modified.
 * On success *out is borrowed: valid until the store is next modified
 * through the kz_store API (load, drop graph, infer) or freed. Read it only;
 * changes go through the model. KZ_ERR_NOMEM or KZ_ERR_INTERNAL otherwise.
 */
kz_status kz_store_get_index(kz_store *store, kz_index **out, kz_error *err);

/* Tells the store that it is about to change: drops the snapshot index of
 * kz_store_get_index. Every writer of the kz_store API calls it. */
void kz_store_changed(kz_store *store);

/* Starts capturing library messages into store->log. */
void kz_store_log_begin(kz_store *store);
/* Stops capturing; returns 1 if an error was logged since kz_store_log_begin. */
int kz_store_log_end(kz_store *store);

/* The key of a quad in quad_set (N-Quads-like); caller frees. NULL on OOM. */
char *kz_store_quad_key(librdf_statement *statement, librdf_node *graph);

/* Fills term from node, borrowing node's strings. xsd:string and
 * rdf:langString datatypes are left out (simple and language literals). */
void kz_store_node_to_term(librdf_node *node, kz_term *term);

#endif
