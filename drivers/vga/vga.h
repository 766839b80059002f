/*
 * vga.h - the terminal emulator's renderer in VGA text mode (80x25 at
 * physical 0xB8000), the fallback when the loader left no linear
 * framebuffer.
 *
 * vga_init takes the geometry from the boot info (columns, rows, address),
 * falling back to 80x25 at 0xB8000 when the values are not sane;
 * vga_ops gives that size and the callbacks (kernel/term/vtemu.h) a
 * console draws through. vga_emergency_write needs no boot info and no
 * heap: it is for messages before the boot info is trusted.
 */
#pragma once

#include <stddef.h>

#include "bootinfo.h"
#include "term/vtemu.h"

int  vga_init(const struct bootinfo_fb *fb);
const struct vt_ops *vga_ops(unsigned *cols, unsigned *rows);
/* 1 when text memory's cell (col, row) is c drawn there. */
int  vga_cell_shows(unsigned col, unsigned row, const struct vt_cell *c);
void vga_emergency_write(const char *s, size_t len);
