/*
 * A map from names to ints in an arena, keeping insertion order: prefixes,
 * blank node labels, variable scopes and variable numbers all use it.
 */
#ifndef KZ_SPARQL_NAMES_H
#define KZ_SPARQL_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "sparql/arena.h"

/* Zero-initialise ({0}) for an empty map. names[0, count) in insertion
 * order, values[i] belongs to names[i]. The names are borrowed: they must
 * live as long as the map (in practice, in the same arena). */
typedef struct kz_names {
  const char **names;
  int *values;
  size_t count, capacity, value_capacity;
  size_t *slots;     /* index + 1 into names; 0 is an empty slot */
  size_t slot_count; /* 0 or a power of two, at most half full */
} kz_names;

/* The index of name in names[], or -1. */
long kz_names_find(const kz_names *map, const char *name);

static inline bool kz_names_has(const kz_names *map, const char *name) {
  return kz_names_find(map, name) >= 0;
}

/* Adds name with value unless it is there (then its value is replaced when
 * overwrite). false on out of memory. */
bool kz_names_put(kz_arena *arena, kz_names *map, const char *name, int value, bool overwrite);

#endif
