/*
 * A timing check of the quad index, not a test: interns and adds N
 * synthetic quads (default 1,000,000; first argument), flushes, runs 100,000
 * one-subject matches, saves to a file (second argument) and opens it again,
 * printing the (CPU) time of each step, and first the time of making the strings
 * alone, which is not the index's. Build and run it, under /usr/bin/time -v
 * for the peak memory:
 *
 *   cmake -S . -B build-bench -DKZ_BENCH=ON && cmake --build build-bench --target bench_index
 *   /usr/bin/time -v build-bench/bench_index 1000000 /tmp/bench.kzi
 *
 * The data: 1/10 as many subjects as quads, 37 predicates, objects an IRI
 * (one in three, from 2/10 as many) or a distinct literal (typed integer,
 * language-tagged or plain), one quad in five in one of 10 named graphs:
 * 0.8 terms per quad, a heavy dictionary for real data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/index.h"

/* Process CPU time (user + system): steadier than the wall clock on a
 * shared machine. KZ_BENCH_WALL=1 measures the wall clock instead. */
static double now(void) {
  static int wall = -1;
  if (wall < 0)
    wall = getenv("KZ_BENCH_WALL") != NULL;
  struct timespec ts;
  clock_gettime(wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static kz_id intern(kz_index *index, kz_term_kind kind, const char *value, const char *language,
                    const char *datatype) {
  kz_term term = {kind, value, language, datatype};
  kz_id id;
  if (kz_index_intern(index, &term, &id) != KZ_OK) {
    fprintf(stderr, "intern failed\n");
    exit(1);
  }
  return id;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
  const char *path = argc > 2 ? argv[2] : "/tmp/bench_index.kzi";
  kz_index *index;
  if (kz_index_new(&index) != KZ_OK)
    return 1;
  char s[128], p[128], o[128], g[128];
  /* The strings alone, to subtract. */
  double t_strings = now();
  size_t checksum = 0;
  for (size_t i = 0; i < n; i++) {
    snprintf(s, sizeof s, "http://example.org/resource/%zu", i / 10);
    snprintf(p, sizeof p, "http://example.org/vocab#p%zu", i % 37);
    if (i % 3 == 0)
      snprintf(o, sizeof o, "http://example.org/resource/%zu", (i * 7919) % (n / 5 + 1));
    else if (i % 3 == 1)
      snprintf(o, sizeof o, "%zu", i);
    else
      snprintf(o, sizeof o, "label number %zu", i);
    if (i % 5 == 0)
      snprintf(g, sizeof g, "http://example.org/graph/%zu", i % 10);
    checksum += (size_t)s[30] + (size_t)o[0];
  }
  printf("making the strings alone: %.3f s (%zu)\n", now() - t_strings, checksum % 10);
  double t0 = now();
  for (size_t i = 0; i < n; i++) {
    snprintf(s, sizeof s, "http://example.org/resource/%zu", i / 10);
    snprintf(p, sizeof p, "http://example.org/vocab#p%zu", i % 37);
    kz_id sid = intern(index, KZ_TERM_IRI, s, NULL, NULL);
    kz_id pid = intern(index, KZ_TERM_IRI, p, NULL, NULL);
    kz_id oid, gid = 0;
    if (i % 3 == 0) {
      snprintf(o, sizeof o, "http://example.org/resource/%zu", (i * 7919) % (n / 5 + 1));
      oid = intern(index, KZ_TERM_IRI, o, NULL, NULL);
    } else if (i % 3 == 1) {
      snprintf(o, sizeof o, "%zu", i);
      oid = intern(index, KZ_TERM_LITERAL, o, NULL, "http://www.w3.org/2001/XMLSchema#integer");
    } else {
      snprintf(o, sizeof o, "label number %zu", i);
      oid = intern(index, KZ_TERM_LITERAL, o, i % 2 ? "en" : NULL, NULL);
    }
    if (i % 5 == 0) {
      snprintf(g, sizeof g, "http://example.org/graph/%zu", i % 10);
      gid = intern(index, KZ_TERM_IRI, g, NULL, NULL);
    }
    if (kz_index_add(index, sid, pid, oid, gid) != KZ_OK)
      return 1;
  }
  double t1 = now();
  if (kz_index_flush(index) != KZ_OK)
    return 1;
  double t2 = now();
  printf("quads %zu, terms %zu\n", kz_index_quad_count(index), kz_index_term_count(index));
  printf("intern+add %.3f s, flush %.3f s, load total %.3f s\n", t1 - t0, t2 - t1, t2 - t0);

  /* A few thousand matches of one subject each. */
  size_t matched = 0;
  double t3 = now();
  for (size_t i = 0; i < 100000; i++) {
    snprintf(s, sizeof s, "http://example.org/resource/%zu", (i * 31) % (n / 10));
    kz_term term = {KZ_TERM_IRI, s, NULL, NULL};
    kz_pattern pattern = {kz_index_lookup(index, &term), 0, 0, 0, KZ_MATCH_UNION, false};
    kz_cursor cursor;
    kz_id quad[4];
    kz_index_match(index, &pattern, &cursor);
    while (kz_cursor_next(&cursor, quad))
      matched++;
  }
  double t4 = now();
  printf("100000 subject lookups+matches: %.3f s (%zu quads)\n", t4 - t3, matched);

  /* Small changes between reads: each read flushes one add or remove. */
  double t_small = now();
  for (size_t i = 0; i < 200; i++) {
    kz_id a = (kz_id)(1 + (i * 7919) % kz_index_term_count(index));
    kz_pattern pattern = {a, 0, 0, 0, KZ_MATCH_UNION, false};
    if (kz_index_add(index, a, a, a, 0) != KZ_OK || kz_index_estimate(index, &pattern) == 0 ||
        kz_index_remove(index, a, a, a, 0, NULL) != KZ_OK || kz_index_estimate(index, &pattern) > n)
      return 1;
  }
  printf("add, read, remove, read: %.2f ms a round\n", (now() - t_small) * 1000 / 200);

  FILE *smaps = fopen("/proc/self/smaps_rollup", "r");
  char line[256];
  while (smaps && fgets(line, sizeof line, smaps))
    if (strncmp(line, "AnonHugePages", 13) == 0 || strncmp(line, "Rss", 3) == 0)
      printf("%s", line);
  if (smaps)
    fclose(smaps);
  kz_error err;
  if (kz_index_save(index, path, &err) != KZ_OK) {
    fprintf(stderr, "%s: %s\n", err.source, err.message);
    return 1;
  }
  double t5 = now();
  printf("save %.3f s\n", t5 - t4);
  kz_index_free(index);
  double t6 = now();
  if (kz_index_open_file(&index, path, &err) != KZ_OK) {
    fprintf(stderr, "%s: %s\n", err.source, err.message);
    return 1;
  }
  double t7 = now();
  printf("open %.3f s (quads %zu, terms %zu)\n", t7 - t6, kz_index_quad_count(index),
         kz_index_term_count(index));
  kz_index_free(index);
  return 0;
}
