/*
 * input/mousepacket.h - the PS/2 mouse packet decoder (mousepacket.c):
 * bytes from the mouse in, events (input.h) out.
 *
 * Pure code (host-tested, tests/host/test_mousepacket.c); the mouse driver
 * (ps2mouse.c) feeds it each byte of port 2 with the time it came.
 * A packet is 3 bytes (standard, id 0) or 4 (IntelliMouse, id 3: byte 3 is
 * the wheel, signed; IntelliMouse Explorer, id 4: byte 3 bits 0-3 the
 * wheel, signed, bit 4 button 4, bit 5 button 5). Byte 0: buttons in bits
 * 0-2 (left, right, middle), bit 3 always 1, bits 4-5 the signs of X and Y
 * (9-bit deltas), bits 6-7 overflow.
 *
 * Resynchronisation: a byte that should start a packet but lacks bit 3 is
 * dropped (and counted); a packet whose bytes are more than
 * MOUSE_BYTE_GAP_NS apart is dropped too, its late byte taken as a new
 * first byte: a lost byte costs at most a packet, never the stream.
 *
 * Directions as evdev: REL_Y grows downwards (PS/2's Y grows upwards),
 * REL_WHEEL is +1 for a notch away from the user (PS/2's Z is -1).
 */
#pragma once

#include <stdint.h>

#include "input/input.h"

#define MOUSE_ID_STANDARD       0
#define MOUSE_ID_INTELLIMOUSE   3       /* wheel */
#define MOUSE_ID_EXPLORER       4       /* wheel, 5 buttons */
#define MOUSE_BYTE_GAP_NS       500000000ull    /* 0.5 s, as Linux's psmouse */
#define MOUSE_EVENTS_MAX        8       /* 5 buttons, X, Y, wheel */

struct mouse_decoder {
    uint8_t id;                 /* MOUSE_ID_* */
    uint8_t have;               /* bytes of the packet so far */
    uint8_t bytes[4];
    uint8_t buttons;            /* the last packet's, bit per BTN_LEFT.. */
    uint16_t device;
    uint64_t last_ns;           /* when the last byte came */
    uint64_t resyncs;           /* bytes or packets thrown away */
};

void mouse_decoder_init(struct mouse_decoder *d, uint8_t id, uint16_t device);
/* Feed one byte that came at now_ns: the events of a packet it completes, in ev[]. */
int mouse_feed(struct mouse_decoder *d, uint8_t byte, uint64_t now_ns,
               struct input_event ev[MOUSE_EVENTS_MAX]);
