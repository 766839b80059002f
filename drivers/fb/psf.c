/*
 * psf.c - PC Screen Font parsing; the formats (from the kbd project's
 * psf.h, the reference for both):
 *
 * PSF1: magic 36 04, mode (bit 0: 512 glyphs, bit 1: Unicode table,
 *   bit 2: table with sequences), charsize (= height; width is 8). Glyphs
 *   follow the 4-byte header; the Unicode table follows the glyphs: per
 *   glyph, u16 code points, 0xFFFE starts a sequence, 0xFFFF ends the glyph.
 * PSF2: magic 72 B5 4A 86, then u32 version, headersize, flags (bit 0:
 *   Unicode table), length, charsize, height, width. The table holds per
 *   glyph UTF-8 strings, 0xFE starts a sequence, 0xFF ends the glyph.
 *
 * The font is untrusted in principle (it could be swapped at build time):
 * every size is checked against the buffer before use.
 */
#include "fb/psf.h"

#define PSF1_MAGIC0     0x36
#define PSF1_MAGIC1     0x04
#define PSF1_MODE512    0x01
#define PSF1_MODEHASTAB 0x06
#define PSF1_SEPARATOR  0xFFFF
#define PSF1_STARTSEQ   0xFFFE
#define PSF2_MAGIC      0x864AB572U
#define PSF2_HAS_UNICODE_TABLE 0x01
#define PSF2_SEPARATOR  0xFF
#define PSF2_STARTSEQ   0xFE
#define PSF_MAX_DIM     64
#define MAP_UNSET       0xFFFF

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void map_set(struct psf_font *f, uint32_t cp, uint32_t glyph)
{
    if (cp < 256) {
        if (f->map[cp] == MAP_UNSET)
            f->map[cp] = (uint16_t)glyph;
    } else if (f->wide_count < PSF_WIDE_MAX) {
        f->wide[f->wide_count].cp = cp;
        f->wide[f->wide_count++].glyph = (uint16_t)glyph;
    }
}

/* Sort the wide list by code point (insertion: the tables come nearly sorted), keep the
 * first glyph named for a code point. */
static void wide_sort(struct psf_font *f)
{
    uint32_t n = 0;

    for (uint32_t i = 1; i < f->wide_count; i++) {
        struct psf_wide w = f->wide[i];
        uint32_t j = i;
        for (; j > 0 && f->wide[j - 1].cp > w.cp; j--)
            f->wide[j] = f->wide[j - 1];
        f->wide[j] = w;
    }
    for (uint32_t i = 0; i < f->wide_count; i++)
        if (n == 0 || f->wide[n - 1].cp != f->wide[i].cp)
            f->wide[n++] = f->wide[i];
    f->wide_count = n;
}

/* PSF1 table: u16 entries; only code points before a sequence count. */
static void psf1_table(struct psf_font *f, const uint8_t *p, const uint8_t *end)
{
    uint32_t glyph = 0;
    int in_seq = 0;

    for (; p + 2 <= end && glyph < f->count; p += 2) {
        uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8;

        if (v == PSF1_SEPARATOR)
            glyph++, in_seq = 0;
        else if (v == PSF1_STARTSEQ)
            in_seq = 1;
        else if (!in_seq)
            map_set(f, v, glyph);
    }
}

/* Decode one UTF-8 code point. */
static uint32_t utf8_next(const uint8_t **p, const uint8_t *end)
{
    uint32_t c = *(*p)++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

    c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
    while (extra-- && *p < end && (**p & 0xC0) == 0x80)
        c = c << 6 | (*(*p)++ & 0x3F);
    return c;
}

static void psf2_table(struct psf_font *f, const uint8_t *p, const uint8_t *end)
{
    uint32_t glyph = 0;
    int in_seq = 0;

    while (p < end && glyph < f->count) {
        if (*p == PSF2_SEPARATOR)
            glyph++, in_seq = 0, p++;
        else if (*p == PSF2_STARTSEQ)
            in_seq = 1, p++;
        else if (in_seq)
            (void)utf8_next(&p, end);
        else
            map_set(f, utf8_next(&p, end), glyph);
    }
}

static int parse_header(const uint8_t *d, size_t size, struct psf_font *f,
                        uint32_t *hdr, int *table, int *psf2)
{
    if (size >= 4 && d[0] == PSF1_MAGIC0 && d[1] == PSF1_MAGIC1) {
        f->count = (d[2] & PSF1_MODE512) ? 512 : 256;
        f->width = 8;
        f->height = d[3];
        *hdr = 4;
        *table = (d[2] & PSF1_MODEHASTAB) != 0;
        *psf2 = 0;
        return 0;
    }
    if (size >= 32 && rd32(d) == PSF2_MAGIC) {
        *hdr = rd32(d + 8);
        *table = (rd32(d + 12) & PSF2_HAS_UNICODE_TABLE) != 0;
        f->count = rd32(d + 16);
        f->height = rd32(d + 24);
        f->width = rd32(d + 28);
        *psf2 = 1;
        return rd32(d + 20) == ((f->width + 7) / 8) * f->height ? 0 : -1;
    }
    return -1;
}

int psf_parse(const void *data, size_t size, struct psf_font *f, const char **why)
{
    const uint8_t *d = data;
    uint32_t hdr;
    int table, psf2;
    uint64_t glyph_bytes;
    uint16_t fallback;

    if (parse_header(d, size, f, &hdr, &table, &psf2) != 0)
        return *why = "not a PSF1 or PSF2 font", -1;
    if (f->width == 0 || f->height == 0 || f->width > PSF_MAX_DIM ||
        f->height > PSF_MAX_DIM || f->count == 0 || f->count > 65535)
        return *why = "font dimensions out of range", -1;
    f->bytes_per_row = (f->width + 7) / 8;
    f->bytes_per_glyph = f->bytes_per_row * f->height;
    glyph_bytes = (uint64_t)f->count * f->bytes_per_glyph;
    if (hdr < 4 || hdr > size || glyph_bytes > size - hdr)
        return *why = "font shorter than its header says", -1;
    f->glyphs = d + hdr;
    for (unsigned i = 0; i < 256; i++)
        f->map[i] = MAP_UNSET;
    f->wide_count = 0;
    if (table && psf2)
        psf2_table(f, f->glyphs + glyph_bytes, d + size);
    else if (table)
        psf1_table(f, f->glyphs + glyph_bytes, d + size);
    wide_sort(f);
    fallback = f->map['?'] != MAP_UNSET ? f->map['?'] : 0;
    f->fallback = fallback;
    for (unsigned i = 0; i < 256; i++)     /* no table: glyph i is code i */
        if (f->map[i] == MAP_UNSET)
            f->map[i] = (uint16_t)(!table && i < f->count ? i : fallback);
    return 0;
}

const uint8_t *psf_glyph(const struct psf_font *f, unsigned char c)
{
    return f->glyphs + (size_t)f->map[c] * f->bytes_per_glyph;
}

const uint8_t *psf_glyph_cp(const struct psf_font *f, uint32_t cp)
{
    uint32_t lo = 0, hi = f->wide_count;

    if (cp < 256)
        return psf_glyph(f, (unsigned char)cp);
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->wide[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < f->wide_count && f->wide[lo].cp == cp)
        return f->glyphs + (size_t)f->wide[lo].glyph * f->bytes_per_glyph;
    return f->glyphs + (size_t)f->fallback * f->bytes_per_glyph;
}
