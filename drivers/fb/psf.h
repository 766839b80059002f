/*
 * psf.h - PC Screen Font parsing (PSF1 and PSF2, as shipped by the Linux
 * console and Debian's console-setup).
 *
 * psf_parse checks a font in memory and describes it; nothing is copied,
 * the glyphs stay where they are. Fonts with a Unicode table (Lat15-* do:
 * their glyph order is not ASCII) get a map from code points 0..255
 * (ASCII and Latin-1) to glyph indices, and a sorted list of the code
 * points above 255 the table names (box drawing, block elements, the
 * symbols of the DEC special graphics set), searched by bisection; without
 * a table glyph i is code i. Code points the font lacks map to the glyph
 * for '?' (or glyph 0).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PSF_WIDE_MAX    640     /* code points above 255 kept (Lat15-Terminus16 names 337) */

struct psf_font {
    const uint8_t *glyphs;      /* glyph 0; glyph i at glyphs + i * bytes_per_glyph */
    uint32_t count;             /* number of glyphs */
    uint32_t width, height;     /* pixels */
    uint32_t bytes_per_row;     /* (width + 7) / 8: rows are padded to bytes, MSB first */
    uint32_t bytes_per_glyph;
    uint16_t map[256];          /* Latin-1 code point -> glyph index */
    uint16_t fallback;          /* the glyph of a code point the font lacks */
    uint32_t wide_count;
    struct psf_wide {           /* code points above 255, sorted by cp */
        uint32_t cp;
        uint16_t glyph;
    } wide[PSF_WIDE_MAX];
};

/* 0 when data[0..size) is a usable PSF font; -1 and *why otherwise. */
int psf_parse(const void *data, size_t size, struct psf_font *font, const char **why);

/* The glyph bitmap for a Latin-1 character. */
const uint8_t *psf_glyph(const struct psf_font *font, unsigned char c);
/* The glyph bitmap for any code point (the fallback glyph when the font lacks it). */
const uint8_t *psf_glyph_cp(const struct psf_font *font, uint32_t cp);
