/**
 * @file term.h
 * @brief RDF terms as plain values, as results and graphs hand them out.
 */
#ifndef KIZUNA_TERM_H
#define KIZUNA_TERM_H

#ifdef __cplusplus
extern "C" {
#endif

/** The three kinds of RDF term. */
typedef enum kz_term_kind {
  KZ_TERM_IRI = 1,
  KZ_TERM_BLANK,
  KZ_TERM_LITERAL
} kz_term_kind;

/**
 * An RDF term. All strings are borrowed from whoever handed the term out and
 * are valid until that owner moves on (see the function that returned it).
 */
typedef struct kz_term {
  kz_term_kind kind;
  const char *value;    /**< IRI, blank node label, or literal lexical form */
  const char *language; /**< literal language tag, or NULL */
  const char *datatype; /**< literal datatype IRI, or NULL for simple/lang */
} kz_term;

#ifdef __cplusplus
}
#endif
#endif
