/*
 * Reading a shapes graph into the shapes model (validate_internal.h).
 *
 * The shapes file is loaded into its own memory store. Shapes are found as
 * SHACL says: instances of sh:NodeShape or sh:PropertyShape, subjects of a
 * target, values of sh:property, members of sh:or. Each is read once (the
 * model's items own them; sh:property and sh:or point into items); a shape
 * that reaches itself is an error, as recursive shapes have no meaning in
 * SHACL Core.
 *
 * Nothing in the sh: namespace is ignored silently: every sh: predicate of a
 * shape must be a parameter this validator implements (or a non-validating
 * one: sh:name, sh:description, sh:order, sh:group, sh:defaultValue), and a
 * final sweep rejects sh: predicates on nodes that were never read as a
 * shape, a path or a SPARQL constraint (prefix declarations aside). Errors
 * carry the file's line and column, found by looking for the offending term
 * in the file's text (statements do not keep their positions).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "validate/validate_internal.h"

/* ---- node lists and keys ------------------------------------------------ */

int kz_node_list_push(kz_node_list *list, librdf_node *node) {
  librdf_node **grown = kz_grow(list->items, &list->capacity, list->count + 1, sizeof *grown, 8);
  if (!grown)
    return -1;
  list->items = grown;
  librdf_node *copy = librdf_new_node_from_node(node);
  if (!copy)
    return -1;
  list->items[list->count++] = copy;
  return 0;
}

int kz_node_list_contains(const kz_node_list *list, librdf_node *node) {
  for (size_t i = 0; i < list->count; i++)
    if (librdf_node_equals(list->items[i], node))
      return 1;
  return 0;
}

void kz_node_list_clear(kz_node_list *list) {
  for (size_t i = 0; i < list->count; i++)
    librdf_free_node(list->items[i]);
  free(list->items);
  memset(list, 0, sizeof *list);
}

char *kz_node_key(librdf_node *node) {
  unsigned char *text = raptor_term_to_string(node);
  if (!text)
    return NULL;
  char *key = kz_strdup((const char *)text);
  raptor_free_memory(text);
  return key;
}

/* ---- the parameters ----------------------------------------------------- */

typedef enum param {
  P_PATH, P_TARGET_CLASS, P_TARGET_NODE, P_TARGET_SUBJECTS_OF, P_TARGET_OBJECTS_OF,
  P_PROPERTY, P_CLASS, P_DATATYPE, P_NODE_KIND, P_MIN_COUNT, P_MAX_COUNT, P_MIN_LENGTH,
  P_MAX_LENGTH, P_PATTERN, P_FLAGS, P_IN, P_HAS_VALUE, P_OR, P_SPARQL, P_SEVERITY,
  P_MESSAGE, P_DEACTIVATED, P_NON_VALIDATING
} param;

enum { ON_NODE = 1, ON_PROPERTY = 2, ON_ANY = 3 };

static const struct {
  const char *name;
  param id;
  int where;
} params[] = {
    {"path", P_PATH, ON_PROPERTY},
    {"targetClass", P_TARGET_CLASS, ON_ANY},
    {"targetNode", P_TARGET_NODE, ON_ANY},
    {"targetSubjectsOf", P_TARGET_SUBJECTS_OF, ON_ANY},
    {"targetObjectsOf", P_TARGET_OBJECTS_OF, ON_ANY},
    {"property", P_PROPERTY, ON_ANY},
    {"class", P_CLASS, ON_ANY},
    {"datatype", P_DATATYPE, ON_ANY},
    {"nodeKind", P_NODE_KIND, ON_ANY},
    {"minCount", P_MIN_COUNT, ON_PROPERTY},
    {"maxCount", P_MAX_COUNT, ON_PROPERTY},
    {"minLength", P_MIN_LENGTH, ON_ANY},
    {"maxLength", P_MAX_LENGTH, ON_ANY},
    {"pattern", P_PATTERN, ON_ANY},
    {"flags", P_FLAGS, ON_ANY},
    {"in", P_IN, ON_ANY},
    {"hasValue", P_HAS_VALUE, ON_ANY},
    {"or", P_OR, ON_ANY},
    {"sparql", P_SPARQL, ON_NODE},
    {"severity", P_SEVERITY, ON_ANY},
    {"message", P_MESSAGE, ON_ANY},
    {"deactivated", P_DEACTIVATED, ON_ANY},
    {"name", P_NON_VALIDATING, ON_ANY},
    {"description", P_NON_VALIDATING, ON_ANY},
    {"order", P_NON_VALIDATING, ON_ANY},
    {"group", P_NON_VALIDATING, ON_ANY},
    {"defaultValue", P_NON_VALIDATING, ON_ANY},
};

/* SHACL terms that are real but not implemented here, for a better message. */
static const char *const unsupported[] = {
    "node", "not", "and", "xone", "closed", "ignoredProperties", "equals", "disjoint",
    "lessThan", "lessThanOrEquals", "uniqueLang", "languageIn", "qualifiedValueShape",
    "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
    "minExclusive", "minInclusive", "maxExclusive", "maxInclusive", "target", "rule",
    "entailment", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath",
};

/* sh: predicates allowed on nodes that are not shapes: prefix declarations
 * and links between ontologies and shapes graphs. */
static const char *const outside_shapes[] = {
    "declare", "prefix", "namespace", "shapesGraph", "suggestedShapesGraph",
};

static int in_list(const char *name, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(name, list[i]) == 0)
      return 1;
  return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the reader --------------------------------------------------------- */

typedef struct reader {
  kz_shapes *shapes;
  librdf_world *world;
  librdf_model *model;
  kz_strset *understood; /* keys of nodes whose sh: predicates were checked */
  kz_error *err;
} reader;

static const char *iri_of(librdf_node *node) {
  return node && librdf_node_is_resource(node)
             ? (const char *)librdf_uri_as_string(librdf_node_get_uri(node))
             : NULL;
}

/* The local name of an sh: IRI, or NULL. */
static const char *sh_local(librdf_node *node) {
  const char *iri = iri_of(node);
  size_t n = strlen(KZ_NS_SH);
  return iri && strncmp(iri, KZ_NS_SH, n) == 0 ? iri + n : NULL;
}

static int is_sh(librdf_node *node, const char *local) {
  const char *name = sh_local(node);
  return name && strcmp(name, local) == 0;
}

static int name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || (unsigned char)c >= 0x80;
}

/* Where the SHACL term sh:local is written in the file (as PREFIX:local or
 * <...shacl#local>), preferring a line where hint follows it. Skips comment
 * lines. line stays 0 when it cannot be found. */
static void locate(const char *path, const char *local, const char *hint, long *line,
                   long *column) {
  *line = *column = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return;
  size_t len = strlen(local);
  char buf[8192];
  for (int pass = hint ? 0 : 1; pass < 2 && *line == 0; pass++) {
    rewind(f);
    long current = 0;
    while (*line == 0 && fgets(buf, sizeof buf, f)) {
      current++;
      const char *start = buf + strspn(buf, " \t");
      if (*start == '#')
        continue;
      for (const char *p = strstr(buf, local); p; p = strstr(p + 1, local)) {
        int after_prefix = p > buf && (p[-1] == ':' || p[-1] == '#');
        if (!after_prefix || name_char(p[len]))
          continue;
        if (pass == 0 && hint && !strstr(p + len, hint))
          continue;
        /* Point at the prefix, not at the local name. */
        const char *begin = p - 1;
        while (begin > buf && (name_char(begin[-1]) || begin[-1] == '/' || begin[-1] == '.' ||
                               begin[-1] == '<'))
          begin--;
        *line = current;
        *column = (long)(begin - buf) + 1;
        break;
      }
    }
  }
  fclose(f);
}

/* Fails with the position of sh:local in the file (hint as in locate). */
static kz_status fail_at(reader *r, kz_status status, const char *local, const char *hint,
                         const char *format, ...) KZ_PRINTF(5, 6);

static kz_status fail_at(reader *r, kz_status status, const char *local, const char *hint,
                         const char *format, ...) {
  char message[1024];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  long line = 0, column = 0;
  if (local)
    locate(r->shapes->path, local, hint, &line, &column);
  return kz_fail(r->err, status, r->shapes->path, line, column, "%s", message);
}

static kz_status out_of_memory(reader *r) {
  return kz_fail(r->err, KZ_ERR_NOMEM, r->shapes->path, 0, 0, "out of memory");
}

/* A node in compact Turtle for messages, into buf. */
static const char *node_text(librdf_node *node, char *buf, size_t size) {
  kz_term term;
  kz_store_node_to_term(node, &term);
  char *text = kz_term_compact(&term);
  snprintf(buf, size, "%s", text ? text : "?");
  free(text);
  return buf;
}

/* The values of (subject, sh:local), copied into out. */
static kz_status values_of(reader *r, librdf_node *subject, const char *iri,
                           kz_node_list *out) {
  librdf_node *predicate = librdf_new_node_from_uri_string(r->world, (const unsigned char *)iri);
  if (!predicate)
    return out_of_memory(r);
  librdf_iterator *it = librdf_model_get_targets(r->model, subject, predicate);
  kz_status status = KZ_OK;
  for (; it && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *value = librdf_iterator_get_object(it);
    if (!kz_node_list_contains(out, value) && kz_node_list_push(out, value) != 0) {
      status = out_of_memory(r);
      break;
    }
  }
  if (it)
    librdf_free_iterator(it);
  librdf_free_node(predicate);
  return status;
}

/* The (predicate, object) arcs out of subject, copied. */
static kz_status arcs_of(reader *r, librdf_node *subject, kz_node_list *predicates,
                         kz_node_list *objects) {
  librdf_node *s = librdf_new_node_from_node(subject);
  librdf_statement *pattern = s ? librdf_new_statement_from_nodes(r->world, s, NULL, NULL) : NULL;
  if (!pattern)
    return out_of_memory(r);
  librdf_stream *stream = librdf_model_find_statements(r->model, pattern);
  kz_status status = KZ_OK;
  for (; stream && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    if (kz_node_list_push(predicates, librdf_statement_get_predicate(statement)) != 0 ||
        kz_node_list_push(objects, librdf_statement_get_object(statement)) != 0) {
      status = out_of_memory(r);
      break;
    }
  }
  if (stream)
    librdf_free_stream(stream);
  librdf_free_statement(pattern);
  return status;
}

static kz_status understand(reader *r, librdf_node *node) {
  char *key = kz_node_key(node);
  int added = key ? kz_strset_add(r->understood, key) : -1;
  free(key);
  return added < 0 ? out_of_memory(r) : KZ_OK;
}

/* The members of the RDF list at head, copied into out. */
static kz_status read_list(reader *r, librdf_node *head, const char *local, kz_node_list *out) {
  kz_status status = KZ_OK;
  librdf_node *node = librdf_new_node_from_node(head);
  for (size_t guard = 0; status == KZ_OK && node; guard++) {
    if (iri_of(node) && strcmp(iri_of(node), KZ_NS_RDF "nil") == 0)
      break;
    kz_node_list first = {0}, rest = {0};
    status = values_of(r, node, KZ_NS_RDF "first", &first);
    if (status == KZ_OK)
      status = values_of(r, node, KZ_NS_RDF "rest", &rest);
    if (status == KZ_OK && (first.count != 1 || rest.count != 1 || guard > 100000))
      status = fail_at(r, KZ_ERR_SYNTAX, local, NULL,
                       "the value of sh:%s is not a well-formed RDF list", local);
    if (status == KZ_OK && kz_node_list_push(out, first.items[0]) != 0)
      status = out_of_memory(r);
    librdf_free_node(node);
    node = status == KZ_OK ? librdf_new_node_from_node(rest.items[0]) : NULL;
    kz_node_list_clear(&first);
    kz_node_list_clear(&rest);
  }
  if (node)
    librdf_free_node(node);
  return status;
}

/* ---- shapes ------------------------------------------------------------- */

static void constraint_clear(kz_constraint *c) {
  if (c->term)
    librdf_free_node(c->term);
  if (c->regex)
    pcre2_code_free(c->regex);
  free(c->pattern);
  free(c->namespace_iri);
  kz_node_list_clear(&c->members);
  free(c->shapes);
  free(c->query);
  free(c->message);
  kz_strset_free(c->subclasses);
}

static void shape_free(kz_shape *shape) {
  if (!shape)
    return;
  if (shape->node)
    librdf_free_node(shape->node);
  if (shape->path)
    librdf_free_node(shape->path);
  free(shape->message);
  for (size_t i = 0; i < shape->target_count; i++)
    librdf_free_node(shape->targets[i].node);
  free(shape->targets);
  for (size_t i = 0; i < shape->constraint_count; i++)
    constraint_clear(&shape->constraints[i]);
  free(shape->constraints);
  free(shape->properties);
  free(shape);
}

void kz_shapes_free(kz_shapes *shapes) {
  if (!shapes)
    return;
  for (size_t i = 0; i < shapes->count; i++)
    shape_free(shapes->items[i]);
  free(shapes->items);
  kz_store_free(shapes->store);
  free(shapes->path);
  free(shapes);
}

/* A new zeroed constraint of shape; NULL on out of memory. */
static kz_constraint *add_constraint(kz_shape *shape, kz_constraint_kind kind,
                                     const char *component) {
  kz_constraint *grown =
      realloc(shape->constraints, (shape->constraint_count + 1) * sizeof *grown);
  if (!grown)
    return NULL;
  shape->constraints = grown;
  kz_constraint *c = &grown[shape->constraint_count++];
  memset(c, 0, sizeof *c);
  c->kind = kind;
  c->component = component;
  return c;
}

static int push_shape(kz_shape ***items, size_t *count, kz_shape *shape) {
  kz_shape **grown = realloc(*items, (*count + 1) * sizeof *grown);
  if (!grown)
    return -1;
  grown[(*count)++] = shape;
  *items = grown;
  return 0;
}

static kz_status read_shape(reader *r, librdf_node *node, kz_shape **out);

/* A readable name for a shape in messages. */
static const char *shape_label(kz_shape *shape, char *buf, size_t size) {
  if (librdf_node_is_resource(shape->node))
    return node_text(shape->node, buf, size);
  if (shape->path) {
    char path[256]; /* leaves room in buf for the words around it */
    snprintf(buf, size, "the property shape of %s%s", shape->inverse_path ? "^" : "",
             node_text(shape->path, path, sizeof path));
    return buf;
  }
  return node_text(shape->node, buf, size);
}

static kz_status read_path(reader *r, kz_shape *shape, librdf_node *value) {
  if (librdf_node_is_resource(value)) {
    shape->path = librdf_new_node_from_node(value);
    return shape->path ? KZ_OK : out_of_memory(r);
  }
  kz_node_list predicates = {0}, objects = {0};
  kz_status status = librdf_node_is_blank(value) ? arcs_of(r, value, &predicates, &objects)
                                                 : KZ_ERR_SYNTAX;
  if (status == KZ_OK && (predicates.count != 1 || !is_sh(predicates.items[0], "inversePath") ||
                          !librdf_node_is_resource(objects.items[0])))
    status = KZ_ERR_UNSUPPORTED;
  if (status == KZ_OK) {
    shape->path = librdf_new_node_from_node(objects.items[0]);
    shape->inverse_path = 1;
    status = shape->path ? understand(r, value) : out_of_memory(r);
  } else if (status != KZ_ERR_NOMEM) {
    status = fail_at(r, KZ_ERR_UNSUPPORTED, "path", NULL,
                     "unsupported sh:path: only an IRI or [ sh:inversePath IRI ] is supported");
  }
  kz_node_list_clear(&predicates);
  kz_node_list_clear(&objects);
  return status;
}

/* A non-negative integer parameter. */
static kz_status read_number(reader *r, librdf_node *value, const char *local,
                             unsigned long *out) {
  const char *text = librdf_node_is_literal(value)
                         ? (const char *)librdf_node_get_literal_value(value)
                         : NULL;
  char *end = NULL;
  if (text && *text >= '0' && *text <= '9')
    *out = strtoul(text, &end, 10);
  if (!end || *end)
    return fail_at(r, KZ_ERR_SYNTAX, local, NULL, "sh:%s needs a non-negative integer", local);
  return KZ_OK;
}

static kz_status read_boolean(reader *r, librdf_node *value, const char *local, int *out) {
  const char *text = librdf_node_is_literal(value)
                         ? (const char *)librdf_node_get_literal_value(value)
                         : "";
  if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
    *out = 1;
  else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
    *out = 0;
  else
    return fail_at(r, KZ_ERR_SYNTAX, local, NULL, "sh:%s needs true or false", local);
  return KZ_OK;
}

/* The lexical form of a literal parameter; NULL for IRIs and blank nodes. */
static const char *literal_text(librdf_node *value) {
  return librdf_node_is_literal(value) ? (const char *)librdf_node_get_literal_value(value)
                                       : NULL;
}

/* Keeps the first sh:message, or a later one without a language tag or in
 * English, so that an English text wins when there are translations. */
static kz_status read_message(reader *r, char **message, librdf_node *value) {
  const char *text = literal_text(value);
  if (!text)
    return fail_at(r, KZ_ERR_SYNTAX, "message", NULL, "sh:message needs a literal");
  const char *language = librdf_node_get_literal_value_language(value);
  int preferred = !language || !*language || strncmp(language, "en", 2) == 0;
  if (*message && !preferred)
    return KZ_OK;
  char *copy = kz_strdup(text);
  if (!copy)
    return out_of_memory(r);
  free(*message);
  *message = copy;
  return KZ_OK;
}

static kz_status read_node_kind(reader *r, kz_shape *shape, librdf_node *value) {
  static const struct {
    const char *name;
    unsigned long bits;
  } kinds[] = {
      {"IRI", KZ_KIND_IRI},
      {"BlankNode", KZ_KIND_BLANK},
      {"Literal", KZ_KIND_LITERAL},
      {"BlankNodeOrIRI", KZ_KIND_BLANK | KZ_KIND_IRI},
      {"BlankNodeOrLiteral", KZ_KIND_BLANK | KZ_KIND_LITERAL},
      {"IRIOrLiteral", KZ_KIND_IRI | KZ_KIND_LITERAL},
  };
  const char *name = sh_local(value);
  for (size_t i = 0; name && i < COUNT(kinds); i++) {
    if (strcmp(name, kinds[i].name) == 0) {
      kz_constraint *c = add_constraint(shape, KZ_CONSTRAINT_NODE_KIND,
                                        KZ_NS_SH "NodeKindConstraintComponent");
      if (!c)
        return out_of_memory(r);
      c->number = kinds[i].bits;
      c->term = librdf_new_node_from_node(value);
      return c->term ? KZ_OK : out_of_memory(r);
    }
  }
  return fail_at(r, KZ_ERR_SYNTAX, "nodeKind", NULL,
                 "sh:nodeKind needs sh:IRI, sh:BlankNode, sh:Literal, sh:BlankNodeOrIRI, "
                 "sh:BlankNodeOrLiteral or sh:IRIOrLiteral");
}

static kz_status read_pattern(reader *r, kz_shape *shape, librdf_node *value,
                              const kz_node_list *flags) {
  const char *pattern = literal_text(value);
  if (!pattern)
    return fail_at(r, KZ_ERR_SYNTAX, "pattern", NULL, "sh:pattern needs a string literal");
  if (flags->count > 1)
    return fail_at(r, KZ_ERR_SYNTAX, "flags", NULL, "more than one sh:flags on a shape");
  uint32_t options = PCRE2_UTF;
  const char *flag_text = flags->count ? literal_text(flags->items[0]) : "";
  for (const char *f = flag_text ? flag_text : "?"; *f; f++) {
    switch (*f) {
    case 'i': options |= PCRE2_CASELESS; break;
    case 'm': options |= PCRE2_MULTILINE; break;
    case 's': options |= PCRE2_DOTALL; break;
    case 'x': options |= PCRE2_EXTENDED; break;
    case 'q': options |= PCRE2_LITERAL; break;
    default:
      return fail_at(r, KZ_ERR_SYNTAX, "flags", NULL,
                     "sh:flags may only hold the letters i, m, s, x and q");
    }
  }
  int code;
  PCRE2_SIZE offset;
  pcre2_code *regex = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &code,
                                    &offset, NULL);
  if (!regex) {
    PCRE2_UCHAR text[256];
    pcre2_get_error_message(code, text, sizeof text);
    return fail_at(r, KZ_ERR_SYNTAX, "pattern", pattern,
                   "bad sh:pattern \"%s\" at offset %zu: %s", pattern, (size_t)offset,
                   (const char *)text);
  }
  kz_constraint *c = add_constraint(shape, KZ_CONSTRAINT_PATTERN,
                                    KZ_NS_SH "PatternConstraintComponent");
  if (!c) {
    pcre2_code_free(regex);
    return out_of_memory(r);
  }
  c->regex = regex;
  c->pattern = kz_strdup(pattern);
  return c->pattern ? KZ_OK : out_of_memory(r);
}

static kz_status read_or(reader *r, kz_shape *shape, librdf_node *value) {
  kz_node_list members = {0};
  kz_status status = read_list(r, value, "or", &members);
  kz_constraint *c = NULL;
  if (status == KZ_OK &&
      !(c = add_constraint(shape, KZ_CONSTRAINT_OR, KZ_NS_SH "OrConstraintComponent")))
    status = out_of_memory(r);
  if (status == KZ_OK && members.count &&
      !(c->shapes = calloc(members.count, sizeof *c->shapes)))
    status = out_of_memory(r);
  for (size_t i = 0; status == KZ_OK && i < members.count; i++) {
    kz_shape *member = NULL;
    status = read_shape(r, members.items[i], &member);
    if (status == KZ_OK)
      c->shapes[c->shape_count++] = member;
  }
  kz_node_list_clear(&members);
  return status;
}

/* Appends "PREFIX p: <ns>\n" for each sh:declare of each sh:prefixes value. */
static kz_status read_prefixes(reader *r, const kz_node_list *holders, char **out) {
  kz_status status = KZ_OK;
  for (size_t i = 0; status == KZ_OK && i < holders->count; i++) {
    kz_node_list declarations = {0};
    status = values_of(r, holders->items[i], KZ_NS_SH "declare", &declarations);
    for (size_t j = 0; status == KZ_OK && j < declarations.count; j++) {
      kz_node_list prefix = {0}, ns = {0};
      status = values_of(r, declarations.items[j], KZ_NS_SH "prefix", &prefix);
      if (status == KZ_OK)
        status = values_of(r, declarations.items[j], KZ_NS_SH "namespace", &ns);
      const char *p = prefix.count == 1 ? literal_text(prefix.items[0]) : NULL;
      const char *n = ns.count == 1 ? literal_text(ns.items[0]) : NULL;
      if (status == KZ_OK && (!p || !n))
        status = fail_at(r, KZ_ERR_SYNTAX, "declare", NULL,
                         "each sh:declare needs one sh:prefix and one sh:namespace literal");
      if (status == KZ_OK) {
        size_t old = *out ? strlen(*out) : 0, more = strlen(p) + strlen(n) + 16;
        char *grown = realloc(*out, old + more);
        if (grown)
          snprintf(grown + old, more, "PREFIX %s: <%s>\n", p, n);
        else
          status = out_of_memory(r);
        *out = grown ? grown : *out;
      }
      kz_node_list_clear(&prefix);
      kz_node_list_clear(&ns);
    }
    kz_node_list_clear(&declarations);
  }
  return status;
}

static kz_status read_sparql(reader *r, kz_shape *shape, librdf_node *value) {
  char label[512];
  if (shape->path)
    return fail_at(r, KZ_ERR_UNSUPPORTED, "sparql", NULL,
                   "sh:sparql is supported on node shapes only (found on %s)",
                   shape_label(shape, label, sizeof label));
  kz_node_list predicates = {0}, objects = {0}, holders = {0};
  kz_status status = arcs_of(r, value, &predicates, &objects);
  const char *select = NULL;
  char *message = NULL, *query = NULL;
  int deactivated = 0, selects = 0;
  for (size_t i = 0; status == KZ_OK && i < predicates.count; i++) {
    const char *name = sh_local(predicates.items[i]);
    if (!name)
      continue;
    if (strcmp(name, "select") == 0) {
      select = literal_text(objects.items[i]);
      selects++;
    } else if (strcmp(name, "prefixes") == 0) {
      if (kz_node_list_push(&holders, objects.items[i]) != 0)
        status = out_of_memory(r);
    } else if (strcmp(name, "message") == 0) {
      status = read_message(r, &message, objects.items[i]);
    } else if (strcmp(name, "deactivated") == 0) {
      status = read_boolean(r, objects.items[i], "deactivated", &deactivated);
    } else {
      status = fail_at(r, KZ_ERR_UNSUPPORTED, name, NULL,
                       "sh:%s is not supported in an sh:sparql constraint "
                       "(supported: sh:select, sh:prefixes, sh:message, sh:deactivated)",
                       name);
    }
  }
  if (status == KZ_OK && (selects != 1 || !select))
    status = fail_at(r, KZ_ERR_SYNTAX, "sparql", NULL,
                     "an sh:sparql constraint needs exactly one sh:select string");
  if (status == KZ_OK)
    status = read_prefixes(r, &holders, &query);
  size_t prefix_lines = 0;
  for (const char *p = query; p && *p; p++)
    prefix_lines += *p == '\n';
  if (status == KZ_OK) {
    size_t old = query ? strlen(query) : 0, more = strlen(select) + 1;
    char *grown = realloc(query, old + more);
    if (grown) {
      memcpy(grown + old, select, more);
      query = grown;
    } else {
      status = out_of_memory(r);
    }
  }
  kz_constraint *c = NULL;
  if (status == KZ_OK) {
    c = add_constraint(shape, KZ_CONSTRAINT_SPARQL, KZ_NS_SH "SPARQLConstraintComponent");
    if (!c || !(c->term = librdf_new_node_from_node(value)))
      status = out_of_memory(r);
  }
  if (status == KZ_OK) {
    long column = 0;
    c->query = query;
    c->message = message;
    c->prefix_lines = prefix_lines;
    locate(r->shapes->path, "select", NULL, &c->line, &column);
    query = message = NULL;
    status = kz_sparql_check_syntax(r->shapes->store, c, r->shapes->path,
                                    shape_label(shape, label, sizeof label), r->err);
  }
  if (status == KZ_OK)
    status = understand(r, value);
  if (status == KZ_OK && deactivated) /* checked, understood, never run */
    constraint_clear(&shape->constraints[--shape->constraint_count]);
  free(query);
  free(message);
  kz_node_list_clear(&predicates);
  kz_node_list_clear(&objects);
  kz_node_list_clear(&holders);
  return status;
}

static kz_status add_target(reader *r, kz_shape *shape, kz_target_kind kind, librdf_node *value,
                            const char *local) {
  if (kind != KZ_TARGET_NODE && !librdf_node_is_resource(value))
    return fail_at(r, KZ_ERR_SYNTAX, local, NULL, "sh:%s needs an IRI", local);
  kz_target *grown = realloc(shape->targets, (shape->target_count + 1) * sizeof *grown);
  if (!grown)
    return out_of_memory(r);
  shape->targets = grown;
  kz_target *target = &grown[shape->target_count];
  target->kind = kind;
  target->node = librdf_new_node_from_node(value);
  if (!target->node)
    return out_of_memory(r);
  shape->target_count++;
  return KZ_OK;
}

/* A constraint whose parameter is a single term (class, datatype, hasValue). */
static kz_status add_term_constraint(reader *r, kz_shape *shape, kz_constraint_kind kind,
                                     const char *component, librdf_node *value,
                                     const char *local, int needs_iri) {
  if (needs_iri && !librdf_node_is_resource(value))
    return fail_at(r, KZ_ERR_SYNTAX, local, NULL, "sh:%s needs an IRI", local);
  kz_constraint *c = add_constraint(shape, kind, component);
  if (!c || !(c->term = librdf_new_node_from_node(value)))
    return out_of_memory(r);
  return KZ_OK;
}

static kz_status add_number_constraint(reader *r, kz_shape *shape, kz_constraint_kind kind,
                                       const char *component, librdf_node *value,
                                       const char *local) {
  unsigned long number = 0;
  TRY(read_number(r, value, local, &number));
  kz_constraint *c = add_constraint(shape, kind, component);
  if (!c)
    return out_of_memory(r);
  c->number = number;
  return KZ_OK;
}

static int find_param(const char *name) {
  for (size_t i = 0; i < COUNT(params); i++)
    if (strcmp(name, params[i].name) == 0)
      return (int)i;
  return -1;
}

/* Checks that sh:name may appear on shape; returns its params index. */
static kz_status check_param(reader *r, kz_shape *shape, const char *name, int *index) {
  char label[512];
  *index = find_param(name);
  if (*index < 0 && in_list(name, unsupported, COUNT(unsupported)))
    return fail_at(r, KZ_ERR_UNSUPPORTED, name, NULL,
                   "unsupported SHACL constraint sh:%s on %s (see the README for the subset "
                   "kizuna validate implements)",
                   name, shape_label(shape, label, sizeof label));
  if (*index < 0)
    return fail_at(r, KZ_ERR_UNSUPPORTED, name, NULL, "unknown SHACL term sh:%s on %s", name,
                   shape_label(shape, label, sizeof label));
  int where = params[*index].where;
  if (where == ON_PROPERTY && !shape->path)
    return fail_at(r, KZ_ERR_SYNTAX, name, NULL,
                   "sh:%s is only allowed on property shapes (those with sh:path), not on %s",
                   name, shape_label(shape, label, sizeof label));
  return KZ_OK;
}

/* Reads one parameter value of shape. flags: the shape's sh:flags values. */
static kz_status read_param(reader *r, kz_shape *shape, param id, const char *name,
                            librdf_node *value, const kz_node_list *flags) {
  switch (id) {
  case P_PATH: return KZ_OK; /* read before the others */
  case P_TARGET_CLASS: return add_target(r, shape, KZ_TARGET_CLASS, value, name);
  case P_TARGET_NODE: return add_target(r, shape, KZ_TARGET_NODE, value, name);
  case P_TARGET_SUBJECTS_OF: return add_target(r, shape, KZ_TARGET_SUBJECTS_OF, value, name);
  case P_TARGET_OBJECTS_OF: return add_target(r, shape, KZ_TARGET_OBJECTS_OF, value, name);
  case P_PROPERTY: {
    kz_shape *property = NULL;
    TRY(read_shape(r, value, &property));
    char label[512];
    if (!property->path)
      return fail_at(r, KZ_ERR_SYNTAX, "property", NULL,
                     "the sh:property %s has no sh:path", node_text(value, label, sizeof label));
    return push_shape(&shape->properties, &shape->property_count, property) == 0
               ? KZ_OK
               : out_of_memory(r);
  }
  case P_CLASS:
    return add_term_constraint(r, shape, KZ_CONSTRAINT_CLASS,
                               KZ_NS_SH "ClassConstraintComponent", value, name, 1);
  case P_DATATYPE:
    return add_term_constraint(r, shape, KZ_CONSTRAINT_DATATYPE,
                               KZ_NS_SH "DatatypeConstraintComponent", value, name, 1);
  case P_HAS_VALUE:
    return add_term_constraint(r, shape, KZ_CONSTRAINT_HAS_VALUE,
                               KZ_NS_SH "HasValueConstraintComponent", value, name, 0);
  case P_NODE_KIND: return read_node_kind(r, shape, value);
  case P_MIN_COUNT:
    return add_number_constraint(r, shape, KZ_CONSTRAINT_MIN_COUNT,
                                 KZ_NS_SH "MinCountConstraintComponent", value, name);
  case P_MAX_COUNT:
    return add_number_constraint(r, shape, KZ_CONSTRAINT_MAX_COUNT,
                                 KZ_NS_SH "MaxCountConstraintComponent", value, name);
  case P_MIN_LENGTH:
    return add_number_constraint(r, shape, KZ_CONSTRAINT_MIN_LENGTH,
                                 KZ_NS_SH "MinLengthConstraintComponent", value, name);
  case P_MAX_LENGTH:
    return add_number_constraint(r, shape, KZ_CONSTRAINT_MAX_LENGTH,
                                 KZ_NS_SH "MaxLengthConstraintComponent", value, name);
  case P_PATTERN: return read_pattern(r, shape, value, flags);
  case P_FLAGS: return KZ_OK; /* read with sh:pattern */
  case P_IN: {
    kz_constraint *c = add_constraint(shape, KZ_CONSTRAINT_IN, KZ_NS_SH "InConstraintComponent");
    return c ? read_list(r, value, name, &c->members) : out_of_memory(r);
  }
  case P_OR: return read_or(r, shape, value);
  case P_SPARQL: return read_sparql(r, shape, value);
  case P_SEVERITY: {
    const char *level = sh_local(value);
    if (level && strcmp(level, "Violation") == 0)
      shape->severity = KZ_SEVERITY_VIOLATION;
    else if (level && strcmp(level, "Warning") == 0)
      shape->severity = KZ_SEVERITY_WARNING;
    else if (level && strcmp(level, "Info") == 0)
      shape->severity = KZ_SEVERITY_INFO;
    else
      return fail_at(r, KZ_ERR_UNSUPPORTED, "severity", NULL,
                     "sh:severity needs sh:Violation, sh:Warning or sh:Info");
    return KZ_OK;
  }
  case P_MESSAGE: return read_message(r, &shape->message, value);
  case P_DEACTIVATED: return read_boolean(r, value, name, &shape->deactivated);
  case P_NON_VALIDATING: return KZ_OK;
  }
  return KZ_OK;
}

/* The parameter of the natively implemented no-dangling-IRIs component. */
static kz_status read_dangling(reader *r, kz_shape *shape, librdf_node *value) {
  const char *ns = librdf_node_is_literal(value) ? literal_text(value) : iri_of(value);
  if (shape->path || !ns || !*ns)
    return fail_at(r, KZ_ERR_SYNTAX, "instanceNamespace", NULL,
                   "kzsh:instanceNamespace needs a namespace IRI and a node shape");
  kz_constraint *c = add_constraint(shape, KZ_CONSTRAINT_DANGLING, KZ_DANGLING_COMPONENT);
  if (!c || !(c->namespace_iri = kz_strdup(ns)))
    return out_of_memory(r);
  return KZ_OK;
}

/* Reads the shape's sh:path, then every other sh: parameter. */
static kz_status read_parameters(reader *r, kz_shape *shape) {
  kz_node_list predicates = {0}, objects = {0}, flags = {0}, paths = {0};
  kz_status status = arcs_of(r, shape->node, &predicates, &objects);
  if (status == KZ_OK)
    status = values_of(r, shape->node, KZ_NS_SH "path", &paths);
  if (status == KZ_OK)
    status = values_of(r, shape->node, KZ_NS_SH "flags", &flags);
  char label[512];
  if (status == KZ_OK && paths.count > 1)
    status = fail_at(r, KZ_ERR_SYNTAX, "path", NULL, "%s has more than one sh:path",
                     node_text(shape->node, label, sizeof label));
  if (status == KZ_OK && paths.count == 1)
    status = read_path(r, shape, paths.items[0]);
  int severities = 0, patterns = 0;
  for (size_t i = 0; status == KZ_OK && i < predicates.count; i++) {
    const char *predicate = iri_of(predicates.items[i]);
    if (predicate && strcmp(predicate, KZ_NS_RDF "type") == 0) {
      if (is_sh(objects.items[i], "PropertyShape") && !shape->path)
        status = fail_at(r, KZ_ERR_SYNTAX, "PropertyShape", NULL,
                         "the sh:PropertyShape %s has no sh:path",
                         node_text(shape->node, label, sizeof label));
      else if (iri_of(objects.items[i]) &&
               strcmp(iri_of(objects.items[i]), KZ_NS_RDFS "Class") == 0)
        status = add_target(r, shape, KZ_TARGET_CLASS, shape->node, "targetClass");
      continue;
    }
    if (predicate && strcmp(predicate, KZ_DANGLING_PARAMETER) == 0) {
      status = read_dangling(r, shape, objects.items[i]);
      continue;
    }
    const char *name = sh_local(predicates.items[i]);
    if (!name)
      continue; /* rdfs:label, rdfs:comment and the like */
    int index;
    status = check_param(r, shape, name, &index);
    if (status != KZ_OK)
      break;
    severities += params[index].id == P_SEVERITY;
    patterns += params[index].id == P_PATTERN;
    status = read_param(r, shape, params[index].id, name, objects.items[i], &flags);
  }
  if (status == KZ_OK && severities > 1)
    status = fail_at(r, KZ_ERR_SYNTAX, "severity", NULL, "%s has more than one sh:severity",
                     shape_label(shape, label, sizeof label));
  if (status == KZ_OK && flags.count && !patterns)
    status = fail_at(r, KZ_ERR_SYNTAX, "flags", NULL, "sh:flags without sh:pattern on %s",
                     shape_label(shape, label, sizeof label));
  kz_node_list_clear(&predicates);
  kz_node_list_clear(&objects);
  kz_node_list_clear(&flags);
  kz_node_list_clear(&paths);
  return status;
}

static kz_status read_shape(reader *r, librdf_node *node, kz_shape **out) {
  char label[512];
  for (size_t i = 0; i < r->shapes->count; i++) {
    kz_shape *known = r->shapes->items[i];
    if (!librdf_node_equals(known->node, node))
      continue;
    if (known->state == 1)
      return fail_at(r, KZ_ERR_UNSUPPORTED, NULL, NULL,
                     "%s refers to itself (through sh:property or sh:or): recursive shapes "
                     "are not supported",
                     shape_label(known, label, sizeof label));
    *out = known;
    return KZ_OK;
  }
  if (librdf_node_is_literal(node))
    return fail_at(r, KZ_ERR_SYNTAX, "property", NULL, "a literal cannot be a shape");
  kz_shape *shape = calloc(1, sizeof *shape);
  if (!shape || !(shape->node = librdf_new_node_from_node(node)) ||
      push_shape(&r->shapes->items, &r->shapes->count, shape) != 0) {
    shape_free(shape);
    return out_of_memory(r);
  }
  shape->severity = KZ_SEVERITY_VIOLATION;
  shape->state = 1;
  TRY(understand(r, node));
  TRY(read_parameters(r, shape));
  for (size_t i = 0; i < shape->constraint_count; i++)
    if (shape->constraints[i].kind == KZ_CONSTRAINT_OR)
      for (size_t j = 0; j < shape->constraints[i].shape_count; j++)
        for (size_t k = 0; k < shape->constraints[i].shapes[j]->constraint_count; k++)
          if (shape->constraints[i].shapes[j]->constraints[k].kind >= KZ_CONSTRAINT_SPARQL)
            return fail_at(r, KZ_ERR_UNSUPPORTED, "or", NULL,
                           "a member of sh:or cannot have sh:sparql or kzsh:instanceNamespace");
  shape->state = 2;
  *out = shape;
  return KZ_OK;
}

/* Subjects of (?, predicate, object), or of (?, predicate, ?) when object is NULL. */
static kz_status subjects_of(reader *r, const char *predicate, const char *object,
                             kz_node_list *out) {
  librdf_node *p = librdf_new_node_from_uri_string(r->world, (const unsigned char *)predicate);
  librdf_node *o = object ? librdf_new_node_from_uri_string(r->world, (const unsigned char *)object)
                          : NULL;
  librdf_statement *pattern =
      p && (o || !object) ? librdf_new_statement_from_nodes(r->world, NULL, p, o) : NULL;
  if (!pattern) {
    if (p)
      librdf_free_node(p);
    if (o)
      librdf_free_node(o);
    return out_of_memory(r);
  }
  librdf_stream *stream = librdf_model_find_statements(r->model, pattern);
  kz_status status = KZ_OK;
  for (; stream && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_node *subject = librdf_statement_get_subject(librdf_stream_get_object(stream));
    if (!kz_node_list_contains(out, subject) && kz_node_list_push(out, subject) != 0) {
      status = out_of_memory(r);
      break;
    }
  }
  if (stream)
    librdf_free_stream(stream);
  librdf_free_statement(pattern);
  return status;
}

/* Every sh: predicate must sit on a node that was read, or be allowed
 * outside shapes. */
static kz_status sweep(reader *r) {
  librdf_statement *pattern = librdf_new_statement(r->world);
  if (!pattern)
    return out_of_memory(r);
  librdf_stream *stream = librdf_model_find_statements(r->model, pattern);
  kz_status status = KZ_OK;
  char label[512];
  for (; stream && status == KZ_OK && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    const char *name = sh_local(librdf_statement_get_predicate(statement));
    if (!name || in_list(name, outside_shapes, COUNT(outside_shapes)))
      continue;
    librdf_node *subject = librdf_statement_get_subject(statement);
    char *key = kz_node_key(subject);
    if (!key) {
      status = out_of_memory(r);
      break;
    }
    int known = kz_strset_contains(r->understood, key);
    free(key);
    if (!known)
      status = fail_at(r, KZ_ERR_UNSUPPORTED, name, NULL,
                       find_param(name) < 0 ? "unknown or unsupported SHACL term sh:%s on %s"
                                            : "sh:%s is used on %s, which is not a shape "
                                              "(give it a type sh:NodeShape or a target)",
                       name, node_text(subject, label, sizeof label));
  }
  if (stream)
    librdf_free_stream(stream);
  librdf_free_statement(pattern);
  return status;
}

/* Declared constraint components: the one implemented natively is taken
 * (its declaration, parameters and SPARQL validators are for other SHACL
 * processors); any other is an error. */
static kz_status read_components(reader *r) {
  static const char *const parts[] = {"parameter", "validator", "nodeValidator",
                                      "propertyValidator"};
  kz_node_list components = {0};
  kz_status status = subjects_of(r, KZ_NS_RDF "type", KZ_NS_SH "ConstraintComponent", &components);
  for (size_t i = 0; status == KZ_OK && i < components.count; i++) {
    const char *iri = iri_of(components.items[i]);
    if (!iri || strcmp(iri, KZ_DANGLING_COMPONENT) != 0) {
      const char *hash = iri ? strrchr(iri, '#') : NULL;
      const char *local = hash ? hash : iri ? strrchr(iri, '/') : NULL;
      status = fail_at(r, KZ_ERR_UNSUPPORTED, local ? local + 1 : NULL, NULL,
                       "unsupported constraint component %s (the only one kizuna implements is "
                       "kzsh:NoDanglingIRIConstraintComponent)",
                       iri ? iri : "(a blank node)");
      break;
    }
    status = understand(r, components.items[i]);
    for (size_t j = 0; status == KZ_OK && j < COUNT(parts); j++) {
      char predicate[128];
      snprintf(predicate, sizeof predicate, "%s%s", KZ_NS_SH, parts[j]);
      kz_node_list values = {0};
      status = values_of(r, components.items[i], predicate, &values);
      for (size_t k = 0; status == KZ_OK && k < values.count; k++)
        status = understand(r, values.items[k]);
      kz_node_list_clear(&values);
    }
  }
  kz_node_list_clear(&components);
  return status;
}

static kz_status read_all(reader *r) {
  static const char *const targets[] = {"targetClass", "targetNode", "targetSubjectsOf",
                                        "targetObjectsOf"};
  kz_node_list roots = {0};
  kz_status status = read_components(r);
  if (status == KZ_OK)
    status = subjects_of(r, KZ_NS_RDF "type", KZ_NS_SH "NodeShape", &roots);
  if (status == KZ_OK)
    status = subjects_of(r, KZ_NS_RDF "type", KZ_NS_SH "PropertyShape", &roots);
  for (size_t i = 0; status == KZ_OK && i < COUNT(targets); i++) {
    char iri[128];
    snprintf(iri, sizeof iri, "%s%s", KZ_NS_SH, targets[i]);
    status = subjects_of(r, iri, NULL, &roots);
  }
  for (size_t i = 0; status == KZ_OK && i < roots.count; i++) {
    kz_shape *shape = NULL;
    status = read_shape(r, roots.items[i], &shape);
  }
  kz_node_list_clear(&roots);
  return status == KZ_OK ? sweep(r) : status;
}

kz_status kz_shapes_load(kz_shapes **out, const char *path, kz_error *err) {
  *out = NULL;
  kz_shapes *shapes = calloc(1, sizeof *shapes);
  if (!shapes || !(shapes->path = kz_strdup(path))) {
    free(shapes);
    return kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  kz_status status = kz_store_open(&shapes->store, "memory", NULL, err);
  if (status == KZ_OK)
    status = kz_store_load(shapes->store, path, NULL, NULL, err);
  reader r = {shapes, NULL, NULL, NULL, err};
  if (status == KZ_OK) {
    r.world = shapes->store->world;
    r.model = shapes->store->model;
    r.understood = kz_strset_new();
    status = r.understood ? read_all(&r) : kz_fail(err, KZ_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  kz_strset_free(r.understood);
  if (status != KZ_OK) {
    kz_shapes_free(shapes);
    return status;
  }
  *out = shapes;
  return KZ_OK;
}
