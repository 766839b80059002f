/*
 * printk.c - the kernel log: format, keep in the ring buffer, send to sinks.
 *
 * Sinks: serial (always; serial_write is a no-op when there is no UART) and
 * the screen console (console_write; a no-op before console_init). The ring
 * buffer holds everything, whatever the level, so dmesg can show it all.
 * Callers: anyone, any time after kmain starts (no allocation, no locks: one
 * CPU with interrupts off for now; a lock comes with SMP).
 */
#include <stdarg.h>

#include "console.h"
#include "format.h"
#include "logbuf.h"
#include "printk.h"
#include "serial/serial.h"

static char log_storage[PRINTK_LOG_SIZE];
static struct logbuf kernel_log = { log_storage, PRINTK_LOG_SIZE, 0 };
static int console_level = LOG_INFO;

void printk_set_console_level(int level)
{
    console_level = level;
}

void printk(int level, const char *fmt, ...)
{
    char line[PRINTK_LINE_MAX];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = format_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof line) {        /* cut: say so, keep the newline */
        n = (int)sizeof line - 1;
        line[n - 4] = '.', line[n - 3] = '.', line[n - 2] = '.', line[n - 1] = '\n';
    }
    logbuf_write(&kernel_log, line, (size_t)n);
    serial_write(line, (size_t)n);
    if (level <= console_level)
        console_write(line, (size_t)n);
}

size_t printk_log_read(char *out, size_t cap)
{
    return logbuf_read(&kernel_log, out, cap);
}

void printk_replay_to_console(void)
{
    static char early[4096];    /* the lines before the console: a few */
    size_t n = logbuf_read(&kernel_log, early, sizeof early);

    console_write(early, n);
}
