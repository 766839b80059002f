/*
 * printk.h - the kernel log: printk(level, fmt, ...).
 *
 * Every message goes into one ring buffer (PRINTK_LOG_SIZE bytes, the whole
 * log, readable later for dmesg through printk_log_read) and to the serial
 * port; messages at or above the console level also go to the screen
 * console (framebuffer or VGA text) once console_init has run. A message is
 * formatted with format_vsnprintf into a PRINTK_LINE_MAX-byte buffer on the
 * stack (longer ones are cut, with "...\n" at the end).
 *
 * Levels: LOG_ERR (0, most severe) .. LOG_DEBUG (3); lower is more severe.
 * Machine-readable lines (bootinfo:, ktest:) are printed at LOG_INFO and
 * carry no level prefix on the sinks, so they start at column 0.
 */
#pragma once

#include <stddef.h>

#define LOG_ERR     0
#define LOG_WARN    1
#define LOG_INFO    2
#define LOG_DEBUG   3

#define PRINTK_LOG_SIZE  (64 * 1024)
#define PRINTK_LINE_MAX  512

void printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Messages with level <= this reach the console (default LOG_INFO). */
void printk_set_console_level(int level);
/* Show the log held so far on the console (once, right after console_init). */
void printk_replay_to_console(void);
/* Copy the whole held log, oldest first; returns bytes copied. */
size_t printk_log_read(char *out, size_t cap);
