/*
 * A set of strings, each with a 32-bit value: open addressing, linear
 * probing, FNV-1a hashes. Owns copies of its strings. Used to keep loads
 * idempotent on storages that do not deduplicate quads themselves, and to
 * intern terms as integer IDs.
 */
#ifndef KZ_CORE_STRSET_H
#define KZ_CORE_STRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct kz_strset kz_strset;

kz_strset *kz_strset_new(void);
void kz_strset_free(kz_strset *set);
/* 1 if added, 0 if already there, -1 on out of memory. */
int kz_strset_add(kz_strset *set, const char *s);
int kz_strset_contains(const kz_strset *set, const char *s);
/* Interning: adds s with value if absent (returns 1), or finds it (returns 0);
 * either way *found_value is the value stored with s. -1 on out of memory. */
int kz_strset_intern(kz_strset *set, const char *s, uint32_t value, uint32_t *found_value);
/* Removes s if present. */
void kz_strset_remove(kz_strset *set, const char *s);
size_t kz_strset_size(const kz_strset *set);

#endif
