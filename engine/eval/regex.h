/*
 * Compiled XPath regular expressions for REGEX and REPLACE (regex.c).
 * Private to engine/eval.
 */
#ifndef KZ_EVAL_REGEX_H
#define KZ_EVAL_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "eval/expr_internal.h"

/* A compiled pattern and its match data: borrowed from env->regex_cache,
 * or owned when there is no cache (owned); give it back with
 * kz_regex_release. The PCRE2 types stay in regex.c. */
typedef struct kz_regex {
  struct pcre2_real_code_8 *code;
  struct pcre2_real_match_data_8 *match;
  bool literal; /* the q flag: REPLACE's replacement is literal too */
  bool owned;
} kz_regex;

/* The pattern compiled with XPath flags (NULL: none), from the cache when
 * env has one (owner, the expression node, is part of the key). False for
 * a SPARQL error (bad flags, bad pattern), or with env->failed set on out
 * of memory. */
bool kz_regex_get(kz_regex *out, kz_expr_env *env, const void *owner, const char *pattern,
                  const char *flags);

void kz_regex_release(kz_regex *regex);

/* Searches subject (size bytes) from byte start: 1 found, 0 not, -1 a
 * matching error (a PCRE2 limit, invalid UTF-8). */
int kz_regex_search(const kz_regex *regex, const char *subject, size_t size, size_t start);

/* REPLACE: every non-overlapping match of regex in subject replaced by
 * replacement ($N groups, \$ \\), into *out (env->scratch) and *out_size.
 * False for a SPARQL error (a bad replacement, a pattern that matches the
 * empty string), or with env->failed on out of memory. */
bool kz_regex_replace(char **out, size_t *out_size, kz_expr_env *env, const kz_regex *regex,
                      const char *subject, size_t size, const char *replacement);

#endif
