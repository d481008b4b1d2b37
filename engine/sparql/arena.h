/*
 * A region allocator for the SPARQL front end: the lexer's buffers, the AST
 * and the algebra are made of many small objects that live and die
 * together, so each lives in one arena and is released with one call.
 * Nothing allocated from an arena is freed on its own.
 */
#ifndef KZ_SPARQL_ARENA_H
#define KZ_SPARQL_ARENA_H

#include <stddef.h>

typedef struct kz_arena kz_arena;

/* A new, empty arena; NULL on out of memory. Caller frees with kz_arena_free. */
kz_arena *kz_arena_new(void);

/* Releases the arena and everything allocated from it. Accepts NULL. */
void kz_arena_free(kz_arena *arena);

/* Releases everything allocated from the arena, keeping one block for
 * reuse: an arena used for short-lived values can be reset after each. */
void kz_arena_reset(kz_arena *arena);

/* size zeroed bytes aligned for any type, valid until the arena is freed;
 * NULL on out of memory (or size 0). */
void *kz_arena_alloc(kz_arena *arena, size_t size);

/* A NUL-terminated copy of the first length bytes of s; NULL on out of memory. */
char *kz_arena_strndup(kz_arena *arena, const char *s, size_t length);

/* A copy of s (NULL gives NULL). */
char *kz_arena_strdup(kz_arena *arena, const char *s);

/* Grows an array of element_size-byte items holding count items to at least
 * count + 1 slots (doubling *capacity): returns the new array, the old one
 * copied into it, or NULL on out of memory. The old array is not reused. */
void *kz_arena_grow(kz_arena *arena, void *items, size_t count, size_t *capacity,
                    size_t element_size);

/* Appends one zeroed slot to the array `items` (count and capacity are
 * size_t lvalues) and evaluates to a pointer to it, or NULL on out of memory. */
#define KZ_ARENA_PUSH(arena, items, count, capacity)                                  \
  (((count) < (capacity) ||                                                          \
    ((items) = kz_arena_grow((arena), (items), (count), &(capacity), sizeof *(items))) != NULL) \
       ? &(items)[(count)++]                                                         \
       : NULL)

#endif
