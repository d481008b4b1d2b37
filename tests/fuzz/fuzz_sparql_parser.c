/* libFuzzer entry point for the SPARQL front end: every input is parsed,
 * and translated and printed when valid (fuzz_check.h says what is
 * checked). Built with clang and -DKZ_FUZZ=ON; tests/fuzz/run_libfuzzer.sh
 * runs it for a bounded time over the W3C queries. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  fuzz_one(text);
  free(text);
  return 0;
}
