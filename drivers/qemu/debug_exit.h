/*
 * debug_exit.h - QEMU's isa-debug-exit device (iobase 0xf4, iosize 4), how
 * test runs end: writing v makes QEMU exit with status (v << 1) | 1.
 * On a machine without the device the write is ignored and the call returns.
 */
#pragma once

#include <stdint.h>

#define DEBUG_EXIT_PASS 0x10    /* QEMU exits 33: all tests passed */
#define DEBUG_EXIT_FAIL 0x11    /* QEMU exits 35: a test failed, or a panic */

void debug_exit(uint8_t code);
