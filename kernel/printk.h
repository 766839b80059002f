/*
 * printk.h - the kernel log: printk(level, fmt, ...).
 *
 * Every message goes into one ring buffer (PRINTK_LOG_SIZE bytes, the whole
 * log, readable later for dmesg through printk_log_read), each line behind
 * a header with its level and the time since boot, "<2>[    0.123456] ";
 * and, without that header, to the serial port and, at or above the console
 * level, to the screen console (framebuffer or VGA text) once console_init
 * has run. A message is formatted with format_vsnprintf into a
 * PRINTK_LINE_MAX-byte buffer on the stack (longer ones are cut, with
 * "...\n" at the end).
 *
 * Every line names its subsystem: "[acpi] MADT: 4 CPUs, 1 IOAPICs" for the
 * parts of the kernel; the boot report's own lines ("kernel:", "bootinfo:",
 * "memmap:", "timeline:", "ktest:") are machine-readable and start at
 * column 0 on the sinks.
 *
 * Levels: LOG_ERR (0, most severe) .. LOG_DEBUG (3); lower is more severe.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define LOG_ERR     0
#define LOG_WARN    1
#define LOG_INFO    2
#define LOG_DEBUG   3

#define PRINTK_LOG_SIZE  (64 * 1024)
#define PRINTK_LINE_MAX  512
#define PRINTK_HEADER_MAX 32    /* "<L>[SSSSS.UUUUUU] " and then some */

void printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Messages with level <= this reach the console (default LOG_INFO). */
void printk_set_console_level(int level);
/* Show the log held so far on the console (once, right after console_init). */
void printk_replay_to_console(void);
/* Run fn(arg) with interrupts off and the print lock held: a writer to a sink
 * printk also writes to (the serial terminal ttyS0, drivers/serial/) never lands
 * inside a printk line, nor one inside its bytes. fn must not printk. */
void printk_locked_call(void (*fn)(void *arg), void *arg);
/* Copy the whole held log, oldest first; returns bytes copied. */
size_t printk_log_read(char *out, size_t cap);

/* The clock of the ring's timestamps, in ns since boot (NULL: the TSC since
 * the first printk, as calibrated). The timer code installs the monotonic clock. */
void printk_set_clock(uint64_t (*now_ns)(void));

/* One line of the held log, its header parsed. */
struct printk_line {
    int level;
    uint64_t time_ns;
    const char *text;           /* the message, without header or newline */
    size_t len;
};

/* Call fn on each whole line of log[0..n) (as printk_log_read returned it);
 * returns the number of lines. A first line cut by the ring is skipped. */
size_t printk_log_lines(const char *log, size_t n, void (*fn)(const struct printk_line *, void *), void *arg);
