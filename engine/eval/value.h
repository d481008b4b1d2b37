/*
 * The values behind RDF literals, as SPARQL's operators and functions see
 * them: numbers (xsd:integer and its derived types, xsd:decimal, xsd:float,
 * xsd:double), booleans, xsd:dateTime and xsd:date, and strings. Private to
 * engine/eval (expr.c, functions.c, aggregate.c share it).
 *
 * A term is classified once into a kz_value; a literal whose lexical form
 * is not in its datatype's lexical space ("abc"^^xsd:integer) or whose
 * datatype is unknown gets KZ_VALUE_NONE: it is a valid term, but not a
 * number, boolean or date for any operator.
 *
 * Exact numbers (integers and decimals) are 128-bit integers scaled by a
 * power of ten, so 0.1 + 0.2 = 0.3 exactly; that bounds them to 38
 * significant digits, and arithmetic that would leave that range is a
 * SPARQL error (XPath's FOAR0002) rather than a silently wrong value.
 */
#ifndef KZ_EVAL_VALUE_H
#define KZ_EVAL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kizuna/term.h"
#include "sparql/arena.h"
#include "sparql/ast.h"

/* GCC and Clang both have a 128-bit integer; __extension__ keeps -pedantic
 * quiet about it. */
__extension__ typedef __int128 kz_i128;

#define KZ_XSD_STRING KZ_XSD_NS "string"
#define KZ_XSD_BOOLEAN KZ_XSD_NS "boolean"
#define KZ_XSD_INTEGER KZ_XSD_NS "integer"
#define KZ_XSD_DECIMAL KZ_XSD_NS "decimal"
#define KZ_XSD_FLOAT KZ_XSD_NS "float"
#define KZ_XSD_DOUBLE KZ_XSD_NS "double"
#define KZ_XSD_DATETIME KZ_XSD_NS "dateTime"
#define KZ_XSD_DATE KZ_XSD_NS "date"
#define KZ_XSD_DAYTIMEDURATION KZ_XSD_NS "dayTimeDuration"
#define KZ_RDF_LANGSTRING KZ_RDF_NS "langString"

/* Decimal results keep at most this many digits after the point (XPath
 * asks for at least 18). */
#define KZ_DECIMAL_MAX_SCALE 24

/* The numeric types in promotion order: integer < decimal < float < double. */
typedef enum kz_num_type {
  KZ_NUM_INTEGER = 0,
  KZ_NUM_DECIMAL,
  KZ_NUM_FLOAT,
  KZ_NUM_DOUBLE
} kz_num_type;

/* A number. INTEGER and DECIMAL: digits * 10^-scale exactly, |digits| <
 * 10^38, scale 0 for an integer and without trailing zero digits for a
 * decimal. FLOAT and DOUBLE: real (a FLOAT holds a value representable as
 * a float). */
typedef struct kz_number {
  kz_num_type type;
  kz_i128 digits;
  int scale;
  double real;
} kz_number;

/* An xsd:dateTime (has_time) or xsd:date. seconds is a DECIMAL number with
 * the fractional part as written; tz_minutes is the offset when has_tz;
 * tz_text points into the lexical form at the time zone ("Z", "-08:00") or
 * at its end when there is none. */
typedef struct kz_datetime {
  int64_t year;
  int month, day, hour, minute;
  kz_number seconds;
  bool has_time;
  bool has_tz;
  int tz_minutes;
  const char *tz_text;
} kz_datetime;

typedef enum kz_value_kind {
  KZ_VALUE_NONE = 0,    /* an IRI, a blank node, an unknown datatype, an ill-typed literal */
  KZ_VALUE_STRING,      /* a simple literal or an xsd:string */
  KZ_VALUE_LANG_STRING, /* a literal with a language tag */
  KZ_VALUE_NUMBER,
  KZ_VALUE_BOOLEAN,
  KZ_VALUE_DATETIME,
  KZ_VALUE_DATE
} kz_value_kind;

typedef struct kz_value {
  kz_value_kind kind;
  kz_number number;     /* NUMBER */
  bool boolean;         /* BOOLEAN */
  kz_datetime datetime; /* DATETIME, DATE */
} kz_value;

/* ---- classification --------------------------------------------------- */

/* Classifies term (NULL gives NONE) and fills *out. */
kz_value_kind kz_value_of(const kz_term *term, kz_value *out);

/* A literal with no language and no datatype other than xsd:string. */
bool kz_term_is_simple(const kz_term *term);

/* A simple literal, an xsd:string or a language-tagged literal. */
bool kz_term_is_string_literal(const kz_term *term);

/* True when datatype names one of the numeric XSD types (derived integer
 * types included). */
bool kz_datatype_is_numeric(const char *datatype);

/* The primitive numeric type of a numeric datatype (xsd:int gives
 * KZ_NUM_INTEGER); false when datatype is not numeric. */
bool kz_datatype_numeric_type(const char *datatype, kz_num_type *type);

/* ---- lexical forms ---------------------------------------------------- */

/* Parses lexical as a value of the numeric datatype (whose range facets it
 * checks: "300"^^xsd:byte fails). False when it is not in the lexical
 * space or out of range. */
bool kz_number_parse(kz_number *out, const char *lexical, const char *datatype);

/* "true" "false" "1" "0". */
bool kz_boolean_parse(bool *out, const char *lexical);

/* An xsd:dateTime (with_time) or an xsd:date lexical form. */
bool kz_datetime_parse(kz_datetime *out, const char *lexical, bool with_time);

/* How kz_number_format writes a number that has no fractional part. */
typedef enum kz_number_style {
  KZ_STYLE_CANONICAL = 0,    /* XSD 1.0: "3" integer, "3.0" decimal, "3.0E0" double */
  KZ_STYLE_INTEGRAL_DECIMAL, /* a decimal as "3", the rest canonical */
  KZ_STYLE_INTEGRAL          /* decimals, floats and doubles as "3" */
} kz_number_style;

/* The lexical form of n in arena (NULL on out of memory): canonical
 * ("3", "3.0", "1.5E0"), except that the styles write whole numbers
 * without a fraction or exponent. The W3C tests expect that of CEIL,
 * FLOOR, ROUND and SECONDS (KZ_STYLE_INTEGRAL_DECIMAL: "3"^^xsd:decimal)
 * and of arithmetic on operands written as integers (KZ_STYLE_INTEGRAL:
 * "3"^^xsd:double + 3 is "6"^^xsd:double). */
char *kz_number_format(kz_arena *arena, const kz_number *n, kz_number_style style);

/* n cast to xsd:string as XPath does it: integral decimals without a
 * point, doubles within [1e-6, 1e6) in decimal notation ("1.25", "1"). */
char *kz_number_to_xpath_string(kz_arena *arena, const kz_number *n);

/* The datatype IRI of a number's type (a static string). */
const char *kz_number_datatype(kz_num_type type);

/* ---- numbers ---------------------------------------------------------- */

kz_number kz_number_integer(kz_i128 value);
kz_number kz_number_double(double value);

/* The value as a double (nearest). */
double kz_number_to_double(const kz_number *n);

/* n converted to type (a promotion, or a cast down: double to decimal
 * fails on NaN and infinities; to integer truncates). */
bool kz_number_convert(kz_number *out, const kz_number *n, kz_num_type type);

/* a op b for op ADD SUBTRACT MULTIPLY DIVIDE after promotion to the wider
 * type; integer division gives a decimal. False on a SPARQL error:
 * division by zero of exact numbers, overflow. */
bool kz_number_arith(kz_number *out, kz_sparql_op op, const kz_number *a, const kz_number *b);

/* -n, |n|, and CEIL FLOOR ROUND (op) of n, in n's type. */
bool kz_number_negate(kz_number *out, const kz_number *n);
bool kz_number_round(kz_number *out, kz_sparql_op op, const kz_number *n);

/* Compares a and b after promotion: <0, 0, >0; *unordered is set when a
 * NaN is involved (then the result is meaningless). */
int kz_number_compare(const kz_number *a, const kz_number *b, bool *unordered);

bool kz_number_is_nan(const kz_number *n);
bool kz_number_is_zero(const kz_number *n);

/* ---- dates ------------------------------------------------------------ */

/* Compares two dateTimes (or two dates) by XML Schema's partial order: a
 * value without a time zone is compared with one that has one only when
 * every time zone it could be in gives the same answer. Sets
 * *indeterminate otherwise. */
int kz_datetime_compare(const kz_datetime *a, const kz_datetime *b, bool *indeterminate);

/* A total order on dateTimes for ORDER BY: as above, with a missing time
 * zone read as UTC. */
int kz_datetime_order(const kz_datetime *a, const kz_datetime *b);

/* ---- strings ---------------------------------------------------------- */

/* The number of Unicode code points in UTF-8 s of size bytes. */
size_t kz_utf8_length(const char *s, size_t size);

/* The byte offset of code point index in s (size bytes), or size. */
size_t kz_utf8_offset(const char *s, size_t size, size_t index);

/* ASCII case-insensitive equality (language tags). */
bool kz_ascii_iequal(const char *a, const char *b);

#endif
