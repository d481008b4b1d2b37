/*
 * Running a query for an HTTP request: every route that answers with query
 * results (/sparql, /queries/NAME, /ask) comes through http_answer.
 *
 * The steps, and the status each can end in:
 *   1. a slot of --max-concurrent                          503 when all are taken
 *   2. kz_query_prepare, with FROM / FROM NAMED kept to
 *      the graphs of the store (from_store_only)           400 with the parser's line,
 *                                                          or naming the FROM IRI
 *   3. the format, from the query form and Accept          406 with what is available
 *   4. kz_query_execute and kz_results_buffer, reading
 *      the answer up to --max-rows (X-SPARQL-MaxRows)      503 when out of time
 *   5. kz_results_write into memory                        200
 * Nothing is sent before the last step succeeds, so a status never lies
 * about a body: an answer that fails half-way (out of time, an error) is
 * never a 200 with a cut body, because it is read whole before a byte of
 * it is written.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"

unsigned http_status_of(kz_status status) {
  switch (status) {
  case KZ_OK:
  case KZ_DONE: return 200;
  case KZ_ERR_NOT_FOUND: return 404;
  case KZ_ERR_AMBIGUOUS: return 409;
  case KZ_ERR_TIMEOUT:
  case KZ_ERR_NOMEM:
  case KZ_ERR_LOCKED: return 503;
  case KZ_ERR_IO:
  case KZ_ERR_INTERNAL: return 500;
  default: return 400; /* syntax, query, argument, unsupported */
  }
}

const char *http_error_line(const kz_error *err, char *buf, size_t size) {
  return kz_error_format(err, buf, size);
}

void http_reply_not_acceptable(http_reply *reply, const http_offer *offers, size_t count) {
  http_buf b = {0};
  http_buf_puts(&b, "406 Not Acceptable: no representation fits the Accept header. Available:\n");
  for (size_t i = 0; i < count; i++)
    http_buf_printf(&b, "%s\n", offers[i].media_type);
  size_t size = 0;
  char *body = http_buf_take(&b, &size);
  http_reply_body(reply, 406, "text/plain; charset=utf-8", body, size);
}

int http_query_slot_take(http_server *server, http_reply *reply, int json) {
  unsigned running = atomic_fetch_add(&server->queries_running, 1) + 1;
  if (running <= server->config.max_concurrent)
    return 0;
  atomic_fetch_sub(&server->queries_running, 1);
  const char *format = "too many queries at once (the limit is %u); try again";
  if (json)
    http_reply_json_error(reply, 503, NULL, format, server->config.max_concurrent);
  else
    http_reply_text(reply, 503, format, server->config.max_concurrent);
  http_reply_header(reply, "Retry-After", "1");
  return -1;
}

void http_query_slot_release(http_server *server) {
  atomic_fetch_sub(&server->queries_running, 1);
}

static void reply_error(http_reply *reply, const http_query *q, unsigned status,
                        const char *message) {
  if (q->json_errors)
    http_reply_json_error(reply, status, NULL, "%s", message);
  else
    http_reply_text(reply, status, "%s", message);
}

static void reply_kz_error(http_server *server, http_reply *reply, const http_query *q,
                           const kz_error *err) {
  char line[2048];
  unsigned status = http_status_of(err->status);
  if (status == 404)
    status = 400; /* inside a query, a missing thing is a bad query */
  if (err->status == KZ_ERR_TIMEOUT) {
    char message[256];
    if (server->cancel)
      snprintf(message, sizeof message, "%s: the server is shutting down", q->origin);
    else
      snprintf(message, sizeof message, "%s: the query ran out of time (the limit is %g s)",
               q->origin, server->config.timeout);
    reply_error(reply, q, 503, message);
    return;
  }
  reply_error(reply, q, status, http_error_line(err, line, sizeof line));
}

kz_status http_write_results(kz_results *buffered, const char *format, char **body,
                             size_t *size, kz_error *err) {
  *body = NULL;
  *size = 0;
  kz_status status = kz_results_rewind(buffered, err);
  if (status != KZ_OK)
    return status;
  FILE *out = open_memstream(body, size);
  if (!out) {
    err->status = KZ_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return KZ_ERR_NOMEM;
  }
  /* Graph formats too are written here without a lock: every graph
   * writer of the library has a Raptor world of its own. */
  status = kz_results_write(buffered, out, format, NULL, err);
  if (fclose(out) != 0 && status == KZ_OK) {
    err->status = status = KZ_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
  }
  if (status != KZ_OK) {
    free(*body);
    *body = NULL;
    *size = 0;
  }
  return status;
}

void http_answer(http_server *server, const http_request *request, const http_query *q,
                 http_reply *reply) {
  if (http_query_slot_take(server, reply, q->json_errors) != 0)
    return;
  kz_query *query = NULL;
  kz_results *results = NULL, *answer = NULL;
  kz_error err;
  kz_error_clear(&err);
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.source = q->origin;
  /* The protocol's dataset wins over FROM, and FROM over the server's own. */
  options.dataset = q->dataset;
  options.default_dataset = server->config.dataset;
  /* FROM names graphs of the store, never a file of the server: the
   * library would otherwise load file: IRIs, for any client, into a
   * private store opened on this thread through librdf, which is not
   * thread-safe. The catalogue's own queries too (they have no FROM). */
  options.from_store_only = 1;
  options.timeout = server->config.timeout;
  options.cancel = &server->cancel;
  if (kz_query_prepare(&query, server->store, q->text, &options, &err) != KZ_OK) {
    reply_kz_error(server, reply, q, &err);
    goto done;
  }
  http_offer offers[HTTP_MAX_OFFERS];
  kz_query_form form = kz_query_get_form(query);
  size_t count = form == KZ_QUERY_CONSTRUCT || form == KZ_QUERY_DESCRIBE
                     ? http_offers_graph(offers, HTTP_MAX_OFFERS, server->jsonld)
                     : http_offers_bindings(offers, HTTP_MAX_OFFERS);
  int chosen = http_negotiate(request->accept, offers, count);
  if (chosen < 0) {
    http_reply_not_acceptable(reply, offers, count);
    goto done;
  }
  int truncated = 0;
  if (kz_query_execute(&results, query, &err) != KZ_OK ||
      kz_results_buffer(&answer, results, server->config.max_rows, &truncated, &err) != KZ_OK) {
    reply_kz_error(server, reply, q, &err);
    goto done;
  }
  char *body = NULL;
  size_t size = 0;
  if (http_write_results(answer, offers[chosen].format, &body, &size, &err) != KZ_OK) {
    reply_kz_error(server, reply, q, &err);
    goto done;
  }
  http_reply_body(reply, 200, http_content_type(offers[chosen].media_type), body, size);
  if (truncated)
    http_reply_header(reply, "X-SPARQL-MaxRows", "%zu", server->config.max_rows);
done:
  kz_results_free(answer);
  kz_results_free(results);
  kz_query_free(query);
  http_query_slot_release(server);
}

kz_status http_run_buffered(http_server *server, const char *text, const char *origin,
                            kz_results **answer, int *truncated, kz_error *err) {
  *answer = NULL;
  kz_query *query = NULL;
  kz_results *results = NULL;
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.source = origin;
  options.dataset = server->config.dataset;
  options.from_store_only = 1;
  options.timeout = server->config.timeout;
  options.cancel = &server->cancel;
  kz_status status = kz_query_prepare(&query, server->store, text, &options, err);
  if (status == KZ_OK)
    status = kz_query_execute(&results, query, err);
  if (status == KZ_OK)
    status = kz_results_buffer(answer, results, server->config.max_rows, truncated, err);
  kz_results_free(results);
  kz_query_free(query);
  return status;
}
