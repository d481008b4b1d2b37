/*
 * What the server says about itself and its data, computed once at start
 * (the store does not change while it serves):
 *
 *   GET /.well-known/void  a VoID description (void:Dataset with its counts,
 *                          class and property partitions, vocabularies,
 *                          example resources, URI space, SPARQL endpoint,
 *                          dumps, linksets to other datasets) that is also a
 *                          DCAT record (dcat:Dataset, a dcat:Distribution per
 *                          dump and one for the endpoint, a dcat:DataService;
 *                          dcterms:title, description, license, modified)
 *   GET / (RDF Accept)     the SPARQL 1.1 Service Description (sd:Service:
 *   GET /sparql (no query) endpoint, language, result formats, features,
 *                          the default dataset with its named graphs)
 *   GET /dump.ttl, .nq     the whole store (kz_store_export), written on first
 *                          request into an unlinked temporary file and sent
 *                          from it
 *
 * The counts come from kz_store_stats and from SPARQL queries of the
 * server's own catalogue (the base bound as a string by kz_catalog_bind).
 * Each document is written as Turtle by the functions below, which only
 * write to a FILE*, then loaded into a private memory store, from which a
 * CONSTRUCT makes every format the library writes: all formats hold the same
 * triples, and a document that did not parse would stop the server at start.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/http_internal.h"

#define FORMATS "http://www.w3.org/ns/formats/"
#define VOID_GRAPH "urn:kizuna:serve:void"
#define SD_GRAPH "urn:kizuna:serve:service"

/* ---- Turtle output ---- */

/* An IRI as <...>, with \u escapes for what IRIREF does not allow. */
static void turtle_iri(FILE *out, const char *iri) {
  fputc('<', out);
  for (const unsigned char *p = (const unsigned char *)iri; *p; p++)
    if (*p <= 0x20 || strchr("<>\"{}|^`\\", *p))
      fprintf(out, "\\u%04X", *p);
    else
      fputc(*p, out);
  fputc('>', out);
}

/* A string literal, escaped. */
static void turtle_string(FILE *out, const char *s) {
  fputc('"', out);
  for (const char *p = s; *p; p++)
    switch (*p) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    default: fputc(*p, out);
    }
  fputc('"', out);
}

/* url + path as an IRI. */
static void turtle_local(FILE *out, const char *url, const char *path) {
  size_t n = strlen(url) + strlen(path) + 1;
  char *iri = malloc(n);
  if (!iri)
    return;
  snprintf(iri, n, "%s%s", url, path);
  turtle_iri(out, iri);
  free(iri);
}

/* ---- the facts ---- */

/* What the VoID document says, gathered from the store. */
typedef struct void_facts {
  kz_stats *stats;
  uint64_t triples, subjects, objects, entities;
  char **examples;
  size_t example_count;
  char *license;
  /* linksets: predicate, target (scheme://host), count */
  char **link_predicates, **link_targets;
  uint64_t *link_counts;
  size_t link_count;
} void_facts;

static void facts_clear(void_facts *f) {
  kz_stats_free(f->stats);
  http_strings_free(f->examples, f->example_count);
  free(f->license);
  http_strings_free(f->link_predicates, f->link_count);
  http_strings_free(f->link_targets, f->link_count);
  free(f->link_counts);
  memset(f, 0, sizeof *f);
}

static const char count_query_triples[] = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }";
static const char count_query_subjects[] = "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }";
static const char count_query_objects[] = "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }";
static const char license_query[] =
    "SELECT ?license { ?thing <http://purl.org/dc/terms/license> ?license FILTER(isIRI(?license)) "
    "} ORDER BY ?license LIMIT 1";

static char *copy(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  return c ? memcpy(c, s, n) : NULL;
}

/* Column c of every row of a buffered answer, copied (from its first
 * row); NULL on out of memory. */
static char **column(kz_results *answer, size_t c, size_t *count) {
  size_t n = 0, capacity = 16;
  char **list = kz_results_rewind(answer, NULL) == KZ_OK ? calloc(capacity, sizeof *list) : NULL;
  while (list && kz_results_next(answer, NULL) == KZ_OK) {
    if (n == capacity) {
      char **grown = realloc(list, 2 * capacity * sizeof *list);
      if (!grown) {
        http_strings_free(list, n);
        list = NULL;
        break;
      }
      list = grown;
      capacity *= 2;
    }
    const kz_term *t = kz_results_get_value(answer, c);
    if (!(list[n] = copy(t ? t->value : ""))) {
      http_strings_free(list, n);
      list = NULL;
      break;
    }
    n++;
  }
  *count = list ? n : 0;
  return list;
}

/* The integer in the first row, first column of a buffered answer, or 0. */
static uint64_t first_number(kz_results *answer) {
  if (kz_results_rewind(answer, NULL) != KZ_OK || kz_results_next(answer, NULL) != KZ_OK)
    return 0;
  const kz_term *t = kz_results_get_value(answer, 0);
  return t ? strtoull(t->value, NULL, 10) : 0;
}

static kz_status count(http_server *server, const char *text, uint64_t *out, kz_error *err) {
  kz_results *answer = NULL;
  int truncated = 0;
  kz_status status = http_run_buffered(server, text, "void", &answer, &truncated, err);
  if (status == KZ_OK)
    *out = first_number(answer);
  kz_results_free(answer);
  return status;
}

/* Runs the server's own query name with ?base bound to the base. */
static kz_status run_own(http_server *server, const char *name, kz_results **answer,
                         kz_error *err) {
  const kz_catalog_entry *entry = kz_catalog_find(server->own_queries, name);
  kz_param param = {"base", server->base};
  char *sparql = NULL;
  int truncated = 0;
  kz_status status = kz_catalog_bind(&sparql, entry, server->store, &param, 1, err);
  if (status == KZ_OK)
    status = http_run_buffered(server, sparql, name, answer, &truncated, err);
  free(sparql);
  return status;
}

static kz_status gather(http_server *server, void_facts *f, kz_error *err) {
  kz_status status = kz_store_stats(&f->stats, server->store, err);
  if (status == KZ_OK)
    status = count(server, count_query_triples, &f->triples, err);
  if (status == KZ_OK)
    status = count(server, count_query_subjects, &f->subjects, err);
  if (status == KZ_OK)
    status = count(server, count_query_objects, &f->objects, err);
  kz_results *answer = NULL;
  if (status == KZ_OK && (status = run_own(server, "void-entities", &answer, err)) == KZ_OK)
    f->entities = first_number(answer);
  kz_results_free(answer);
  answer = NULL;
  if (status == KZ_OK && (status = run_own(server, "void-examples", &answer, err)) == KZ_OK &&
      !(f->examples = column(answer, 0, &f->example_count)))
    status = KZ_ERR_NOMEM;
  kz_results_free(answer);
  answer = NULL;
  int truncated = 0;
  if (status == KZ_OK &&
      (status = http_run_buffered(server, license_query, "void", &answer, &truncated, err)) ==
          KZ_OK) {
    size_t n = 0;
    char **licenses = column(answer, 0, &n);
    if (!licenses)
      status = KZ_ERR_NOMEM;
    else if (n)
      f->license = licenses[0], licenses[0] = NULL;
    http_strings_free(licenses, n);
  }
  kz_results_free(answer);
  answer = NULL;
  if (status == KZ_OK && (status = run_own(server, "void-linksets", &answer, err)) == KZ_OK) {
    size_t n = 0, target_count = 0;
    char **counts = column(answer, 2, &n);
    f->link_predicates = column(answer, 0, &f->link_count);
    f->link_targets = column(answer, 1, &target_count);
    f->link_counts = calloc(n ? n : 1, sizeof *f->link_counts);
    for (size_t i = 0; counts && f->link_counts && i < n; i++)
      f->link_counts[i] = strtoull(counts[i], NULL, 10);
    http_strings_free(counts, n);
    if (!counts || !f->link_predicates || !f->link_targets || !f->link_counts)
      status = KZ_ERR_NOMEM;
  }
  kz_results_free(answer);
  if (status == KZ_ERR_NOMEM && err) {
    err->status = KZ_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
  }
  return status;
}

/* The namespace of an IRI: up to its last '#' or '/'. */
static size_t namespace_length(const char *iri) {
  const char *hash = strrchr(iri, '#'), *slash = strrchr(iri, '/');
  const char *end = hash && hash > slash ? hash : slash;
  return end ? (size_t)(end - iri) + 1 : 0;
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The vocabularies: namespaces of the properties and classes used. */
static void write_vocabularies(FILE *out, const kz_stats *stats) {
  size_t n = stats->property_count + stats->class_count, unique = 0;
  char **names = calloc(n ? n : 1, sizeof *names);
  if (!names)
    return;
  for (size_t i = 0; i < n; i++) {
    const char *iri = i < stats->property_count ? stats->properties[i].name
                                                : stats->classes[i - stats->property_count].name;
    size_t length = namespace_length(iri);
    if (length && (names[unique] = malloc(length + 1))) {
      memcpy(names[unique], iri, length);
      names[unique++][length] = '\0';
    }
  }
  qsort(names, unique, sizeof *names, compare_strings);
  int first = 1;
  for (size_t i = 0; i < unique; i++) {
    if (i && strcmp(names[i], names[i - 1]) == 0)
      continue;
    fputs(first ? "  void:vocabulary " : ",\n    ", out);
    turtle_iri(out, names[i]);
    first = 0;
  }
  if (!first)
    fputs(" ;\n", out);
  http_strings_free(names, unique);
}

/* Writes the VoID + DCAT document (pure: only writes to out). */
static void write_void(FILE *out, const http_server *server, const void_facts *f) {
  const char *url = server->url;
  char modified[64];
  time_t when = server->config.modified ? server->config.modified : time(NULL);
  struct tm utc;
  gmtime_r(&when, &utc);
  strftime(modified, sizeof modified, "%Y-%m-%dT%H:%M:%SZ", &utc);
  fputs("@prefix void: <http://rdfs.org/ns/void#> .\n"
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n",
        out);
  turtle_local(out, url, ".well-known/void");
  fputs(" a void:DatasetDescription ;\n  dcterms:title \"A VoID and DCAT description of the "
        "Kizuna knowledge graph\"@en ;\n  foaf:primaryTopic ",
        out);
  turtle_local(out, url, ".well-known/void#dataset");
  fputs(" .\n\n", out);
  turtle_local(out, url, ".well-known/void#dataset");
  fputs(" a void:Dataset, dcat:Dataset ;\n  dcterms:title \"Kizuna knowledge graph\"@en ;\n"
        "  dcterms:description ",
        out);
  char description[512];
  snprintf(description, sizeof description,
           "Research and technology cooperation as RDF: agencies, agreements, joint labs, "
           "projects, research domains and countries; %llu triples in %zu named graphs, served "
           "by Kizuna %s.",
           (unsigned long long)f->triples, f->stats->graph_count, kz_version());
  turtle_string(out, description);
  fputs("@en ;\n", out);
  if (f->license) {
    fputs("  dcterms:license ", out);
    turtle_iri(out, f->license);
    fputs(" ;\n", out);
  }
  fprintf(out,
          "  dcterms:modified \"%s\"^^xsd:dateTime ;\n"
          "  void:triples %llu ;\n  void:entities %llu ;\n  void:classes %zu ;\n"
          "  void:properties %zu ;\n  void:distinctSubjects %llu ;\n"
          "  void:distinctObjects %llu ;\n  void:uriSpace ",
          modified, (unsigned long long)f->triples, (unsigned long long)f->entities,
          f->stats->class_count, f->stats->property_count, (unsigned long long)f->subjects,
          (unsigned long long)f->objects);
  turtle_string(out, server->base);
  fputs(" ;\n  void:sparqlEndpoint ", out);
  turtle_local(out, url, "sparql");
  fputs(" ;\n  void:dataDump ", out);
  turtle_local(out, url, "dump.ttl");
  fputs(", ", out);
  turtle_local(out, url, "dump.nq");
  fputs(" ;\n  void:feature <" FORMATS "Turtle>, <" FORMATS "N-Quads> ;\n", out);
  for (size_t i = 0; i < f->example_count; i++) {
    fputs(i ? ", " : "  void:exampleResource ", out);
    turtle_iri(out, f->examples[i]);
    if (i + 1 == f->example_count)
      fputs(" ;\n", out);
  }
  write_vocabularies(out, f->stats);
  for (size_t i = 0; i < f->stats->class_count; i++) {
    fputs(i ? ",\n    " : "  void:classPartition ", out);
    char path[64];
    snprintf(path, sizeof path, ".well-known/void#class-%zu", i + 1);
    turtle_local(out, url, path);
    if (i + 1 == f->stats->class_count)
      fputs(" ;\n", out);
  }
  for (size_t i = 0; i < f->stats->property_count; i++) {
    fputs(i ? ",\n    " : "  void:propertyPartition ", out);
    char path[64];
    snprintf(path, sizeof path, ".well-known/void#property-%zu", i + 1);
    turtle_local(out, url, path);
    if (i + 1 == f->stats->property_count)
      fputs(" ;\n", out);
  }
  fputs("  dcat:distribution ", out);
  turtle_local(out, url, ".well-known/void#dump-turtle");
  fputs(", ", out);
  turtle_local(out, url, ".well-known/void#dump-nquads");
  fputs(", ", out);
  turtle_local(out, url, ".well-known/void#sparql");
  fputs(" .\n\n", out);
  for (size_t i = 0; i < f->stats->class_count; i++) {
    char path[64];
    snprintf(path, sizeof path, ".well-known/void#class-%zu", i + 1);
    turtle_local(out, url, path);
    fputs(" void:class ", out);
    turtle_iri(out, f->stats->classes[i].name);
    fprintf(out, " ; void:entities %llu .\n", (unsigned long long)f->stats->classes[i].count);
  }
  for (size_t i = 0; i < f->stats->property_count; i++) {
    char path[64];
    snprintf(path, sizeof path, ".well-known/void#property-%zu", i + 1);
    turtle_local(out, url, path);
    fputs(" void:property ", out);
    turtle_iri(out, f->stats->properties[i].name);
    fprintf(out, " ; void:triples %llu .\n", (unsigned long long)f->stats->properties[i].count);
  }
  static const struct {
    const char *fragment, *path, *title, *media_type;
  } dumps[] = {
      {"dump-turtle", "dump.ttl", "The whole dataset as Turtle (the union of its graphs)",
       "text/turtle"},
      {"dump-nquads", "dump.nq", "The whole dataset as N-Quads (every named graph)",
       "application/n-quads"},
  };
  for (size_t i = 0; i < 2; i++) {
    char path[64];
    snprintf(path, sizeof path, ".well-known/void#%s", dumps[i].fragment);
    fputs("\n", out);
    turtle_local(out, url, path);
    fputs(" a dcat:Distribution ;\n  dcterms:title ", out);
    turtle_string(out, dumps[i].title);
    fputs("@en ;\n  dcat:downloadURL ", out);
    turtle_local(out, url, dumps[i].path);
    fputs(" ;\n  dcat:accessURL ", out);
    turtle_local(out, url, dumps[i].path);
    fprintf(out, " ;\n  dcat:mediaType <https://www.iana.org/assignments/media-types/%s> .\n",
            dumps[i].media_type);
  }
  fputs("\n", out);
  turtle_local(out, url, ".well-known/void#sparql");
  fputs(" a dcat:Distribution ;\n  dcterms:title \"The SPARQL 1.1 Protocol endpoint\"@en ;\n"
        "  dcat:accessURL ",
        out);
  turtle_local(out, url, "sparql");
  fputs(" ;\n  dcat:accessService ", out);
  turtle_local(out, url, ".well-known/void#service");
  fputs(" .\n\n", out);
  turtle_local(out, url, ".well-known/void#service");
  fputs(" a dcat:DataService ;\n  dcterms:title \"Kizuna SPARQL endpoint\"@en ;\n"
        "  dcterms:conformsTo <https://www.w3.org/TR/sparql11-protocol/> ;\n  dcat:endpointURL ",
        out);
  turtle_local(out, url, "sparql");
  fputs(" ;\n  dcat:endpointDescription ", out);
  turtle_local(out, url, "sparql");
  fputs(" ;\n  dcat:servesDataset ", out);
  turtle_local(out, url, ".well-known/void#dataset");
  fputs(" .\n", out);
  for (size_t i = 0; i < f->link_count; i++) {
    char path[64];
    snprintf(path, sizeof path, ".well-known/void#linkset-%zu", i + 1);
    fputs("\n", out);
    turtle_local(out, url, path);
    fputs(" a void:Linkset ;\n  void:subjectsTarget ", out);
    turtle_local(out, url, ".well-known/void#dataset");
    fputs(" ;\n  void:objectsTarget ", out);
    snprintf(path, sizeof path, ".well-known/void#target-%zu", i + 1);
    turtle_local(out, url, path);
    fputs(" ;\n  void:linkPredicate ", out);
    turtle_iri(out, f->link_predicates[i]);
    fprintf(out, " ;\n  void:triples %llu .\n", (unsigned long long)f->link_counts[i]);
    turtle_local(out, url, path);
    fputs(" a void:Dataset ;\n  void:uriSpace ", out);
    turtle_string(out, f->link_targets[i]);
    fputs(" .\n", out);
    turtle_local(out, url, ".well-known/void#dataset");
    fputs(" void:subset ", out);
    snprintf(path, sizeof path, ".well-known/void#linkset-%zu", i + 1);
    turtle_local(out, url, path);
    fputs(" .\n", out);
  }
}

/* Writes the service description (pure: only writes to out). */
static void write_service(FILE *out, const http_server *server, const void_facts *f) {
  const char *url = server->url;
  fputs("@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n\n"
        "[] a sd:Service ;\n  dcterms:title \"Kizuna SPARQL endpoint\"@en ;\n  sd:endpoint ",
        out);
  turtle_local(out, url, "sparql");
  fputs(" ;\n  sd:supportedLanguage sd:SPARQL11Query ;\n  sd:resultFormat <" FORMATS
        "SPARQL_Results_JSON>, <" FORMATS "SPARQL_Results_XML>,\n    <" FORMATS
        "SPARQL_Results_CSV>, <" FORMATS "SPARQL_Results_TSV>,\n    <" FORMATS "Turtle>, <" FORMATS
        "N-Triples>, <" FORMATS "N-Quads>, <" FORMATS "RDF_XML>",
        out);
  if (server->jsonld)
    fputs(", <" FORMATS "JSON-LD>", out);
  fputs(" ;\n", out);
  if (!server->config.dataset)
    fputs("  sd:feature sd:UnionDefaultGraph ;\n", out);
  fputs("  sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;\n"
        "  sd:defaultDataset ",
        out);
  turtle_local(out, url, ".well-known/void#dataset");
  fputs(" .\n\n", out);
  turtle_local(out, url, ".well-known/void#dataset");
  fprintf(out, " a sd:Dataset ;\n  sd:defaultGraph [ a sd:Graph ; void:triples %llu ]",
          (unsigned long long)f->triples);
  for (size_t i = 0; i < f->stats->graph_count; i++) {
    fputs(" ;\n  sd:namedGraph [ a sd:NamedGraph ; sd:name ", out);
    turtle_iri(out, f->stats->graphs[i].name);
    fprintf(out, " ;\n    sd:graph [ a sd:Graph ; void:triples %llu ] ]",
            (unsigned long long)f->stats->graphs[i].count);
  }
  fputs(" .\n", out);
}

/* ---- documents in every format ---- */

/* Loads text (Turtle) into graph of store through a temporary file. */
static kz_status load_turtle(kz_store *store, const char *text, size_t size, const char *graph,
                             kz_error *err) {
  const char *tmp = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/kizuna-serve-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0) {
    snprintf(err->message, sizeof err->message, "cannot make a temporary file: %s",
             strerror(errno));
    return err->status = KZ_ERR_IO;
  }
  int written = write(fd, text, size) == (ssize_t)size;
  close(fd);
  kz_status status = KZ_ERR_IO;
  if (written) {
    kz_load_options options = KZ_LOAD_OPTIONS_INIT;
    options.syntax = "turtle";
    options.graph = graph;
    status = kz_store_load(store, path, &options, NULL, err);
  } else {
    snprintf(err->message, sizeof err->message, "cannot write %.500s", path);
    err->status = status;
  }
  unlink(path);
  return status;
}

/* Every graph format of the named graph of meta into doc. */
static kz_status render(http_server *server, kz_store *meta, const char *graph, http_document *doc,
                        kz_error *err) {
  char text[256];
  snprintf(text, sizeof text, "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }", graph);
  kz_query *query = NULL;
  kz_results *results = NULL, *answer = NULL;
  kz_status status = kz_query_prepare(&query, meta, text, NULL, err);
  if (status == KZ_OK)
    status = kz_query_execute(&results, query, err);
  if (status == KZ_OK)
    status = kz_results_buffer(&answer, results, 0, NULL, err);
  http_offer offers[HTTP_MAX_OFFERS];
  size_t count = http_offers_graph(offers, HTTP_MAX_OFFERS, server->jsonld);
  for (size_t i = 0; status == KZ_OK && i < count; i++)
    status = http_write_results(answer, offers[i].format, &doc->bytes[i], &doc->sizes[i], err);
  kz_results_free(answer);
  kz_results_free(results);
  kz_query_free(query);
  return status;
}

kz_status http_meta_build(http_server *server, kz_error *err) {
  void_facts facts = {0};
  kz_store *meta = NULL;
  char *void_text = NULL, *service_text = NULL;
  size_t void_size = 0, service_size = 0;
  kz_status status = gather(server, &facts, err);
  if (status == KZ_OK) {
    FILE *out = open_memstream(&void_text, &void_size);
    if (out) {
      write_void(out, server, &facts);
      fclose(out);
    }
    out = open_memstream(&service_text, &service_size);
    if (out) {
      write_service(out, server, &facts);
      fclose(out);
    }
    if (!void_text || !service_text) {
      status = err->status = KZ_ERR_NOMEM;
      snprintf(err->message, sizeof err->message, "out of memory");
    }
  }
  if (status == KZ_OK)
    status = kz_store_open(&meta, "memory", NULL, err);
  if (status == KZ_OK)
    status = load_turtle(meta, void_text, void_size, VOID_GRAPH, err);
  if (status == KZ_OK)
    status = load_turtle(meta, service_text, service_size, SD_GRAPH, err);
  if (status == KZ_OK)
    status = render(server, meta, VOID_GRAPH, &server->void_doc, err);
  if (status == KZ_OK)
    status = render(server, meta, SD_GRAPH, &server->service_doc, err);
  kz_store_free(meta);
  free(void_text);
  free(service_text);
  facts_clear(&facts);
  return status;
}

void http_meta_free(http_server *server) {
  for (size_t i = 0; i < HTTP_MAX_OFFERS; i++) {
    free(server->void_doc.bytes[i]);
    free(server->service_doc.bytes[i]);
  }
  memset(&server->void_doc, 0, sizeof server->void_doc);
  memset(&server->service_doc, 0, sizeof server->service_doc);
  for (int i = 0; i < 2; i++)
    if (server->dump_fd[i] >= 0) {
      close(server->dump_fd[i]);
      server->dump_fd[i] = -1;
    }
}

void http_reply_document(http_server *server, const http_request *request,
                         const http_document *doc, http_reply *reply) {
  http_offer offers[HTTP_MAX_OFFERS];
  size_t count = http_offers_graph(offers, HTTP_MAX_OFFERS, server->jsonld);
  int chosen = http_negotiate(request->accept, offers, count);
  if (chosen < 0) {
    http_reply_not_acceptable(reply, offers, count);
    return;
  }
  reply->status = 200;
  reply->content_type = http_content_type(offers[chosen].media_type);
  reply->static_body = doc->bytes[chosen];
  reply->size = doc->sizes[chosen];
}

void http_handle_void(http_server *server, const http_request *request, http_reply *reply) {
  http_reply_document(server, request, &server->void_doc, reply);
}

void http_handle_service_description(http_server *server, const http_request *request,
                                     http_reply *reply) {
  http_reply_document(server, request, &server->service_doc, reply);
}

/* ---- dumps ---- */

void http_handle_dump(http_server *server, const http_request *request, http_reply *reply,
                      int quads) {
  (void)request;
  kz_error err;
  kz_error_clear(&err);
  pthread_mutex_lock(&server->dump_lock);
  if (server->dump_fd[quads] < 0) {
    FILE *f = tmpfile();
    kz_status status = KZ_ERR_IO;
    if (f) {
      /* kz_store_export reads a non-memory store through librdf, which is
       * not thread-safe (its graph writer is: a Raptor world of its own) */
      pthread_mutex_lock(&server->redland_lock);
      status = kz_store_export(server->store, f, quads ? "nquads" : "turtle", NULL, &err);
      pthread_mutex_unlock(&server->redland_lock);
      if (status == KZ_OK && fflush(f) != 0)
        status = KZ_ERR_IO;
      if (status == KZ_OK) {
        struct stat info;
        int fd = dup(fileno(f));
        if (fd >= 0 && fstat(fd, &info) == 0) {
          server->dump_fd[quads] = fd;
          server->dump_size[quads] = (uint64_t)info.st_size;
        } else if (fd >= 0) {
          close(fd);
          status = KZ_ERR_IO;
        }
      }
      fclose(f);
    }
    if (status != KZ_OK && !err.message[0])
      snprintf(err.message, sizeof err.message, "cannot write the dump: %s", strerror(errno));
  }
  int fd = server->dump_fd[quads] >= 0 ? dup(server->dump_fd[quads]) : -1;
  uint64_t size = server->dump_size[quads];
  pthread_mutex_unlock(&server->dump_lock);
  if (fd < 0) {
    http_reply_text(reply, 503, "the dump is not available: %s",
                    err.message[0] ? err.message : strerror(errno));
    return;
  }
  reply->status = 200;
  reply->content_type = quads ? "application/n-quads" : "text/turtle; charset=utf-8";
  reply->fd = fd;
  reply->fd_size = size;
}
