/*
 * The named query catalogue over HTTP:
 *
 *   GET /queries               the catalogue as JSON: name, description,
 *                              parameters with their types, example phrases,
 *                              the SPARQL text
 *   GET /queries/NAME?P=V...   runs NAME with its parameters, bound as the
 *                              CLI's `kizuna run` binds them (kz_catalog_bind:
 *                              every value becomes an RDF term, names are
 *                              resolved to IRIs)
 *   GET /ask?q=QUESTION        answers a question as `kizuna ask` does
 *
 * Results are negotiated like /sparql's (JSON results by default). Errors
 * are JSON: {"status": N, "error": "one line", ...}:
 *   /queries/NAME  404 unknown NAME; 400 a missing, unknown, repeated or
 *                  invalid parameter, or a name that resolves to nothing;
 *                  409 a name that fits several resources ("candidates")
 *   /ask           404 no catalogue question fits ("closest": the closest
 *                  example questions), or a name in it resolves to nothing
 *                  ("suggestions"); 409 an ambiguous name ("candidates");
 *                  400 no q
 * The query that answered is named in the X-Kizuna-Query header, with its
 * parameters (percent-encoded) in X-Kizuna-Parameters.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"


/* ---- the list ---- */

static void list_catalog(const kz_catalog *catalog, http_reply *reply) {
  http_buf b = {0};
  http_buf_puts(&b, "[\n");
  for (size_t i = 0; i < kz_catalog_count(catalog); i++) {
    const kz_catalog_entry *e = kz_catalog_get(catalog, i);
    http_buf_puts(&b, i ? ",\n  {\"name\": " : "  {\"name\": ");
    http_buf_json(&b, kz_catalog_entry_name(e));
    http_buf_puts(&b, ",\n   \"description\": ");
    http_buf_json(&b, kz_catalog_entry_description(e));
    http_buf_puts(&b, ",\n   \"parameters\": [");
    for (size_t k = 0; k < kz_catalog_entry_param_count(e); k++) {
      http_buf_puts(&b, k ? ", {\"name\": " : "{\"name\": ");
      http_buf_json(&b, kz_catalog_entry_param_name(e, k));
      http_buf_puts(&b, ", \"type\": ");
      http_buf_json(&b, kz_catalog_entry_param_type(e, k));
      http_buf_puts(&b, "}");
    }
    http_buf_puts(&b, "],\n   \"examples\": [");
    for (size_t k = 0; k < kz_catalog_entry_example_count(e); k++) {
      if (k)
        http_buf_puts(&b, ", ");
      http_buf_json(&b, kz_catalog_entry_example(e, k));
    }
    http_buf_puts(&b, "],\n   \"url\": ");
    char url[512];
    snprintf(url, sizeof url, "/queries/%s", kz_catalog_entry_name(e));
    http_buf_json(&b, url);
    http_buf_puts(&b, ",\n   \"sparql\": ");
    http_buf_json(&b, kz_catalog_entry_query(e));
    http_buf_puts(&b, "}");
  }
  http_buf_puts(&b, "\n]\n");
  size_t size = 0;
  char *body = http_buf_take(&b, &size);
  if (body)
    http_reply_body(reply, 200, "application/json", body, size);
  else
    http_reply_json_error(reply, 503, NULL, "out of memory");
}

/* ---- messages into JSON ---- */

/* The quoted strings after marker in message, as a JSON array member
 * (", \"NAME\": [...]"); empty when marker is absent. The library says
 * "...; closest: \"a\", \"b\"". */
static void quoted_list(http_buf *b, const char *name, const char *message, const char *marker) {
  const char *p = strstr(message, marker);
  http_buf_printf(b, ", \"%s\": [", name);
  int first = 1;
  for (p = p ? p + strlen(marker) : ""; (p = strchr(p, '"'));) {
    const char *end = strchr(p + 1, '"');
    if (!end)
      break;
    char item[512];
    snprintf(item, sizeof item, "%.*s", (int)(end - p - 1), p + 1);
    if (!first)
      http_buf_puts(b, ", ");
    http_buf_json(b, item);
    first = 0;
    p = end + 1;
  }
  http_buf_puts(b, "]");
}

/* The "LABEL <IRI>, LABEL <IRI>" list after marker, as
 * ", \"NAME\": [{\"label\": ..., \"iri\": ...}]". The resolver says
 * "'IIT' could be several agency resources: IITB <https://...>, ...". */
static void candidate_list(http_buf *b, const char *name, const char *message,
                           const char *marker) {
  const char *p = strstr(message, marker);
  if (!p)
    return;
  http_buf_printf(b, ", \"%s\": [", name);
  p += strlen(marker);
  for (int first = 1;; first = 0) {
    const char *open = strstr(p, " <"), *close = open ? strchr(open, '>') : NULL;
    if (!close)
      break;
    char label[512], iri[1024];
    snprintf(label, sizeof label, "%.*s", (int)(open - p), p);
    snprintf(iri, sizeof iri, "%.*s", (int)(close - open - 2), open + 2);
    http_buf_puts(b, first ? "{\"label\": " : ", {\"label\": ");
    http_buf_json(b, label);
    http_buf_puts(b, ", \"iri\": ");
    http_buf_json(b, iri);
    http_buf_puts(b, "}");
    p = close + 1;
    if (strncmp(p, ", ", 2) != 0)
      break;
    p += 2;
  }
  http_buf_puts(b, "]");
}

/* The reply to a failed bind (match 0) or match (1). */
static void reply_catalog_error(http_reply *reply, const kz_error *err, unsigned not_found,
                                int match) {
  char line[2048];
  http_error_line(err, line, sizeof line);
  /* the CLI's hint, said the HTTP way */
  static const char cli_hint[] = "'kizuna run --list'";
  char *hint = strstr(line, cli_hint);
  if (hint && strlen(line) + 16 < sizeof line) {
    memmove(hint + strlen("GET /queries"), hint + strlen(cli_hint), strlen(hint + strlen(cli_hint)) + 1);
    memcpy(hint, "GET /queries", strlen("GET /queries"));
  }
  http_buf extra = {0};
  unsigned status = http_status_of(err->status);
  if (err->status == KZ_ERR_NOT_FOUND) {
    status = not_found;
    if (match)
      quoted_list(&extra, "closest", err->message, "closest: ");
    candidate_list(&extra, "suggestions", err->message, "did you mean: ");
  } else if (err->status == KZ_ERR_AMBIGUOUS) {
    candidate_list(&extra, "candidates", err->message, "resources: ");
  }
  http_reply_json_error(reply, status, extra.data, "%s", line);
  http_buf_clear(&extra);
}

/* The cache key of a binding: the name, then each parameter's name and
 * value, every piece prefixed by its length, so that no two different
 * bindings share a key whatever bytes the values hold. */
static char *bind_key(const kz_catalog_entry *entry, const kz_param *params, size_t count) {
  http_buf b = {0};
  http_buf_puts(&b, kz_catalog_entry_name(entry));
  for (size_t i = 0; i < count; i++)
    http_buf_printf(&b, " %zu:%s %zu:%s", strlen(params[i].name), params[i].name,
                    strlen(params[i].value), params[i].value);
  return http_buf_take(&b, NULL);
}

static char *copy(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  return c ? memcpy(c, s, n) : NULL;
}

/* Binds params into entry's query. Names are resolved through Redland's
 * librdf, which is not thread-safe: under the Redland lock. Successful
 * bindings are kept (the store is read only), so a name is resolved once. */
static kz_status bind(http_server *server, char **sparql, const kz_catalog_entry *entry,
                      const kz_param *params, size_t count, kz_error *err) {
  *sparql = NULL;
  char *key = bind_key(entry, params, count);
  if (key) {
    pthread_mutex_lock(&server->bind_lock);
    for (size_t i = 0; i < HTTP_BIND_CACHE && !*sparql; i++)
      if (server->bind_keys[i] && strcmp(server->bind_keys[i], key) == 0)
        *sparql = copy(server->bind_sparql[i]);
    pthread_mutex_unlock(&server->bind_lock);
    if (*sparql) {
      free(key);
      return KZ_OK;
    }
  }
  pthread_mutex_lock(&server->redland_lock);
  kz_status status = kz_catalog_bind(sparql, entry, server->store, params, count, err);
  pthread_mutex_unlock(&server->redland_lock);
  char *kept = status == KZ_OK && key ? copy(*sparql) : NULL;
  if (kept) {
    pthread_mutex_lock(&server->bind_lock);
    size_t slot = server->bind_next;
    server->bind_next = (slot + 1) % HTTP_BIND_CACHE;
    free(server->bind_keys[slot]);
    free(server->bind_sparql[slot]);
    server->bind_keys[slot] = key;
    server->bind_sparql[slot] = kept;
    key = NULL;
    pthread_mutex_unlock(&server->bind_lock);
  }
  free(key);
  return status;
}

void http_bind_cache_free(http_server *server) {
  for (size_t i = 0; i < HTTP_BIND_CACHE; i++) {
    free(server->bind_keys[i]);
    free(server->bind_sparql[i]);
    server->bind_keys[i] = server->bind_sparql[i] = NULL;
  }
}

/* Names the answering query in the reply's headers. */
static void name_query(http_reply *reply, const kz_catalog_entry *entry, const kz_param *params,
                       size_t count) {
  http_reply_header(reply, "X-Kizuna-Query", "%s", kz_catalog_entry_name(entry));
  http_buf b = {0};
  for (size_t i = 0; i < count; i++) {
    http_buf_printf(&b, "%s%s=", i ? "&" : "", params[i].name);
    for (const unsigned char *p = (const unsigned char *)params[i].value; *p; p++)
      if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
          strchr("-._~", *p))
        http_buf_add(&b, (const char *)p, 1);
      else
        http_buf_printf(&b, "%%%02X", *p);
  }
  if (b.data)
    http_reply_header(reply, "X-Kizuna-Parameters", "%s", b.data);
  http_buf_clear(&b);
}

/* Runs bound SPARQL for a catalogue entry. */
static void run_bound(http_server *server, const http_request *request,
                      const kz_catalog_entry *entry, const char *sparql, const kz_param *params,
                      size_t count, http_reply *reply) {
  http_query q = {sparql, kz_catalog_entry_name(entry), NULL, 1, 1};
  http_answer(server, request, &q, reply);
  if (reply->status == 200)
    name_query(reply, entry, params, count);
}

void http_handle_queries(http_server *server, const http_request *request, http_reply *reply) {
  const char *name = request->path + strlen("/queries");
  if (*name == '/')
    name++;
  if (!*name) {
    list_catalog(server->catalog, reply);
    return;
  }
  const kz_catalog_entry *entry = strchr(name, '/') ? NULL : kz_catalog_find(server->catalog, name);
  if (!entry) {
    http_reply_json_error(reply, 404, NULL, "unknown query '%.200s' (GET /queries lists them)",
                          name);
    return;
  }
  http_params params = {0};
  const char *problem = NULL;
  if (request->query_string && http_params_parse(&params, request->query_string,
                                                 strlen(request->query_string), &problem) != 0) {
    http_reply_json_error(reply, 400, NULL, "bad query string: %s", problem);
    return;
  }
  kz_param *bound = calloc(params.count ? params.count : 1, sizeof *bound);
  if (!bound) {
    http_params_clear(&params);
    http_reply_json_error(reply, 503, NULL, "out of memory");
    return;
  }
  for (size_t i = 0; i < params.count; i++)
    bound[i] = (kz_param){params.items[i].name, params.items[i].value};
  char *sparql = NULL;
  kz_error err;
  kz_error_clear(&err);
  if (bind(server, &sparql, entry, bound, params.count, &err) != KZ_OK)
    reply_catalog_error(reply, &err, 400, 0);
  else
    run_bound(server, request, entry, sparql, bound, params.count, reply);
  free(sparql);
  free(bound);
  http_params_clear(&params);
}

void http_handle_ask(http_server *server, const http_request *request, http_reply *reply) {
  http_params params = {0};
  const char *problem = NULL;
  kz_match *match = NULL;
  char *sparql = NULL;
  if (request->query_string && http_params_parse(&params, request->query_string,
                                                 strlen(request->query_string), &problem) != 0) {
    http_reply_json_error(reply, 400, NULL, "bad query string: %s", problem);
    goto done;
  }
  const char *question = http_params_get(&params, "q");
  if (!question || !*question || http_params_count(&params, "q") > 1) {
    http_reply_json_error(reply, 400, NULL, "give one question as the 'q' parameter");
    goto done;
  }
  kz_error err, first;
  kz_error_clear(&err);
  kz_error_clear(&first);
  if (kz_catalog_match(&match, server->catalog, question, &err) != KZ_OK) {
    reply_catalog_error(reply, &err, 404, 1);
    goto done;
  }
  /* As `kizuna ask`: the best candidate whose names resolve answers; if
   * none does, the first candidate's error is the one to show. */
  size_t chosen = 0;
  for (; chosen < kz_match_count(match); chosen++) {
    kz_status status = bind(server, &sparql, kz_match_entry(match, chosen),
                            kz_match_params(match, chosen), kz_match_param_count(match, chosen),
                            &err);
    if (status == KZ_OK)
      break;
    if (chosen == 0)
      first = err;
    if (status != KZ_ERR_NOT_FOUND && status != KZ_ERR_AMBIGUOUS && status != KZ_ERR_ARGUMENT)
      break;
  }
  if (!sparql) {
    reply_catalog_error(reply, &first, 404, 0);
    goto done;
  }
  run_bound(server, request, kz_match_entry(match, chosen), sparql, kz_match_params(match, chosen),
            kz_match_param_count(match, chosen), reply);
done:
  free(sparql);
  kz_match_free(match);
  http_params_clear(&params);
}
