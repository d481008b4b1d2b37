/*
 * kizuna describe: every statement about one resource, named the way a
 * catalogue parameter is (a label, an acronym, a near spelling, or the full
 * IRI). A shortcut for `kizuna run describe -p thing=NAME`: the catalogue's
 * `describe` query, bound and resolved by kz_catalog_bind, so a name that
 * fits nothing gets suggestions and one that fits several lists them.
 */
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
  cli_words words;
  int code = cli_parse_words(&words, argc, argv, "describe",
                             "give the name or IRI of a resource", help);
  if (words.helped) {
    cli_source_clear(&words.source);
    return EXIT_OK;
  }
  const char *format = words.format, *catalog_dir = words.catalog_dir, *name = words.text;
  int explain = words.explain;
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
    code = cli_open_source(&store, &words.source);
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
  cli_source_clear(&words.source);
  return code;
}
