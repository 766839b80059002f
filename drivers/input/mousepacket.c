/*
 * mousepacket.c - the PS/2 mouse packet decoder (see input/mousepacket.h).
 * Pure code.
 */
#include <stdint.h>

#include "input/mousepacket.h"
#include "mutant.h"

#define B0_ALWAYS_ONE   0x08
#define B0_X_SIGN       0x10
#define B0_Y_SIGN       0x20
#define B0_BUTTONS      0x07
#define B3_EXPLORER_Z   0x0F
#define B3_EXPLORER_BTN 0x30    /* buttons 4 and 5 */

static const uint16_t button_codes[5] = { BTN_LEFT, BTN_RIGHT, BTN_MIDDLE, BTN_SIDE, BTN_EXTRA };

void mouse_decoder_init(struct mouse_decoder *d, uint8_t id, uint16_t device)
{
    *d = (struct mouse_decoder){ .id = id, .device = device };
}

static unsigned packet_len(const struct mouse_decoder *d)
{
    return d->id == MOUSE_ID_STANDARD ? 3 : 4;
}

/* A 9-bit two's complement delta: the sign bit from byte 0. */
static int delta(uint8_t low, int negative)
{
    return negative ? (int)low - 256 : (int)low;
}

static int wheel_of(const struct mouse_decoder *d)
{
    if (d->id == MOUSE_ID_INTELLIMOUSE)
        return -(int)(int8_t)d->bytes[3];
    if (d->id == MOUSE_ID_EXPLORER)
        return -(((int)(d->bytes[3] & B3_EXPLORER_Z) ^ 8) - 8);   /* 4-bit signed */
    return 0;
}

static uint8_t buttons_of(const struct mouse_decoder *d)
{
    uint8_t b = d->bytes[0] & B0_BUTTONS;

    if (d->id == MOUSE_ID_EXPLORER)
        b |= (uint8_t)((d->bytes[3] & B3_EXPLORER_BTN) >> 1);
    return b;
}

static void add_event(struct mouse_decoder *d, struct input_event *ev, int *n,
                      uint16_t type, uint16_t code, int value)
{
    ev[(*n)++] = (struct input_event){ .type = type, .code = code, .value = value,
                                       .device = d->device };
}

/* The events of the complete packet in d->bytes: button changes, then motion. */
static int packet_events(struct mouse_decoder *d, struct input_event *ev)
{
    uint8_t b = buttons_of(d), changed = b ^ d->buttons;
    int dx = delta(d->bytes[1], d->bytes[0] & B0_X_SIGN);
    int dy = -delta(d->bytes[2], d->bytes[0] & B0_Y_SIGN);
    int wheel = wheel_of(d), n = 0;

    for (unsigned i = 0; i < 5; i++)
        if (changed & (1u << i))
            add_event(d, ev, &n, INPUT_EV_KEY, button_codes[i], (b >> i) & 1);
    d->buttons = b;
    if (dx)
        add_event(d, ev, &n, INPUT_EV_REL, REL_X, dx);
    if (dy)
        add_event(d, ev, &n, INPUT_EV_REL, REL_Y, dy);
    if (wheel)
        add_event(d, ev, &n, INPUT_EV_REL, REL_WHEEL, wheel);
    return n;
}

int mouse_feed(struct mouse_decoder *d, uint8_t byte, uint64_t now_ns,
               struct input_event ev[MOUSE_EVENTS_MAX])
{
    int resync = !MUTANT_ENABLED(mouse_resync);

    if (resync && d->have && now_ns - d->last_ns > MOUSE_BYTE_GAP_NS) {
        d->resyncs++;               /* a packet cut short: this byte starts the next */
        d->have = 0;
    }
    d->last_ns = now_ns;
    if (resync && d->have == 0 && !(byte & B0_ALWAYS_ONE)) {
        d->resyncs++;               /* not a first byte: wait for one */
        return 0;
    }
    d->bytes[d->have++] = byte;
    if (d->have < packet_len(d))
        return 0;
    d->have = 0;
    return packet_events(d, ev);
}
