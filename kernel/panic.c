/*
 * panic.c - the kernel's last words (see panic.h).
 *
 * A panic inside a panic (a sink that faults, say) skips straight to the
 * halt, so the first message is the one that is seen.
 */
#include <stdarg.h>

#include "arch.h"
#include "format.h"
#include "panic.h"
#include "printk.h"
#include "qemu/debug_exit.h"

static int test_mode;
static int panicking;

void panic_set_test_mode(int on)
{
    test_mode = on;
}

void panic(const char *fmt, ...)
{
    char msg[PRINTK_LINE_MAX - 16];
    va_list ap;

    if (!panicking) {
        panicking = 1;
        va_start(ap, fmt);
        format_vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        printk(LOG_ERR, "panic: %s\n", msg);
        if (test_mode)
            debug_exit(DEBUG_EXIT_FAIL);
    }
    arch_halt_forever();
}
