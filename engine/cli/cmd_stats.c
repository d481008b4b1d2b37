/*
 * kizuna stats: what is in a store.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"

static void help(void) {
  printf("Usage: kizuna stats [OPTIONS]\n\n"
         "Prints the number of quads, the named graphs with their sizes, the\n"
         "classes with their instance counts and the properties with their\n"
         "usage counts (classes and properties over the union of all graphs).\n\n"
         "Options:\n"
         CLI_SOURCE_HELP
         "  -h, --help         show this help\n");
}

static void print_counts(const char *title, const kz_count *counts, size_t n) {
  printf("%s (%zu)\n", title, n);
  for (size_t i = 0; i < n; i++)
    printf("  %10" PRIu64 "  %s\n", counts[i].count, counts[i].name);
}

int cmd_stats(int argc, char **argv) {
  static const struct option long_options[] = {
      CLI_SOURCE_OPTIONS, {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cli_source source = {0};
  int opt, code = EXIT_OK;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK && (opt = getopt_long(argc, argv, ":h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'h': help(); cli_source_clear(&source); return EXIT_OK;
    case ':': code = cli_usage_error("stats", "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error("stats", "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && optind != argc)
    code = cli_usage_error("stats", "unexpected argument '%s'", argv[optind]);
  kz_store *store = NULL;
  if (code == EXIT_OK)
    code = cli_open_source(&store, &source);
  kz_stats *stats = NULL;
  if (code == EXIT_OK) {
    kz_error err;
    kz_error_clear(&err);
    if (kz_store_stats(&stats, store, &err) != KZ_OK) {
      code = cli_report(&err);
    } else {
      printf("quads %" PRIu64 "\n", stats->quads);
      print_counts("graphs", stats->graphs, stats->graph_count);
      print_counts("classes", stats->classes, stats->class_count);
      print_counts("properties", stats->properties, stats->property_count);
    }
  }
  kz_stats_free(stats);
  kz_store_free(store);
  cli_source_clear(&source);
  return code;
}
