/*
 * kizuna query: run a SPARQL query from -e, a file, or stdin ("-"); or,
 * with --check or --explain, only parse it with Kizuna's own SPARQL parser
 * (no store is opened and nothing runs).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void help(void) {
  printf("Usage: kizuna query [OPTIONS] (-e SPARQL | FILE.rq | -)\n\n"
         "Runs a SPARQL query and writes its results to stdout.\n\n"
         "Options:\n"
         "  -e, --execute SPARQL  the query text\n"
         "  -f, --format F        SELECT/ASK: table (default), csv, tsv, json, xml\n"
         "                        CONSTRUCT/DESCRIBE: turtle (default), ntriples, nquads, rdfxml\n"
         CLI_SOURCE_HELP
         "      --base IRI        base IRI for relative IRIs in the query\n"
         "      --check           only check the query (SPARQL 1.1 grammar and static\n"
         "                        rules): exit 0 if valid, 1 with SOURCE:LINE:COL if not\n"
         "      --explain         print the query's SPARQL algebra instead of running it\n"
         "  -h, --help            show this help\n\n"
         "The default graph is the union of all graphs in the store.\n");
}

static int known_format(const char *format) {
  static const char *const names[] = {"table", "csv", "tsv", "json", "xml",
                                      "turtle", "ntriples", "nquads", "rdfxml"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(format, names[i]) == 0)
      return 1;
  return 0;
}

static int run(const cli_source *source, const char *text, const char *origin,
               const char *format, const char *base) {
  kz_store *store = NULL;
  int code = cli_open_source(&store, source);
  if (code == EXIT_OK)
    code = cli_run_query(store, origin, text, base, format);
  kz_store_free(store);
  return code;
}

static int check_or_explain(const char *text, const char *origin, const char *base, int explain) {
  kz_error err;
  kz_error_clear(&err);
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.source = origin;
  options.base = base;
  char *algebra = NULL;
  kz_status status = explain ? kz_query_explain(&algebra, text, &options, &err)
                             : kz_query_check(text, &options, &err);
  if (status != KZ_OK)
    return cli_report(&err);
  if (algebra)
    fputs(algebra, stdout);
  free(algebra);
  return EXIT_OK;
}

int cmd_query(int argc, char **argv) {
  static const struct option long_options[] = {
      {"execute", required_argument, NULL, 'e'}, {"format", required_argument, NULL, 'f'},
      {"base", required_argument, NULL, 'B'},    CLI_SOURCE_OPTIONS,
      {"check", no_argument, NULL, 'C'},         {"explain", no_argument, NULL, 'X'},
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  cli_source source = {0};
  const char *text = NULL, *format = NULL, *base = NULL;
  int opt, code = EXIT_OK, check = 0, explain = 0;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK && (opt = getopt_long(argc, argv, ":e:f:h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'e': text = optarg; break;
    case 'f': format = optarg; break;
    case 'B': base = optarg; break;
    case 'C': check = 1; break;
    case 'X': explain = 1; break;
    case 'h': help(); cli_source_clear(&source); return EXIT_OK;
    case ':': code = cli_usage_error("query", "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error("query", "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && check && explain)
    code = cli_usage_error("query", "give --check or --explain, not both");
  if (code == EXIT_OK && format && (check || explain))
    code = cli_usage_error("query", "--format does not apply to --check or --explain");
  if (code == EXIT_OK && format && !known_format(format))
    code = cli_usage_error("query", "unknown format '%s'", format);
  if (code == EXIT_OK && !text && optind != argc - 1)
    code = cli_usage_error("query", optind < argc ? "give one query file" : "give a query with -e or a file");
  if (code == EXIT_OK && text && optind != argc)
    code = cli_usage_error("query", "give the query either with -e or as a file, not both");
  if (code != EXIT_OK) {
    cli_source_clear(&source);
    return code;
  }
  char *file_text = NULL;
  const char *origin = "query";
  if (!text) {
    origin = argv[optind];
    file_text = cli_read_file(origin);
    if (!file_text) {
      fprintf(stderr, "%s: cannot read: %s\n", origin, strerror(errno));
      cli_source_clear(&source);
      return EXIT_USER;
    }
    text = file_text;
    if (strcmp(origin, "-") == 0)
      origin = "stdin";
  }
  if (check || explain)
    code = check_or_explain(text, origin, base, explain);
  else
    code = run(&source, text, origin, format, base);
  free(file_text);
  cli_source_clear(&source);
  return code;
}
