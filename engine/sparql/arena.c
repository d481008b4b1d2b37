/*
 * Region allocator. An arena is a chain of blocks; allocations are carved
 * from the newest block and rounded up to the alignment of max_align_t.
 * A request larger than a quarter of the block size gets a block of its
 * own, linked behind the current one so that the current block keeps
 * serving small requests. Every byte handed out is zeroed.
 */
#include "sparql/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE ((size_t)64 * 1024)
#define ALIGNMENT alignof(max_align_t)

typedef struct block {
  struct block *next;
  size_t used;
  size_t size;
  alignas(max_align_t) unsigned char data[];
} block;

struct kz_arena {
  block *head; /* the block small requests are carved from */
};

kz_arena *kz_arena_new(void) { return calloc(1, sizeof(kz_arena)); }

void kz_arena_free(kz_arena *arena) {
  if (!arena)
    return;
  block *b = arena->head;
  while (b) {
    block *next = b->next;
    free(b);
    b = next;
  }
  free(arena);
}

void kz_arena_reset(kz_arena *arena) {
  block *keep = NULL, *b = arena->head;
  while (b) {
    block *next = b->next;
    if (!keep && b->size == BLOCK_SIZE) {
      keep = b;
      memset(keep->data, 0, keep->used);
      keep->used = 0;
      keep->next = NULL;
    } else {
      free(b);
    }
    b = next;
  }
  arena->head = keep;
}

static block *new_block(size_t size) {
  if (size > SIZE_MAX - sizeof(block))
    return NULL;
  block *b = calloc(1, sizeof(block) + size);
  if (b)
    b->size = size;
  return b;
}

void *kz_arena_alloc(kz_arena *arena, size_t size) {
  if (size == 0 || size > SIZE_MAX - ALIGNMENT)
    return NULL;
  size = (size + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
  if (size > BLOCK_SIZE / 4) {
    block *big = new_block(size);
    if (!big)
      return NULL;
    big->used = size;
    if (arena->head) {
      big->next = arena->head->next;
      arena->head->next = big;
    } else {
      arena->head = big;
    }
    return big->data;
  }
  if (!arena->head || arena->head->size - arena->head->used < size) {
    block *b = new_block(BLOCK_SIZE);
    if (!b)
      return NULL;
    b->next = arena->head;
    arena->head = b;
  }
  void *p = arena->head->data + arena->head->used;
  arena->head->used += size;
  return p;
}

char *kz_arena_strndup(kz_arena *arena, const char *s, size_t length) {
  if (length == SIZE_MAX)
    return NULL;
  char *copy = kz_arena_alloc(arena, length + 1);
  if (copy && length)
    memcpy(copy, s, length);
  return copy;
}

char *kz_arena_strdup(kz_arena *arena, const char *s) {
  return s ? kz_arena_strndup(arena, s, strlen(s)) : NULL;
}

void *kz_arena_grow(kz_arena *arena, void *items, size_t count, size_t *capacity,
                    size_t element_size) {
  size_t wanted = *capacity < 4 ? 4 : *capacity;
  while (wanted <= count) {
    if (wanted > SIZE_MAX / 2)
      return NULL;
    wanted *= 2;
  }
  if (wanted > SIZE_MAX / element_size)
    return NULL;
  void *grown = kz_arena_alloc(arena, wanted * element_size);
  if (!grown)
    return NULL;
  if (count)
    memcpy(grown, items, count * element_size);
  *capacity = wanted;
  return grown;
}
