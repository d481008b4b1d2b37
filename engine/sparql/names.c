/*
 * Insertion-ordered name map: the names and values are parallel arrays in
 * insertion order, and an open-addressing index over them (FNV-1a hashes,
 * linear probing, at most half full) finds a name in O(1). Everything
 * lives in the caller's arena; a grown index or array abandons the old one.
 */
#include "sparql/names.h"

#include <stdint.h>
#include <string.h>

static size_t hash_name(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return (size_t)h;
}

long kz_names_find(const kz_names *map, const char *name) {
  if (!map->slot_count)
    return -1;
  for (size_t i = hash_name(name) & (map->slot_count - 1);; i = (i + 1) & (map->slot_count - 1)) {
    size_t slot = map->slots[i];
    if (!slot)
      return -1;
    if (strcmp(map->names[slot - 1], name) == 0)
      return (long)(slot - 1);
  }
}

static bool reindex(kz_arena *arena, kz_names *map) {
  size_t slot_count = map->slot_count ? map->slot_count * 2 : 16;
  size_t *slots = kz_arena_alloc(arena, slot_count * sizeof *slots);
  if (!slots)
    return false;
  for (size_t k = 0; k < map->count; k++) {
    size_t i = hash_name(map->names[k]) & (slot_count - 1);
    while (slots[i])
      i = (i + 1) & (slot_count - 1);
    slots[i] = k + 1;
  }
  map->slots = slots;
  map->slot_count = slot_count;
  return true;
}

bool kz_names_put(kz_arena *arena, kz_names *map, const char *name, int value, bool overwrite) {
  long found = kz_names_find(map, name);
  if (found >= 0) {
    if (overwrite)
      map->values[found] = value;
    return true;
  }
  if ((map->count + 1) * 2 > map->slot_count && !reindex(arena, map))
    return false;
  size_t value_count = map->count;
  int *slot_value = KZ_ARENA_PUSH(arena, map->values, value_count, map->value_capacity);
  const char **slot_name = slot_value ? KZ_ARENA_PUSH(arena, map->names, map->count, map->capacity) : NULL;
  if (!slot_name)
    return false;
  *slot_name = name;
  *slot_value = value;
  size_t i = hash_name(name) & (map->slot_count - 1);
  while (map->slots[i])
    i = (i + 1) & (map->slot_count - 1);
  map->slots[i] = map->count;
  return true;
}
