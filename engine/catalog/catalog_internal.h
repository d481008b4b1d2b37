/*
 * The inside of a catalogue, shared by catalog.c (loading, binding) and
 * match.c (phrases). Never installed.
 */
#ifndef KZ_CATALOG_INTERNAL_H
#define KZ_CATALOG_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kizuna/catalog.h"

typedef struct kz_catalog_param {
  char *name;
  char *type;
  int optional; /* may be left out: its variable then stays unbound */
} kz_catalog_param;

typedef struct kz_phrase {
  char *source;      /* as written, placeholders and all */
  pcre2_code *regex; /* compiled, placeholders expanded */
} kz_phrase;

struct kz_catalog_entry {
  char *name;
  char *description;
  char *query;
  char *path;
  kz_catalog_param *params;
  size_t param_count;
  kz_phrase *phrases;
  size_t phrase_count;
  char **examples;
  size_t example_count;
};

struct kz_catalog {
  kz_catalog_entry *entries; /* sorted by name */
  size_t count;
};

/* Compiles a phrase (expanding {placeholders}); errors name path:line. */
kz_status kz_phrase_compile(kz_phrase *phrase, const char *source, const char *path,
                            long line, kz_error *err);
void kz_phrase_free(kz_phrase *phrase);

#endif
