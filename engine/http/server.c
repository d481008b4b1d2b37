/*
 * kizuna serve: the daemon. libmicrohttpd parses HTTP; this file owns the
 * listening socket, the life of a request, routing, replies and shutdown.
 *
 * Threads. libmicrohttpd runs one thread per connection (so a slow client or
 * a long query holds only its own connection), at most --max-connections
 * of them; --max-concurrent bounds the queries running at once (answer.c).
 * The store was filled before the server started and is only read: the
 * Kizuna evaluator reads the quad index, which is flushed at start (one
 * query is run before the first connection) and safe to read from many
 * threads; names are resolved on that index too (kz_catalog_bind, see
 * catalog.c), without a lock. What goes through Redland's librdf is not
 * thread-safe and runs under redland_lock: the dumps (kz_store_export).
 * Graph formats are written in parallel: the library
 * lends each graph writer a Raptor world of its own and never frees one
 * (engine/core/raptor_worlds.c), so no writer cleans up libxml2 under
 * another thread's feet.
 *
 * A request. The raw request target is kept by the URI callback (before
 * libmicrohttpd decodes it), so the server decodes the query string itself,
 * strictly (params.c), and sees resource paths as sent. The first call of
 * the handler checks what can be checked from the headers alone (method,
 * Content-Length against --max-body, Content-Type) and may answer at once;
 * then the body is gathered (never more than --max-body bytes are kept);
 * the last call dispatches to a handler, which fills an http_reply, sent
 * here with the headers every reply has (CORS, Vary).
 *
 * Shutdown. SIGINT and SIGTERM are blocked in every thread and taken by
 * the main thread with sigwait: it stops accepting, waits for the requests
 * being handled (up to the query timeout and a little more), then cancels
 * the queries still running, and stops the daemon.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http_internal.h"

/* ---- replies ---- */

void http_reply_init(http_reply *reply) {
  memset(reply, 0, sizeof *reply);
  reply->fd = -1;
}

void http_reply_clear(http_reply *reply) {
  free(reply->body);
  if (reply->fd >= 0)
    close(reply->fd);
  for (size_t i = 0; i < reply->header_count; i++) {
    free(reply->headers[i][0]);
    free(reply->headers[i][1]);
  }
  http_reply_init(reply);
}

void http_reply_header(http_reply *reply, const char *name, const char *format, ...) {
  if (reply->header_count == HTTP_MAX_HEADERS)
    return;
  va_list args;
  va_start(args, format);
  char value[2048];
  vsnprintf(value, sizeof value, format, args);
  va_end(args);
  /* a header value is one line */
  for (char *p = value; *p; p++)
    if (*p == '\r' || *p == '\n')
      *p = ' ';
  char *n = malloc(strlen(name) + 1), *v = malloc(strlen(value) + 1);
  if (!n || !v) {
    free(n);
    free(v);
    return;
  }
  strcpy(n, name);
  strcpy(v, value);
  reply->headers[reply->header_count][0] = n;
  reply->headers[reply->header_count][1] = v;
  reply->header_count++;
}

void http_reply_body(http_reply *reply, unsigned status, const char *content_type, char *body,
                     size_t size) {
  free(reply->body);
  reply->status = status;
  reply->content_type = content_type;
  reply->body = body;
  reply->size = size;
  reply->static_body = NULL;
}

static void reply_vtext(http_reply *reply, unsigned status, const char *format, va_list args) {
  http_buf b = {0};
  char line[4096];
  vsnprintf(line, sizeof line, format, args);
  http_buf_puts(&b, line);
  http_buf_puts(&b, "\n");
  size_t size = 0;
  char *body = http_buf_take(&b, &size);
  http_reply_body(reply, status, "text/plain; charset=utf-8", body, size);
}

void http_reply_text(http_reply *reply, unsigned status, const char *format, ...) {
  va_list args;
  va_start(args, format);
  reply_vtext(reply, status, format, args);
  va_end(args);
}

void http_reply_json_error(http_reply *reply, unsigned status, const char *extra,
                           const char *format, ...) {
  va_list args;
  va_start(args, format);
  char line[4096];
  vsnprintf(line, sizeof line, format, args);
  va_end(args);
  http_buf b = {0};
  http_buf_printf(&b, "{\"status\": %u, \"error\": ", status);
  http_buf_json(&b, line);
  if (extra)
    http_buf_puts(&b, extra);
  http_buf_puts(&b, "}\n");
  size_t size = 0;
  char *body = http_buf_take(&b, &size);
  http_reply_body(reply, status, "application/json", body, size);
}

/* ---- requests ---- */

/* What the server keeps of a request between calls of the handler. */
typedef struct request_state {
  char *target;         /* the raw request target; path and query string point into it */
  char *path;
  char *query_string;
  http_buf body;
  int started;
  int body_too_large;
  double start_ms;
} request_state;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* libmicrohttpd calls this with the request target as sent, before it
 * decodes anything; what it returns is the request's *con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection) {
  (void)cls;
  (void)connection;
  request_state *state = calloc(1, sizeof *state);
  if (!state)
    return NULL;
  size_t n = strlen(uri);
  state->target = malloc(n + 1);
  if (!state->target) {
    free(state);
    return NULL;
  }
  memcpy(state->target, uri, n + 1);
  state->path = state->target;
  char *question = strchr(state->target, '?');
  if (question) {
    *question = '\0';
    state->query_string = question + 1;
  }
  /* an absolute-form target (http://host/path): keep the path */
  if (strncasecmp(state->path, "http://", 7) == 0 || strncasecmp(state->path, "https://", 8) == 0) {
    char *slash = strchr(strstr(state->path, "//") + 2, '/');
    state->path = slash ? slash : (char *)"/";
  }
  state->start_ms = now_ms();
  return state;
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode code) {
  (void)cls;
  (void)connection;
  (void)code;
  request_state *state = *con_cls;
  if (!state)
    return;
  http_buf_clear(&state->body);
  free(state->target);
  free(state);
  *con_cls = NULL;
}

/* ---- routing ---- */

typedef enum route {
  ROUTE_ROOT,
  ROUTE_SPARQL,
  ROUTE_QUERIES,
  ROUTE_ASK,
  ROUTE_VOID,
  ROUTE_DUMP_TURTLE,
  ROUTE_DUMP_NQUADS,
  ROUTE_ASSET,
  ROUTE_RESOURCE
} route;

static route route_of(const char *path) {
  if (strcmp(path, "/") == 0 || strcmp(path, "") == 0)
    return ROUTE_ROOT;
  if (strcmp(path, "/sparql") == 0)
    return ROUTE_SPARQL;
  if (strcmp(path, "/queries") == 0 || strncmp(path, "/queries/", 9) == 0)
    return ROUTE_QUERIES;
  if (strcmp(path, "/ask") == 0)
    return ROUTE_ASK;
  if (strcmp(path, "/.well-known/void") == 0)
    return ROUTE_VOID;
  if (strcmp(path, "/dump.ttl") == 0)
    return ROUTE_DUMP_TURTLE;
  if (strcmp(path, "/dump.nq") == 0)
    return ROUTE_DUMP_NQUADS;
  if (strncmp(path, "/assets/", 8) == 0)
    return ROUTE_ASSET;
  return ROUTE_RESOURCE;
}

static const char *allowed_methods(route r) {
  return r == ROUTE_SPARQL ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS";
}

static int method_allowed(route r, const char *method) {
  return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
         strcmp(method, "OPTIONS") == 0 || (r == ROUTE_SPARQL && strcmp(method, "POST") == 0);
}

/* ---- sending ---- */

static const char exposed_headers[] = "X-SPARQL-MaxRows, X-Kizuna-Query, X-Kizuna-Parameters";

static void log_request(const http_server *server, struct MHD_Connection *connection,
                        const char *method, const request_state *state, unsigned status,
                        uint64_t size) {
  if (server->config.quiet)
    return;
  char address[64] = "-";
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info && info->client_addr)
    getnameinfo(info->client_addr,
                info->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                         : sizeof(struct sockaddr_in),
                address, sizeof address, NULL, 0, NI_NUMERICHOST);
  const char *query = state && state->query_string ? state->query_string : NULL;
  fprintf(stderr, "%s %s %.200s%s%.200s%s %u %llu %.1fms\n", address, method,
          state ? state->path : "?", query ? "?" : "", query ? query : "",
          query && strlen(query) > 200 ? "..." : "", status, (unsigned long long)size,
          state ? now_ms() - state->start_ms : 0.0);
}

static enum MHD_Result send_reply(http_server *server, struct MHD_Connection *connection,
                                  const char *method, request_state *state, http_reply *reply) {
  struct MHD_Response *response;
  uint64_t size;
  if (reply->fd >= 0) {
    size = reply->fd_size;
    response = MHD_create_response_from_fd_at_offset64(size, reply->fd, 0);
    if (response)
      reply->fd = -1; /* the response closes it */
  } else if (reply->static_body) {
    size = reply->size;
    response = MHD_create_response_from_buffer(reply->size, (void *)reply->static_body,
                                               MHD_RESPMEM_PERSISTENT);
  } else {
    size = reply->size;
    response = MHD_create_response_from_buffer(reply->size, reply->body ? reply->body : (void *)"",
                                               reply->body ? MHD_RESPMEM_MUST_FREE
                                                           : MHD_RESPMEM_PERSISTENT);
    if (response)
      reply->body = NULL; /* the response frees it */
  }
  if (!response) {
    http_reply_clear(reply);
    return MHD_NO;
  }
  if (reply->content_type)
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type);
  MHD_add_response_header(response, "Access-Control-Allow-Origin", "*");
  MHD_add_response_header(response, "Access-Control-Expose-Headers", exposed_headers);
  MHD_add_response_header(response, MHD_HTTP_HEADER_VARY, "Accept");
  MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
  for (size_t i = 0; i < reply->header_count; i++)
    MHD_add_response_header(response, reply->headers[i][0], reply->headers[i][1]);
  if (atomic_load(&server->stopping))
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
  enum MHD_Result result = MHD_queue_response(connection, reply->status, response);
  MHD_destroy_response(response);
  log_request(server, connection, method, state, reply->status, size);
  http_reply_clear(reply);
  return result;
}

/* ---- handling ---- */

static void handle_options(route r, struct MHD_Connection *connection, http_reply *reply) {
  reply->status = 204;
  http_reply_header(reply, "Allow", "%s", allowed_methods(r));
  http_reply_header(reply, "Access-Control-Allow-Methods", "%s", allowed_methods(r));
  const char *asked = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                  "Access-Control-Request-Headers");
  http_reply_header(reply, "Access-Control-Allow-Headers", "%s",
                    asked && strlen(asked) < 1000 ? asked : "Accept, Content-Type");
  http_reply_header(reply, "Access-Control-Max-Age", "86400");
}

void http_handle_root(http_server *server, const http_request *request, http_reply *reply) {
  http_offer offers[HTTP_MAX_OFFERS + 1];
  offers[0] = (http_offer){"text/html", "html"};
  size_t count = 1 + http_offers_graph(offers + 1, HTTP_MAX_OFFERS, server->jsonld);
  int chosen = http_negotiate(request->accept, offers, count);
  if (chosen < 0) {
    http_reply_not_acceptable(reply, offers, count);
  } else if (chosen == 0) {
    reply->status = 200;
    reply->content_type = http_content_type("text/html");
    reply->static_body = server->page;
    reply->size = server->page_size;
  } else {
    reply->status = 200;
    reply->content_type = http_content_type(offers[chosen].media_type);
    reply->static_body = server->service_doc.bytes[chosen - 1];
    reply->size = server->service_doc.sizes[chosen - 1];
  }
}

int http_handle_asset(const char *name, http_reply *reply) {
  for (size_t i = 0; i < http_asset_count; i++)
    if (strcmp(http_assets[i].name, name) == 0) {
      reply->status = 200;
      reply->content_type = http_content_type(http_assets[i].media_type);
      reply->static_body = (const char *)http_assets[i].bytes;
      reply->size = http_assets[i].size;
      return 0;
    }
  return -1;
}

static void dispatch(http_server *server, route r, const http_request *request,
                     http_reply *reply) {
  switch (r) {
  case ROUTE_ROOT: http_handle_root(server, request, reply); break;
  case ROUTE_SPARQL: http_handle_sparql(server, request, reply); break;
  case ROUTE_QUERIES: http_handle_queries(server, request, reply); break;
  case ROUTE_ASK: http_handle_ask(server, request, reply); break;
  case ROUTE_VOID: http_handle_void(server, request, reply); break;
  case ROUTE_DUMP_TURTLE: http_handle_dump(server, request, reply, 0); break;
  case ROUTE_DUMP_NQUADS: http_handle_dump(server, request, reply, 1); break;
  case ROUTE_ASSET:
    if (http_handle_asset(request->path + strlen("/assets/"), reply) != 0)
      http_reply_text(reply, 404, "no asset %.200s", request->path);
    break;
  case ROUTE_RESOURCE: http_handle_resource(server, request, reply); break;
  }
}

/* Whether the request's Content-Type is one /sparql takes by POST. */
static int postable(const char *content_type) {
  static const char *const types[] = {"application/x-www-form-urlencoded",
                                      "application/sparql-query", "application/sparql-update"};
  if (!content_type)
    return 0;
  while (*content_type == ' ')
    content_type++;
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t n = strlen(types[i]);
    if (strncasecmp(content_type, types[i], n) == 0 &&
        (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' '))
      return 1;
  }
  return 0;
}

/* The checks of the first call: 0 to go on, or a reply to send now. */
static int check_headers(http_server *server, struct MHD_Connection *connection, route r,
                         const char *method, http_reply *reply) {
  if (!method_allowed(r, method)) {
    http_reply_text(reply, 405, "method %.40s is not allowed here (allowed: %s)%s", method,
                    allowed_methods(r),
                    r == ROUTE_SPARQL ? "; the endpoint is read only" : "");
    http_reply_header(reply, "Allow", "%s", allowed_methods(r));
    return -1;
  }
  const char *length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (length && strtoull(length, NULL, 10) > server->config.max_body) {
    http_reply_text(reply, 413, "the request body is larger than %zu bytes",
                    server->config.max_body);
    return -1;
  }
  if (strcmp(method, "POST") == 0) {
    const char *type = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!postable(type)) {
      http_reply_text(reply, 415,
                      "unsupported Content-Type '%.200s': POST a query as "
                      "application/x-www-form-urlencoded or application/sparql-query",
                      type ? type : "(none)");
      return -1;
    }
  }
  return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  (void)url;
  (void)version;
  http_server *server = cls;
  request_state *state = *con_cls;
  if (!state)
    return MHD_NO; /* out of memory in on_uri: drop the connection */
  route r = route_of(state->path);
  http_reply reply;
  http_reply_init(&reply);
  if (!state->started) {
    state->started = 1;
    if (check_headers(server, connection, r, method, &reply) != 0)
      return send_reply(server, connection, method, state, &reply);
    return MHD_YES;
  }
  if (*upload_data_size) {
    size_t room = server->config.max_body - state->body.size;
    if (state->body_too_large || *upload_data_size > room)
      state->body_too_large = 1; /* keep reading, keep nothing */
    else
      http_buf_add(&state->body, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (state->body_too_large) {
    http_reply_text(&reply, 413, "the request body is larger than %zu bytes",
                    server->config.max_body);
    return send_reply(server, connection, method, state, &reply);
  }
  if (state->body.failed) {
    http_reply_text(&reply, 503, "out of memory");
    return send_reply(server, connection, method, state, &reply);
  }
  if (strcmp(method, "OPTIONS") == 0) {
    handle_options(r, connection, &reply);
    return send_reply(server, connection, method, state, &reply);
  }
  http_request request = {
      strcmp(method, "HEAD") == 0 ? "GET" : method,
      state->path,
      state->query_string,
      state->body.data,
      state->body.size,
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
  };
  atomic_fetch_add(&server->handlers_running, 1);
  dispatch(server, r, &request, &reply);
  if (!reply.status)
    http_reply_text(&reply, 500, "no reply (a bug in kizuna serve)");
  enum MHD_Result result = send_reply(server, connection, method, state, &reply);
  atomic_fetch_sub(&server->handlers_running, 1);
  return result;
}

/* ---- start and stop ---- */

/* Opens the listening socket; prints the reason and returns -1 on failure. */
static int listen_on(const http_config *config, struct sockaddr_storage *bound) {
  char port[16];
  snprintf(port, sizeof port, "%u", config->port);
  struct addrinfo hints = {0}, *found = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  int code = getaddrinfo(config->host, port, &hints, &found);
  if (code != 0) {
    fprintf(stderr, "kizuna serve: cannot listen on '%s': %s\n", config->host,
            code == EAI_SYSTEM ? strerror(errno) : gai_strerror(code));
    return -1;
  }
  int fd = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  int on = 1;
  int problem = fd < 0 ? errno : 0;
  if (!problem && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0)
    problem = errno;
  if (!problem && bind(fd, found->ai_addr, found->ai_addrlen) != 0)
    problem = errno;
  if (!problem && listen(fd, 128) != 0)
    problem = errno;
  socklen_t length = sizeof *bound;
  if (!problem && getsockname(fd, (struct sockaddr *)bound, &length) != 0)
    problem = errno;
  freeaddrinfo(found);
  if (problem) {
    fprintf(stderr, "kizuna serve: cannot listen on %s port %u: %s\n", config->host,
            config->port, strerror(problem));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  return fd;
}

/* The server's own address, for the VoID and service descriptions. */
static char *own_url(const http_config *config, const struct sockaddr_storage *bound) {
  unsigned port = ntohs(bound->ss_family == AF_INET6
                            ? ((const struct sockaddr_in6 *)bound)->sin6_port
                            : ((const struct sockaddr_in *)bound)->sin_port);
  const char *host = config->host;
  if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0 || !*host)
    host = "localhost";
  size_t n = strlen(host) + 32;
  char *url = malloc(n);
  if (url)
    snprintf(url, n, strchr(host, ':') ? "http://[%s]:%u/" : "http://%s:%u/", host, port);
  return url;
}

/* Waits until no handler runs or deadline_ms passes. */
static void wait_for_handlers(http_server *server, double deadline_ms) {
  while (atomic_load(&server->handlers_running) && now_ms() < deadline_ms) {
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
}

/* The query page with the published base in its data-base attribute. */
static int make_page(http_server *server) {
  static const char placeholder[] = "__KIZUNA_BASE__";
  http_reply asset;
  http_reply_init(&asset);
  if (http_handle_asset("index.html", &asset) != 0)
    return -1;
  const char *at = strstr(asset.static_body, placeholder);
  http_buf b = {0};
  if (at) {
    http_buf_add(&b, asset.static_body, (size_t)(at - asset.static_body));
    http_buf_html(&b, server->base);
    http_buf_puts(&b, at + strlen(placeholder));
  } else {
    http_buf_add(&b, asset.static_body, asset.size);
  }
  server->page = http_buf_take(&b, &server->page_size);
  return server->page ? 0 : -1;
}

static kz_status prepare(http_server *server, kz_error *err) {
  if (make_page(server) != 0) {
    snprintf(err->message, sizeof err->message, "cannot make the query page");
    return err->status = KZ_ERR_INTERNAL;
  }
  kz_status status = http_own_queries_load(&server->own_queries, err);
  /* One query before any thread: the index is flushed (or the snapshot of
   * a non-memory store built) here, once. */
  kz_results *answer = NULL;
  int truncated = 0;
  if (status == KZ_OK)
    status = http_run_buffered(server, "ASK { ?s ?p ?o }", "start", &answer, &truncated, err);
  kz_results_free(answer);
  if (status == KZ_OK)
    status = http_meta_build(server, err);
  return status;
}

static void release(http_server *server) {
  http_meta_free(server);
  free(server->page);
  kz_catalog_free(server->own_queries);
  free(server->url);
  free(server->base);
  pthread_mutex_destroy(&server->redland_lock);
  pthread_mutex_destroy(&server->dump_lock);
  pthread_mutex_destroy(&server->bind_lock);
  http_bind_cache_free(server);
}

int http_serve(kz_store *store, const kz_catalog *catalog, const http_config *config) {
  http_server server;
  memset(&server, 0, sizeof server);
  server.store = store;
  server.catalog = catalog;
  server.config = *config;
  server.dump_fd[0] = server.dump_fd[1] = -1;
  pthread_mutex_init(&server.redland_lock, NULL);
  pthread_mutex_init(&server.dump_lock, NULL);
  pthread_mutex_init(&server.bind_lock, NULL);
  server.jsonld = kz_results_format_supported(KZ_RESULTS_GRAPH, "jsonld");
  /* The base stands for "/": it ends with a slash. */
  size_t base_length = strlen(config->base);
  server.base = malloc(base_length + 2);
  if (server.base)
    snprintf(server.base, base_length + 2, "%s%s", config->base,
             base_length && config->base[base_length - 1] == '/' ? "" : "/");
  struct sockaddr_storage bound;
  int fd = server.base ? listen_on(config, &bound) : -1;
  if (fd < 0) {
    release(&server);
    return 1;
  }
  server.url = config->public_url ? NULL : own_url(config, &bound);
  if (config->public_url) {
    size_t n = strlen(config->public_url) + 2;
    if ((server.url = malloc(n)))
      snprintf(server.url, n, "%s%s", config->public_url,
               config->public_url[0] && config->public_url[strlen(config->public_url) - 1] == '/'
                   ? "" : "/");
  }
  kz_error err;
  kz_error_clear(&err);
  if (!server.url || prepare(&server, &err) != KZ_OK) {
    char line[2048];
    fprintf(stderr, "kizuna serve: %s\n",
            server.url ? kz_error_format(&err, line, sizeof line) : "out of memory");
    close(fd);
    release(&server);
    return err.status == KZ_ERR_INTERNAL || err.status == KZ_ERR_NOMEM ? 3 : 1;
  }
  /* Every thread libmicrohttpd starts inherits this mask: the signals come
   * to sigwait below only. */
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, NULL);
  signal(SIGPIPE, SIG_IGN);
  struct MHD_Daemon *daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC |
          MHD_USE_AUTO,
      0, NULL, NULL, on_request, &server, MHD_OPTION_LISTEN_SOCKET, fd,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, &server, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
      &server, MHD_OPTION_CONNECTION_TIMEOUT, config->idle_timeout,
      MHD_OPTION_CONNECTION_LIMIT, config->max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      (size_t)128 * 1024, MHD_OPTION_END);
  if (!daemon) {
    fprintf(stderr, "kizuna serve: cannot start the HTTP daemon\n");
    close(fd);
    release(&server);
    return 1;
  }
  fprintf(stderr, "kizuna serve: listening on %s\n", server.url);
  fflush(stderr);
  int signal_number = 0;
  while (sigwait(&signals, &signal_number) != 0)
    ;
  fprintf(stderr, "kizuna serve: %s: stopping\n", signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  atomic_store(&server.stopping, 1);
  int listening = MHD_quiesce_daemon(daemon);
  if (listening >= 0)
    close(listening);
  /* Requests under way finish (a query has at most its timeout)... */
  double grace = (config->timeout > 0 ? config->timeout : 30.0) * 1e3 + 2000.0;
  wait_for_handlers(&server, now_ms() + grace);
  /* ...then whatever still runs is cancelled. */
  server.cancel = 1;
  wait_for_handlers(&server, now_ms() + 5000.0);
  MHD_stop_daemon(daemon);
  release(&server);
  fprintf(stderr, "kizuna serve: stopped\n");
  return 0;
}
