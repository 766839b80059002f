/*
 * input/ps2.h - the PS/2 device drivers behind the 8042 (input/i8042.h):
 * the keyboard on port 1 (ps2kbd.c) and the mouse on port 2
 * (ps2mouse.c). Each probe runs once at boot, after i8042_init and before
 * i8042_start: it resets and sets up its device polled, installs its
 * receiver, and describes what it found in desc ("set 2, translated",
 * "IntelliMouse Explorer, 5 buttons") for input_init's one log line.
 * 0 found, -1 nothing answered on the port.
 */
#pragma once

#include <stddef.h>

#define PS2_ANSWER_TIMEOUT_NS 100000000ull   /* 100 ms for the bytes after an ACK */

int ps2kbd_probe(char *desc, size_t cap);
int ps2mouse_probe(char *desc, size_t cap);
