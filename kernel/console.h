/*
 * console.h - the screen console: one interface over the framebuffer text
 * console (drivers/fb) and VGA text mode (drivers/vga).
 *
 * console_init picks the driver from the boot info's display: a linear
 * framebuffer (BOOTINFO_FB_RGB) gets fbcon, VGA text mode (or a framebuffer
 * fbcon cannot drive) gets vga, BOOTINFO_FB_NONE gets nothing. Before
 * console_init, and with no display, console_write does nothing.
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
