/*
 * test_format.c - ktests for format_snprintf built into the kernel (the
 * same code has host tests under ASan, tests/host/test_format.c; these
 * check it also behaves with the kernel's flags: -mcmodel=kernel, no SIMD).
 */
#include <stdint.h>

#include "format.h"
#include "test/ktest.h"

static char buf[64];

#define FMT(...) (format_snprintf(buf, sizeof buf, __VA_ARGS__), buf)

void ktest_format_integers(struct ktest *t)
{
    KTEST_ASSERT_STR_EQ(t, FMT("%d %i %u", -42, 7, 3000000000u), "-42 7 3000000000");
    KTEST_ASSERT_STR_EQ(t, FMT("%x %X", 0xbeefu, 0xbeefu), "beef BEEF");
    KTEST_ASSERT_STR_EQ(t, FMT("%p", (void *)0xb8000), "0xb8000");
    KTEST_ASSERT_STR_EQ(t, FMT("%c%c%%", 'o', 'k'), "ok%");
}

void ktest_format_width_and_padding(struct ktest *t)
{
    KTEST_ASSERT_STR_EQ(t, FMT("[%5d]", 42), "[   42]");
    KTEST_ASSERT_STR_EQ(t, FMT("[%-5d]", 42), "[42   ]");
    KTEST_ASSERT_STR_EQ(t, FMT("[%05d]", -42), "[-0042]");
    KTEST_ASSERT_STR_EQ(t, FMT("[%016llx]", 0x1000ULL), "[0000000000001000]");
}

void ktest_format_strings(struct ktest *t)
{
    const char *volatile none = 0;      /* volatile: hide the NULL from -Wformat */

    KTEST_ASSERT_STR_EQ(t, FMT("[%s]", "abc"), "[abc]");
    KTEST_ASSERT_STR_EQ(t, FMT("[%.2s]", "abc"), "[ab]");
    KTEST_ASSERT_STR_EQ(t, FMT("[%-6.*s]", 1, "abc"), "[a     ]");
    KTEST_ASSERT_STR_EQ(t, FMT("[%s]", none), "[(null)]");
}

void ktest_format_modifiers(struct ktest *t)
{
    KTEST_ASSERT_STR_EQ(t, FMT("%lld", (long long)INT64_MIN), "-9223372036854775808");
    KTEST_ASSERT_STR_EQ(t, FMT("%llu", (unsigned long long)UINT64_MAX), "18446744073709551615");
    KTEST_ASSERT_STR_EQ(t, FMT("%lx", 0xffffffff80000000UL), "ffffffff80000000");
    KTEST_ASSERT_STR_EQ(t, FMT("%zu %zx", (size_t)123456789, (size_t)0xabc), "123456789 abc");
}

void ktest_format_truncation(struct ktest *t)
{
    char small[8];

    memset(small, 'Z', sizeof small);
    KTEST_ASSERT_EQ(t, format_snprintf(small, 5, "%s", "truncated"), 9);
    KTEST_ASSERT_STR_EQ(t, small, "trun");
    KTEST_ASSERT_EQ(t, small[5], 'Z');
    KTEST_ASSERT_EQ(t, format_snprintf(small, 0, "%d", 12345), 5);
    KTEST_ASSERT_EQ(t, small[0], 't');
}
