/*
 * The quad index (the contract is in index.h).
 *
 * Dictionary. Every term is stored once. Its strings live in an arena of
 * large chunks (value, NUL, then for a language-tagged literal the tag
 * lower-cased and a NUL); its kz_term lives in blocks of TERM_BLOCK_SIZE
 * records indexed by ID. Neither chunks nor blocks ever move, so every
 * pointer handed out stays valid until the index is freed. Datatype IRIs are
 * interned on their own, once each, and typed literals point at the shared
 * copy. An open-addressing table with linear probing maps a term to its ID:
 * a slot is 64 bits, the high half of the term's XXH3 hash (the "tag") above
 * the ID, 0 when empty. The position comes from the tag, so the table grows
 * without touching a string, and the tag rejects nearly every wrong
 * candidate before a string is compared. The table is at most 3/4 full.
 *
 * Quads. Six sorted arrays of 4-ID tuples, one per permutation, each tuple
 * laid out in its permutation's order so that the sort order is plain
 * lexicographic order on four words: SPOG, POSG, OSPG (g last: a union-graph
 * pattern binds a prefix of them, and the copies of one triple in several
 * graphs are adjacent, so the cursor skips them) and GSPO, GPOS, GOSP (g
 * first: patterns in one graph). For every set of bound positions one array
 * has exactly those positions as a prefix, so a match is one range, found by
 * two binary searches, and the cursor never filters. Invariant: the six
 * arrays hold the same quad_count distinct quads, strictly ascending.
 *
 * Changes. kz_index_add appends to a pending buffer (SPOG layout, unsorted,
 * duplicates allowed). kz_index_remove first flushes pending adds, then marks
 * the quad's SPOG position in a bitmap, so every pending remove precedes
 * every pending add and a flush applies removes first. Removes: the marked
 * tuples, read from SPOG in order, are re-sorted into each layout and
 * squeezed out of each array in one pass. Adds: the buffer is sorted by LSD
 * radix passes (16-byte records, digit width from the largest ID present),
 * deduplicated and stripped of quads already present; the other layouts are
 * derived from it by stable radix passes on the fields that move to the front
 * only (POSG from SPOG by o then p, OSPG from SPOG by o, each g-first layout
 * from its g-last twin by g), and each is merged into its array in place from
 * the back. All memory a step needs is taken before any array changes, so a
 * flush that fails for lack of memory leaves the arrays consistent, with
 * what it could not apply still pending. Then the graph list (jumps through
 * GSPO) and the per-predicate statistics (one pass over POSG for triples and
 * objects, one over SPOG for subjects) are rebuilt. A flush thus costs time
 * linear in the size of the index, whatever it applies: the index is made
 * for bulk loads and batched updates, not for a read after every add. Big
 * arrays ask for transparent huge pages, which cuts page faults and TLB
 * misses several-fold on a large load.
 *
 * Files. kz_index_save writes the dictionary, the hash table, the six arrays,
 * the statistics and the graph list into one file (format below, at
 * "Persistence"); kz_index_open_file maps it read-only and uses those arrays
 * in place. Only the kz_term records (which hold pointers) are rebuilt at
 * open. An array that must change is first copied into memory (the *_owned
 * flags say which arrays are ours to write and free).
 */
#include "store/index.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/internal.h"

#define TERM_BLOCK_BITS 14
#define TERM_BLOCK_SIZE ((size_t)1 << TERM_BLOCK_BITS)
#define ARENA_CHUNK_SIZE ((size_t)1 << 20)
#define MAX_TERMS ((size_t)UINT32_MAX - 1)
#define XSD_STRING "http://www.w3.org/2001/XMLSchema#string"
/* Below this many tuples, insertion sort beats the radix passes. */
#define SMALL_SORT 48
/* A pending buffer larger than this is freed after a flush, not kept. */
#define PENDING_KEEP 4096

typedef struct tuple {
  kz_id w[4];
} tuple;

enum { SPOG, POSG, OSPG, GSPO, GPOS, GOSP, PERM_COUNT };

/* perm_layout[perm][i]: the quad position (0 s, 1 p, 2 o, 3 g) that word i
 * of a tuple of that permutation holds. Also the cursor's order map. */
static const uint8_t perm_layout[PERM_COUNT][4] = {{0, 1, 2, 3}, {1, 2, 0, 3}, {2, 0, 1, 3},
                                                   {3, 0, 1, 2}, {3, 1, 2, 0}, {3, 2, 0, 1}};

/* The union-graph permutation whose prefix is exactly the bound positions,
 * indexed by a mask of them (s 1, p 2, o 4); the one-graph twin is +3. */
static const uint8_t perm_for_mask[8] = {SPOG, SPOG, POSG, SPOG, OSPG, OSPG, POSG, SPOG};

/* How each derived layout is sorted from its source: the source layout, and
 * the words (of the derived layout) to sort by, least significant first. */
static const struct {
  uint8_t source;
  uint8_t word_count;
  uint8_t words[2];
} derivation[PERM_COUNT] = {
    [POSG] = {SPOG, 2, {1, 0}}, [OSPG] = {SPOG, 1, {0, 0}}, [GSPO] = {SPOG, 1, {0, 0}},
    [GPOS] = {POSG, 1, {0, 0}}, [GOSP] = {OSPG, 1, {0, 0}},
};

/* One predicate's statistics; also the file's record for them. */
typedef struct stats_entry {
  kz_id predicate;
  uint32_t reserved;
  uint64_t triples, subjects, objects;
} stats_entry;

typedef struct arena_chunk {
  struct arena_chunk *next;
  char data[];
} arena_chunk;

struct kz_index {
  /* dictionary */
  kz_term **term_blocks; /* block b holds IDs b*TERM_BLOCK_SIZE ... */
  size_t term_block_count, term_block_cap;
  size_t term_count;
  uint64_t *slots; /* mask + 1 slots, or NULL when empty */
  size_t slot_mask;
  bool slots_owned;
  arena_chunk *chunks;
  char *arena_next;
  size_t arena_left;
  const char **datatypes; /* interned datatype IRIs */
  size_t datatype_count, datatype_cap;
  uint64_t *datatype_slots; /* tag << 32 | (index + 1) */
  size_t datatype_mask;
  /* quads */
  tuple *perm[PERM_COUNT];
  bool perm_owned[PERM_COUNT];
  size_t quad_count;
  tuple *pending;
  size_t pending_count, pending_cap;
  uint64_t *removed_bits; /* over SPOG positions; NULL when none */
  size_t removed_count;
  /* summaries, rebuilt by every flush that changes something */
  stats_entry *stats;
  size_t stats_count;
  bool stats_owned;
  bool stats_stale; /* to be recounted at the next flush */
  bool graphs_stale;
  kz_id *graphs;
  size_t graph_count;
  bool graphs_owned;
  /* the file the arrays may come from */
  void *map;
  size_t map_size;
};

/* ---- small helpers ------------------------------------------------------- */

static inline int tuple_cmp(const tuple *a, const tuple *b) {
  for (int i = 0; i < 4; i++)
    if (a->w[i] != b->w[i])
      return a->w[i] < b->w[i] ? -1 : 1;
  return 0;
}

static inline bool tuple_eq(const tuple *a, const tuple *b) {
  return a->w[0] == b->w[0] && a->w[1] == b->w[1] && a->w[2] == b->w[2] && a->w[3] == b->w[3];
}

/* Compares the first `len` words of t with key. */
static inline int prefix_cmp(const tuple *t, const kz_id *key, int len) {
  for (int i = 0; i < len; i++)
    if (t->w[i] != key[i])
      return t->w[i] < key[i] ? -1 : 1;
  return 0;
}

/* First index in [lo, hi) whose prefix is >= key (upper: > key), or hi. */
static size_t search(const tuple *a, size_t lo, size_t hi, const kz_id *key, int len, bool upper) {
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = prefix_cmp(&a[mid], key, len);
    if (c < 0 || (upper && c == 0))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Like search over [lo, n), but galloping from lo: cheap when the answer is
 * near lo, as in the merge-like walks of a flush. */
static size_t gallop(const tuple *a, size_t lo, size_t n, const kz_id *key, int len, bool upper) {
  size_t step = 1, hi = lo;
  while (hi < n) {
    int c = prefix_cmp(&a[hi], key, len);
    if (!(c < 0 || (upper && c == 0)))
      break;
    lo = hi + 1;
    hi = hi + step < n ? hi + step : n;
    step <<= 1;
  }
  return search(a, lo, hi, key, len, upper);
}

static inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* a (stored, lower-case) equals b ignoring ASCII case. */
static bool equal_ignoring_case(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (*a != ascii_lower(*b))
      return false;
  return *a == *b;
}

static bool same_string(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* Asks for transparent huge pages over the 2 MB-aligned middle of a big
 * array: far fewer page faults while it fills and TLB misses while it is
 * probed at random. Only advice; failure changes nothing. */
static void *advise_huge(void *p, size_t size) {
  const size_t huge = (size_t)2 << 20;
  if (p && size >= 2 * huge) {
    size_t skip = (huge - (size_t)((uintptr_t)p % huge)) % huge;
    (void)madvise((char *)p + skip, (size - skip) / huge * huge, MADV_HUGEPAGE);
  }
  return p;
}

/* ---- the term dictionary ------------------------------------------------- */

/* A term as the dictionary sees it: normalised, lengths known. */
typedef struct norm_term {
  kz_term_kind kind;
  const char *value, *language, *datatype;
  size_t value_len, language_len, datatype_len;
} norm_term;

static bool normalize(const kz_term *term, norm_term *out) {
  if (!term || !term->value)
    return false;
  memset(out, 0, sizeof *out);
  out->kind = term->kind;
  out->value = term->value;
  out->value_len = strlen(term->value);
  switch (term->kind) {
  case KZ_TERM_IRI:
  case KZ_TERM_BLANK: return true;
  case KZ_TERM_LITERAL:
    if (term->language && term->language[0]) {
      out->language = term->language;
      out->language_len = strlen(term->language);
    } else if (term->datatype && term->datatype[0] && strcmp(term->datatype, XSD_STRING) != 0) {
      out->datatype = term->datatype;
      out->datatype_len = strlen(term->datatype);
    }
    return true;
  }
  return false;
}

static uint64_t hash_term(const norm_term *t) {
  uint64_t h = XXH3_64bits_withSeed(t->value, t->value_len, (uint64_t)t->kind);
  if (t->language) {
    /* Hash the tag lower-cased, a stack buffer at a time. */
    char buf[64];
    size_t done = 0;
    h ^= 0x6c616e67756167ULL;
    while (done < t->language_len) {
      size_t n = t->language_len - done < sizeof buf ? t->language_len - done : sizeof buf;
      for (size_t i = 0; i < n; i++)
        buf[i] = ascii_lower(t->language[done + i]);
      h = XXH3_64bits_withSeed(buf, n, h);
      done += n;
    }
  } else if (t->datatype) {
    h = XXH3_64bits_withSeed(t->datatype, t->datatype_len, h ^ 0x6461746174797065ULL);
  }
  return h;
}

static inline kz_term *term_at(const kz_index *index, kz_id id) {
  return &index->term_blocks[id >> TERM_BLOCK_BITS][id & (TERM_BLOCK_SIZE - 1)];
}

static bool term_equal(const kz_term *stored, const norm_term *t) {
  if (stored->kind != t->kind || strcmp(stored->value, t->value) != 0)
    return false;
  if ((stored->language == NULL) != (t->language == NULL))
    return false;
  if (t->language && !equal_ignoring_case(stored->language, t->language))
    return false;
  return same_string(stored->datatype, t->datatype);
}

/* The slot of t (holding its ID), or the empty slot where it would go, or
 * SIZE_MAX when the table is empty or (from a damaged file) has no empty
 * slot. */
static size_t find_slot(const kz_index *index, const norm_term *t, uint32_t tag) {
  if (!index->slots)
    return SIZE_MAX;
  size_t mask = index->slot_mask, pos = tag & mask;
  for (size_t probes = 0; probes <= mask; probes++, pos = (pos + 1) & mask) {
    uint64_t slot = index->slots[pos];
    if (slot == 0)
      return pos;
    kz_id id = (kz_id)slot;
    if ((uint32_t)(slot >> 32) == tag && id >= 1 && id <= index->term_count &&
        term_equal(term_at(index, id), t))
      return pos;
  }
  return SIZE_MAX;
}

/* A table of our own holding the same entries: twice as big when needed
 * for one more term, the same size when only taking over a file's table. */
static kz_status grow_slots(kz_index *index) {
  size_t old_count = index->slots ? index->slot_mask + 1 : 0;
  size_t count = old_count ? old_count : 1024;
  while ((index->term_count + 1) * 4 > count * 3)
    count *= 2;
  uint64_t *slots = advise_huge(calloc(count, sizeof *slots), count * sizeof *slots);
  if (!slots)
    return KZ_ERR_NOMEM;
  size_t mask = count - 1;
  for (size_t i = 0; i < old_count; i++) {
    uint64_t slot = index->slots[i];
    if ((kz_id)slot == KZ_ID_NONE || (kz_id)slot > index->term_count)
      continue; /* empty (or, from a damaged file, no term) */
    size_t pos = (size_t)(slot >> 32) & mask;
    while (slots[pos])
      pos = (pos + 1) & mask;
    slots[pos] = slot;
  }
  if (index->slots_owned)
    free(index->slots);
  index->slots = slots;
  index->slot_mask = mask;
  index->slots_owned = true;
  return KZ_OK;
}

static char *arena_alloc(kz_index *index, size_t size) {
  if (size > index->arena_left) {
    /* A big string gets a chunk of its own; the current chunk stays open. */
    bool own = size > ARENA_CHUNK_SIZE / 4;
    size_t capacity = own ? size : ARENA_CHUNK_SIZE;
    arena_chunk *chunk = malloc(sizeof *chunk + capacity);
    if (!chunk)
      return NULL;
    chunk->next = index->chunks;
    index->chunks = chunk;
    if (own)
      return chunk->data;
    index->arena_next = chunk->data;
    index->arena_left = capacity;
  }
  char *p = index->arena_next;
  index->arena_next += size;
  index->arena_left -= size;
  return p;
}

/* The datatype table: tag << 32 | (index + 1) in each slot. */
static size_t find_datatype(const kz_index *index, const char *iri, uint32_t tag) {
  size_t mask = index->datatype_mask, pos = tag & mask;
  for (;; pos = (pos + 1) & mask) {
    uint64_t slot = index->datatype_slots[pos];
    if (slot == 0 ||
        ((uint32_t)(slot >> 32) == tag && strcmp(index->datatypes[(uint32_t)slot - 1], iri) == 0))
      return pos;
  }
}

static void add_datatype_slot(kz_index *index, size_t i, uint32_t tag) {
  size_t mask = index->datatype_mask, pos = tag & mask;
  while (index->datatype_slots[pos])
    pos = (pos + 1) & mask;
  index->datatype_slots[pos] = (uint64_t)tag << 32 | (uint64_t)(i + 1);
}

static kz_status grow_datatypes(kz_index *index) {
  size_t count = index->datatype_slots ? (index->datatype_mask + 1) * 2 : 16;
  uint64_t *slots = calloc(count, sizeof *slots);
  if (!slots)
    return KZ_ERR_NOMEM;
  uint64_t *old = index->datatype_slots;
  size_t old_count = old ? index->datatype_mask + 1 : 0;
  index->datatype_slots = slots;
  index->datatype_mask = count - 1;
  for (size_t i = 0; i < old_count; i++)
    if (old[i])
      add_datatype_slot(index, (uint32_t)old[i] - 1, (uint32_t)(old[i] >> 32));
  free(old);
  return KZ_OK;
}

static uint32_t datatype_tag(const char *iri, size_t len) {
  return (uint32_t)(XXH3_64bits(iri, len) >> 32);
}

/* The shared copy of a datatype IRI, adding it if new. */
static kz_status intern_datatype(kz_index *index, const char *iri, size_t len, const char **out) {
  uint32_t tag = datatype_tag(iri, len);
  if (index->datatype_slots) {
    size_t pos = find_datatype(index, iri, tag);
    if (index->datatype_slots[pos]) {
      *out = index->datatypes[(uint32_t)index->datatype_slots[pos] - 1];
      return KZ_OK;
    }
  }
  if (!index->datatype_slots || (index->datatype_count + 1) * 4 > (index->datatype_mask + 1) * 3)
    TRY(grow_datatypes(index));
  const char **grown =
      kz_grow(index->datatypes, &index->datatype_cap, index->datatype_count + 1, sizeof *grown, 16);
  if (!grown)
    return KZ_ERR_NOMEM;
  index->datatypes = grown;
  char *copy = arena_alloc(index, len + 1);
  if (!copy)
    return KZ_ERR_NOMEM;
  memcpy(copy, iri, len + 1);
  index->datatypes[index->datatype_count] = copy;
  add_datatype_slot(index, index->datatype_count, tag);
  index->datatype_count++;
  *out = copy;
  return KZ_OK;
}

/* The index of an interned datatype pointer (for saving). */
static size_t datatype_index(const kz_index *index, const char *interned) {
  size_t pos = find_datatype(index, interned, datatype_tag(interned, strlen(interned)));
  return (uint32_t)index->datatype_slots[pos] - 1;
}

/* Room for one more kz_term record. */
static kz_status reserve_term(kz_index *index) {
  size_t id = index->term_count + 1;
  size_t block = id >> TERM_BLOCK_BITS;
  if (block < index->term_block_count)
    return KZ_OK;
  kz_term **grown = kz_grow(index->term_blocks, &index->term_block_cap, index->term_block_count + 1,
                            sizeof *grown, 16);
  if (!grown)
    return KZ_ERR_NOMEM;
  index->term_blocks = grown;
  /* Not zeroed: a record is written whole before its ID is handed out. */
  kz_term *records =
      advise_huge(malloc(TERM_BLOCK_SIZE * sizeof *records), TERM_BLOCK_SIZE * sizeof *records);
  if (!records)
    return KZ_ERR_NOMEM;
  index->term_blocks[index->term_block_count++] = records;
  return KZ_OK;
}

kz_status kz_index_intern(kz_index *index, const kz_term *term, kz_id *out) {
  norm_term t;
  if (out)
    *out = KZ_ID_NONE;
  if (!index || !normalize(term, &t))
    return KZ_ERR_ARGUMENT;
  uint32_t tag = (uint32_t)(hash_term(&t) >> 32);
  size_t pos = find_slot(index, &t, tag);
  if (pos != SIZE_MAX && index->slots[pos]) {
    if (out)
      *out = (kz_id)index->slots[pos];
    return KZ_OK;
  }
  if (index->term_count >= MAX_TERMS)
    return KZ_ERR_NOMEM;
  /* Take every resource first, so a failure adds nothing. */
  if (!index->slots || !index->slots_owned ||
      (index->term_count + 1) * 4 > (index->slot_mask + 1) * 3) {
    TRY(grow_slots(index));
    pos = find_slot(index, &t, tag);
  }
  if (pos == SIZE_MAX)
    return KZ_ERR_INTERNAL; /* a full table: cannot happen at 3/4 load */
  TRY(reserve_term(index));
  const char *datatype = NULL;
  if (t.datatype)
    TRY(intern_datatype(index, t.datatype, t.datatype_len, &datatype));
  size_t size = t.value_len + 1 + (t.language ? t.language_len + 1 : 0);
  char *text = arena_alloc(index, size);
  if (!text)
    return KZ_ERR_NOMEM;
  memcpy(text, t.value, t.value_len + 1);
  char *language = NULL;
  if (t.language) {
    language = text + t.value_len + 1;
    for (size_t i = 0; i < t.language_len; i++)
      language[i] = ascii_lower(t.language[i]);
    language[t.language_len] = '\0';
  }
  kz_id id = (kz_id)(index->term_count + 1);
  *term_at(index, id) = (kz_term){t.kind, text, language, datatype};
  index->term_count = id;
  index->slots[pos] = (uint64_t)tag << 32 | id;
  if (out)
    *out = id;
  return KZ_OK;
}

kz_id kz_index_lookup(const kz_index *index, const kz_term *term) {
  norm_term t;
  if (!index || !normalize(term, &t))
    return KZ_ID_NONE;
  size_t pos = find_slot(index, &t, (uint32_t)(hash_term(&t) >> 32));
  return pos == SIZE_MAX ? KZ_ID_NONE : (kz_id)index->slots[pos];
}

const kz_term *kz_index_term(const kz_index *index, kz_id id) {
  if (!index || id == KZ_ID_NONE || id > index->term_count)
    return NULL;
  return term_at(index, id);
}

size_t kz_index_term_count(const kz_index *index) { return index ? index->term_count : 0; }

/* ---- lifetime ------------------------------------------------------------ */

kz_status kz_index_new(kz_index **out) {
  *out = calloc(1, sizeof **out);
  if (!*out)
    return KZ_ERR_NOMEM;
  for (int i = 0; i < PERM_COUNT; i++)
    (*out)->perm_owned[i] = true;
  (*out)->stats_owned = (*out)->graphs_owned = (*out)->slots_owned = true;
  return KZ_OK;
}

void kz_index_free(kz_index *index) {
  if (!index)
    return;
  for (size_t b = 0; b < index->term_block_count; b++)
    free(index->term_blocks[b]);
  free(index->term_blocks);
  if (index->slots_owned)
    free(index->slots);
  for (arena_chunk *c = index->chunks, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(index->datatypes);
  free(index->datatype_slots);
  for (int i = 0; i < PERM_COUNT; i++)
    if (index->perm_owned[i])
      free(index->perm[i]);
  free(index->pending);
  free(index->removed_bits);
  if (index->stats_owned)
    free(index->stats);
  if (index->graphs_owned)
    free(index->graphs);
  if (index->map)
    munmap(index->map, index->map_size);
  free(index);
}

/* ---- sorting ------------------------------------------------------------- */

static void insertion_sort(tuple *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    tuple x = a[i];
    size_t j = i;
    for (; j > 0 && tuple_cmp(&a[j - 1], &x) > 0; j--)
      a[j] = a[j - 1];
    a[j] = x;
  }
}

/* Stable LSD radix sort of a[0..n) by word w alone; tmp has room for n. */
static void sort_by_word(tuple *a, tuple *tmp, size_t n, int w) {
  kz_id bits_seen = 0;
  for (size_t i = 0; i < n; i++)
    bits_seen |= a[i].w[w];
  int bits = 0;
  while (bits < 32 && (bits_seen >> bits) != 0)
    bits++;
  if (bits == 0)
    return;
  int passes = (bits + 10) / 11;
  int digit = (bits + passes - 1) / passes;
  size_t count[1 << 11];
  size_t buckets = (size_t)1 << digit;
  uint32_t mask = (uint32_t)buckets - 1;
  tuple *src = a, *dst = tmp;
  for (int pass = 0; pass < passes; pass++) {
    int shift = pass * digit;
    memset(count, 0, buckets * sizeof count[0]);
    for (size_t i = 0; i < n; i++)
      count[(src[i].w[w] >> shift) & mask]++;
    /* A digit that is the same everywhere orders nothing. */
    if (count[(src[0].w[w] >> shift) & mask] == n)
      continue;
    size_t sum = 0;
    for (size_t b = 0; b < buckets; b++) {
      size_t c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++)
      dst[count[(src[i].w[w] >> shift) & mask]++] = src[i];
    tuple *swap = src;
    src = dst;
    dst = swap;
  }
  if (src != a)
    memcpy(a, src, n * sizeof *a);
}

/* Sorts a[0..n) lexicographically (tmp: room for n when n > SMALL_SORT). */
static void sort_tuples(tuple *a, tuple *tmp, size_t n) {
  if (n <= SMALL_SORT) {
    insertion_sort(a, n);
    return;
  }
  for (int w = 3; w >= 0; w--)
    sort_by_word(a, tmp, n, w);
}

/* dst = src (n distinct tuples in layout `from`, sorted) re-laid out and
 * sorted as layout `to`; derivation[to].source must be `from`. src may be
 * dst. tmp: room for n when n > SMALL_SORT. */
static void derive(const tuple *src, tuple *dst, int to, size_t n, tuple *tmp) {
  int from = derivation[to].source;
  uint8_t take[4];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++)
      if (perm_layout[from][j] == perm_layout[to][i])
        take[i] = (uint8_t)j;
  for (size_t k = 0; k < n; k++) {
    tuple x = src[k];
    dst[k] = (tuple){{x.w[take[0]], x.w[take[1]], x.w[take[2]], x.w[take[3]]}};
  }
  if (n <= SMALL_SORT) {
    insertion_sort(dst, n);
    return;
  }
  for (int i = 0; i < derivation[to].word_count; i++)
    sort_by_word(dst, tmp, n, derivation[to].words[i]);
}

/* ---- applying changes ---------------------------------------------------- */

/* a (n tuples, with room for n + m) := merge of a and b (m tuples, sorted,
 * none in a). From the back, moving runs of a with memmove. */
static void merge_back(tuple *a, size_t n, const tuple *b, size_t m) {
  size_t i = n, k = n + m;
  for (size_t j = m; j > 0; j--) {
    const tuple *x = &b[j - 1];
    /* p: where the run of a[..i) greater than x starts. Gallop backwards. */
    size_t hi = i, step = 1, lo = 0;
    while (hi > 0) {
      size_t probe = hi > step ? hi - step : 0;
      if (tuple_cmp(&a[probe], x) < 0) {
        lo = probe + 1;
        break;
      }
      hi = probe;
      step <<= 1;
    }
    size_t p = search(a, lo, hi, x->w, 4, false);
    size_t run = i - p;
    if (run) {
      memmove(&a[k - run], &a[p], run * sizeof *a);
      k -= run;
      i = p;
    }
    a[--k] = *x;
  }
}

/* Removes from a (n tuples) the k sorted tuples of d, all present. */
static size_t squeeze(tuple *a, size_t n, const tuple *d, size_t k) {
  size_t write = search(a, 0, n, d[0].w, 4, false), read = write;
  for (size_t j = 0; j < k; j++) {
    size_t p = gallop(a, read, n, d[j].w, 4, false);
    if (p == n || !tuple_eq(&a[p], &d[j]))
      continue; /* cannot happen while the arrays agree */
    memmove(&a[write], &a[read], (p - read) * sizeof *a);
    write += p - read;
    read = p + 1;
  }
  memmove(&a[write], &a[read], (n - read) * sizeof *a);
  return write + (n - read);
}

/* Makes perm[i] ours, copying it out of the file, with room for `room`. */
static kz_status own_perm(kz_index *index, int i, size_t room) {
  if (room == 0)
    return KZ_OK;
  if (index->perm_owned[i]) {
    tuple *grown = advise_huge(realloc(index->perm[i], room * sizeof *grown), room * sizeof *grown);
    if (!grown)
      return KZ_ERR_NOMEM;
    index->perm[i] = grown;
    return KZ_OK;
  }
  tuple *copy = advise_huge(malloc(room * sizeof *copy), room * sizeof *copy);
  if (!copy)
    return KZ_ERR_NOMEM;
  if (index->quad_count)
    memcpy(copy, index->perm[i], index->quad_count * sizeof *copy);
  index->perm[i] = copy;
  index->perm_owned[i] = true;
  return KZ_OK;
}

/* ---- predicate statistics ------------------------------------------------
 *
 * A bulk flush recounts them from scratch (refresh_stats: one pass over
 * POSG, one over SPOG). A small one adjusts them: a quad added brings a new
 * triple, a new subject or a new object for its predicate exactly when the
 * index held no (s, p, o), (s, p) or (p, o) before it, and a quad removed
 * takes one away when none is left after it; each is one binary search in
 * SPOG or POSG, and repeats within the batch are adjacent in its sorted
 * order. A batch bringing a predicate without statistics yet is recounted.
 */

/* Where p's entry is (or would go). */
static size_t stats_find(const kz_index *index, kz_id p) {
  size_t lo = 0, hi = index->stats_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (index->stats[mid].predicate < p)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static stats_entry *stats_entry_of(kz_index *index, kz_id p) {
  size_t i = stats_find(index, p);
  return i < index->stats_count && index->stats[i].predicate == p ? &index->stats[i] : NULL;
}

/* Whether batch (m tuples, SPOG) can be counted in, not recounted: a small
 * batch whose predicates all have statistics, which are ours to change. */
static bool stats_can_adjust(kz_index *index, const tuple *batch, size_t m) {
  if (index->stats_stale || m > index->quad_count / 32)
    return false;
  for (size_t j = 0; j < m; j++)
    if ((j == 0 || batch[j].w[1] != batch[j - 1].w[1]) && !stats_entry_of(index, batch[j].w[1]))
      return false;
  if (!index->stats_owned) {
    stats_entry *copy = malloc(index->stats_count * sizeof *copy);
    if (!copy)
      return false;
    memcpy(copy, index->stats, index->stats_count * sizeof *copy);
    index->stats = copy;
    index->stats_owned = true;
  }
  return true;
}

static bool has_prefix(const tuple *a, size_t n, const kz_id *key, int len) {
  size_t i = search(a, 0, n, key, len, false);
  return i < n && prefix_cmp(&a[i], key, len) == 0;
}

static void bump(uint64_t *counter, bool add) {
  if (add)
    ++*counter;
  else if (*counter)
    --*counter;
}

/* Triples and subjects brought (add) or taken away by the batch (SPOG
 * layout, sorted), against SPOG as it is before adds or after removes. */
static void stats_adjust_triples(kz_index *index, const tuple *batch, size_t m, bool add) {
  const tuple *spog = index->perm[SPOG];
  size_t n = index->quad_count;
  for (size_t j = 0; j < m; j++) {
    const tuple *t = &batch[j], *prev = j ? &batch[j - 1] : NULL;
    bool same_pair = prev && prev->w[0] == t->w[0] && prev->w[1] == t->w[1];
    if ((same_pair && prev->w[2] == t->w[2]) || has_prefix(spog, n, t->w, 3))
      continue; /* that triple was counted already, or stays */
    stats_entry *e = stats_entry_of(index, t->w[1]);
    bump(&e->triples, add);
    if (!same_pair && !has_prefix(spog, n, t->w, 2))
      bump(&e->subjects, add);
  }
}

/* Objects brought or taken away by the batch (POSG layout, sorted). */
static void stats_adjust_objects(kz_index *index, const tuple *batch, size_t m, bool add) {
  for (size_t j = 0; j < m; j++) {
    const tuple *t = &batch[j], *prev = j ? &batch[j - 1] : NULL;
    if ((prev && prev->w[0] == t->w[0] && prev->w[1] == t->w[1]) ||
        has_prefix(index->perm[POSG], index->quad_count, t->w, 2))
      continue;
    bump(&stats_entry_of(index, t->w[0])->objects, add);
  }
}

/* Recounts the statistics of every predicate. */
static kz_status refresh_stats(kz_index *index) {
  const tuple *posg = index->perm[POSG], *spog = index->perm[SPOG];
  size_t n = index->quad_count, predicate_count = 0;
  for (size_t i = 0; i < n; i = gallop(posg, i, n, posg[i].w, 1, true))
    predicate_count++;
  if (index->stats_owned)
    free(index->stats);
  index->stats = predicate_count ? calloc(predicate_count, sizeof *index->stats) : NULL;
  index->stats_owned = true;
  index->stats_count = 0;
  index->stats_stale = true;
  if (predicate_count && !index->stats)
    return KZ_ERR_NOMEM;
  index->stats_count = predicate_count;

  /* POSG: distinct (p, o, s) are triples, distinct (p, o) objects. */
  stats_entry *e = NULL;
  for (size_t i = 0, next = 0; i < n; i++) {
    const tuple *t = &posg[i], *prev = i ? &posg[i - 1] : NULL;
    if (!prev || prev->w[0] != t->w[0]) {
      if (next == predicate_count)
        break; /* cannot happen while POSG is sorted */
      e = &index->stats[next++];
      e->predicate = t->w[0];
    }
    bool new_object = !prev || prev->w[0] != t->w[0] || prev->w[1] != t->w[1];
    e->objects += new_object;
    e->triples += new_object || prev->w[2] != t->w[2];
  }
  /* SPOG: distinct (s, p) are subjects. The predicates of one subject come
   * in ascending order, so the entry is usually a few steps on from the
   * previous one; a binary search finds it otherwise. */
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    const tuple *t = &spog[i], *prev = i ? &spog[i - 1] : NULL;
    if (prev && prev->w[0] == t->w[0] && prev->w[1] == t->w[1])
      continue;
    kz_id p = t->w[1];
    size_t probe = at;
    for (int steps = 0; probe < predicate_count && index->stats[probe].predicate < p && steps < 4;
         steps++)
      probe++;
    at = probe < predicate_count && index->stats[probe].predicate == p ? probe
                                                                       : stats_find(index, p);
    if (at < predicate_count && index->stats[at].predicate == p) /* as SPOG and POSG agree */
      index->stats[at].subjects++;
    else
      at = 0;
  }
  index->stats_stale = false;
  return KZ_OK;
}

/* Rebuilds the list of graphs: jumps through GSPO, one per graph. */
static kz_status refresh_graphs(kz_index *index) {
  const tuple *a = index->perm[GSPO];
  size_t n = index->quad_count, graph_count = 0;
  for (size_t i = 0; i < n; i = gallop(a, i, n, a[i].w, 1, true))
    graph_count += a[i].w[0] != KZ_ID_NONE;
  kz_id *graphs = graph_count ? malloc(graph_count * sizeof *graphs) : NULL;
  if (graph_count && !graphs)
    return KZ_ERR_NOMEM;
  size_t g = 0;
  for (size_t i = 0; i < n; i = gallop(a, i, n, a[i].w, 1, true))
    if (a[i].w[0] != KZ_ID_NONE && g < graph_count)
      graphs[g++] = a[i].w[0];
  if (index->graphs_owned)
    free(index->graphs);
  index->graphs = graphs;
  index->graph_count = graph_count;
  index->graphs_owned = true;
  return KZ_OK;
}

/* ---- applying changes (continued) ------------------------------------------ */

static kz_status apply_removes(kz_index *index) {
  size_t n = index->quad_count, k = index->removed_count;
  tuple *d = malloc(k * sizeof *d), *x = malloc(k * sizeof *x);
  tuple *tmp = k > SMALL_SORT ? malloc(k * sizeof *tmp) : NULL;
  kz_status status = (!d || !x || (k > SMALL_SORT && !tmp)) ? KZ_ERR_NOMEM : KZ_OK;
  for (int i = 0; i < PERM_COUNT && status == KZ_OK; i++)
    status = own_perm(index, i, n);
  if (status != KZ_OK)
    goto cleanup;

  /* SPOG: squeeze out the marked positions, collecting them in order. */
  tuple *spog = index->perm[SPOG];
  size_t write = 0, read = 0, found = 0;
  for (size_t word = 0; word < (n + 63) / 64; word++) {
    for (uint64_t bits = index->removed_bits[word]; bits; bits &= bits - 1) {
      size_t p = word * 64 + (size_t)__builtin_ctzll(bits);
      d[found++] = spog[p];
      memmove(&spog[write], &spog[read], (p - read) * sizeof *spog);
      write += p - read;
      read = p + 1;
    }
  }
  memmove(&spog[write], &spog[read], (n - read) * sizeof *spog);
  bool adjust = stats_can_adjust(index, d, k);

  static const int order[] = {GSPO, OSPG, GOSP, POSG, GPOS};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    int perm = order[i];
    derive(derivation[perm].source == SPOG ? d : x, x, perm, k, tmp);
    squeeze(index->perm[perm], n, x, k);
  }
  index->quad_count = n - k;
  free(index->removed_bits);
  index->removed_bits = NULL;
  index->removed_count = 0;
  if (adjust) {
    stats_adjust_triples(index, d, k, false);
    derive(d, x, POSG, k, tmp);
    stats_adjust_objects(index, x, k, false);
    size_t kept = 0; /* drop the predicates left without triples */
    for (size_t i = 0; i < index->stats_count; i++)
      if (index->stats[i].triples)
        index->stats[kept++] = index->stats[i];
    index->stats_count = kept;
  } else {
    index->stats_stale = true;
  }
  if (k >= n / 8) /* give back memory after large removes; failure is harmless */
    for (int i = 0; i < PERM_COUNT && index->quad_count; i++) {
      tuple *shrunk = realloc(index->perm[i], index->quad_count * sizeof *shrunk);
      if (shrunk)
        index->perm[i] = shrunk;
    }
cleanup:
  free(d);
  free(x);
  free(tmp);
  return status;
}

static kz_status apply_adds(kz_index *index) {
  size_t n = index->quad_count, m = index->pending_count;
  tuple *b = index->pending, *x = NULL, *tmp = NULL;
  tuple *fresh[PERM_COUNT] = {0};
  kz_status status = KZ_OK;
  if (m > SMALL_SORT && !(tmp = advise_huge(malloc(m * sizeof *tmp), m * sizeof *tmp)))
    return KZ_ERR_NOMEM;
  sort_tuples(b, tmp, m);
  /* Deduplicate, and drop what is there already. */
  size_t kept = 0, lo = 0;
  for (size_t j = 0; j < m; j++) {
    if (kept && tuple_eq(&b[kept - 1], &b[j]))
      continue;
    if (n) {
      lo = gallop(index->perm[SPOG], lo, n, b[j].w, 4, false);
      if (lo < n && tuple_eq(&index->perm[SPOG][lo], &b[j]))
        continue;
    }
    b[kept++] = b[j];
  }
  m = kept;
  static const int order[] = {GSPO, OSPG, GOSP, POSG, GPOS};
  if (m == 0) {
    /* nothing new */
  } else if (n == 0) {
    /* First load: the sorted buffer becomes SPOG, the others derive from
     * it straight into their arrays. */
    for (int i = SPOG + 1; i < PERM_COUNT; i++)
      if (!(fresh[i] = advise_huge(malloc(m * sizeof *fresh[i]), m * sizeof *fresh[i])))
        status = KZ_ERR_NOMEM;
    if (status != KZ_OK)
      goto cleanup;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
      int perm = order[i];
      derive(derivation[perm].source == SPOG ? b : fresh[derivation[perm].source], fresh[perm],
             perm, m, tmp);
    }
    for (int i = 0; i < PERM_COUNT; i++) {
      if (index->perm_owned[i])
        free(index->perm[i]);
      index->perm_owned[i] = true;
      index->perm[i] = fresh[i];
      fresh[i] = NULL;
    }
    tuple *shrunk = realloc(b, m * sizeof *b);
    index->perm[SPOG] = shrunk ? shrunk : b;
    index->pending = NULL;
    index->pending_cap = 0;
    index->quad_count = m;
    index->stats_stale = true;
  } else {
    if (!(x = advise_huge(malloc(m * sizeof *x), m * sizeof *x)))
      status = KZ_ERR_NOMEM;
    for (int i = 0; i < PERM_COUNT && status == KZ_OK; i++)
      status = own_perm(index, i, n + m);
    if (status != KZ_OK)
      goto cleanup;
    bool adjust = stats_can_adjust(index, b, m);
    if (!adjust)
      index->stats_stale = true;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
      int perm = order[i];
      derive(derivation[perm].source == SPOG ? b : x, x, perm, m, tmp);
      if (perm == POSG && adjust)
        stats_adjust_objects(index, x, m, true);
      merge_back(index->perm[perm], n, x, m);
    }
    if (adjust)
      stats_adjust_triples(index, b, m, true);
    merge_back(index->perm[SPOG], n, b, m);
    index->quad_count = n + m;
  }
  index->pending_count = 0;
  if (index->pending_cap > PENDING_KEEP) {
    free(index->pending);
    index->pending = NULL;
    index->pending_cap = 0;
  }
cleanup:
  for (int i = 0; i < PERM_COUNT; i++)
    free(fresh[i]);
  free(x);
  free(tmp);
  return status;
}

kz_status kz_index_flush(kz_index *index) {
  if (!index || (!index->removed_count && !index->pending_count && !index->stats_stale &&
                 !index->graphs_stale))
    return KZ_OK;
  kz_status status = KZ_OK;
  size_t before = index->quad_count;
  if (index->removed_count) {
    status = apply_removes(index);
    index->graphs_stale = index->graphs_stale || status == KZ_OK;
  }
  if (status == KZ_OK && index->pending_count) {
    status = apply_adds(index);
    index->graphs_stale = index->graphs_stale || index->quad_count != before;
  }
  /* The summaries, recounted even when applying failed: what was applied
   * must show in them. A failure here leaves them stale, to be recounted
   * at the next flush. */
  if (index->graphs_stale) {
    kz_status refreshed = refresh_graphs(index);
    index->graphs_stale = refreshed != KZ_OK;
    status = status == KZ_OK ? refreshed : status;
  }
  if (index->stats_stale) {
    kz_status refreshed = refresh_stats(index);
    status = status == KZ_OK ? refreshed : status;
  }
  return status;
}

/* ---- quads --------------------------------------------------------------- */

kz_status kz_index_add(kz_index *index, kz_id s, kz_id p, kz_id o, kz_id g) {
  if (!index || s == KZ_ID_NONE || p == KZ_ID_NONE || o == KZ_ID_NONE || s > index->term_count ||
      p > index->term_count || o > index->term_count || g > index->term_count)
    return KZ_ERR_ARGUMENT;
  if (index->pending_count == index->pending_cap) {
    size_t cap = index->pending_cap ? index->pending_cap * 2 : 256;
    tuple *grown = advise_huge(realloc(index->pending, cap * sizeof *grown), cap * sizeof *grown);
    if (!grown)
      return KZ_ERR_NOMEM;
    index->pending = grown;
    index->pending_cap = cap;
  }
  index->pending[index->pending_count++] = (tuple){{s, p, o, g}};
  return KZ_OK;
}

kz_status kz_index_remove(kz_index *index, kz_id s, kz_id p, kz_id o, kz_id g, bool *removed) {
  if (removed)
    *removed = false;
  if (!index)
    return KZ_ERR_ARGUMENT;
  if (index->pending_count)
    TRY(kz_index_flush(index));
  size_t n = index->quad_count;
  tuple key = {{s, p, o, g}};
  size_t i = search(index->perm[SPOG], 0, n, key.w, 4, false);
  if (i == n || !tuple_eq(&index->perm[SPOG][i], &key))
    return KZ_OK;
  if (!index->removed_bits && !(index->removed_bits = calloc((n + 63) / 64, sizeof(uint64_t))))
    return KZ_ERR_NOMEM;
  uint64_t bit = (uint64_t)1 << (i % 64);
  if (index->removed_bits[i / 64] & bit)
    return KZ_OK;
  index->removed_bits[i / 64] |= bit;
  index->removed_count++;
  if (removed)
    *removed = true;
  return KZ_OK;
}

size_t kz_index_quad_count(kz_index *index) {
  if (!index)
    return 0;
  (void)kz_index_flush(index);
  return index->quad_count;
}

/* The permutation and key prefix that answer pattern. */
static int plan(const kz_pattern *pattern, kz_id key[4], int *len, bool *distinct) {
  kz_id q[4] = {pattern->s, pattern->p, pattern->o, pattern->g};
  int mask = (q[0] != KZ_ID_NONE) | (q[1] != KZ_ID_NONE) << 1 | (q[2] != KZ_ID_NONE) << 2;
  bool one_graph = pattern->mode == KZ_MATCH_GRAPH && !pattern->any_graph;
  int perm = perm_for_mask[mask] + (one_graph ? 3 : 0);
  *len = __builtin_popcount((unsigned)mask) + (one_graph ? 1 : 0);
  *distinct = pattern->mode != KZ_MATCH_GRAPH;
  for (int i = 0; i < 4; i++)
    key[i] = q[perm_layout[perm][i]];
  return perm;
}

/* [*lo, *hi) of the permutation perm matching the key prefix. */
static void find_range(const kz_index *index, int perm, const kz_id *key, int len, size_t *lo,
                       size_t *hi) {
  const tuple *a = index->perm[perm];
  size_t n = index->quad_count;
  *lo = search(a, 0, n, key, len, false);
  *hi = search(a, *lo, n, key, len, true);
}

void kz_index_match(kz_index *index, const kz_pattern *pattern, kz_cursor *cursor) {
  memset(cursor, 0, sizeof *cursor);
  if (!index || !pattern)
    return;
  (void)kz_index_flush(index);
  kz_id key[4];
  int len;
  bool distinct;
  int perm = plan(pattern, key, &len, &distinct);
  size_t lo, hi;
  find_range(index, perm, key, len, &lo, &hi);
  cursor->order = perm_layout[perm];
  cursor->distinct_triples = distinct;
  if (lo < hi) {
    const kz_id *words = (const kz_id *)index->perm[perm];
    cursor->pos = words + 4 * lo;
    cursor->end = words + 4 * hi;
  }
}

bool kz_cursor_next(kz_cursor *cursor, kz_id quad[4]) {
  const kz_id *t = cursor->pos;
  if (t == cursor->end)
    return false;
  const kz_id *next = t + 4;
  const uint8_t *order = cursor->order;
  quad[order[0]] = t[0];
  quad[order[1]] = t[1];
  quad[order[2]] = t[2];
  quad[order[3]] = t[3];
  if (cursor->distinct_triples) {
    /* g is the last word: the triple's copies in other graphs follow. */
    quad[3] = KZ_ID_NONE;
    while (next != cursor->end && next[0] == t[0] && next[1] == t[1] && next[2] == t[2])
      next += 4;
  }
  cursor->pos = next;
  return true;
}

size_t kz_index_estimate(kz_index *index, const kz_pattern *pattern) {
  if (!index || !pattern)
    return 0;
  (void)kz_index_flush(index);
  kz_id key[4];
  int len;
  bool distinct;
  int perm = plan(pattern, key, &len, &distinct);
  size_t lo, hi;
  find_range(index, perm, key, len, &lo, &hi);
  return hi - lo;
}

bool kz_index_contains(kz_index *index, const kz_pattern *pattern) {
  if (!index || !pattern)
    return false;
  (void)kz_index_flush(index);
  kz_id key[4];
  int len;
  bool distinct;
  int perm = plan(pattern, key, &len, &distinct);
  const tuple *a = index->perm[perm];
  size_t n = index->quad_count, i = search(a, 0, n, key, len, false);
  return i < n && prefix_cmp(&a[i], key, len) == 0;
}

kz_predicate_stats kz_index_predicate_stats(kz_index *index, kz_id p) {
  kz_predicate_stats stats = {0, 0, 0};
  if (!index)
    return stats;
  (void)kz_index_flush(index);
  const stats_entry *e = p != KZ_ID_NONE ? stats_entry_of(index, p) : NULL;
  if (e) {
    stats.triples = (size_t)e->triples;
    stats.distinct_subjects = (size_t)e->subjects;
    stats.distinct_objects = (size_t)e->objects;
  }
  return stats;
}

const kz_id *kz_index_graphs(kz_index *index, size_t *count) {
  if (count)
    *count = 0;
  if (!index)
    return NULL;
  (void)kz_index_flush(index);
  if (count)
    *count = index->graph_count;
  return index->graphs;
}

/* ---- persistence ----------------------------------------------------------
 *
 * One file, native byte order, every section 64-byte aligned:
 *
 *   header (HEADER_SIZE bytes: file_header, then zeros)
 *   TERMS      file_term per ID 1..term_count
 *   STRINGS    the terms' strings (value NUL [language NUL]), then the
 *              datatype IRIs (NUL-terminated); ends with a NUL
 *   DATATYPES  uint64 offset into STRINGS per datatype
 *   SLOTS      the dictionary's hash table, as in memory
 *   STATS      stats_entry per predicate, ascending
 *   GRAPHS     kz_id per graph, ascending
 *   SPOG ... GOSP  quad_count tuples each, as in memory
 *
 * The header carries a magic string, the format version, a byte-order mark,
 * the counts, the section table, the XXH3 of the whole payload (every byte
 * after the header) and the XXH3 of the header itself. Opening checks both,
 * so the full checksum is verified at every open: it reads the whole file
 * once, which the mapping needs anyway; a 1M-quad file (140 MB, 0.8M terms)
 * opens in about 0.15 s, checks included. Besides, every section is
 * checked against the counts and the file size, every term record against
 * the string section, the arrays for order and known IDs (check_arrays),
 * so that a file made to pass the checksums is refused too rather than
 * crash the index or its callers.
 */

#define FILE_MAGIC "KZINDEX\n"
#define FILE_VERSION 1u
#define FILE_BYTE_ORDER 0x01020304u
#define HEADER_SIZE 512
#define SECTION_ALIGN 64
#define TERM_HAS_LANGUAGE 0x100u
#define TERM_HAS_DATATYPE 0x200u

enum {
  SEC_TERMS,
  SEC_STRINGS,
  SEC_DATATYPES,
  SEC_SLOTS,
  SEC_STATS,
  SEC_GRAPHS,
  SEC_PERM,
  SECTION_COUNT = SEC_PERM + PERM_COUNT
};

typedef struct file_section {
  uint64_t offset, size;
} file_section;

typedef struct file_header {
  char magic[8];
  uint32_t version;
  uint32_t byte_order;
  uint64_t file_size;
  uint64_t term_count, quad_count, slot_count, datatype_count, predicate_count, graph_count;
  file_section sections[SECTION_COUNT];
  uint64_t payload_checksum;
  uint64_t header_checksum; /* see header_checksum() */
} file_header;

_Static_assert(sizeof(file_header) <= HEADER_SIZE, "header too big");
_Static_assert(sizeof(stats_entry) == 32 && sizeof(tuple) == 16, "record sizes");

/* A term's record: kind in the low byte, plus TERM_HAS_*; aux is the
 * language's offset from the value, or the datatype's index. */
typedef struct file_term {
  uint64_t value_offset;
  uint32_t kind;
  uint32_t aux;
} file_term;

/* Buffered output that hashes what it writes. Errors are sticky. */
typedef struct writer {
  int fd;
  uint64_t offset;
  XXH3_state_t *hash;
  char *buf;
  size_t used;
  int error; /* errno of the first failure, 0 if none */
} writer;

#define WRITER_BUFFER ((size_t)1 << 20)

static void write_raw(writer *w, const void *data, size_t size) {
  const char *p = data;
  while (size && !w->error) {
    ssize_t done = write(w->fd, p, size < ((size_t)1 << 30) ? size : ((size_t)1 << 30));
    if (done < 0 && errno == EINTR)
      continue;
    if (done <= 0) {
      w->error = done < 0 ? errno : EIO;
      return;
    }
    p += done;
    size -= (size_t)done;
  }
}

static void writer_drain(writer *w) {
  if (w->used) {
    XXH3_64bits_update(w->hash, w->buf, w->used);
    write_raw(w, w->buf, w->used);
    w->used = 0;
  }
}

static void put(writer *w, const void *data, size_t size) {
  w->offset += size;
  if (size >= WRITER_BUFFER / 2) {
    writer_drain(w);
    XXH3_64bits_update(w->hash, data, size);
    write_raw(w, data, size);
    return;
  }
  if (w->used + size > WRITER_BUFFER)
    writer_drain(w);
  memcpy(w->buf + w->used, data, size);
  w->used += size;
}

static void put_padding(writer *w) {
  static const char zeros[SECTION_ALIGN];
  size_t pad = (size_t)(-w->offset & (SECTION_ALIGN - 1));
  put(w, zeros, pad);
}

static void begin_section(writer *w, file_header *h, int section) {
  put_padding(w);
  h->sections[section].offset = w->offset;
}

static void end_section(writer *w, file_header *h, int section) {
  h->sections[section].size = w->offset - h->sections[section].offset;
}

static void write_sections(writer *w, const kz_index *index, file_header *h) {
  /* TERMS: offsets follow from the string lengths. */
  begin_section(w, h, SEC_TERMS);
  uint64_t offset = 0;
  const char *last_datatype = NULL;
  size_t last_datatype_index = 0;
  for (size_t id = 1; id <= index->term_count; id++) {
    const kz_term *t = term_at(index, (kz_id)id);
    size_t value_len = strlen(t->value);
    file_term record = {offset, (uint32_t)t->kind, 0};
    offset += value_len + 1;
    if (t->language) {
      record.kind |= TERM_HAS_LANGUAGE;
      record.aux = (uint32_t)(value_len + 1);
      offset += strlen(t->language) + 1;
    } else if (t->datatype) {
      if (t->datatype != last_datatype) {
        last_datatype = t->datatype;
        last_datatype_index = datatype_index(index, t->datatype);
      }
      record.kind |= TERM_HAS_DATATYPE;
      record.aux = (uint32_t)last_datatype_index;
    }
    put(w, &record, sizeof record);
  }
  end_section(w, h, SEC_TERMS);

  begin_section(w, h, SEC_STRINGS);
  uint64_t strings_start = w->offset;
  for (size_t id = 1; id <= index->term_count; id++) {
    const kz_term *t = term_at(index, (kz_id)id);
    put(w, t->value, strlen(t->value) + 1);
    if (t->language)
      put(w, t->language, strlen(t->language) + 1);
  }
  uint64_t *datatype_offsets = NULL;
  if (index->datatype_count &&
      !(datatype_offsets = malloc(index->datatype_count * sizeof *datatype_offsets))) {
    w->error = ENOMEM;
    return;
  }
  for (size_t i = 0; i < index->datatype_count; i++) {
    datatype_offsets[i] = w->offset - strings_start;
    put(w, index->datatypes[i], strlen(index->datatypes[i]) + 1);
  }
  if (w->offset == strings_start)
    put(w, "", 1); /* the section always ends with a NUL */
  end_section(w, h, SEC_STRINGS);

  begin_section(w, h, SEC_DATATYPES);
  if (index->datatype_count)
    put(w, datatype_offsets, index->datatype_count * sizeof *datatype_offsets);
  free(datatype_offsets);
  end_section(w, h, SEC_DATATYPES);

  begin_section(w, h, SEC_SLOTS);
  if (index->slots)
    put(w, index->slots, (index->slot_mask + 1) * sizeof *index->slots);
  end_section(w, h, SEC_SLOTS);

  begin_section(w, h, SEC_STATS);
  if (index->stats_count)
    put(w, index->stats, index->stats_count * sizeof *index->stats);
  end_section(w, h, SEC_STATS);

  begin_section(w, h, SEC_GRAPHS);
  if (index->graph_count)
    put(w, index->graphs, index->graph_count * sizeof *index->graphs);
  end_section(w, h, SEC_GRAPHS);

  for (int i = 0; i < PERM_COUNT; i++) {
    begin_section(w, h, SEC_PERM + i);
    if (index->quad_count)
      put(w, index->perm[i], index->quad_count * sizeof(tuple));
    end_section(w, h, SEC_PERM + i);
  }
  writer_drain(w);
}

/* Of all HEADER_SIZE bytes of the header (the padding must be zeros too),
 * with the checksum field itself as zero. */
static uint64_t header_checksum(const char *bytes) {
  char copy[HEADER_SIZE];
  memcpy(copy, bytes, HEADER_SIZE);
  memset(copy + offsetof(file_header, header_checksum), 0, sizeof(uint64_t));
  return XXH3_64bits(copy, HEADER_SIZE);
}

/* fsync of the directory holding path, so the rename is durable. */
static int sync_directory(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? kz_strdup(path) : kz_strdup(".");
  if (!dir)
    return ENOMEM;
  if (slash)
    dir[slash == path ? 1 : slash - path] = '\0';
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(dir);
  if (fd < 0)
    return errno;
  int result = fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
  close(fd);
  return result;
}

kz_status kz_index_save(kz_index *index, const char *path, kz_error *err) {
  if (!index || !path)
    return kz_fail(err, KZ_ERR_ARGUMENT, path, 0, 0, "no index or no path to save to");
  kz_status status = kz_index_flush(index);
  if (status != KZ_OK)
    return kz_fail(err, status, path, 0, 0, "cannot save the index: %s", kz_strerror(status));

  size_t path_len = strlen(path);
  char *tmp_path = malloc(path_len + 5);
  writer w = {.fd = -1};
  w.hash = XXH3_createState();
  w.buf = malloc(WRITER_BUFFER);
  if (!tmp_path || !w.hash || !w.buf) {
    status = kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory saving the index");
    goto cleanup;
  }
  memcpy(tmp_path, path, path_len);
  memcpy(tmp_path + path_len, ".tmp", 5);
  w.fd = open(tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (w.fd < 0) {
    status = kz_fail(err, KZ_ERR_IO, tmp_path, 0, 0, "cannot create: %s", strerror(errno));
    goto cleanup;
  }

  file_header h;
  memset(&h, 0, sizeof h);
  static const char zeros[HEADER_SIZE];
  write_raw(&w, zeros, HEADER_SIZE); /* the real header goes in last */
  w.offset = HEADER_SIZE;
  XXH3_64bits_reset(w.hash);
  write_sections(&w, index, &h);

  memcpy(h.magic, FILE_MAGIC, sizeof h.magic);
  h.version = FILE_VERSION;
  h.byte_order = FILE_BYTE_ORDER;
  h.file_size = w.offset;
  h.term_count = index->term_count;
  h.quad_count = index->quad_count;
  h.slot_count = index->slots ? index->slot_mask + 1 : 0;
  h.datatype_count = index->datatype_count;
  h.predicate_count = index->stats_count;
  h.graph_count = index->graph_count;
  h.payload_checksum = XXH3_64bits_digest(w.hash);
  char header[HEADER_SIZE] = {0};
  memcpy(header, &h, sizeof h);
  h.header_checksum = header_checksum(header);
  memcpy(header, &h, sizeof h);
  if (!w.error && pwrite(w.fd, header, HEADER_SIZE, 0) != (ssize_t)HEADER_SIZE)
    w.error = errno ? errno : EIO;
  if (!w.error && fsync(w.fd) != 0)
    w.error = errno;
  if (close(w.fd) != 0 && !w.error)
    w.error = errno;
  w.fd = -1;
  if (!w.error && rename(tmp_path, path) != 0)
    w.error = errno;
  if (w.error) {
    status = kz_fail(err, w.error == ENOMEM ? KZ_ERR_NOMEM : KZ_ERR_IO, path, 0, 0,
                     "cannot save the index: %s", strerror(w.error));
    unlink(tmp_path);
    goto cleanup;
  }
  int synced = sync_directory(path);
  if (synced)
    status = kz_fail(err, KZ_ERR_IO, path, 0, 0, "saved, but cannot sync its directory: %s",
                     strerror(synced));

cleanup:
  if (w.fd >= 0) {
    close(w.fd);
    unlink(tmp_path);
  }
  XXH3_freeState(w.hash);
  free(w.buf);
  free(tmp_path);
  return status;
}

/* Refuses a damaged file, naming it. */
static kz_status corrupt(kz_error *err, const char *path, const char *what) {
  return kz_fail(err, KZ_ERR_SYNTAX, path, 0, 0, "corrupt index file: %s", what);
}

/* Is section i of h inside the file, aligned, and count * record bytes? */
static bool section_fits(const file_header *h, int i, uint64_t count, uint64_t record) {
  const file_section *s = &h->sections[i];
  if (s->offset < HEADER_SIZE || s->offset % 8 || s->offset > h->file_size ||
      s->size > h->file_size - s->offset)
    return false;
  return record == 0 || (count <= s->size / record && count * record == s->size);
}

/* Whether the n tuples of layout perm are strictly ascending, with s, p
 * and o in 1..max_id and g in 0..max_id: what the index relies on. */
static bool perm_valid(const tuple *a, size_t n, int perm, kz_id max_id) {
  /* Branch-free: w - low > max_id - low is w < low or w > max_id. */
  kz_id low[4];
  for (int i = 0; i < 4; i++)
    low[i] = perm_layout[perm][i] == 3 ? 0 : 1;
  unsigned bad = 0;
  uint64_t prev_hi = 0, prev_lo = 0;
  for (size_t i = 0; i < n; i++) {
    const kz_id *w = a[i].w;
    for (int j = 0; j < 4; j++)
      bad |= (kz_id)(w[j] - low[j]) > (kz_id)(max_id - low[j]);
    uint64_t hi = (uint64_t)w[0] << 32 | w[1], lo = (uint64_t)w[2] << 32 | w[3];
    bad |= i && (hi < prev_hi || (hi == prev_hi && lo <= prev_lo));
    prev_hi = hi;
    prev_lo = lo;
  }
  return !bad;
}

/* What the checksum cannot vouch for, in a file made to look valid: the
 * arrays ascend and name known terms, the hash table has one slot per term
 * (so some slot stays empty), the graph list ascends. One pass over each,
 * about 30 ms for a 1M-quad file. */
static kz_status check_arrays(const char *base, const file_header *h, const char *path,
                              kz_error *err) {
  for (int i = 0; i < PERM_COUNT; i++)
    if (!perm_valid((const void *)(base + h->sections[SEC_PERM + i].offset), (size_t)h->quad_count,
                    i, (kz_id)h->term_count))
      return corrupt(err, path, "the quads are out of order or name unknown terms");
  const uint64_t *slots = (const void *)(base + h->sections[SEC_SLOTS].offset);
  size_t occupied = 0;
  for (size_t i = 0; i < h->slot_count; i++) {
    kz_id id = (kz_id)slots[i];
    occupied += slots[i] != 0;
    if ((slots[i] && id == KZ_ID_NONE) || id > h->term_count)
      return corrupt(err, path, "the term table is damaged");
  }
  if (occupied != h->term_count)
    return corrupt(err, path, "the term table is damaged");
  const kz_id *graphs = (const void *)(base + h->sections[SEC_GRAPHS].offset);
  for (size_t i = 0; i < h->graph_count; i++)
    if (graphs[i] == KZ_ID_NONE || graphs[i] > h->term_count || (i && graphs[i - 1] >= graphs[i]))
      return corrupt(err, path, "the graph list is damaged");
  return KZ_OK;
}

/* Builds the in-memory parts of index (the kz_term records and the
 * datatype table) from the mapped file, checking every record. */
static kz_status load_terms(kz_index *index, const file_header *h, const char *path,
                            kz_error *err) {
  const char *base = index->map;
  const char *strings = base + h->sections[SEC_STRINGS].offset;
  uint64_t strings_size = h->sections[SEC_STRINGS].size;
  if (strings_size == 0 || strings[strings_size - 1] != '\0')
    return corrupt(err, path, "the string section is not terminated");

  const uint64_t *datatype_offsets = (const void *)(base + h->sections[SEC_DATATYPES].offset);
  size_t datatype_count = (size_t)h->datatype_count;
  if (datatype_count) {
    index->datatypes = malloc(datatype_count * sizeof *index->datatypes);
    if (!index->datatypes)
      return KZ_ERR_NOMEM;
    index->datatype_cap = datatype_count;
  }
  for (size_t i = 0; i < datatype_count; i++) {
    if (datatype_offsets[i] >= strings_size)
      return corrupt(err, path, "a datatype lies outside the string section");
    const char *iri = strings + datatype_offsets[i];
    if ((index->datatype_count + 1) * 4 > (index->datatype_mask + 1) * 3 || !index->datatype_slots)
      TRY(grow_datatypes(index));
    index->datatypes[i] = iri;
    add_datatype_slot(index, i, datatype_tag(iri, strlen(iri)));
    index->datatype_count = i + 1;
  }

  const file_term *records = (const void *)(base + h->sections[SEC_TERMS].offset);
  size_t term_count = (size_t)h->term_count;
  size_t blocks = (term_count >> TERM_BLOCK_BITS) + 1;
  index->term_blocks = calloc(blocks, sizeof(kz_term *));
  if (!index->term_blocks)
    return KZ_ERR_NOMEM;
  index->term_block_cap = blocks;
  for (size_t b = 0; b < blocks; b++) {
    if (!(index->term_blocks[b] = malloc(TERM_BLOCK_SIZE * sizeof(kz_term))))
      return KZ_ERR_NOMEM;
    index->term_block_count = b + 1;
  }
  for (size_t id = 1; id <= term_count; id++) {
    const file_term *r = &records[id - 1];
    kz_term *t = term_at(index, (kz_id)id);
    uint32_t kind = r->kind & 0xff, flags = r->kind & ~0xffu;
    if (kind < KZ_TERM_IRI || kind > KZ_TERM_LITERAL || r->value_offset >= strings_size ||
        (flags & ~(TERM_HAS_LANGUAGE | TERM_HAS_DATATYPE)) ||
        flags == (TERM_HAS_LANGUAGE | TERM_HAS_DATATYPE) || (flags && kind != KZ_TERM_LITERAL))
      return corrupt(err, path, "a term record is damaged");
    t->kind = (kz_term_kind)kind;
    t->value = strings + r->value_offset;
    t->language = t->datatype = NULL;
    if (flags & TERM_HAS_LANGUAGE) {
      if (r->aux >= strings_size - r->value_offset)
        return corrupt(err, path, "a language tag lies outside the string section");
      t->language = t->value + r->aux;
    } else if (flags & TERM_HAS_DATATYPE) {
      if (r->aux >= datatype_count)
        return corrupt(err, path, "a term names a datatype that is not there");
      t->datatype = index->datatypes[r->aux];
    }
  }
  index->term_count = term_count;
  return KZ_OK;
}

kz_status kz_index_open_file(kz_index **out, const char *path, kz_error *err) {
  *out = NULL;
  if (!path)
    return kz_fail(err, KZ_ERR_ARGUMENT, NULL, 0, 0, "no index file named");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT
               ? kz_fail(err, KZ_ERR_NOT_FOUND, path, 0, 0, "no such index file")
               : kz_fail(err, KZ_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return kz_fail(err, KZ_ERR_IO, path, 0, 0, "not a regular file");
  }
  size_t size = (size_t)st.st_size;
  char magic[8] = {0};
  if (size < sizeof magic || pread(fd, magic, sizeof magic, 0) != (ssize_t)sizeof magic ||
      memcmp(magic, FILE_MAGIC, sizeof magic) != 0) {
    close(fd);
    return kz_fail(err, KZ_ERR_SYNTAX, path, 0, 0, "not a Kizuna index file");
  }
  if (size < HEADER_SIZE) {
    close(fd);
    return corrupt(err, path, "truncated header");
  }
  /* MAP_POPULATE: the checksum reads every page anyway, and the kernel
   * fills the page table far faster than faults would. */
  void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  int map_errno = errno;
  close(fd);
  if (map == MAP_FAILED)
    return kz_fail(err, KZ_ERR_IO, path, 0, 0, "cannot map: %s", strerror(map_errno));

  kz_index *index = NULL;
  kz_status status = kz_index_new(&index);
  if (status != KZ_OK) {
    munmap(map, size);
    return kz_fail(err, status, path, 0, 0, "out of memory opening the index");
  }
  index->map = map;
  index->map_size = size;

  file_header h;
  memcpy(&h, map, sizeof h);
  const char *base = map;
  if (h.byte_order != FILE_BYTE_ORDER) {
    status = kz_fail(err, KZ_ERR_UNSUPPORTED, path, 0, 0,
                     "index file written on a machine of another byte order");
  } else if (h.version != FILE_VERSION) {
    status = kz_fail(err, KZ_ERR_UNSUPPORTED, path, 0, 0,
                     "index file format version %u; this build reads version %u", h.version,
                     FILE_VERSION);
  } else if (header_checksum(base) != h.header_checksum) {
    status = corrupt(err, path, "header checksum mismatch");
  } else if (h.file_size != size) {
    status = kz_fail(err, KZ_ERR_SYNTAX, path, 0, 0,
                     "corrupt index file: %zu bytes where the header says %llu (truncated?)", size,
                     (unsigned long long)h.file_size);
  } else if (h.term_count > MAX_TERMS || h.slot_count > ((uint64_t)1 << 32) ||
             (h.slot_count & (h.slot_count - 1)) ||
             (h.term_count && h.slot_count <= h.term_count) ||
             !section_fits(&h, SEC_TERMS, h.term_count, sizeof(file_term)) ||
             !section_fits(&h, SEC_STRINGS, 0, 0) ||
             !section_fits(&h, SEC_DATATYPES, h.datatype_count, sizeof(uint64_t)) ||
             !section_fits(&h, SEC_SLOTS, h.slot_count, sizeof(uint64_t)) ||
             !section_fits(&h, SEC_STATS, h.predicate_count, sizeof(stats_entry)) ||
             !section_fits(&h, SEC_GRAPHS, h.graph_count, sizeof(kz_id))) {
    status = corrupt(err, path, "inconsistent section table");
  } else if (XXH3_64bits(base + HEADER_SIZE, size - HEADER_SIZE) != h.payload_checksum) {
    status = corrupt(err, path, "checksum mismatch");
  }
  for (int i = 0; i < PERM_COUNT && status == KZ_OK; i++)
    if (!section_fits(&h, SEC_PERM + i, h.quad_count, sizeof(tuple)))
      status = corrupt(err, path, "inconsistent section table");
  if (status == KZ_OK)
    status = check_arrays(base, &h, path, err);
  if (status == KZ_OK) {
    status = load_terms(index, &h, path, err);
    if (status == KZ_ERR_NOMEM)
      kz_fail(err, status, path, 0, 0, "out of memory opening the index");
  }
  if (status != KZ_OK) {
    kz_index_free(index);
    return status;
  }

  index->slots = h.slot_count ? (void *)(base + h.sections[SEC_SLOTS].offset) : NULL;
  index->slot_mask = h.slot_count ? (size_t)h.slot_count - 1 : 0;
  index->slots_owned = h.slot_count == 0;
  index->quad_count = (size_t)h.quad_count;
  for (int i = 0; i < PERM_COUNT; i++) {
    index->perm_owned[i] = h.quad_count == 0;
    index->perm[i] = h.quad_count ? (void *)(base + h.sections[SEC_PERM + i].offset) : NULL;
  }
  index->stats_count = (size_t)h.predicate_count;
  index->stats = h.predicate_count ? (void *)(base + h.sections[SEC_STATS].offset) : NULL;
  index->stats_owned = h.predicate_count == 0;
  index->graph_count = (size_t)h.graph_count;
  index->graphs = h.graph_count ? (void *)(base + h.sections[SEC_GRAPHS].offset) : NULL;
  index->graphs_owned = h.graph_count == 0;
  *out = index;
  return KZ_OK;
}
