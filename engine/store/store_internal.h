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

/* Messages Redland, Raptor and Rasqal log while a capture is active. */
typedef struct kz_log_capture {
  int active;
  int have_error;
  kz_error error; /* the first error logged; source left empty */
} kz_log_capture;

struct kz_store {
  librdf_world *world;
  librdf_storage *storage;
  librdf_model *model;
  char *spec;
  int read_only;
  int lock_fd;         /* -1 for memory stores */
  kz_strset *quad_set; /* quads already stored, for storages that keep duplicates */
  kz_log_capture log;
};

/* A statement in a graph. */
typedef struct kz_quad {
  librdf_statement *statement;
  librdf_node *graph;
} kz_quad;

/* Adds quads, all or none: inside a transaction where the storage has them
 * (SQLite), or with an undo list where it does not (the in-memory hashes
 * storage, where quads already stored are skipped here). The quads stay the
 * caller's. source names the input in errors. */
kz_status kz_store_add_quads(kz_store *store, const kz_quad *quads, size_t count,
                             const char *source, kz_error *err);

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
