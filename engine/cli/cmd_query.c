/*
 * kizuna query: run a SPARQL query from -e, a file, or stdin ("-"); with
 * --check only parse it (no store is opened); with --explain print its
 * algebra and its physical plan (with --time, after running it, with the
 * actual rows of each operator).
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
         "                        CONSTRUCT/DESCRIBE: turtle (default), ntriples, nquads, rdfxml,\n"
         "                        jsonld (JSON-LD)\n"
         CLI_SOURCE_HELP
         "      --base IRI        base IRI for relative IRIs in the query\n"
         "      --engine E        kizuna (default) or rasqal (Redland's, for comparison)\n"
         "      --timeout SECONDS stop the query after this long (exit 1)\n"
         "      --check           only check the query (SPARQL 1.1 grammar and static\n"
         "                        rules): exit 0 if valid, 1 with SOURCE:LINE:COL if not\n"
         "      --explain         print the query's SPARQL algebra and its plan with\n"
         "                        estimated rows instead of running it\n"
         "      --time            print load, parse, plan and evaluation times and the\n"
         "                        row count to stderr (with --explain: run the query and\n"
         "                        show the actual rows of each operator)\n"
         "      --repeat N        with --time: evaluate N times, report the median\n"
         "  -h, --help            show this help\n\n"
         "The default graph is the union of all graphs in the store, or, with --data\n"
         "or --named, the merge of the --data files.\n");
}

static int known_format(const char *format) {
  static const char *const names[] = {"table", "csv", "tsv", "json", "xml",
                                      "turtle", "ntriples", "nquads", "rdfxml", "jsonld"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(format, names[i]) == 0)
      return 1;
  return 0;
}

static int run(cli_source *source, const char *text, const char *origin, const char *format,
               const char *base, cli_query_settings *settings) {
  kz_store *store = NULL;
  double start = cli_now_ms();
  int code = cli_open_source(&store, source);
  settings->load_ms = cli_now_ms() - start;
  if (source->has_dataset)
    settings->dataset = &source->dataset;
  if (code == EXIT_OK)
    code = cli_run_query(store, origin, text, base, format, settings);
  kz_store_free(store);
  return code;
}

/* The plan, after the algebra: opens the store the query would run on. */
static int explain_plan(cli_source *source, const char *text, const char *origin,
                        const char *base, cli_query_settings *settings) {
  kz_store *store = NULL;
  int code = cli_open_source(&store, source);
  if (code != EXIT_OK)
    return code;
  kz_error err;
  kz_error_clear(&err);
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.source = origin;
  options.base = base;
  options.dataset = source->has_dataset ? &source->dataset : NULL;
  options.timeout = settings->timeout;
  kz_query *query = NULL;
  size_t rows = 0;
  printf("\nplan%s:\n", settings->time ? " (run: actual opens and rows)" : " (estimated rows)");
  fflush(stdout);
  if (kz_query_prepare(&query, store, text, &options, &err) != KZ_OK ||
      kz_query_explain_plan(query, stdout, settings->time, &rows, &err) != KZ_OK)
    code = cli_report(&err);
  else if (settings->time)
    fprintf(stderr, "%zu rows\n", rows);
  kz_query_free(query);
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
      {"engine", required_argument, NULL, 'E'},  {"timeout", required_argument, NULL, 'T'},
      {"time", no_argument, NULL, 'I'},          {"repeat", required_argument, NULL, 'R'},
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  cli_source source = {0};
  cli_query_settings settings = {0};
  const char *text = NULL, *format = NULL, *base = NULL;
  int opt, code = EXIT_OK, check = 0, explain = 0;
  char *end = NULL;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK && (opt = getopt_long(argc, argv, ":e:f:h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'e': text = optarg; break;
    case 'f': format = optarg; break;
    case 'B': base = optarg; break;
    case 'C': check = 1; break;
    case 'X': explain = 1; break;
    case 'I': settings.time = 1; break;
    case 'E':
      if (strcmp(optarg, "kizuna") == 0)
        settings.engine = KZ_ENGINE_KIZUNA;
      else if (strcmp(optarg, "rasqal") == 0)
        settings.engine = KZ_ENGINE_RASQAL;
      else
        code = cli_usage_error("query", "unknown engine '%s' (kizuna or rasqal)", optarg);
      break;
    case 'T':
      settings.timeout = strtod(optarg, &end);
      if (end == optarg || *end || !(settings.timeout > 0) || settings.timeout > 1e9)
        code = cli_usage_error("query", "--timeout needs a number of seconds above 0, not '%s'", optarg);
      break;
    case 'R': {
      long n = strtol(optarg, &end, 10);
      if (end == optarg || *end || n < 1 || n > 1000000)
        code = cli_usage_error("query", "--repeat needs a count from 1, not '%s'", optarg);
      settings.repeat = (int)n;
      break;
    }
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
  if (code == EXIT_OK && settings.timeout > 0 && settings.engine == KZ_ENGINE_RASQAL)
    code = cli_usage_error("query", "--timeout applies to the kizuna engine only (Rasqal cannot be stopped)");
  if (code == EXIT_OK && settings.repeat && !settings.time)
    code = cli_usage_error("query", "--repeat goes with --time");
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
  if (code == EXIT_OK && explain && settings.engine == KZ_ENGINE_KIZUNA)
    code = explain_plan(&source, text, origin, base, &settings);
  else if (!check && !explain)
    code = run(&source, text, origin, format, base, &settings);
  free(file_text);
  cli_source_clear(&source);
  return code;
}
