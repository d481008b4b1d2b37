/*
 * Lexical forms of the XSD datatypes that sh:datatype checks beyond the
 * datatype IRI: xsd:date, xsd:gYearMonth, xsd:gYear, xsd:dateTime,
 * xsd:integer, xsd:decimal and xsd:boolean. SHACL counts an ill-typed
 * literal ("2021-13-45"^^xsd:date) as not having its datatype.
 *
 * The grammars are those of XML Schema 1.1 Part 2, checked by hand: a year
 * of four or more digits (no leading zero past four, not 0000), months
 * 01-12, days within their month (29 February only in leap years), hours
 * 00-23 or 24:00:00 exactly, an optional time zone Z or +hh:mm up to 14:00.
 * These types collapse white space, so leading and trailing blanks are
 * ignored, as XSD's lexical mapping does.
 */
#include <string.h>

#include "validate/validate_internal.h"

static const char *const checked[] = {
    KZ_NS_XSD "date",    KZ_NS_XSD "gYearMonth", KZ_NS_XSD "gYear",   KZ_NS_XSD "dateTime",
    KZ_NS_XSD "integer", KZ_NS_XSD "decimal",    KZ_NS_XSD "boolean",
};

int kz_xsd_is_checked(const char *datatype) {
  for (size_t i = 0; i < sizeof checked / sizeof checked[0]; i++)
    if (strcmp(datatype, checked[i]) == 0)
      return 1;
  return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Nothing but trailing blanks is left. */
static int at_end(const char *s) {
  while (is_blank(*s))
    s++;
  return *s == '\0';
}

/* Reads exactly two digits into *value. */
static int two_digits(const char **p, int *value) {
  if (!is_digit((*p)[0]) || !is_digit((*p)[1]))
    return 0;
  *value = ((*p)[0] - '0') * 10 + ((*p)[1] - '0');
  *p += 2;
  return 1;
}

/* Reads an optional '-' and a year; *leap tells whether it is a leap year
 * (proleptic Gregorian, counted on the digits as written). */
static int year(const char **p, int *leap) {
  const char *s = *p;
  if (*s == '-')
    s++;
  const char *start = s;
  unsigned mod400 = 0, nonzero = 0;
  while (is_digit(*s)) {
    mod400 = (mod400 * 10 + (unsigned)(*s - '0')) % 400;
    nonzero |= (unsigned)(*s != '0');
    s++;
  }
  size_t n = (size_t)(s - start);
  if (n < 4 || (n > 4 && *start == '0') || !nonzero)
    return 0;
  *leap = mod400 % 4 == 0 && (mod400 % 100 != 0 || mod400 == 0);
  *p = s;
  return 1;
}

static int month(const char **p, int *value) {
  return **p == '-' && (++*p, two_digits(p, value)) && *value >= 1 && *value <= 12;
}

static int day(const char **p, int month_value, int leap) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int value;
  if (**p != '-' || (++*p, !two_digits(p, &value)))
    return 0;
  int last = days[month_value - 1] + (month_value == 2 && leap);
  return value >= 1 && value <= last;
}

/* The rest of the string must be an optional time zone. */
static int timezone_end(const char *p) {
  if (at_end(p))
    return 1;
  if (*p == 'Z')
    return at_end(p + 1);
  if (*p != '+' && *p != '-')
    return 0;
  p++;
  int hours, minutes;
  if (!two_digits(&p, &hours) || *p++ != ':' || !two_digits(&p, &minutes) || !at_end(p))
    return 0;
  return minutes <= 59 && (hours < 14 || (hours == 14 && minutes == 0));
}

/* hh:mm:ss(.s+)? */
static int time_of_day(const char **p) {
  int hours, minutes, seconds;
  if (!two_digits(p, &hours) || *(*p)++ != ':' || !two_digits(p, &minutes) ||
      *(*p)++ != ':' || !two_digits(p, &seconds))
    return 0;
  int all_zero_fraction = 1;
  if (**p == '.') {
    (*p)++;
    if (!is_digit(**p))
      return 0;
    for (; is_digit(**p); (*p)++)
      all_zero_fraction &= **p == '0';
  }
  if (hours == 24)
    return minutes == 0 && seconds == 0 && all_zero_fraction;
  return hours <= 23 && minutes <= 59 && seconds <= 59;
}

static int valid_date_like(const char *s, int with_month, int with_day, int with_time) {
  int leap = 0, month_value = 0;
  if (!year(&s, &leap))
    return 0;
  if (with_month && !month(&s, &month_value))
    return 0;
  if (with_day && !day(&s, month_value, leap))
    return 0;
  if (with_time && (*s++ != 'T' || !time_of_day(&s)))
    return 0;
  return timezone_end(s);
}

static int valid_integer(const char *s) {
  if (*s == '+' || *s == '-')
    s++;
  if (!is_digit(*s))
    return 0;
  while (is_digit(*s))
    s++;
  return at_end(s);
}

static int valid_decimal(const char *s) {
  if (*s == '+' || *s == '-')
    s++;
  size_t digits = 0;
  while (is_digit(*s))
    s++, digits++;
  if (*s == '.') {
    s++;
    while (is_digit(*s))
      s++, digits++;
  }
  return digits > 0 && at_end(s);
}

static int valid_boolean(const char *s) {
  static const char *const words[] = {"true", "false", "1", "0"};
  for (size_t i = 0; i < 4; i++) {
    size_t n = strlen(words[i]);
    if (strncmp(s, words[i], n) == 0 && at_end(s + n))
      return 1;
  }
  return 0;
}

int kz_xsd_lexical_valid(const char *datatype, const char *lexical) {
  if (!kz_xsd_is_checked(datatype))
    return 1;
  /* Collapse: leading blanks are skipped here, trailing ones by at_end. */
  const char *text = lexical;
  while (is_blank(*text))
    text++;
  const char *local = datatype + strlen(KZ_NS_XSD);
  if (strcmp(local, "date") == 0)
    return valid_date_like(text, 1, 1, 0);
  if (strcmp(local, "gYearMonth") == 0)
    return valid_date_like(text, 1, 0, 0);
  if (strcmp(local, "gYear") == 0)
    return valid_date_like(text, 0, 0, 0);
  if (strcmp(local, "dateTime") == 0)
    return valid_date_like(text, 1, 1, 1);
  if (strcmp(local, "integer") == 0)
    return valid_integer(text);
  if (strcmp(local, "decimal") == 0)
    return valid_decimal(text);
  return valid_boolean(text);
}
