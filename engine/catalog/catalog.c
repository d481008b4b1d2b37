/*
 * The named query catalogue: loading .rq files with their comment headers,
 * and binding parameters into their SPARQL.
 *
 * Binding is lexical but safe: the query text is scanned token-wise (strings,
 * IRIs and comments are skipped whole), each ?var or $var naming a parameter
 * is replaced by the value's RDF term, and that term is produced by the
 * N-Triples writer from a typed value: an IRI checked against the IRIREF
 * grammar, a string escaped, a date checked against its lexical form. No
 * character of a value can end the term it is in.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog_internal.h"
#include "core/internal.h"
#include "kizuna/resolve.h"
#include "serialize/serialize.h"
#include "sparql/lexer.h"

#define KZ_NS "https://w3id.org/kizuna/ontology#"
#define XSD "http://www.w3.org/2001/XMLSchema#"

/* The parameter types: names are resolved (resolve.h), among the
 * resources of a class or (resource) among every labelled resource. */
static const struct {
  const char *type;
  int resolved;
  const char *class_iri;
} param_types[] = {
    {"agency", 1, KZ_NS "Agency"}, {"country", 1, KZ_NS "Country"}, {"domain", 1, KZ_NS "Domain"},
    {"resource", 1, NULL},         {"date", 0, NULL},               {"year", 0, NULL},
    {"string", 0, NULL},           {"iri", 0, NULL},
};

/* Whether type is known; if so *resolved and *class_iri (either may be
 * NULL) say how its names are resolved. */
static int known_type(const char *type, int *resolved, const char **class_iri) {
  for (size_t i = 0; i < sizeof param_types / sizeof param_types[0]; i++) {
    if (strcmp(type, param_types[i].type) == 0) {
      if (resolved)
        *resolved = param_types[i].resolved;
      if (class_iri)
        *class_iri = param_types[i].class_iri;
      return 1;
    }
  }
  return 0;
}

/* ---- loading ---- */

static void entry_clear(kz_catalog_entry *e) {
  free(e->name);
  free(e->description);
  free(e->query);
  free(e->path);
  for (size_t i = 0; i < e->param_count; i++) {
    free(e->params[i].name);
    free(e->params[i].type);
  }
  free(e->params);
  for (size_t i = 0; i < e->phrase_count; i++)
    kz_phrase_free(&e->phrases[i]);
  free(e->phrases);
  for (size_t i = 0; i < e->example_count; i++)
    free(e->examples[i]);
  free(e->examples);
  memset(e, 0, sizeof *e);
}

/* Grows an array of size elements to hold count + 1; -1 on OOM. */
static int grow(void **array, size_t count, size_t size) {
  void *bigger = realloc(*array, (count + 1) * size);
  if (!bigger)
    return -1;
  *array = bigger;
  return 0;
}

static char *trimmed_copy(const char *s, size_t n) {
  while (n && isspace((unsigned char)*s)) {
    s++;
    n--;
  }
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  char *copy = malloc(n + 1);
  if (copy) {
    memcpy(copy, s, n);
    copy[n] = '\0';
  }
  return copy;
}

static int is_name_char(int c) { return isalnum(c) || c == '_' || c == '-'; }

/* One "# key: value" header line. */
static kz_status parse_header(kz_catalog_entry *e, const char *key, const char *value,
                              const char *path, long line, kz_error *err) {
  if (strcmp(key, "name") == 0) {
    for (const char *p = value; *p; p++)
      if (!is_name_char((unsigned char)*p))
        return kz_fail(err, KZ_ERR_SYNTAX, path, line, 0, "invalid query name '%s'", value);
    if (e->name)
      return kz_fail(err, KZ_ERR_SYNTAX, path, line, 0, "second name");
    return (e->name = kz_strdup(value)) ? KZ_OK : KZ_ERR_NOMEM;
  }
  if (strcmp(key, "description") == 0) {
    free(e->description);
    return (e->description = kz_strdup(value)) ? KZ_OK : KZ_ERR_NOMEM;
  }
  if (strcmp(key, "param") == 0) {
    char name[64], type[32], flag[32] = "", extra[2];
    int fields = sscanf(value, "%63s %31s %31s %1s", name, type, flag, extra);
    if (fields < 2 || fields > 3 || (fields == 3 && strcmp(flag, "optional") != 0))
      return kz_fail(err, KZ_ERR_SYNTAX, path, line, 0, "expected 'param: NAME TYPE [optional]'");
    if (!known_type(type, NULL, NULL))
      return kz_fail(err, KZ_ERR_SYNTAX, path, line, 0,
                     "unknown parameter type '%s' (agency, country, domain, resource, date, year, "
                     "string, iri)",
                     type);
    for (size_t i = 0; i < e->param_count; i++)
      if (strcmp(e->params[i].name, name) == 0)
        return kz_fail(err, KZ_ERR_SYNTAX, path, line, 0, "parameter '%s' twice", name);
    if (grow((void **)&e->params, e->param_count, sizeof *e->params) != 0)
      return KZ_ERR_NOMEM;
    kz_catalog_param *param = &e->params[e->param_count++];
    param->name = kz_strdup(name);
    param->type = kz_strdup(type);
    param->optional = fields == 3;
    return param->name && param->type ? KZ_OK : KZ_ERR_NOMEM;
  }
  if (strcmp(key, "phrase") == 0) {
    if (grow((void **)&e->phrases, e->phrase_count, sizeof *e->phrases) != 0)
      return KZ_ERR_NOMEM;
    kz_phrase *phrase = &e->phrases[e->phrase_count];
    memset(phrase, 0, sizeof *phrase);
    TRY(kz_phrase_compile(phrase, value, path, line, err));
    e->phrase_count++;
    return KZ_OK;
  }
  if (strcmp(key, "example") == 0) {
    if (grow((void **)&e->examples, e->example_count, sizeof *e->examples) != 0)
      return KZ_ERR_NOMEM;
    return (e->examples[e->example_count++] = kz_strdup(value)) ? KZ_OK : KZ_ERR_NOMEM;
  }
  return kz_fail(err, KZ_ERR_SYNTAX, path, line, 0,
                 "unknown header '%s' (name, description, param, phrase, example)", key);
}

/* Does the query use ?name or $name outside strings, IRIs and comments? */
static int query_uses(const char *query, const char *name);

static kz_status parse_entry(kz_catalog_entry *e, const char *path, const char *text,
                             kz_error *err) {
  long line = 1;
  const char *p = text;
  while (*p == '#') {
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    const char *colon = memchr(p, ':', n);
    const char *key_start = p + 1;
    while (key_start < p + n && *key_start == ' ')
      key_start++;
    /* "# key: value" with a one-word key is a header; other comments are text */
    int header = colon && colon > key_start;
    for (const char *k = key_start; header && k < colon; k++)
      header = (*k >= 'a' && *k <= 'z') || *k == '-' || *k == '_';
    if (header) {
      char *key = trimmed_copy(key_start, (size_t)(colon - key_start));
      char *value = trimmed_copy(colon + 1, n - (size_t)(colon + 1 - p));
      kz_status status = key && value ? parse_header(e, key, value, path, line, err) : KZ_ERR_NOMEM;
      free(key);
      free(value);
      if (status == KZ_ERR_NOMEM)
        return kz_fail(err, status, path, line, 0, "out of memory");
      if (status != KZ_OK)
        return status;
    }
    /* other comment lines are free text */
    p += n;
    if (*p == '\n')
      p++;
    line++;
  }
  if (!e->name)
    return kz_fail(err, KZ_ERR_SYNTAX, path, 1, 0, "missing '# name:' header");
  if (!e->description)
    return kz_fail(err, KZ_ERR_SYNTAX, path, 1, 0, "missing '# description:' header");
  if (!(e->query = kz_strdup(text)) || !(e->path = kz_strdup(path)))
    return kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory");
  for (size_t i = 0; i < e->param_count; i++)
    if (!query_uses(p, e->params[i].name))
      return kz_fail(err, KZ_ERR_SYNTAX, path, 0, 0, "parameter '%s' is not used by the query",
                     e->params[i].name);
  /* A phrase captures every required parameter, and nothing else by name
   * (an optional parameter it does not capture is left out). */
  for (size_t i = 0; i < e->phrase_count; i++) {
    uint32_t groups = 0, captured = 0;
    pcre2_pattern_info(e->phrases[i].regex, PCRE2_INFO_NAMECOUNT, &groups);
    for (size_t k = 0; k < e->param_count; k++) {
      if (pcre2_substring_number_from_name(e->phrases[i].regex,
                                           (PCRE2_SPTR)e->params[k].name) >= 0)
        captured++;
      else if (!e->params[k].optional)
        return kz_fail(err, KZ_ERR_SYNTAX, path, 0, 0,
                       "phrase '%s' does not capture parameter '%s'", e->phrases[i].source,
                       e->params[k].name);
    }
    if (groups != captured)
      return kz_fail(err, KZ_ERR_SYNTAX, path, 0, 0,
                     "phrase '%s' captures a group that is not a parameter", e->phrases[i].source);
  }
  return KZ_OK;
}

static int compare_entries(const void *a, const void *b) {
  return strcmp(((const kz_catalog_entry *)a)->name, ((const kz_catalog_entry *)b)->name);
}

static kz_status load_file(kz_catalog *catalog, const char *path, kz_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return kz_fail(err, KZ_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  char *text = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&text, &size);
  int c;
  while (m && (c = fgetc(f)) != EOF)
    fputc(c, m);
  fclose(f);
  if (!m || fclose(m) != 0) {
    free(text);
    return kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  if (grow((void **)&catalog->entries, catalog->count, sizeof *catalog->entries) != 0) {
    free(text);
    return kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  kz_catalog_entry *e = &catalog->entries[catalog->count];
  memset(e, 0, sizeof *e);
  kz_status status = parse_entry(e, path, text, err);
  free(text);
  if (status != KZ_OK) {
    entry_clear(e);
    return status;
  }
  for (size_t i = 0; i < catalog->count; i++) {
    if (strcmp(catalog->entries[i].name, e->name) == 0) {
      status = kz_fail(err, KZ_ERR_SYNTAX, path, 1, 0, "query name '%s' is also used by %s",
                       e->name, catalog->entries[i].path);
      entry_clear(e);
      return status;
    }
  }
  catalog->count++;
  return KZ_OK;
}

kz_status kz_catalog_load(kz_catalog **out, const char *dir, kz_error *err) {
  *out = NULL;
  DIR *d = opendir(dir);
  if (!d)
    return kz_fail(err, KZ_ERR_IO, dir, 0, 0, "cannot open the catalogue: %s", strerror(errno));
  kz_catalog *catalog = calloc(1, sizeof *catalog);
  kz_status status = catalog ? KZ_OK : kz_fail(err, KZ_ERR_NOMEM, dir, 0, 0, "out of memory");
  struct dirent *entry;
  while (status == KZ_OK && (entry = readdir(d))) {
    size_t len = strlen(entry->d_name);
    if (len < 4 || strcmp(entry->d_name + len - 3, ".rq") != 0 || entry->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
    status = load_file(catalog, path, err);
  }
  closedir(d);
  if (status != KZ_OK) {
    kz_catalog_free(catalog);
    return status;
  }
  if (catalog->count)
    qsort(catalog->entries, catalog->count, sizeof *catalog->entries, compare_entries);
  *out = catalog;
  return KZ_OK;
}

void kz_catalog_free(kz_catalog *catalog) {
  if (!catalog)
    return;
  for (size_t i = 0; i < catalog->count; i++)
    entry_clear(&catalog->entries[i]);
  free(catalog->entries);
  free(catalog);
}

size_t kz_catalog_count(const kz_catalog *catalog) { return catalog->count; }

const kz_catalog_entry *kz_catalog_get(const kz_catalog *catalog, size_t i) {
  return i < catalog->count ? &catalog->entries[i] : NULL;
}

const kz_catalog_entry *kz_catalog_find(const kz_catalog *catalog, const char *name) {
  for (size_t i = 0; i < catalog->count; i++)
    if (strcmp(catalog->entries[i].name, name) == 0)
      return &catalog->entries[i];
  return NULL;
}

const char *kz_catalog_entry_name(const kz_catalog_entry *e) { return e->name; }
const char *kz_catalog_entry_description(const kz_catalog_entry *e) { return e->description; }
const char *kz_catalog_entry_query(const kz_catalog_entry *e) { return e->query; }
size_t kz_catalog_entry_param_count(const kz_catalog_entry *e) { return e->param_count; }
const char *kz_catalog_entry_param_name(const kz_catalog_entry *e, size_t i) {
  return i < e->param_count ? e->params[i].name : NULL;
}
const char *kz_catalog_entry_param_type(const kz_catalog_entry *e, size_t i) {
  return i < e->param_count ? e->params[i].type : NULL;
}
int kz_catalog_entry_param_optional(const kz_catalog_entry *e, size_t i) {
  return i < e->param_count && e->params[i].optional;
}
size_t kz_catalog_entry_example_count(const kz_catalog_entry *e) { return e->example_count; }
const char *kz_catalog_entry_example(const kz_catalog_entry *e, size_t i) {
  return i < e->example_count ? e->examples[i] : NULL;
}

/* ---- scanning SPARQL ---- */

/* Calls visit for each variable token (its start and length without the
 * sigil); stops early if visit returns non-zero. */
static int each_variable(const char *query, int (*visit)(const char *start, size_t n, void *user),
                         void *user) {
  kz_scan_kind kind;
  for (size_t n; (n = kz_sparql_scan(query, &kind)); query += n)
    if (kind == KZ_SCAN_VARIABLE && visit(query + 1, n - 1, user))
      return 1;
  return 0;
}

static int match_name(const char *start, size_t n, void *user) {
  const char *name = user;
  return strlen(name) == n && strncmp(start, name, n) == 0;
}

static int query_uses(const char *query, const char *name) {
  return each_variable(query, match_name, (void *)name);
}

/* ---- typed values ---- */

static int valid_iri(const char *iri) {
  const char *colon = strchr(iri, ':');
  if (!colon || colon == iri || !isalpha((unsigned char)iri[0]))
    return 0;
  for (const char *p = iri; p < colon; p++)
    if (!isalnum((unsigned char)*p) && !strchr("+-.", *p))
      return 0;
  for (const unsigned char *p = (const unsigned char *)iri; *p; p++)
    if (*p <= 0x20 || strchr("<>\"{}|^`\\", *p))
      return 0;
  return 1;
}

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]))
      return 0;
  return 1;
}

/* The datatype of a date given as YYYY, YYYY-MM or YYYY-MM-DD, or NULL. */
static const char *date_datatype(const char *v) {
  size_t n = strlen(v);
  if (n == 4 && digits(v, 4))
    return XSD "gYear";
  int month = n >= 7 && digits(v, 4) && v[4] == '-' && digits(v + 5, 2) ? atoi(v + 5) : 0;
  if (month < 1 || month > 12)
    return NULL;
  if (n == 7)
    return XSD "gYearMonth";
  int day = n == 10 && v[7] == '-' && digits(v + 8, 2) ? atoi(v + 8) : 0;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day >= 1 && day <= days[month - 1] ? XSD "date" : NULL;
}

/* The month (1-12) a word names: its full English name, its first three
 * letters, or "sept"; 0 if none. */
static int month_number(const char *word, size_t n) {
  static const char *const months[] = {"january", "february", "march",     "april",
                                       "may",     "june",     "july",      "august",
                                       "september", "october", "november", "december"};
  for (int i = 0; i < 12; i++) {
    size_t full = strlen(months[i]);
    if (n <= full && (n == 3 || n == full || (i == 8 && n == 4)) &&
        strncasecmp(word, months[i], n) == 0)
      return i + 1;
  }
  return 0;
}

/* A date written with its month's name ("March 2015", "Oct. 2018",
 * "29 October 2018", "October 29th, 2018") as YYYY-MM or YYYY-MM-DD into
 * iso (ISO_SIZE bytes); 0 if value is not written so. The day is not
 * checked here: date_datatype does it. */
#define ISO_SIZE 32 /* room for any int, to keep the compiler's checks quiet */
static int month_date(const char *value, char iso[ISO_SIZE]) {
  int year = 0, month = 0, day = 0;
  const char *p = value;
  while (*p) {
    if (strchr(" ,.", *p)) {
      p++;
      continue;
    }
    if (year) /* the year comes last */
      return 0;
    const char *word = p;
    while (isalnum((unsigned char)*p))
      p++;
    size_t n = (size_t)(p - word), number = 0;
    if (!n)
      return 0;
    while (number < n && isdigit((unsigned char)word[number]))
      number++;
    if (number == 4 && n == 4 && month) {
      year = atoi(word);
    } else if (number == 0 && !month) {
      if (!(month = month_number(word, n)))
        return 0;
    } else if ((number == 1 || number == 2) && !day &&
               (n == number || (n == number + 2 && (strncasecmp(word + number, "st", 2) == 0 ||
                                                     strncasecmp(word + number, "nd", 2) == 0 ||
                                                     strncasecmp(word + number, "rd", 2) == 0 ||
                                                     strncasecmp(word + number, "th", 2) == 0)))) {
      if (!(day = atoi(word)))
        return 0;
    } else {
      return 0;
    }
  }
  if (!year)
    return 0;
  if (day)
    snprintf(iso, ISO_SIZE, "%04d-%02d-%02d", year, month, day);
  else
    snprintf(iso, ISO_SIZE, "%04d-%02d", year, month);
  return 1;
}

/* Writes the RDF term for value of the given type into a new string. A name
 * that does not resolve hands its resolution to *unresolved (if not NULL). */
static kz_status make_term(char **out, kz_resolution **unresolved, kz_store *store,
                           const kz_catalog_param *param, const char *value, kz_error *err) {
  *out = NULL;
  int resolved_type = 0;
  const char *class_iri = NULL;
  known_type(param->type, &resolved_type, &class_iri);
  kz_term term = {KZ_TERM_LITERAL, value, NULL, NULL};
  char *resolved = NULL;
  char iso[ISO_SIZE];
  if (resolved_type) {
    kz_resolution *resolution = NULL;
    kz_status status = kz_resolve(&resolution, store, class_iri, param->type, value, err);
    if (status == KZ_OK && !(resolved = kz_strdup(kz_resolution_iri(resolution))))
      status = kz_fail(err, KZ_ERR_NOMEM, param->name, 0, 0, "out of memory");
    if (unresolved && (status == KZ_ERR_NOT_FOUND || status == KZ_ERR_AMBIGUOUS))
      *unresolved = resolution;
    else
      kz_resolution_free(resolution);
    if (status != KZ_OK)
      return status;
    term.kind = KZ_TERM_IRI;
    term.value = resolved;
  } else if (strcmp(param->type, "iri") == 0) {
    if (!valid_iri(value))
      return kz_fail(err, KZ_ERR_ARGUMENT, param->name, 0, 0, "'%s' is not an absolute IRI", value);
    term.kind = KZ_TERM_IRI;
  } else if (strcmp(param->type, "date") == 0) {
    if (month_date(value, iso))
      term.value = iso;
    if (!(term.datatype = date_datatype(term.value)))
      return kz_fail(err, KZ_ERR_ARGUMENT, param->name, 0, 0,
                     "'%s' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or like 'March 2015')",
                     value);
  } else if (strcmp(param->type, "year") == 0) {
    if (strlen(value) != 4 || !digits(value, 4))
      return kz_fail(err, KZ_ERR_ARGUMENT, param->name, 0, 0, "'%s' is not a year (YYYY)", value);
    term.datatype = XSD "gYear";
  }
  /* IRIs checked above, resolved IRIs come from the store: both are written
   * with the N-Triples escapes, as are strings. */
  if (term.kind == KZ_TERM_IRI && !valid_iri(term.value)) {
    free(resolved);
    return kz_fail(err, KZ_ERR_ARGUMENT, param->name, 0, 0, "'%s' is not an absolute IRI", value);
  }
  size_t size = 0;
  FILE *m = open_memstream(out, &size);
  if (m) {
    kz_write_term_nt(m, &term);
    fclose(m);
  }
  free(resolved);
  return *out ? KZ_OK : kz_fail(err, KZ_ERR_NOMEM, param->name, 0, 0, "out of memory");
}

/* ---- binding ---- */

typedef struct substitution {
  const kz_catalog_entry *entry;
  char **terms; /* by parameter index */
  FILE *out;
  const char *copied_to; /* query text written so far */
} substitution;

static int substitute(const char *start, size_t n, void *user) {
  substitution *s = user;
  for (size_t i = 0; i < s->entry->param_count; i++) {
    const char *name = s->entry->params[i].name;
    if (strlen(name) == n && strncmp(start, name, n) == 0) {
      if (!s->terms[i])
        break; /* an optional parameter left out: the variable stays */
      const char *sigil = start - 1;
      fwrite(s->copied_to, 1, (size_t)(sigil - s->copied_to), s->out);
      fputs(s->terms[i], s->out);
      s->copied_to = start + n;
      break;
    }
  }
  return 0;
}

kz_status kz_catalog_bind(char **sparql, const kz_catalog_entry *entry, kz_store *store,
                          const kz_param *params, size_t param_count, kz_error *err) {
  return kz_catalog_bind_detailed(sparql, NULL, entry, store, params, param_count, err);
}

kz_status kz_catalog_bind_detailed(char **sparql, kz_resolution **unresolved,
                                   const kz_catalog_entry *entry, kz_store *store,
                                   const kz_param *params, size_t param_count, kz_error *err) {
  *sparql = NULL;
  if (unresolved)
    *unresolved = NULL;
  for (size_t k = 0; k < param_count; k++) {
    size_t i = 0;
    while (i < entry->param_count && strcmp(entry->params[i].name, params[k].name) != 0)
      i++;
    if (i == entry->param_count)
      return kz_fail(err, KZ_ERR_ARGUMENT, entry->name, 0, 0,
                     "unknown parameter '%s' (see 'kizuna run --list')", params[k].name);
    for (size_t j = 0; j < k; j++)
      if (strcmp(params[j].name, params[k].name) == 0)
        return kz_fail(err, KZ_ERR_ARGUMENT, entry->name, 0, 0, "parameter '%s' given twice",
                       params[k].name);
  }
  char **terms = calloc(entry->param_count ? entry->param_count : 1, sizeof *terms);
  if (!terms)
    return kz_fail(err, KZ_ERR_NOMEM, entry->name, 0, 0, "out of memory");
  kz_status status = KZ_OK;
  for (size_t i = 0; status == KZ_OK && i < entry->param_count; i++) {
    const kz_param *given = NULL;
    for (size_t k = 0; k < param_count; k++)
      if (strcmp(params[k].name, entry->params[i].name) == 0)
        given = &params[k];
    if (given)
      status = make_term(&terms[i], unresolved, store, &entry->params[i], given->value, err);
    else if (!entry->params[i].optional)
      status = kz_fail(err, KZ_ERR_ARGUMENT, entry->name, 0, 0, "missing parameter '%s' (%s)",
                       entry->params[i].name, entry->params[i].type);
  }
  if (status == KZ_OK) {
    size_t size = 0;
    substitution s = {entry, terms, open_memstream(sparql, &size), entry->query};
    if (!s.out) {
      status = kz_fail(err, KZ_ERR_NOMEM, entry->name, 0, 0, "out of memory");
    } else {
      each_variable(entry->query, substitute, &s);
      fputs(s.copied_to, s.out);
      fclose(s.out);
    }
  }
  for (size_t i = 0; i < entry->param_count; i++)
    free(terms[i]);
  free(terms);
  return status;
}
