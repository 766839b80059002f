/*
 * vtcolour.c - cell colours to palette indices and RGB (see vtcolour.h).
 */
#include "term/vtcolour.h"

static const uint32_t vga16[16] = {
    0x000000, 0xAA0000, 0x00AA00, 0xAA5500, 0x0000AA, 0xAA00AA, 0x00AAAA, 0xAAAAAA,
    0x555555, 0xFF5555, 0x55FF55, 0xFFFF55, 0x5555FF, 0xFF55FF, 0x55FFFF, 0xFFFFFF,
};

void vtcolour_resolve(const struct vt_cell *c, uint8_t *fg, uint8_t *bg)
{
    uint8_t f = (c->attr & VT_ATTR_FG_DEFAULT) ? VT_DEFAULT_FG : c->fg;
    uint8_t b = (c->attr & VT_ATTR_BG_DEFAULT) ? VT_DEFAULT_BG : c->bg;

    if ((c->attr & VT_ATTR_BOLD) && f < 8)
        f += 8;
    else if ((c->attr & VT_ATTR_DIM) && f >= 8 && f < 16)
        f -= 8;
    if (c->attr & VT_ATTR_REVERSE)
        *fg = b, *bg = f;
    else
        *fg = f, *bg = b;
}

uint32_t vtcolour_rgb(uint8_t i)
{
    static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };

    if (i < 16)
        return vga16[i];
    if (i >= 232) {
        uint32_t g = 8 + 10 * (uint32_t)(i - 232);
        return g << 16 | g << 8 | g;
    }
    i -= 16;
    return (uint32_t)level[i / 36] << 16 | (uint32_t)level[i / 6 % 6] << 8 | level[i % 6];
}
