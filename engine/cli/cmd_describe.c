/*
 * kizuna describe: every statement about one resource, named the way a
 * catalogue parameter is (a label, an acronym, a near spelling, or the full
 * IRI). A shortcut for `kizuna run describe -p thing=NAME`: the catalogue's
 * `describe` query, bound and resolved by kz_catalog_bind, so a name that
 * fits nothing gets suggestions and one that fits several lists them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void help(void) {
  printf("Usage: kizuna describe [OPTIONS] NAME\n\n"
         "Shows every statement about a resource, with the names of what it\n"
         "points to. NAME is any of its labels or acronyms (\"IIT Hyderabad\",\n"
         "\"IITH\", \"iit-h\"), resolved as catalogue parameters are, or its full\n"
         "IRI. The same as 'kizuna run describe -p thing=NAME'.\n\n"
         "Options:\n"
         "  -f, --format F     table (default), csv, tsv, json, xml\n"
         "      --explain      print the final SPARQL instead of running it\n"
         "      --catalog DIR  the catalogue folder (default: the bundled one)\n"
         CLI_SOURCE_HELP
         "  -h, --help         show this help\n");
}

int cmd_describe(int argc, char **argv) {
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
    case ':': code = cli_usage_error("describe", "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error("describe", "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && format && !kz_results_format_supported(KZ_RESULTS_BINDINGS, format))
    code = cli_usage_error("describe", "unknown format '%s' (table, csv, tsv, json, xml)", format);
  if (code == EXIT_OK && optind >= argc)
    code = cli_usage_error("describe", "give the name or IRI of a resource");
  /* The name may come as one argument or as several words. */
  char name[4096] = "";
  for (int i = optind; code == EXIT_OK && i < argc; i++) {
    size_t used = strlen(name);
    snprintf(name + used, sizeof name - used, "%s%s", i > optind ? " " : "", argv[i]);
  }
  kz_catalog *catalog = NULL;
  kz_store *store = NULL;
  const kz_catalog_entry *entry = NULL;
  if (code == EXIT_OK)
    code = cli_load_catalog(&catalog, catalog_dir);
  if (code == EXIT_OK && !(entry = kz_catalog_find(catalog, "describe"))) {
    fprintf(stderr, "kizuna: the catalogue has no 'describe' query\n");
    code = EXIT_USER;
  }
  if (code == EXIT_OK)
    code = cli_open_source(&store, &source);
  char *sparql = NULL;
  kz_error err;
  kz_error_clear(&err);
  kz_param thing = {"thing", name};
  if (code == EXIT_OK && kz_catalog_bind(&sparql, entry, store, &thing, 1, &err) != KZ_OK)
    code = cli_report(&err);
  else if (code == EXIT_OK && explain)
    printf("# %s\n%s", kz_catalog_entry_name(entry), sparql);
  else if (code == EXIT_OK)
    code = cli_run_query(store, kz_catalog_entry_name(entry), sparql, NULL, format, NULL);
  free(sparql);
  kz_store_free(store);
  kz_catalog_free(catalog);
  cli_source_clear(&source);
  return code;
}
