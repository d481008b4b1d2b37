/*
 * XSD values for the SPARQL operators: the lexical spaces of the numeric
 * types (with the range facets of the derived integer types), xsd:boolean,
 * xsd:dateTime and xsd:date; canonical lexical forms; exact decimal
 * arithmetic; and the orders of numbers and dates.
 *
 * Exact numbers are a kz_i128 `digits` scaled by 10^-scale. Every function
 * that builds one normalizes it (a decimal never ends in a zero digit
 * after the point; an integer has scale 0), so two equal decimals have the
 * same representation. Operations check for 128-bit overflow and report it
 * as a failure, which the callers turn into a SPARQL error. Floats are
 * carried in a double but always hold a value a float can represent.
 *
 * Canonical forms follow XSD 1.0, which is what the W3C SPARQL tests
 * expect: "3" for an integer, "3.0" for a decimal, "1.5E0" for a double.
 * Floating-point numbers are printed with the fewest digits that read
 * back to the same value. Conversions use strtod and snprintf, which
 * depend on the C locale's decimal point; the library never calls
 * setlocale, so a program that does must keep LC_NUMERIC at "C".
 */
#include "eval/value.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define XSD_NS_LENGTH (sizeof KZ_XSD_NS - 1)

/* Exact numbers keep below 10^38 when read from text. */
#define MAX_DIGITS 38

/* ---- 128-bit helpers ---------------------------------------------------- */

static kz_i128 pow10i(int exponent) {
  kz_i128 v = 1;
  for (int i = 0; i < exponent; i++)
    v *= 10;
  return v;
}

/* *v *= 10^by, false on overflow. */
static bool scale_up(kz_i128 *v, int by) {
  for (int i = 0; i < by; i++)
    if (__builtin_mul_overflow(*v, 10, v))
      return false;
  return true;
}

/* v / 10^by rounded half away from zero. */
static kz_i128 scale_down(kz_i128 v, int by) {
  if (by > MAX_DIGITS)
    return 0; /* |v| < 2^127 < 10^39 / 2 */
  kz_i128 divisor = pow10i(by);
  kz_i128 q = v / divisor, r = v % divisor;
  if (r < 0)
    r = -r;
  if (r >= divisor - r)
    q += v < 0 ? -1 : 1;
  return q;
}

/* Writes |v| in decimal into buf (at least 41 bytes); returns the length. */
static size_t format_magnitude(char *buf, kz_i128 v) {
  char tmp[48];
  size_t n = 0;
  do {
    int digit = (int)(v % 10);
    tmp[n++] = (char)('0' + (digit < 0 ? -digit : digit));
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; i++)
    buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return n;
}

static void normalize(kz_number *n) {
  while (n->scale > 0 && n->digits % 10 == 0) {
    n->digits /= 10;
    n->scale--;
  }
  if (n->digits == 0)
    n->scale = 0;
}

/* Normalizes n and checks the invariant |digits| < 10^38, which keeps
 * every negation of digits defined. */
static bool normalized_in_range(kz_number *n) {
  normalize(n);
  kz_i128 limit = pow10i(MAX_DIGITS);
  return n->digits > -limit && n->digits < limit;
}

kz_number kz_number_integer(kz_i128 value) {
  return (kz_number){.type = KZ_NUM_INTEGER, .digits = value};
}

kz_number kz_number_double(double value) {
  return (kz_number){.type = KZ_NUM_DOUBLE, .real = value};
}

/* ---- datatypes ---------------------------------------------------------- */

/* The numeric datatypes and the ranges of the derived integer types. */
typedef struct numeric_datatype {
  const char *local; /* after the XSD namespace */
  kz_num_type type;
  bool has_min, has_max;
  kz_i128 min, max;
} numeric_datatype;

static const numeric_datatype numeric_datatypes[] = {
    {"integer", KZ_NUM_INTEGER, false, false, 0, 0},
    {"decimal", KZ_NUM_DECIMAL, false, false, 0, 0},
    {"double", KZ_NUM_DOUBLE, false, false, 0, 0},
    {"float", KZ_NUM_FLOAT, false, false, 0, 0},
    {"long", KZ_NUM_INTEGER, true, true, INT64_MIN, INT64_MAX},
    {"int", KZ_NUM_INTEGER, true, true, INT32_MIN, INT32_MAX},
    {"short", KZ_NUM_INTEGER, true, true, INT16_MIN, INT16_MAX},
    {"byte", KZ_NUM_INTEGER, true, true, INT8_MIN, INT8_MAX},
    {"nonNegativeInteger", KZ_NUM_INTEGER, true, false, 0, 0},
    {"positiveInteger", KZ_NUM_INTEGER, true, false, 1, 0},
    {"nonPositiveInteger", KZ_NUM_INTEGER, false, true, 0, 0},
    {"negativeInteger", KZ_NUM_INTEGER, false, true, 0, -1},
    {"unsignedLong", KZ_NUM_INTEGER, true, true, 0, UINT64_MAX},
    {"unsignedInt", KZ_NUM_INTEGER, true, true, 0, UINT32_MAX},
    {"unsignedShort", KZ_NUM_INTEGER, true, true, 0, UINT16_MAX},
    {"unsignedByte", KZ_NUM_INTEGER, true, true, 0, UINT8_MAX},
};

static const numeric_datatype *numeric_datatype_of(const char *datatype) {
  if (!datatype || strncmp(datatype, KZ_XSD_NS, XSD_NS_LENGTH) != 0)
    return NULL;
  const char *local = datatype + XSD_NS_LENGTH;
  for (size_t i = 0; i < sizeof numeric_datatypes / sizeof numeric_datatypes[0]; i++)
    if (strcmp(local, numeric_datatypes[i].local) == 0)
      return &numeric_datatypes[i];
  return NULL;
}

bool kz_datatype_is_numeric(const char *datatype) { return numeric_datatype_of(datatype) != NULL; }

bool kz_datatype_numeric_type(const char *datatype, kz_num_type *type) {
  const numeric_datatype *dt = numeric_datatype_of(datatype);
  if (dt)
    *type = dt->type;
  return dt != NULL;
}

const char *kz_number_datatype(kz_num_type type) {
  switch (type) {
  case KZ_NUM_INTEGER: return KZ_XSD_INTEGER;
  case KZ_NUM_DECIMAL: return KZ_XSD_DECIMAL;
  case KZ_NUM_FLOAT: return KZ_XSD_FLOAT;
  case KZ_NUM_DOUBLE: return KZ_XSD_DOUBLE;
  }
  return KZ_XSD_DOUBLE;
}

/* ---- lexical forms of numbers --------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* [+-]? digits ('.' digits?)? | [+-]? '.' digits, the point only when
 * allow_point. Digits past what 128 bits hold after the point are dropped;
 * an integer part of more than MAX_DIGITS digits fails. */
static bool parse_exact(const char *s, bool allow_point, kz_number *out) {
  bool negative = false;
  if (*s == '+' || *s == '-')
    negative = *s++ == '-';
  kz_i128 digits = 0;
  int scale = 0, significant = 0, seen = 0;
  for (; is_digit(*s); s++, seen++) {
    if (digits == 0 && *s == '0')
      continue;
    if (++significant > MAX_DIGITS)
      return false;
    digits = digits * 10 + (*s - '0');
  }
  if (*s == '.' && allow_point) {
    s++;
    for (; is_digit(*s); s++, seen++) {
      if (significant >= MAX_DIGITS || scale >= MAX_DIGITS)
        continue; /* beyond our precision: truncated */
      if (digits != 0 || *s != '0')
        significant++;
      digits = digits * 10 + (*s - '0');
      scale++;
    }
  }
  if (*s != '\0' || seen == 0)
    return false;
  out->type = allow_point ? KZ_NUM_DECIMAL : KZ_NUM_INTEGER;
  out->digits = negative ? -digits : digits;
  out->scale = scale;
  out->real = 0;
  normalize(out);
  return true;
}

/* The lexical space of xsd:double and xsd:float (XSD 1.1: "+INF" too). */
static bool valid_floating(const char *s) {
  if (strcmp(s, "NaN") == 0)
    return true;
  if (strcmp(s + (*s == '+' || *s == '-'), "INF") == 0)
    return true;
  if (!(s = kz_xsd_number_read(s, true)))
    return false;
  if (*s == 'e' || *s == 'E')
    s = kz_xsd_number_read(s + 1, false);
  return s && *s == '\0';
}

static bool parse_floating(const char *s, kz_num_type type, kz_number *out) {
  if (!valid_floating(s))
    return false;
  double v;
  const char *body = (*s == '+' || *s == '-') ? s + 1 : s;
  if (strcmp(s, "NaN") == 0)
    v = NAN;
  else if (strcmp(body, "INF") == 0)
    v = *s == '-' ? -INFINITY : INFINITY;
  else if (type == KZ_NUM_FLOAT)
    v = strtof(s, NULL);
  else
    v = strtod(s, NULL);
  *out = (kz_number){.type = type, .real = v};
  return true;
}

bool kz_number_parse(kz_number *out, const char *lexical, const char *datatype) {
  const numeric_datatype *dt = numeric_datatype_of(datatype);
  if (!dt || !lexical)
    return false;
  if (dt->type == KZ_NUM_FLOAT || dt->type == KZ_NUM_DOUBLE)
    return parse_floating(lexical, dt->type, out);
  if (!parse_exact(lexical, dt->type == KZ_NUM_DECIMAL, out))
    return false;
  if ((dt->has_min && out->digits < dt->min) || (dt->has_max && out->digits > dt->max))
    return false;
  return true;
}

bool kz_boolean_parse(bool *out, const char *lexical) {
  if (strcmp(lexical, "true") == 0 || strcmp(lexical, "1") == 0)
    *out = true;
  else if (strcmp(lexical, "false") == 0 || strcmp(lexical, "0") == 0)
    *out = false;
  else
    return false;
  return true;
}

/* ---- formatting numbers ---------------------------------------------------- */

static char *format_decimal(kz_arena *arena, kz_i128 digits, int scale, bool integral_form) {
  char magnitude[48], buf[96];
  size_t length = format_magnitude(magnitude, digits);
  size_t at = 0;
  if (digits < 0)
    buf[at++] = '-';
  if (scale == 0) {
    memcpy(buf + at, magnitude, length);
    at += length;
    if (!integral_form) {
      memcpy(buf + at, ".0", 2);
      at += 2;
    }
  } else if (length <= (size_t)scale) {
    buf[at++] = '0';
    buf[at++] = '.';
    for (size_t i = length; i < (size_t)scale; i++)
      buf[at++] = '0';
    memcpy(buf + at, magnitude, length);
    at += length;
  } else {
    size_t whole = length - (size_t)scale;
    memcpy(buf + at, magnitude, whole);
    at += whole;
    buf[at++] = '.';
    memcpy(buf + at, magnitude + whole, (size_t)scale);
    at += (size_t)scale;
  }
  return kz_arena_strndup(arena, buf, at);
}

/* The shortest decimal digits of v (finite, not zero) that read back as v
 * (as a float when is_float): digits without a point into `digits`, and
 * the decimal exponent of the first one. */
static void shortest_digits(double v, bool is_float, char digits[32], int *exponent) {
  char tmp[48];
  int max_precision = is_float ? 9 : 17;
  for (int precision = 1; precision <= max_precision; precision++) {
    snprintf(tmp, sizeof tmp, "%.*e", precision - 1, v);
    bool same = is_float ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v;
    if (same)
      break;
  }
  /* tmp is [-]d[.ddd]e[+-]xx */
  const char *p = tmp;
  if (*p == '-')
    p++;
  size_t n = 0;
  for (; *p && *p != 'e'; p++)
    if (is_digit(*p))
      digits[n++] = *p;
  while (n > 1 && digits[n - 1] == '0')
    n--;
  digits[n] = '\0';
  *exponent = atoi(p + 1);
}

/* A float or double: canonical ("1.5E0") or XPath's string form. */
static char *format_floating(kz_arena *arena, double v, bool is_float, bool xpath) {
  if (isnan(v))
    return kz_arena_strdup(arena, "NaN");
  if (isinf(v))
    return kz_arena_strdup(arena, v < 0 ? "-INF" : "INF");
  const char *sign = signbit(v) ? "-" : "";
  if (v == 0)
    return kz_arena_strdup(arena, xpath ? (*sign ? "-0" : "0") : (*sign ? "-0.0E0" : "0.0E0"));
  char digits[32], buf[96];
  int exponent;
  shortest_digits(v, is_float, digits, &exponent);
  size_t n = strlen(digits);
  double magnitude = fabs(v);
  if (xpath && magnitude >= 1e-6 && magnitude < 1e6) {
    size_t at = 0;
    at += (size_t)snprintf(buf + at, sizeof buf - at, "%s", sign);
    if (exponent < 0) {
      at += (size_t)snprintf(buf + at, sizeof buf - at, "0.");
      for (int i = -1; i > exponent; i--)
        buf[at++] = '0';
      memcpy(buf + at, digits, n + 1);
    } else {
      size_t whole = (size_t)exponent + 1;
      for (size_t i = 0; i < whole; i++)
        buf[at++] = i < n ? digits[i] : '0';
      if (n > whole) {
        buf[at++] = '.';
        memcpy(buf + at, digits + whole, n - whole);
        at += n - whole;
      }
      buf[at] = '\0';
    }
    return kz_arena_strdup(arena, buf);
  }
  snprintf(buf, sizeof buf, "%s%c.%sE%d", sign, digits[0], n > 1 ? digits + 1 : "0", exponent);
  return kz_arena_strdup(arena, buf);
}

char *kz_number_format(kz_arena *arena, const kz_number *n, kz_number_style style) {
  bool floating = n->type == KZ_NUM_FLOAT || n->type == KZ_NUM_DOUBLE;
  if (floating && style == KZ_STYLE_INTEGRAL && n->real == trunc(n->real) && fabs(n->real) < 1e15) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.0f", n->real);
    return kz_arena_strdup(arena, buf);
  }
  switch (n->type) {
  case KZ_NUM_INTEGER: return format_decimal(arena, n->digits, 0, true);
  case KZ_NUM_DECIMAL:
    return format_decimal(arena, n->digits, n->scale, style != KZ_STYLE_CANONICAL);
  case KZ_NUM_FLOAT: return format_floating(arena, n->real, true, false);
  case KZ_NUM_DOUBLE: return format_floating(arena, n->real, false, false);
  }
  return NULL;
}

char *kz_number_to_xpath_string(kz_arena *arena, const kz_number *n) {
  switch (n->type) {
  case KZ_NUM_INTEGER:
  case KZ_NUM_DECIMAL: return format_decimal(arena, n->digits, n->scale, true);
  case KZ_NUM_FLOAT: return format_floating(arena, n->real, true, true);
  case KZ_NUM_DOUBLE: return format_floating(arena, n->real, false, true);
  }
  return NULL;
}

/* ---- conversions ------------------------------------------------------------ */

double kz_number_to_double(const kz_number *n) {
  if (n->type == KZ_NUM_FLOAT || n->type == KZ_NUM_DOUBLE)
    return n->real;
  if (n->scale == 0)
    return (double)n->digits;
  /* Through the decimal text, which strtod rounds correctly. */
  char buf[96], magnitude[48];
  format_magnitude(magnitude, n->digits);
  snprintf(buf, sizeof buf, "%s%se-%d", n->digits < 0 ? "-" : "", magnitude, n->scale);
  return strtod(buf, NULL);
}

/* A finite double as the nearest decimal of at most 17 significant digits. */
static bool double_to_decimal(kz_number *out, double v, bool is_float) {
  if (isnan(v) || isinf(v))
    return false;
  *out = (kz_number){.type = KZ_NUM_DECIMAL};
  if (v == 0)
    return true;
  char digits[32];
  int exponent;
  shortest_digits(v, is_float, digits, &exponent);
  kz_i128 value = 0;
  for (const char *p = digits; *p; p++)
    value = value * 10 + (*p - '0');
  /* value * 10^(exponent - (n - 1)) */
  int power = exponent - (int)(strlen(digits) - 1);
  if (power >= 0) {
    if (!scale_up(&value, power))
      return false;
    out->scale = 0;
  } else if (-power > KZ_DECIMAL_MAX_SCALE) {
    value = scale_down(value, -power - KZ_DECIMAL_MAX_SCALE);
    out->scale = KZ_DECIMAL_MAX_SCALE;
  } else {
    out->scale = -power;
  }
  out->digits = v < 0 ? -value : value;
  return normalized_in_range(out);
}

bool kz_number_convert(kz_number *out, const kz_number *n, kz_num_type type) {
  if (n->type == type) {
    *out = *n;
    return true;
  }
  switch (type) {
  case KZ_NUM_INTEGER:
    if (n->type == KZ_NUM_DECIMAL) {
      *out = kz_number_integer(n->digits / pow10i(n->scale));
      return true;
    }
    if (isnan(n->real) || isinf(n->real) || fabs(n->real) >= 1e38)
      return false;
    *out = kz_number_integer((kz_i128)trunc(n->real));
    return true;
  case KZ_NUM_DECIMAL:
    if (n->type == KZ_NUM_INTEGER) {
      *out = *n;
      out->type = KZ_NUM_DECIMAL;
      return true;
    }
    return double_to_decimal(out, n->real, n->type == KZ_NUM_FLOAT);
  case KZ_NUM_FLOAT:
    *out = (kz_number){.type = KZ_NUM_FLOAT, .real = (float)kz_number_to_double(n)};
    return true;
  case KZ_NUM_DOUBLE: *out = kz_number_double(kz_number_to_double(n)); return true;
  }
  return false;
}

/* ---- arithmetic -------------------------------------------------------------- */

/* Brings a and b to the same scale (the larger one). */
static bool align(kz_i128 *a, int a_scale, kz_i128 *b, int b_scale, int *scale) {
  *scale = a_scale > b_scale ? a_scale : b_scale;
  return scale_up(a, *scale - a_scale) && scale_up(b, *scale - b_scale);
}

static bool exact_add(kz_number *out, const kz_number *a, const kz_number *b, bool subtract) {
  kz_i128 x = a->digits, y = b->digits;
  int scale;
  if (!align(&x, a->scale, &y, b->scale, &scale))
    return false;
  kz_i128 sum;
  if (subtract ? __builtin_sub_overflow(x, y, &sum) : __builtin_add_overflow(x, y, &sum))
    return false;
  *out = (kz_number){.type = a->type, .digits = sum, .scale = scale};
  return normalized_in_range(out);
}

static bool exact_multiply(kz_number *out, const kz_number *a, const kz_number *b) {
  kz_i128 product;
  if (__builtin_mul_overflow(a->digits, b->digits, &product))
    return false;
  int scale = a->scale + b->scale;
  if (scale > KZ_DECIMAL_MAX_SCALE) {
    product = scale_down(product, scale - KZ_DECIMAL_MAX_SCALE);
    scale = KZ_DECIMAL_MAX_SCALE;
  }
  *out = (kz_number){.type = a->type, .digits = product, .scale = scale};
  return normalized_in_range(out);
}

/* a / b as a decimal by long division, rounded at KZ_DECIMAL_MAX_SCALE
 * digits after the point (or sooner if 128 bits run out). */
static bool exact_divide(kz_number *out, const kz_number *a, const kz_number *b) {
  if (b->digits == 0)
    return false;
  /* a/b = (a.digits * 10^b.scale) / (b.digits * 10^a.scale) */
  kz_i128 numerator = a->digits, denominator = b->digits;
  if (!scale_up(&numerator, b->scale) || !scale_up(&denominator, a->scale))
    return false;
  bool negative = (numerator < 0) != (denominator < 0);
  if (numerator < 0)
    numerator = -numerator;
  if (denominator < 0)
    denominator = -denominator;
  kz_i128 quotient = numerator / denominator, remainder = numerator % denominator;
  int scale = 0;
  while (remainder != 0 && scale < KZ_DECIMAL_MAX_SCALE) {
    kz_i128 next_quotient, next_remainder;
    if (__builtin_mul_overflow(quotient, 10, &next_quotient) ||
        __builtin_mul_overflow(remainder, 10, &next_remainder))
      break;
    quotient = next_quotient + next_remainder / denominator;
    remainder = next_remainder % denominator;
    scale++;
  }
  /* Round half up on what is left: remainder / denominator >= 1/2. */
  if (remainder != 0 && remainder >= denominator - remainder)
    quotient++;
  *out = (kz_number){
      .type = KZ_NUM_DECIMAL, .digits = negative ? -quotient : quotient, .scale = scale};
  return normalized_in_range(out);
}

static double apply_real(kz_sparql_op op, double x, double y) {
  switch (op) {
  case KZ_OP_ADD: return x + y;
  case KZ_OP_SUBTRACT: return x - y;
  case KZ_OP_MULTIPLY: return x * y;
  default: return x / y;
  }
}

bool kz_number_arith(kz_number *out, kz_sparql_op op, const kz_number *a, const kz_number *b) {
  kz_num_type type = a->type > b->type ? a->type : b->type;
  if (op == KZ_OP_DIVIDE && type == KZ_NUM_INTEGER)
    type = KZ_NUM_DECIMAL;
  kz_number x, y;
  if (!kz_number_convert(&x, a, type) || !kz_number_convert(&y, b, type))
    return false;
  if (type == KZ_NUM_FLOAT || type == KZ_NUM_DOUBLE) {
    double r = apply_real(op, x.real, y.real);
    *out = (kz_number){.type = type, .real = type == KZ_NUM_FLOAT ? (float)r : r};
    return true;
  }
  switch (op) {
  case KZ_OP_ADD: return exact_add(out, &x, &y, false);
  case KZ_OP_SUBTRACT: return exact_add(out, &x, &y, true);
  case KZ_OP_MULTIPLY: return exact_multiply(out, &x, &y);
  case KZ_OP_DIVIDE: return exact_divide(out, &x, &y);
  default: return false;
  }
}

bool kz_number_negate(kz_number *out, const kz_number *n) {
  *out = *n;
  if (n->type == KZ_NUM_FLOAT || n->type == KZ_NUM_DOUBLE)
    out->real = -n->real;
  else
    out->digits = -n->digits;
  return true;
}

/* XPath's fn:round rounds halves towards positive infinity. */
static double round_half_up(double v) {
  if (isnan(v) || isinf(v))
    return v;
  double f = floor(v);
  return v - f >= 0.5 ? f + 1 : f;
}

bool kz_number_round(kz_number *out, kz_sparql_op op, const kz_number *n) {
  *out = *n;
  if (n->type == KZ_NUM_FLOAT || n->type == KZ_NUM_DOUBLE) {
    double v = n->real;
    switch (op) {
    case KZ_OP_ABS: v = fabs(v); break;
    case KZ_OP_CEIL: v = ceil(v); break;
    case KZ_OP_FLOOR: v = floor(v); break;
    case KZ_OP_ROUND: v = round_half_up(v); break;
    default: return false;
    }
    out->real = n->type == KZ_NUM_FLOAT ? (float)v : v;
    return true;
  }
  if (op == KZ_OP_ABS) {
    if (n->digits < 0)
      out->digits = -n->digits;
    return true;
  }
  if (n->scale == 0)
    return true;
  kz_i128 unit = pow10i(n->scale);
  kz_i128 whole = n->digits / unit, rest = n->digits % unit; /* truncated towards zero */
  switch (op) {
  case KZ_OP_CEIL:
    if (rest > 0)
      whole++;
    break;
  case KZ_OP_FLOOR:
    if (rest < 0)
      whole--;
    break;
  case KZ_OP_ROUND:
    /* floor(x + 1/2) */
    if (rest < 0) {
      whole--;
      rest += unit;
    }
    if (rest >= unit - rest)
      whole++;
    break;
  default: return false;
  }
  out->digits = whole;
  out->scale = 0;
  return true;
}

int kz_number_compare(const kz_number *a, const kz_number *b, bool *unordered) {
  *unordered = false;
  kz_num_type type = a->type > b->type ? a->type : b->type;
  if (type <= KZ_NUM_DECIMAL) {
    kz_i128 x = a->digits, y = b->digits;
    int scale;
    if (align(&x, a->scale, &y, b->scale, &scale))
      return x < y ? -1 : x > y;
    type = KZ_NUM_DOUBLE; /* too far apart for 128 bits: doubles tell them apart */
  }
  kz_number x, y;
  kz_number_convert(&x, a, type);
  kz_number_convert(&y, b, type);
  if (isnan(x.real) || isnan(y.real)) {
    *unordered = true;
    return 0;
  }
  return x.real < y.real ? -1 : x.real > y.real;
}

bool kz_number_is_nan(const kz_number *n) {
  return (n->type == KZ_NUM_FLOAT || n->type == KZ_NUM_DOUBLE) && isnan(n->real);
}

bool kz_number_is_zero(const kz_number *n) {
  if (n->type == KZ_NUM_FLOAT || n->type == KZ_NUM_DOUBLE)
    return n->real == 0;
  return n->digits == 0;
}

/* ---- dates ------------------------------------------------------------------ */

bool kz_datetime_parse(kz_datetime *out, const char *lexical, bool with_time) {
  memset(out, 0, sizeof *out);
  kz_xsd_date d;
  const char *end = kz_xsd_date_read(&d, lexical, with_time ? KZ_FORM_DATETIME : KZ_FORM_DATE);
  /* at most ten digits of year, so the instants below fit in 64 bits */
  if (!end || *end != '\0' || d.year_digits > 10)
    return false;
  *out = (kz_datetime){.year = d.year, .month = d.month, .day = d.day, .hour = d.hour,
                       .minute = d.minute, .has_time = with_time, .has_tz = d.has_tz,
                       .tz_minutes = d.tz_minutes, .tz_text = d.tz};
  out->seconds = (kz_number){.type = KZ_NUM_DECIMAL,
                             .digits = d.second * pow10i(d.fraction_digits) + d.fraction,
                             .scale = d.fraction_digits};
  normalize(&out->seconds);
  return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* The instant of d in UTC when it has a time zone, or as if it were UTC:
 * seconds since the epoch and nanoseconds. */
typedef struct instant {
  int64_t seconds;
  int64_t nanos;
} instant;

static instant instant_of(const kz_datetime *d) {
  kz_i128 unit = pow10i(d->seconds.scale);
  int64_t whole = (int64_t)(d->seconds.digits / unit);
  kz_i128 fraction = d->seconds.digits % unit;
  int64_t nanos = (int64_t)(d->seconds.scale <= 9 ? fraction * pow10i(9 - d->seconds.scale)
                                                  : fraction / pow10i(d->seconds.scale - 9));
  int64_t seconds = days_from_civil(d->year, d->month, d->day) * 86400 + d->hour * 3600 +
                    d->minute * 60 + whole - (int64_t)d->tz_minutes * 60;
  return (instant){seconds, nanos};
}

static int instant_compare(instant a, instant b) {
  if (a.seconds != b.seconds)
    return a.seconds < b.seconds ? -1 : 1;
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos;
}

int kz_datetime_compare(const kz_datetime *a, const kz_datetime *b, bool *indeterminate) {
  *indeterminate = false;
  instant x = instant_of(a), y = instant_of(b);
  if (a->has_tz == b->has_tz)
    return instant_compare(x, y);
  /* One has no time zone: it may be anywhere from -14:00 to +14:00. */
  const int64_t window = 14 * 3600;
  if (!a->has_tz) {
    if (x.seconds + window < y.seconds || (x.seconds + window == y.seconds && x.nanos < y.nanos))
      return -1;
    if (x.seconds - window > y.seconds || (x.seconds - window == y.seconds && x.nanos > y.nanos))
      return 1;
  } else {
    if (x.seconds < y.seconds - window || (x.seconds == y.seconds - window && x.nanos < y.nanos))
      return -1;
    if (x.seconds > y.seconds + window || (x.seconds == y.seconds + window && x.nanos > y.nanos))
      return 1;
  }
  *indeterminate = true;
  return 0;
}

int kz_datetime_order(const kz_datetime *a, const kz_datetime *b) {
  return instant_compare(instant_of(a), instant_of(b));
}

/* ---- classification ------------------------------------------------------- */

bool kz_term_is_simple(const kz_term *term) {
  return term && term->kind == KZ_TERM_LITERAL && (!term->language || !*term->language) &&
         (!term->datatype || strcmp(term->datatype, KZ_XSD_STRING) == 0);
}

bool kz_term_is_string_literal(const kz_term *term) {
  return kz_term_is_simple(term) ||
         (term && term->kind == KZ_TERM_LITERAL && term->language && *term->language);
}

kz_value_kind kz_value_of(const kz_term *term, kz_value *out) {
  memset(out, 0, sizeof *out);
  if (!term || term->kind != KZ_TERM_LITERAL)
    return out->kind = KZ_VALUE_NONE;
  if (term->language && *term->language)
    return out->kind = KZ_VALUE_LANG_STRING;
  const char *dt = term->datatype;
  if (!dt || strcmp(dt, KZ_XSD_STRING) == 0)
    return out->kind = KZ_VALUE_STRING;
  if (strncmp(dt, KZ_XSD_NS, XSD_NS_LENGTH) != 0)
    return out->kind = KZ_VALUE_NONE;
  const char *local = dt + XSD_NS_LENGTH;
  if (strcmp(local, "boolean") == 0)
    out->kind = kz_boolean_parse(&out->boolean, term->value) ? KZ_VALUE_BOOLEAN : KZ_VALUE_NONE;
  else if (strcmp(local, "dateTime") == 0)
    out->kind =
        kz_datetime_parse(&out->datetime, term->value, true) ? KZ_VALUE_DATETIME : KZ_VALUE_NONE;
  else if (strcmp(local, "date") == 0)
    out->kind =
        kz_datetime_parse(&out->datetime, term->value, false) ? KZ_VALUE_DATE : KZ_VALUE_NONE;
  else
    out->kind = kz_number_parse(&out->number, term->value, dt) ? KZ_VALUE_NUMBER : KZ_VALUE_NONE;
  return out->kind;
}

/* ---- strings ----------------------------------------------------------------- */

size_t kz_utf8_length(const char *s, size_t size) {
  size_t count = 0;
  for (size_t i = 0; i < size; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      count++;
  return count;
}

size_t kz_utf8_offset(const char *s, size_t size, size_t index) {
  size_t i = 0;
  while (i < size && index > 0) {
    i++;
    while (i < size && ((unsigned char)s[i] & 0xC0) == 0x80)
      i++;
    index--;
  }
  return i;
}

bool kz_ascii_iequal(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (x != y)
      return false;
  }
  return *a == *b;
}
