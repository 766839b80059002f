/*
 * kbdstate.c - a keyboard's held keys, modifiers and locks (see
 * input/kbdstate.h). Pure code.
 */
#include <stdint.h>

#include "input/kbdstate.h"

#define LED_SCROLL  0x01
#define LED_NUM     0x02
#define LED_CAPS    0x04

void kbdstate_init(struct kbdstate *s, uint16_t device)
{
    *s = (struct kbdstate){ .device = device };
}

static int held(const struct kbdstate *s, uint16_t code)
{
    return (s->held[code / 8] >> (code % 8)) & 1;
}

static void set_held(struct kbdstate *s, uint16_t code, int down)
{
    if (down)
        s->held[code / 8] |= (uint8_t)(1u << (code % 8));
    else
        s->held[code / 8] &= (uint8_t)~(1u << (code % 8));
}

uint16_t kbdstate_mods(const struct kbdstate *s)
{
    uint16_t m = s->locks;

    if (held(s, KEY_LEFTSHIFT) || held(s, KEY_RIGHTSHIFT))
        m |= INPUT_MOD_SHIFT;
    if (held(s, KEY_LEFTCTRL) || held(s, KEY_RIGHTCTRL))
        m |= INPUT_MOD_CTRL;
    if (held(s, KEY_LEFTALT))
        m |= INPUT_MOD_ALT;
    if (held(s, KEY_RIGHTALT))
        m |= INPUT_MOD_ALTGR;
    if (held(s, KEY_LEFTMETA) || held(s, KEY_RIGHTMETA))
        m |= INPUT_MOD_META;
    return m;
}

static uint16_t lock_of(uint16_t code)
{
    switch (code) {
    case KEY_CAPSLOCK:   return INPUT_MOD_CAPS;
    case KEY_NUMLOCK:    return INPUT_MOD_NUM;
    case KEY_SCROLLLOCK: return INPUT_MOD_SCROLL;
    default:             return 0;
    }
}

int kbdstate_key(struct kbdstate *s, uint16_t code, int down, struct input_event *ev)
{
    int value = down ? (held(s, code) ? INPUT_KEY_REPEAT : INPUT_KEY_DOWN) : INPUT_KEY_UP;
    uint16_t lock = code < KEY_CODES_MAX ? lock_of(code) : 0;

    if (code >= KEY_CODES_MAX)
        value = down;
    else
        set_held(s, code, down);
    if (lock && value == INPUT_KEY_DOWN)
        s->locks ^= lock;
    *ev = (struct input_event){ .type = INPUT_EV_KEY, .code = code, .value = value,
                                .mods = kbdstate_mods(s), .device = s->device };
    return lock && value == INPUT_KEY_DOWN;
}

uint8_t kbdstate_leds(const struct kbdstate *s)
{
    return (uint8_t)(((s->locks & INPUT_MOD_SCROLL) ? LED_SCROLL : 0) |
                     ((s->locks & INPUT_MOD_NUM) ? LED_NUM : 0) |
                     ((s->locks & INPUT_MOD_CAPS) ? LED_CAPS : 0));
}
