/*
 * console.c - routes screen output to the driver console_init chose, and
 * gives that driver's text grid its scrollback. See console.h.
 */
#include "console.h"
#include "fb/fbcon.h"
#include "mm/heap.h"
#include "textgrid.h"
#include "vga/vga.h"

static enum console_kind kind = CONSOLE_NONE;
static struct textgrid *grid;

/* The text and CONSOLE_SCROLLBACK_ROWS rows of scrollback, from the heap. */
static void keep_text(void)
{
    unsigned lines = grid->rows + CONSOLE_SCROLLBACK_ROWS;

    textgrid_keep_text(grid, kmalloc((size_t)lines * grid->cols), lines);
}

enum console_kind console_init(const struct bootinfo_fb *fb)
{
    kind = CONSOLE_NONE;
    grid = 0;
    if (fb->type == BOOTINFO_FB_RGB && fbcon_init(fb) == 0)
        kind = CONSOLE_FB, grid = fbcon_grid();
    else if (fb->type == BOOTINFO_FB_VGA_TEXT && vga_init(fb) == 0)
        kind = CONSOLE_VGA, grid = vga_grid();
    if (grid)
        keep_text();
    return kind;
}

enum console_kind console_kind(void)
{
    return kind;
}

void console_write(const char *s, size_t len)
{
    if (kind == CONSOLE_FB)
        fbcon_write(s, len);
    else if (kind == CONSOLE_VGA)
        vga_write(s, len);
}

const char *console_line(int n, unsigned *cols)
{
    *cols = grid ? grid->cols : 0;
    return grid ? textgrid_line(grid, n) : 0;
}

unsigned console_scrollback_rows(void)
{
    return grid ? grid->kept : 0;
}

unsigned console_view(unsigned back)
{
    return grid ? textgrid_view(grid, back) : 0;
}
