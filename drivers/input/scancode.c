/*
 * scancode.c - the PS/2 scan-code decoder (see input/scancode.h).
 *
 * Set 2 codes come from two tables, set2_plain (one byte) and
 * set2_extended (after E0); the numbers are IBM's (the PS/2 Technical
 * Reference, keyboard scan code set 2) and match Linux's atkbd. In set 1
 * a one-byte code is, by design of Linux's numbering, the KEY_* code
 * itself for 01..58; the E0 codes come from set1_extended.
 * Pure code: no hardware, no globals but the constant tables.
 */
#include <stddef.h>
#include <stdint.h>

#include "input/keycodes.h"
#include "input/scancode.h"
#include "mutant.h"

#define SC_EXTENDED     0xE0
#define SC_PAUSE        0xE1
#define SC2_BREAK       0xF0
#define SC1_BREAK_BIT   0x80
#define SC2_PAUSE_LEN   8       /* E1 14 77 E1 F0 14 F0 77 */
#define SC1_PAUSE_LEN   6       /* E1 1D 45 E1 9D C5 */
#define SC1_LAST_PLAIN  0x58    /* F12: 01..58 are KEY_* themselves */
#define SC1_SYSRQ       0x54    /* Alt+PrintScreen */

static const uint8_t set2_plain[0x84] = {
    [0x01] = KEY_F9, [0x03] = KEY_F5, [0x04] = KEY_F3, [0x05] = KEY_F1, [0x06] = KEY_F2,
    [0x07] = KEY_F12, [0x09] = KEY_F10, [0x0A] = KEY_F8, [0x0B] = KEY_F6, [0x0C] = KEY_F4,
    [0x0D] = KEY_TAB, [0x0E] = KEY_GRAVE, [0x11] = KEY_LEFTALT, [0x12] = KEY_LEFTSHIFT,
    [0x14] = KEY_LEFTCTRL, [0x15] = KEY_Q, [0x16] = KEY_1, [0x1A] = KEY_Z, [0x1B] = KEY_S,
    [0x1C] = KEY_A, [0x1D] = KEY_W, [0x1E] = KEY_2, [0x21] = KEY_C, [0x22] = KEY_X,
    [0x23] = KEY_D, [0x24] = KEY_E, [0x25] = KEY_4, [0x26] = KEY_3, [0x29] = KEY_SPACE,
    [0x2A] = KEY_V, [0x2B] = KEY_F, [0x2C] = KEY_T, [0x2D] = KEY_R, [0x2E] = KEY_5,
    [0x31] = KEY_N, [0x32] = KEY_B, [0x33] = KEY_H, [0x34] = KEY_G, [0x35] = KEY_Y,
    [0x36] = KEY_6, [0x3A] = KEY_M, [0x3B] = KEY_J, [0x3C] = KEY_U, [0x3D] = KEY_7,
    [0x3E] = KEY_8, [0x41] = KEY_COMMA, [0x42] = KEY_K, [0x43] = KEY_I, [0x44] = KEY_O,
    [0x45] = KEY_0, [0x46] = KEY_9, [0x49] = KEY_DOT, [0x4A] = KEY_SLASH, [0x4B] = KEY_L,
    [0x4C] = KEY_SEMICOLON, [0x4D] = KEY_P, [0x4E] = KEY_MINUS, [0x52] = KEY_APOSTROPHE,
    [0x54] = KEY_LEFTBRACE, [0x55] = KEY_EQUAL, [0x58] = KEY_CAPSLOCK, [0x59] = KEY_RIGHTSHIFT,
    [0x5A] = KEY_ENTER, [0x5B] = KEY_RIGHTBRACE, [0x5D] = KEY_BACKSLASH, [0x61] = KEY_102ND,
    [0x66] = KEY_BACKSPACE, [0x69] = KEY_KP1, [0x6B] = KEY_KP4, [0x6C] = KEY_KP7,
    [0x70] = KEY_KP0, [0x71] = KEY_KPDOT, [0x72] = KEY_KP2, [0x73] = KEY_KP5, [0x74] = KEY_KP6,
    [0x75] = KEY_KP8, [0x76] = KEY_ESC, [0x77] = KEY_NUMLOCK, [0x78] = KEY_F11,
    [0x79] = KEY_KPPLUS, [0x7A] = KEY_KP3, [0x7B] = KEY_KPMINUS, [0x7C] = KEY_KPASTERISK,
    [0x7D] = KEY_KP9, [0x7E] = KEY_SCROLLLOCK, [0x83] = KEY_F7,
};

struct extended_code {
    uint8_t set2, set1;
    uint16_t key;
};

/* The E0 keys, by their byte in each set (the set 1 byte is the 8042's translation). */
static const struct extended_code extended[] = {
    { 0x11, 0x38, KEY_RIGHTALT }, { 0x14, 0x1D, KEY_RIGHTCTRL }, { 0x1F, 0x5B, KEY_LEFTMETA },
    { 0x27, 0x5C, KEY_RIGHTMETA }, { 0x2F, 0x5D, KEY_COMPOSE }, { 0x4A, 0x35, KEY_KPSLASH },
    { 0x5A, 0x1C, KEY_KPENTER }, { 0x69, 0x4F, KEY_END }, { 0x6B, 0x4B, KEY_LEFT },
    { 0x6C, 0x47, KEY_HOME }, { 0x70, 0x52, KEY_INSERT }, { 0x71, 0x53, KEY_DELETE },
    { 0x72, 0x50, KEY_DOWN }, { 0x74, 0x4D, KEY_RIGHT }, { 0x75, 0x48, KEY_UP },
    { 0x7A, 0x51, KEY_PAGEDOWN }, { 0x7D, 0x49, KEY_PAGEUP }, { 0x7C, 0x37, KEY_SYSRQ },
    { 0x7E, 0x46, KEY_PAUSE },      /* Ctrl+Pause (Break) */
};

void scancode_init(struct scancode_decoder *d, int set)
{
    *d = (struct scancode_decoder){ .set = (uint8_t)set };
}

static uint16_t extended_key(int set, uint8_t byte)
{
    for (size_t i = 0; i < sizeof extended / sizeof extended[0]; i++)
        if ((set == SCANCODE_SET2 ? extended[i].set2 : extended[i].set1) == byte)
            return extended[i].key;
    return KEY_RESERVED;        /* the fake shifts, and keys Tessera does not know */
}

static uint16_t plain_key(int set, uint8_t byte)
{
    if (set == SCANCODE_SET2)
        return byte < sizeof set2_plain ? set2_plain[byte] : KEY_RESERVED;
    if (byte == SC1_SYSRQ)
        return KEY_SYSRQ;
    return byte <= SC1_LAST_PLAIN ? byte : KEY_RESERVED;
}

/* Bytes that are the keyboard talking, not a key. */
static int is_reply(int set, uint8_t byte)
{
    return byte == 0x00 || byte == 0xFF || byte == 0xFA || byte == 0xFE || byte == 0xEE ||
           (set == SCANCODE_SET2 && byte == 0xAA);
}

/* The rest of a Pause sequence: Pause down and up when its last byte came. */
static int pause_byte(struct scancode_decoder *d, struct scancode_key out[2])
{
    if (--d->pause_left)
        return 0;
    out[0] = (struct scancode_key){ KEY_PAUSE, 1 };
    out[1] = (struct scancode_key){ KEY_PAUSE, 0 };
    return 2;
}

/* The first byte of a sequence, or a prefix: 1 when it was a prefix. */
static int prefix_byte(struct scancode_decoder *d, uint8_t byte)
{
    if (byte == SC_EXTENDED && !MUTANT_ENABLED(kbd_extended)) {
        d->extended = 1;
        return 1;
    }
    if (byte == SC_PAUSE) {
        d->pause_left = d->set == SCANCODE_SET2 ? SC2_PAUSE_LEN - 1 : SC1_PAUSE_LEN - 1;
        return 1;
    }
    if (byte == SC2_BREAK && d->set == SCANCODE_SET2) {
        d->release = 1;
        return 1;
    }
    return 0;
}

int scancode_feed(struct scancode_decoder *d, uint8_t byte, struct scancode_key out[2])
{
    uint8_t code = byte;
    int down = !d->release;

    if (d->pause_left)
        return pause_byte(d, out);
    if (is_reply(d->set, byte)) {
        d->extended = d->release = 0;
        return 0;
    }
    if (prefix_byte(d, byte))
        return 0;
    if (d->set == SCANCODE_SET1) {
        down = !(byte & SC1_BREAK_BIT);
        code = byte & (uint8_t)~SC1_BREAK_BIT;
    }
    out[0].code = d->extended ? extended_key(d->set, code) : plain_key(d->set, code);
    out[0].down = (uint8_t)down;
    d->extended = d->release = 0;
    return out[0].code != KEY_RESERVED;
}
