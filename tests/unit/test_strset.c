/* Unit tests for the string set behind idempotent loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/strset.h"

static void test_add_contains_remove(void **state) {
  (void)state;
  kz_strset *set = kz_strset_new();
  assert_non_null(set);
  assert_int_equal(kz_strset_add(set, "a"), 1);
  assert_int_equal(kz_strset_add(set, "a"), 0);
  assert_true(kz_strset_contains(set, "a"));
  assert_false(kz_strset_contains(set, "b"));
  kz_strset_remove(set, "a");
  assert_false(kz_strset_contains(set, "a"));
  assert_int_equal(kz_strset_size(set), 0);
  assert_int_equal(kz_strset_add(set, "a"), 1); /* reuses the tombstone */
  assert_int_equal(kz_strset_size(set), 1);
  kz_strset_free(set);
}

static void test_growth_keeps_everything(void **state) {
  (void)state;
  kz_strset *set = kz_strset_new();
  char key[32];
  for (int i = 0; i < 10000; i++) {
    snprintf(key, sizeof key, "key-%d", i);
    assert_int_equal(kz_strset_add(set, key), 1);
  }
  for (int i = 0; i < 10000; i += 2) {
    snprintf(key, sizeof key, "key-%d", i);
    kz_strset_remove(set, key);
  }
  for (int i = 0; i < 10000; i++) {
    snprintf(key, sizeof key, "key-%d", i);
    assert_int_equal(kz_strset_contains(set, key), i % 2);
  }
  assert_int_equal(kz_strset_size(set), 5000);
  kz_strset_free(set);
  kz_strset_free(NULL);
}

static void test_intern_keeps_first_value(void **state) {
  (void)state;
  kz_strset *set = kz_strset_new();
  uint32_t value = 0;
  assert_int_equal(kz_strset_intern(set, "x", 7, &value), 1);
  assert_int_equal(value, 7);
  assert_int_equal(kz_strset_intern(set, "x", 9, &value), 0);
  assert_int_equal(value, 7);
  char key[16];
  for (uint32_t i = 0; i < 5000; i++) { /* values survive growth */
    snprintf(key, sizeof key, "k%u", i);
    assert_int_equal(kz_strset_intern(set, key, i, NULL), 1);
  }
  for (uint32_t i = 0; i < 5000; i++) {
    snprintf(key, sizeof key, "k%u", i);
    assert_int_equal(kz_strset_intern(set, key, 0, &value), 0);
    assert_int_equal(value, i);
  }
  kz_strset_free(set);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_add_contains_remove),
      cmocka_unit_test(test_growth_keeps_everything),
      cmocka_unit_test(test_intern_keeps_first_value),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
