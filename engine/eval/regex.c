/*
 * REGEX and REPLACE on PCRE2, with the XPath flags and replacement syntax
 * (XPath and XQuery Functions and Operators 3.1, section 5.6), and the
 * cache of compiled patterns that a query run keeps.
 *
 * Flags map onto PCRE2 options: i CASELESS, s DOTALL, m MULTILINE,
 * x EXTENDED, q LITERAL; every pattern is compiled with UTF and UCP (XPath's
 * \w and \d are Unicode classes), and without m, $ matches only at the
 * very end (DOLLAR_ENDONLY), as in XPath. Any other flag is an error.
 *
 * The cache is a fixed array of CACHE_SIZE entries keyed by (owner,
 * options, pattern); the owner is the expression node, so two REGEX calls
 * with the same pattern do not share an entry but one call with a constant
 * pattern compiles it once per run. When the array is full the oldest
 * entry is replaced (round robin). Each entry owns its compiled code, its
 * match data and a copy of its pattern; kz_regex_cache_free releases them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "eval/regex.h"

#define CACHE_SIZE 32

typedef struct cache_entry {
  const void *owner;
  uint32_t options;
  char *pattern;
  pcre2_code *code;
  pcre2_match_data *match;
} cache_entry;

struct kz_regex_cache {
  cache_entry entries[CACHE_SIZE];
  size_t next; /* the entry to replace when all are in use */
};

kz_regex_cache *kz_regex_cache_new(void) { return calloc(1, sizeof(kz_regex_cache)); }

static void entry_clear(cache_entry *entry) {
  pcre2_match_data_free(entry->match);
  pcre2_code_free(entry->code);
  free(entry->pattern);
  memset(entry, 0, sizeof *entry);
}

void kz_regex_cache_free(kz_regex_cache *cache) {
  if (!cache)
    return;
  for (size_t i = 0; i < CACHE_SIZE; i++)
    entry_clear(&cache->entries[i]);
  free(cache);
}

/* The PCRE2 options of XPath flags; false on an unknown flag. */
static bool flag_options(const char *flags, uint32_t *options, bool *literal) {
  *options = PCRE2_UTF | PCRE2_UCP;
  *literal = false;
  bool multiline = false;
  for (const char *f = flags ? flags : ""; *f; f++) {
    switch (*f) {
    case 'i': *options |= PCRE2_CASELESS; break;
    case 's': *options |= PCRE2_DOTALL; break;
    case 'm': multiline = true; break;
    case 'x': *options |= PCRE2_EXTENDED; break;
    case 'q': *literal = true; break;
    default: return false;
    }
  }
  *options |= multiline ? PCRE2_MULTILINE : PCRE2_DOLLAR_ENDONLY;
  if (*literal) /* LITERAL allows only a few other options; s m x mean nothing then */
    *options = PCRE2_LITERAL | PCRE2_UTF | (*options & PCRE2_CASELESS);
  return true;
}

static bool compile(const char *pattern, uint32_t options, pcre2_code **code,
                    pcre2_match_data **match, bool *nomem) {
  int error;
  PCRE2_SIZE offset;
  *nomem = false;
  *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &error, &offset, NULL);
  if (!*code) {
    *nomem = error == PCRE2_ERROR_HEAPLIMIT || error == PCRE2_ERROR_NOMEMORY;
    return false;
  }
  *match = pcre2_match_data_create_from_pattern(*code, NULL);
  if (!*match) {
    pcre2_code_free(*code);
    *nomem = true;
    return false;
  }
  return true;
}

bool kz_regex_get(kz_regex *out, kz_expr_env *env, const void *owner, const char *pattern,
                  const char *flags) {
  memset(out, 0, sizeof *out);
  uint32_t options;
  if (!flag_options(flags, &options, &out->literal))
    return false;
  kz_regex_cache *cache = env->regex_cache;
  if (cache) {
    for (size_t i = 0; i < CACHE_SIZE; i++) {
      cache_entry *entry = &cache->entries[i];
      if (entry->code && entry->owner == owner && entry->options == options &&
          strcmp(entry->pattern, pattern) == 0) {
        out->code = entry->code;
        out->match = entry->match;
        return true;
      }
    }
  }
  bool nomem;
  pcre2_code *code;
  pcre2_match_data *match;
  if (!compile(pattern, options, &code, &match, &nomem))
    return nomem ? kz_expr_fail(env) : false;
  out->code = code;
  out->match = match;
  char *copy = cache ? strdup(pattern) : NULL;
  if (!copy) {
    out->owned = true; /* no cache, or no room for the key: used once */
    return true;
  }
  cache_entry *entry = &cache->entries[cache->next];
  cache->next = (cache->next + 1) % CACHE_SIZE;
  entry_clear(entry);
  *entry = (cache_entry){owner, options, copy, code, match};
  return true;
}

void kz_regex_release(kz_regex *regex) {
  if (regex->owned) {
    pcre2_match_data_free(regex->match);
    pcre2_code_free(regex->code);
  }
  memset(regex, 0, sizeof *regex);
}

int kz_regex_search(const kz_regex *regex, const char *subject, size_t size, size_t start) {
  int rc = pcre2_match(regex->code, (PCRE2_SPTR)subject, size, start, 0, regex->match, NULL);
  if (rc == PCRE2_ERROR_NOMATCH)
    return 0;
  return rc < 0 ? -1 : 1;
}

/* ---- REPLACE ------------------------------------------------------------------ */

/* XPath allows in a replacement only \\, \$ and $ followed by digits. */
static bool valid_replacement(const char *replacement) {
  for (const char *p = replacement; *p; p++) {
    if (*p == '\\') {
      if (p[1] != '\\' && p[1] != '$')
        return false;
      p++;
    } else if (*p == '$' && !(p[1] >= '0' && p[1] <= '9')) {
      return false;
    }
  }
  return true;
}

/* Appends the replacement for the match in ovector: $N is group N (the
 * longest run of digits that names a group; an unset or absent group is
 * empty), \$ and \\ are $ and \. */
static void expand(kz_text *out, const char *replacement, const char *subject,
                   const PCRE2_SIZE *ovector, uint32_t group_count) {
  for (const char *p = replacement; *p; p++) {
    if (*p == '\\') {
      kz_text_append(out, p + 1, 1);
      p++;
    } else if (*p == '$') {
      uint32_t group = (uint32_t)(*++p - '0');
      while (p[1] >= '0' && p[1] <= '9' && group * 10 + (uint32_t)(p[1] - '0') <= group_count)
        group = group * 10 + (uint32_t)(*++p - '0');
      if (group <= group_count && ovector[2 * group] != PCRE2_UNSET)
        kz_text_append(out, subject + ovector[2 * group], ovector[2 * group + 1] - ovector[2 * group]);
    } else {
      kz_text_append(out, p, 1);
    }
  }
}

bool kz_regex_replace(char **out, size_t *out_size, kz_expr_env *env, const kz_regex *regex,
                      const char *subject, size_t size, const char *replacement) {
  *out = NULL;
  if (!regex->literal && !valid_replacement(replacement))
    return false; /* FORX0004 */
  /* FORX0003: a pattern that matches the empty string is an error. */
  int empty = kz_regex_search(regex, "", 0, 0);
  if (empty != 0)
    return false;
  uint32_t group_count = 0;
  pcre2_pattern_info(regex->code, PCRE2_INFO_CAPTURECOUNT, &group_count);
  kz_text result = {0};
  size_t start = 0;
  while (start <= size) {
    int found = kz_regex_search(regex, subject, size, start);
    if (found < 0) {
      free(result.data);
      return false;
    }
    if (found == 0)
      break;
    const PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(regex->match);
    kz_text_append(&result, subject + start, ovector[0] - start);
    if (regex->literal)
      kz_text_append(&result, replacement, strlen(replacement));
    else
      expand(&result, replacement, subject, ovector, group_count);
    start = ovector[1];
    if (ovector[1] == ovector[0]) {
      /* An empty match inside the string (a lookahead): step over one
       * character so the loop moves on. */
      if (start >= size)
        break;
      size_t next = start + 1;
      while (next < size && ((unsigned char)subject[next] & 0xC0) == 0x80)
        next++;
      kz_text_append(&result, subject + start, next - start);
      start = next;
    }
  }
  if (start < size)
    kz_text_append(&result, subject + start, size - start);
  if (result.failed) {
    free(result.data);
    return kz_expr_fail(env);
  }
  *out = kz_arena_strndup(env->scratch, result.data ? result.data : "", result.length);
  *out_size = result.length;
  free(result.data);
  return *out ? true : kz_expr_fail(env);
}
