/*
 * kizuna run: the named query catalogue.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void help(void) {
  printf("Usage: kizuna run NAME [--param KEY=VALUE]... [OPTIONS]\n"
         "       kizuna run --list\n\n"
         "Runs a query of the catalogue (queries/*.rq) with its parameters.\n"
         "Names (agency, country, domain, resource) are resolved through labels\n"
         "and acronyms; dates are YYYY, YYYY-MM, YYYY-MM-DD or like \"March 2015\";\n"
         "every value is bound as a typed RDF term. A parameter in [brackets]\n"
         "in --list may be left out.\n\n"
         "Options:\n"
         "  -p, --param KEY=VALUE  a parameter (repeatable)\n"
         "  -l, --list             list the catalogue with descriptions\n"
         "  -f, --format F         table (default), csv, tsv, json, xml\n"
         "      --explain          print the final SPARQL instead of running it\n"
         "      --catalog DIR      the catalogue folder (default: the bundled one)\n"
         CLI_SOURCE_HELP
         "  -h, --help             show this help\n");
}

int cli_load_catalog(kz_catalog **out, const char *dir) {
  char path[4096];
  if (!dir) {
    const char *data = cli_data_dir();
    if (!data) {
      fprintf(stderr, "kizuna: cannot find the bundled catalogue (set KIZUNA_DATA_DIR or give --catalog DIR)\n");
      return EXIT_USER;
    }
    snprintf(path, sizeof path, "%s/queries", data);
    dir = path;
  }
  kz_error err;
  kz_error_clear(&err);
  if (kz_catalog_load(out, dir, &err) != KZ_OK)
    return cli_report(&err);
  return EXIT_OK;
}

static void list(const kz_catalog *catalog) {
  for (size_t i = 0; i < kz_catalog_count(catalog); i++) {
    const kz_catalog_entry *e = kz_catalog_get(catalog, i);
    printf("%s(", kz_catalog_entry_name(e));
    for (size_t k = 0; k < kz_catalog_entry_param_count(e); k++) /* [optional] */
      printf(kz_catalog_entry_param_optional(e, k) ? "%s[%s]" : "%s%s", k ? ", " : "",
             kz_catalog_entry_param_name(e, k));
    printf(")\n    %s\n", kz_catalog_entry_description(e));
    if (kz_catalog_entry_example_count(e))
      printf("    e.g. kizuna ask \"%s\"\n", kz_catalog_entry_example(e, 0));
  }
}

/* Names of the catalogue that share a word with name, for a suggestion. */
static void suggest(const kz_catalog *catalog, const char *name) {
  int shown = 0;
  for (size_t i = 0; i < kz_catalog_count(catalog); i++) {
    const char *candidate = kz_catalog_entry_name(kz_catalog_get(catalog, i));
    char word[64];
    const char *p = name;
    int related = 0;
    while (*p && !related) {
      size_t n = strcspn(p, "-_ ");
      if (n >= 3 && n < sizeof word) {
        memcpy(word, p, n);
        word[n] = '\0';
        related = strstr(candidate, word) != NULL;
      }
      p += n;
      p += strspn(p, "-_ ");
    }
    if (related)
      fprintf(stderr, "%s%s", shown++ ? ", " : "; did you mean: ", candidate);
  }
}

int cmd_run(int argc, char **argv) {
  static const struct option long_options[] = {
      {"param", required_argument, NULL, 'p'},  {"list", no_argument, NULL, 'l'},
      {"format", required_argument, NULL, 'f'}, {"explain", no_argument, NULL, 'E'},
      {"catalog", required_argument, NULL, 'C'}, CLI_SOURCE_OPTIONS,
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  cli_source source = {0};
  kz_param *params = NULL;
  size_t param_count = 0;
  const char *format = NULL, *catalog_dir = NULL;
  int opt, code = EXIT_OK, listing = 0, explain = 0;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK &&
         (opt = getopt_long(argc, argv, ":p:lf:h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'p': {
      char *eq = strchr(optarg, '=');
      kz_param *grown = eq && eq != optarg ? realloc(params, (param_count + 1) * sizeof *grown) : NULL;
      if (!eq || eq == optarg) {
        code = cli_usage_error("run", "expected --param KEY=VALUE, not '%s'", optarg);
        break;
      }
      if (!grown) {
        code = EXIT_INTERNAL;
        break;
      }
      params = grown;
      *eq = '\0'; /* argv is ours to split */
      params[param_count++] = (kz_param){optarg, eq + 1};
      break;
    }
    case 'l': listing = 1; break;
    case 'f': format = optarg; break;
    case 'E': explain = 1; break;
    case 'C': catalog_dir = optarg; break;
    case 'h': help(); free(params); cli_source_clear(&source); return EXIT_OK;
    case ':': code = cli_usage_error("run", "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error("run", "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && format && !kz_results_format_supported(KZ_RESULTS_BINDINGS, format))
    code = cli_usage_error("run", "unknown format '%s' (table, csv, tsv, json, xml)", format);
  if (code == EXIT_OK && !listing && optind != argc - 1)
    code = cli_usage_error("run", optind < argc ? "give one query name" : "give a query name or --list");
  kz_catalog *catalog = NULL;
  if (code == EXIT_OK)
    code = cli_load_catalog(&catalog, catalog_dir);
  if (code == EXIT_OK && listing) {
    list(catalog);
  } else if (code == EXIT_OK) {
    const kz_catalog_entry *entry = kz_catalog_find(catalog, argv[optind]);
    if (!entry) {
      fprintf(stderr, "kizuna: unknown query '%s'", argv[optind]);
      suggest(catalog, argv[optind]);
      fprintf(stderr, " (see 'kizuna run --list')\n");
      code = EXIT_USER;
    } else {
      kz_store *store = NULL;
      char *sparql = NULL;
      kz_error err;
      kz_error_clear(&err);
      code = cli_open_source(&store, &source);
      if (code == EXIT_OK && kz_catalog_bind(&sparql, entry, store, params, param_count, &err) != KZ_OK)
        code = cli_report(&err);
      else if (code == EXIT_OK)
        code = explain ? (printf("# %s\n%s", kz_catalog_entry_name(entry), sparql), EXIT_OK)
                        : cli_run_query(store, kz_catalog_entry_name(entry), sparql, NULL, format, NULL);
      free(sparql);
      kz_store_free(store);
    }
  }
  kz_catalog_free(catalog);
  free(params);
  cli_source_clear(&source);
  return code;
}
