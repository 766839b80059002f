/*
 * input/keymap.h - keyboard layouts (keymap.c, keymap_us.c, keymap_de.c):
 * what a key event types on a terminal.
 *
 * keymap_translate is pure (no state but the layout chosen): the key's
 * code and the event's mods (input.h) decide the bytes, as Linux's console
 * sends them. The layout is chosen once at boot (keymap= on the command
 * line, input_init); US when none is named.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "input/input.h"

int    keymap_select(const char *name);     /* "us", "de": 0, or -1 unknown (boot: keymap= word) */
const char *keymap_name(void);
/* The bytes a key-down/repeat event types on a terminal, as Linux's console sends them: the
 * character in UTF-8 (layout, Shift, Caps, AltGr, Ctrl+letter = 1..26), Alt+key = ESC prefix,
 * Enter "\r", Backspace "\x7f", Tab, Esc, arrows "\x1b[A".."\x1b[D", Home "\x1b[1~", End "\x1b[4~",
 * Insert "\x1b[2~", Delete "\x1b[3~", PgUp "\x1b[5~", PgDn "\x1b[6~", F1.."\x1b[[A".. (linux
 * console). Returns the count (0 for modifiers, key-up and keys that type nothing). */
size_t keymap_translate(const struct input_event *ev, char *out, size_t cap);

/*
 * One layout: for each key code below KEYMAP_KEYS the character it types
 * plain, with Shift, and with AltGr (Unicode code points, 0: nothing).
 * Caps Lock acts as Shift on the keys whose plain character is a
 * lower-case letter. keymap_us.c and keymap_de.c each define one.
 */
#define KEYMAP_KEYS 128
#define KEYMAP_PLAIN 0
#define KEYMAP_SHIFT 1
#define KEYMAP_ALTGR 2
struct keymap {
    const char *name;
    uint32_t keys[KEYMAP_KEYS][3];      /* [KEY_*][KEYMAP_PLAIN / _SHIFT / _ALTGR] */
};

extern const struct keymap keymap_us;
extern const struct keymap keymap_de;
