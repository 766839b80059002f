/*
 * console.c - routes screen output to the driver console_init chose.
 * See console.h.
 */
#include "console.h"
#include "fb/fbcon.h"
#include "vga/vga.h"

static enum console_kind kind = CONSOLE_NONE;

enum console_kind console_init(const struct bootinfo_fb *fb)
{
    kind = CONSOLE_NONE;
    if (fb->type == BOOTINFO_FB_RGB && fbcon_init(fb) == 0)
        kind = CONSOLE_FB;
    else if (fb->type == BOOTINFO_FB_VGA_TEXT && vga_init(fb) == 0)
        kind = CONSOLE_VGA;
    return kind;
}

enum console_kind console_kind(void)
{
    return kind;
}

void console_write(const char *s, size_t len)
{
    if (kind == CONSOLE_FB)
        fbcon_write(s, len);
    else if (kind == CONSOLE_VGA)
        vga_write(s, len);
}
