/*
 * kizuna load: parse RDF files into a store, each into its own named graph.
 * With the default memory store this only checks the files.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void help(void) {
  printf("Usage: kizuna load [OPTIONS] FILE...\n\n"
         "Parses each FILE and adds its triples to a named graph (the file's IRI\n"
         "unless --graph names one). A file with an error is not loaded at all\n"
         "and the store keeps what it had; the files before it stay loaded.\n"
         "With the default memory store, nothing is kept: this checks the files.\n"
         "After loading into a persistent store, its inferred graph is computed\n"
         "again (" KZ_INFERRED_GRAPH ").\n\n"
         "Options:\n"
         "  -s, --store SPEC   memory (default), kizuna:PATH or sqlite:PATH (created\n"
         "                     if missing)\n"
         "      --syntax S     turtle, ntriples, nquads, trig, rdfxml, rdfjson\n"
         "                     (default: from the file extension)\n"
         "  -g, --graph IRI    the named graph to load into\n"
         "      --no-infer     do not refresh the inferred graph of a persistent store\n"
         "      --base IRI     base IRI for relative IRIs (default: the file's IRI)\n"
         "  -h, --help         show this help\n");
}

int cmd_load(int argc, char **argv) {
  static const struct option long_options[] = {
      {"store", required_argument, NULL, 's'}, {"syntax", required_argument, NULL, 'S'},
      {"graph", required_argument, NULL, 'g'}, {"base", required_argument, NULL, 'B'},
      {"no-infer", no_argument, NULL, 'N'},    {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  int infer = 1;
  const char *spec = NULL;
  kz_load_options options = KZ_LOAD_OPTIONS_INIT;
  int opt;
  optind = 1;
  opterr = 0;
  while ((opt = getopt_long(argc, argv, ":s:g:h", long_options, NULL)) != -1) {
    switch (opt) {
    case 's': spec = optarg; break;
    case 'S': options.syntax = optarg; break;
    case 'g': options.graph = optarg; break;
    case 'B': options.base = optarg; break;
    case 'N': infer = 0; break;
    case 'h': help(); return EXIT_OK;
    case ':': return cli_usage_error("load", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("load", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return cli_usage_error("load", "give at least one file");
  kz_error err;
  kz_error_clear(&err);
  kz_store *store = NULL;
  if (kz_store_open(&store, spec, NULL, &err) != KZ_OK)
    return cli_report(&err);
  int code = EXIT_OK;
  uint64_t total = 0;
  for (int i = optind; i < argc; i++) {
    uint64_t added = 0;
    if (kz_store_load(store, argv[i], &options, &added, &err) != KZ_OK) {
      code = cli_report(&err);
      break;
    }
    total += added;
    printf("%s: %" PRIu64 " new triples\n", argv[i], added);
  }
  /* A persistent store keeps its entailments up to date with what it holds,
   * also when a later file failed and the earlier ones stay loaded. */
  int persistent = spec && strcmp(spec, "memory") != 0 && strcmp(spec, "hashes") != 0;
  if (persistent && infer && total > 0) {
    uint64_t inferred = 0;
    kz_error infer_err;
    kz_error_clear(&infer_err);
    if (kz_store_drop_graph(store, KZ_INFERRED_GRAPH, &infer_err) != KZ_OK ||
        kz_store_infer(store, &inferred, &infer_err) != KZ_OK) {
      int infer_code = cli_report(&infer_err);
      code = code ? code : infer_code;
    } else {
      printf("inferred %" PRIu64 " triples into %s\n", inferred, KZ_INFERRED_GRAPH);
    }
  }
  /* kizuna:PATH writes its file here, once, with what was loaded (a file
   * that failed added nothing). */
  if (kz_store_save(store, &err) != KZ_OK) {
    int save_code = cli_report(&err);
    code = code ? code : save_code;
  }
  kz_store_free(store);
  return code;
}
