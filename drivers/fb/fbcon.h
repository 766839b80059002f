/*
 * fbcon.h - the terminal emulator's renderer on the linear framebuffer the
 * loader set up (bootinfo.fb, type BOOTINFO_FB_RGB), drawing with the PSF
 * font the build embeds.
 *
 * fbcon_init accepts 16, 24 and 32 bits per pixel with the channel positions
 * and sizes the boot info gives (so RGB565, BGR888, xRGB8888 all work),
 * clears the screen, and returns -1 for anything else (the caller then
 * falls back). The screen is a grid of width/font-width by
 * height/font-height cells; fbcon_ops gives that size and the callbacks
 * (kernel/term/vtemu.h) a console draws through (kernel/term/vt.c). No
 * lock of its own: the caller holds the screen's (vt.c).
 */
#pragma once

#include <stddef.h>

#include "bootinfo.h"
#include "term/vtemu.h"

int  fbcon_init(const struct bootinfo_fb *fb);
const struct vt_ops *fbcon_ops(unsigned *cols, unsigned *rows);
/* 1 when the framebuffer's pixels of cell (col, row) are c drawn there. */
int  fbcon_cell_shows(unsigned col, unsigned row, const struct vt_cell *c);
