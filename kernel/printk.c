/*
 * printk.c - the kernel log: format, keep in the ring buffer, send to sinks.
 *
 * One message, three destinations:
 *   the ring buffer  every message whatever its level, each line behind a
 *                    header "<L>[SSSSS.UUUUUU] ": the level and the time
 *                    since boot from the monotonic clock. printk_log_read
 *                    gives it whole (a later dmesg), printk_log_lines line
 *                    by line;
 *   serial           every message, without the header, so the lines the
 *                    test harness reads (bootinfo:, ktest:) start at column 0;
 *   the console      messages at or above the console level, without the
 *                    header (console_write is a no-op before console_init).
 * Every line names its subsystem: "[acpi] MADT: ..." for a part of the
 * kernel, "kernel:", "bootinfo:", "ktest:" for the boot's own report lines.
 * Callers: anyone, any time after kmain starts, threads and interrupt
 * handlers included, on any CPU (no allocation; interrupts are off while
 * a line goes out, and one CPU at a time prints: print_lock below).
 */
#include <stdarg.h>
#include <stdint.h>

#include "arch.h"
#include "arch/cpu_local.h"
#include "console.h"
#include "format.h"
#include "logbuf.h"
#include "panic.h"
#include "printk.h"
#include "serial/serial.h"

static char log_storage[PRINTK_LOG_SIZE];
static struct logbuf kernel_log = { log_storage, PRINTK_LOG_SIZE, 0 };
static int console_level = LOG_INFO;
static int at_line_start = 1;

/* Until the timer code offers a better clock: the TSC since the first printk. */
static uint64_t first_tsc;

static uint64_t tsc_clock_ns(void)
{
    uint64_t khz = tsc_khz();

    return khz ? (arch_rdtsc() - first_tsc) * 1000000 / khz : 0;
}

static uint64_t (*clock_ns)(void) = tsc_clock_ns;

void printk_set_clock(uint64_t (*now_ns)(void))
{
    clock_ns = now_ns ? now_ns : tsc_clock_ns;
}

void printk_set_console_level(int level)
{
    console_level = level;
}

/*
 * One CPU prints at a time, so lines from two CPUs never interleave. Not a
 * struct spinlock, because printk must print even when things go wrong:
 * a CPU that faults inside printk already holds it and goes on (its
 * exception report is what matters), and a panicking CPU stops waiting
 * after PRINT_PANIC_SPINS for a holder the panic's NMI has halted.
 * Interrupts are off while it is held; the wait serves TLB shootdowns.
 */
#define PRINT_PANIC_SPINS   1000000

static int print_owner = -1;            /* cpu id, or -1 */
static volatile int mid_write;          /* 1 while a line is going out to the sinks */

/* A line was cut off in the sinks (its CPU halted or faulted in it): end it. */
static void end_cut_line(void)
{
    if (mid_write) {
        serial_write("\n", 1);
        console_write("\n", 1);
    }
}

/* 1 if taken (print_unlock after), 0 if this CPU already held it. */
static int print_lock(void)
{
    int me = (int)percpu_cpu_id(), free_ = -1;
    unsigned long spins = 0;

    if (__atomic_load_n(&print_owner, __ATOMIC_RELAXED) == me)
        return 0;
    while (!__atomic_compare_exchange_n(&print_owner, &free_, me, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
        free_ = -1;
        if (panic_in_progress() && ++spins > PRINT_PANIC_SPINS) {
            __atomic_store_n(&print_owner, me, __ATOMIC_RELAXED);     /* broken */
            end_cut_line();             /* the halted CPU may have stopped inside a line */
            return 1;
        }
        tlb_shootdown_poll();
        arch_cpu_relax();
    }
    return 1;
}

static void print_unlock(int taken)
{
    if (taken)
        __atomic_store_n(&print_owner, -1, __ATOMIC_RELEASE);
}

/* Into the ring: each line gets its header, a message may hold several. */
static void log_store(int level, const char *s, size_t n)
{
    char header[PRINTK_HEADER_MAX];

    while (n) {
        size_t len = 0;
        if (at_line_start) {
            uint64_t ns = clock_ns();
            int h = format_snprintf(header, sizeof header, "<%d>[%5llu.%06llu] ", level,
                                    (unsigned long long)(ns / 1000000000),
                                    (unsigned long long)(ns / 1000 % 1000000));
            logbuf_write(&kernel_log, header, (size_t)h);
        }
        while (len < n && s[len] != '\n')
            len++;
        at_line_start = len < n;            /* the line ends in this piece */
        len += len < n;
        logbuf_write(&kernel_log, s, len);
        s += len;
        n -= len;
    }
}

void printk(int level, const char *fmt, ...)
{
    char line[PRINTK_LINE_MAX];
    va_list ap;
    int n;

    if (!first_tsc)
        first_tsc = arch_rdtsc();
    va_start(ap, fmt);
    n = format_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof line) {        /* cut: say so, keep the newline */
        n = (int)sizeof line - 1;
        line[n - 4] = '.', line[n - 3] = '.', line[n - 2] = '.', line[n - 1] = '\n';
    }
    /* Interrupts off and the print lock held while the line goes out, so
     * neither a preempting thread's line nor another CPU's lands inside it. */
    uint64_t flags = arch_irq_save();
    int taken = print_lock();

    if (!taken)
        end_cut_line();                 /* this CPU faulted inside a line: a report starts afresh */
    log_store(level, line, (size_t)n);
    mid_write = 1;
    serial_write(line, (size_t)n);
    if (level <= console_level)
        console_write(line, (size_t)n);
    mid_write = n > 0 && line[n - 1] != '\n';
    print_unlock(taken);
    arch_irq_restore(flags);
}

void printk_locked_call(void (*fn)(void *arg), void *arg)
{
    uint64_t flags = arch_irq_save();
    int taken = print_lock();

    fn(arg);
    print_unlock(taken);
    arch_irq_restore(flags);
}

size_t printk_log_read(char *out, size_t cap)
{
    uint64_t flags = arch_irq_save();
    int taken = print_lock();
    size_t n = logbuf_read(&kernel_log, out, cap);

    print_unlock(taken);
    arch_irq_restore(flags);
    return n;
}

/* Split one held line into level, time and message; 0 if it has no header. */
static int parse_header(const char *s, size_t n, struct printk_line *l)
{
    size_t i = 4;
    uint64_t sec = 0, usec = 0;

    if (n < 4 || s[0] != '<' || s[1] < '0' || s[1] > '9' || s[2] != '>' || s[3] != '[')
        return 0;
    while (i < n && (s[i] == ' ' || (s[i] >= '0' && s[i] <= '9')))
        sec = s[i] == ' ' ? sec : sec * 10 + (uint64_t)(s[i] - '0'), i++;
    if (i >= n || s[i++] != '.')
        return 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        usec = usec * 10 + (uint64_t)(s[i++] - '0');
    if (i + 1 >= n || s[i] != ']' || s[i + 1] != ' ')
        return 0;
    l->level = s[1] - '0';
    l->time_ns = sec * 1000000000 + usec * 1000;
    l->text = s + i + 2;
    l->len = n - (i + 2);
    return 1;
}

size_t printk_log_lines(const char *log, size_t n, void (*fn)(const struct printk_line *, void *), void *arg)
{
    size_t count = 0, i = 0;

    while (i < n) {
        size_t start = i;
        struct printk_line l;
        while (i < n && log[i] != '\n')
            i++;
        if (parse_header(log + start, i - start, &l)) {     /* a cut first line has none */
            fn(&l, arg);
            count++;
        }
        i++;
    }
    return count;
}

static void replay_line(const struct printk_line *l, void *arg)
{
    (void)arg;
    if (l->level <= console_level) {
        console_write(l->text, l->len);
        console_write("\n", 1);
    }
}

void printk_replay_to_console(void)
{
    static char early[8192];    /* the lines before the console: a few */
    size_t n = logbuf_read(&kernel_log, early, sizeof early);

    printk_log_lines(early, n, replay_line, 0);
}
