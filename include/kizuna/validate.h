/**
 * @file validate.h
 * @brief Validating a store against SHACL shapes, and the validation report.
 *
 * kz_validate reads a shapes file (a SHACL Core subset plus SPARQL-based
 * constraints, see the README) and checks the data of a store against it.
 * The outcome is a kz_report: a plain list of results, sorted by severity
 * (violations first), focus node, path and message, which can be written as
 * text or as a W3C sh:ValidationReport graph.
 */
#ifndef KIZUNA_VALIDATE_H
#define KIZUNA_VALIDATE_H

#include <stddef.h>
#include <stdio.h>

#include "kizuna/status.h"
#include "kizuna/store.h"
#include "kizuna/term.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A validation report. Opaque. */
typedef struct kz_report kz_report;

/** The severities of SHACL (sh:Info, sh:Warning, sh:Violation), least first. */
typedef enum kz_severity {
  KZ_SEVERITY_INFO = 1,
  KZ_SEVERITY_WARNING,
  KZ_SEVERITY_VIOLATION
} kz_severity;

/**
 * One validation result. Every pointer is borrowed from the report and valid
 * until kz_report_free.
 */
typedef struct kz_validation_result {
  kz_severity severity;
  kz_term focus;          /**< sh:focusNode */
  const char *path;       /**< sh:resultPath: a predicate IRI, or NULL */
  int inverse_path;       /**< non-zero: the path is [ sh:inversePath path ] */
  const kz_term *value;   /**< sh:value, or NULL when there is none */
  kz_term shape;          /**< sh:sourceShape: an IRI or a blank node of the shapes */
  const char *component;  /**< sh:sourceConstraintComponent IRI */
  const char *message;    /**< sh:resultMessage: one line */
} kz_validation_result;

/**
 * Validates the data in store (the union of its graphs) against the shapes
 * in the RDF file shapes_path (any syntax kz_store_load reads). store is
 * borrowed. On success caller frees *out with kz_report_free; a report with
 * violations is still a success. A shapes file that does not parse, or that
 * uses a SHACL term this validator does not support, gives KZ_ERR_SYNTAX or
 * KZ_ERR_UNSUPPORTED naming the file and, where it can be found, the line
 * and column; a failing sh:sparql query gives KZ_ERR_QUERY.
 */
kz_status kz_validate(kz_report **out, kz_store *store, const char *shapes_path,
                      kz_error *err);

/** Number of results in the report. */
size_t kz_report_get_count(const kz_report *report);

/** Result i (0-based, below kz_report_get_count); borrowed, valid until kz_report_free. */
const kz_validation_result *kz_report_get_result(const kz_report *report, size_t i);

/** Number of results of the given severity. */
size_t kz_report_count(const kz_report *report, kz_severity severity);

/** Non-zero if the report has no result at all (SHACL's sh:conforms). */
int kz_report_conforms(const kz_report *report);

/** "Violation", "Warning" or "Info". Never NULL. */
const char *kz_severity_name(kz_severity severity);

/**
 * Writes the report to out. Formats: "text" (one line per result,
 * "SEVERITY FOCUS PATH: MESSAGE", with " (value: VALUE)" when the message
 * does not show the value, IRIs compacted with the Kizuna prefixes, then a
 * summary line "N violations, M warnings"), or an RDF graph format
 * ("turtle", "ntriples", "rdfxml") holding one sh:ValidationReport. NULL
 * means "text". out is borrowed and not closed. An unknown format gives
 * KZ_ERR_ARGUMENT.
 */
kz_status kz_report_write(const kz_report *report, FILE *out, const char *format,
                          kz_error *err);

/** Frees a report. Accepts NULL. */
void kz_report_free(kz_report *report);

#ifdef __cplusplus
}
#endif
#endif
