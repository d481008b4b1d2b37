/* A deterministic mini-fuzzer for the SPARQL front end, run in every build:
 * a few hundred known queries (those below, the bundled queries/ *.rq, and
 * the W3C test queries when ../shared/w3c-tests is there) are mutated in
 * fixed pseudo-random ways (truncated, bytes flipped, spans duplicated,
 * deleted or spliced from another query) and every mutant goes through
 * fuzz_one (fuzz_check.h). The sanitizer build turns any memory error or
 * leak into a failure. Exits 0, or aborts on the first broken promise. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

static const char *const builtin[] = {
    "SELECT ?x WHERE { ?x <p> ?o }",
    "PREFIX : <http://ex/> SELECT * { ?s a :C ; :p 1, 2.5, -3e2, true, \"x\"@en, \"y\"^^:t }",
    "SELECT * { ?s <p> [ <q> ?o ; <r> ( 1 ?x [] ) ] . [ <a> <b> ] <c> () }",
    "SELECT * { _:a <p> ?x . _:a <q> ?y FILTER(?x) _:a <r> ?z }",
    "SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?r FILTER(?r > 1) } MINUS { ?s <n> ?o } }",
    "SELECT * { { ?s <a> ?o } UNION { ?s <b> ?o } UNION { GRAPH ?g { ?s <c> ?o } } }",
    "SELECT * { SERVICE SILENT <http://s/> { ?s <p> ?o } BIND(?o + 1 AS ?n) VALUES ?n { 1 UNDEF } }",
    "SELECT ?s { ?s <p> ?o { SELECT ?o { ?o <q> ?z } ORDER BY ?z LIMIT 2 } } VALUES (?s ?o) { (<a> 1) }",
    "SELECT * { ?s <p>/^<q>|!(<r>|^a)/(<s>+)*/<t>? ?o }",
    "SELECT * { ?s ?p ?o FILTER(EXISTS { ?o ?q ?r } && NOT EXISTS { ?o <x> 1 } || ?o NOT IN (1, 2)) }",
    "SELECT * { FILTER(regex(str(?o), \"a\\\"b\\n\", 'i') && langMatches(lang(?o), '*') && "
    "<http://www.w3.org/2001/XMLSchema#integer>(?o) > -1 && IF(true, RAND(), NOW()) != BNODE()) }",
    "SELECT ?k (COUNT(DISTINCT *) AS ?c) (GROUP_CONCAT(?v; SEPARATOR=\", \") AS ?g) { ?x <p> ?v } "
    "GROUP BY (str(?v) AS ?k) HAVING (COUNT(*) > 1) ORDER BY DESC(?c) LIMIT 10 OFFSET 1",
    "SELECT (SUM(?v) AS ?s) (AVG(?v) AS ?a) (MIN(?v) AS ?mi) (MAX(?v) AS ?ma) (SAMPLE(?v) AS ?sa) "
    "{ ?x <p> ?v }",
    "CONSTRUCT { ?s <q> [ <r> ?o ] } FROM <g> FROM NAMED <h> WHERE { ?s <p> ?o }",
    "CONSTRUCT WHERE { ?s <p> ?o . ?o <q> _:b }",
    "DESCRIBE ?s <x> { ?s ?p ?o }",
    "DESCRIBE *",
    "ASK { ?s ?p \"\"\"long\nstring\"\"\" , '''single''' }",
    "BASE <http://a/b/c> PREFIX x: <d/> SELECT * { <../g> x:h\\.i <#j> }",
    "SELECT * { ?s ?p \"\\u00e9\\U0001F46A\" . ?s ?p \\u003Fo }",
    "SELECT DISTINCT ?s { ?s ?p ?o } ORDER BY ASC(?o) ?s (?o + 1)",
    "SELECT REDUCED * { ?s ?p ?o . ?o ?q ?r . }",
    "SELECT * { ?s ?p ?o FILTER(?o +1 > ?o -2 * 3 / +4) }",
    "SELECT (CONCAT(SUBSTR(?a, 1, 2), REPLACE(?b, 'x', 'y', 'i'), STRBEFORE(?c, 'z')) AS ?r) {}",
    "SELECT * { VALUES () { () () } VALUES (?a ?b) { (1 2) (UNDEF 'x') } }",
};

/* ---- seeds ----------------------------------------------------------- */

typedef struct seeds {
  char **texts;
  size_t count, capacity;
} seeds;

static seeds found;

static void add_seed(char *text) {
  if (found.count == found.capacity) {
    found.capacity = found.capacity ? found.capacity * 2 : 64;
    found.texts = realloc(found.texts, found.capacity * sizeof *found.texts);
    if (!found.texts)
      abort();
  }
  found.texts[found.count++] = text;
}

static char **paths;
static size_t path_count, path_capacity;

static int collect(const char *path, const struct stat *info, int type, struct FTW *ftw) {
  (void)info;
  (void)ftw;
  size_t n = strlen(path);
  if (type == FTW_F && n > 3 && strcmp(path + n - 3, ".rq") == 0) {
    if (path_count == path_capacity) {
      path_capacity = path_capacity ? path_capacity * 2 : 256;
      paths = realloc(paths, path_capacity * sizeof *paths);
      if (!paths)
        abort();
    }
    paths[path_count++] = strdup(path);
  }
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *text = NULL;
  size_t size = 0, used = 0;
  for (;;) {
    if (used + 4096 + 1 > size) {
      size = (used + 4096 + 1) * 2;
      char *grown = realloc(text, size);
      if (!grown)
        abort();
      text = grown;
    }
    size_t n = fread(text + used, 1, 4096, f);
    used += n;
    if (n == 0)
      break;
  }
  fclose(f);
  text[used] = '\0';
  return text;
}

/* ---- mutations ------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t next_random(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}

static size_t below(size_t n) { return n ? (size_t)(next_random() % n) : 0; }

static const char interesting[] = "{}()[]<>\"'\\?$_:.,;#@^|/*+!=&-0aZ\n\t eE%";

static size_t tried, valid;

static void run(const char *text) {
  valid += (size_t)fuzz_one(text);
  tried++;
}

static void mutate(const char *seed, const char *other) {
  size_t n = strlen(seed), m = strlen(other);
  char *buf = malloc(2 * n + m + 64);
  if (!buf)
    abort();
  for (int k = 0; k < 6; k++) { /* truncate */
    size_t cut = below(n + 1);
    memcpy(buf, seed, cut);
    buf[cut] = '\0';
    run(buf);
  }
  for (int k = 0; k < 6 && n; k++) { /* flip bytes */
    memcpy(buf, seed, n + 1);
    for (int flips = 1 + (int)below(3); flips > 0; flips--) {
      size_t at = below(n);
      buf[at] = below(4) ? interesting[below(sizeof interesting - 1)] : (char)(1 + below(255));
    }
    run(buf);
  }
  for (int k = 0; k < 4 && n; k++) { /* duplicate a span (a token or a few) */
    size_t from = below(n), length = 1 + below(16);
    if (from + length > n)
      length = n - from;
    memcpy(buf, seed, from + length);
    memcpy(buf + from + length, seed + from, length);
    memcpy(buf + from + 2 * length, seed + from + length, n - from - length + 1);
    run(buf);
  }
  for (int k = 0; k < 4 && n; k++) { /* delete a span */
    size_t from = below(n), length = 1 + below(8);
    if (from + length > n)
      length = n - from;
    memcpy(buf, seed, from);
    memcpy(buf + from, seed + from + length, n - from - length + 1);
    run(buf);
  }
  for (int k = 0; k < 4 && m; k++) { /* splice in a span of another query */
    size_t at = below(n + 1), from = below(m), length = 1 + below(32);
    if (from + length > m)
      length = m - from;
    memcpy(buf, seed, at);
    memcpy(buf + at, other + from, length);
    memcpy(buf + at + length, seed + at, n - at + 1);
    run(buf);
  }
  free(buf);
}

int main(void) {
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    add_seed(strdup(builtin[i]));
  const char *source = getenv("KZ_SOURCE_DIR");
  const char *w3c = getenv("KZ_W3C_DIR");
  char dir[4096];
  if (source) {
    snprintf(dir, sizeof dir, "%s/queries", source);
    nftw(dir, collect, 16, FTW_PHYS);
  }
  if (!w3c && source) {
    snprintf(dir, sizeof dir, "%s/../shared/w3c-tests/sparql", source);
    w3c = dir;
  }
  if (w3c)
    nftw(w3c, collect, 16, FTW_PHYS);
  qsort(paths, path_count, sizeof *paths, by_name); /* the same order everywhere */
  for (size_t i = 0; i < path_count; i++) {
    char *text = read_all(paths[i]);
    if (text)
      add_seed(text);
    free(paths[i]);
  }
  free(paths);
  for (size_t i = 0; i < found.count; i++) {
    rng_state = 0x9E3779B97F4A7C15ULL ^ (i * 0xBF58476D1CE4E5B9ULL + 1);
    run(found.texts[i]);
    mutate(found.texts[i], found.texts[(i * 7 + 3) % found.count]);
  }
  printf("mini-fuzzer: %zu seeds, %zu inputs (%zu valid), every one handled\n", found.count,
         tried, valid);
  for (size_t i = 0; i < found.count; i++)
    free(found.texts[i]);
  free(found.texts);
  return 0;
}
