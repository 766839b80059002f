/*
 * keymap_de.c - the German layout (QWERTZ; Linux's de-latin1-nodeadkeys):
 * the character each key types plain, with Shift and with AltGr
 * (keymap.h). Keys are named by their US position: KEY_Y types 'z' here.
 * ^ and the accents ´ ` are plain characters, not dead keys (no key waits
 * for the next).
 */
#include "input/keymap.h"

const struct keymap keymap_de = {
    .name = "de",
    .keys = {
        [KEY_GRAVE] = { '^', 0xB0 /* ° */ },
        [KEY_1] = { '1', '!' }, [KEY_2] = { '2', '"', 0xB2 /* ² */ },
        [KEY_3] = { '3', 0xA7 /* § */, 0xB3 /* ³ */ }, [KEY_4] = { '4', '$' },
        [KEY_5] = { '5', '%' }, [KEY_6] = { '6', '&' }, [KEY_7] = { '7', '/', '{' },
        [KEY_8] = { '8', '(', '[' }, [KEY_9] = { '9', ')', ']' }, [KEY_0] = { '0', '=', '}' },
        [KEY_MINUS] = { 0xDF /* ß */, '?', '\\' }, [KEY_EQUAL] = { 0xB4 /* ´ */, '`' },
        [KEY_Q] = { 'q', 'Q', '@' }, [KEY_W] = { 'w', 'W' }, [KEY_E] = { 'e', 'E', 0x20AC /* € */ },
        [KEY_R] = { 'r', 'R' }, [KEY_T] = { 't', 'T' }, [KEY_Y] = { 'z', 'Z' },
        [KEY_U] = { 'u', 'U' }, [KEY_I] = { 'i', 'I' }, [KEY_O] = { 'o', 'O' },
        [KEY_P] = { 'p', 'P' }, [KEY_LEFTBRACE] = { 0xFC /* ü */, 0xDC /* Ü */ },
        [KEY_RIGHTBRACE] = { '+', '*', '~' },
        [KEY_A] = { 'a', 'A' }, [KEY_S] = { 's', 'S' }, [KEY_D] = { 'd', 'D' },
        [KEY_F] = { 'f', 'F' }, [KEY_G] = { 'g', 'G' }, [KEY_H] = { 'h', 'H' },
        [KEY_J] = { 'j', 'J' }, [KEY_K] = { 'k', 'K' }, [KEY_L] = { 'l', 'L' },
        [KEY_SEMICOLON] = { 0xF6 /* ö */, 0xD6 /* Ö */ },
        [KEY_APOSTROPHE] = { 0xE4 /* ä */, 0xC4 /* Ä */ }, [KEY_BACKSLASH] = { '#', '\'' },
        [KEY_102ND] = { '<', '>', '|' },
        [KEY_Z] = { 'y', 'Y' }, [KEY_X] = { 'x', 'X' }, [KEY_C] = { 'c', 'C' },
        [KEY_V] = { 'v', 'V' }, [KEY_B] = { 'b', 'B' }, [KEY_N] = { 'n', 'N' },
        [KEY_M] = { 'm', 'M', 0xB5 /* µ */ }, [KEY_COMMA] = { ',', ';' }, [KEY_DOT] = { '.', ':' },
        [KEY_SLASH] = { '-', '_' }, [KEY_SPACE] = { ' ', ' ' },
    },
};
