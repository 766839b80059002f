/*
 * test_psf.c - host tests of the PSF font parser (drivers/fb/psf.c) on the
 * console font the kernel embeds (build/kernel/font.psf, gunzipped from
 * Debian's console-setup: Lat15-Terminus16, PSF1 with a Unicode table).
 *
 *   ascii_and_latin1      'A' and 'e' with acute have glyphs of their own,
 *                         not the fallback
 *   box_drawing           U+2500 (the DEC line drawing's horizontal line)
 *                         is a glyph with a full-width row, and U+2502 a
 *                         glyph with a column set in every row: the
 *                         code points above 255 are looked up
 *   unknown_is_fallback   a code point the font lacks (U+4E00) draws '?'
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fb/psf.h"

#ifndef FONT_PATH
#define FONT_PATH "build/kernel/font.psf"
#endif

static uint8_t *data;
static size_t size;
static struct psf_font font;

static int load(void **state)
{
    FILE *f = fopen(FONT_PATH, "rb");
    const char *why = NULL;

    (void)state;
    if (!f)
        return -1;
    data = malloc(65536);
    size = fread(data, 1, 65536, f);
    fclose(f);
    return psf_parse(data, size, &font, &why);
}

static int unload(void **state)
{
    (void)state;
    free(data);
    return 0;
}

static const uint8_t *question(void)
{
    return psf_glyph(&font, '?');
}

static void ascii_and_latin1(void **state)
{
    (void)state;
    assert_ptr_not_equal(psf_glyph_cp(&font, 'A'), question());
    assert_ptr_equal(psf_glyph_cp(&font, 'A'), psf_glyph(&font, 'A'));
    assert_ptr_not_equal(psf_glyph_cp(&font, 0xE9), question());
}

static void box_drawing(void **state)
{
    const uint8_t *h = psf_glyph_cp(&font, 0x2500), *v = psf_glyph_cp(&font, 0x2502);
    int full_row = 0;

    (void)state;
    assert_true(font.wide_count > 100);
    assert_ptr_not_equal(h, question());
    assert_ptr_not_equal(v, question());
    for (unsigned y = 0; y < font.height; y++)
        full_row |= h[y * font.bytes_per_row] == 0xFF;
    assert_true(full_row);
    for (unsigned y = 0; y < font.height; y++)
        assert_int_not_equal(v[y * font.bytes_per_row], 0);
}

static void unknown_is_fallback(void **state)
{
    (void)state;
    assert_ptr_equal(psf_glyph_cp(&font, 0x4E00), question());
    assert_ptr_equal(psf_glyph_cp(&font, 0x10FFFF), question());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_and_latin1),
        cmocka_unit_test(box_drawing),
        cmocka_unit_test(unknown_is_fallback),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
