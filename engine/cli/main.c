/*
 * kizuna: the command-line tool. Dispatches to one subcommand; every
 * subcommand has its own --help.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
    {"ask", cmd_ask, "answer a question in everyday words"},
    {"run", cmd_run, "run a named query of the catalogue"},
    {"describe", cmd_describe, "every statement about a resource, by name or IRI"},
    {"query", cmd_query, "run a SPARQL query"},
    {"load", cmd_load, "load RDF files into a store (checks their syntax)"},
    {"export", cmd_export, "write a store as Turtle, N-Triples, N-Quads, TriG or RDF/XML"},
    {"stats", cmd_stats, "count triples, graphs, classes and properties"},
    {"validate", cmd_validate, "check the data against SHACL shapes"},
    {"serve", cmd_serve, "serve SPARQL, the catalogue and linked data over HTTP"},
};

static void usage(FILE *out) {
  fprintf(out, "Usage: kizuna COMMAND [OPTIONS] [ARGS]\n\n"
               "Kizuna answers questions about science and technology cooperation\n"
               "from an RDF knowledge graph. Without --store or --data, commands\n"
               "work on the bundled ontology and datasets.\n\nCommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nOptions:\n  -h, --help     show this help\n"
               "  -V, --version  show the version\n\n"
               "'kizuna COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
    usage(stdout);
    return EXIT_OK;
  }
  if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
    printf("kizuna %s\n", kz_version());
    return EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(name, commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "kizuna: unknown command '%s' (see 'kizuna --help')\n", name);
  return EXIT_USAGE;
}
