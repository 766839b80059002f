/*
 * fbcon.h - a text console drawn with the PSF font on the linear framebuffer
 * the loader set up (bootinfo.fb, type BOOTINFO_FB_RGB).
 *
 * fbcon_init accepts 16, 24 and 32 bits per pixel with the channel positions
 * and sizes the boot info gives (so RGB565, BGR888, xRGB8888 all work) and
 * returns -1 for anything else (the caller then falls back). The screen is
 * a grid of width/font-width by height/font-height cells; text wraps at the
 * right edge and the screen scrolls up one text line at the bottom.
 * Handles \n, \r, \t, \b. No lock of its own: printk's print lock
 * serialises the writers (console.c).
 */
#pragma once

#include <stddef.h>

#include "bootinfo.h"

int  fbcon_init(const struct bootinfo_fb *fb);
struct textgrid *fbcon_grid(void);     /* its text and scrollback: console.c */
void fbcon_write(const char *s, size_t len);
