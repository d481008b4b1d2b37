/*
 * Shared CLI plumbing: finding the bundled data, opening the store a command
 * reads, reading files, and printing errors as single lines.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
  case 'd': {
    const char **grown = realloc(source->data, (source->data_count + 1) * sizeof *grown);
    if (!grown)
      return -1;
    grown[source->data_count++] = arg;
    source->data = grown;
    return 1;
  }
  default: return 0;
  }
}

void cli_source_clear(cli_source *source) {
  free(source->data);
  source->data = NULL;
  source->data_count = 0;
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

int cli_open_source(kz_store **out, const cli_source *source) {
  kz_error err;
  kz_error_clear(&err);
  *out = NULL;
  int memory = is_memory_spec(source->store_spec);
  if (!memory && source->data_count) {
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
  if (memory && source->data_count) {
    for (size_t i = 0; status == KZ_OK && i < source->data_count; i++) {
      kz_load_options load = KZ_LOAD_OPTIONS_INIT;
      load.syntax = source->syntax;
      status = kz_store_load(store, source->data[i], &load, NULL, &err);
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

int cli_run_query(kz_store *store, const char *origin, const char *text, const char *base,
                  const char *format) {
  kz_error err;
  kz_error_clear(&err);
  kz_query *query = NULL;
  kz_results *results = NULL;
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.source = origin;
  options.base = base;
  int code = EXIT_OK;
  if (kz_query_prepare(&query, store, text, &options, &err) != KZ_OK ||
      kz_query_execute(&results, query, &err) != KZ_OK) {
    code = cli_report(&err);
  } else if (format && !kz_results_format_supported(kz_results_get_kind(results), format)) {
    fprintf(stderr, "kizuna: format '%s' does not fit %s results\n", format,
            kz_results_get_kind(results) == KZ_RESULTS_GRAPH ? "graph" : "SELECT/ASK");
    code = EXIT_USER;
  } else if (kz_results_write(results, stdout, format, NULL, &err) != KZ_OK) {
    code = cli_report(&err);
  }
  kz_results_free(results);
  kz_query_free(query);
  return code;
}
