/*
 * vt_deps.h - what the virtual consoles use of the other parts of issue 14:
 * input events and keymaps (drivers/input/input.h, keymap.h) and terminals
 * (kernel/tty/tty.h), as the contract in docs/vt.md names them.
 *
 * Until those parts are in the tree, vt_stubs.h declares the contract's
 * names and vt_stubs.c defines them as weak do-nothing functions (no tty
 * registered, no input listener), so the consoles build and run alone.
 * MERGE: once input and tty are on main, delete vt_stubs.h, vt_stubs.c and
 * the #else branch below.
 */
#pragma once

#if __has_include("input/input.h") && __has_include("input/keymap.h") && __has_include("tty/tty.h")
#include "input/input.h"
#include "input/keymap.h"
#include "tty/tty.h"
#else
#include "term/vt_stubs.h"
#endif
