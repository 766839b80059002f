/*
 * cmdline.h - questions about the kernel command line.
 *
 * The command line is a list of words separated by spaces or tabs. A word
 * is matched whole: "test" matches "loglevel=info test" but not "tester"
 * or "test=panic".
 */
#pragma once

#include <stddef.h>

/* 1 when the word occurs in cmdline[0..len) (stops early at a NUL). */
int cmdline_has_word(const char *cmdline, size_t len, const char *word);
