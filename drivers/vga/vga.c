/*
 * vga.c - VGA text mode: a grid of 16-bit cells (character, attribute) in
 * memory at 0xB8000, reached through the HHDM. The cursor logic is
 * textgrid's; here: drawing a cell, scrolling by moving the rows up, and
 * the hardware cursor under the next character (CRTC registers 0x0E/0x0F,
 * cursor location high/low: IBM VGA reference).
 */
#include <stdint.h>

#include "arch.h"
#include "textgrid.h"
#include "vga/vga.h"

#define VGA_TEXT_PHYS   0xB8000
#define VGA_COLS        80
#define VGA_ROWS        25
#define VGA_ATTR        0x07    /* light grey on black */
#define CRTC_INDEX      0x3D4
#define CRTC_DATA       0x3D5
#define CRTC_CURSOR_HI  0x0E
#define CRTC_CURSOR_LO  0x0F

static volatile uint16_t *cells;
static void draw(unsigned col, unsigned row, char c);
static void scroll(void);
static struct textgrid grid = { .cols = VGA_COLS, .rows = VGA_ROWS, .draw = draw, .scroll = scroll };

static void update_cursor(void)
{
    unsigned pos = grid.row * grid.cols + grid.col;

    arch_outb(CRTC_INDEX, CRTC_CURSOR_HI);
    arch_outb(CRTC_DATA, (uint8_t)(pos >> 8));
    arch_outb(CRTC_INDEX, CRTC_CURSOR_LO);
    arch_outb(CRTC_DATA, (uint8_t)pos);
}

static void clear_row(unsigned r)
{
    for (unsigned c = 0; c < grid.cols; c++)
        cells[r * grid.cols + c] = (uint16_t)(VGA_ATTR << 8 | ' ');
}

static void draw(unsigned col, unsigned row, char c)
{
    cells[row * grid.cols + col] = (uint16_t)(VGA_ATTR << 8 | (uint8_t)c);
}

static void scroll(void)
{
    for (unsigned i = 0; i < (grid.rows - 1) * grid.cols; i++)
        cells[i] = cells[i + grid.cols];
    clear_row(grid.rows - 1);
}

static void setup(uint64_t phys, unsigned ncols, unsigned nrows)
{
    cells = arch_phys_to_virt(phys);
    grid.cols = ncols;
    grid.rows = nrows;
    grid.col = grid.row = 0;
    for (unsigned r = 0; r < grid.rows; r++)
        clear_row(r);
    update_cursor();
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

void vga_write(const char *s, size_t len)
{
    if (!cells)
        return;
    for (size_t i = 0; i < len; i++)
        textgrid_put(&grid, s[i]);
    update_cursor();
}

struct textgrid *vga_grid(void)
{
    return &grid;
}

void vga_emergency_write(const char *s, size_t len)
{
    if (!cells)
        setup(VGA_TEXT_PHYS, VGA_COLS, VGA_ROWS);
    vga_write(s, len);
}
