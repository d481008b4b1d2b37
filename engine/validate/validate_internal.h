/*
 * The inside of the validator, shared by its files: the shapes model that
 * shapes.c reads from a shapes graph, the validator state that validate.c
 * and sparql.c use while checking data, the lexical checks of xsd.c, and
 * the report builder of report.c. Never installed.
 */
#ifndef KZ_VALIDATE_INTERNAL_H
#define KZ_VALIDATE_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/strset.h"
#include "kizuna/validate.h"
#include "store/store_internal.h"

#define KZ_NS_SH "http://www.w3.org/ns/shacl#"
#define KZ_NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define KZ_NS_RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define KZ_NS_XSD "http://www.w3.org/2001/XMLSchema#"
#define KZ_NS_KZSH "https://w3id.org/kizuna/shapes#"

/* The one constraint component implemented natively (dangling.c): its IRI
 * and its parameter, whose value is the instance namespace. */
#define KZ_DANGLING_COMPONENT KZ_NS_KZSH "NoDanglingIRIConstraintComponent"
#define KZ_DANGLING_PARAMETER KZ_NS_KZSH "instanceNamespace"

/* A growable list of node copies, owned by the list. */
typedef struct kz_node_list {
  librdf_node **items;
  size_t count;
  size_t capacity;
} kz_node_list;

/* Appends a copy of node; 0 on success, -1 on out of memory. */
int kz_node_list_push(kz_node_list *list, librdf_node *node);
/* Non-zero if an equal node is in the list. */
int kz_node_list_contains(const kz_node_list *list, librdf_node *node);
/* Frees the copies and empties the list. */
void kz_node_list_clear(kz_node_list *list);

/* The N-Triples form of node, a key for kz_strset; caller frees. NULL on OOM. */
char *kz_node_key(librdf_node *node);

typedef enum kz_target_kind {
  KZ_TARGET_CLASS,       /* sh:targetClass, and a shape that is an rdfs:Class */
  KZ_TARGET_NODE,        /* sh:targetNode */
  KZ_TARGET_SUBJECTS_OF, /* sh:targetSubjectsOf */
  KZ_TARGET_OBJECTS_OF   /* sh:targetObjectsOf */
} kz_target_kind;

typedef struct kz_target {
  kz_target_kind kind;
  librdf_node *node; /* owned */
} kz_target;

typedef enum kz_constraint_kind {
  KZ_CONSTRAINT_CLASS,
  KZ_CONSTRAINT_DATATYPE,
  KZ_CONSTRAINT_NODE_KIND,
  KZ_CONSTRAINT_MIN_COUNT,
  KZ_CONSTRAINT_MAX_COUNT,
  KZ_CONSTRAINT_MIN_LENGTH,
  KZ_CONSTRAINT_MAX_LENGTH,
  KZ_CONSTRAINT_PATTERN,
  KZ_CONSTRAINT_IN,
  KZ_CONSTRAINT_HAS_VALUE,
  KZ_CONSTRAINT_OR,
  KZ_CONSTRAINT_SPARQL,
  KZ_CONSTRAINT_DANGLING
} kz_constraint_kind;

/* sh:nodeKind values, as bits: a value matches when its kind's bit is set. */
enum { KZ_KIND_IRI = 1, KZ_KIND_BLANK = 2, KZ_KIND_LITERAL = 4 };

typedef struct kz_shape kz_shape;

/* One constraint: one value of one parameter (SHACL allows several). */
typedef struct kz_constraint {
  kz_constraint_kind kind;
  const char *component;  /* sh:...ConstraintComponent IRI (static) */
  librdf_node *term;      /* owned: class, datatype, nodeKind, hasValue; the sh:sparql node */
  unsigned long number;   /* min/max count and length; node kind bits */
  pcre2_code *regex;      /* sh:pattern compiled with its sh:flags */
  char *pattern;          /* sh:pattern as written, for messages */
  char *namespace_iri;    /* the no-dangling component's instance namespace */
  kz_node_list members;   /* sh:in values */
  kz_shape **shapes;      /* sh:or members, borrowed from the shapes model */
  size_t shape_count;
  char *query;            /* sh:sparql: PREFIX lines + sh:select */
  char *message;          /* sh:sparql: its own sh:message, or NULL */
  size_t prefix_lines;    /* sh:sparql: lines of PREFIX put before sh:select */
  long line;              /* sh:sparql: line of sh:select in the shapes file */
  kz_strset *subclasses;  /* sh:class: keys of the class and its subclasses in
                             the data, filled on first use */
} kz_constraint;

struct kz_shape {
  librdf_node *node;      /* owned copy of the shape's node in the shapes graph */
  librdf_node *path;      /* owned; NULL for a node shape */
  int inverse_path;       /* path is [ sh:inversePath path ] */
  kz_severity severity;
  char *message;          /* sh:message, or NULL */
  int deactivated;
  kz_target *targets;
  size_t target_count;
  kz_constraint *constraints;
  size_t constraint_count;
  kz_shape **properties;  /* sh:property, borrowed from the shapes model */
  size_t property_count;
  int state;              /* reading: 1 in progress, 2 done */
};

/* The shapes graph (kept open: shapes and constraints hold its nodes) and
 * every shape read from it, each once. */
typedef struct kz_shapes {
  kz_store *store;
  char *path;
  kz_shape **items; /* owned */
  size_t count;
  size_t capacity;
} kz_shapes;

/* Loads and reads the shapes file. On success caller frees *out with
 * kz_shapes_free. Errors name the file and, when found, line and column. */
kz_status kz_shapes_load(kz_shapes **out, const char *path, kz_error *err);
void kz_shapes_free(kz_shapes *shapes);

/* The state of one validation run. */
typedef struct kz_validator {
  kz_store *data;
  const kz_shapes *shapes;
  kz_report *report; /* where results go; NULL while testing conformance */
  size_t failures;   /* results found while report is NULL */
  librdf_node *rdf_type;
  librdf_node *rdfs_subclass_of;
} kz_validator;

/* Records one result of shape's constraint c: into the report, or counted
 * when the validator only tests conformance. path NULL means the shape's
 * own; value may be NULL; message NULL means the shape's sh:message. */
kz_status kz_validator_emit(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                            const kz_term *focus, const char *path, int inverse_path,
                            const kz_term *value, const char *message, kz_error *err);

/* A term in compact Turtle (prefixed IRIs); caller frees. NULL on OOM. */
char *kz_term_compact(const kz_term *term);

/* Runs sh:sparql constraint c of node shape shape for every focus node. */
kz_status kz_sparql_check(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                          const kz_node_list *focus, kz_error *err);

/* Runs the no-dangling-IRIs constraint c of shape for every focus node. */
kz_status kz_dangling_check(kz_validator *v, const kz_shape *shape, const kz_constraint *c,
                            const kz_node_list *focus, kz_error *err);

/* Checks that c's query parses as a SELECT, with $this bound and free,
 * using store (any store: nothing is run). Errors name source and the
 * query's line in the file. */
kz_status kz_sparql_check_syntax(kz_store *store, const kz_constraint *c, const char *source,
                                 const char *shape_label, kz_error *err);

/* Non-zero if datatype is one whose lexical forms xsd.c checks. */
int kz_xsd_is_checked(const char *datatype);
/* Non-zero if lexical is a valid lexical form of datatype (always non-zero
 * for datatypes that are not checked). */
int kz_xsd_lexical_valid(const char *datatype, const char *lexical);

/* Report building (report.c). */
kz_report *kz_report_new(void);
/* Adds a copy of result. */
kz_status kz_report_add(kz_report *report, const kz_validation_result *result, kz_error *err);
/* Sorts the results; call once, when every result is in. */
void kz_report_finish(kz_report *report);

#endif
