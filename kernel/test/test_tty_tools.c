/*
 * test_tty_tools.c - ttyecho and ttyburst (test_tty.h): serial input typed
 * by a QEMU test (tests/qemu/tty-type.sh, tty-burst.sh), read by a kernel
 * thread through the tty layer, printed back on the log.
 *
 * Each runs in a thread of its own that kmain joins, so the boot CPU keeps
 * taking the UART's interrupt (kmain's halt would stop it). Lines go out
 * with printk: they land between the echo's bytes only at line boundaries
 * (printk's print lock, docs/tty.md).
 */
#include "block/crc32.h"
#include "errno.h"
#include "printk.h"
#include "sched/thread.h"
#include "sched/sched.h"
#include "serial/serial.h"
#include "test/test_tty.h"
#include "tty/tty.h"

#define ECHO_BUF   200
#define BURST_BUF  1024
#define BURST_QUIET_VTIME 30    /* tenths of a second: the end of a burst */

/* buf[0..n) as text: printable ASCII as is, \n and \\ and \xHH escaped. */
static void escape(const char *buf, long n, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;

    for (long i = 0; i < n && k + 5 < cap; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n') {
            out[k++] = '\\', out[k++] = 'n';
        } else if (c >= 0x20 && c < 0x7F && c != '\\') {
            out[k++] = (char)c;
        } else {
            out[k++] = '\\', out[k++] = 'x', out[k++] = hex[c >> 4], out[k++] = hex[c & 15];
        }
    }
    out[k] = 0;
}

static void print_signal(struct tty *t, int sig)
{
    printk(LOG_INFO, "[tty] signal %d on %s\n", sig, tty_name(t));
}

static void echo_thread(void *arg)
{
    struct tty *t = arg;
    char buf[ECHO_BUF], text[ECHO_BUF * 4 + 8];

    printk(LOG_INFO, "[tty] ttyecho: reading %s in canonical mode\n", tty_name(t));
    for (;;) {
        long n = tty_read(t, buf, sizeof buf, 0);
        if (n == 0)
            break;
        if (n < 0) {
            printk(LOG_INFO, "[tty] read: %ld%s\n", n, n == -EINTR ? " (interrupted)" : "");
            continue;
        }
        escape(buf, n, text, sizeof text);
        printk(LOG_INFO, "[tty] read %ld bytes: %s\n", n, text);
    }
    printk(LOG_INFO, "[tty] ttyecho: end of file, %llu bytes dropped\n",
           (unsigned long long)tty_dropped(t));
}

/* Run fn(ttyS0) in a thread and wait for it. */
static int run_on_ttyS0(void (*fn)(void *), const char *name)
{
    struct tty *t = tty_find("ttyS0");
    struct thread *th;

    if (!t) {
        printk(LOG_ERR, "[tty] %s: no ttyS0\n", name);
        return -1;
    }
    th = thread_create(name, fn, t, SCHED_PRIO_DEFAULT);
    if (!th)
        return -1;
    thread_join(th);
    return 0;
}

int tty_echo_run(void)
{
    tty_set_signal_hook(print_signal);
    return run_on_ttyS0(echo_thread, "ttyecho");
}

static uint64_t burst_expected;

static void set_raw(struct tty *t, int vmin, int vtime)
{
    struct termios tio;

    tty_ioctl(t, TCGETS, &tio);
    termios_make_raw(&tio);
    tio.c_cc[VMIN] = (cc_t)vmin;
    tio.c_cc[VTIME] = (cc_t)vtime;
    tty_ioctl(t, TCSETS, &tio);
}

static void report_burst(struct tty *t, uint64_t got, uint32_t crc)
{
    struct serial_stats st;

    serial_port_stats(0, &st);
    printk(LOG_INFO, "[tty] burst: %llu bytes received, crc32 %08x, %llu dropped by the line "
           "discipline, %llu overruns; %llu receive interrupts (%llu timeouts) for %llu bytes\n",
           (unsigned long long)got, crc, (unsigned long long)tty_dropped(t),
           (unsigned long long)st.overruns, (unsigned long long)st.rx_irqs,
           (unsigned long long)st.timeout_irqs, (unsigned long long)st.rx_bytes);
}

static void burst_thread(void *arg)
{
    struct tty *t = arg;
    static char buf[BURST_BUF];
    uint64_t got = 0;
    uint32_t crc = 0;
    struct serial_stats st;

    set_raw(t, 1, 0);                   /* the first read waits for the burst */
    printk(LOG_INFO, "[tty] burst: ready for %llu bytes, raw mode\n",
           (unsigned long long)burst_expected);
    for (;;) {
        long n = tty_read(t, buf, sizeof buf, 0);
        if (n <= 0)
            break;                      /* VTIME passed in silence */
        crc = crc32_update(crc, buf, (size_t)n);
        got += (uint64_t)n;
        set_raw(t, 0, BURST_QUIET_VTIME);
        serial_port_stats(0, &st);
        if (got + tty_dropped(t) + st.overruns >= burst_expected)
            break;
    }
    report_burst(t, got, crc);
}

int tty_burst_run(uint64_t expected)
{
    burst_expected = expected;
    return run_on_ttyS0(burst_thread, "ttyburst");
}
