/*
 * test_misc.c - ktests for the small pieces: command-line words, the
 * embedded PSF font, TSC calibration.
 */
#include "arch.h"
#include "cmdline.h"
#include "fb/psf.h"
#include "printk.h"
#include "test/ktest.h"

extern const uint8_t font_psf_start[], font_psf_end[];

void ktest_cmdline_words(struct ktest *t)
{
    const char *c = "loglevel=info  test\tquiet";

    KTEST_ASSERT(t, cmdline_has_word(c, strlen(c), "test"));
    KTEST_ASSERT(t, cmdline_has_word(c, strlen(c), "quiet"));
    KTEST_ASSERT(t, cmdline_has_word(c, strlen(c), "loglevel=info"));
    KTEST_ASSERT(t, !cmdline_has_word(c, strlen(c), "loglevel"));
    KTEST_ASSERT(t, !cmdline_has_word("tester test=panic", 17, "test"));
    KTEST_ASSERT(t, !cmdline_has_word("test", 3, "test"));      /* bounded by len */
    KTEST_ASSERT(t, !cmdline_has_word("", 0, "test"));
}

void ktest_cmdline_numbers(struct ktest *t)
{
    const char *c = "test hz=250 cpus=4 bad=12x huge=99999999999999999999";
    uint64_t v = 7;

    KTEST_ASSERT_EQ(t, cmdline_number(c, strlen(c), "hz", &v), 1);
    KTEST_ASSERT_EQ(t, v, 250);
    KTEST_ASSERT_EQ(t, cmdline_number(c, strlen(c), "cpus", &v), 1);
    KTEST_ASSERT_EQ(t, v, 4);
    KTEST_ASSERT_EQ(t, cmdline_number(c, strlen(c), "bad", &v), -1);
    KTEST_ASSERT_EQ(t, cmdline_number(c, strlen(c), "huge", &v), -1);
    KTEST_ASSERT_EQ(t, cmdline_number(c, strlen(c), "h", &v), 0);     /* whole keys only */
    KTEST_ASSERT_EQ(t, cmdline_number(c, strlen(c), "test", &v), 0);  /* no value */
    KTEST_ASSERT_EQ(t, v, 4);
}

static struct psf_font font;

void ktest_psf_builtin_font(struct ktest *t)
{
    const char *why = "";
    const uint8_t *a, *space;
    unsigned ink = 0;

    if (!KTEST_ASSERT(t, psf_parse(font_psf_start, (size_t)(font_psf_end - font_psf_start),
                                   &font, &why) == 0))
        return;
    KTEST_ASSERT_EQ(t, font.width, 8);
    KTEST_ASSERT(t, font.count >= 256);
    a = psf_glyph(&font, 'A');
    space = psf_glyph(&font, ' ');
    for (unsigned i = 0; i < font.bytes_per_glyph; i++)
        ink |= space[i];
    KTEST_ASSERT_EQ(t, ink, 0);                 /* ' ' is blank */
    KTEST_ASSERT(t, memcmp(a, space, font.bytes_per_glyph) != 0);
    KTEST_ASSERT(t, psf_glyph(&font, 'A') != psf_glyph(&font, 'B'));
}

void ktest_psf_rejects_garbage(struct ktest *t)
{
    static const uint8_t junk[16] = "not a font file";
    static const uint8_t short_psf1[8] = { 0x36, 0x04, 0x00, 16 };
    const char *why = "";

    KTEST_ASSERT_EQ(t, psf_parse(junk, sizeof junk, &font, &why), (unsigned long long)-1);
    KTEST_ASSERT_EQ(t, psf_parse(short_psf1, sizeof short_psf1, &font, &why),
                    (unsigned long long)-1);
}

void ktest_tsc_calibrated(struct ktest *t)
{
    KTEST_ASSERT(t, tsc_khz() >= 100 * 1000);          /* at least 100 MHz */
    KTEST_ASSERT(t, tsc_khz() <= 10 * 1000 * 1000);    /* at most 10 GHz */
    KTEST_ASSERT_EQ(t, tsc_ticks_to_us(tsc_khz() * 3), 3000);
}

/*
 * string_copies: memcpy, memmove (both directions of overlap) and memset
 * (kernel/lib/string.c, REP MOVS/STOS) against byte-by-byte references, for
 * every length 0..40 at every start offset 0..8, and one 4 KiB + 3 copy:
 * word parts, tails and bytes outside the range untouched.
 */
#define STR_BUF 4200
static uint8_t str_a[STR_BUF], str_b[STR_BUF], str_ref[STR_BUF];

static void str_fill(uint8_t *p, uint8_t seed)
{
    for (unsigned i = 0; i < STR_BUF; i++)
        p[i] = (uint8_t)(i * 13 + seed);
}

static int str_same(const uint8_t *x, const uint8_t *y)
{
    for (unsigned i = 0; i < STR_BUF; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}

static int str_case(size_t off, size_t n, int shift)
{
    /* memcpy from b to a */
    str_fill(str_a, 1), str_fill(str_b, 99), str_fill(str_ref, 1);
    for (size_t i = 0; i < n; i++)
        str_ref[off + i] = str_b[off + 3 + i];
    if (memcpy(str_a + off, str_b + off + 3, n) != str_a + off || !str_same(str_a, str_ref))
        return 0;
    /* memmove inside a, the destination shift bytes from the source (either side) */
    str_fill(str_a, 5), str_fill(str_ref, 5);
    for (size_t i = 0; i < n; i++)
        str_ref[16 + off + shift + i] = (uint8_t)((16 + off + i) * 13 + 5);
    memmove(str_a + 16 + off + shift, str_a + 16 + off, n);
    if (!str_same(str_a, str_ref))
        return 0;
    /* memset */
    str_fill(str_a, 7), str_fill(str_ref, 7);
    for (size_t i = 0; i < n; i++)
        str_ref[off + i] = 0xA5;
    memset(str_a + off, 0xA5, n);
    return str_same(str_a, str_ref);
}

void ktest_string_copies(struct ktest *t)
{
    static const int shifts[] = { -9, -8, -1, 1, 3, 8, 11 };

    for (size_t off = 0; off <= 8; off++)
        for (size_t n = 0; n <= 40; n++)
            for (unsigned k = 0; k < sizeof shifts / sizeof shifts[0]; k++)
                if (!str_case(off, n, shifts[k])) {
                    printk(LOG_ERR, "string_copies: wrong at offset %u, length %u, shift %d\n",
                           (unsigned)off, (unsigned)n, shifts[k]);
                    KTEST_ASSERT(t, str_case(off, n, shifts[k]));
                    return;
                }
    KTEST_ASSERT(t, str_case(1, 4096 + 3, 5));
    KTEST_ASSERT(t, str_case(2, 4096 + 3, -13));
}
