/*
 * kizuna serve: the SPARQL 1.1 Protocol endpoint, the catalogue, linked
 * data and a query page over HTTP. This file only reads the command line
 * and opens the store and the catalogue, as every reading command does;
 * the server is engine/http.
 */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "http/http.h"

static void help(void) {
  printf("Usage: kizuna serve [OPTIONS]\n\n"
         "Serves the store over HTTP until SIGINT or SIGTERM:\n"
         "  /sparql              the SPARQL 1.1 Protocol endpoint (GET, POST; read only)\n"
         "  /queries[/NAME]      the named query catalogue (JSON; run NAME with ?PARAM=VALUE)\n"
         "  /ask?q=QUESTION      a question in everyday words\n"
         "  /.well-known/void    VoID and DCAT description; / with an RDF Accept: the\n"
         "                       SPARQL service description; /dump.ttl, /dump.nq\n"
         "  /PATH                the resource BASE/PATH (linked data: RDF or HTML)\n"
         "  /                    the query page, in a browser\n\n"
         "Options:\n"
         CLI_SOURCE_HELP
         "      --host HOST        address to listen on (default 127.0.0.1)\n"
         "      --port PORT        port (default 8080; 0: any free port)\n"
         "      --base IRI         the published IRI the server's / stands for\n"
         "                         (default " HTTP_DEFAULT_BASE ")\n"
         "      --public-url URL   the server's address as clients see it, for the VoID\n"
         "                         and service descriptions (default http://HOST:PORT/)\n"
         "      --timeout S        seconds a query may run (default 30; 0: no limit)\n"
         "      --max-rows N       rows or triples per answer (default 100000; 0: no limit)\n"
         "      --max-body BYTES   largest request body (default 1048576)\n"
         "      --max-concurrent N queries running at once; more get 503 (default 16)\n"
         "      --max-connections N  open connections (default 256)\n"
         "      --idle-timeout S   close a connection idle this long (default 30)\n"
         "      --catalog DIR      the catalogue folder (default: the bundled one)\n"
         "      --quiet            no access log on stderr\n"
         "  -h, --help             show this help\n");
}

/* Parses a whole number in [min, max]; -1 if it is not one. */
static int parse_count(const char *text, unsigned long long min, unsigned long long max,
                       unsigned long long *out) {
  char *end = NULL;
  if (!*text || *text == '-')
    return -1;
  unsigned long long value = strtoull(text, &end, 10);
  if (*end || value < min || value > max)
    return -1;
  *out = value;
  return 0;
}

static void newest(time_t *modified, const char *path) {
  struct stat info;
  if (stat(path, &info) == 0 && info.st_mtime > *modified)
    *modified = info.st_mtime;
}

static void newest_in(time_t *modified, const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  for (struct dirent *e; (e = readdir(d));) {
    char path[PATH_MAX];
    if (e->d_name[0] != '.' && snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
      newest(modified, path);
  }
  closedir(d);
}

/* When the data served last changed: the newest of its files. */
static time_t data_modified(const cli_source *source) {
  time_t modified = 0;
  for (size_t i = 0; i < source->data_count; i++)
    newest(&modified, source->data[i]);
  for (size_t i = 0; i < source->named_count; i++)
    newest(&modified, source->named[i]);
  if (source->store_spec && (strncmp(source->store_spec, "sqlite:", 7) == 0 ||
                             strncmp(source->store_spec, "kizuna:", 7) == 0))
    newest(&modified, source->store_spec + 7);
  if (!source->data_count && !source->named_count && !source->store_spec && cli_data_dir()) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/datasets", cli_data_dir());
    newest_in(&modified, dir);
    snprintf(dir, sizeof dir, "%s/ontology", cli_data_dir());
    newest_in(&modified, dir);
  }
  return modified;
}

int cmd_serve(int argc, char **argv) {
  static const struct option long_options[] = {
      {"host", required_argument, NULL, 'H'},
      {"port", required_argument, NULL, 'P'},
      {"base", required_argument, NULL, 'B'},
      {"public-url", required_argument, NULL, 'U'},
      {"timeout", required_argument, NULL, 'T'},
      {"max-rows", required_argument, NULL, 'R'},
      {"max-body", required_argument, NULL, 'Y'},
      {"max-concurrent", required_argument, NULL, 'C'},
      {"max-connections", required_argument, NULL, 'K'},
      {"idle-timeout", required_argument, NULL, 'I'},
      {"catalog", required_argument, NULL, 'G'},
      {"quiet", no_argument, NULL, 'q'},
      CLI_SOURCE_OPTIONS,
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  cli_source source = {0};
  http_config config = HTTP_CONFIG_INIT;
  const char *catalog_dir = NULL;
  int opt, code = EXIT_OK;
  unsigned long long n = 0;
  char *end = NULL;
  optind = 1;
  opterr = 0;
  while (code == EXIT_OK &&
         (opt = getopt_long(argc, argv, ":h" CLI_SOURCE_SHORT, long_options, NULL)) != -1) {
    switch (opt) {
    case 'H':
      if (!*optarg)
        code = cli_usage_error("serve", "--host needs an address");
      config.host = optarg;
      break;
    case 'P':
      if (parse_count(optarg, 0, 65535, &n) != 0)
        code = cli_usage_error("serve", "--port needs a port number from 0 to 65535, not '%s'",
                               optarg);
      config.port = (unsigned)n;
      break;
    case 'B':
      if (!strchr(optarg, ':'))
        code = cli_usage_error("serve", "--base needs an absolute IRI, not '%s'", optarg);
      config.base = optarg;
      break;
    case 'U':
      if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0)
        code = cli_usage_error("serve", "--public-url needs an http(s) URL, not '%s'", optarg);
      config.public_url = optarg;
      break;
    case 'T':
      config.timeout = strtod(optarg, &end);
      if (end == optarg || *end || !(config.timeout >= 0) || config.timeout > 1e6)
        code = cli_usage_error("serve", "--timeout needs a number of seconds, not '%s'", optarg);
      break;
    case 'R':
      if (parse_count(optarg, 0, (unsigned long long)SIZE_MAX, &n) != 0)
        code = cli_usage_error("serve", "--max-rows needs a count, not '%s'", optarg);
      config.max_rows = (size_t)n;
      break;
    case 'Y':
      if (parse_count(optarg, 1, (unsigned long long)1 << 32, &n) != 0)
        code = cli_usage_error("serve", "--max-body needs a number of bytes from 1, not '%s'",
                               optarg);
      config.max_body = (size_t)n;
      break;
    case 'C':
      if (parse_count(optarg, 1, 100000, &n) != 0)
        code = cli_usage_error("serve", "--max-concurrent needs a count from 1, not '%s'", optarg);
      config.max_concurrent = (unsigned)n;
      break;
    case 'K':
      if (parse_count(optarg, 1, 100000, &n) != 0)
        code = cli_usage_error("serve", "--max-connections needs a count from 1, not '%s'",
                               optarg);
      config.max_connections = (unsigned)n;
      break;
    case 'I':
      if (parse_count(optarg, 1, 86400, &n) != 0)
        code = cli_usage_error("serve", "--idle-timeout needs a number of seconds from 1, not '%s'",
                               optarg);
      config.idle_timeout = (unsigned)n;
      break;
    case 'G': catalog_dir = optarg; break;
    case 'q': config.quiet = 1; break;
    case 'h': help(); cli_source_clear(&source); return EXIT_OK;
    case ':': code = cli_usage_error("serve", "option '%s' needs a value", argv[optind - 1]); break;
    default: {
      int taken = cli_source_option(&source, opt, optarg);
      if (taken < 0)
        code = EXIT_INTERNAL;
      else if (!taken)
        code = cli_usage_error("serve", "unknown option '%s'", argv[optind - 1]);
    }
    }
  }
  if (code == EXIT_OK && optind < argc)
    code = cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
  kz_catalog *catalog = NULL;
  kz_store *store = NULL;
  if (code == EXIT_OK)
    code = cli_load_catalog(&catalog, catalog_dir);
  if (code == EXIT_OK)
    code = cli_open_source(&store, &source);
  if (code == EXIT_OK) {
    config.dataset = source.has_dataset ? &source.dataset : NULL;
    config.modified = data_modified(&source);
    code = http_serve(store, catalog, &config);
  }
  kz_store_free(store);
  kz_catalog_free(catalog);
  cli_source_clear(&source);
  return code;
}
