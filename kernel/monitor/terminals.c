/*
 * terminals.c - where the monitors run (see monitor.h monitor_start): a
 * kernel thread per terminal, each with its struct monitor, reading and
 * writing through the tty layer (kernel/tty/tty.h): ttyS0 (serial) and
 * tty1 (the first virtual console), each switched to raw mode (no
 * canonical lines, no echo, no signal characters, CR kept as CR: the line
 * editor does all that), output processing (ONLCR) left on.
 */
#include <stddef.h>

#include "cmdline.h"
#include "format.h"
#include "boot/bootinfo_view.h"
#include "mm/heap.h"
#include "monitor/monitor.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sync/semaphore.h"

#define MONITOR_TERMINALS   2

static struct thread *threads[MONITOR_TERMINALS];
static unsigned started;
static struct semaphore go;             /* monitor_wait lets the threads draw their prompts */

#include "errno.h"
#include "tty/termios.h"
#include "tty/tty.h"

static const char *const tty_names[MONITOR_TERMINALS] = { "ttyS0", "tty1" };

static int tty_io_read(void *ctx, char *c, int nonblock)
{
    for (;;) {
        long r = tty_read(ctx, c, 1, nonblock);

        if (r == 1)
            return 1;
        if (r == -EAGAIN)
            return -1;
        if (r != -EINTR)
            return 0;
    }
}

static void tty_io_write(void *ctx, const char *buf, size_t n)
{
    tty_write(ctx, buf, n);
}

/* Raw mode: bytes as typed, one at a time, nothing echoed or interpreted. */
static int make_raw(struct tty *t)
{
    struct termios tio;
    struct winsize ws;

    if (tty_ioctl(t, TCGETS, &tio) != 0)
        return -1;
    tio.c_lflag &= ~(uint32_t)(ICANON | ECHO | ISIG | IEXTEN);
    tio.c_iflag &= ~(uint32_t)(ICRNL | INLCR | IGNCR | IXON);
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (tty_ioctl(t, TCSETS, &tio) != 0)
        return -1;
    return tty_ioctl(t, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
}

/* The io of terminal i, or -1 when there is no such tty. */
static int terminal_io(unsigned i, struct monitor_io *io)
{
    struct tty *t = tty_find(tty_names[i]);
    int cols;

    if (!t || (cols = make_raw(t)) < 0)
        return -1;
    *io = (struct monitor_io){ tty_io_read, tty_io_write, t, tty_names[i], (unsigned)cols };
    return 0;
}

static void monitor_thread(void *arg)
{
    struct monitor *m = arg;

    sem_down(&go);
    monitor_run(m);
    printk(LOG_INFO, "[monitor] %s: the terminal is gone; monitor ended\n", m->io.name);
}

static void start_on(unsigned i)
{
    struct monitor_io io;
    struct monitor *m;
    char name[THREAD_NAME_MAX];

    if (terminal_io(i, &io) != 0)
        return;
    if (!(m = kcalloc(1, sizeof *m))) {
        printk(LOG_WARN, "[monitor] %s: no memory for a monitor\n", io.name);
        return;
    }
    monitor_init(m, &io);
    format_snprintf(name, sizeof name, "monitor %s", io.name);
    if (!(threads[started] = thread_create(name, monitor_thread, m, SCHED_PRIO_DEFAULT))) {
        printk(LOG_WARN, "[monitor] %s: no thread\n", io.name);
        kfree(m);
        return;
    }
    printk(LOG_INFO, "[monitor] on %s\n", io.name);
    started++;
}

unsigned monitor_start(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    if (!cmdline_has_word(cmdline, len, "monitor"))
        return 0;
    sem_init(&go, 0, "monitor start");
    for (unsigned i = 0; i < MONITOR_TERMINALS; i++)
        start_on(i);
    if (!started)
        printk(LOG_WARN, "[monitor] no terminal to run on\n");
    return started;
}

void monitor_wait(void)
{
    for (unsigned i = 0; i < started; i++)
        sem_up(&go);
    for (unsigned i = 0; i < started; i++)
        thread_join(threads[i]);
    started = 0;
}
