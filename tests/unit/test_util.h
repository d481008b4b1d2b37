/* Helpers shared by the unit tests: fixture paths and temporary files. */
#ifndef KZ_TEST_UTIL_H
#define KZ_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

/* Path of a file in tests/fixtures (static buffer: use before the next call). */
static inline const char *fixture(const char *name) {
  static char path[4096];
  const char *dir = getenv("KZ_FIXTURES");
  snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/fixtures", name);
  return path;
}

#endif
