/*
 * kizuna validate: check a store against SHACL shapes (by default the
 * bundled data against the bundled ontology/shapes.ttl) and print the
 * report. Exit 0 when there is no violation (warnings and infos allowed),
 * 1 when there is one (or the input is bad), 2 for a bad command line.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void help(void) {
  printf("Usage: kizuna validate [OPTIONS]\n\n"
         "Validates the data against SHACL shapes and prints one line per result,\n"
         "\"SEVERITY FOCUS PATH: MESSAGE\", then \"N violations, M warnings\".\n"
         "Exits 0 when there is no violation (warnings are allowed), 1 when there\n"
         "is one.\n\n"
         "Options:\n"
         "      --shapes FILE  the shapes (default: the bundled ontology/shapes.ttl)\n"
         "  -f, --format F     text (default), or the W3C validation report as\n"
         "                     turtle, ntriples or rdfxml\n"
         CLI_SOURCE_HELP
         "  -h, --help         show this help\n");
}

static int is_format(const char *format) {
  static const char *const formats[] = {"text", "turtle", "ntriples", "rdfxml"};
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (strcmp(format, formats[i]) == 0)
      return 1;
  return 0;
}

int cmd_validate(int argc, char **argv) {
  static const struct option long_options[] = {
      {"shapes", required_argument, NULL, 'H'}, {"format", required_argument, NULL, 'f'},
      CLI_SOURCE_OPTIONS, {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cli_source source = {0};
  const char *format = "text", *shapes = NULL;
  int opt, code = EXIT_OK;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK &&
         (opt = getopt_long(argc, argv, ":f:h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'H': shapes = optarg; break;
    case 'f': format = optarg; break;
    case 'h': help(); cli_source_clear(&source); return EXIT_OK;
    case ':': code = cli_usage_error("validate", "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error("validate", "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && optind != argc)
    code = cli_usage_error("validate", "unexpected argument '%s'", argv[optind]);
  if (code == EXIT_OK && !is_format(format))
    code = cli_usage_error("validate",
                           "unknown format '%s' (expected text, turtle, ntriples or rdfxml)", format);
  char bundled[PATH_MAX];
  if (code == EXIT_OK && !shapes) {
    const char *dir = cli_data_dir();
    if (!dir) {
      fprintf(stderr, "kizuna: cannot find the bundled shapes (set KIZUNA_DATA_DIR, or give "
                      "--shapes FILE)\n");
      code = EXIT_USER;
    } else if ((size_t)snprintf(bundled, sizeof bundled, "%s/ontology/shapes.ttl", dir) >=
               sizeof bundled) {
      fprintf(stderr, "kizuna: the bundled data's path is too long\n");
      code = EXIT_USER;
    } else {
      shapes = bundled;
    }
  }
  kz_store *store = NULL;
  if (code == EXIT_OK)
    code = cli_open_source(&store, &source);
  kz_report *report = NULL;
  if (code == EXIT_OK) {
    kz_error err;
    kz_error_clear(&err);
    if (kz_validate(&report, store, shapes, &err) != KZ_OK ||
        kz_report_write(report, stdout, format, &err) != KZ_OK)
      code = cli_report(&err);
    else if (kz_report_count(report, KZ_SEVERITY_VIOLATION) > 0)
      code = EXIT_USER;
  }
  kz_report_free(report);
  kz_store_free(store);
  cli_source_clear(&source);
  return code;
}
