/*
 * console.h - the screen console: one interface over the framebuffer text
 * console (drivers/fb) and VGA text mode (drivers/vga).
 *
 * console_init picks the driver from the boot info's display: a linear
 * framebuffer (BOOTINFO_FB_RGB) gets fbcon, VGA text mode (or a framebuffer
 * fbcon cannot drive) gets vga, BOOTINFO_FB_NONE gets nothing. Before
 * console_init, and with no display, console_write does nothing.
 *
 * The console keeps its text (kernel/textgrid.c) with CONSOLE_SCROLLBACK_ROWS
 * rows of scrollback, from the heap (none if the heap has no room): the
 * loader's lines, replayed first, and the kernel's earliest lines stay
 * readable after they scroll off the screen. Browsing it (Shift+PgUp/PgDn)
 * comes with the keyboard.
 */
#pragma once

#include <stddef.h>

#include "bootinfo.h"

enum console_kind {
    CONSOLE_NONE,
    CONSOLE_FB,
    CONSOLE_VGA,
};

enum console_kind console_init(const struct bootinfo_fb *fb);
enum console_kind console_kind(void);
void console_write(const char *s, size_t len);

#define CONSOLE_SCROLLBACK_ROWS 1000

/* Row n of the console's text (textgrid_line: 0.. the screen, -1.. the
 * scrollback, newest first); *cols its width. NULL without text. */
const char *console_line(int n, unsigned *cols);
unsigned console_scrollback_rows(void);     /* rows the scrollback holds */
/* Show the screen `back` rows back (0: live); returns the rows shown back. */
unsigned console_view(unsigned back);
