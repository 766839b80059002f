/*
 * test_misc.c - ktests for the small pieces: command-line words, the
 * embedded PSF font, TSC calibration.
 */
#include "arch.h"
#include "cmdline.h"
#include "fb/psf.h"
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
