/*
 * The built-in functions of SPARQL 1.1 (section 17.4) and the XSD casts
 * (17.5), each a small function over already evaluated arguments, listed
 * in one table indexed by operator with its arity. The special forms that
 * choose which arguments to evaluate (BOUND, IF, COALESCE, IN, EXISTS, the
 * logical operators) are in expr.c; REGEX and REPLACE match through
 * regex.c.
 *
 * Conventions: a function returns false for a SPARQL error, and false with
 * env->failed set when it runs out of memory (kz_expr_fail). Results that
 * are new strings are allocated in env->scratch; results that are a part
 * of an argument (LANG, a DATATYPE IRI, TZ) borrow from it, as the
 * argument outlives the result.
 *
 * Strings: "string literal" means a simple literal, an xsd:string or a
 * language-tagged literal. Functions that keep their first argument's kind
 * (SUBSTR, UCASE, STRBEFORE...) copy its language tag. Lengths and
 * positions count Unicode code points; the input is UTF-8 as RDF requires.
 */
#include <nettle/md5.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "eval/expr_internal.h"
#include "eval/regex.h"
#include "sparql/iri.h"

#define XSD_NS_LENGTH (sizeof KZ_XSD_NS - 1)

/* ---- argument helpers ------------------------------------------------------------ */

static bool is_literal(const kz_term *t) { return t->kind == KZ_TERM_LITERAL; }

static const char *language_of(const kz_term *t) {
  return t->language && *t->language ? t->language : NULL;
}

/* A string literal's kind copied to a new lexical form. */
static bool make_like(kz_expr_env *env, kz_term *out, const kz_term *like, const char *lexical,
                      size_t size) {
  return kz_make_literal(env, out, lexical, size, language_of(like), NULL);
}

/* 17.4.3.1.2: arg1 and arg2 are compatible when both are simple or
 * xsd:string, both have the same language tag, or arg1 has a language tag
 * and arg2 is simple or xsd:string. */
static bool compatible(const kz_term *arg1, const kz_term *arg2) {
  if (!kz_term_is_string_literal(arg1) || !kz_term_is_string_literal(arg2))
    return false;
  const char *l1 = language_of(arg1), *l2 = language_of(arg2);
  return !l2 || (l1 && kz_ascii_iequal(l1, l2));
}

static bool number_of(const kz_term *t, kz_number *out) {
  kz_value v;
  if (kz_value_of(t, &v) != KZ_VALUE_NUMBER)
    return false;
  *out = v.number;
  return true;
}

/* ---- terms and their parts ---------------------------------------------------- */

static bool fn_str(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                   kz_term *out) {
  (void)env, (void)expr, (void)count;
  if (args[0].kind == KZ_TERM_BLANK)
    return false;
  kz_make_literal_borrowed(out, args[0].value, NULL, NULL);
  return true;
}

static bool fn_lang(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                    kz_term *out) {
  (void)env, (void)expr, (void)count;
  if (!is_literal(&args[0]))
    return false;
  kz_make_literal_borrowed(out, language_of(&args[0]) ? args[0].language : "", NULL, NULL);
  return true;
}

/* RFC 4647 basic filtering: "*" matches any non-empty tag; otherwise the
 * range equals the tag or a prefix of it followed by "-", ignoring case. */
static bool fn_langmatches(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                           size_t count, kz_term *out) {
  (void)env, (void)expr, (void)count;
  if (!kz_term_is_simple(&args[0]) || !kz_term_is_simple(&args[1]))
    return false;
  const char *tag = args[0].value, *range = args[1].value;
  bool match;
  if (strcmp(range, "*") == 0) {
    match = *tag != '\0';
  } else {
    size_t n = strlen(range);
    match = strlen(tag) >= n && (tag[n] == '\0' || tag[n] == '-');
    for (size_t i = 0; match && i < n; i++) {
      char a = tag[i] >= 'A' && tag[i] <= 'Z' ? (char)(tag[i] + 32) : tag[i];
      char b = range[i] >= 'A' && range[i] <= 'Z' ? (char)(range[i] + 32) : range[i];
      match = a == b;
    }
  }
  kz_make_boolean(out, match);
  return true;
}

static bool fn_datatype(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                        size_t count, kz_term *out) {
  (void)env, (void)expr, (void)count;
  if (!is_literal(&args[0]))
    return false;
  const char *datatype = language_of(&args[0]) ? KZ_RDF_LANGSTRING
                         : args[0].datatype    ? args[0].datatype
                                               : KZ_XSD_STRING;
  *out = (kz_term){.kind = KZ_TERM_IRI, .value = datatype};
  return true;
}

static bool fn_iri(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                   kz_term *out) {
  (void)expr, (void)count;
  if (args[0].kind == KZ_TERM_IRI) {
    *out = args[0];
    return true;
  }
  if (!kz_term_is_simple(&args[0]))
    return false;
  char *iri = kz_iri_resolve(env->scratch, env->base, args[0].value);
  if (!iri)
    return kz_expr_fail(env);
  *out = (kz_term){.kind = KZ_TERM_IRI, .value = iri};
  return true;
}

/* BNODE() is a new node per call; BNODE("s") the same node for the same
 * string within one solution, so its label is made of the solution number
 * and a digest of the string. */
static bool fn_bnode(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                     kz_term *out) {
  (void)expr;
  char label[96];
  if (count == 0) {
    if (!env->bnode_counter)
      return false;
    snprintf(label, sizeof label, "kzb%llu", (unsigned long long)++*env->bnode_counter);
  } else {
    if (!kz_term_is_simple(&args[0]))
      return false;
    uint8_t digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(args[0].value), (const uint8_t *)args[0].value);
    sha256_digest(&ctx, sizeof digest, digest);
    int at = snprintf(label, sizeof label, "kzb%llus", (unsigned long long)env->solution_id);
    for (size_t i = 0; i < 16; i++)
      at += snprintf(label + at, sizeof label - (size_t)at, "%02x", digest[i]);
  }
  char *copy = kz_arena_strdup(env->scratch, label);
  if (!copy)
    return kz_expr_fail(env);
  *out = (kz_term){.kind = KZ_TERM_BLANK, .value = copy};
  return true;
}

static bool fn_strdt(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                     kz_term *out) {
  (void)env, (void)expr, (void)count;
  if (!kz_term_is_simple(&args[0]) || args[1].kind != KZ_TERM_IRI)
    return false;
  kz_make_literal_borrowed(out, args[0].value, NULL, args[1].value);
  return true;
}

/* A language tag as BCP 47 writes it: letters, then "-" and alphanumerics. */
static bool valid_language_tag(const char *tag) {
  size_t run = 0;
  bool first = true;
  for (const char *p = tag;; p++) {
    bool alpha = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
    bool digit = *p >= '0' && *p <= '9';
    if (alpha || (digit && !first)) {
      if (++run > 8)
        return false;
    } else if ((*p == '-' || *p == '\0') && run > 0) {
      if (*p == '\0')
        return true;
      run = 0;
      first = false;
    } else {
      return false;
    }
  }
}

static bool fn_strlang(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                       kz_term *out) {
  (void)env, (void)expr, (void)count;
  if (!kz_term_is_simple(&args[0]) || !kz_term_is_simple(&args[1]) ||
      !valid_language_tag(args[1].value))
    return false;
  kz_make_literal_borrowed(out, args[0].value, args[1].value, NULL);
  return true;
}

static bool fn_sameterm(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                        size_t count, kz_term *out) {
  (void)env, (void)expr, (void)count;
  kz_make_boolean(out, kz_term_same(&args[0], &args[1]));
  return true;
}

static bool fn_is_kind(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                       kz_term *out) {
  (void)env, (void)count;
  bool result = false;
  kz_value v;
  switch (expr->op) {
  case KZ_OP_ISIRI:
  case KZ_OP_ISURI: result = args[0].kind == KZ_TERM_IRI; break;
  case KZ_OP_ISBLANK: result = args[0].kind == KZ_TERM_BLANK; break;
  case KZ_OP_ISLITERAL: result = args[0].kind == KZ_TERM_LITERAL; break;
  case KZ_OP_ISNUMERIC: result = kz_value_of(&args[0], &v) == KZ_VALUE_NUMBER; break;
  default: return false;
  }
  kz_make_boolean(out, result);
  return true;
}

/* ---- numbers -------------------------------------------------------------------- */

static bool fn_rounding(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                        size_t count, kz_term *out) {
  (void)count;
  kz_number n, result;
  if (!number_of(&args[0], &n) || !kz_number_round(&result, expr->op, &n))
    return false;
  /* The W3C tests expect CEIL(2.5) as "3"^^xsd:decimal (the same value as
   * the canonical "3.0"). */
  return kz_make_number(env, out, &result,
                        expr->op == KZ_OP_ABS ? KZ_STYLE_CANONICAL : KZ_STYLE_INTEGRAL_DECIMAL);
}

/* A xorshift64* generator per thread, seeded from the clock and an
 * address: RAND() needs no quality beyond looking random. */
static double next_random(void) {
  static _Thread_local uint64_t state;
  if (state == 0) {
    struct timespec now;
    timespec_get(&now, TIME_UTC);
    state =
        ((uint64_t)now.tv_sec * 1000000007u) ^ (uint64_t)now.tv_nsec ^ (uint64_t)(uintptr_t)&state;
    if (state == 0)
      state = 0x9E3779B97F4A7C15u;
  }
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  uint64_t bits = state * 0x2545F4914F6CDD1Du;
  return (double)(bits >> 11) / 9007199254740992.0; /* [0, 1) from 53 bits */
}

static bool fn_rand(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                    kz_term *out) {
  (void)expr, (void)args, (void)count;
  kz_number n = kz_number_double(next_random());
  return kz_make_number(env, out, &n, KZ_STYLE_CANONICAL);
}

/* ---- strings ---------------------------------------------------------------------- */

static bool fn_strlen(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                      kz_term *out) {
  (void)expr, (void)count;
  if (!kz_term_is_string_literal(&args[0]))
    return false;
  return kz_make_integer(env, out, (kz_i128)kz_utf8_length(args[0].value, strlen(args[0].value)));
}

/* XPath's fn:substring: the characters at positions p (from 1) with
 * round(start) <= p < round(start) + round(length). */
static bool fn_substr(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                      kz_term *out) {
  (void)expr;
  kz_number start_number, length_number;
  if (!kz_term_is_string_literal(&args[0]) || !number_of(&args[1], &start_number) ||
      (count == 3 && !number_of(&args[2], &length_number)))
    return false;
  const char *s = args[0].value;
  size_t size = strlen(s), length = kz_utf8_length(s, size);
  kz_number rounded;
  kz_number_round(&rounded, KZ_OP_ROUND, &start_number);
  double first = kz_number_to_double(&rounded), end = INFINITY;
  if (count == 3) {
    kz_number_round(&rounded, KZ_OP_ROUND, &length_number);
    end = first + kz_number_to_double(&rounded);
  }
  /* Clamp to the characters there are; NaN anywhere selects nothing. */
  if (!(first >= 1))
    first = isnan(first) ? INFINITY : 1;
  if (!(end <= (double)length + 1))
    end = isnan(end) ? 0 : (double)length + 1;
  if (!(first < end))
    return make_like(env, out, &args[0], "", 0);
  size_t from = kz_utf8_offset(s, size, (size_t)first - 1);
  size_t to = kz_utf8_offset(s, size, (size_t)end - 1);
  return make_like(env, out, &args[0], s + from, to - from);
}

/* ---- case mapping: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic ---- */

/* upper_first + i <-> lower_first + i for i < count */
static const struct {
  uint32_t upper_first, lower_first, count;
} case_runs[] = {
    {0x41, 0x61, 26},  {0xC0, 0xE0, 23},   {0xD8, 0xF8, 7},    {0x386, 0x3AC, 1},
    {0x388, 0x3AD, 3}, {0x38C, 0x3CC, 1},  {0x38E, 0x3CD, 2},  {0x391, 0x3B1, 17},
    {0x3A3, 0x3C3, 9}, {0x400, 0x450, 16}, {0x410, 0x430, 32},
};

/* In [first, first + count) an upper case letter is followed by its lower
 * case one. */
static const struct {
  uint32_t first, count;
} case_pairs[] = {
    {0x100, 0x30}, {0x132, 6},    {0x139, 0x10}, {0x14A, 0x2E}, {0x179, 6},
    {0x460, 0x22}, {0x48A, 0x36}, {0x4C1, 0x0E}, {0x4D0, 0x60},
};

/* Mappings that have no way back. */
static const struct {
  uint32_t from, to;
} to_upper_only[] = {{0xB5, 0x39C}, {0xFF, 0x178}, {0x131, 0x49}, {0x17F, 0x53}, {0x3C2, 0x3A3}},
  to_lower_only[] = {{0x178, 0xFF}, {0x130, 0x69}};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t map_case(uint32_t c, bool upper) {
  for (size_t i = 0; i < COUNT_OF(case_runs); i++) {
    uint32_t from = upper ? case_runs[i].lower_first : case_runs[i].upper_first;
    uint32_t to = upper ? case_runs[i].upper_first : case_runs[i].lower_first;
    if (c >= from && c < from + case_runs[i].count)
      return to + (c - from);
  }
  for (size_t i = 0; i < COUNT_OF(case_pairs); i++) {
    uint32_t offset = c - case_pairs[i].first;
    if (c >= case_pairs[i].first && offset < case_pairs[i].count) {
      bool is_lower = offset % 2 == 1;
      return upper ? (is_lower ? c - 1 : c) : (is_lower ? c : c + 1);
    }
  }
  size_t n = upper ? COUNT_OF(to_upper_only) : COUNT_OF(to_lower_only);
  for (size_t i = 0; i < n; i++) {
    uint32_t from = upper ? to_upper_only[i].from : to_lower_only[i].from;
    if (c == from)
      return upper ? to_upper_only[i].to : to_lower_only[i].to;
  }
  return c;
}

/* Decodes one UTF-8 sequence at s (size bytes left, at least 1); a bad
 * byte decodes as itself with length 1. */
static uint32_t utf8_decode(const unsigned char *s, size_t size, size_t *length) {
  unsigned char b = s[0];
  size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (n == 0 || n > size) {
    *length = 1;
    return b;
  }
  uint32_t c = n == 1 ? b : b & (0x7F >> n);
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *length = 1;
      return b;
    }
    c = (c << 6) | (s[i] & 0x3F);
  }
  *length = n;
  return c;
}

static size_t utf8_encode(uint32_t c, char *out) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (c >> 18));
  out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

static bool fn_case(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                    kz_term *out) {
  (void)count;
  if (!kz_term_is_string_literal(&args[0]))
    return false;
  const unsigned char *s = (const unsigned char *)args[0].value;
  size_t size = strlen(args[0].value);
  /* No mapping in the tables lengthens a character's UTF-8 form (U+0130,
   * U+0131 and U+017F even shorten to ASCII), so the result fits in size. */
  char *result = kz_arena_alloc(env->scratch, size + 1);
  if (!result)
    return kz_expr_fail(env);
  size_t at = 0;
  for (size_t i = 0; i < size;) {
    size_t length;
    uint32_t c = utf8_decode(s + i, size - i, &length);
    uint32_t mapped = map_case(c, expr->op == KZ_OP_UCASE);
    if (mapped == c || (length == 1 && c >= 0x80)) { /* unchanged, or a stray byte */
      memcpy(result + at, s + i, length);
      at += length;
    } else {
      at += utf8_encode(mapped, result + at);
    }
    i += length;
  }
  result[at] = '\0';
  kz_make_literal_borrowed(out, result, language_of(&args[0]), NULL);
  return true;
}

static bool fn_encode_for_uri(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                              size_t count, kz_term *out) {
  (void)expr, (void)count;
  if (!kz_term_is_string_literal(&args[0]))
    return false;
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *s = (const unsigned char *)args[0].value;
  size_t size = strlen(args[0].value);
  char *result = kz_arena_alloc(env->scratch, size * 3 + 1);
  if (!result)
    return kz_expr_fail(env);
  size_t at = 0;
  for (size_t i = 0; i < size; i++) {
    unsigned char c = s[i];
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      result[at++] = (char)c;
    } else {
      result[at++] = '%';
      result[at++] = hex[c >> 4];
      result[at++] = hex[c & 15];
    }
  }
  kz_make_literal_borrowed(out, result, NULL, NULL);
  return true;
}

/* CONCAT keeps a language tag that all its arguments share, and otherwise
 * gives a simple literal. */
static bool fn_concat(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                      kz_term *out) {
  (void)expr;
  size_t total = 0;
  const char *language = count > 0 ? language_of(&args[0]) : NULL;
  for (size_t i = 0; i < count; i++) {
    if (!kz_term_is_string_literal(&args[i]))
      return false;
    const char *l = language_of(&args[i]);
    if (!language || !l || !kz_ascii_iequal(language, l))
      language = NULL;
    total += strlen(args[i].value);
  }
  char *result = kz_arena_alloc(env->scratch, total + 1);
  if (!result)
    return kz_expr_fail(env);
  size_t at = 0;
  for (size_t i = 0; i < count; i++) {
    size_t n = strlen(args[i].value);
    memcpy(result + at, args[i].value, n);
    at += n;
  }
  kz_make_literal_borrowed(out, result, language, NULL);
  return true;
}

/* CONTAINS, STRSTARTS, STRENDS, STRBEFORE, STRAFTER. */
static bool fn_string_search(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                             size_t count, kz_term *out) {
  (void)count;
  if (!compatible(&args[0], &args[1]))
    return false;
  const char *s = args[0].value, *needle = args[1].value;
  size_t size = strlen(s), n = strlen(needle);
  const char *found = strstr(s, needle);
  switch (expr->op) {
  case KZ_OP_CONTAINS: kz_make_boolean(out, found != NULL); return true;
  case KZ_OP_STRSTARTS: kz_make_boolean(out, strncmp(s, needle, n) == 0); return true;
  case KZ_OP_STRENDS:
    kz_make_boolean(out, n <= size && memcmp(s + size - n, needle, n) == 0);
    return true;
  case KZ_OP_STRBEFORE:
    if (!found)
      break;
    return make_like(env, out, &args[0], s, (size_t)(found - s));
  case KZ_OP_STRAFTER:
    if (!found)
      break;
    return make_like(env, out, &args[0], found + n, size - (size_t)(found - s) - n);
  default: return false;
  }
  kz_make_literal_borrowed(out, "", NULL, NULL); /* no match: an empty simple literal */
  return true;
}

static bool fn_regex(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                     kz_term *out) {
  if (!kz_term_is_string_literal(&args[0]) || !kz_term_is_simple(&args[1]) ||
      (count == 3 && !kz_term_is_simple(&args[2])))
    return false;
  kz_regex regex;
  if (!kz_regex_get(&regex, env, expr, args[1].value, count == 3 ? args[2].value : NULL))
    return false;
  int found = kz_regex_search(&regex, args[0].value, strlen(args[0].value), 0);
  kz_regex_release(&regex);
  if (found < 0)
    return false;
  kz_make_boolean(out, found);
  return true;
}

static bool fn_replace(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                       kz_term *out) {
  if (!kz_term_is_string_literal(&args[0]) || !kz_term_is_simple(&args[1]) ||
      !kz_term_is_simple(&args[2]) || (count == 4 && !kz_term_is_simple(&args[3])))
    return false;
  kz_regex regex;
  if (!kz_regex_get(&regex, env, expr, args[1].value, count == 4 ? args[3].value : NULL))
    return false;
  char *result;
  size_t size;
  bool ok = kz_regex_replace(&result, &size, env, &regex, args[0].value, strlen(args[0].value),
                             args[2].value);
  kz_regex_release(&regex);
  if (!ok)
    return false;
  kz_make_literal_borrowed(out, result, language_of(&args[0]), NULL);
  return true;
}

/* ---- dates and times ------------------------------------------------------------- */

static bool fn_date_part(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                         size_t count, kz_term *out) {
  (void)count;
  kz_value v;
  kz_value_kind kind = kz_value_of(&args[0], &v);
  bool date_part = expr->op == KZ_OP_YEAR || expr->op == KZ_OP_MONTH || expr->op == KZ_OP_DAY;
  if (kind != KZ_VALUE_DATETIME && !(kind == KZ_VALUE_DATE && date_part))
    return false;
  const kz_datetime *d = &v.datetime;
  switch (expr->op) {
  case KZ_OP_YEAR: return kz_make_integer(env, out, d->year);
  case KZ_OP_MONTH: return kz_make_integer(env, out, d->month);
  case KZ_OP_DAY: return kz_make_integer(env, out, d->day);
  case KZ_OP_HOURS: return kz_make_integer(env, out, d->hour);
  case KZ_OP_MINUTES: return kz_make_integer(env, out, d->minute);
  case KZ_OP_SECONDS: return kz_make_number(env, out, &d->seconds, KZ_STYLE_INTEGRAL_DECIMAL);
  default: return false;
  }
}

/* TIMEZONE: the offset as an xsd:dayTimeDuration ("-PT8H", "PT0S"). */
static bool fn_timezone(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args,
                        size_t count, kz_term *out) {
  (void)expr, (void)count;
  kz_value v;
  kz_value_kind kind = kz_value_of(&args[0], &v);
  if ((kind != KZ_VALUE_DATETIME && kind != KZ_VALUE_DATE) || !v.datetime.has_tz)
    return false;
  int minutes = v.datetime.tz_minutes;
  char buf[32];
  if (minutes == 0) {
    snprintf(buf, sizeof buf, "PT0S");
  } else {
    int magnitude = minutes < 0 ? -minutes : minutes;
    int at = snprintf(buf, sizeof buf, "%sPT", minutes < 0 ? "-" : "");
    if (magnitude / 60)
      at += snprintf(buf + at, sizeof buf - (size_t)at, "%dH", magnitude / 60);
    if (magnitude % 60)
      snprintf(buf + at, sizeof buf - (size_t)at, "%dM", magnitude % 60);
  }
  return kz_make_literal(env, out, buf, strlen(buf), NULL, KZ_XSD_DAYTIMEDURATION);
}

/* TZ: the time zone as written ("Z", "-08:00"), or "" when there is none.
 * It is the end of the lexical form, so it is borrowed from it. */
static bool fn_tz(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                  kz_term *out) {
  (void)env, (void)expr, (void)count;
  kz_value v;
  kz_value_kind kind = kz_value_of(&args[0], &v);
  if (kind != KZ_VALUE_DATETIME && kind != KZ_VALUE_DATE)
    return false;
  kz_make_literal_borrowed(out, v.datetime.tz_text, NULL, NULL);
  return true;
}

static bool fn_now(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                   kz_term *out) {
  (void)expr, (void)args, (void)count;
  if (!env->now)
    return false;
  kz_make_literal_borrowed(out, env->now, NULL, KZ_XSD_DATETIME);
  return true;
}

/* ---- identifiers and digests ------------------------------------------------------ */

static bool fn_uuid(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                    kz_term *out) {
  (void)args, (void)count;
  uuid_t uuid;
  char text[64] = "urn:uuid:";
  size_t prefix = strlen(text);
  uuid_generate_random(uuid);
  uuid_unparse_lower(uuid, text + prefix);
  bool is_iri = expr->op == KZ_OP_UUID;
  const char *start = is_iri ? text : text + prefix;
  char *copy = kz_arena_strdup(env->scratch, start);
  if (!copy)
    return kz_expr_fail(env);
  if (is_iri)
    *out = (kz_term){.kind = KZ_TERM_IRI, .value = copy};
  else
    kz_make_literal_borrowed(out, copy, NULL, NULL);
  return true;
}

static const struct {
  kz_sparql_op op;
  const struct nettle_hash *hash;
} digests[] = {
    {KZ_OP_MD5, &nettle_md5},       {KZ_OP_SHA1, &nettle_sha1},     {KZ_OP_SHA256, &nettle_sha256},
    {KZ_OP_SHA384, &nettle_sha384}, {KZ_OP_SHA512, &nettle_sha512},
};

/* Large and aligned enough for the context of any hash above. */
typedef union hash_context {
  struct md5_ctx md5;
  struct sha1_ctx sha1;
  struct sha256_ctx sha256;
  struct sha512_ctx sha512;
} hash_context;

/* MD5 ... SHA512 of the UTF-8 bytes, as lower-case hex. */
static bool fn_digest(kz_expr_env *env, const kz_alg_expr *expr, const kz_term *args, size_t count,
                      kz_term *out) {
  (void)count;
  if (!kz_term_is_simple(&args[0]))
    return false;
  const struct nettle_hash *hash = NULL;
  for (size_t i = 0; i < COUNT_OF(digests); i++)
    if (digests[i].op == expr->op)
      hash = digests[i].hash;
  if (!hash)
    return false;
  hash_context ctx;
  uint8_t digest[SHA512_DIGEST_SIZE];
  hash->init(&ctx);
  hash->update(&ctx, strlen(args[0].value), (const uint8_t *)args[0].value);
  hash->digest(&ctx, hash->digest_size, digest);
  char hex[2 * SHA512_DIGEST_SIZE + 1];
  for (unsigned i = 0; i < hash->digest_size; i++)
    snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  return kz_make_literal(env, out, hex, 2 * hash->digest_size, NULL, NULL);
}

/* ---- the table ---------------------------------------------------------------------- */

#define ANY SIZE_MAX

static const kz_builtin builtins[] = {
    [KZ_OP_STR] = {KZ_OP_STR, fn_str, 1, 1},
    [KZ_OP_LANG] = {KZ_OP_LANG, fn_lang, 1, 1},
    [KZ_OP_LANGMATCHES] = {KZ_OP_LANGMATCHES, fn_langmatches, 2, 2},
    [KZ_OP_DATATYPE] = {KZ_OP_DATATYPE, fn_datatype, 1, 1},
    [KZ_OP_IRI] = {KZ_OP_IRI, fn_iri, 1, 1},
    [KZ_OP_URI] = {KZ_OP_URI, fn_iri, 1, 1},
    [KZ_OP_BNODE] = {KZ_OP_BNODE, fn_bnode, 0, 1},
    [KZ_OP_RAND] = {KZ_OP_RAND, fn_rand, 0, 0},
    [KZ_OP_ABS] = {KZ_OP_ABS, fn_rounding, 1, 1},
    [KZ_OP_CEIL] = {KZ_OP_CEIL, fn_rounding, 1, 1},
    [KZ_OP_FLOOR] = {KZ_OP_FLOOR, fn_rounding, 1, 1},
    [KZ_OP_ROUND] = {KZ_OP_ROUND, fn_rounding, 1, 1},
    [KZ_OP_CONCAT] = {KZ_OP_CONCAT, fn_concat, 0, ANY},
    [KZ_OP_SUBSTR] = {KZ_OP_SUBSTR, fn_substr, 2, 3},
    [KZ_OP_STRLEN] = {KZ_OP_STRLEN, fn_strlen, 1, 1},
    [KZ_OP_REPLACE] = {KZ_OP_REPLACE, fn_replace, 3, 4},
    [KZ_OP_UCASE] = {KZ_OP_UCASE, fn_case, 1, 1},
    [KZ_OP_LCASE] = {KZ_OP_LCASE, fn_case, 1, 1},
    [KZ_OP_ENCODE_FOR_URI] = {KZ_OP_ENCODE_FOR_URI, fn_encode_for_uri, 1, 1},
    [KZ_OP_CONTAINS] = {KZ_OP_CONTAINS, fn_string_search, 2, 2},
    [KZ_OP_STRSTARTS] = {KZ_OP_STRSTARTS, fn_string_search, 2, 2},
    [KZ_OP_STRENDS] = {KZ_OP_STRENDS, fn_string_search, 2, 2},
    [KZ_OP_STRBEFORE] = {KZ_OP_STRBEFORE, fn_string_search, 2, 2},
    [KZ_OP_STRAFTER] = {KZ_OP_STRAFTER, fn_string_search, 2, 2},
    [KZ_OP_YEAR] = {KZ_OP_YEAR, fn_date_part, 1, 1},
    [KZ_OP_MONTH] = {KZ_OP_MONTH, fn_date_part, 1, 1},
    [KZ_OP_DAY] = {KZ_OP_DAY, fn_date_part, 1, 1},
    [KZ_OP_HOURS] = {KZ_OP_HOURS, fn_date_part, 1, 1},
    [KZ_OP_MINUTES] = {KZ_OP_MINUTES, fn_date_part, 1, 1},
    [KZ_OP_SECONDS] = {KZ_OP_SECONDS, fn_date_part, 1, 1},
    [KZ_OP_TIMEZONE] = {KZ_OP_TIMEZONE, fn_timezone, 1, 1},
    [KZ_OP_TZ] = {KZ_OP_TZ, fn_tz, 1, 1},
    [KZ_OP_NOW] = {KZ_OP_NOW, fn_now, 0, 0},
    [KZ_OP_UUID] = {KZ_OP_UUID, fn_uuid, 0, 0},
    [KZ_OP_STRUUID] = {KZ_OP_STRUUID, fn_uuid, 0, 0},
    [KZ_OP_MD5] = {KZ_OP_MD5, fn_digest, 1, 1},
    [KZ_OP_SHA1] = {KZ_OP_SHA1, fn_digest, 1, 1},
    [KZ_OP_SHA256] = {KZ_OP_SHA256, fn_digest, 1, 1},
    [KZ_OP_SHA384] = {KZ_OP_SHA384, fn_digest, 1, 1},
    [KZ_OP_SHA512] = {KZ_OP_SHA512, fn_digest, 1, 1},
    [KZ_OP_STRLANG] = {KZ_OP_STRLANG, fn_strlang, 2, 2},
    [KZ_OP_STRDT] = {KZ_OP_STRDT, fn_strdt, 2, 2},
    [KZ_OP_SAMETERM] = {KZ_OP_SAMETERM, fn_sameterm, 2, 2},
    [KZ_OP_ISIRI] = {KZ_OP_ISIRI, fn_is_kind, 1, 1},
    [KZ_OP_ISURI] = {KZ_OP_ISURI, fn_is_kind, 1, 1},
    [KZ_OP_ISBLANK] = {KZ_OP_ISBLANK, fn_is_kind, 1, 1},
    [KZ_OP_ISLITERAL] = {KZ_OP_ISLITERAL, fn_is_kind, 1, 1},
    [KZ_OP_ISNUMERIC] = {KZ_OP_ISNUMERIC, fn_is_kind, 1, 1},
    [KZ_OP_REGEX] = {KZ_OP_REGEX, fn_regex, 2, 3},
};

const kz_builtin *kz_builtin_find(kz_sparql_op op) {
  if ((size_t)op >= COUNT_OF(builtins) || !builtins[op].fn)
    return NULL;
  return &builtins[op];
}

/* ---- casts (17.5) ----------------------------------------------------------------- */

/* The cast targets: the XSD types SPARQL lists, xsd:date, and the derived
 * integer types (checked against their ranges by kz_number_parse). */
typedef enum cast_target {
  CAST_STRING,
  CAST_BOOLEAN,
  CAST_NUMBER,
  CAST_DATETIME,
  CAST_DATE
} cast_target;

/* The lexical form with XML Schema's whitespace collapsing for the types
 * other than xsd:string: leading and trailing blanks go. */
static char *trimmed(kz_expr_env *env, const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
    n--;
  return kz_arena_strndup(env->scratch, s, n);
}

/* A number into the numeric datatype target (a derived integer type gets
 * its range checked). */
static bool number_to(kz_expr_env *env, kz_term *out, const kz_number *n, const char *target) {
  kz_num_type type;
  kz_number converted, check;
  if (!kz_datatype_numeric_type(target, &type) || !kz_number_convert(&converted, n, type))
    return false;
  char *lexical = kz_number_format(env->scratch, &converted, KZ_STYLE_CANONICAL);
  if (!lexical)
    return kz_expr_fail(env);
  if (!kz_number_parse(&check, lexical, target))
    return false; /* out of the derived type's range */
  kz_make_literal_borrowed(out, lexical, NULL, target);
  return true;
}

static bool cast_to(kz_expr_env *env, kz_term *out, const kz_term *arg, const char *target,
                    cast_target kind) {
  if (arg->kind == KZ_TERM_IRI) {
    if (kind != CAST_STRING)
      return false;
    kz_make_literal_borrowed(out, arg->value, NULL, NULL);
    return true;
  }
  kz_value v;
  switch (kz_value_of(arg, &v)) {
  case KZ_VALUE_STRING: {
    if (kind == CAST_STRING) {
      kz_make_literal_borrowed(out, arg->value, NULL, NULL);
      return true;
    }
    char *lexical = trimmed(env, arg->value);
    if (!lexical)
      return kz_expr_fail(env);
    kz_term typed;
    kz_make_literal_borrowed(&typed, lexical, NULL, target);
    if (kz_value_of(&typed, &v) == KZ_VALUE_NONE)
      return false; /* not in the target's lexical space */
    if (kind == CAST_NUMBER)
      return number_to(env, out, &v.number, target);
    if (kind == CAST_BOOLEAN) {
      kz_make_boolean(out, v.boolean);
      return true;
    }
    *out = typed;
    return true;
  }
  case KZ_VALUE_NUMBER:
    switch (kind) {
    case CAST_STRING: {
      char *lexical = kz_number_to_xpath_string(env->scratch, &v.number);
      if (!lexical)
        return kz_expr_fail(env);
      kz_make_literal_borrowed(out, lexical, NULL, NULL);
      return true;
    }
    case CAST_BOOLEAN:
      kz_make_boolean(out, !kz_number_is_zero(&v.number) && !kz_number_is_nan(&v.number));
      return true;
    case CAST_NUMBER: return number_to(env, out, &v.number, target);
    default: return false;
    }
  case KZ_VALUE_BOOLEAN:
    switch (kind) {
    case CAST_STRING:
      kz_make_literal_borrowed(out, v.boolean ? "true" : "false", NULL, NULL);
      return true;
    case CAST_BOOLEAN: kz_make_boolean(out, v.boolean); return true;
    case CAST_NUMBER: {
      kz_number n = kz_number_integer(v.boolean);
      return number_to(env, out, &n, target);
    }
    default: return false;
    }
  case KZ_VALUE_DATETIME:
  case KZ_VALUE_DATE: {
    const kz_datetime *d = &v.datetime;
    if (kind == CAST_STRING) {
      kz_make_literal_borrowed(out, arg->value, NULL, NULL);
      return true;
    }
    if (kind != CAST_DATETIME && kind != CAST_DATE)
      return false;
    bool from_time = d->has_time;
    if ((kind == CAST_DATETIME) == from_time) {
      kz_make_literal_borrowed(out, arg->value, NULL, target);
      return true;
    }
    /* dateTime to date keeps the date and the zone; date to dateTime is
     * midnight at the start of it. */
    size_t date_length = (size_t)(strchr(arg->value + 1, '-') - arg->value) + 6;
    char buf[96];
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)date_length, arg->value,
             kind == CAST_DATETIME ? "T00:00:00" : "", d->tz_text);
    return kz_make_literal(env, out, buf, strlen(buf), NULL, target);
  }
  default: return false; /* blank nodes, tagged strings, unknown or ill-typed values */
  }
}

bool kz_function_call(kz_expr_env *env, const char *iri, const kz_term *args, size_t count,
                      kz_term *out) {
  if (strncmp(iri, KZ_XSD_NS, XSD_NS_LENGTH) != 0 || count != 1)
    return false; /* no other functions are known */
  const char *local = iri + XSD_NS_LENGTH;
  cast_target kind;
  if (strcmp(local, "string") == 0)
    kind = CAST_STRING;
  else if (strcmp(local, "boolean") == 0)
    kind = CAST_BOOLEAN;
  else if (strcmp(local, "dateTime") == 0)
    kind = CAST_DATETIME;
  else if (strcmp(local, "date") == 0)
    kind = CAST_DATE;
  else if (kz_datatype_is_numeric(iri))
    kind = CAST_NUMBER;
  else
    return false;
  return cast_to(env, out, &args[0], iri, kind);
}
