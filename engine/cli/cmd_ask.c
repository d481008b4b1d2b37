/*
 * kizuna ask: a question in everyday words, matched against the phrases of
 * the catalogue and answered by the query it names.
 */
#include <getopt.h>
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
  static const struct option long_options[] = {
      {"format", required_argument, NULL, 'f'},  {"explain", no_argument, NULL, 'E'},
      {"catalog", required_argument, NULL, 'C'}, CLI_SOURCE_OPTIONS,
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  cli_source source = {0};
  const char *format = NULL, *catalog_dir = NULL;
  int opt, code = EXIT_OK, explain = 0;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK &&
         (opt = getopt_long(argc, argv, ":f:h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'f': format = optarg; break;
    case 'E': explain = 1; break;
    case 'C': catalog_dir = optarg; break;
    case 'h': help(); cli_source_clear(&source); return EXIT_OK;
    case ':': code = cli_usage_error("ask", "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error("ask", "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && format && !kz_results_format_supported(KZ_RESULTS_BINDINGS, format))
    code = cli_usage_error("ask", "unknown format '%s' (table, csv, tsv, json, xml)", format);
  if (code == EXIT_OK && optind >= argc)
    code = cli_usage_error("ask", "give a question");
  /* The question may come as one argument or as several words. */
  char question[4096] = "";
  for (int i = optind; code == EXIT_OK && i < argc; i++) {
    size_t used = strlen(question);
    snprintf(question + used, sizeof question - used, "%s%s", i > optind ? " " : "", argv[i]);
  }
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
    code = cli_open_source(&store, &source);
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
  cli_source_clear(&source);
  return code;
}
