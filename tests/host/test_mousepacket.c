/*
 * test_mousepacket.c - host unit tests for the PS/2 mouse packet decoder
 * (drivers/input/mousepacket.c): the three packet formats (standard,
 * IntelliMouse id 3, Explorer id 4, as Microsoft specified them and
 * QEMU's ps2 mouse sends them), and the resynchronisation after a lost
 * byte and after a pause inside a packet.
 */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "input/mousepacket.h"

static struct input_event ev[MOUSE_EVENTS_MAX * 4];

/* Feed bytes one per millisecond (or as times[] says); all the events out. */
static int feed_at(struct mouse_decoder *d, const uint8_t *b, size_t n, const uint64_t *times)
{
    int count = 0;

    for (size_t i = 0; i < n; i++)
        count += mouse_feed(d, b[i], times ? times[i] : i * 1000000ull, ev + count);
    return count;
}

static void expect(int i, uint16_t type, uint16_t code, int value)
{
    assert_int_equal(ev[i].type, type);
    assert_int_equal(ev[i].code, code);
    assert_int_equal(ev[i].value, value);
}

static void standard_packets(void **state)
{
    /* left down, x +5, y +3 (up); then x -1 (9-bit: sign in byte 0 bit 4), left up */
    static const uint8_t b[] = { 0x09, 0x05, 0x03, 0x18, 0xFF, 0x00 };
    struct mouse_decoder d;

    (void)state;
    mouse_decoder_init(&d, MOUSE_ID_STANDARD, 7);
    assert_int_equal(feed_at(&d, b, sizeof b, NULL), 5);
    expect(0, INPUT_EV_KEY, BTN_LEFT, 1);
    assert_int_equal(ev[0].device, 7);
    expect(1, INPUT_EV_REL, REL_X, 5);
    expect(2, INPUT_EV_REL, REL_Y, -3);                 /* evdev: down is positive */
    expect(3, INPUT_EV_KEY, BTN_LEFT, 0);
    expect(4, INPUT_EV_REL, REL_X, -1);
}

static void intellimouse_wheel(void **state)
{
    /* right + middle down, wheel byte -1 (a notch up), then all up and wheel +2 */
    static const uint8_t b[] = { 0x0E, 0x00, 0x00, 0xFF, 0x08, 0x00, 0x00, 0x02 };
    struct mouse_decoder d;

    (void)state;
    mouse_decoder_init(&d, MOUSE_ID_INTELLIMOUSE, 0);
    assert_int_equal(feed_at(&d, b, sizeof b, NULL), 6);
    expect(0, INPUT_EV_KEY, BTN_RIGHT, 1);
    expect(1, INPUT_EV_KEY, BTN_MIDDLE, 1);
    expect(2, INPUT_EV_REL, REL_WHEEL, 1);
    expect(3, INPUT_EV_KEY, BTN_RIGHT, 0);
    expect(4, INPUT_EV_KEY, BTN_MIDDLE, 0);
    expect(5, INPUT_EV_REL, REL_WHEEL, -2);
}

static void explorer_buttons(void **state)
{
    /* byte 3: bits 0-3 wheel (0xF = -1), bit 4 button 4 (side), bit 5 button 5 (extra) */
    static const uint8_t b[] = { 0x08, 0x00, 0x00, 0x1F, 0x08, 0x00, 0x00, 0x20, 0x08, 0x00, 0x00,
                                 0x01 };
    struct mouse_decoder d;

    (void)state;
    mouse_decoder_init(&d, MOUSE_ID_EXPLORER, 0);
    assert_int_equal(feed_at(&d, b, sizeof b, NULL), 6);
    expect(0, INPUT_EV_KEY, BTN_SIDE, 1);
    expect(1, INPUT_EV_REL, REL_WHEEL, 1);
    expect(2, INPUT_EV_KEY, BTN_SIDE, 0);
    expect(3, INPUT_EV_KEY, BTN_EXTRA, 1);
    expect(4, INPUT_EV_KEY, BTN_EXTRA, 0);
    expect(5, INPUT_EV_REL, REL_WHEEL, -1);
}

/* A lost first byte: the rest is dropped until a byte with bit 3, then packets as before. */
static void resync_after_lost_byte(void **state)
{
    static const uint8_t b[] = { 0x05, 0x03, 0x09, 0x05, 0x03 };
    struct mouse_decoder d;

    (void)state;
    mouse_decoder_init(&d, MOUSE_ID_STANDARD, 0);
    assert_int_equal(feed_at(&d, b, sizeof b, NULL), 3);
    expect(0, INPUT_EV_KEY, BTN_LEFT, 1);
    expect(1, INPUT_EV_REL, REL_X, 5);
    expect(2, INPUT_EV_REL, REL_Y, -3);
    assert_int_equal(d.resyncs, 2);
}

/* A lost byte whose neighbour has bit 3 set: the packet is wrong, but the pause before the
 * next ends it, and the next packet decodes right. */
static void resync_after_pause(void **state)
{
    static const uint8_t b[] = { 0x08, 0x7F, 0x08, 0x02, 0x00 };
    static const uint64_t t[] = { 0, 1000000, 900000000, 901000000, 902000000 };
    struct mouse_decoder d;

    (void)state;
    mouse_decoder_init(&d, MOUSE_ID_STANDARD, 0);
    assert_int_equal(feed_at(&d, b, sizeof b, t), 1);
    expect(0, INPUT_EV_REL, REL_X, 2);
    assert_int_equal(d.resyncs, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standard_packets),
        cmocka_unit_test(intellimouse_wheel),
        cmocka_unit_test(explorer_buttons),
        cmocka_unit_test(resync_after_lost_byte),
        cmocka_unit_test(resync_after_pause),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
