/* What the fuzzers check on every input: the SPARQL front end returns (no
 * crash, no sanitizer report, nothing leaked) and keeps its promises: an
 * error is a filled kz_error of one line, with a position when the parser
 * rejects the text; a query it accepts translates and prints. */
#ifndef KZ_TESTS_FUZZ_CHECK_H
#define KZ_TESTS_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparql/algebra.h"
#include "sparql/parser.h"

/* Reports a broken promise about text and aborts, so that a fuzzer keeps
 * the input. */
static void fuzz_broken(const char *text, const char *what, const kz_error *err) {
  fprintf(stderr, "broken promise: %s\n  error: %ld:%ld: %s\n  input: %.300s\n", what,
          err->line, err->column, err->message, text);
  abort();
}

static void fuzz_check_error(const char *text, kz_status status, const kz_error *err,
                             int needs_position) {
  if (err->status != status)
    fuzz_broken(text, "the status returned and the error's differ", err);
  if (!err->message[0] || strchr(err->message, '\n'))
    fuzz_broken(text, "the message is empty or not one line", err);
  if (needs_position && status == KZ_ERR_QUERY && (err->line < 1 || err->column < 1))
    fuzz_broken(text, "a rejected query has no line and column", err);
}

/* Parses text (NUL-terminated); if valid, translates and prints it.
 * Returns 1 when the query was valid. */
static int fuzz_one(const char *text) {
  kz_ast_query *ast = NULL;
  kz_error err;
  kz_error_clear(&err);
  kz_status status = kz_sparql_parse(&ast, text, "http://ex/", "fuzz", &err);
  if (status != KZ_OK) {
    if (ast)
      fuzz_broken(text, "a failed parse returned an AST", &err);
    fuzz_check_error(text, status, &err, 1);
    return 0;
  }
  kz_algebra *algebra = NULL;
  status = kz_algebra_translate(&algebra, ast, "fuzz", &err);
  kz_ast_free(ast);
  if (status != KZ_OK) {
    fuzz_check_error(text, status, &err, 0);
    if (status != KZ_ERR_QUERY && status != KZ_ERR_NOMEM)
      fuzz_broken(text, "translation failed on a valid query", &err);
    return 1;
  }
  char *printed = kz_algebra_to_string(algebra, KZ_ALGEBRA_INDENTED);
  if (!printed || printed[0] != '(')
    fuzz_broken(text, "the algebra did not print", &err);
  free(printed);
  kz_algebra_free(algebra);
  return 1;
}

#endif
