/*
 * input/kbdstate.h - a keyboard's state (kbdstate.c): which keys are held,
 * the modifiers, the three locks, and the event each decoded key becomes.
 *
 * Pure code (host-tested, tests/host/test_kbdstate.c). kbdstate_key turns
 * a decoded key (down or up, input/scancode.h) into a struct input_event:
 *   value  1 down, 0 up, 2 repeat: a key "down" while already held is the
 *          keyboard's typematic repeat (PS/2 keyboards repeat the make
 *          code; they send no separate repeat);
 *   mods   INPUT_MOD_* after the key: Shift, Ctrl, Meta from either side,
 *          left Alt as ALT, right Alt as ALTGR; Caps, Num and Scroll Lock
 *          toggle on each press (not on repeats).
 * It returns 1 when a lock changed (the driver sends the LEDs: kbdstate_leds
 * gives the byte for the keyboard's Set LEDs command, ED).
 */
#pragma once

#include <stdint.h>

#include "input/input.h"

struct kbdstate {
    uint8_t held[KEY_CODES_MAX / 8];    /* bit per key code */
    uint16_t locks;                     /* INPUT_MOD_CAPS | _NUM | _SCROLL */
    uint16_t device;                    /* copied into each event */
};

void kbdstate_init(struct kbdstate *s, uint16_t device);
/* The event for a key going down (down=1) or up; 1 when a lock toggled. */
int kbdstate_key(struct kbdstate *s, uint16_t code, int down, struct input_event *ev);
uint16_t kbdstate_mods(const struct kbdstate *s);
/* The Set LEDs (ED) argument: bit 0 Scroll, bit 1 Num, bit 2 Caps Lock. */
uint8_t kbdstate_leds(const struct kbdstate *s);
