/*
 * fbcon.c - the framebuffer renderer of the terminal emulator (see fbcon.h).
 *
 * Layers: the pixel layer packs a colour for the mode (pack_colour, the
 * 256-colour palette packed once at init) and stores one pixel at the
 * mode's depth (put_pixel, with a 32-bit path that stores whole words); the
 * glyph layer draws a cell, a PSF glyph in its two colours with the
 * underline (draw_cell; 8-pixel glyphs at 32 bits a row as four word
 * stores from a table of each 4-pixel piece in the cell's two colours,
 * draw_cell_fast); the renderer layer is struct vt_ops: draw cells,
 * move rows (a scroll copies framebuffer memory with one REP MOVSQ,
 * arch_copy_words, instead of drawing the glyphs again), the cursor (two
 * scanlines at the bottom of its cell in CURSOR_COLOUR).
 * Framebuffer memory is reached through the HHDM (arch_phys_to_virt); it
 * is read only to move rows and to check cells (fbcon_cell_shows).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "fb/fbcon.h"
#include "fb/psf.h"
#include "mutant.h"
#include "term/vtcolour.h"

/* Bright white: a colour text in the default colours never has, so the
 * screens check (tests/screens/cells.py) does not take the cursor for text. */
#define CURSOR_COLOUR   15
#define CURSOR_LINES    2

extern const uint8_t font_psf_start[], font_psf_end[];  /* kernel/arch/x86_64/font.asm */

static struct psf_font font;
static struct bootinfo_fb mode;
static uint8_t *fb;
static unsigned bytes_pp, cols, rows;
static uint32_t palette[256];           /* packed for the mode */

/* Scale an 8-bit channel value to the mode's channel size and place it. */
static uint32_t channel(uint8_t v, uint8_t pos, uint8_t size)
{
    if (size == 0)
        return 0;
    return (uint32_t)(size >= 8 ? v : v >> (8 - size)) << pos;
}

static uint32_t pack_colour(uint32_t rgb)
{
    return channel((uint8_t)(rgb >> 16), mode.red_pos, mode.red_size) |
           channel((uint8_t)(rgb >> 8), mode.green_pos, mode.green_size) |
           channel((uint8_t)rgb, mode.blue_pos, mode.blue_size);
}

static void put_pixel(uint8_t *p, uint32_t v)
{
    if (bytes_pp == 4) {
        *(volatile uint32_t *)p = v;
    } else if (bytes_pp == 3) {
        p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16);
    } else {
        *(volatile uint16_t *)p = (uint16_t)v;
    }
}

static uint32_t get_pixel(const uint8_t *p)
{
    if (bytes_pp == 4)
        return *(const volatile uint32_t *)p;
    if (bytes_pp == 3)
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return *(const volatile uint16_t *)p;
}

static uint8_t *cell_origin(unsigned cx, unsigned cy)
{
    return fb + (size_t)cy * font.height * mode.pitch + (size_t)cx * font.width * bytes_pp;
}

static const uint8_t *glyph_of(uint32_t ch)
{
    return psf_glyph_cp(&font, ch);
}

/* Is pixel (x, y) of a cell drawn with glyph g in the foreground colour? */
static int cell_pixel_on(const struct vt_cell *c, const uint8_t *g, unsigned x, unsigned y)
{
    if ((c->attr & VT_ATTR_UNDERLINE) && y == font.height - 1)
        return 1;
    return (g[y * font.bytes_per_row + x / 8] & (0x80 >> (x % 8))) != 0;
}

/* The 32-bit pixels of each 4-bit piece of a glyph row in one fg/bg pair,
 * two pixels a word: a row of an 8-pixel-wide glyph is four word stores. */
static uint64_t nibble_pixels[16][2];
static uint32_t nibble_fg, nibble_bg = 1;

static void nibbles_for(uint32_t fg, uint32_t bg)
{
    if (fg == nibble_fg && bg == nibble_bg)
        return;
    for (unsigned n = 0; n < 16; n++)
        for (unsigned i = 0; i < 2; i++) {
            uint64_t lo = (n & (8 >> 2 * i)) ? fg : bg, hi = (n & (4 >> 2 * i)) ? fg : bg;
            nibble_pixels[n][i] = lo | hi << 32;
        }
    nibble_fg = fg, nibble_bg = bg;
}

/* A cell 8 pixels wide at 32 bits, word-aligned rows: the common case. */
static int fast_cells(void)
{
    return bytes_pp == 4 && font.width == 8 && mode.pitch % 8 == 0 && (uintptr_t)fb % 8 == 0;
}

static void draw_cell_fast(uint8_t *line, const uint8_t *g, int underline, uint32_t fg, uint32_t bg)
{
    nibbles_for(fg, bg);
    for (unsigned y = 0; y < font.height; y++, line += mode.pitch) {
        unsigned bits = underline && y == font.height - 1 ? 0xFF : g[y];
        volatile uint64_t *p = (volatile uint64_t *)line;
        p[0] = nibble_pixels[bits >> 4][0];
        p[1] = nibble_pixels[bits >> 4][1];
        p[2] = nibble_pixels[bits & 15][0];
        p[3] = nibble_pixels[bits & 15][1];
    }
}

static void draw_cell(unsigned cx, unsigned cy, const struct vt_cell *c)
{
    const uint8_t *g = glyph_of(c->ch);
    uint8_t *line = cell_origin(cx, cy);
    uint8_t fgi, bgi;
    uint32_t fg, bg;

    vtcolour_resolve(c, &fgi, &bgi);
    fg = palette[fgi], bg = palette[bgi];
    if (fast_cells())
        return draw_cell_fast(line, g, (c->attr & VT_ATTR_UNDERLINE) != 0, fg, bg);
    for (unsigned y = 0; y < font.height; y++, line += mode.pitch)
        for (unsigned x = 0; x < font.width; x++)
            put_pixel(line + x * bytes_pp, cell_pixel_on(c, g, x, y) ? fg : bg);
}

static void fb_draw(void *ctx, unsigned col, unsigned row, const struct vt_cell *cells, unsigned n)
{
    (void)ctx;
    for (unsigned i = 0; i < n; i++)
        draw_cell(col + i, row, &cells[i]);
}

/* Copy n bytes inside the framebuffer (the ranges may overlap). */
static void copy_pixels(uint8_t *dst, const uint8_t *src, size_t n)
{
    if ((uintptr_t)dst % 8 || (uintptr_t)src % 8 || n % 8)
        memmove(dst, src, n);
    else
        arch_copy_words(dst, src, n / 8, dst > src);
}

static void fb_move(void *ctx, unsigned top, unsigned bottom, unsigned n, int up)
{
    size_t row_bytes = (size_t)font.height * mode.pitch;
    uint8_t *upper = fb + top * row_bytes, *lower = fb + (top + n) * row_bytes;
    size_t bytes = (bottom - top - n) * row_bytes;

    (void)ctx;
    if (MUTANT_ENABLED(fbcon_move))
        return;                         /* rows not moved: a scroll leaves the old pixels */
    if (up)
        copy_pixels(upper, lower, bytes);
    else
        copy_pixels(lower, upper, bytes);
}

static void fb_cursor(void *ctx, unsigned col, unsigned row, const struct vt_cell *under, int visible)
{
    uint8_t *line = cell_origin(col, row) + (size_t)(font.height - CURSOR_LINES) * mode.pitch;

    (void)ctx, (void)under;
    if (!visible)
        return;
    for (unsigned y = 0; y < CURSOR_LINES; y++, line += mode.pitch)
        for (unsigned x = 0; x < font.width; x++)
            put_pixel(line + x * bytes_pp, palette[CURSOR_COLOUR]);
}

static const struct vt_ops ops = { fb_draw, fb_move, fb_cursor, 0 };

static int mode_ok(const struct bootinfo_fb *m)
{
    unsigned bpp = m->bpp;

    if (m->addr == 0 || (bpp != 16 && bpp != 24 && bpp != 32))
        return 0;
    if (m->width == 0 || m->height == 0 || m->pitch < m->width * ((bpp + 7) / 8))
        return 0;
    return m->red_pos + m->red_size <= bpp && m->green_pos + m->green_size <= bpp &&
           m->blue_pos + m->blue_size <= bpp;
}

static void clear_screen(void)
{
    for (unsigned y = 0; y < mode.height; y++)
        for (unsigned x = 0; x < mode.width; x++)
            put_pixel(fb + (size_t)y * mode.pitch + x * bytes_pp, palette[VT_DEFAULT_BG]);
}

int fbcon_init(const struct bootinfo_fb *m)
{
    const char *why;

    if (!mode_ok(m))
        return -1;
    if (psf_parse(font_psf_start, (size_t)(font_psf_end - font_psf_start), &font, &why) != 0)
        return -1;
    mode = *m;
    bytes_pp = (m->bpp + 7) / 8;
    cols = m->width / font.width;
    rows = m->height / font.height;
    if (cols == 0 || rows == 0)
        return -1;
    fb = arch_phys_to_virt(m->addr);
    for (unsigned i = 0; i < 256; i++)
        palette[i] = pack_colour(vtcolour_rgb((uint8_t)i));
    clear_screen();
    return 0;
}

const struct vt_ops *fbcon_ops(unsigned *ncols, unsigned *nrows)
{
    *ncols = cols, *nrows = rows;
    return &ops;
}

int fbcon_cell_shows(unsigned col, unsigned row, const struct vt_cell *c)
{
    const uint8_t *g = glyph_of(c->ch);
    const uint8_t *line = cell_origin(col, row);
    uint8_t fg, bg;

    vtcolour_resolve(c, &fg, &bg);
    for (unsigned y = 0; y < font.height; y++, line += mode.pitch)
        for (unsigned x = 0; x < font.width; x++)
            if (get_pixel(line + x * bytes_pp) != palette[cell_pixel_on(c, g, x, y) ? fg : bg])
                return 0;
    return 1;
}
