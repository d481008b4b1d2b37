/*
 * The quad index: Kizuna's own in-memory representation of a dataset, the
 * inside of the "kizuna" Redland storage (kizuna_storage.c) and what the
 * SPARQL evaluator (engine/eval) reads.
 *
 * Two parts:
 *  - a term dictionary: every IRI, blank node and literal stored once and
 *    given a dense integer ID (1, 2, 3, ...; 0 is "no term"). IDs are never
 *    reused nor removed, so a kz_term handed out for an ID stays valid for
 *    the index's lifetime. Two terms get the same ID exactly when they are
 *    the same RDF term (kind, lexical form, datatype, language tag; the
 *    language tag compared case-insensitively, stored lower-cased).
 *  - quads as fixed-width ID tuples (s, p, o, g) kept in sorted
 *    permutations, so that every pattern, with any positions bound, in one
 *    graph or over the union of all graphs, is one range scan. g is 0 for a
 *    statement stored without a graph (Redland's "no context").
 *
 * Adds are buffered: kz_index_add appends to a buffer that is sorted,
 * deduplicated and merged into the permutations in one pass when the index
 * is next read (or by kz_index_flush), so bulk loads never insert triple
 * by triple. Removes flush first.
 *
 * Threads: reading functions may run concurrently once the index is flushed
 * (kz_index_flush) and while nothing writes. Writes need exclusive access.
 */
#ifndef KZ_STORE_INDEX_H
#define KZ_STORE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kizuna/status.h"
#include "kizuna/term.h"

typedef uint32_t kz_id;
#define KZ_ID_NONE ((kz_id)0)

typedef struct kz_index kz_index;

/* An empty index. On success caller frees *out with kz_index_free. */
kz_status kz_index_new(kz_index **out);

/* Frees the index and every term it handed out. Accepts NULL. */
void kz_index_free(kz_index *index);

/* ---- the term dictionary ------------------------------------------------ */

/* The ID of term, adding it if it is new. Literals with datatype xsd:string
 * are stored as simple literals (RDF 1.1: the same term); a literal with a
 * language has no datatype. KZ_ERR_NOMEM on out of memory. */
kz_status kz_index_intern(kz_index *index, const kz_term *term, kz_id *out);

/* The ID of term, or KZ_ID_NONE if the index has never seen it. */
kz_id kz_index_lookup(const kz_index *index, const kz_term *term);

/* The term of id (1..kz_index_term_count): borrowed, valid until the index
 * is freed. NULL for KZ_ID_NONE or an ID out of range. */
const kz_term *kz_index_term(const kz_index *index, kz_id id);

/* Number of terms in the dictionary; IDs run from 1 to this. */
size_t kz_index_term_count(const kz_index *index);

/* ---- quads ---------------------------------------------------------------- */

/* Adds the quad (s, p, o, g) (g KZ_ID_NONE: no graph). Adding a quad that
 * is there already changes nothing. Buffered (see above). */
kz_status kz_index_add(kz_index *index, kz_id s, kz_id p, kz_id o, kz_id g);

/* Removes the quad; *removed (if not NULL) tells whether it was there. */
kz_status kz_index_remove(kz_index *index, kz_id s, kz_id p, kz_id o, kz_id g, bool *removed);

/* Applies buffered removes, then sorts and merges buffered adds. Cheap
 * when there are none; otherwise linear in the size of the index (the
 * sorted arrays move), so batch changes between reads. KZ_ERR_NOMEM leaves
 * the index consistent, with what could not be applied still buffered. */
kz_status kz_index_flush(kz_index *index);

/* Number of quads (distinct (s, p, o, g)). Flushes. */
size_t kz_index_quad_count(kz_index *index);

/* How a pattern treats graphs. */
typedef enum kz_match_mode {
  KZ_MATCH_UNION = 0, /* g ignored: each distinct triple of any graph once,
                         with quad[3] set to KZ_ID_NONE */
  KZ_MATCH_GRAPH,     /* g bound: the quads of graph g (KZ_ID_NONE: those
                         without a graph); g KZ_ID_NONE and any_graph: every
                         quad of every graph */
} kz_match_mode;

/*
 * A pattern to match: KZ_ID_NONE in s, p or o is a wildcard. In
 * KZ_MATCH_GRAPH mode, any_graph makes g a wildcard too (over every quad,
 * including those without a graph).
 */
typedef struct kz_pattern {
  kz_id s, p, o, g;
  kz_match_mode mode;
  bool any_graph;
} kz_pattern;

/*
 * A cursor over the quads matching a pattern, in the order of the
 * permutation that answers it. A plain value the caller keeps (on the
 * stack); no allocation, nothing to free. Valid while the index is not
 * modified. The fields are private.
 */
typedef struct kz_cursor {
  const kz_id *pos, *end; /* the remaining range: 4 IDs per tuple */
  const uint8_t *order;   /* word i of a tuple is quad[order[i]] */
  bool distinct_triples;  /* UNION mode: skip a triple's copies in other
                             graphs (they follow it: g is the last word) */
} kz_cursor;

/* Starts a match. Flushes the index first (hence not const); should that
 * flush fail for lack of memory, the match sees the quads as they were
 * before the buffered changes (kz_index_flush reports the failure). */
void kz_index_match(kz_index *index, const kz_pattern *pattern, kz_cursor *cursor);

/* The next matching quad into quad[4] (s, p, o, g): true, or false at the
 * end. */
bool kz_cursor_next(kz_cursor *cursor, kz_id quad[4]);

/* An upper bound of the number of matches of pattern, from the size of the
 * range that answers it (exact except that UNION mode counts a triple once
 * per graph). Two binary searches; no scan. */
size_t kz_index_estimate(kz_index *index, const kz_pattern *pattern);

/* True when the quad is in the index (pattern fully bound; mode as above).
 * With wildcards: whether anything matches. One binary search. */
bool kz_index_contains(kz_index *index, const kz_pattern *pattern);

/* Statistics of one predicate over the union of all graphs, for the query
 * planner. Computed at flush time. */
typedef struct kz_predicate_stats {
  size_t triples;           /* distinct triples with this predicate */
  size_t distinct_subjects;
  size_t distinct_objects;
} kz_predicate_stats;

/* Stats of predicate p; all zero for an unknown predicate. */
kz_predicate_stats kz_index_predicate_stats(kz_index *index, kz_id p);

/* The distinct graph IDs that hold at least one quad (KZ_ID_NONE excluded),
 * ascending. Borrowed, valid until the index is next modified; *count set. */
const kz_id *kz_index_graphs(kz_index *index, size_t *count);

/* ---- files ---------------------------------------------------------------- */

/*
 * Writes the whole index (dictionary, quads, statistics) to the file path,
 * crash-safely: into "path.tmp", synced, renamed over path, and the
 * directory synced. Flushes first. The index stays usable and unchanged.
 * KZ_ERR_IO (err names the file and the cause) or KZ_ERR_NOMEM on failure;
 * then path is untouched and no "path.tmp" is left behind, except when only
 * the final sync of the directory fails (KZ_ERR_IO, "saved, but ...").
 */
kz_status kz_index_save(kz_index *index, const char *path, kz_error *err);

/*
 * Opens an index saved by kz_index_save. The file is mapped read-only and
 * its arrays are used in place: nothing is parsed or sorted, only the term
 * records are rebuilt; an array is copied into memory the first time it has
 * to change, and the file itself is never written. The file's header
 * checksum and the checksum of its whole payload are verified, every
 * section against the file's size, and the quads for order and known term
 * IDs, so a damaged file is refused, never half read (about 0.15 s for a
 * file of 1M quads). On success caller frees *out with kz_index_free (which unmaps the
 * file; meanwhile the file may be replaced or deleted, as kz_index_save
 * does, but not rewritten in place). On failure *out is
 * NULL and err names the file: KZ_ERR_NOT_FOUND (no such file), KZ_ERR_IO
 * (cannot read it), KZ_ERR_SYNTAX (not an index file, truncated or
 * corrupted), KZ_ERR_UNSUPPORTED (another format version or byte order),
 * KZ_ERR_NOMEM.
 */
kz_status kz_index_open_file(kz_index **out, const char *path, kz_error *err);

#endif
