/*
 * keylog.c - "keylog" on the command line: one serial line per input
 * event, the lines the input tests (tests/qemu/qmp-input.py) read:
 *   [input] key KEY_A down mods=shift text="A"
 *   [input] key KEY_LEFTSHIFT up mods=none
 *   [input] btn BTN_LEFT down
 *   [input] rel x=5 / rel y=-3 / rel wheel=1      (one line per axis)
 * text= is what the key types through the keymap (keymap_translate),
 * control bytes as \xNN, " and \ escaped, UTF-8 as it is. A listener
 * (input_add_listener): it runs in the reporter's interrupt context and
 * only formats and prints.
 */
#include <stddef.h>
#include <stdint.h>

#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "format.h"
#include "input/input.h"
#include "input/keylog.h"
#include "input/keymap.h"
#include "printk.h"

#define KEYLOG_TEXT_MAX 64
#define KEYLOG_LINE_MAX 160

static const char *const mod_names[] = { "shift", "ctrl", "alt", "altgr", "meta", "caps", "num",
                                         "scroll" };
static const char *const values[] = { "up", "down", "repeat" };

static void mods_text(uint16_t mods, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = 0;
    for (unsigned i = 0; i < sizeof mod_names / sizeof mod_names[0]; i++)
        if (mods & (1u << i))
            n += (size_t)format_snprintf(out + n, cap - n, "%s%s", n ? "+" : "", mod_names[i]);
    if (!n)
        format_snprintf(out, cap, "none");
}

/* The key's typed bytes as a quoted string, or nothing. */
static void typed_text(const struct input_event *ev, char *out, size_t cap)
{
    char bytes[16];
    size_t len = keymap_translate(ev, bytes, sizeof bytes), n = 0;

    out[0] = 0;
    if (!len)
        return;
    n += (size_t)format_snprintf(out, cap, " text=\"");
    for (size_t i = 0; i < len && n + 6 < cap; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c < 0x20 || c == 0x7F)
            n += (size_t)format_snprintf(out + n, cap - n, "\\x%02x", c);
        else if (c == '"' || c == '\\')
            n += (size_t)format_snprintf(out + n, cap - n, "\\%c", c);
        else
            out[n++] = (char)c;
    }
    format_snprintf(out + n, cap - n, "\"");
}

size_t input_event_describe(const struct input_event *ev, char *out, size_t cap)
{
    const char *name = input_key_name(ev->code);
    char mods[64], text[KEYLOG_TEXT_MAX];
    int n;

    if (ev->type == INPUT_EV_REL) {
        const char *axis = ev->code == REL_X ? "x" : ev->code == REL_Y ? "y" :
                           ev->code == REL_WHEEL ? "wheel" : "hwheel";
        n = format_snprintf(out, cap, "rel %s=%d", axis, (int)ev->value);
    } else if (ev->type != INPUT_EV_KEY || ev->value < 0 || ev->value > 2 || !name) {
        return 0;
    } else if (ev->code >= BTN_LEFT) {
        n = format_snprintf(out, cap, "btn %s %s", name, values[ev->value]);
    } else {
        mods_text(ev->mods, mods, sizeof mods);
        typed_text(ev, text, sizeof text);
        n = format_snprintf(out, cap, "key %s %s mods=%s%s", name, values[ev->value], mods, text);
    }
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static void keylog_event(const struct input_event *ev, void *unused)
{
    char line[KEYLOG_LINE_MAX];

    (void)unused;
    if (input_event_describe(ev, line, sizeof line))
        printk(LOG_INFO, "[input] %s\n", line);
}

int input_keylog_enabled(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    return cmdline_has_word(cmdline, len, "keylog");
}

/* At boot (input_init): the listener, when keylog is asked for. */
void keylog_init(void)
{
    if (input_keylog_enabled() && input_add_listener(keylog_event, 0) == 0)
        printk(LOG_INFO, "[input] keylog: one line per event\n");
}
