/*
 * test_scancode.c - host unit tests for the PS/2 scan-code decoder
 * (drivers/input/scancode.c) and the keyboard state (kbdstate.c).
 *
 * The byte sequences are IBM's (PS/2 Technical Reference, scan code sets 1
 * and 2, and the 8042's translation between them), the key codes Linux's
 * (input-event-codes.h): the same key must come out of its set 1 and its
 * set 2 bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "input/kbdstate.h"
#include "input/scancode.h"

struct key_bytes {
    unsigned key;
    uint8_t set2[3], set1[2];       /* make codes; 0xE0 first for extended keys */
};

/* A sample of every row and every kind: letters, digits, punctuation, F keys, keypad,
 * modifiers on both sides, the E0 keys. */
static const struct key_bytes keys[] = {
    { 30, { 0x1C }, { 0x1E } },             /* KEY_A */
    { 44, { 0x1A }, { 0x2C } },             /* KEY_Z */
    { 21, { 0x35 }, { 0x15 } },             /* KEY_Y */
    { 2, { 0x16 }, { 0x02 } },              /* KEY_1 */
    { 11, { 0x45 }, { 0x0B } },             /* KEY_0 */
    { 12, { 0x4E }, { 0x0C } },             /* KEY_MINUS */
    { 41, { 0x0E }, { 0x29 } },             /* KEY_GRAVE */
    { 43, { 0x5D }, { 0x2B } },             /* KEY_BACKSLASH */
    { 86, { 0x61 }, { 0x56 } },             /* KEY_102ND */
    { 28, { 0x5A }, { 0x1C } },             /* KEY_ENTER */
    { 57, { 0x29 }, { 0x39 } },             /* KEY_SPACE */
    { 1, { 0x76 }, { 0x01 } },              /* KEY_ESC */
    { 59, { 0x05 }, { 0x3B } },             /* KEY_F1 */
    { 65, { 0x83 }, { 0x41 } },             /* KEY_F7: set 2's only code above 0x7F */
    { 87, { 0x78 }, { 0x57 } },             /* KEY_F11 */
    { 88, { 0x07 }, { 0x58 } },             /* KEY_F12 */
    { 42, { 0x12 }, { 0x2A } },             /* KEY_LEFTSHIFT */
    { 54, { 0x59 }, { 0x36 } },             /* KEY_RIGHTSHIFT */
    { 29, { 0x14 }, { 0x1D } },             /* KEY_LEFTCTRL */
    { 56, { 0x11 }, { 0x38 } },             /* KEY_LEFTALT */
    { 58, { 0x58 }, { 0x3A } },             /* KEY_CAPSLOCK */
    { 69, { 0x77 }, { 0x45 } },             /* KEY_NUMLOCK */
    { 70, { 0x7E }, { 0x46 } },             /* KEY_SCROLLLOCK */
    { 71, { 0x6C }, { 0x47 } },             /* KEY_KP7 */
    { 55, { 0x7C }, { 0x37 } },             /* KEY_KPASTERISK */
    { 96, { 0xE0, 0x5A }, { 0xE0, 0x1C } }, /* KEY_KPENTER */
    { 97, { 0xE0, 0x14 }, { 0xE0, 0x1D } }, /* KEY_RIGHTCTRL */
    { 100, { 0xE0, 0x11 }, { 0xE0, 0x38 } },/* KEY_RIGHTALT */
    { 98, { 0xE0, 0x4A }, { 0xE0, 0x35 } }, /* KEY_KPSLASH */
    { 102, { 0xE0, 0x6C }, { 0xE0, 0x47 } },/* KEY_HOME */
    { 103, { 0xE0, 0x75 }, { 0xE0, 0x48 } },/* KEY_UP */
    { 105, { 0xE0, 0x6B }, { 0xE0, 0x4B } },/* KEY_LEFT */
    { 106, { 0xE0, 0x74 }, { 0xE0, 0x4D } },/* KEY_RIGHT */
    { 108, { 0xE0, 0x72 }, { 0xE0, 0x50 } },/* KEY_DOWN */
    { 104, { 0xE0, 0x7D }, { 0xE0, 0x49 } },/* KEY_PAGEUP */
    { 109, { 0xE0, 0x7A }, { 0xE0, 0x51 } },/* KEY_PAGEDOWN */
    { 107, { 0xE0, 0x69 }, { 0xE0, 0x4F } },/* KEY_END */
    { 110, { 0xE0, 0x70 }, { 0xE0, 0x52 } },/* KEY_INSERT */
    { 111, { 0xE0, 0x71 }, { 0xE0, 0x53 } },/* KEY_DELETE */
    { 125, { 0xE0, 0x1F }, { 0xE0, 0x5B } },/* KEY_LEFTMETA */
    { 127, { 0xE0, 0x2F }, { 0xE0, 0x5D } },/* KEY_COMPOSE */
};

/* Feed n bytes; the keys out as code | down << 15. */
static int feed(struct scancode_decoder *d, const uint8_t *b, size_t n, unsigned *out)
{
    struct scancode_key k[2];
    int count = 0;

    for (size_t i = 0; i < n; i++) {
        int got = scancode_feed(d, b[i], k);
        for (int j = 0; j < got; j++)
            out[count++] = k[j].code | (unsigned)k[j].down << 15;
    }
    return count;
}

static size_t make_len(const uint8_t *m)
{
    return m[0] == 0xE0 ? 2 : 1;
}

/* The bytes of a press and release give the key down, then up. */
static void assert_press_release(int set, const uint8_t *b, size_t len, unsigned key)
{
    struct scancode_decoder d;
    unsigned out[4];

    scancode_init(&d, set);
    assert_int_equal(feed(&d, b, len, out), 2);
    assert_int_equal(out[0], key | 1u << 15);
    assert_int_equal(out[1], key);
}

/* Each key pressed and released in set 2 (F0 before the break code). */
static void set2_make_and_break(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        uint8_t b[5];
        size_t n = make_len(keys[i].set2), len = 0;

        for (size_t j = 0; j < n; j++)
            b[len++] = keys[i].set2[j];
        if (n == 2)
            b[len++] = 0xE0;
        b[len++] = 0xF0;
        b[len++] = keys[i].set2[n - 1];
        assert_press_release(SCANCODE_SET2, b, len, keys[i].key);
    }
}

/* The same keys in set 1 (break = make | 0x80). */
static void set1_make_and_break(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        uint8_t b[4];
        size_t n = make_len(keys[i].set1), len = 0;

        for (size_t j = 0; j < n; j++)
            b[len++] = keys[i].set1[j];
        for (size_t j = 0; j < n; j++)
            b[len++] = (uint8_t)(keys[i].set1[j] | (j == n - 1 ? 0x80 : 0));
        assert_press_release(SCANCODE_SET1, b, len, keys[i].key);
    }
}

/* Pause: one sequence on press, none on release: down and up at once, in both sets. */
static void pause_key(void **state)
{
    static const uint8_t p2[] = { 0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77, 0x1C };
    static const uint8_t p1[] = { 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E };
    struct scancode_decoder d;
    unsigned out[4];

    (void)state;
    scancode_init(&d, SCANCODE_SET2);
    assert_int_equal(feed(&d, p2, sizeof p2, out), 3);
    assert_int_equal(out[0], 119u | 1u << 15);      /* KEY_PAUSE down */
    assert_int_equal(out[1], 119u);
    assert_int_equal(out[2], 30u | 1u << 15);       /* then A: the decoder is in step */
    scancode_init(&d, SCANCODE_SET1);
    assert_int_equal(feed(&d, p1, sizeof p1, out), 3);
    assert_int_equal(out[0], 119u | 1u << 15);
    assert_int_equal(out[1], 119u);
    assert_int_equal(out[2], 30u | 1u << 15);
}

/* The fake shifts around Print Screen and the keyboard's own answers make no keys. */
static void fake_shifts_and_replies(void **state)
{
    static const uint8_t print2[] = { 0xE0, 0x12, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12,
                                      0xFA, 0xAA, 0xEE, 0xFE };
    static const uint8_t print1[] = { 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA, 0xFA };
    struct scancode_decoder d;
    unsigned out[8];

    (void)state;
    scancode_init(&d, SCANCODE_SET2);
    assert_int_equal(feed(&d, print2, sizeof print2, out), 2);
    assert_int_equal(out[0], 99u | 1u << 15);       /* KEY_SYSRQ */
    assert_int_equal(out[1], 99u);
    scancode_init(&d, SCANCODE_SET1);
    assert_int_equal(feed(&d, print1, sizeof print1, out), 2);
    assert_int_equal(out[0], 99u | 1u << 15);
    assert_int_equal(out[1], 99u);
}

/* In set 1, AA is Left Shift let go, not a self-test answer. */
static void set1_aa_is_shift_up(void **state)
{
    static const uint8_t b[] = { 0x2A, 0xAA };
    struct scancode_decoder d;
    unsigned out[2];

    (void)state;
    scancode_init(&d, SCANCODE_SET1);
    assert_int_equal(feed(&d, b, sizeof b, out), 2);
    assert_int_equal(out[1], 42u);
}

/* Modifiers, locks (toggle on press only), repeat, LEDs. */
static void kbdstate_mods_locks_repeat(void **state)
{
    struct kbdstate s;
    struct input_event ev;

    (void)state;
    kbdstate_init(&s, 3);
    assert_int_equal(kbdstate_key(&s, KEY_RIGHTSHIFT, 1, &ev), 0);
    assert_int_equal(ev.mods, INPUT_MOD_SHIFT);
    assert_int_equal(ev.device, 3);
    kbdstate_key(&s, KEY_A, 1, &ev);
    assert_int_equal(ev.value, INPUT_KEY_DOWN);
    kbdstate_key(&s, KEY_A, 1, &ev);
    assert_int_equal(ev.value, INPUT_KEY_REPEAT);
    kbdstate_key(&s, KEY_A, 0, &ev);
    assert_int_equal(ev.value, INPUT_KEY_UP);
    kbdstate_key(&s, KEY_RIGHTSHIFT, 0, &ev);
    assert_int_equal(ev.mods, 0);
    assert_int_equal(kbdstate_key(&s, KEY_CAPSLOCK, 1, &ev), 1);
    assert_int_equal(ev.mods, INPUT_MOD_CAPS);
    assert_int_equal(kbdstate_key(&s, KEY_CAPSLOCK, 1, &ev), 0);    /* repeat: no toggle */
    assert_int_equal(kbdstate_key(&s, KEY_CAPSLOCK, 0, &ev), 0);
    assert_int_equal(kbdstate_key(&s, KEY_NUMLOCK, 1, &ev), 1);
    assert_int_equal(kbdstate_leds(&s), 0x06);                     /* caps 4 | num 2 */
    kbdstate_key(&s, KEY_RIGHTALT, 1, &ev);
    kbdstate_key(&s, KEY_LEFTCTRL, 1, &ev);
    kbdstate_key(&s, KEY_LEFTMETA, 1, &ev);
    assert_int_equal(ev.mods, INPUT_MOD_ALTGR | INPUT_MOD_CTRL | INPUT_MOD_META | INPUT_MOD_CAPS |
                                  INPUT_MOD_NUM);
    assert_int_equal(kbdstate_key(&s, KEY_SCROLLLOCK, 1, &ev), 1);
    assert_int_equal(kbdstate_leds(&s), 0x07);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set2_make_and_break),
        cmocka_unit_test(set1_make_and_break),
        cmocka_unit_test(pause_key),
        cmocka_unit_test(fake_shifts_and_replies),
        cmocka_unit_test(set1_aa_is_shift_up),
        cmocka_unit_test(kbdstate_mods_locks_repeat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
