/*
 * kizuna serve: the HTTP server, a thin shell over libkizuna like the CLI.
 * This is what the command (engine/cli/cmd_serve.c) sees of it; the
 * server's own pieces share engine/http/http_internal.h. Never installed,
 * never part of the library: it is linked into the kizuna binary only.
 */
#ifndef KZ_HTTP_H
#define KZ_HTTP_H

#include <stddef.h>
#include <time.h>

#include "kizuna/kizuna.h"

/* How the server runs. Initialise with HTTP_CONFIG_INIT. */
typedef struct http_config {
  const char *host;          /* address to listen on: a name or a numeric address */
  unsigned port;             /* 0: any free port (the one taken is printed) */
  const char *base;          /* the published IRI that the server's "/" stands for */
  double timeout;            /* seconds a query may run; 0: no limit */
  size_t max_rows;           /* rows (or triples) written per answer; 0: no limit */
  size_t max_body;           /* bytes of a request body */
  unsigned max_concurrent;   /* queries running at once; more get 503 */
  unsigned max_connections;  /* open connections (one thread each) */
  unsigned idle_timeout;     /* seconds before an idle or stalled connection is closed */
  int quiet;                 /* no access log on stderr */
  const kz_dataset *dataset; /* the dataset of --data/--named; NULL: the store's */
  time_t modified;           /* when the data last changed (dcterms:modified); 0: unknown */
  const char *public_url;    /* the server's address as clients see it; NULL: from host and port */
} http_config;

#define HTTP_DEFAULT_BASE "https://w3id.org/kizuna/"
#define HTTP_CONFIG_INIT                                                                   \
  {"127.0.0.1", 8080, HTTP_DEFAULT_BASE, 30.0, 100000, 1024 * 1024, 16, 256, 30, 0, NULL, 0, \
   NULL}

/*
 * Serves store and catalog (both borrowed, read only) until SIGINT or
 * SIGTERM, then stops accepting, lets the requests under way finish, and
 * returns 0. A server that cannot start (address in use, unknown host)
 * prints one line on stderr and returns 1. The listening address is
 * printed on stderr once the server answers:
 *   kizuna serve: listening on http://127.0.0.1:8080/
 */
int http_serve(kz_store *store, const kz_catalog *catalog, const http_config *config);

#endif
