/*
 * keymap.c - keyboard layouts: the one chosen (keymap_select) and what a
 * key event types (keymap_translate), see input/keymap.h.
 *
 * keymap_translate decides in this order:
 *   1. key-up, and events that are not keys, type nothing;
 *   2. keys that type the same in every layout, as Linux's console sends
 *      them (special_keys: Enter, Backspace, Esc, the arrows, Home..PgDn,
 *      F1..F12); the keypad: with Num Lock its digits and '.', without it
 *      the navigation keys it carries (KP5: ESC [ G);
 *   3. the layout's character (keymap_us.c, keymap_de.c): AltGr's level
 *      when the key has one (else AltGr counts as Alt), Shift's when Shift
 *      is held, or Caps Lock is on and the key's plain character is a
 *      lower-case letter (Shift with Caps types lower case);
 *      Ctrl makes a character from '@' to '~' (letters, [ \ ] ^ _) into
 *      its control code, ch & 0x1f (Ctrl+A = 1);
 *   4. the character in UTF-8, behind ESC when (left) Alt is held.
 * Pure: the host tests link it (tests/host/test_keymap.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "input/keymap.h"

static const struct keymap *const keymaps[] = { &keymap_us, &keymap_de };
static const struct keymap *current = &keymap_us;

int keymap_select(const char *name)
{
    for (size_t i = 0; i < sizeof keymaps / sizeof keymaps[0]; i++)
        if (strcmp(keymaps[i]->name, name) == 0) {
            current = keymaps[i];
            return 0;
        }
    return -1;
}

const char *keymap_name(void)
{
    return current->name;
}

struct special_key {
    uint16_t code;
    const char *bytes;
};

static const struct special_key special_keys[] = {
    { KEY_ENTER, "\r" }, { KEY_KPENTER, "\r" }, { KEY_BACKSPACE, "\x7f" }, { KEY_TAB, "\t" },
    { KEY_ESC, "\x1b" }, { KEY_UP, "\x1b[A" }, { KEY_DOWN, "\x1b[B" }, { KEY_RIGHT, "\x1b[C" },
    { KEY_LEFT, "\x1b[D" }, { KEY_HOME, "\x1b[1~" }, { KEY_INSERT, "\x1b[2~" },
    { KEY_DELETE, "\x1b[3~" }, { KEY_END, "\x1b[4~" }, { KEY_PAGEUP, "\x1b[5~" },
    { KEY_PAGEDOWN, "\x1b[6~" }, { KEY_F1, "\x1b[[A" }, { KEY_F2, "\x1b[[B" },
    { KEY_F3, "\x1b[[C" }, { KEY_F4, "\x1b[[D" }, { KEY_F5, "\x1b[[E" }, { KEY_F6, "\x1b[17~" },
    { KEY_F7, "\x1b[18~" }, { KEY_F8, "\x1b[19~" }, { KEY_F9, "\x1b[20~" },
    { KEY_F10, "\x1b[21~" }, { KEY_F11, "\x1b[23~" }, { KEY_F12, "\x1b[24~" },
    { KEY_KPSLASH, "/" }, { KEY_KPASTERISK, "*" }, { KEY_KPMINUS, "-" }, { KEY_KPPLUS, "+" },
};

/* The keypad keys that Num Lock switches: with it on, then off. */
static const struct { uint16_t code; char digit; const char *nav; } keypad[] = {
    { KEY_KP0, '0', "\x1b[2~" }, { KEY_KP1, '1', "\x1b[4~" }, { KEY_KP2, '2', "\x1b[B" },
    { KEY_KP3, '3', "\x1b[6~" }, { KEY_KP4, '4', "\x1b[D" }, { KEY_KP5, '5', "\x1b[G" },
    { KEY_KP6, '6', "\x1b[C" }, { KEY_KP7, '7', "\x1b[1~" }, { KEY_KP8, '8', "\x1b[A" },
    { KEY_KP9, '9', "\x1b[5~" }, { KEY_KPDOT, '.', "\x1b[3~" },
};

/* The bytes of a layout-independent key, or NULL; digit holds a keypad digit's text. */
static const char *fixed_bytes(const struct input_event *ev, char digit[2])
{
    for (size_t i = 0; i < sizeof special_keys / sizeof special_keys[0]; i++)
        if (special_keys[i].code == ev->code)
            return special_keys[i].bytes;
    for (size_t i = 0; i < sizeof keypad / sizeof keypad[0]; i++)
        if (keypad[i].code == ev->code) {
            if (!(ev->mods & INPUT_MOD_NUM))
                return keypad[i].nav;
            digit[0] = keypad[i].digit;
            digit[1] = 0;
            return digit;
        }
    return NULL;
}

static int is_lower_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7);
}

/* The layout's character for the key under the event's modifiers, 0 for none. */
static uint32_t layout_char(const struct input_event *ev, int *altgr_used)
{
    const uint32_t *k = current->keys[ev->code];
    int shift = !!(ev->mods & INPUT_MOD_SHIFT);

    *altgr_used = (ev->mods & INPUT_MOD_ALTGR) && k[KEYMAP_ALTGR];
    if (*altgr_used)
        return k[KEYMAP_ALTGR];
    if ((ev->mods & INPUT_MOD_CAPS) && is_lower_letter(k[KEYMAP_PLAIN]) && k[KEYMAP_SHIFT])
        shift = !shift;
    return k[shift ? KEYMAP_SHIFT : KEYMAP_PLAIN];
}

static size_t utf8_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
}

/* The character's bytes into buf (at least 4), Ctrl applied; *alt set when AltGr acts as Alt. */
static size_t char_bytes(const struct input_event *ev, char *buf, int *alt)
{
    int altgr_used;
    uint32_t c = layout_char(ev, &altgr_used);

    if ((ev->mods & INPUT_MOD_ALTGR) && !altgr_used)
        *alt = 1;
    if (c == 0)
        return 0;
    if ((ev->mods & INPUT_MOD_CTRL) && c >= '@' && c <= '~')
        c &= 0x1F;
    return utf8_encode(c, buf);
}

/* The key's bytes into buf (at least 8), without the Alt prefix. */
static size_t key_bytes(const struct input_event *ev, char *buf, int *alt)
{
    char digit[2];
    const char *fixed = fixed_bytes(ev, digit);
    size_t len;

    if (!fixed)
        return char_bytes(ev, buf, alt);
    len = strlen(fixed);
    memcpy(buf, fixed, len);
    return len;
}

size_t keymap_translate(const struct input_event *ev, char *out, size_t cap)
{
    char buf[8];
    int alt;
    size_t len;

    if (ev->type != INPUT_EV_KEY || ev->value == INPUT_KEY_UP || ev->code >= KEYMAP_KEYS)
        return 0;
    alt = !!(ev->mods & INPUT_MOD_ALT);
    len = key_bytes(ev, buf, &alt);
    if (len == 0 || len + (size_t)alt > cap)
        return 0;
    if (alt)
        *out++ = '\x1b';
    memcpy(out, buf, len);
    return len + (size_t)alt;
}
