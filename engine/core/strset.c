/*
 * String set with open addressing and linear probing. The table size is a
 * power of two and at most 3/4 full (counting tombstones), so probing always
 * ends at an empty slot. Removal leaves a tombstone that lookups step over
 * and insertions reuse.
 */
#include "core/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

static char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

struct kz_strset {
  char **slots;
  uint32_t *values;
  size_t capacity; /* power of two */
  size_t size;     /* live strings */
  size_t used;     /* live strings + tombstones */
};

static uint64_t hash_string(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

kz_strset *kz_strset_new(void) {
  kz_strset *set = calloc(1, sizeof *set);
  if (!set)
    return NULL;
  set->capacity = 64;
  set->slots = calloc(set->capacity, sizeof *set->slots);
  set->values = calloc(set->capacity, sizeof *set->values);
  if (!set->slots || !set->values) {
    free(set->slots);
    free(set->values);
    free(set);
    return NULL;
  }
  return set;
}

void kz_strset_free(kz_strset *set) {
  if (!set)
    return;
  for (size_t i = 0; i < set->capacity; i++)
    if (set->slots[i] && set->slots[i] != TOMBSTONE)
      free(set->slots[i]);
  free(set->slots);
  free(set->values);
  free(set);
}

/* Index of s, or of the slot where it would go (first tombstone or empty). */
static size_t find_slot(const kz_strset *set, const char *s, int *found) {
  size_t mask = set->capacity - 1;
  size_t i = hash_string(s) & mask;
  size_t first_free = SIZE_MAX;
  for (;;) {
    char *slot = set->slots[i];
    if (!slot) {
      *found = 0;
      return first_free != SIZE_MAX ? first_free : i;
    }
    if (slot == TOMBSTONE) {
      if (first_free == SIZE_MAX)
        first_free = i;
    } else if (strcmp(slot, s) == 0) {
      *found = 1;
      return i;
    }
    i = (i + 1) & mask;
  }
}

static int grow(kz_strset *set) {
  size_t old_capacity = set->capacity;
  char **old = set->slots;
  uint32_t *old_values = set->values;
  size_t capacity = old_capacity * 2;
  char **slots = calloc(capacity, sizeof *slots);
  uint32_t *values = calloc(capacity, sizeof *values);
  if (!slots || !values) {
    free(slots);
    free(values);
    return -1;
  }
  set->slots = slots;
  set->values = values;
  set->capacity = capacity;
  set->used = set->size;
  for (size_t i = 0; i < old_capacity; i++) {
    if (old[i] && old[i] != TOMBSTONE) {
      int found;
      size_t j = find_slot(set, old[i], &found);
      slots[j] = old[i];
      values[j] = old_values[i];
    }
  }
  free(old);
  free(old_values);
  return 0;
}

int kz_strset_intern(kz_strset *set, const char *s, uint32_t value, uint32_t *found_value) {
  if ((set->used + 1) * 4 > set->capacity * 3 && grow(set) != 0)
    return -1;
  int found;
  size_t i = find_slot(set, s, &found);
  if (found) {
    if (found_value)
      *found_value = set->values[i];
    return 0;
  }
  char *copy = kz_strdup(s);
  if (!copy)
    return -1;
  if (!set->slots[i])
    set->used++;
  set->slots[i] = copy;
  set->values[i] = value;
  set->size++;
  if (found_value)
    *found_value = value;
  return 1;
}

int kz_strset_add(kz_strset *set, const char *s) { return kz_strset_intern(set, s, 0, NULL); }

int kz_strset_contains(const kz_strset *set, const char *s) {
  int found;
  find_slot(set, s, &found);
  return found;
}

void kz_strset_remove(kz_strset *set, const char *s) {
  int found;
  size_t i = find_slot(set, s, &found);
  if (!found)
    return;
  free(set->slots[i]);
  set->slots[i] = TOMBSTONE;
  set->size--;
}

size_t kz_strset_size(const kz_strset *set) { return set->size; }
