/*
 * Loading RDF files into a store, all or nothing.
 *
 * A load runs in two phases. First the whole file is parsed into a list of
 * (statement, graph) pairs while the store is untouched; a syntax error ends
 * the load there, with the file's line and column. Only then are the quads
 * added, all or none (kz_store_add_quads).
 *
 * Raptor's Turtle lexer reports lines but no columns; when a message names
 * the offending token ("syntax error at '\"'"), the column is found by
 * looking for the token on that line of the file.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "core/internal.h"
#include "store/kizuna_storage.h"
#include "store/store_internal.h"

/* What a parse produced: raptor statements, or for a kizuna storage quads
 * of IDs (4 per quad). */
#define RDF_LANG_STRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

typedef struct quad_list {
  kz_quad *items;
  size_t count;
  size_t capacity;
  kz_id *ids;
  size_t id_count;
} quad_list;

static void quad_list_clear(quad_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    librdf_free_statement(list->items[i].statement);
    librdf_free_node(list->items[i].graph);
  }
  free(list->items);
  free(list->ids);
  memset(list, 0, sizeof *list);
}

static int quad_list_push(quad_list *list, librdf_statement *statement, librdf_node *graph) {
  kz_quad *items = kz_grow(list->items, &list->capacity, list->count + 1, sizeof *items, 256);
  if (!items)
    return -1;
  list->items = items;
  list->items[list->count].statement = statement;
  list->items[list->count].graph = graph;
  list->count++;
  return 0;
}

static const struct {
  const char *name;    /* what users type and what extensions map to */
  const char *raptor;  /* raptor parser name */
  const char *exts;    /* space-separated extensions */
} syntaxes[] = {
    {"turtle", "turtle", "ttl turtle n3"},
    {"ntriples", "ntriples", "nt"},
    {"nquads", "nquads", "nq"},
    {"trig", "trig", "trig"},
    {"rdfxml", "rdfxml", "rdf owl xml"},
    {"rdfjson", "json", "rj json"},
};

static const char *syntax_for_name(const char *name) {
  for (size_t i = 0; i < sizeof syntaxes / sizeof syntaxes[0]; i++)
    if (strcmp(name, syntaxes[i].name) == 0 || strcmp(name, syntaxes[i].raptor) == 0)
      return syntaxes[i].raptor;
  return NULL;
}

static const char *syntax_for_path(const char *path) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash))
    return NULL;
  const char *ext = dot + 1;
  size_t len = strlen(ext);
  for (size_t i = 0; i < sizeof syntaxes / sizeof syntaxes[0]; i++) {
    const char *p = syntaxes[i].exts;
    while (*p) {
      size_t n = strcspn(p, " ");
      if (n == len && strncasecmp(p, ext, n) == 0)
        return syntaxes[i].raptor;
      p += n;
      while (*p == ' ')
        p++;
    }
  }
  return NULL;
}

/* Finds the 1-based column of the token quoted in message ("... at 'TOK'")
 * on the given line of path; 0 when it cannot tell. */
static long guess_column(const char *path, long line, const char *message) {
  const char *at = strstr(message, " at '");
  if (!at || line <= 0)
    return 0;
  const char *token = at + 5;
  const char *end = strrchr(token, '\'');
  if (!end || end == token)
    return 0;
  size_t token_len = (size_t)(end - token);
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  long current = 1, column = 0;
  char buf[8192];
  while (fgets(buf, sizeof buf, f)) {
    if (current == line) {
      for (char *p = buf; *p; p++) {
        if (strncmp(p, token, token_len) == 0) {
          column = (long)(p - buf) + 1;
          break;
        }
      }
      break;
    }
    if (strchr(buf, '\n'))
      current++;
  }
  fclose(f);
  return column;
}

typedef struct parse_state {
  raptor_world *world;
  quad_list *list;
  librdf_node *default_graph;
  int out_of_memory;
  char blank_prefix[24]; /* unique to this load */
  /* Into a kizuna storage: terms go straight into its dictionary and the
   * quads are kept as IDs (16 bytes each) instead of raptor statements. */
  kz_index *index;
  kz_id *ids;
  size_t id_count, id_capacity; /* in quads */
  kz_id default_graph_id;
} parse_state;

/* Raptor keeps a file's blank node labels (_:x stays "x"), so two files,
 * or two loads of one file, would share their blank nodes. Each load
 * prefixes its labels with a tag of its own (from the clock, the process
 * and a counter), which keeps them apart within a store and across the
 * processes that write to a persistent one. */
static void make_blank_prefix(char *out, size_t size) {
  static _Atomic unsigned long counter;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t h = (uint64_t)now.tv_sec * 1000000007ULL ^ (uint64_t)now.tv_nsec ^
               ((uint64_t)getpid() << 40) ^ ((uint64_t)++counter << 20);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  snprintf(out, size, "b%012llx", (unsigned long long)(h & 0xffffffffffffULL));
}

static raptor_term *renamed(parse_state *state, raptor_term *term) {
  if (term->type != RAPTOR_TERM_TYPE_BLANK)
    return raptor_term_copy(term);
  char label[512];
  int n = snprintf(label, sizeof label, "%s%.*s", state->blank_prefix,
                   (int)term->value.blank.string_len, (const char *)term->value.blank.string);
  if (n < 0 || (size_t)n >= sizeof label) {
    /* A very long label: keep it whole in a heap buffer. */
    size_t length = strlen(state->blank_prefix) + term->value.blank.string_len + 1;
    char *big = malloc(length);
    if (!big)
      return NULL;
    snprintf(big, length, "%s%.*s", state->blank_prefix, (int)term->value.blank.string_len,
             (const char *)term->value.blank.string);
    raptor_term *t = raptor_new_term_from_blank(state->world, (const unsigned char *)big);
    free(big);
    return t;
  }
  return raptor_new_term_from_blank(state->world, (const unsigned char *)label);
}

/* The ID of a raptor term in the index (blank nodes renamed as above). */
static kz_id term_id(parse_state *state, raptor_term *t) {
  kz_term term = {0};
  char small[512];
  char *big = NULL;
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    term.kind = KZ_TERM_IRI;
    term.value = (const char *)raptor_uri_as_string(t->value.uri);
    break;
  case RAPTOR_TERM_TYPE_BLANK: {
    term.kind = KZ_TERM_BLANK;
    size_t length = strlen(state->blank_prefix) + t->value.blank.string_len + 1;
    char *label = length <= sizeof small ? small : (big = malloc(length));
    if (!label)
      return KZ_ID_NONE;
    snprintf(label, length, "%s%.*s", state->blank_prefix, (int)t->value.blank.string_len,
             (const char *)t->value.blank.string);
    term.value = label;
    break;
  }
  case RAPTOR_TERM_TYPE_LITERAL:
    term.kind = KZ_TERM_LITERAL;
    term.value = (const char *)t->value.literal.string;
    term.language = t->value.literal.language && *t->value.literal.language
                        ? (const char *)t->value.literal.language
                        : NULL;
    term.datatype = t->value.literal.datatype && !term.language
                        ? (const char *)raptor_uri_as_string(t->value.literal.datatype)
                        : NULL;
    if (term.datatype && strcmp(term.datatype, RDF_LANG_STRING) == 0)
      term.datatype = NULL;
    break;
  default: return KZ_ID_NONE;
  }
  kz_id id = KZ_ID_NONE;
  if (kz_index_intern(state->index, &term, &id) != KZ_OK)
    id = KZ_ID_NONE;
  free(big);
  return id;
}

static void collect_ids(void *user_data, raptor_statement *parsed) {
  parse_state *state = user_data;
  if (state->out_of_memory)
    return;
  kz_id *ids = kz_grow(state->ids, &state->id_capacity, state->id_count + 1, 4 * sizeof *ids, 4096);
  if (!ids) {
    state->out_of_memory = 1;
    return;
  }
  state->ids = ids;
  kz_id *q = state->ids + 4 * state->id_count;
  q[0] = term_id(state, parsed->subject);
  q[1] = term_id(state, parsed->predicate);
  q[2] = term_id(state, parsed->object);
  q[3] = parsed->graph ? term_id(state, parsed->graph) : state->default_graph_id;
  if (!q[0] || !q[1] || !q[2] || !q[3])
    state->out_of_memory = 1;
  else
    state->id_count++;
}

/* Raptor's statement handler: keeps a copy of every parsed quad. Terms are
 * reference-counted and immutable, so copying them is cheap. */
static void collect_statement(void *user_data, raptor_statement *parsed) {
  parse_state *state = user_data;
  if (state->out_of_memory)
    return;
  raptor_term *graph = parsed->graph ? parsed->graph : state->default_graph;
  raptor_statement *copy = raptor_new_statement_from_nodes(
      state->world, renamed(state, parsed->subject), raptor_term_copy(parsed->predicate),
      renamed(state, parsed->object), NULL);
  raptor_term *graph_copy = raptor_term_copy(graph);
  if (!copy || !graph_copy || quad_list_push(state->list, copy, graph_copy) != 0) {
    raptor_free_statement(copy);
    raptor_free_term(graph_copy);
    state->out_of_memory = 1;
  }
}

/* Phase 1: parse path completely into list, with Raptor directly (Redland's
 * parser streams drop the graph of N-Quads and TriG). The store is not
 * touched. */
static kz_status parse_file(kz_store *store, const char *path, const char *syntax,
                            librdf_uri *file_uri, librdf_uri *base_uri,
                            librdf_node *default_graph, quad_list *list, kz_error *err) {
  raptor_world *world = librdf_world_get_raptor(store->world);
  raptor_parser *parser = raptor_new_parser(world, syntax);
  if (!parser)
    return kz_fail(err, KZ_ERR_INTERNAL, path, 0, 0, "no parser for %s", syntax);
  parse_state state = {world, list, default_graph, 0, {0}, NULL, NULL, 0, 0, KZ_ID_NONE};
  make_blank_prefix(state.blank_prefix, sizeof state.blank_prefix);
  state.index = kz_storage_index(store->storage);
  if (state.index) {
    state.default_graph_id = term_id(&state, default_graph);
    if (!state.default_graph_id) {
      raptor_free_parser(parser);
      return kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory while parsing");
    }
  }
  raptor_parser_set_statement_handler(parser, &state,
                                      state.index ? collect_ids : collect_statement);
  kz_store_log_begin(store);
  /* librdf_uri and librdf_node are Raptor's own types since Redland 1.0.17. */
  int rc = raptor_parser_parse_file(parser, file_uri, base_uri);
  int failed = kz_store_log_end(store);
  raptor_free_parser(parser);
  list->ids = state.ids;
  list->id_count = state.id_count;
  if (state.out_of_memory)
    return kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory while parsing");
  if (failed) {
    kz_error *logged = &store->log.error;
    long column = logged->column ? logged->column
                                 : guess_column(path, logged->line, logged->message);
    return kz_fail(err, KZ_ERR_SYNTAX, path, logged->line, column, "%s", logged->message);
  }
  if (rc != 0)
    return kz_fail(err, KZ_ERR_SYNTAX, path, 0, 0, "cannot parse as %s", syntax);
  return KZ_OK;
}

kz_status kz_store_load(kz_store *store, const char *path,
                        const kz_load_options *options, uint64_t *added,
                        kz_error *err) {
  static const kz_load_options defaults = KZ_LOAD_OPTIONS_INIT;
  if (!options)
    options = &defaults;
  if (added)
    *added = 0;
  if (store->read_only)
    return kz_fail(err, KZ_ERR_ARGUMENT, store->spec, 0, 0, "store is open read-only");
  const char *syntax;
  if (options->syntax) {
    syntax = syntax_for_name(options->syntax);
    if (!syntax)
      return kz_fail(err, KZ_ERR_ARGUMENT, path, 0, 0,
                     "unknown syntax '%s' (expected turtle, ntriples, nquads, trig, rdfxml or rdfjson)",
                     options->syntax);
  } else {
    syntax = syntax_for_path(path);
    if (!syntax)
      return kz_fail(err, KZ_ERR_ARGUMENT, path, 0, 0,
                     "cannot tell the syntax from the file name; give it with --syntax");
  }
  FILE *probe = fopen(path, "rb");
  if (!probe)
    return kz_fail(err, KZ_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  fclose(probe);

  kz_status status = KZ_OK;
  quad_list list = {0};
  librdf_uri *file_uri = librdf_new_uri_from_filename(store->world, path);
  librdf_uri *base_uri = options->base
      ? librdf_new_uri(store->world, (const unsigned char *)options->base) : NULL;
  librdf_uri *graph_uri = options->graph
      ? librdf_new_uri(store->world, (const unsigned char *)options->graph) : NULL;
  librdf_node *graph = NULL;
  if (!file_uri || (options->base && !base_uri) || (options->graph && !graph_uri)) {
    status = kz_fail(err, KZ_ERR_ARGUMENT, path, 0, 0, "invalid file name, base or graph IRI");
    goto cleanup;
  }
  graph = librdf_new_node_from_uri(store->world, graph_uri ? graph_uri : file_uri);
  if (!graph) {
    status = kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory");
    goto cleanup;
  }
  status = parse_file(store, path, syntax, file_uri, base_uri ? base_uri : file_uri,
                      graph, &list, err);
  if (status != KZ_OK)
    goto cleanup;
  if (kz_storage_index(store->storage)) {
    /* A kizuna storage: the parsed quads are IDs already; one bulk add. */
    kz_index *index = kz_storage_index(store->storage);
    size_t before = kz_index_quad_count(index);
    kz_store_changed(store);
    status = kz_storage_add_ids(store->storage, list.ids, list.id_count);
    if (status != KZ_OK)
      status = kz_fail(err, status, path, 0, 0, "cannot add the triples: %s", kz_strerror(status));
    else if (added)
      *added = kz_index_quad_count(index) - before;
    goto cleanup;
  }
  int before = librdf_model_size(store->model);
  status = kz_store_add_quads(store, list.items, list.count, path, err);
  if (status == KZ_OK && added) {
    int after = librdf_model_size(store->model);
    *added = after > before ? (uint64_t)(after - before) : 0;
  }
cleanup:
  quad_list_clear(&list);
  librdf_free_node(graph);
  if (graph_uri)
    librdf_free_uri(graph_uri);
  if (base_uri)
    librdf_free_uri(base_uri);
  if (file_uri)
    librdf_free_uri(file_uri);
  return status;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every .ttl file of dir (but skip) in name order. */
static kz_status load_folder(kz_store *store, const char *dir, const char *skip,
                             kz_error *err) {
  DIR *d = opendir(dir);
  if (!d)
    return kz_fail(err, KZ_ERR_NOT_FOUND, dir, 0, 0, "no bundled data here: %s", strerror(errno));
  char **names = NULL;
  size_t count = 0, capacity = 0;
  kz_status status = KZ_OK;
  struct dirent *entry;
  while ((entry = readdir(d))) {
    size_t len = strlen(entry->d_name);
    if (len < 5 || strcmp(entry->d_name + len - 4, ".ttl") != 0 || entry->d_name[0] == '.')
      continue;
    if (skip && strcmp(entry->d_name, skip) == 0)
      continue;
    char **grown = kz_grow(names, &capacity, count + 1, sizeof *names, 16);
    names = grown ? grown : names;
    if (!grown || !(names[count] = kz_strdup(entry->d_name))) {
      status = KZ_ERR_NOMEM;
      break;
    }
    count++;
  }
  closedir(d);
  if (status == KZ_OK && count)
    qsort(names, count, sizeof *names, compare_names);
  for (size_t i = 0; status == KZ_OK && i < count; i++) {
    char path[4096], graph[1024];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    snprintf(graph, sizeof graph, "%s%.*s", KZ_BUNDLED_GRAPH_BASE,
             (int)(strlen(names[i]) - 4), names[i]);
    kz_load_options options = KZ_LOAD_OPTIONS_INIT;
    options.graph = graph;
    status = kz_store_load(store, path, &options, NULL, err);
  }
  for (size_t i = 0; i < count; i++)
    free(names[i]);
  free(names);
  if (status == KZ_ERR_NOMEM)
    return kz_fail(err, status, dir, 0, 0, "out of memory");
  return status;
}

kz_status kz_store_load_bundled(kz_store *store, const char *datadir, kz_error *err) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/ontology", datadir);
  TRY(load_folder(store, dir, "shapes.ttl", err));
  snprintf(dir, sizeof dir, "%s/datasets", datadir);
  return load_folder(store, dir, NULL, err);
}

char *kz_file_iri(const char *path) {
  unsigned char *iri = raptor_uri_filename_to_uri_string(path);
  if (!iri)
    return NULL;
  char *copy = kz_strdup((const char *)iri);
  raptor_free_memory(iri);
  return copy;
}
