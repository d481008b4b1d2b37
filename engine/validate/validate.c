/*
 * kz_validate: checking the data of a store against a shapes model.
 *
 * For every shape with targets (and not sh:deactivated) the focus nodes are
 * collected from the data, each once: instances of a target class and of
 * its subclasses (rdf:type/rdfs:subClassOf*, as the data says), target
 * nodes, subjects or objects of a predicate. Each focus node is checked
 * against the shape: its value nodes are the focus itself (node shape) or
 * the distinct values of the path (property shape); every constraint is
 * checked on them and every sh:property shape on each of them. sh:or asks
 * whether a value conforms to a member shape by validating it with the
 * report switched off and counting results. sh:sparql constraints, allowed
 * on node shapes only, run once per shape over all its focus nodes
 * (sparql.c).
 *
 * The data is read with librdf calls on the store's model, whose default
 * view is the union of its graphs; a triple stored in two graphs comes back
 * twice, so value nodes are deduplicated.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "validate/validate_internal.h"

kz_status kz_validator_emit(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                            const kz_term *focus, const char *path, int inverse_path,
                            const kz_term *value, const char *message, kz_error *err) {
  if (!v->report) {
    v->failures++;
    return KZ_OK;
  }
  kz_validation_result result;
  memset(&result, 0, sizeof result);
  result.severity = shape->severity;
  result.focus = *focus;
  if (path) {
    result.path = path;
    result.inverse_path = inverse_path;
  } else if (shape->path) {
    result.path = (const char *)librdf_uri_as_string(librdf_node_get_uri(shape->path));
    result.inverse_path = shape->inverse_path;
  }
  result.value = value;
  kz_store_node_to_term(shape->node, &result.shape);
  result.component = c->component;
  /* A SPARQL constraint's caller has already chosen among its messages. */
  result.message = c->kind != KZ_CONSTRAINT_SPARQL && shape->message ? shape->message : message;
  return kz_report_add(v->report, &result, err);
}

/* Reports that value (NULL for none) fails c: "VALUE PHRASE PARAM", where
 * phrase is printf-formatted and param, if not NULL, is written compactly. */
static kz_status fail(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                      librdf_node *focus, librdf_node *value, librdf_node *param,
                      kz_error *err, const char *format, ...) KZ_PRINTF(8, 9);

static kz_status fail(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                      librdf_node *focus, librdf_node *value, librdf_node *param,
                      kz_error *err, const char *format, ...) {
  if (!v->report) {
    v->failures++;
    return KZ_OK;
  }
  kz_term focus_term, value_term, param_term;
  kz_store_node_to_term(focus, &focus_term);
  if (value)
    kz_store_node_to_term(value, &value_term);
  if (param)
    kz_store_node_to_term(param, &param_term);
  char phrase[512];
  va_list args;
  va_start(args, format);
  vsnprintf(phrase, sizeof phrase, format, args);
  va_end(args);
  char *value_text = value ? kz_term_compact(&value_term) : NULL;
  char *param_text = param ? kz_term_compact(&param_term) : NULL;
  size_t size = strlen(phrase) + (value_text ? strlen(value_text) : 0) +
                (param_text ? strlen(param_text) : 0) + 3;
  char *message = malloc(size);
  kz_status status;
  if (!message || (value && !value_text) || (param && !param_text)) {
    status = kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
  } else {
    snprintf(message, size, "%s%s%s%s%s", value_text ? value_text : "", value_text ? " " : "",
             phrase, param_text ? " " : "", param_text ? param_text : "");
    status = kz_validator_emit(v, shape, c, &focus_term, NULL, 0, value ? &value_term : NULL,
                               message, err);
  }
  free(message);
  free(value_text);
  free(param_text);
  return status;
}

static kz_status nomem(kz_error *err) {
  return kz_fail(err, KZ_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Adds the distinct nodes of it to out (it may be NULL: nothing). Frees it. */
static kz_status collect(librdf_iterator *it, kz_node_list *out, kz_error *err) {
  kz_status status = KZ_OK;
  for (; it && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *node = librdf_iterator_get_object(it);
    if (!kz_node_list_contains(out, node) && kz_node_list_push(out, node) != 0) {
      status = nomem(err);
      break;
    }
  }
  if (it)
    librdf_free_iterator(it);
  return status;
}

/* The value nodes of focus for shape. */
static kz_status value_nodes(kz_validator *v, const kz_shape *shape, librdf_node *focus,
                             kz_node_list *out, kz_error *err) {
  if (!shape->path)
    return kz_node_list_push(out, focus) == 0 ? KZ_OK : nomem(err);
  librdf_model *model = v->data->model;
  if (shape->inverse_path)
    return collect(librdf_model_get_sources(model, shape->path, focus), out, err);
  /* Literals have no outgoing arcs; Redland would reject them as sources. */
  if (librdf_node_is_literal(focus))
    return KZ_OK;
  return collect(librdf_model_get_targets(model, focus, shape->path), out, err);
}

/* The class and its subclasses in the data (rdfs:subClassOf*), each once. */
static kz_status class_closure(kz_validator *v, librdf_node *class_node, kz_node_list *classes,
                               kz_error *err) {
  kz_status status = kz_node_list_push(classes, class_node) == 0 ? KZ_OK : nomem(err);
  for (size_t i = 0; status == KZ_OK && i < classes->count; i++)
    status = collect(librdf_model_get_sources(v->data->model, v->rdfs_subclass_of,
                                              classes->items[i]),
                     classes, err);
  return status;
}

/* The keys of the class closure, for is_instance. */
static kz_status subclasses(kz_validator *v, librdf_node *class_node, kz_strset **out,
                            kz_error *err) {
  kz_node_list classes = {0};
  kz_status status = class_closure(v, class_node, &classes, err);
  kz_strset *set = status == KZ_OK ? kz_strset_new() : NULL;
  if (status == KZ_OK && !set)
    status = nomem(err);
  for (size_t i = 0; status == KZ_OK && i < classes.count; i++) {
    char *key = kz_node_key(classes.items[i]);
    if (!key || kz_strset_add(set, key) < 0)
      status = nomem(err);
    free(key);
  }
  kz_node_list_clear(&classes);
  if (status != KZ_OK) {
    kz_strset_free(set);
    return status;
  }
  *out = set;
  return KZ_OK;
}

/* Whether node is an instance of c's class: some rdf:type of it is the
 * class or one of its subclasses. */
static kz_status is_instance(kz_validator *v, kz_constraint *c, librdf_node *node, int *yes,
                             kz_error *err) {
  *yes = 0;
  if (librdf_node_is_literal(node))
    return KZ_OK;
  if (!c->subclasses)
    TRY(subclasses(v, c->term, &c->subclasses, err));
  kz_node_list types = {0};
  kz_status status =
      collect(librdf_model_get_targets(v->data->model, node, v->rdf_type), &types, err);
  for (size_t i = 0; status == KZ_OK && !*yes && i < types.count; i++) {
    char *key = kz_node_key(types.items[i]);
    if (!key)
      status = nomem(err);
    else
      *yes = kz_strset_contains(c->subclasses, key);
    free(key);
  }
  kz_node_list_clear(&types);
  return status;
}

#define XSD_STRING KZ_NS_XSD "string"
#define RDF_LANG_STRING KZ_NS_RDF "langString"

static const char *datatype_of(librdf_node *literal) {
  librdf_uri *datatype = librdf_node_get_literal_value_datatype_uri(literal);
  if (datatype)
    return (const char *)librdf_uri_as_string(datatype);
  const char *language = librdf_node_get_literal_value_language(literal);
  return language && *language ? RDF_LANG_STRING : XSD_STRING;
}

/* str(node) for length and pattern checks; NULL for blank nodes. */
static const char *string_of(librdf_node *node) {
  if (librdf_node_is_resource(node))
    return (const char *)librdf_uri_as_string(librdf_node_get_uri(node));
  if (librdf_node_is_literal(node))
    return (const char *)librdf_node_get_literal_value(node);
  return NULL;
}

static size_t utf8_length(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static int node_kind_bit(librdf_node *node) {
  if (librdf_node_is_resource(node))
    return KZ_KIND_IRI;
  return librdf_node_is_blank(node) ? KZ_KIND_BLANK : KZ_KIND_LITERAL;
}

static int matches(const pcre2_code *regex, const char *text) {
  pcre2_match_data *match = pcre2_match_data_create_from_pattern(regex, NULL);
  if (!match)
    return -1;
  int rc = pcre2_match(regex, (PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, 0, match, NULL);
  pcre2_match_data_free(match);
  return rc >= 0; /* no match, or text that is not valid UTF-8 */
}

static kz_status check_shape(kz_validator *v, const kz_shape *shape, librdf_node *focus,
                             kz_error *err);

/* Whether node conforms to shape: validating it gives no result. */
static kz_status conforms(kz_validator *v, const kz_shape *shape, librdf_node *node, int *yes,
                          kz_error *err) {
  kz_validator quiet = *v;
  quiet.report = NULL;
  quiet.failures = 0;
  TRY(check_shape(&quiet, shape, node, err));
  *yes = quiet.failures == 0;
  return KZ_OK;
}

/* Checks one value against a constraint that looks at values one by one. */
static kz_status check_value(kz_validator *v, const kz_shape *shape, kz_constraint *c,
                             librdf_node *focus, librdf_node *value, kz_error *err) {
  int ok = 1;
  switch (c->kind) {
  case KZ_CONSTRAINT_CLASS:
    TRY(is_instance(v, c, value, &ok, err));
    return ok ? KZ_OK : fail(v, shape, c, focus, value, c->term, err, "is not an instance of");
  case KZ_CONSTRAINT_DATATYPE: {
    const char *wanted = (const char *)librdf_uri_as_string(librdf_node_get_uri(c->term));
    if (!librdf_node_is_literal(value) || strcmp(datatype_of(value), wanted) != 0)
      return fail(v, shape, c, focus, value, c->term, err, "does not have the datatype");
    if (!kz_xsd_lexical_valid(wanted, (const char *)librdf_node_get_literal_value(value)))
      return fail(v, shape, c, focus, value, c->term, err, "is not a valid");
    return KZ_OK;
  }
  case KZ_CONSTRAINT_NODE_KIND:
    if (node_kind_bit(value) & (int)c->number)
      return KZ_OK;
    return fail(v, shape, c, focus, value, c->term, err, "is not of the node kind");
  case KZ_CONSTRAINT_MIN_LENGTH:
  case KZ_CONSTRAINT_MAX_LENGTH: {
    const char *text = string_of(value);
    int min = c->kind == KZ_CONSTRAINT_MIN_LENGTH;
    size_t length = text ? utf8_length(text) : 0;
    if (text && (min ? length >= c->number : length <= c->number))
      return KZ_OK;
    return fail(v, shape, c, focus, value, NULL, err, "is %s than %lu characters",
                min ? "shorter" : "longer", c->number);
  }
  case KZ_CONSTRAINT_PATTERN: {
    const char *text = string_of(value);
    int matched = text ? matches(c->regex, text) : 0;
    if (matched < 0)
      return nomem(err);
    return matched ? KZ_OK
                   : fail(v, shape, c, focus, value, NULL, err, "does not match the pattern \"%s\"",
                          c->pattern);
  }
  case KZ_CONSTRAINT_IN:
    return kz_node_list_contains(&c->members, value)
               ? KZ_OK
               : fail(v, shape, c, focus, value, NULL, err, "is not one of the sh:in values");
  case KZ_CONSTRAINT_OR:
    ok = 0;
    for (size_t i = 0; !ok && i < c->shape_count; i++)
      TRY(conforms(v, c->shapes[i], value, &ok, err));
    return ok ? KZ_OK
              : fail(v, shape, c, focus, value, NULL, err,
                     "conforms to none of the sh:or alternatives");
  default:
    return KZ_OK;
  }
}

static kz_status check_constraint(kz_validator *v, const kz_shape *shape, kz_constraint *c,
                                  librdf_node *focus, const kz_node_list *values,
                                  kz_error *err) {
  switch (c->kind) {
  case KZ_CONSTRAINT_MIN_COUNT:
    if (values->count >= c->number)
      return KZ_OK;
    return fail(v, shape, c, focus, NULL, NULL, err,
                "has %zu value%s, fewer than the minimum of %lu", values->count,
                values->count == 1 ? "" : "s", c->number);
  case KZ_CONSTRAINT_MAX_COUNT:
    if (values->count <= c->number)
      return KZ_OK;
    return fail(v, shape, c, focus, NULL, NULL, err, "has %zu values, more than the maximum of %lu",
                values->count, c->number);
  case KZ_CONSTRAINT_HAS_VALUE:
    if (kz_node_list_contains(values, c->term))
      return KZ_OK;
    return fail(v, shape, c, focus, NULL, c->term, err, "lacks the value");
  case KZ_CONSTRAINT_SPARQL:
  case KZ_CONSTRAINT_DANGLING:
    return KZ_OK; /* run over all focus nodes at once, by check_targets */
  default:
    for (size_t i = 0; i < values->count; i++)
      TRY(check_value(v, shape, c, focus, values->items[i], err));
    return KZ_OK;
  }
}

static kz_status check_shape(kz_validator *v, const kz_shape *shape, librdf_node *focus,
                             kz_error *err) {
  if (shape->deactivated)
    return KZ_OK;
  kz_node_list values = {0};
  kz_status status = value_nodes(v, shape, focus, &values, err);
  for (size_t i = 0; status == KZ_OK && i < shape->constraint_count; i++)
    status = check_constraint(v, shape, &shape->constraints[i], focus, &values, err);
  for (size_t i = 0; status == KZ_OK && i < shape->property_count; i++)
    for (size_t j = 0; status == KZ_OK && j < values.count; j++)
      status = check_shape(v, shape->properties[i], values.items[j], err);
  kz_node_list_clear(&values);
  return status;
}

/* Adds node to the focus nodes unless it is there already. */
static kz_status add_focus(kz_node_list *focus, kz_strset *seen, librdf_node *node,
                           kz_error *err) {
  char *key = kz_node_key(node);
  int fresh = key ? kz_strset_add(seen, key) : -1;
  free(key);
  if (fresh < 0 || (fresh && kz_node_list_push(focus, node) != 0))
    return nomem(err);
  return KZ_OK;
}

/* Subjects (or objects) of every triple with predicate. */
static kz_status ends_of(kz_validator *v, librdf_node *predicate, int objects,
                         kz_node_list *focus, kz_strset *seen, kz_error *err) {
  librdf_node *p = librdf_new_node_from_node(predicate);
  librdf_statement *pattern =
      p ? librdf_new_statement_from_nodes(v->data->world, NULL, p, NULL) : NULL;
  if (!pattern)
    return nomem(err);
  librdf_stream *stream = librdf_model_find_statements(v->data->model, pattern);
  kz_status status = KZ_OK;
  for (; stream && status == KZ_OK && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    status = add_focus(focus, seen,
                       objects ? librdf_statement_get_object(statement)
                               : librdf_statement_get_subject(statement),
                       err);
  }
  if (stream)
    librdf_free_stream(stream);
  librdf_free_statement(pattern);
  return status;
}

static kz_status focus_nodes(kz_validator *v, const kz_shape *shape, kz_node_list *focus,
                             kz_error *err) {
  kz_strset *seen = kz_strset_new();
  if (!seen)
    return nomem(err);
  kz_status status = KZ_OK;
  for (size_t i = 0; status == KZ_OK && i < shape->target_count; i++) {
    const kz_target *target = &shape->targets[i];
    switch (target->kind) {
    case KZ_TARGET_NODE:
      status = add_focus(focus, seen, target->node, err);
      break;
    case KZ_TARGET_SUBJECTS_OF:
    case KZ_TARGET_OBJECTS_OF:
      status = ends_of(v, target->node, target->kind == KZ_TARGET_OBJECTS_OF, focus, seen, err);
      break;
    case KZ_TARGET_CLASS: {
      kz_node_list classes = {0};
      status = class_closure(v, target->node, &classes, err);
      for (size_t c = 0; status == KZ_OK && c < classes.count; c++) {
        librdf_iterator *it =
            librdf_model_get_sources(v->data->model, v->rdf_type, classes.items[c]);
        for (; it && status == KZ_OK && !librdf_iterator_end(it); librdf_iterator_next(it))
          status = add_focus(focus, seen, librdf_iterator_get_object(it), err);
        if (it)
          librdf_free_iterator(it);
      }
      kz_node_list_clear(&classes);
      break;
    }
    }
  }
  kz_strset_free(seen);
  return status;
}

/* Validates every focus node of one shape that has targets. */
static kz_status check_targets(kz_validator *v, const kz_shape *shape, kz_error *err) {
  kz_node_list focus = {0};
  kz_status status = focus_nodes(v, shape, &focus, err);
  for (size_t i = 0; status == KZ_OK && i < focus.count; i++)
    status = check_shape(v, shape, focus.items[i], err);
  for (size_t i = 0; status == KZ_OK && i < shape->constraint_count; i++) {
    const kz_constraint *c = &shape->constraints[i];
    if (c->kind == KZ_CONSTRAINT_SPARQL)
      status = kz_sparql_check(v, shape, c, &focus, err);
    else if (c->kind == KZ_CONSTRAINT_DANGLING)
      status = kz_dangling_check(v, shape, c, &focus, err);
  }
  kz_node_list_clear(&focus);
  return status;
}

kz_status kz_validate(kz_report **out, kz_store *store, const char *shapes_path,
                      kz_error *err) {
  *out = NULL;
  kz_shapes *shapes = NULL;
  TRY(kz_shapes_load(&shapes, shapes_path, err));
  kz_validator v;
  memset(&v, 0, sizeof v);
  v.data = store;
  v.shapes = shapes;
  v.report = kz_report_new();
  v.rdf_type = librdf_new_node_from_uri_string(store->world,
                                               (const unsigned char *)KZ_NS_RDF "type");
  v.rdfs_subclass_of = librdf_new_node_from_uri_string(
      store->world, (const unsigned char *)KZ_NS_RDFS "subClassOf");
  kz_status status = v.report && v.rdf_type && v.rdfs_subclass_of ? KZ_OK : nomem(err);
  for (size_t i = 0; status == KZ_OK && i < shapes->count; i++)
    if (shapes->items[i]->target_count && !shapes->items[i]->deactivated)
      status = check_targets(&v, shapes->items[i], err);
  if (v.rdf_type)
    librdf_free_node(v.rdf_type);
  if (v.rdfs_subclass_of)
    librdf_free_node(v.rdfs_subclass_of);
  kz_shapes_free(shapes);
  if (status != KZ_OK) {
    kz_report_free(v.report);
    return status;
  }
  kz_report_finish(v.report);
  *out = v.report;
  return KZ_OK;
}
