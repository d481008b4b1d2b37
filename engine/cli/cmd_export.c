/*
 * kizuna export: write a store (or one of its graphs) in an RDF syntax.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

static void help(void) {
  printf("Usage: kizuna export [OPTIONS]\n\n"
         "Writes the store to stdout. Triple formats write the union of all\n"
         "graphs (each triple once); nquads, trig and jsonld keep the graphs.\n\n"
         "Options:\n"
         "  -f, --format F     turtle (default), ntriples, nquads, trig, rdfxml,\n"
         "                     jsonld (JSON-LD, named graphs as @graph nodes)\n"
         "  -g, --graph IRI    write only this named graph\n"
         CLI_SOURCE_HELP
         "  -h, --help         show this help\n");
}

int cmd_export(int argc, char **argv) {
  static const struct option long_options[] = {
      {"format", required_argument, NULL, 'f'}, {"graph", required_argument, NULL, 'g'},
      CLI_SOURCE_OPTIONS,                       {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cli_source source = {0};
  const char *format = "turtle", *graph = NULL;
  int opt, code = EXIT_OK;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK && (opt = getopt_long(argc, argv, ":f:g:h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'f': format = optarg; break;
    case 'g': graph = optarg; break;
    case 'h': help(); cli_source_clear(&source); return EXIT_OK;
    case ':': code = cli_usage_error("export", "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error("export", "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && optind != argc)
    code = cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
  kz_store *store = NULL;
  if (code == EXIT_OK)
    code = cli_open_source(&store, &source);
  if (code == EXIT_OK) {
    kz_error err;
    kz_error_clear(&err);
    if (kz_store_export(store, stdout, format, graph, &err) != KZ_OK)
      code = err.status == KZ_ERR_ARGUMENT ? (cli_report(&err), EXIT_USAGE) : cli_report(&err);
  }
  kz_store_free(store);
  cli_source_clear(&source);
  return code;
}
