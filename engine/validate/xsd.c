/*
 * Lexical forms of the XSD datatypes that sh:datatype checks beyond the
 * datatype IRI: xsd:date, xsd:gYearMonth, xsd:gYear, xsd:dateTime,
 * xsd:integer, xsd:decimal and xsd:boolean. SHACL counts an ill-typed
 * literal ("2021-13-45"^^xsd:date) as not having its datatype.
 *
 * The grammars are those of XML Schema 1.1 Part 2: the date forms are read
 * by kz_xsd_date_read (core/text.h), refusing the year 0000 here, the others
 * are checked by hand. These types collapse white space, so leading and
 * trailing blanks are ignored, as XSD's lexical mapping does.
 */
#include <string.h>

#include "core/text.h"
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

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Nothing but trailing blanks is left. */
static int at_end(const char *s) {
  while (is_blank(*s))
    s++;
  return *s == '\0';
}

/* A date form, with blanks after it and a year other than 0000 (which XSD
 * 1.0 forbids). */
static int valid_date(const char *s, kz_xsd_date_form form) {
  kz_xsd_date date;
  const char *end = kz_xsd_date_read(&date, s, form);
  return end && date.year != 0 && at_end(end);
}

/* xsd:integer or xsd:decimal, with blanks after it. */
static int valid_number(const char *s, bool with_point) {
  const char *end = kz_xsd_number_read(s, with_point);
  return end && at_end(end);
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
    return valid_date(text, KZ_FORM_DATE);
  if (strcmp(local, "gYearMonth") == 0)
    return valid_date(text, KZ_FORM_GYEARMONTH);
  if (strcmp(local, "gYear") == 0)
    return valid_date(text, KZ_FORM_GYEAR);
  if (strcmp(local, "dateTime") == 0)
    return valid_date(text, KZ_FORM_DATETIME);
  if (strcmp(local, "integer") == 0)
    return valid_number(text, false);
  if (strcmp(local, "decimal") == 0)
    return valid_number(text, true);
  return valid_boolean(text);
}
