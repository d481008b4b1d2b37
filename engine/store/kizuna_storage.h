/*
 * The "kizuna" Redland storage: a librdf storage module over the quad index
 * (index.h), registered through Redland's public storage-module interface
 * (rdf_storage_module.h) so that Redland's model API, parsers, serializers
 * and the rasqal query engine run on it unchanged. It backs the "memory"
 * store. Never installed.
 *
 * What Redland sees:
 *  - a storage with contexts. A statement added without a context is the
 *    quad (s, p, o, no graph); one added in context g is (s, p, o, g). Adding
 *    a quad that is there already changes nothing (set semantics), so
 *    librdf_model_size counts distinct quads.
 *  - find_statements and serialise (librdf_model_find_statements,
 *    librdf_model_as_stream) answer over the union of all graphs: each
 *    distinct triple once, with no context node. The context functions
 *    (librdf_model_context_as_stream, librdf_model_find_statements_in_context)
 *    answer in one graph and report it as the stream's context.
 *  - transactions: start, commit, rollback. Adds inside a transaction are
 *    kept aside and merged into the index at commit (or before anything
 *    reads the storage); a rollback takes back exactly the quads the
 *    transaction added and puts back those it removed.
 *  - streams stay valid while the storage changes: before any change, the
 *    streams still reading the index copy the rest of their matches, so a
 *    caller may add or remove statements while it iterates and sees the
 *    matches as they were when the change came.
 */
#ifndef KZ_STORE_KIZUNA_STORAGE_H
#define KZ_STORE_KIZUNA_STORAGE_H

#include <redland.h>

#include "kizuna/status.h"
#include "store/index.h"

/* The name the factory is registered under (librdf_new_storage's first
 * name argument). */
#define KZ_STORAGE_NAME "kizuna"

/* Registers the "kizuna" storage factory with world. Call once per world,
 * after librdf_world_open (registering again is harmless). KZ_ERR_INTERNAL
 * when Redland refuses the factory. */
kz_status kz_storage_register(librdf_world *world);

/* The quad index of a kizuna storage: borrowed, valid until the storage is
 * freed (its contents change with the storage). NULL when storage is NULL or
 * is not a kizuna storage. Adds of a transaction still open may not be in it
 * yet; call it between transactions. */
kz_index *kz_storage_index(librdf_storage *storage);

/* Adds quads of IDs of storage's own index (4 per quad; interned there
 * with kz_index_intern) in one bulk step: what kz_store_load does for a
 * kizuna storage instead of making librdf_statements. Quads already there
 * add nothing. Not inside a transaction (KZ_ERR_INTERNAL). KZ_ERR_NOMEM
 * leaves the quads added so far (callers check the space first: see
 * load.c). */
kz_status kz_storage_add_ids(librdf_storage *storage, const kz_id *quads, size_t count);

/* Replaces the (empty) index of a freshly made kizuna storage with index
 * (one opened from a file): takes ownership of index, even on failure
 * (KZ_ERR_INTERNAL when storage is no empty kizuna storage). */
kz_status kz_storage_adopt_index(librdf_storage *storage, kz_index *index);

#endif
