/* Unit tests for the helpers of engine/core that modules share: growing
 * arrays and strings, hex digits, percent-decoding, XSD numbers and the
 * XSD date and time forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/internal.h"
#include "core/text.h"

static void test_grow(void **state) {
  (void)state;
  size_t capacity = 0;
  int *items = kz_grow(NULL, &capacity, 1, sizeof *items, 4);
  assert_true(items && capacity == 4);
  items[3] = 7;
  assert_ptr_equal(kz_grow(items, &capacity, 4, sizeof *items, 4), items); /* room already */
  assert_int_equal(capacity, 4);
  items = kz_grow(items, &capacity, 5, sizeof *items, 4); /* doubles */
  assert_true(items && capacity == 8 && items[3] == 7);
  items = kz_grow(items, &capacity, 100, sizeof *items, 4); /* doubles until it fits */
  assert_true(items && capacity == 128 && items[3] == 7);
  free(items);
}

static void test_text(void **state) {
  (void)state;
  kz_text text = {0};
  char *empty = kz_text_finish(&text); /* nothing appended: "" */
  assert_string_equal(empty, "");
  free(empty);
  text = (kz_text){0};
  for (int i = 0; i < 1000; i++) /* past several growths */
    kz_text_append(&text, "abc", i % 2 ? 3 : 1);
  kz_text_append(&text, "", 0);
  assert_int_equal(text.length, 2000);
  assert_int_equal(strlen(text.data), 2000);
  assert_memory_equal(text.data + 1994, "bcaabc", 6); /* ...aabc aabc */
  free(kz_text_finish(&text));
  text = (kz_text){.failed = true}; /* a failed text stays failed, owns nothing */
  kz_text_append(&text, "x", 1);
  assert_null(text.data);
  assert_null(kz_text_finish(&text));
}

static void test_hex_value(void **state) {
  (void)state;
  static const char digits[] = "0123456789abcdefABCDEF", others[] = "/:@G`g -xX";
  for (int i = 0; digits[i]; i++)
    assert_int_equal(kz_hex_value(digits[i]), i < 16 ? i : i - 6);
  for (int i = 0; others[i]; i++)
    assert_int_equal(kz_hex_value(others[i]), -1);
  assert_int_equal(kz_hex_value(-1), -1);
  assert_int_equal(kz_hex_value(0xe9), -1);
}

static void test_percent_decode(void **state) {
  (void)state;
  enum { STRICT = KZ_DECODE_STRICT, FORM = KZ_DECODE_FORM | KZ_DECODE_STRICT };
  static const struct {
    const char *text;
    size_t size; /* 0: all of text */
    int flags;
    const char *decoded, *problem; /* decoded NULL: fails with problem */
  } cases[] = {
      {"a%20b+c", 0, FORM, "a b c", NULL}, {"a%20b+c", 0, 0, "a b+c", NULL},
      {"%e6%97%A5%41", 0, STRICT, "\xe6\x97\xa5" "A", NULL}, {"", 0, STRICT, "", NULL},
      {"100%", 0, STRICT, NULL, "bad percent-encoding"}, {"100%", 0, 0, "100%", NULL},
      {"%4", 0, STRICT, NULL, "bad percent-encoding"}, {"%4g", 0, 0, "%4g", NULL},
      {"%zz%41", 0, 0, "%zzA", NULL}, {"a%00b", 0, STRICT, NULL, "a NUL byte (%00)"},
      {"%41BC", 2, STRICT, NULL, "bad percent-encoding"}, /* digits past size */
      {"%41BC", 2, 0, "%4", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *problem = NULL;
    size_t size = cases[i].size ? cases[i].size : strlen(cases[i].text);
    char *decoded = kz_percent_decode(cases[i].text, size, (unsigned)cases[i].flags, &problem);
    if (cases[i].decoded)
      assert_string_equal(decoded, cases[i].decoded);
    else
      assert_true(!decoded && strcmp(problem, cases[i].problem) == 0);
    free(decoded);
  }
  char *lenient = kz_percent_decode("x%2", 3, 0, NULL); /* problem may be NULL */
  assert_string_equal(lenient, "x%2");
  free(lenient);
}

/* Where a reader stopped in text, or -1 for NULL, as expected. */
static void expect_end(const char *text, int form, const char *end, int expected) {
  int got = end ? (int)(end - text) : -1;
  if (got != expected)
    fail_msg("\"%s\" (form %d): read to %d, not %d", text, form, got, expected);
}

static void test_xsd_number_read(void **state) {
  (void)state;
  static const struct {
    const char *text;
    int with_point, end;
  } cases[] = {
      {"42", 0, 2},    {"-42", 0, 3},   {"+0", 0, 2},  {"4.2", 0, 1},    {"", 0, -1},
      {"+", 0, -1},    {"--1", 0, -1},  {"x1", 0, -1}, {"1e3", 0, 1},    {"1.", 1, 2},
      {".5", 1, 2},    {"-.5", 1, 3},   {".", 1, -1},  {"+.", 1, -1},    {"1.2.3", 1, 3},
      {"12 ", 1, 2},   {"1.5E0", 1, 3},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    expect_end(cases[i].text, cases[i].with_point,
               kz_xsd_number_read(cases[i].text, cases[i].with_point), cases[i].end);
}

static void test_xsd_date_read(void **state) {
  (void)state;
  enum { Y = KZ_FORM_GYEAR, YM = KZ_FORM_GYEARMONTH, D = KZ_FORM_DATE, DT = KZ_FORM_DATETIME };
  static const struct {
    int form;
    const char *text;
    int end;
  } cases[] = {
      {D, "2021-04-06", 10},       {D, "2020-02-29", 10},       {D, "2021-02-29", -1},
      {D, "1900-02-29", -1},       {D, "2000-02-29", 10},       {D, "-0044-03-15", 11},
      {D, "0000-01-01", 10},       {D, "12021-01-01", 11},      {D, "02021-01-01", -1},
      {D, "2021-4-6", -1},         {D, "2021-13-01", -1},       {D, "2021-00-01", -1},
      {D, "2021-04-31", -1},       {D, "2021-04-00", -1},       {D, "2021-04-06Z", 11},
      {D, "2021-04-06+05:30", 16}, {D, "2021-04-06-14:00", 16}, {D, "2021-04-06+14:01", -1},
      {D, "2021-04-06+15:00", -1}, {D, "2021-04-06+05:60", -1}, {D, "2021-04-06+0530", -1},
      {D, "2021-04-06 x", 10},     {D, "2021-04-06T10:00", 10}, {D, "", -1},
      {D, "-", -1},                {D, "+2021-01-01", -1},      {D, " 2021-01-01", -1},
      /* a leap year decided on digits past 64 bits: 10^20 is one, 10^20 + 100 not */
      {D, "100000000000000000000-02-29", 27}, {D, "100000000000000000100-02-29", -1},
      {Y, "2020", 4},              {Y, "20", -1},               {Y, "2020-05", -1},
      {Y, "2020Z", 5},             {YM, "2019-11", 7},          {YM, "2019", -1},
      {YM, "2019-00", -1},         {DT, "2021-04-06T10:00:00", 19},
      {DT, "2021-04-06T24:00:00", 19},       {DT, "2021-04-06T24:00:00.000", 23},
      {DT, "2021-04-06T24:00:00.0001", -1},  {DT, "2021-04-06T24:00:01", -1},
      {DT, "2021-04-06T23:60:00", -1},       {DT, "2021-04-06T23:59:60", -1},
      {DT, "2021-04-06T10:00", -1},          {DT, "2021-04-06T10:00:00.", -1},
      {DT, "2021-04-06 10:00:00", -1},       {DT, "2021-04-06", -1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    kz_xsd_date d;
    expect_end(cases[i].text, cases[i].form,
               kz_xsd_date_read(&d, cases[i].text, (kz_xsd_date_form)cases[i].form), cases[i].end);
  }
}

static void test_xsd_date_parts(void **state) {
  (void)state;
  kz_xsd_date d;
  const char *text = "-12021-04-06T10:20:30.1250000000000000009-03:30";
  assert_non_null(kz_xsd_date_read(&d, text, KZ_FORM_DATETIME));
  assert_true(d.year == -12021 && d.year_digits == 5 && d.month == 4 && d.day == 6);
  assert_true(d.hour == 10 && d.minute == 20 && d.second == 30);
  assert_int_equal(d.fraction, 125000000000000000); /* the first 18 digits */
  assert_int_equal(d.fraction_digits, 18);
  assert_true(d.has_tz && d.tz_minutes == -210);
  assert_string_equal(d.tz, "-03:30");
  assert_non_null(kz_xsd_date_read(&d, "2020", KZ_FORM_GYEAR));
  assert_true(d.month == 0 && !d.has_tz && *d.tz == '\0');
  assert_non_null(kz_xsd_date_read(&d, "1234567890123456789012", KZ_FORM_GYEAR));
  assert_true(d.year == 123456789012345678 && d.year_digits == 22);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_grow),          cmocka_unit_test(test_text),
      cmocka_unit_test(test_hex_value),
      cmocka_unit_test(test_percent_decode), cmocka_unit_test(test_xsd_number_read),
      cmocka_unit_test(test_xsd_date_read), cmocka_unit_test(test_xsd_date_parts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
