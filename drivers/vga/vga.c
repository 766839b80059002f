/*
 * vga.c - the terminal emulator's renderer in VGA text mode: a grid of
 * 16-bit cells (character, attribute) in memory at 0xB8000, reached through
 * the HHDM. Here: a cell's attribute byte from its colours (the 256 are
 * brought down to the VGA's 16, the background to 8: attribute bit 7 is
 * blink), its character (the card's font is code page 437: ASCII shows,
 * and so do the box-drawing, block and DEC special graphics symbols CP437
 * has, through cp437_of; other code points show as '?'), moving rows for
 * a scroll, and the
 * hardware cursor (CRTC registers 0x0E/0x0F cursor location, 0x0A cursor
 * start with bit 5 cursor off: IBM VGA reference).
 *
 * vga_emergency_write needs neither heap nor boot info: it runs an
 * emulator of its own over static cells, for the message that refuses a
 * bad boot info.
 */
#include <stdint.h>

#include "arch.h"
#include "term/vtcolour.h"
#include "vga/vga.h"

#define VGA_TEXT_PHYS   0xB8000
#define VGA_COLS        80
#define VGA_ROWS        25
#define CRTC_INDEX      0x3D4
#define CRTC_DATA       0x3D5
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_OFF 0x20    /* cursor start register bit 5 */
#define CRTC_CURSOR_HI  0x0E
#define CRTC_CURSOR_LO  0x0F
#define CURSOR_SCANLINE 14      /* an underline cursor in a 16-line cell */

static volatile uint16_t *cells;
static unsigned cols = VGA_COLS, rows = VGA_ROWS;

/* A palette index to the VGA's 16 colours: ANSI's order (red = 1) is not
 * the VGA's (blue = 1); the cube and grey ramp go to the nearest. */
static uint8_t vga_colour(uint8_t i)
{
    static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

    if (i < 16)
        return (uint8_t)(ansi_to_vga[i % 8] | (i & 8));
    if (i >= 232)
        return i < 238 ? 0 : i < 244 ? 8 : i < 250 ? 7 : 15;
    i -= 16;
    {
        unsigned r = i / 36, g = i / 6 % 6, b = i % 6;
        uint8_t c = (uint8_t)((r >= 2 ? 4 : 0) | (g >= 2 ? 2 : 0) | (b >= 2 ? 1 : 0));
        return (uint8_t)(c | (r >= 4 || g >= 4 || b >= 4 ? 8 : 0));
    }
}

/* Code points above ASCII that code page 437 has (IBM's table): the line drawing of the DEC
 * special graphics set (vtemu.c) and the common box-drawing and block characters. */
static const struct { uint16_t cp; uint8_t cp437; } cp437_extra[] = {
    { 0x00A3, 0x9C }, { 0x00B0, 0xF8 }, { 0x00B1, 0xF1 }, { 0x00B7, 0xFA }, { 0x03C0, 0xE3 },
    { 0x2264, 0xF3 }, { 0x2265, 0xF2 }, { 0x2500, 0xC4 }, { 0x2502, 0xB3 }, { 0x250C, 0xDA },
    { 0x2510, 0xBF }, { 0x2514, 0xC0 }, { 0x2518, 0xD9 }, { 0x251C, 0xC3 }, { 0x2524, 0xB4 },
    { 0x252C, 0xC2 }, { 0x2534, 0xC1 }, { 0x253C, 0xC5 }, { 0x2550, 0xCD }, { 0x2551, 0xBA },
    { 0x2554, 0xC9 }, { 0x2557, 0xBB }, { 0x255A, 0xC8 }, { 0x255D, 0xBC }, { 0x2560, 0xCC },
    { 0x2563, 0xB9 }, { 0x2566, 0xCB }, { 0x2569, 0xCA }, { 0x256C, 0xCE }, { 0x2588, 0xDB },
    { 0x2591, 0xB0 }, { 0x2592, 0xB1 }, { 0x2593, 0xB2 }, { 0x25C6, 0x04 },
};

static uint8_t cp437_of(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return (uint8_t)cp;
    for (unsigned i = 0; i < sizeof cp437_extra / sizeof cp437_extra[0]; i++)
        if (cp437_extra[i].cp == cp)
            return cp437_extra[i].cp437;
    return '?';
}

static uint16_t vga_cell(const struct vt_cell *c)
{
    uint8_t fg, bg;
    uint8_t ch = cp437_of(c->ch);

    vtcolour_resolve(c, &fg, &bg);
    return (uint16_t)((vga_colour(bg) & 7) << 12 | vga_colour(fg) << 8 | ch);
}

static void vga_draw(void *ctx, unsigned col, unsigned row, const struct vt_cell *c, unsigned n)
{
    volatile uint16_t *p = cells + row * cols + col;

    (void)ctx;
    for (unsigned i = 0; i < n; i++)
        p[i] = vga_cell(&c[i]);
}

static void vga_move(void *ctx, unsigned top, unsigned bottom, unsigned n, int up)
{
    unsigned count = (bottom - top - n) * cols;
    volatile uint16_t *upper = cells + top * cols, *lower = cells + (top + n) * cols;

    (void)ctx;
    if (up)
        for (unsigned i = 0; i < count; i++)
            upper[i] = lower[i];
    else
        for (unsigned i = count; i-- > 0;)
            lower[i] = upper[i];
}

static void crtc(uint8_t index, uint8_t value)
{
    arch_outb(CRTC_INDEX, index);
    arch_outb(CRTC_DATA, value);
}

static void vga_cursor(void *ctx, unsigned col, unsigned row, const struct vt_cell *under, int visible)
{
    unsigned pos = row * cols + col;

    (void)ctx, (void)under;
    crtc(CRTC_CURSOR_START, visible ? CURSOR_SCANLINE : CRTC_CURSOR_OFF);
    crtc(CRTC_CURSOR_HI, (uint8_t)(pos >> 8));
    crtc(CRTC_CURSOR_LO, (uint8_t)pos);
}

static const struct vt_ops ops = { vga_draw, vga_move, vga_cursor, 0 };

static void setup(uint64_t phys, unsigned ncols, unsigned nrows)
{
    cells = arch_phys_to_virt(phys);
    cols = ncols;
    rows = nrows;
}

int vga_init(const struct bootinfo_fb *fb)
{
    int sane = fb->addr == VGA_TEXT_PHYS && fb->width >= 40 && fb->width <= 132 &&
               fb->height >= 25 && fb->height <= 60;

    if (sane)
        setup(fb->addr, fb->width, fb->height);
    else
        setup(VGA_TEXT_PHYS, VGA_COLS, VGA_ROWS);
    return 0;
}

const struct vt_ops *vga_ops(unsigned *ncols, unsigned *nrows)
{
    *ncols = cols, *nrows = rows;
    return &ops;
}

int vga_cell_shows(unsigned col, unsigned row, const struct vt_cell *c)
{
    return cells[row * cols + col] == vga_cell(c);
}

void vga_emergency_write(const char *s, size_t len)
{
    static struct vt_cell mem[VTEMU_CELLS(VGA_COLS, VGA_ROWS, 0)];
    static struct vtemu emu;

    if (!emu.cols) {
        setup(VGA_TEXT_PHYS, VGA_COLS, VGA_ROWS);
        vtemu_init(&emu, VGA_COLS, VGA_ROWS, mem, 0);
        vtemu_attach(&emu, &ops, 0);
    }
    for (size_t i = 0; i < len; i++)
        vtemu_write(&emu, s[i] == '\n' ? "\r\n" : &s[i], s[i] == '\n' ? 2 : 1);
}
