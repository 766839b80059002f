/*
 * vtcolour.h - what colours a cell is drawn in (vtcolour.c), shared by the
 * renderers (drivers/fb/fbcon.c, drivers/vga/vga.c).
 *
 * vtcolour_resolve turns a cell's colours and attributes into two palette
 * indices: default colours become VT_DEFAULT_FG / VT_DEFAULT_BG, bold makes
 * the eight basic colours bright and dim makes the bright ones basic (as
 * Linux's console does without a bold font), reverse swaps the two.
 * vtcolour_rgb gives an index's colour, xterm's 256-colour palette with
 * the VGA's first 16 (Linux's console palette): 0..15 the VGA colours,
 * 16..231 a 6x6x6 cube, 232..255 a grey ramp.
 */
#pragma once

#include <stdint.h>

#include "term/vtemu.h"

void vtcolour_resolve(const struct vt_cell *c, uint8_t *fg, uint8_t *bg);
uint32_t vtcolour_rgb(uint8_t index);          /* 0xRRGGBB */
