/*
 * vga.h - VGA text mode console (80x25 at physical 0xB8000), the fallback
 * when the loader left no linear framebuffer.
 *
 * vga_init takes the geometry from the boot info (columns, rows, address),
 * falling back to 80x25 at 0xB8000 when the values are not sane, clears the
 * screen and homes the hardware cursor. vga_emergency_write needs no boot
 * info: it is for messages before the boot info is trusted.
 */
#pragma once

#include <stddef.h>

#include "bootinfo.h"

int  vga_init(const struct bootinfo_fb *fb);
struct textgrid *vga_grid(void);       /* its text and scrollback: console.c */
void vga_write(const char *s, size_t len);
void vga_emergency_write(const char *s, size_t len);
