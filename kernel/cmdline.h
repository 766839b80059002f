/*
 * cmdline.h - questions about the kernel command line.
 *
 * The command line is a list of words separated by spaces or tabs. A word
 * is matched whole: "test" matches "loglevel=info test" but not "tester"
 * or "test=panic".
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* 1 when the word occurs in cmdline[0..len) (stops early at a NUL). */
int cmdline_has_word(const char *cmdline, size_t len, const char *word);

/*
 * The value of a word "key=N" (decimal). Returns 1 and sets *value when
 * found, 0 when the key is absent, -1 when its value is not a number (the
 * caller reports it).
 */
int cmdline_number(const char *cmdline, size_t len, const char *key, uint64_t *value);
