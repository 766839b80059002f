/*
 * test_keymap.c - host unit tests for the keymaps (drivers/input/keymap.c,
 * keymap_us.c, keymap_de.c): the bytes a key event types, against what
 * Linux's console sends for the same keys (its us and de-latin1-nodeadkeys
 * keymaps, and the "linux" terminal's function-key strings, terminfo).
 */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <string.h>

#include "input/keymap.h"

static const char *typed(unsigned code, unsigned mods)
{
    static char out[16];
    struct input_event ev = { .type = INPUT_EV_KEY, .code = (uint16_t)code, .value = 1,
                              .mods = (uint16_t)mods };
    size_t n = keymap_translate(&ev, out, sizeof out - 1);

    out[n] = 0;
    return out;
}

static void select_layouts(void **state)
{
    (void)state;
    assert_int_equal(keymap_select("de"), 0);
    assert_string_equal(keymap_name(), "de");
    assert_int_equal(keymap_select("fr"), -1);
    assert_string_equal(keymap_name(), "de");       /* unknown: unchanged */
    assert_int_equal(keymap_select("us"), 0);
    assert_string_equal(keymap_name(), "us");
}

static void us_characters(void **state)
{
    (void)state;
    keymap_select("us");
    assert_string_equal(typed(KEY_A, 0), "a");
    assert_string_equal(typed(KEY_A, INPUT_MOD_SHIFT), "A");
    assert_string_equal(typed(KEY_A, INPUT_MOD_CAPS), "A");
    assert_string_equal(typed(KEY_A, INPUT_MOD_CAPS | INPUT_MOD_SHIFT), "a");
    assert_string_equal(typed(KEY_1, INPUT_MOD_CAPS), "1");            /* Caps: letters only */
    assert_string_equal(typed(KEY_2, INPUT_MOD_SHIFT), "@");
    assert_string_equal(typed(KEY_Y, 0), "y");
    assert_string_equal(typed(KEY_APOSTROPHE, INPUT_MOD_SHIFT), "\"");
    assert_string_equal(typed(KEY_SPACE, 0), " ");
}

static void control_and_alt(void **state)
{
    (void)state;
    keymap_select("us");
    assert_string_equal(typed(KEY_A, INPUT_MOD_CTRL), "\x01");
    assert_string_equal(typed(KEY_C, INPUT_MOD_CTRL), "\x03");
    assert_string_equal(typed(KEY_Z, INPUT_MOD_CTRL | INPUT_MOD_SHIFT), "\x1a");
    assert_string_equal(typed(KEY_LEFTBRACE, INPUT_MOD_CTRL), "\x1b");
    assert_string_equal(typed(KEY_X, INPUT_MOD_ALT), "\x1bx");
    assert_string_equal(typed(KEY_X, INPUT_MOD_ALTGR), "\x1bx");      /* US: AltGr is Alt */
    assert_string_equal(typed(KEY_UP, INPUT_MOD_ALT), "\x1b\x1b[A");
}

static void special_keys(void **state)
{
    (void)state;
    keymap_select("us");
    assert_string_equal(typed(KEY_ENTER, 0), "\r");
    assert_string_equal(typed(KEY_KPENTER, 0), "\r");
    assert_string_equal(typed(KEY_BACKSPACE, 0), "\x7f");
    assert_string_equal(typed(KEY_TAB, 0), "\t");
    assert_string_equal(typed(KEY_ESC, 0), "\x1b");
    assert_string_equal(typed(KEY_UP, 0), "\x1b[A");
    assert_string_equal(typed(KEY_DOWN, 0), "\x1b[B");
    assert_string_equal(typed(KEY_RIGHT, 0), "\x1b[C");
    assert_string_equal(typed(KEY_LEFT, 0), "\x1b[D");
    assert_string_equal(typed(KEY_HOME, 0), "\x1b[1~");
    assert_string_equal(typed(KEY_INSERT, 0), "\x1b[2~");
    assert_string_equal(typed(KEY_DELETE, 0), "\x1b[3~");
    assert_string_equal(typed(KEY_END, 0), "\x1b[4~");
    assert_string_equal(typed(KEY_PAGEUP, 0), "\x1b[5~");
    assert_string_equal(typed(KEY_PAGEDOWN, 0), "\x1b[6~");
    assert_string_equal(typed(KEY_F1, 0), "\x1b[[A");
    assert_string_equal(typed(KEY_F5, 0), "\x1b[[E");
    assert_string_equal(typed(KEY_F6, 0), "\x1b[17~");
    assert_string_equal(typed(KEY_F10, 0), "\x1b[21~");
    assert_string_equal(typed(KEY_F11, 0), "\x1b[23~");
    assert_string_equal(typed(KEY_F12, 0), "\x1b[24~");
}

static void keypad_and_num_lock(void **state)
{
    (void)state;
    keymap_select("us");
    assert_string_equal(typed(KEY_KP7, 0), "\x1b[1~");
    assert_string_equal(typed(KEY_KP7, INPUT_MOD_NUM), "7");
    assert_string_equal(typed(KEY_KP5, 0), "\x1b[G");
    assert_string_equal(typed(KEY_KPDOT, INPUT_MOD_NUM), ".");
    assert_string_equal(typed(KEY_KPSLASH, 0), "/");
    assert_string_equal(typed(KEY_KPPLUS, INPUT_MOD_NUM), "+");
}

static void nothing_typed(void **state)
{
    struct input_event up = { .type = INPUT_EV_KEY, .code = KEY_A, .value = 0 };
    struct input_event rel = { .type = INPUT_EV_REL, .code = KEY_A, .value = 1 };
    char out[8];

    (void)state;
    keymap_select("us");
    assert_int_equal(keymap_translate(&up, out, sizeof out), 0);
    assert_int_equal(keymap_translate(&rel, out, sizeof out), 0);
    assert_string_equal(typed(KEY_LEFTSHIFT, INPUT_MOD_SHIFT), "");
    assert_string_equal(typed(KEY_CAPSLOCK, 0), "");
    assert_string_equal(typed(BTN_LEFT, 0), "");
    assert_int_equal(keymap_translate(&(struct input_event){ .type = INPUT_EV_KEY, .code = KEY_F6,
                                                             .value = 1 }, out, 4), 0);
}

static void repeat_types_again(void **state)
{
    struct input_event ev = { .type = INPUT_EV_KEY, .code = KEY_B, .value = 2 };
    char out[4];

    (void)state;
    keymap_select("us");
    assert_int_equal(keymap_translate(&ev, out, sizeof out), 1);
    assert_int_equal(out[0], 'b');
}

static void german_layout(void **state)
{
    (void)state;
    keymap_select("de");
    assert_string_equal(typed(KEY_Y, 0), "z");
    assert_string_equal(typed(KEY_Z, 0), "y");
    assert_string_equal(typed(KEY_Y, INPUT_MOD_SHIFT), "Z");
    assert_string_equal(typed(KEY_Q, INPUT_MOD_ALTGR), "@");
    assert_string_equal(typed(KEY_E, INPUT_MOD_ALTGR), "\xe2\x82\xac");     /* € */
    assert_string_equal(typed(KEY_7, INPUT_MOD_ALTGR), "{");
    assert_string_equal(typed(KEY_8, INPUT_MOD_ALTGR), "[");
    assert_string_equal(typed(KEY_MINUS, INPUT_MOD_ALTGR), "\\");
    assert_string_equal(typed(KEY_102ND, INPUT_MOD_ALTGR), "|");
    assert_string_equal(typed(KEY_RIGHTBRACE, INPUT_MOD_ALTGR), "~");
    assert_string_equal(typed(KEY_2, INPUT_MOD_SHIFT), "\"");
    assert_string_equal(typed(KEY_3, INPUT_MOD_SHIFT), "\xc2\xa7");         /* § */
    assert_string_equal(typed(KEY_7, INPUT_MOD_SHIFT), "/");
    assert_string_equal(typed(KEY_SEMICOLON, 0), "\xc3\xb6");               /* ö */
    assert_string_equal(typed(KEY_APOSTROPHE, INPUT_MOD_SHIFT), "\xc3\x84");/* Ä */
    assert_string_equal(typed(KEY_LEFTBRACE, INPUT_MOD_CAPS), "\xc3\x9c");  /* Caps ü: Ü */
    assert_string_equal(typed(KEY_MINUS, 0), "\xc3\x9f");                   /* ß */
    assert_string_equal(typed(KEY_SLASH, INPUT_MOD_SHIFT), "_");
    assert_string_equal(typed(KEY_Y, INPUT_MOD_CTRL), "\x1a");              /* Ctrl+Z there */
    assert_string_equal(typed(KEY_A, INPUT_MOD_ALTGR), "\x1b" "a");         /* no AltGr level */
    keymap_select("us");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(select_layouts),
        cmocka_unit_test(us_characters),
        cmocka_unit_test(control_and_alt),
        cmocka_unit_test(special_keys),
        cmocka_unit_test(keypad_and_num_lock),
        cmocka_unit_test(nothing_typed),
        cmocka_unit_test(repeat_types_again),
        cmocka_unit_test(german_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
