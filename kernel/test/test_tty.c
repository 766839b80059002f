/*
 * test_tty.c - ktests for the terminal core (kernel/tty/tty.c) on a terminal
 * of their own, "ktest-tty", whose device is a buffer: the ioctls and their
 * errors, output processing on tty_write, a reader that blocks until a line
 * is typed (from another thread, as an interrupt handler would), -EINTR on
 * ^C with the signal hook called, a VTIME read timing out on the clock,
 * non-blocking reads, ^S holding a writer until ^Q, and the serial
 * terminals registered at boot. The line discipline's own cases run on
 * the host (tests/host/test_tty_ldisc.c); here the kernel's locking, waking
 * and timing around it.
 *
 * A reader is known to be blocked when its thread is THREAD_BLOCKED (it
 * waits on the terminal's queue), so typing never races its arrival.
 */
#include <string.h>

#include "errno.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "serial/serial.h"
#include "serial/uart.h"
#include "test/ktest.h"
#include "timer/clock.h"
#include "tty/tty.h"

#define DEVICE_MAX 4096
#define WAIT_BLOCKED_MS 2000

static char device[DEVICE_MAX];         /* what ktest-tty "put on the screen" */
static volatile size_t device_n;

static void device_write(struct tty *t, const char *buf, size_t n)
{
    (void)t;
    for (size_t i = 0; i < n && device_n < DEVICE_MAX; i++)
        device[device_n++] = buf[i];
}

static const struct tty_ops device_ops = { device_write };

/* The test terminal, fresh settings, nothing pending, the device emptied. */
static struct tty *test_tty(void)
{
    struct tty *t = tty_find("ktest-tty");
    struct termios tio;

    if (!t)
        t = tty_register("ktest-tty", &device_ops, 0);
    if (!t)
        return 0;
    termios_default(&tio);
    tty_ioctl(t, TCSETSF, &tio);
    tty_ioctl(t, TCXONC, (void *)1);        /* output on, whatever a failed test left */
    device_n = 0;
    return t;
}

/* Wait until th blocks on a wait queue (1), or give up after WAIT_BLOCKED_MS (0). */
static int wait_blocked(struct thread *th)
{
    uint64_t end = clock_ns() + WAIT_BLOCKED_MS * NS_PER_MS;

    while (__atomic_load_n(&th->state, __ATOMIC_ACQUIRE) != THREAD_BLOCKED) {
        if (clock_ns() > end)
            return 0;
        sched_sleep_ns(NS_PER_MS);
    }
    return 1;
}

struct reader {
    struct tty *t;
    char buf[64];
    long r;
    uint64_t took_ns;
};

static void reader_thread(void *arg)
{
    struct reader *rd = arg;
    uint64_t start = clock_ns();

    rd->r = tty_read(rd->t, rd->buf, sizeof rd->buf - 1, 0);
    rd->took_ns = clock_ns() - start;
    if (rd->r >= 0)
        rd->buf[rd->r] = 0;
}

void ktest_tty_ioctls(struct ktest *t)
{
    struct tty *tt = test_tty();
    struct termios tio, def, back;
    struct winsize ws = { 25, 80, 0, 0 }, wb;
    int pgrp = 42, pb = 0, bad = -1;

    if (!KTEST_ASSERT(t, tt))
        return;
    termios_default(&def);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TCGETS, &tio), 0);
    KTEST_ASSERT(t, memcmp(&tio, &def, sizeof tio) == 0);
    tio.c_lflag &= ~(tcflag_t)ECHO;
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TCSETSW, &tio), 0);
    tty_ioctl(tt, TCGETS, &back);
    KTEST_ASSERT_EQ(t, back.c_lflag, def.c_lflag & ~(tcflag_t)ECHO);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TIOCSWINSZ, &ws), 0);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TIOCGWINSZ, &wb), 0);
    KTEST_ASSERT(t, wb.ws_row == 25 && wb.ws_col == 80);
    tty_set_winsize(tt, 48, 128);
    tty_ioctl(tt, TIOCGWINSZ, &wb);
    KTEST_ASSERT(t, wb.ws_row == 48 && wb.ws_col == 128);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TIOCSPGRP, &pgrp), 0);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TIOCGPGRP, &pb), 0);
    KTEST_ASSERT_EQ(t, pb, 42);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TIOCSPGRP, &bad), -EINVAL);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, 0x5401 + 0x100, &pb), -ENOTTY);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TCGETS, 0), -EFAULT);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TCFLSH, (void *)7), -EINVAL);
}

void ktest_tty_write_onlcr(struct ktest *t)
{
    struct tty *tt = test_tty();
    static char many[1000];

    if (!KTEST_ASSERT(t, tt))
        return;
    KTEST_ASSERT_EQ(t, tty_write(tt, "a\nb", 3), 3);
    KTEST_ASSERT_EQ(t, device_n, 4);
    KTEST_ASSERT(t, memcmp(device, "a\r\nb", 4) == 0);
    memset(many, '\n', sizeof many);
    device_n = 0;
    KTEST_ASSERT_EQ(t, tty_write(tt, many, sizeof many), sizeof many);
    KTEST_ASSERT_EQ(t, device_n, 2 * sizeof many);     /* across TTY_WRITE_CHUNKs */
}

void ktest_tty_read_blocks_until_line(struct ktest *t)
{
    static struct reader rd;
    struct thread *th;

    rd = (struct reader){ .t = test_tty() };
    if (!KTEST_ASSERT(t, rd.t))
        return;
    th = thread_create("tty-reader", reader_thread, &rd, SCHED_PRIO_DEFAULT);
    if (!KTEST_ASSERT(t, th))
        return;
    KTEST_ASSERT(t, wait_blocked(th));
    tty_input(rd.t, "hi", 2);
    KTEST_ASSERT(t, wait_blocked(th));             /* no line yet: still waiting */
    tty_input(rd.t, "\r", 1);
    thread_join(th);
    KTEST_ASSERT_EQ(t, rd.r, 3);
    KTEST_ASSERT_STR_EQ(t, rd.buf, "hi\n");
    KTEST_ASSERT(t, device_n == 4 && memcmp(device, "hi\r\n", 4) == 0);   /* the echo */
}

static volatile int hooked_sig;
static struct tty *volatile hooked_tty;

static void hook(struct tty *tt, int sig)
{
    hooked_tty = tt;
    hooked_sig = sig;
}

void ktest_tty_read_eintr(struct ktest *t)
{
    static struct reader rd;
    struct thread *th;

    rd = (struct reader){ .t = test_tty() };
    if (!KTEST_ASSERT(t, rd.t))
        return;
    hooked_sig = 0;
    tty_set_signal_hook(hook);
    th = thread_create("tty-reader", reader_thread, &rd, SCHED_PRIO_DEFAULT);
    if (!KTEST_ASSERT(t, th))
        return;
    KTEST_ASSERT(t, wait_blocked(th));
    tty_input(rd.t, "x\x03", 2);
    thread_join(th);
    tty_set_signal_hook(0);
    KTEST_ASSERT_EQ(t, rd.r, -EINTR);
    KTEST_ASSERT_EQ(t, hooked_sig, TTY_SIGINT);
    KTEST_ASSERT(t, hooked_tty == rd.t);
    KTEST_ASSERT(t, device_n == 3 && memcmp(device, "x^C", 3) == 0);
}

void ktest_tty_read_vtime(struct ktest *t)
{
    static struct reader rd;
    struct termios tio;

    rd = (struct reader){ .t = test_tty() };
    if (!KTEST_ASSERT(t, rd.t))
        return;
    tty_ioctl(rd.t, TCGETS, &tio);
    termios_make_raw(&tio);
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 1;                    /* 100 ms */
    tty_ioctl(rd.t, TCSETS, &tio);
    reader_thread(&rd);
    KTEST_ASSERT_EQ(t, rd.r, 0);
    if (!KTEST_ASSERT(t, rd.took_ns >= 100 * NS_PER_MS))
        return;
    KTEST_ASSERT(t, rd.took_ns < 1000 * NS_PER_MS);
    tty_input(rd.t, "z", 1);                /* one byte: at once */
    reader_thread(&rd);
    KTEST_ASSERT_EQ(t, rd.r, 1);
    KTEST_ASSERT(t, rd.took_ns < 100 * NS_PER_MS);
}

void ktest_tty_read_nonblock(struct ktest *t)
{
    struct tty *tt = test_tty();
    char buf[8];

    if (!KTEST_ASSERT(t, tt))
        return;
    KTEST_ASSERT_EQ(t, tty_read(tt, buf, sizeof buf, 1), -EAGAIN);
    tty_input(tt, "ab", 2);                 /* not a line yet */
    KTEST_ASSERT_EQ(t, tty_read(tt, buf, sizeof buf, 1), -EAGAIN);
    tty_input(tt, "\r", 1);
    KTEST_ASSERT_EQ(t, tty_read(tt, buf, sizeof buf, 1), 3);
}

struct writer {
    struct tty *t;
    long r;
};

static void writer_thread(void *arg)
{
    struct writer *w = arg;

    w->r = tty_write(w->t, "go", 2);
}

void ktest_tty_flow_control(struct ktest *t)
{
    static struct writer w;
    struct thread *th;

    w = (struct writer){ .t = test_tty() };
    if (!KTEST_ASSERT(t, w.t))
        return;
    tty_input(w.t, "\x13", 1);              /* ^S */
    th = thread_create("tty-writer", writer_thread, &w, SCHED_PRIO_DEFAULT);
    if (!KTEST_ASSERT(t, th))
        return;
    KTEST_ASSERT(t, wait_blocked(th));
    KTEST_ASSERT_EQ(t, device_n, 0);        /* held */
    tty_input(w.t, "\x11", 1);              /* ^Q */
    thread_join(th);
    KTEST_ASSERT_EQ(t, w.r, 2);
    KTEST_ASSERT(t, device_n == 2 && memcmp(device, "go", 2) == 0);
}

void ktest_tty_registry(struct ktest *t)
{
    struct serial_stats st;
    int com1 = serial_com1_probe_result() == UART_OK;

    KTEST_ASSERT(t, test_tty());
    KTEST_ASSERT(t, tty_register("ktest-tty", &device_ops, 0) == 0);    /* the name is taken */
    KTEST_ASSERT(t, tty_register("a-name-far-too-long", &device_ops, 0) == 0);
    KTEST_ASSERT(t, tty_find("no-such-tty") == 0);
    KTEST_ASSERT_EQ(t, serial_port_stats(0, &st), 0);
    KTEST_ASSERT_EQ(t, st.present, com1);
    KTEST_ASSERT_EQ(t, tty_find("ttyS0") != 0, com1);
    KTEST_ASSERT_EQ(t, serial_port_stats(SERIAL_PORTS, &st), -1);
}

void ktest_tty_canonical_editing(struct ktest *t)
{
    struct tty *tt = test_tty();
    char buf[32];
    long n;

    if (!KTEST_ASSERT(t, tt))
        return;
    tty_input(tt, "ab\x7f" "c x\x17y\x15" "ok\r", 12);    /* erase, word erase, kill */
    n = tty_read(tt, buf, sizeof buf, 1);
    KTEST_ASSERT_EQ(t, n, 3);
    KTEST_ASSERT(t, n == 3 && memcmp(buf, "ok\n", 3) == 0);
    tty_input(tt, "ab\x7f" "c\r", 5);
    n = tty_read(tt, buf, sizeof buf, 1);
    KTEST_ASSERT(t, n == 3 && memcmp(buf, "ac\n", 3) == 0);
}

/*
 * COM1's receive interrupt, with no one typing: inside printk's print lock
 * (interrupts off, so no log line is sent into the loop) COM1's interrupts
 * are turned off, the port put in loopback mode (MCR bit 4: what it sends
 * comes back into its own receive FIFO), the bytes sent round, then normal
 * mode and the driver's interrupt enable back: the interrupt must bring the
 * bytes to ttyS0's reader. Three bytes stay below the FIFO's trigger level:
 * only the character-timeout interrupt can bring them. Sixteen must all sit
 * in the FIFO at once (no overrun). Whether the sixteen come with the
 * trigger-level interrupt or a timeout depends on how long the sending took
 * (over four character times, QEMU reports the timeout first), so the
 * trigger level is checked by the burst case (tests/qemu/tty-burst.sh).
 */
#define LOOPBACK_SPINS 1000000
#define LSR_TX_EMPTY   0x40     /* transmitter and its shift register empty */

struct loop_send {
    const char *buf;
    size_t n;
};

static void loopback_send(void *arg)
{
    const struct loop_send *s = arg;
    uint8_t ier = uart_in(SERIAL_COM1, UART_IER);

    uart_out(SERIAL_COM1, UART_IER, 0);
    uart_out(SERIAL_COM1, UART_MCR, MCR_LOOPBACK);
    for (size_t i = 0; i < s->n; i++)
        uart_put_raw(SERIAL_COM1, s->buf[i]);
    for (int i = 0; i < LOOPBACK_SPINS; i++)
        if (uart_in(SERIAL_COM1, UART_LSR) & LSR_TX_EMPTY)
            break;
    uart_out(SERIAL_COM1, UART_MCR, MCR_DTR_RTS_OUT2);
    uart_out(SERIAL_COM1, UART_IER, ier);
}

/* Send buf round COM1's loop, read it back from ttyS0 (raw, no echo): bytes read. */
static size_t loop_round(struct tty *s0, const char *buf, size_t n, char *back)
{
    struct loop_send ls = { buf, n };
    size_t got = 0;
    long r;

    printk_locked_call(loopback_send, &ls);
    while (got < n && (r = tty_read(s0, back + got, n - got, 0)) > 0)
        got += (size_t)r;
    return got;
}

void ktest_serial_loopback_interrupt(struct ktest *t)
{
    struct tty *s0 = tty_find("ttyS0");
    struct termios saved, raw;
    struct serial_stats before, after;
    static const char three[] = "abc", sixteen[] = "0123456789ABCDEF";
    char back[16];

    if (!s0 || serial_com1_probe_result() != UART_OK) {
        KTEST_SKIP(t, "no 16550A at COM1 (no FIFO, or no UART)");
        return;
    }
    tty_ioctl(s0, TCGETS, &saved);
    raw = saved;
    termios_make_raw(&raw);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 5;                    /* half a second without a byte ends a read */
    tty_ioctl(s0, TCSETSF, &raw);
    serial_port_stats(0, &before);
    KTEST_ASSERT_EQ(t, loop_round(s0, three, 3, back), 3);
    KTEST_ASSERT(t, memcmp(back, three, 3) == 0);
    serial_port_stats(0, &after);
    KTEST_ASSERT(t, after.timeout_irqs > before.timeout_irqs);
    KTEST_ASSERT_EQ(t, loop_round(s0, sixteen, 16, back), 16);
    KTEST_ASSERT(t, memcmp(back, sixteen, 16) == 0);
    serial_port_stats(0, &before);
    KTEST_ASSERT_EQ(t, before.rx_bytes - after.rx_bytes, 16);
    KTEST_ASSERT(t, before.rx_irqs > after.rx_irqs);
    KTEST_ASSERT_EQ(t, before.overruns, 0);
    tty_ioctl(s0, TCSETSF, &saved);
}
