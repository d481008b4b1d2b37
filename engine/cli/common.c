/*
 * Shared CLI plumbing: finding the bundled data, opening the store a command
 * reads, reading files, and printing errors as single lines.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef KZ_INSTALL_DATADIR
#define KZ_INSTALL_DATADIR "/usr/local/share/kizuna"
#endif

int cli_report(const kz_error *err) {
  char line[2048];
  kz_error_format(err, line, sizeof line);
  if (err->source[0])
    fprintf(stderr, "%s\n", line);
  else
    fprintf(stderr, "kizuna: %s\n", line);
  return err->status == KZ_ERR_INTERNAL || err->status == KZ_ERR_NOMEM ? EXIT_INTERNAL : EXIT_USER;
}

int cli_usage_error(const char *command, const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "kizuna %s: ", command);
  vfprintf(stderr, format, args);
  fprintf(stderr, " (see 'kizuna %s --help')\n", command);
  va_end(args);
  return EXIT_USAGE;
}

int cli_source_option(cli_source *source, int opt, const char *arg) {
  switch (opt) {
  case 's': source->store_spec = arg; return 1;
  case 'S': source->syntax = arg; return 1;
  case 'N': source->no_infer = 1; return 1;
  case 'd':
  case 'M': {
    const char ***list = opt == 'd' ? &source->data : &source->named;
    size_t *count = opt == 'd' ? &source->data_count : &source->named_count;
    const char **grown = realloc(*list, (*count + 1) * sizeof *grown);
    if (!grown)
      return -1;
    grown[(*count)++] = arg;
    *list = grown;
    return 1;
  }
  default: return 0;
  }
}

void cli_source_clear(cli_source *source) {
  free(source->data);
  free(source->named);
  for (size_t i = 0; i < source->dataset_string_count; i++)
    free(source->dataset_strings[i]);
  free(source->dataset_strings);
  free((void *)source->dataset.default_graphs);
  free((void *)source->dataset.named_graphs);
  memset(source, 0, sizeof *source);
}

#define TRY_CLI(expr)               \
  do {                              \
    kz_status try_ = (expr);        \
    if (try_ != KZ_OK)              \
      return try_;                  \
  } while (0)

static char *kz_strdup_cli(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  return copy ? memcpy(copy, s, n) : NULL;
}

double cli_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int is_dir_with_data(const char *dir) {
  char path[PATH_MAX + 16];
  struct stat info;
  snprintf(path, sizeof path, "%s/datasets", dir);
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

const char *cli_data_dir(void) {
  static char found[PATH_MAX];
  const char *env = getenv("KIZUNA_DATA_DIR");
  if (env && *env)
    return env;
  char exe[PATH_MAX - 32]; /* room for the suffixes below */
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0';
      /* build tree: next to the binary; installed: PREFIX/bin/../share */
      snprintf(found, sizeof found, "%s/share/kizuna", exe);
      if (is_dir_with_data(found))
        return found;
      snprintf(found, sizeof found, "%s/../share/kizuna", exe);
      if (is_dir_with_data(found))
        return found;
    }
  }
  return is_dir_with_data(KZ_INSTALL_DATADIR) ? KZ_INSTALL_DATADIR : NULL;
}

static int is_memory_spec(const char *spec) {
  return !spec || strcmp(spec, "memory") == 0 || strcmp(spec, "hashes") == 0;
}

static int is_quad_file(const cli_source *source, const char *path) {
  const char *syntax = source->syntax;
  if (syntax)
    return strcmp(syntax, "trig") == 0 || strcmp(syntax, "nquads") == 0;
  const char *dot = strrchr(path, '.');
  return dot && (strcmp(dot, ".trig") == 0 || strcmp(dot, ".nq") == 0);
}

/* Keeps iri (owned) in source and returns it, or NULL on OOM. */
static const char *keep(cli_source *source, char *iri) {
  if (!iri)
    return NULL;
  char **grown = realloc(source->dataset_strings,
                         (source->dataset_string_count + 1) * sizeof *grown);
  if (!grown) {
    free(iri);
    return NULL;
  }
  source->dataset_strings = grown;
  grown[source->dataset_string_count++] = iri;
  return iri;
}

static int contains(const char *const *list, size_t count, const char *s) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

/* The graph a --data file goes to: its file IRI, or, when the same file is
 * also a --named graph, a graph of its own (the default graph and the named
 * graph are separate copies, with blank nodes of their own). Caller frees. */
static char *data_graph(const cli_source *source, const char *path) {
  char *iri = kz_file_iri(path);
  if (!iri)
    return NULL;
  for (size_t i = 0; i < source->named_count; i++) {
    char *named = kz_file_iri(source->named[i]);
    int same = named && strcmp(named, iri) == 0;
    free(named);
    if (same) {
      size_t n = strlen(iri) + sizeof "#kizuna-default";
      char *own = malloc(n);
      if (own)
        snprintf(own, n, "%s#kizuna-default", iri);
      free(iri);
      return own;
    }
  }
  return iri;
}

/* The dataset of --data and --named: the default graph is the merge of the
 * --data files' graphs (and the inferred graph), the named graphs are the
 * --named files' and those that --data TriG/N-Quads files bring. */
static kz_status make_dataset(cli_source *source, kz_store *store, kz_error *err) {
  size_t defaults = 0, named = 0, extra = 0;
  kz_stats *stats = NULL;
  for (size_t i = 0; i < source->data_count; i++)
    if (is_quad_file(source, source->data[i]) && !stats)
      TRY_CLI(kz_store_stats(&stats, store, err));
  if (stats)
    extra = stats->graph_count;
  const char **default_graphs = calloc(source->data_count + 2, sizeof *default_graphs);
  const char **named_graphs = calloc(source->named_count + extra + 1, sizeof *named_graphs);
  source->dataset.default_graphs = default_graphs;
  source->dataset.named_graphs = named_graphs;
  if (!default_graphs || !named_graphs)
    goto nomem;
  for (size_t i = 0; i < source->data_count; i++)
    if (!(default_graphs[defaults++] = keep(source, data_graph(source, source->data[i]))))
      goto nomem;
  if (!source->no_infer)
    default_graphs[defaults++] = KZ_INFERRED_GRAPH;
  for (size_t i = 0; i < source->named_count; i++)
    if (!(named_graphs[named++] = keep(source, kz_file_iri(source->named[i]))))
      goto nomem;
  for (size_t i = 0; stats && i < stats->graph_count; i++) {
    const char *g = stats->graphs[i].name;
    if (strcmp(g, KZ_INFERRED_GRAPH) == 0 || contains(default_graphs, defaults, g) ||
        contains(named_graphs, named, g))
      continue;
    if (!(named_graphs[named++] = keep(source, kz_strdup_cli(g))))
      goto nomem;
  }
  source->dataset.default_graph_count = defaults;
  source->dataset.named_graph_count = named;
  source->has_dataset = 1;
  kz_stats_free(stats);
  return KZ_OK;
nomem:
  kz_stats_free(stats);
  err->status = KZ_ERR_NOMEM;
  snprintf(err->message, sizeof err->message, "out of memory");
  return KZ_ERR_NOMEM;
}

int cli_open_source(kz_store **out, cli_source *source) {
  kz_error err;
  kz_error_clear(&err);
  *out = NULL;
  int memory = is_memory_spec(source->store_spec);
  if (!memory && (source->data_count || source->named_count)) {
    fprintf(stderr, "kizuna: --data loads files into a memory store only; "
                    "to add files to %s use 'kizuna load --store %s FILE'\n",
            source->store_spec, source->store_spec);
    return EXIT_USAGE;
  }
  kz_store_options options = KZ_STORE_OPTIONS_INIT;
  options.read_only = !memory;
  kz_store *store = NULL;
  if (kz_store_open(&store, source->store_spec, &options, &err) != KZ_OK)
    return cli_report(&err);
  kz_status status = KZ_OK;
  if (memory && (source->data_count || source->named_count)) {
    for (size_t i = 0; status == KZ_OK && i < source->data_count; i++) {
      kz_load_options load = KZ_LOAD_OPTIONS_INIT;
      load.syntax = source->syntax;
      char *graph = data_graph(source, source->data[i]);
      if (!graph) {
        kz_store_free(store);
        fprintf(stderr, "kizuna: out of memory\n");
        return EXIT_INTERNAL;
      }
      load.graph = graph;
      status = kz_store_load(store, source->data[i], &load, NULL, &err);
      free(graph);
    }
    for (size_t i = 0; status == KZ_OK && i < source->named_count; i++) {
      kz_load_options load = KZ_LOAD_OPTIONS_INIT;
      status = kz_store_load(store, source->named[i], &load, NULL, &err);
    }
  } else if (memory) {
    const char *dir = cli_data_dir();
    if (!dir) {
      kz_store_free(store);
      fprintf(stderr, "kizuna: cannot find the bundled data (set KIZUNA_DATA_DIR, "
                      "or give --data FILE or --store SPEC)\n");
      return EXIT_USER;
    }
    status = kz_store_load_bundled(store, dir, &err);
  }
  if (status == KZ_OK && memory && !source->no_infer)
    status = kz_store_infer(store, NULL, &err);
  if (status == KZ_OK && memory && (source->data_count || source->named_count))
    status = make_dataset(source, store, &err);
  if (status != KZ_OK) {
    kz_store_free(store);
    return cli_report(&err);
  }
  *out = store;
  return EXIT_OK;
}

char *cli_read_file(const char *path) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f)
    return NULL;
  size_t size = 0, capacity = 4096;
  char *text = malloc(capacity);
  while (text) {
    size_t n = fread(text + size, 1, capacity - size - 1, f);
    size += n;
    if (n == 0)
      break;
    if (capacity - size - 1 == 0) {
      char *grown = realloc(text, capacity * 2);
      if (!grown) {
        free(text);
        text = NULL;
        errno = ENOMEM;
        break;
      }
      text = grown;
      capacity *= 2;
    }
  }
  int failed = ferror(f);
  if (f != stdin)
    fclose(f);
  if (text && failed) {
    free(text);
    errno = EIO;
    return NULL;
  }
  if (text)
    text[size] = '\0';
  return text;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* A duration for --time: one decimal, more below a millisecond. */
typedef struct ms_text {
  char text[32];
} ms_text;

static ms_text ms(double value) {
  ms_text t;
  snprintf(t.text, sizeof t.text, value < 1 ? "%.3f" : "%.1f", value);
  return t;
}

/* --time: evaluates the query `repeat` times, producing every row without
 * writing it, and prints the timings. */
static int time_query(kz_query *query, const cli_query_settings *settings, double parse_ms) {
  int repeat = settings->repeat > 0 ? settings->repeat : 1;
  double *times = calloc((size_t)repeat, sizeof *times);
  if (!times)
    return EXIT_INTERNAL;
  size_t rows = 0;
  int boolean = -1;
  double plan_ms = 0;
  kz_error err;
  kz_error_clear(&err);
  for (int i = 0; i < repeat; i++) {
    kz_results *results = NULL;
    double start = cli_now_ms();
    kz_status status = kz_query_execute(&results, query, &err);
    double planned = cli_now_ms();
    rows = 0;
    if (status == KZ_OK && kz_results_get_kind(results) == KZ_RESULTS_BOOLEAN)
      boolean = kz_results_get_boolean(results);
    while (status == KZ_OK && (status = kz_results_next(results, &err)) == KZ_OK)
      rows++;
    kz_results_free(results);
    if (status != KZ_DONE) {
      free(times);
      return cli_report(&err);
    }
    plan_ms = planned - start;
    times[i] = cli_now_ms() - start;
  }
  qsort(times, (size_t)repeat, sizeof *times, compare_doubles);
  double median = repeat % 2 ? times[repeat / 2] : (times[repeat / 2 - 1] + times[repeat / 2]) / 2;
  fprintf(stderr, "load %s ms, parse %s ms, plan %s ms, evaluate %s ms", ms(settings->load_ms).text,
          ms(parse_ms).text, ms(plan_ms).text, ms(median).text);
  if (repeat > 1)
    fprintf(stderr, " (median of %d; min %s, max %s)", repeat, ms(times[0]).text,
            ms(times[repeat - 1]).text);
  if (boolean >= 0)
    fprintf(stderr, ", answer %s\n", boolean ? "true" : "false");
  else
    fprintf(stderr, ", %zu rows\n", rows);
  free(times);
  return EXIT_OK;
}

int cli_run_query(kz_store *store, const char *origin, const char *text, const char *base,
                  const char *format, const cli_query_settings *settings) {
  static const cli_query_settings defaults = {0};
  if (!settings)
    settings = &defaults;
  kz_error err;
  kz_error_clear(&err);
  kz_query *query = NULL;
  kz_results *results = NULL;
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.source = origin;
  options.base = base;
  options.engine = settings->engine;
  options.dataset = settings->dataset;
  options.timeout = settings->timeout;
  int code = EXIT_OK;
  double start = cli_now_ms();
  if (kz_query_prepare(&query, store, text, &options, &err) != KZ_OK) {
    code = cli_report(&err);
    kz_query_free(query);
    return code;
  }
  double parse_ms = cli_now_ms() - start;
  if (kz_query_execute(&results, query, &err) != KZ_OK) {
    code = cli_report(&err);
  } else if (format && !kz_results_format_supported(kz_results_get_kind(results), format)) {
    fprintf(stderr, "kizuna: format '%s' does not fit %s results\n", format,
            kz_results_get_kind(results) == KZ_RESULTS_GRAPH ? "graph" : "SELECT/ASK");
    code = EXIT_USER;
  } else if (kz_results_write(results, stdout, format, NULL, &err) != KZ_OK) {
    code = cli_report(&err);
  }
  kz_results_free(results);
  if (code == EXIT_OK && settings->time) {
    fflush(stdout);
    code = time_query(query, settings, parse_ms);
  }
  kz_query_free(query);
  return code;
}

int cli_parse_words(cli_words *words, int argc, char **argv, const char *command,
                    const char *missing, void (*help)(void)) {
  static const struct option long_options[] = {
      {"format", required_argument, NULL, 'f'},  {"explain", no_argument, NULL, 'E'},
      {"catalog", required_argument, NULL, 'C'}, CLI_SOURCE_OPTIONS,
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  memset(words, 0, sizeof *words);
  int opt, code = EXIT_OK;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK &&
         (opt = getopt_long(argc, argv, ":f:h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'f': words->format = optarg; break;
    case 'E': words->explain = 1; break;
    case 'C': words->catalog_dir = optarg; break;
    case 'h': help(); words->helped = 1; return EXIT_OK;
    case ':': code = cli_usage_error(command, "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&words->source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && words->format &&
      !kz_results_format_supported(KZ_RESULTS_BINDINGS, words->format))
    code = cli_usage_error(command, "unknown format '%s' (table, csv, tsv, json, xml)",
                           words->format);
  if (code == EXIT_OK && optind >= argc)
    code = cli_usage_error(command, "%s", missing);
  /* The text may come as one argument or as several words. */
  for (int i = optind; code == EXIT_OK && i < argc; i++) {
    size_t used = strlen(words->text);
    snprintf(words->text + used, sizeof words->text - used, "%s%s", i > optind ? " " : "", argv[i]);
  }
  return code;
}
