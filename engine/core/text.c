/*
 * Text shared by modules (see text.h). The date reader keeps to
 * the XSD grammar by hand, with no sscanf or strtol, so that it never reads
 * past the form or accepts a sign, blank or digit the grammar does not: it
 * stops at the first character that cannot continue the form and lets the
 * caller decide whether what follows (nothing, blanks) is allowed. A leap
 * year is decided on the year's digits as written, modulo 400, so a year
 * longer than 64 bits is still checked.
 */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

void kz_text_append(kz_text *text, const char *s, size_t n) {
  char *grown =
      text->failed ? NULL : kz_grow(text->data, &text->capacity, text->length + n + 1, 1, 64);
  if (!grown) {
    text->failed = true;
    return;
  }
  text->data = grown;
  memcpy(text->data + text->length, s, n);
  text->length += n;
  text->data[text->length] = '\0';
}

char *kz_text_finish(kz_text *text) {
  if (!text->data)
    kz_text_append(text, "", 0);
  if (text->failed)
    free(text->data);
  return text->failed ? NULL : text->data;
}

int kz_hex_value(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

char *kz_percent_decode(const char *text, size_t size, unsigned flags, const char **problem) {
  const char *unused;
  problem = problem ? problem : &unused;
  char *out = malloc(size + 1), *q = out;
  if (!out) {
    *problem = "out of memory";
    return NULL;
  }
  bool strict = flags & KZ_DECODE_STRICT;
  for (size_t i = 0; i < size; i++) {
    /* both digits must be inside the text */
    int hi = text[i] == '%' && i + 2 < size ? kz_hex_value(text[i + 1]) : -1;
    int lo = hi >= 0 ? kz_hex_value(text[i + 2]) : -1;
    if (text[i] == '+' && (flags & KZ_DECODE_FORM)) {
      *q++ = ' ';
    } else if (lo >= 0 && (hi || lo || !strict)) {
      *q++ = (char)(hi * 16 + lo);
      i += 2;
    } else if (text[i] == '%' && strict) {
      free(out);
      *problem = lo >= 0 ? "a NUL byte (%00)" : "bad percent-encoding";
      return NULL;
    } else {
      *q++ = text[i];
    }
  }
  *q = '\0';
  return out;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

const char *kz_xsd_number_read(const char *text, bool with_point) {
  const char *p = text + (*text == '+' || *text == '-');
  size_t digits = 0;
  for (; is_digit(*p); p++)
    digits++;
  if (with_point && *p == '.')
    for (p++; is_digit(*p); p++)
      digits++;
  return digits ? p : NULL;
}

/* Steps over c at *p, if it is there. */
static bool skip(const char **p, char c) {
  if (**p != c)
    return false;
  (*p)++;
  return true;
}

/* Reads exactly two digits into *value. */
static bool two_digits(const char **p, int *value) {
  const char *s = *p;
  if (!is_digit(s[0]) || !is_digit(s[1]))
    return false;
  *value = (s[0] - '0') * 10 + (s[1] - '0');
  *p += 2;
  return true;
}

/* hh:mm:ss(.s+)?, 24:00:00 only with a fraction of zeros. */
static bool read_time(kz_xsd_date *d, const char **p) {
  if (!two_digits(p, &d->hour) || !skip(p, ':') || !two_digits(p, &d->minute) || !skip(p, ':') ||
      !two_digits(p, &d->second))
    return false;
  bool zero_fraction = true;
  if (skip(p, '.')) {
    if (!is_digit(**p))
      return false;
    for (; is_digit(**p); (*p)++) {
      zero_fraction &= **p == '0';
      if (d->fraction_digits < 18) {
        d->fraction = d->fraction * 10 + (**p - '0');
        d->fraction_digits++;
      }
    }
  }
  bool midnight = d->hour == 24 && d->minute == 0 && d->second == 0 && zero_fraction;
  return (d->hour <= 23 || midnight) && d->minute <= 59 && d->second <= 59;
}

const char *kz_xsd_date_read(kz_xsd_date *out, const char *text, kz_xsd_date_form form) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  memset(out, 0, sizeof *out);
  const char *p = text;
  bool negative = skip(&p, '-');
  const char *digits = p;
  unsigned mod400 = 0;
  for (; is_digit(*p); p++, out->year_digits++) {
    mod400 = (mod400 * 10 + (unsigned)(*p - '0')) % 400;
    if (out->year_digits < 18)
      out->year = out->year * 10 + (*p - '0');
  }
  if (out->year_digits < 4 || (out->year_digits > 4 && *digits == '0'))
    return NULL;
  out->year = negative ? -out->year : out->year;
  bool leap = mod400 % 4 == 0 && (mod400 % 100 != 0 || mod400 == 0);
  if (form >= KZ_FORM_GYEARMONTH &&
      (!skip(&p, '-') || !two_digits(&p, &out->month) || out->month < 1 || out->month > 12))
    return NULL;
  if (form >= KZ_FORM_DATE && (!skip(&p, '-') || !two_digits(&p, &out->day) || out->day < 1 ||
                               out->day > days[out->month - 1] + (out->month == 2 && leap)))
    return NULL;
  if (form == KZ_FORM_DATETIME && (!skip(&p, 'T') || !read_time(out, &p)))
    return NULL;
  out->tz = p;
  if (*p == '+' || *p == '-') {
    int sign = *p++ == '-' ? -1 : 1, hours, minutes;
    if (!two_digits(&p, &hours) || !skip(&p, ':') || !two_digits(&p, &minutes) || minutes > 59 ||
        hours > 14 || (hours == 14 && minutes != 0))
      return NULL;
    out->tz_minutes = sign * (hours * 60 + minutes);
    out->has_tz = true;
  } else {
    out->has_tz = skip(&p, 'Z');
  }
  return p;
}
