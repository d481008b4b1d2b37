/*
 * The named query catalogue over HTTP:
 *
 *   GET /queries               the catalogue as JSON: name, description,
 *                              parameters with their types (and whether
 *                              optional), example phrases, the SPARQL text
 *   GET /queries/NAME?P=V...   runs NAME with its parameters, bound as the
 *                              CLI's `kizuna run` binds them (kz_catalog_bind:
 *                              every value becomes an RDF term, names are
 *                              resolved to IRIs)
 *   GET /ask?q=QUESTION        answers a question as `kizuna ask` does
 *
 * Results are negotiated like /sparql's (JSON results by default). Errors
 * are JSON: {"status": N, "error": "one line", ...}:
 *   /queries/NAME  404 unknown NAME; 400 a missing, unknown, repeated or
 *                  invalid parameter, or a name that resolves to nothing
 *                  ("suggestions", when some are close); 409 a name that
 *                  fits several resources ("candidates")
 *   /ask           404 no catalogue question fits ("closest": the closest
 *                  example questions), or a name in it resolves to nothing
 *                  ("suggestions"); 409 an ambiguous name ("candidates");
 *                  400 no q
 * The arrays come from the library as data (kz_match_closest, a
 * kz_resolution's candidates: {"label", "iri"} each), never from its
 * messages.
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
      http_buf_puts(&b, kz_catalog_entry_param_optional(e, k) ? ", \"optional\": true}"
                                                              : ", \"optional\": false}");
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

/* ---- errors as JSON ---- */

/* A resolution's candidates as a JSON member:
 * ", \"NAME\": [{\"label\": ..., \"iri\": ...}, ...]". */
static void candidate_list(http_buf *b, const char *name, const kz_resolution *resolution) {
  http_buf_printf(b, ", \"%s\": [", name);
  for (size_t i = 0; i < kz_resolution_count(resolution); i++) {
    const char *iri = kz_resolution_candidate_iri(resolution, i);
    const char *label = kz_resolution_candidate_label(resolution, i);
    http_buf_puts(b, i ? ", {\"label\": " : "{\"label\": ");
    http_buf_json(b, label ? label : iri);
    http_buf_puts(b, ", \"iri\": ");
    http_buf_json(b, iri);
    http_buf_puts(b, "}");
  }
  http_buf_puts(b, "]");
}

/* The reply to a failed bind: the library's line, and for a name that did
 * not resolve (unresolved, from kz_catalog_bind_detailed; may be NULL) its
 * "candidates" (ambiguous: 409) or "suggestions" (unknown: not_found). */
static void reply_bind_error(http_reply *reply, const kz_error *err,
                             const kz_resolution *unresolved, unsigned not_found) {
  char line[2048];
  http_error_line(err, line, sizeof line);
  http_buf extra = {0};
  unsigned status = err->status == KZ_ERR_NOT_FOUND ? not_found : http_status_of(err->status);
  if (unresolved && kz_resolution_status(unresolved) == KZ_ERR_AMBIGUOUS)
    candidate_list(&extra, "candidates", unresolved);
  else if (unresolved && kz_resolution_count(unresolved))
    candidate_list(&extra, "suggestions", unresolved);
  http_reply_json_error(reply, status, extra.data, "%s", line);
  http_buf_clear(&extra);
}

/* The reply when no phrase fits the question (404): the example questions
 * closest to it, kept by kz_catalog_match in the match, as "closest". */
static void reply_no_match(http_reply *reply, const kz_error *err, const kz_match *match,
                           const char *question) {
  if (!match) { /* not "nothing fits": out of memory */
    char line[2048];
    http_reply_json_error(reply, http_status_of(err->status), NULL, "%s",
                          http_error_line(err, line, sizeof line));
    return;
  }
  http_buf extra = {0};
  http_buf_puts(&extra, ", \"closest\": [");
  for (size_t i = 0; i < kz_match_closest_count(match); i++) {
    if (i)
      http_buf_puts(&extra, ", ");
    http_buf_json(&extra, kz_match_closest(match, i));
  }
  http_buf_puts(&extra, "]");
  char line[2048];
  if (kz_match_closest_count(match)) /* the library's line names them */
    http_reply_json_error(reply, 404, extra.data, "%s", http_error_line(err, line, sizeof line));
  else /* the library's says "see 'kizuna run --list'": the HTTP way */
    http_reply_json_error(reply, 404, extra.data,
                          "no catalogue question matches \"%.200s\" (see GET /queries)", question);
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

/* Binds params into entry's query; a name that does not resolve hands its
 * resolution to *unresolved (caller frees with kz_resolution_free).
 *
 * No lock: kz_catalog_bind resolves names on the store's quad index, by term
 * IDs (engine/resolve), never through librdf, and otherwise only writes
 * strings of its own. Reading the index from many threads at once is what
 * every query of the Kizuna evaluator does already: it is safe once the
 * index is flushed (or a non-kizuna store's snapshot built), which the
 * server's first query does before any thread starts, and while nothing
 * writes to the store, which the server never does.
 *
 * Successful bindings are kept (the store is read only), so a name is
 * resolved once. */
static kz_status bind(http_server *server, char **sparql, kz_resolution **unresolved,
                      const kz_catalog_entry *entry, const kz_param *params, size_t count,
                      kz_error *err) {
  *sparql = NULL;
  *unresolved = NULL;
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
  kz_status status =
      kz_catalog_bind_detailed(sparql, unresolved, entry, server->store, params, count, err);
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
  /* An unknown parameter, said here with the HTTP way to list them (the
   * library's message points to 'kizuna run --list'). */
  const char *unknown = NULL;
  for (size_t i = 0; i < params.count && !unknown; i++) {
    size_t k = 0;
    while (k < kz_catalog_entry_param_count(entry) &&
           strcmp(kz_catalog_entry_param_name(entry, k), bound[i].name) != 0)
      k++;
    if (k == kz_catalog_entry_param_count(entry))
      unknown = bound[i].name;
  }
  char *sparql = NULL;
  kz_resolution *unresolved = NULL;
  kz_error err;
  kz_error_clear(&err);
  if (unknown)
    http_reply_json_error(reply, 400, NULL, "%s: unknown parameter '%.200s' (see GET /queries)",
                          kz_catalog_entry_name(entry), unknown);
  else if (bind(server, &sparql, &unresolved, entry, bound, params.count, &err) != KZ_OK)
    reply_bind_error(reply, &err, unresolved, 400);
  else
    run_bound(server, request, entry, sparql, bound, params.count, reply);
  kz_resolution_free(unresolved);
  free(sparql);
  free(bound);
  http_params_clear(&params);
}

void http_handle_ask(http_server *server, const http_request *request, http_reply *reply) {
  http_params params = {0};
  const char *problem = NULL;
  kz_match *match = NULL;
  kz_resolution *first_unresolved = NULL;
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
    reply_no_match(reply, &err, match, question);
    goto done;
  }
  /* As `kizuna ask`: the best candidate whose names resolve answers; if
   * none does, the first candidate's error (and its names' candidates) is
   * the one to show. */
  size_t chosen = 0;
  for (; chosen < kz_match_count(match); chosen++) {
    kz_resolution *unresolved = NULL;
    kz_status status = bind(server, &sparql, &unresolved, kz_match_entry(match, chosen),
                            kz_match_params(match, chosen), kz_match_param_count(match, chosen),
                            &err);
    if (status == KZ_OK)
      break;
    if (chosen == 0) {
      first = err;
      first_unresolved = unresolved;
    } else {
      kz_resolution_free(unresolved);
    }
    if (status != KZ_ERR_NOT_FOUND && status != KZ_ERR_AMBIGUOUS && status != KZ_ERR_ARGUMENT)
      break;
  }
  if (!sparql) {
    reply_bind_error(reply, &first, first_unresolved, 404);
    goto done;
  }
  run_bound(server, request, kz_match_entry(match, chosen), sparql, kz_match_params(match, chosen),
            kz_match_param_count(match, chosen), reply);
done:
  kz_resolution_free(first_unresolved);
  free(sparql);
  kz_match_free(match);
  http_params_clear(&params);
}
