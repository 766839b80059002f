/*
 * console.c - the screen console (see console.h): the renderer for the
 * display, tty1 started on it, printk's output to it.
 */
#include "console.h"
#include "fb/fbcon.h"
#include "term/vt.h"
#include "vga/vga.h"

static enum console_kind kind = CONSOLE_NONE;

enum console_kind console_init(const struct bootinfo_fb *fb)
{
    const struct vt_ops *ops = 0;
    unsigned cols = 0, rows = 0;

    kind = CONSOLE_NONE;
    if (fb->type == BOOTINFO_FB_RGB && fbcon_init(fb) == 0)
        kind = CONSOLE_FB, ops = fbcon_ops(&cols, &rows);
    else if (fb->type == BOOTINFO_FB_VGA_TEXT && vga_init(fb) == 0)
        kind = CONSOLE_VGA, ops = vga_ops(&cols, &rows);
    if (ops && vt_console_start(ops, cols, rows) != 0)
        kind = CONSOLE_NONE;
    return kind;
}

enum console_kind console_kind(void)
{
    return kind;
}

void console_write(const char *s, size_t len)
{
    if (kind != CONSOLE_NONE)
        vt_printk_write(s, len);
}

const struct vt_cell *console_line(int n, unsigned *cols)
{
    const struct vtemu *v = vt_emulator(1);

    *cols = v ? v->cols : 0;
    return v ? vtemu_row(v, n) : 0;
}

unsigned console_scrollback_rows(void)
{
    const struct vtemu *v = vt_emulator(1);

    return v ? vtemu_kept(v) : 0;
}

unsigned console_view(unsigned back)
{
    return vt_view(back);
}

int console_cell_shows(unsigned col, unsigned row, const struct vt_cell *c)
{
    if (kind == CONSOLE_FB)
        return fbcon_cell_shows(col, row, c);
    return kind == CONSOLE_VGA && vga_cell_shows(col, row, c);
}
