/*
 * IRI references resolved against a base, as RFC 3986 section 5.2 says
 * (SPARQL 1.1 section 4.1.1.1 asks for it).
 */
#ifndef KZ_SPARQL_IRI_H
#define KZ_SPARQL_IRI_H

#include "sparql/arena.h"

/* The target IRI of reference against base, allocated from arena; when base
 * is NULL, a copy of reference. NULL on out of memory. */
char *kz_iri_resolve(kz_arena *arena, const char *base, const char *reference);

#endif
