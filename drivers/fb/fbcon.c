/*
 * fbcon.c - framebuffer text console (see fbcon.h).
 *
 * Layers: the pixel layer packs a colour for the mode (pack_color) and
 * stores one pixel at the mode's depth (put_pixel); the glyph layer draws a
 * PSF glyph cell by cell (draw_glyph); the text layer is textgrid's cursor
 * logic with this file's scroll (scroll copies the framebuffer up by one text line, 8 bytes at a
 * time when the pitch allows, and clears the last line).
 * Framebuffer memory is reached through the HHDM (arch_phys_to_virt).
 */
#include <stdint.h>

#include "arch.h"
#include "fb/fbcon.h"
#include "fb/psf.h"
#include <string.h>
#include "textgrid.h"

extern const uint8_t font_psf_start[], font_psf_end[];  /* kernel/arch/x86_64/font.asm */

static struct psf_font font;
static struct bootinfo_fb mode;
static uint8_t *fb;
static unsigned bytes_pp;
static void draw_glyph(unsigned cx, unsigned cy, char c);
static void scroll(void);
static struct textgrid grid = { .draw = draw_glyph, .scroll = scroll };
static uint32_t fg, bg;

/* Scale an 8-bit channel value to the mode's channel size and place it. */
static uint32_t channel(uint8_t v, uint8_t pos, uint8_t size)
{
    if (size == 0)
        return 0;
    return (uint32_t)(size >= 8 ? v : v >> (8 - size)) << pos;
}

static uint32_t pack_color(uint8_t r, uint8_t g, uint8_t b)
{
    return channel(r, mode.red_pos, mode.red_size) |
           channel(g, mode.green_pos, mode.green_size) |
           channel(b, mode.blue_pos, mode.blue_size);
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

static void draw_glyph(unsigned cx, unsigned cy, char c)
{
    const uint8_t *g = psf_glyph(&font, (unsigned char)c);
    uint8_t *line = fb + (size_t)cy * font.height * mode.pitch +
                    (size_t)cx * font.width * bytes_pp;

    for (unsigned y = 0; y < font.height; y++, line += mode.pitch, g += font.bytes_per_row)
        for (unsigned x = 0; x < font.width; x++)
            put_pixel(line + x * bytes_pp, (g[x / 8] & (0x80 >> (x % 8))) ? fg : bg);
}

static void fill_pixels(uint8_t *start, size_t lines)
{
    for (size_t y = 0; y < lines; y++)
        for (unsigned x = 0; x < mode.width; x++)
            put_pixel(start + y * mode.pitch + x * bytes_pp, bg);
}

static void scroll(void)
{
    size_t line_bytes = (size_t)font.height * mode.pitch;
    size_t move = line_bytes * (grid.rows - 1);

    if (mode.pitch % 8 == 0) {
        volatile uint64_t *d = (volatile uint64_t *)fb;
        const volatile uint64_t *s = (const volatile uint64_t *)(fb + line_bytes);
        for (size_t i = 0; i < move / 8; i++)
            d[i] = s[i];
    } else {
        memmove(fb, fb + line_bytes, move);
    }
    fill_pixels(fb + move, font.height);
}

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

int fbcon_init(const struct bootinfo_fb *m)
{
    const char *why;

    if (!mode_ok(m))
        return -1;
    if (psf_parse(font_psf_start, (size_t)(font_psf_end - font_psf_start), &font, &why) != 0)
        return -1;
    mode = *m;
    bytes_pp = (m->bpp + 7) / 8;
    grid.cols = m->width / font.width;
    grid.rows = m->height / font.height;
    if (grid.cols == 0 || grid.rows == 0)
        return -1;
    fb = arch_phys_to_virt(m->addr);
    fg = pack_color(0xC0, 0xC0, 0xC0);
    bg = pack_color(0x00, 0x00, 0x00);
    grid.col = grid.row = 0;
    fill_pixels(fb, m->height);
    return 0;
}

struct textgrid *fbcon_grid(void)
{
    return &grid;
}

void fbcon_write(const char *s, size_t len)
{
    if (!fb)
        return;
    for (size_t i = 0; i < len; i++)
        textgrid_put(&grid, s[i]);
}
