/*
 * console.h - the screen console: picks the renderer for the boot info's
 * display and starts the first virtual console (tty1, kernel/term/vt.c) on
 * it; printk's screen output goes there.
 *
 * console_init picks the renderer: a linear framebuffer (BOOTINFO_FB_RGB)
 * gets fbcon (drivers/fb), VGA text mode (or a framebuffer fbcon cannot
 * drive) gets vga (drivers/vga), BOOTINFO_FB_NONE gets nothing. Before
 * console_init, and with no display, console_write does nothing.
 *
 * tty1 keeps VT_SCROLLBACK_1 rows of scrollback from the heap (fewer if the
 * heap has no room): the loader's lines, replayed first, and the kernel's
 * earliest lines stay readable after they scroll off the screen;
 * Shift+PgUp/PgDn browse it (kernel/term/vt_input.c).
 */
#pragma once

#include <stddef.h>

#include "bootinfo.h"
#include "term/vtemu.h"

enum console_kind {
    CONSOLE_NONE,
    CONSOLE_FB,
    CONSOLE_VGA,
};

enum console_kind console_init(const struct bootinfo_fb *fb);
enum console_kind console_kind(void);
/* printk's lines (\n is a new line) onto tty1. */
void console_write(const char *s, size_t len);

/* Row n of tty1 (0.. the screen, -1.. the scrollback, newest first), *cols
 * its width; NULL outside or without a console. */
const struct vt_cell *console_line(int n, unsigned *cols);
unsigned console_scrollback_rows(void);     /* rows tty1's scrollback holds */
/* Show the active console `back` rows back (0: live); returns the rows shown back. */
unsigned console_view(unsigned back);
/* 1 when the screen shows cell c at (col, row) (the renderer's pixels or text memory). */
int console_cell_shows(unsigned col, unsigned row, const struct vt_cell *c);
