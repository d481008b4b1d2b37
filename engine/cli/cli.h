/*
 * The kizuna command-line tool: shared pieces of its subcommands. The CLI is
 * a thin shell: it parses options, calls libkizuna, and turns a kz_error into
 * one line on stderr and an exit code.
 */
#ifndef KZ_CLI_H
#define KZ_CLI_H

#include <stddef.h>

#include "kizuna/kizuna.h"

/* Exit codes, as documented in the README. */
enum {
  EXIT_OK = 0,
  EXIT_USER = 1,     /* bad input: file, syntax, query, name, locked store */
  EXIT_USAGE = 2,    /* bad command line */
  EXIT_INTERNAL = 3  /* a bug or out of memory */
};

/* Where a command gets its data from. */
typedef struct cli_source {
  const char *store_spec; /* --store, NULL for memory */
  const char **data;      /* --data files */
  size_t data_count;
  const char **named;     /* --named files */
  size_t named_count;
  const char *syntax;     /* --syntax for the data files */
  int no_infer;           /* --no-infer: skip materialising entailments */
  /* Set by cli_open_source when --data or --named gave the dataset: the
   * default graph is the merge of the --data files (and their inferred
   * triples), the named graphs the --named files (and the named graphs
   * inside --data TriG/N-Quads files). */
  int has_dataset;
  kz_dataset dataset;
  char **dataset_strings; /* owned IRIs behind dataset */
  size_t dataset_string_count;
} cli_source;

/* The options every reading command takes, for getopt_long tables... */
#define CLI_SOURCE_OPTIONS                                                   \
  {"store", required_argument, NULL, 's'}, {"data", required_argument, NULL, 'd'}, \
      {"named", required_argument, NULL, 'M'}, {"syntax", required_argument, NULL, 'S'}, \
      {"no-infer", no_argument, NULL, 'N'}
/* ...their short forms... */
#define CLI_SOURCE_SHORT "s:d:"
/* ...and their help lines. */
#define CLI_SOURCE_HELP                                                        \
  "  -s, --store SPEC   memory (default), hashes, kizuna:PATH or sqlite:PATH\n"            \
  "  -d, --data FILE    load FILE into the memory store instead of the\n"      \
  "                     bundled data; the --data files make up the default\n" \
  "                     graph (repeatable)\n"                                 \
  "      --named FILE   load FILE as a named graph, named by the file's IRI\n"\
  "                     and seen only through GRAPH (repeatable)\n"          \
  "      --syntax S     syntax of the --data files (default: by extension)\n" \
  "      --no-infer     leave out the inferred triples (memory store)\n"

/* Takes a source option: 1 if opt was one, 0 if not, -1 on out of memory. */
int cli_source_option(cli_source *source, int opt, const char *arg);
void cli_source_clear(cli_source *source);

/* Opens the store a reading command works on: a persistent store read-only,
 * or a memory store filled with the --data and --named files or, without
 * any, the bundled data. Prints the error and returns its exit code on
 * failure. Sets source->dataset (see above). */
int cli_open_source(kz_store **out, cli_source *source);

/* How cli_run_query runs a query (all zero: the defaults). */
typedef struct cli_query_settings {
  kz_query_engine engine;
  const kz_dataset *dataset; /* NULL: the store's */
  double timeout;            /* seconds, 0: none */
  int time;                  /* --time: print timings to stderr */
  int repeat;                /* --repeat N: evaluate N times (with --time) */
  double load_ms;            /* for the --time line */
} cli_query_settings;

/* Prints err as one line on stderr and returns the matching exit code. */
int cli_report(const kz_error *err);

/* Prints "kizuna CMD: MESSAGE" plus a hint to use --help; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *format, ...);

/* The directory with the bundled ontology/, datasets/, queries/; NULL if none. */
const char *cli_data_dir(void);

/* Reads a whole file (or stdin for "-") into a new string; NULL on failure
 * with errno set. Caller frees. */
char *cli_read_file(const char *path);

/* Loads the catalogue of dir (NULL: the bundled one); prints any error and
 * returns its exit code. */
int cli_load_catalog(kz_catalog **out, const char *dir);

/* The command line of ask and describe: -f, --explain, --catalog, the
 * source options, then words joined by spaces into text. */
typedef struct cli_words {
  cli_source source; /* cleared by the caller with cli_source_clear */
  const char *format, *catalog_dir;
  int explain, helped; /* helped: -h was given and help shown */
  char text[4096];
} cli_words;

/* Parses argv into words (zeroed first) for command; missing is the usage
 * message when no word is given. Returns an exit code. */
int cli_parse_words(cli_words *words, int argc, char **argv, const char *command,
                    const char *missing, void (*help)(void));

/* Runs the query text on store and writes its results to stdout in format
 * (NULL: the default for its kind). origin names the query in errors; base
 * may be NULL. Returns an exit code. */
int cli_run_query(kz_store *store, const char *origin, const char *text, const char *base,
                  const char *format, const cli_query_settings *settings);

/* Milliseconds on a monotonic clock. */
double cli_now_ms(void);

int cmd_query(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_ask(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
