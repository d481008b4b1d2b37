/*
 * The pieces of kizuna serve, shared by the files of engine/http:
 *
 *   server.c    the daemon (libmicrohttpd), requests, routing, replies, signals
 *   params.c    percent-decoding and query strings / form bodies
 *   conneg.c    content negotiation on Accept
 *   answer.c    running a query: buffering, row limit, formats, status codes
 *   protocol.c  the SPARQL 1.1 Protocol endpoint (/sparql)
 *   catalog.c   the named catalogue over HTTP (/queries, /ask)
 *   resource.c  linked data: resource descriptions (RDF or HTML)
 *   meta.c      VoID + DCAT, the service description, the dumps
 *   text.c      JSON and HTML escaping, growable strings
 *
 * The server is a shell over the public API of libkizuna: these files
 * include the public headers of include/kizuna (through http.h), their own
 * headers and those of the system and libmicrohttpd; a private header of
 * the library only where the including file says why.
 *
 * Threads: libmicrohttpd runs one thread per connection and every handler
 * may run concurrently. The store is read only while the server runs; what
 * in the library is not safe to call from several threads at once is called
 * under the locks of http_server (see server.c).
 */
#ifndef KZ_HTTP_INTERNAL_H
#define KZ_HTTP_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "http/http.h"

#if defined(__GNUC__)
#define HTTP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define HTTP_PRINTF(fmt, args)
#endif

/* ---- strings (text.c) ------------------------------------------------------ */

/* A growable string; data is NUL-terminated (or NULL when empty). */
typedef struct http_buf {
  char *data;
  size_t size;
  size_t capacity;
  int failed; /* an allocation failed: the contents are incomplete */
} http_buf;

void http_buf_add(http_buf *b, const char *bytes, size_t size);
void http_buf_puts(http_buf *b, const char *s);
void http_buf_printf(http_buf *b, const char *format, ...) HTTP_PRINTF(2, 3);
/* Appends s as a JSON string, with its quotes. */
void http_buf_json(http_buf *b, const char *s);
/* Appends s escaped for HTML text and attribute values. */
void http_buf_html(http_buf *b, const char *s);
/* Takes the contents (caller frees) and resets b. */
char *http_buf_take(http_buf *b, size_t *size);
void http_buf_clear(http_buf *b);

/* Frees count strings and the array. Accepts NULL. */
void http_strings_free(char **strings, size_t count);

/* Non-zero if s is valid UTF-8 of length size. */
int http_utf8_valid(const char *s, size_t size);

/* ---- parameters (params.c) ---------------------------------------------------- */

typedef struct http_param {
  char *name;
  char *value;
} http_param;

typedef struct http_params {
  http_param *items;
  size_t count;
} http_params;

/* Parses an application/x-www-form-urlencoded text (a query string or a
 * form body; '+' is a space) and appends its pairs to params. Returns 0, or
 * -1 with *problem set to a static message ("bad percent-encoding", "not
 * UTF-8", "a NUL byte", "out of memory"). */
int http_params_parse(http_params *params, const char *text, size_t size, const char **problem);
/* The first value of name, or NULL. */
const char *http_params_get(const http_params *params, const char *name);
size_t http_params_count(const http_params *params, const char *name);
void http_params_clear(http_params *params);

/* ---- content negotiation (conneg.c) ------------------------------------------ */

/* A representation the server can produce: a media type and what makes it
 * (a kz_results_write format, or a name the handler knows: "html"). */
typedef struct http_offer {
  const char *media_type;
  const char *format;
} http_offer;

/* The offer the Accept header prefers (q-values, type and subtype wildcards,
 * the most specific range deciding for each offer; ties go to the earlier
 * offer), or -1 when none is acceptable. A missing or empty Accept accepts
 * anything: offer 0. */
int http_negotiate(const char *accept, const http_offer *offers, size_t count);

/* The offers of each kind of answer, in the server's order of preference.
 * JSON-LD is offered only when the library writes it. */
size_t http_offers_bindings(http_offer *out, size_t capacity);
size_t http_offers_graph(http_offer *out, size_t capacity, int jsonld);

/* The Content-Type to send for a media type (charset added to text types). */
const char *http_content_type(const char *media_type);

/* ---- replies (server.c) -------------------------------------------------------- */

#define HTTP_MAX_HEADERS 8

typedef struct http_reply {
  unsigned status;
  const char *content_type;  /* a static string */
  char *body;                /* owned (malloc), or NULL */
  size_t size;
  const char *static_body;   /* borrowed, lives as long as the server */
  int fd;                    /* a file to send (owned), or -1 */
  uint64_t fd_size;
  size_t header_count;
  char *headers[HTTP_MAX_HEADERS][2]; /* owned name, value */
} http_reply;

void http_reply_init(http_reply *reply);
void http_reply_clear(http_reply *reply);
/* Adds a header (copied). */
void http_reply_header(http_reply *reply, const char *name, const char *format, ...)
    HTTP_PRINTF(3, 4);
/* A text/plain reply of one line (a newline is added). */
void http_reply_text(http_reply *reply, unsigned status, const char *format, ...)
    HTTP_PRINTF(3, 4);
/* An application/json error: {"status": N, "error": "MESSAGE"} plus the
 * extra members (already JSON, may be NULL: ", \"closest\": [...]"). */
void http_reply_json_error(http_reply *reply, unsigned status, const char *extra,
                           const char *format, ...) HTTP_PRINTF(4, 5);
/* Takes ownership of body (malloc) as the reply's content. */
void http_reply_body(http_reply *reply, unsigned status, const char *content_type, char *body,
                     size_t size);

/* ---- the server ----------------------------------------------------------------- */

/* A graph document computed once (VoID, service description): its bytes in
 * each graph format, by the index of http_offers_graph. */
#define HTTP_MAX_OFFERS 8
#define HTTP_BIND_CACHE 256
typedef struct http_document {
  char *bytes[HTTP_MAX_OFFERS];
  size_t sizes[HTTP_MAX_OFFERS];
} http_document;

typedef struct http_server {
  kz_store *store;            /* borrowed */
  const kz_catalog *catalog;  /* borrowed */
  kz_catalog *own_queries;    /* the server's own queries (resource descriptions) */
  http_config config;
  char *url;                  /* the server's own address, "http://127.0.0.1:8080/" */
  char *base;                 /* the published base, ending in '/' or '#' */
  int jsonld;                 /* the library writes JSON-LD */
  /* Redland's librdf model, whose node and URI constructors share the
   * world's tables (and its Raptor world's interned URIs) without locks:
   * one at a time. Held for kz_store_export (a non-memory store is read
   * through librdf). Names are resolved on the quad index, without it
   * (catalog.c). Graph
   * formats need no lock: each graph writer of the library has a Raptor
   * world of its own, and no Raptor world is ever freed (freeing one
   * cleaned up libxml2 under the other threads). */
  pthread_mutex_t redland_lock;
  /* The dumps, written on first request into unlinked temporary files. */
  pthread_mutex_t dump_lock;
  int dump_fd[2];
  uint64_t dump_size[2];
  /* Bound catalogue queries by (name, parameters): the store does not
   * change, so a binding (and its name resolution) is done once. */
  pthread_mutex_t bind_lock;
  char *bind_keys[HTTP_BIND_CACHE];
  char *bind_sparql[HTTP_BIND_CACHE];
  size_t bind_next;           /* the entry to replace next (round robin) */
  char *page;                 /* the query page, with the base filled in */
  size_t page_size;
  http_document void_doc;     /* /.well-known/void */
  http_document service_doc;  /* the service description */
  atomic_uint queries_running;
  atomic_uint handlers_running;
  volatile int cancel;        /* set when stopping: running queries give up */
  atomic_int stopping;
} http_server;

/* A request, as the handlers see it. Strings are valid during the handler. */
typedef struct http_request {
  const char *method;
  const char *path;         /* raw (still percent-encoded), without the query string */
  const char *query_string; /* raw, after '?', or NULL */
  const char *body;         /* NULL when there is none */
  size_t body_size;
  const char *accept;       /* the Accept header, or NULL */
  const char *content_type; /* the Content-Type header, or NULL */
} http_request;

/* ---- running queries (answer.c) ---------------------------------------------- */

/* What to run: text on the server's store, answered by Accept. */
typedef struct http_query {
  const char *text;
  const char *origin;          /* names the query in errors ("query", a catalogue name) */
  const kz_dataset *dataset;   /* NULL: the query's FROM, else the server's */
  int json_errors;             /* errors as JSON (catalogue routes), else text/plain */
  int from_allowed;            /* not read: FROM is always kept to the store's graphs
                                * (answer.c); left for catalog.c's initialiser */
} http_query;

/* Runs q and fills reply: 200 with the answer in the negotiated format,
 * 400 (bad query), 406 (no acceptable format), 503 (busy, or out of time).
 * Counts against --max-concurrent. */
void http_answer(http_server *server, const http_request *request, const http_query *q,
                 http_reply *reply);

/* The HTTP status for a library error from user input (never 500 unless the
 * library says it is its own fault). */
unsigned http_status_of(kz_status status);

/* Formats err as one line (SOURCE:LINE:COL: MESSAGE). */
const char *http_error_line(const kz_error *err, char *buf, size_t size);

/* Runs the server's own query text (no negotiation) and
 * reads its answer whole, up to --max-rows (kz_results_buffer); on success
 * caller frees *answer with kz_results_free. */
kz_status http_run_buffered(http_server *server, const char *text, const char *origin,
                            kz_results **answer, int *truncated, kz_error *err);

/* Writes a buffered answer (kz_results_buffer), from its first row, in
 * format (a kz_results_write name) into a new buffer: caller frees *body. */
kz_status http_write_results(kz_results *answer, const char *format, char **body, size_t *size,
                             kz_error *err);

/* Builds the 406 reply listing offers. */
void http_reply_not_acceptable(http_reply *reply, const http_offer *offers, size_t count);

/* Takes a slot of --max-concurrent: 0 on success, -1 (reply filled: 503)
 * when all are taken. Release with http_query_slot_release. */
int http_query_slot_take(http_server *server, http_reply *reply, int json);
void http_query_slot_release(http_server *server);

/* ---- handlers ---------------------------------------------------------------- */

void http_handle_sparql(http_server *server, const http_request *request, http_reply *reply);
void http_handle_queries(http_server *server, const http_request *request, http_reply *reply);
void http_handle_ask(http_server *server, const http_request *request, http_reply *reply);
/* Frees the cache of bound catalogue queries. */
void http_bind_cache_free(http_server *server);
/* A resource under the base (linked data): its description, or 404. */
void http_handle_resource(http_server *server, const http_request *request, http_reply *reply);
void http_handle_void(http_server *server, const http_request *request, http_reply *reply);
/* GET /: the query page (HTML) or the service description (RDF). */
void http_handle_root(http_server *server, const http_request *request, http_reply *reply);
/* The service description only (GET /sparql without parameters). */
void http_handle_service_description(http_server *server, const http_request *request,
                                     http_reply *reply);
void http_handle_dump(http_server *server, const http_request *request, http_reply *reply,
                      int quads);
/* /assets/NAME: 0 if answered, -1 if there is no such asset. */
int http_handle_asset(const char *name, http_reply *reply);

/* Loads the server's own queries (resource.c): caller frees with
 * kz_catalog_free. */
kz_status http_own_queries_load(kz_catalog **out, kz_error *err);

/* ---- metadata (meta.c) ------------------------------------------------------- */

/* Computes the VoID/DCAT and service description documents into server. */
kz_status http_meta_build(http_server *server, kz_error *err);
void http_meta_free(http_server *server);

/* Serves a computed document by Accept (406 if no format fits). */
void http_reply_document(http_server *server, const http_request *request,
                         const http_document *doc, http_reply *reply);

/* ---- the embedded page (assets.c, generated at build time) ---------------------- */

typedef struct http_asset {
  const char *name;          /* "index.html", "app.js", "style.css" */
  const char *media_type;
  const unsigned char *bytes;
  size_t size;
} http_asset;

extern const http_asset http_assets[];
extern const size_t http_asset_count;

#endif
