/*
 * tty.c - the terminal core (tty.h): the table of terminals, and for each
 * its line discipline (ldisc.h) behind a spinlock, the readers blocked on
 * a wait queue, the window size and foreground process group.
 *
 * Paths:
 *   input   the driver's tty_input (interrupt context is fine) runs the
 *           discipline under the lock (its echo goes to ops->write there),
 *           wakes the readers and writers, then, the lock let go, calls the
 *           signal hook for each signal character;
 *   access  a read or write by a process first asks the access hook (job
 *           control: a background group gets SIGTTIN or SIGTTOU, signal_tty.c);
 *   read    tty_read waits on `readers` until ldisc_read_ready says so; a
 *           VTIME deadline is a callout that wakes the queue; a signal
 *           character raised while it waited ends it with -EINTR;
 *   write   tty_write hands the discipline TTY_WRITE_CHUNK bytes at a time,
 *           waiting on `writers` while output is stopped (IXON's ^S), so a
 *           long write neither keeps interrupts off long nor overruns ^S.
 *
 * Locking: each terminal's `lock` guards its discipline, window size and
 * process group, and is held around ops->write (so the driver's write runs
 * with interrupts off: it must not block). The table is filled at boot and
 * never shrinks: registration takes table_lock; lookups read the published
 * count.
 */
#include <string.h>

#include "errno.h"
#include "ipc/pollwait.h"
#include "sched/callout.h"
#include "sched/waitq.h"
#include "sync/spinlock.h"
#include "timer/clock.h"
#include "tty/ldisc.h"
#include "tty/tty.h"

#define TTY_WRITE_CHUNK 256
#define TTY_SIGNALS_MAX 8       /* signal characters delivered per tty_input call */

struct tty {
    char name[TTY_NAME_MAX];
    const struct tty_ops *ops;
    void *driver_data;

    struct spinlock lock;       /* guards everything below */
    struct ldisc ld;
    struct waitq readers;       /* tty_read: for input, or a VTIME deadline */
    struct waitq writers;       /* tty_write: while output is stopped */
    uint64_t signals_raised;    /* a reader that sees it change returns -EINTR */
    struct winsize ws;
    int pgrp;
};

static struct tty ttys[TTY_MAX];
static unsigned tty_count;                  /* published with release: entries below are whole */
static struct spinlock table_lock = SPINLOCK_INIT("tty_table");
static void (*signal_hook)(struct tty *t, int sig);
static long (*access_hook)(struct tty *t, int writing);

/* The discipline's device output: the driver's write. */
static void device_write(void *ctx, const char *buf, size_t n)
{
    struct tty *t = ctx;

    t->ops->write(t, buf, n);
}

struct tty *tty_find(const char *name)
{
    unsigned n = __atomic_load_n(&tty_count, __ATOMIC_ACQUIRE);

    for (unsigned i = 0; i < n; i++)
        if (strcmp(ttys[i].name, name) == 0)
            return &ttys[i];
    return 0;
}

struct tty *tty_register(const char *name, const struct tty_ops *ops, void *driver_data)
{
    struct tty *t = 0;

    if (strlen(name) >= TTY_NAME_MAX)
        return 0;
    spin_lock(&table_lock);
    if (tty_count < TTY_MAX && !tty_find(name)) {
        t = &ttys[tty_count];
        memcpy(t->name, name, strlen(name) + 1);
        t->ops = ops;
        t->driver_data = driver_data;
        spin_init(&t->lock, "tty");
        ldisc_init(&t->ld, device_write, t);
        waitq_init(&t->readers);
        waitq_init(&t->writers);
        __atomic_store_n(&tty_count, tty_count + 1, __ATOMIC_RELEASE);
    }
    spin_unlock(&table_lock);
    return t;
}

void *tty_driver_data(struct tty *t)
{
    return t->driver_data;
}

const char *tty_name(const struct tty *t)
{
    return t->name;
}

uint64_t tty_dropped(const struct tty *t)
{
    return __atomic_load_n(&t->ld.dropped, __ATOMIC_RELAXED);
}

void tty_set_signal_hook(void (*hook)(struct tty *t, int sig))
{
    __atomic_store_n(&signal_hook, hook, __ATOMIC_RELEASE);
}

void tty_set_access_hook(long (*hook)(struct tty *t, int writing))
{
    __atomic_store_n(&access_hook, hook, __ATOMIC_RELEASE);
}

/* Job control: a background group's read or write of its controlling terminal (access_hook). */
static long access_check(struct tty *t, int writing)
{
    long (*hook)(struct tty *, int) = __atomic_load_n(&access_hook, __ATOMIC_ACQUIRE);

    return hook ? hook(t, writing) : 0;
}

void tty_input(struct tty *t, const char *buf, size_t n)
{
    int sigs[TTY_SIGNALS_MAX], nsig = 0, sig;

    spin_lock(&t->lock);
    ldisc_receive(&t->ld, buf, n, clock_ns());
    while ((sig = ldisc_take_signal(&t->ld)) != 0) {
        t->signals_raised++;
        if (nsig < TTY_SIGNALS_MAX)
            sigs[nsig++] = sig;
    }
    waitq_wake_all(&t->readers);
    if (!t->ld.stopped)
        waitq_wake_all(&t->writers);
    spin_unlock(&t->lock);
    pollwait_notify();

    void (*hook)(struct tty *, int) = __atomic_load_n(&signal_hook, __ATOMIC_ACQUIRE);
    for (int i = 0; hook && i < nsig; i++)
        hook(t, sigs[i]);
}

/* A VTIME deadline passed: the readers look again. */
static void read_deadline(void *arg)
{
    struct tty *t = arg;

    spin_lock(&t->lock);
    waitq_wake_all(&t->readers);
    spin_unlock(&t->lock);
}

/* Caller holds t->lock: wait until a read of n may return; 0, or -EAGAIN/-EINTR. */
static long wait_readable(struct tty *t, size_t n, int nonblock, struct callout *timer)
{
    uint64_t start = clock_ns(), deadline, raised = t->signals_raised;

    while (!ldisc_read_ready(&t->ld, n, start, clock_ns(), &deadline)) {
        if (nonblock)
            return ldisc_readable(&t->ld) ? 0 : -EAGAIN;
        if (t->signals_raised != raised)
            return -EINTR;
        if (deadline) {
            uint64_t now = clock_ns();
            callout_arm(timer, deadline > now ? deadline - now : 0);
        }
        waitq_wait(&t->readers, &t->lock);
    }
    return 0;
}

long tty_read(struct tty *t, char *buf, size_t n, int nonblock)
{
    struct callout timer;
    long r;

    if ((r = access_check(t, 0)) != 0)
        return r;
    tty_note_first_read();
    callout_init(&timer, read_deadline, t);
    spin_lock(&t->lock);
    r = wait_readable(t, n, nonblock, &timer);
    if (r == 0)
        r = (long)ldisc_read(&t->ld, buf, n);
    spin_unlock(&t->lock);
    callout_cancel_wait(&timer);
    return r;
}

unsigned tty_poll(struct tty *t)
{
    uint64_t now = clock_ns(), deadline;
    unsigned r = 0;

    spin_lock(&t->lock);
    if (ldisc_readable(&t->ld) && ldisc_read_ready(&t->ld, 1, now, now, &deadline))
        r |= POLLIN | POLLRDNORM;
    if (!t->ld.stopped)
        r |= POLLOUT | POLLWRNORM;
    spin_unlock(&t->lock);
    return r;
}

long tty_write(struct tty *t, const char *buf, size_t n)
{
    size_t done = 0;
    long r;

    if ((r = access_check(t, 1)) != 0)
        return r;
    while (done < n) {
        size_t k = n - done < TTY_WRITE_CHUNK ? n - done : TTY_WRITE_CHUNK;
        spin_lock(&t->lock);
        while (t->ld.stopped)
            waitq_wait(&t->writers, &t->lock);
        ldisc_output(&t->ld, buf + done, k);
        spin_unlock(&t->lock);
        done += k;
    }
    return (long)n;
}

void tty_set_winsize(struct tty *t, unsigned short rows, unsigned short cols)
{
    spin_lock(&t->lock);
    t->ws.ws_row = rows;
    t->ws.ws_col = cols;
    spin_unlock(&t->lock);
}

/* Caller holds t->lock. TCSETS*: output is written synchronously, so it has
 * always drained (TCSETSW); TCSETSF flushes the input first. */
static void set_termios(struct tty *t, unsigned long req, const struct termios *tio)
{
    if (req == TCSETSF)
        ldisc_flush_input(&t->ld);
    ldisc_set_termios(&t->ld, tio);
    waitq_wake_all(&t->readers);            /* the rules of a read changed */
    if (!t->ld.stopped)
        waitq_wake_all(&t->writers);
}

/* Caller holds t->lock. TCFLSH and TCXONC take their argument by value, as Linux's. */
static long ioctl_value(struct tty *t, unsigned long req, uintptr_t v)
{
    if (req == TCFLSH) {
        if (v > 2)
            return -EINVAL;
        if (v != 1)                         /* TCIFLUSH, TCIOFLUSH: output has none queued */
            ldisc_flush_input(&t->ld);
        return 0;
    }
    if (v > 1)                              /* TCXONC: TCOOFF, TCOON (TCIOFF/TCION not kept) */
        return -EINVAL;
    t->ld.stopped = v == 0;
    if (!t->ld.stopped)
        waitq_wake_all(&t->writers);
    return 0;
}

/* Caller holds t->lock. The requests whose argument points to a structure or int. */
static long ioctl_pointer(struct tty *t, unsigned long req, void *arg)
{
    switch (req) {
    case TCGETS:
        memcpy(arg, &t->ld.tio, sizeof t->ld.tio);
        return 0;
    case TCSETS: case TCSETSW: case TCSETSF:
        set_termios(t, req, arg);
        return 0;
    case TIOCGWINSZ:
        memcpy(arg, &t->ws, sizeof t->ws);
        return 0;
    case TIOCSWINSZ:
        memcpy(&t->ws, arg, sizeof t->ws);
        return 0;
    case TIOCGPGRP:
        *(int *)arg = t->pgrp;
        return 0;
    case TIOCSPGRP:
        if (*(const int *)arg < 0)
            return -EINVAL;
        t->pgrp = *(const int *)arg;
        return 0;
    case FIONREAD:
        *(int *)arg = (int)ldisc_readable(&t->ld);
        return 0;
    }
    return -ENOTTY;
}

static int ioctl_known(unsigned long req)
{
    static const unsigned long known[] = { TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ,
                                           TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, FIONREAD };

    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i] == req)
            return 1;
    return 0;
}

long tty_ioctl(struct tty *t, unsigned long req, void *arg)
{
    long r;

    if (!arg && req != TCFLSH && req != TCXONC)
        return ioctl_known(req) ? -EFAULT : -ENOTTY;
    spin_lock(&t->lock);
    if (req == TCFLSH || req == TCXONC)
        r = ioctl_value(t, req, (uintptr_t)arg);
    else
        r = ioctl_pointer(t, req, arg);
    spin_unlock(&t->lock);
    if (req == TCSETS || req == TCSETSW || req == TCSETSF || req == TCXONC || req == TCFLSH)
        pollwait_notify();                  /* what a read or write waits for changed */
    return r;
}
