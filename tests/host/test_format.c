/*
 * test_format.c - host unit tests for common/format.c (format_vsnprintf),
 * under ASan and UBSan.
 *
 * Most checks are differential: the same format and arguments go through
 * the C library's snprintf and format_snprintf, which must agree on the
 * text and on the returned length (for every conversion format.h promises).
 * The rest pin what libc cannot judge: truncation never writes past the
 * buffer, size 0 writes nothing, unknown conversions are copied through.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* Format with both and compare text and return value. */
#define SAME(...) do { \
    char want_[256], got_[256]; \
    int wn_ = snprintf(want_, sizeof want_, __VA_ARGS__); \
    int gn_ = format_snprintf(got_, sizeof got_, __VA_ARGS__); \
    assert_string_equal(got_, want_); \
    assert_int_equal(gn_, wn_); \
} while (0)

static void test_signed(void **state)
{
    (void)state;
    SAME("%d", 0);
    SAME("%d", -1);
    SAME("%i", 123456);
    SAME("%d", INT_MAX);
    SAME("%d", INT_MIN);
    SAME("%ld", LONG_MIN);
    SAME("%lld", LLONG_MIN);
    SAME("%lld", LLONG_MAX);
    SAME("%zd", (size_t)42);
}

static void test_unsigned_and_hex(void **state)
{
    (void)state;
    SAME("%u", 0u);
    SAME("%u", UINT_MAX);
    SAME("%lu", ULONG_MAX);
    SAME("%llu", ULLONG_MAX);
    SAME("%zu", SIZE_MAX);
    SAME("%x", 0xdeadbeefu);
    SAME("%X", 0xdeadbeefu);
    SAME("%lx", 0xffffffff80000000ul);
    SAME("%llX", 0x0123456789abcdefull);
    SAME("%zx", (size_t)0x1000);
}

static void test_width_flags(void **state)
{
    (void)state;
    SAME("[%8d]", 42);
    SAME("[%-8d]", 42);
    SAME("[%08d]", 42);
    SAME("[%08d]", -42);
    SAME("[%-8d]", -42);
    SAME("[%016llx]", 0xb8000ull);
    SAME("[%2d]", 12345);              /* width smaller than the text */
    SAME("[%*d]", 6, 7);
    SAME("[%*d]", -6, 7);              /* negative '*' width: left align */
    SAME("[%-10s]", "ab");
    SAME("[%10s]", "ab");
    SAME("[%5c]", 'x');
    SAME("[%-5c]", 'x');
}

static void test_precision(void **state)
{
    (void)state;
    SAME("[%.3s]", "abcdef");
    SAME("[%.0s]", "abcdef");
    SAME("[%.10s]", "abc");
    SAME("[%8.2s]", "abcdef");
    SAME("[%-8.2s]", "abcdef");
    SAME("[%.*s]", 4, "abcdef");
    SAME("[%.*s]", -1, "abcdef");      /* negative precision: as if none */
    SAME("[%.5d]", 42);
    SAME("[%.5d]", -42);
    SAME("[%8.5x]", 0xabu);
    SAME("[%8.3d]", 7);
    SAME("[%.0d]", 0);
}

static void test_string_char_percent(void **state)
{
    (void)state;
    SAME("%s", "");
    SAME("%s and %s", "this", "that");
    SAME("%c%c%c", 'a', 'b', 'c');
    SAME("100%%");
    SAME("%%d");
    SAME("no conversions at all");
}

static void test_pointer(void **state)
{
    char got[64];

    (void)state;
    format_snprintf(got, sizeof got, "%p", (void *)0xffff800000300000ull);
    assert_string_equal(got, "0xffff800000300000");
    format_snprintf(got, sizeof got, "%p", (void *)0);
    assert_string_equal(got, "0x0");
    format_snprintf(got, sizeof got, "[%20p]", (void *)0x1000);
    assert_string_equal(got, "[              0x1000]");
}

static void test_null_string(void **state)
{
    char got[32];
    const char *volatile none = NULL;  /* volatile: keep -Wformat out of it */

    (void)state;
    assert_int_equal(format_snprintf(got, sizeof got, "[%s]", none), 8);
    assert_string_equal(got, "[(null)]");
}

static void test_truncation_never_overflows(void **state)
{
    char buf[16];

    (void)state;
    for (size_t size = 0; size <= 12; size++) {
        memset(buf, 'Z', sizeof buf);
        assert_int_equal(format_snprintf(buf, size, "%s-%d", "hello", 12345), 11);
        for (size_t i = size; i < sizeof buf; i++)
            assert_int_equal(buf[i], 'Z');      /* nothing past size */
        if (size) {
            assert_int_equal(buf[size - 1 < 11 ? size - 1 : 11], '\0');
            assert_memory_equal(buf, "hello-12345", size - 1 < 11 ? size - 1 : 11);
        }
    }
}

static void test_size_zero_null_buffer(void **state)
{
    (void)state;
    assert_int_equal(format_snprintf(NULL, 0, "%d %s", 123, "four"), 8);
}

static void test_exact_fit(void **state)
{
    char buf[6];

    (void)state;
    assert_int_equal(format_snprintf(buf, sizeof buf, "%s", "12345"), 5);
    assert_string_equal(buf, "12345");
    assert_int_equal(format_snprintf(buf, sizeof buf, "%s", "123456"), 6);
    assert_string_equal(buf, "12345");
}

static void test_unknown_conversion_copied(void **state)
{
    char buf[32];

    (void)state;
    /* built at run time so -Wformat does not refuse the odd specs */
    const char *volatile fmt_q = "a%qb";
    const char *volatile fmt_end = "end%";
    const char *volatile fmt_mod = "x%5lq";

    assert_int_equal(format_snprintf(buf, sizeof buf, fmt_q), 4);
    assert_string_equal(buf, "a%qb");
    assert_int_equal(format_snprintf(buf, sizeof buf, fmt_end), 4);
    assert_string_equal(buf, "end%");
    assert_int_equal(format_snprintf(buf, sizeof buf, fmt_mod), 5);
    assert_string_equal(buf, "x%5lq");
}

static int via_va_list(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = format_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void test_vsnprintf_entry(void **state)
{
    char buf[64];

    (void)state;
    assert_int_equal(via_va_list(buf, sizeof buf, "%s=%u/%x", "k", 10u, 255u), 7);
    assert_string_equal(buf, "k=10/ff");
}

static void test_flag_interplay(void **state)
{
    char buf[32];
    /* C's rules, which gcc's -Wformat flags as dubious: run-time strings */
    const char *volatile left_zero = "[%-08d]";
    const char *volatile prec_zero = "[%08.3d]";

    (void)state;
    format_snprintf(buf, sizeof buf, left_zero, -42);
    assert_string_equal(buf, "[-42     ]");        /* '-' wins over '0' */
    format_snprintf(buf, sizeof buf, prec_zero, 7);
    assert_string_equal(buf, "[     007]");        /* precision turns '0' off */
}

static void test_huge_width_clamped(void **state)
{
    char buf[8];
    const char *volatile fmt = "%99999999999d";

    (void)state;
    /* a width beyond int must neither overflow (UBSan) nor write past buf */
    assert_true(format_snprintf(buf, sizeof buf, fmt, 1) > 0);
    assert_int_equal(strlen(buf), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed),
        cmocka_unit_test(test_unsigned_and_hex),
        cmocka_unit_test(test_width_flags),
        cmocka_unit_test(test_precision),
        cmocka_unit_test(test_string_char_percent),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_null_string),
        cmocka_unit_test(test_truncation_never_overflows),
        cmocka_unit_test(test_size_zero_null_buffer),
        cmocka_unit_test(test_exact_fit),
        cmocka_unit_test(test_unknown_conversion_copied),
        cmocka_unit_test(test_vsnprintf_entry),
        cmocka_unit_test(test_flag_interplay),
        cmocka_unit_test(test_huge_width_clamped),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
