/*
 * Text that several modules build or read, written once: a growing string,
 * hex digits, percent-encoding (URLs, HTML forms), XSD numbers and the XSD
 * date and time forms (xsd:gYear, xsd:gYearMonth, xsd:date, xsd:dateTime).
 * Never installed.
 */
#ifndef KZ_CORE_TEXT_H
#define KZ_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A string that grows on malloc; start it zeroed. After the first append
 * data is NUL-terminated; failed is set, once, on out of memory, and then
 * appends do nothing. */
typedef struct kz_text {
  char *data;
  size_t length, capacity;
  bool failed;
} kz_text;

/* Appends s[0..n) to text. */
void kz_text_append(kz_text *text, const char *s, size_t n);

/* The string of text ("" when nothing was appended): caller frees with
 * free(). NULL, with text's memory freed, when it failed. */
char *kz_text_finish(kz_text *text);

/* The value of the hex digit c (0-9, a-f, A-F), or -1. */
int kz_hex_value(int c);

/* Flags of kz_percent_decode. */
enum {
  KZ_DECODE_FORM = 1,  /* '+' is a space (application/x-www-form-urlencoded) */
  KZ_DECODE_STRICT = 2 /* a '%' without two hex digits, or %00, is an error */
};

/* text[0..size) percent-decoded, as a new NUL-terminated string; caller
 * frees with free(). Without KZ_DECODE_STRICT a '%' that two hex digits do
 * not follow is kept as it is. NULL when it fails, with *problem (if
 * problem is not NULL) saying why: "bad percent-encoding", "a NUL byte
 * (%00)" or "out of memory". */
char *kz_percent_decode(const char *text, size_t size, unsigned flags, const char **problem);

/* Reads [+-]? digits ('.' digits)?, the point only when with_point, with
 * at least one digit in all: the lexical form of xsd:integer, of
 * xsd:decimal ("1.", ".5") and the mantissa of xsd:double. Returns its end
 * in text, or NULL when text does not start with one. */
const char *kz_xsd_number_read(const char *text, bool with_point);

/* The XSD date and time forms, each one part longer than the last. */
typedef enum kz_xsd_date_form {
  KZ_FORM_GYEAR,
  KZ_FORM_GYEARMONTH,
  KZ_FORM_DATE,
  KZ_FORM_DATETIME
} kz_xsd_date_form;

/* A date or time as written. The parts a form lacks are 0. year holds the
 * first 18 digits of a longer year. fraction holds the first
 * fraction_digits (at most 18) digits after the seconds' point. tz points
 * at the time zone in the text ("Z", "-08:00"), or where it would be. */
typedef struct kz_xsd_date {
  int64_t year;
  int year_digits;
  int month, day, hour, minute, second;
  int64_t fraction;
  int fraction_digits;
  bool has_tz;
  int tz_minutes;
  const char *tz;
} kz_xsd_date;

/* Reads the lexical form of `form` (XML Schema 1.1 Part 2) at the start of
 * text into *out: an optional '-' and a year of four or more digits (no
 * leading zero past four; 0000 is read), months 01-12, days within their
 * month (29 February in leap years), hh:mm:ss with an optional fraction
 * (24:00:00 only exactly), an optional time zone Z or +hh:mm up to 14:00.
 * Returns the end of the form in text (the caller says what may follow),
 * or NULL when text does not start with one or its time zone is malformed. */
const char *kz_xsd_date_read(kz_xsd_date *out, const char *text, kz_xsd_date_form form);

#endif
