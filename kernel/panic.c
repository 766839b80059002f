/*
 * panic.c - the kernel's last words (see panic.h).
 *
 * Every way of dying goes through panic_begin and panic_stop: panic() for
 * a bug the kernel detects itself (its message, then a backtrace of the
 * caller), exception_panic() for a CPU exception in the kernel (the
 * exception's report, kernel/arch/x86_64/exception.c). A panic inside a
 * panic (a sink that faults, say) skips straight to the halt, so the first
 * report is the one that is seen.
 *
 * Other CPUs: the first CPU to panic claims `panicking` (an atomic
 * exchange, so two panics at once still give one report) and calls the
 * halt hook (smp.c: an NMI to every other CPU). The NMI lands in
 * exception_panic there, whose panic_begin finds the panic under way and
 * halts that CPU at once, with nothing printed.
 */
#include <stdarg.h>

#include "arch.h"
#include "arch/cpu_local.h"
#include "backtrace.h"
#include "format.h"
#include "panic.h"
#include "printk.h"
#include "qemu/debug_exit.h"
#include "sched/thread.h"

static int test_mode;
static int panicking;
static panic_hook_fn *halt_others;

void panic_set_test_mode(int on)
{
    test_mode = on;
}

void panic_set_halt_others(panic_hook_fn *fn)
{
    halt_others = fn;
}

int panic_in_progress(void)
{
    return __atomic_load_n(&panicking, __ATOMIC_RELAXED);
}

void panic_begin(void)
{
    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
        arch_halt_forever();
    if (halt_others)
        halt_others();
}

void panic_stop(void)
{
    if (test_mode)
        debug_exit(DEBUG_EXIT_FAIL);
    arch_halt_forever();
}

void panic_print_where(void)
{
    const struct thread *t = percpu_current();

    if (t)
        printk(LOG_ERR, "  on CPU %u, thread '%s'\n", (unsigned)percpu_cpu_id(), t->name);
    else
        printk(LOG_ERR, "  on CPU %u, before the scheduler\n", (unsigned)percpu_cpu_id());
}

void panic(const char *fmt, ...)
{
    char msg[PRINTK_LINE_MAX - 16];
    va_list ap;

    panic_begin();
    va_start(ap, fmt);
    format_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printk(LOG_ERR, "panic: %s\n", msg);
    panic_print_where();
    /* #0 is the caller; the walk goes on from the caller's frame, whose
     * address our own frame saved (frame pointers: [rbp] = caller's rbp). */
    backtrace_print((uint64_t)(uintptr_t)__builtin_return_address(0), 0,
                    *(const uint64_t *)__builtin_frame_address(0));
    panic_stop();
}
