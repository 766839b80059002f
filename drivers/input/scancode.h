/*
 * input/scancode.h - the PS/2 scan-code decoder (scancode.c): bytes from
 * the keyboard in, key codes (input/keycodes.h) with down or up out.
 *
 * Pure code, no hardware and no globals: the keyboard driver (ps2kbd.c)
 * feeds it every byte of its port, the host tests (tests/host/
 * test_scancode.c) feed it what QEMU's keyboard sends. One decoder per
 * keyboard, zeroed and then given its set by scancode_init.
 *
 * Set 2 (what a PS/2 keyboard speaks): a make code, F0 before a break
 * code, E0 before an extended key, E1 14 77 E1 F0 14 F0 77 for Pause
 * (pressed only: the decoder gives Pause down and up at once).
 * Set 1 (what the 8042 turns set 2 into when it translates): a make code,
 * the same code | 0x80 to break, E0 before an extended key, E1 1D 45 E1 9D
 * C5 for Pause. The "fake shifts" a keyboard sends around extended keys
 * (set 2 E0 12 / E0 59, set 1 E0 2A / E0 36) are dropped, as are the
 * keyboard's answers (ACK FA, resend FE, echo EE, errors 00 / FF, and in
 * set 2 its self-test pass AA).
 */
#pragma once

#include <stdint.h>

#define SCANCODE_SET1 1
#define SCANCODE_SET2 2

struct scancode_decoder {
    uint8_t set;            /* SCANCODE_SET1 or SCANCODE_SET2 */
    uint8_t extended;       /* E0 seen */
    uint8_t release;        /* set 2: F0 seen */
    uint8_t pause_left;     /* bytes of the E1 (Pause) sequence still to come */
};

struct scancode_key {
    uint16_t code;          /* KEY_* */
    uint8_t down;           /* 1 make, 0 break */
};

void scancode_init(struct scancode_decoder *d, int set);
/* Feed one byte: how many keys it completes (0, 1, or 2 for Pause), in out[]. */
int scancode_feed(struct scancode_decoder *d, uint8_t byte, struct scancode_key out[2]);
