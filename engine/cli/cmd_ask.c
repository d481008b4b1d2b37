/*
 * kizuna ask: a question in everyday words, matched against the phrases of
 * the catalogue and answered by the query it names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void help(void) {
  printf("Usage: kizuna ask [OPTIONS] \"QUESTION\"\n\n"
         "Answers a question such as \"all joint labs involving IIT Hyderabad\"\n"
         "with the catalogue query whose phrases match it ('kizuna run --list'\n"
         "shows an example for each).\n\n"
         "Options:\n"
         "  -f, --format F     table (default), csv, tsv, json, xml\n"
         "      --explain      print the matched query and its SPARQL, do not run it\n"
         "      --catalog DIR  the catalogue folder (default: the bundled one)\n"
         CLI_SOURCE_HELP
         "  -h, --help         show this help\n");
}

int cmd_ask(int argc, char **argv) {
  cli_words words;
  int code = cli_parse_words(&words, argc, argv, "ask", "give a question", help);
  if (words.helped) {
    cli_source_clear(&words.source);
    return EXIT_OK;
  }
  const char *format = words.format, *catalog_dir = words.catalog_dir, *question = words.text;
  int explain = words.explain;
  kz_catalog *catalog = NULL;
  kz_match *match = NULL;
  kz_store *store = NULL;
  kz_error err;
  kz_error_clear(&err);
  if (code == EXIT_OK)
    code = cli_load_catalog(&catalog, catalog_dir);
  if (code == EXIT_OK && kz_catalog_match(&match, catalog, question, &err) != KZ_OK)
    code = cli_report(&err);
  if (code == EXIT_OK)
    code = cli_open_source(&store, &words.source);
  /* The best candidate whose names resolve answers; if none does, the
   * first candidate's error is the one to show. */
  kz_error first;
  kz_error_clear(&first);
  char *sparql = NULL;
  size_t chosen = 0;
  for (; code == EXIT_OK && chosen < kz_match_count(match); chosen++) {
    kz_status status = kz_catalog_bind(&sparql, kz_match_entry(match, chosen), store,
                                       kz_match_params(match, chosen),
                                       kz_match_param_count(match, chosen), &err);
    if (status == KZ_OK)
      break;
    if (chosen == 0)
      first = err;
    if (status != KZ_ERR_NOT_FOUND && status != KZ_ERR_AMBIGUOUS && status != KZ_ERR_ARGUMENT)
      break;
  }
  if (code == EXIT_OK && !sparql) {
    code = cli_report(&first);
  } else if (code == EXIT_OK) {
    const kz_catalog_entry *entry = kz_match_entry(match, chosen);
    if (explain) {
      printf("# matched %s(", kz_catalog_entry_name(entry));
      for (size_t i = 0; i < kz_match_param_count(match, chosen); i++)
        printf("%s%s=\"%s\"", i ? ", " : "", kz_match_params(match, chosen)[i].name,
               kz_match_params(match, chosen)[i].value);
      printf(")\n");
    }
    if (explain)
      printf("# %s\n%s", kz_catalog_entry_name(entry), sparql);
    else
      code = cli_run_query(store, kz_catalog_entry_name(entry), sparql, NULL, format, NULL);
  }
  free(sparql);
  kz_store_free(store);
  kz_match_free(match);
  kz_catalog_free(catalog);
  cli_source_clear(&words.source);
  return code;
}
