/*
 * The SPARQL 1.1 Protocol endpoint, /sparql (https://www.w3.org/TR/sparql11-protocol/):
 *
 *   GET  /sparql?query=Q[&default-graph-uri=G]*[&named-graph-uri=N]*
 *   POST /sparql  Content-Type: application/x-www-form-urlencoded  (query=Q&...)
 *   POST /sparql  Content-Type: application/sparql-query  (the body is Q; the
 *                 graph parameters in the URL)
 *
 * default-graph-uri and named-graph-uri make the dataset, and win over the
 * query's FROM and FROM NAMED. GET /sparql with no parameters at all is the
 * service description (SPARQL 1.1 Service Description, section 2). The
 * endpoint is read only: SPARQL Update, by content type, by the update
 * parameter or as query text, is refused with 400.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http_internal.h"

/* Whether the Content-Type header names media_type (parameters ignored). */
static int content_type_is(const char *header, const char *media_type) {
  if (!header)
    return 0;
  while (*header == ' ')
    header++;
  size_t n = strlen(media_type);
  if (strncasecmp(header, media_type, n) != 0)
    return 0;
  header += n;
  while (*header == ' ' || *header == '\t')
    header++;
  return *header == '\0' || *header == ';';
}

/* Skips spaces and # comments. */
static const char *skip_blank(const char *p) {
  for (;;) {
    while (isspace((unsigned char)*p))
      p++;
    if (*p != '#')
      return p;
    while (*p && *p != '\n')
      p++;
  }
}

static const char *skip_word(const char *p) {
  while (*p && !isspace((unsigned char)*p) && *p != '<' && *p != '{')
    p++;
  return p;
}

/* Whether text, after its prologue (BASE, PREFIX), starts with a SPARQL
 * Update operation: it deserves a clearer message than a syntax error. */
static int looks_like_update(const char *text) {
  static const char *const operations[] = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE",
                                           "DROP",   "COPY",   "MOVE", "ADD",   "WITH"};
  const char *p = skip_blank(text);
  for (;;) {
    if (strncasecmp(p, "PREFIX", 6) == 0 && !isalnum((unsigned char)p[6])) {
      p = skip_word(skip_blank(p + 6)); /* the prefix name */
    } else if (strncasecmp(p, "BASE", 4) == 0 && !isalnum((unsigned char)p[4])) {
      p += 4;
    } else {
      break;
    }
    p = skip_blank(p);
    if (*p != '<')
      return 0;
    while (*p && *p != '>')
      p++;
    p = skip_blank(*p ? p + 1 : p);
  }
  for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++) {
    size_t n = strlen(operations[i]);
    if (strncasecmp(p, operations[i], n) == 0 && !isalnum((unsigned char)p[n]))
      return 1;
  }
  return 0;
}

static const char read_only[] =
    "this endpoint is read only: SPARQL Update is not accepted";

/* Collects the values of name into a new array (borrowed strings). */
static const char **values_of(const http_params *params, const char *name, size_t *count) {
  *count = http_params_count(params, name);
  const char **list = calloc(*count ? *count : 1, sizeof *list);
  size_t n = 0;
  for (size_t i = 0; list && i < params->count; i++)
    if (strcmp(params->items[i].name, name) == 0)
      list[n++] = params->items[i].value;
  return list;
}

void http_handle_sparql(http_server *server, const http_request *request, http_reply *reply) {
  http_params params = {0};
  const char *problem = NULL;
  const char *text = NULL;
  char *body_text = NULL;
  const char **defaults = NULL, **named = NULL;
  int post = strcmp(request->method, "POST") == 0;
  if (request->query_string &&
      http_params_parse(&params, request->query_string, strlen(request->query_string), &problem) != 0) {
    http_reply_text(reply, 400, "bad query string: %s", problem);
    goto done;
  }
  if (!post) {
    if (request->body_size) {
      http_reply_text(reply, 400, "a GET request carries no body: send the query with POST");
      goto done;
    }
    if (!request->query_string || !*request->query_string) {
      http_handle_service_description(server, request, reply);
      goto done;
    }
  } else if (content_type_is(request->content_type, "application/x-www-form-urlencoded")) {
    if (http_params_count(&params, "query")) {
      http_reply_text(reply, 400, "the query is given both in the URL and in the body");
      goto done;
    }
    if (request->body_size &&
        http_params_parse(&params, request->body, request->body_size, &problem) != 0) {
      http_reply_text(reply, 400, "bad form body: %s", problem);
      goto done;
    }
  } else if (content_type_is(request->content_type, "application/sparql-query")) {
    if (http_params_count(&params, "query")) {
      http_reply_text(reply, 400, "the query is given both in the URL and in the body");
      goto done;
    }
    if (!http_utf8_valid(request->body ? request->body : "", request->body_size) ||
        (request->body && memchr(request->body, '\0', request->body_size))) {
      http_reply_text(reply, 400, "the query is not UTF-8 text");
      goto done;
    }
    if (!(body_text = malloc(request->body_size + 1))) {
      http_reply_text(reply, 503, "out of memory");
      goto done;
    }
    if (request->body_size)
      memcpy(body_text, request->body, request->body_size);
    body_text[request->body_size] = '\0';
    text = body_text;
  } else if (content_type_is(request->content_type, "application/sparql-update")) {
    http_reply_text(reply, 400, "%s", read_only);
    goto done;
  } else {
    http_reply_text(reply, 415,
                    "unsupported Content-Type '%s': POST a query as "
                    "application/x-www-form-urlencoded or application/sparql-query",
                    request->content_type ? request->content_type : "(none)");
    goto done;
  }
  if (http_params_count(&params, "update")) {
    http_reply_text(reply, 400, "%s", read_only);
    goto done;
  }
  if (!text) {
    size_t n = http_params_count(&params, "query");
    if (n == 0) {
      http_reply_text(reply, 400, "missing 'query' parameter");
      goto done;
    }
    if (n > 1) {
      http_reply_text(reply, 400, "give one 'query' parameter, not %zu", n);
      goto done;
    }
    text = http_params_get(&params, "query");
  }
  if (looks_like_update(text)) {
    http_reply_text(reply, 400, "%s", read_only);
    goto done;
  }
  kz_dataset dataset = {0};
  defaults = values_of(&params, "default-graph-uri", &dataset.default_graph_count);
  named = values_of(&params, "named-graph-uri", &dataset.named_graph_count);
  if (!defaults || !named) {
    http_reply_text(reply, 503, "out of memory");
    goto done;
  }
  dataset.default_graphs = defaults;
  dataset.named_graphs = named;
  int has_dataset = dataset.default_graph_count || dataset.named_graph_count;
  http_query q = {text, "query", has_dataset ? &dataset : NULL, 0, 0};
  http_answer(server, request, &q, reply);
done:
  free(defaults);
  free(named);
  free(body_text);
  http_params_clear(&params);
}
