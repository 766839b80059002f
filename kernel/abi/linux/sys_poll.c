/*
 * sys_poll.c - the Linux personality's waits on several descriptors:
 * poll, ppoll, select, pselect6 (POSIX XSH poll() and pselect()).
 *
 * Each is one loop: read the pollers' generation (ipc/pollwait.h), ask
 * every file for its readiness (file_ops.poll; a file without one, a
 * regular file or a directory, is always ready), and when nothing asked
 * for is ready sleep until the generation moves (a pipe or terminal
 * changed), the timeout passes, or, once signals exist, a signal comes.
 * The signal masks of ppoll and pselect6 are accepted and not applied
 * until signals land.
 */
#include <stdint.h>
#include <string.h>

#include "abi/linux/files.h"
#include "abi/linux/syscalls.h"
#include "errno.h"
#include "ipc/pollwait.h"
#include "mm/heap.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "timer/clock.h"

#define POLLIN_SET  (POLLIN | POLLRDNORM | POLLHUP | POLLERR)   /* Linux's select sets */
#define POLLOUT_SET (POLLOUT | POLLWRNORM | POLLERR)
#define POLLEX_SET  POLLPRI

struct linux_pollfd {
    int32_t fd;
    int16_t events, revents;
};

/* fd's readiness now: POLLNVAL when it is not open. */
static unsigned readiness(long fd)
{
    struct file *f = linux_fd_file(fd);
    unsigned r;

    if (!f)
        return POLLNVAL;
    r = f->ops && f->ops->poll ? f->ops->poll(f) : POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
    file_put(f);
    return r;
}

/* A timeout in ns into a deadline (UINT64_MAX: none). */
static uint64_t deadline_after(int64_t ns)
{
    uint64_t now = clock_ns();

    if (ns < 0)
        return UINT64_MAX;
    return (uint64_t)ns > UINT64_MAX - 1 - now ? UINT64_MAX - 1 : now + (uint64_t)ns;
}

/* A struct timespec of the caller's into ns (NULL: -1, no timeout). */
static long timespec_in(uint64_t u, int64_t *ns)
{
    int64_t ts[2];

    *ns = -1;
    if (!u)
        return 0;
    if (copy_from_user(ts, u, sizeof ts))
        return -EFAULT;
    if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
        return -EINVAL;
    *ns = ts[0] > INT64_MAX / 1000000000 - 1 ? INT64_MAX : ts[0] * 1000000000 + ts[1];
    return 0;
}

/* ---- poll ---- */

static long poll_scan(struct linux_pollfd *p, uint64_t n)
{
    long ready = 0;

    for (uint64_t i = 0; i < n; i++) {
        unsigned r = p[i].fd < 0 ? 0 : readiness(p[i].fd);
        p[i].revents = (int16_t)(r & ((uint16_t)p[i].events | POLLERR | POLLHUP | POLLNVAL));
        ready += p[i].revents != 0;
    }
    return ready;
}

static long do_poll(uint64_t ufds, uint64_t n, int64_t timeout_ns)
{
    uint64_t deadline = deadline_after(timeout_ns);
    struct linux_pollfd *p;
    long ready;

    if (n > FD_MAX)
        return -EINVAL;
    if (!(p = kmalloc(n ? n * sizeof *p : 1)))
        return -ENOMEM;
    if (copy_from_user(p, ufds, n * sizeof *p)) {
        kfree(p);
        return -EFAULT;
    }
    for (;;) {
        uint64_t gen = pollwait_generation();
        if ((ready = poll_scan(p, n)) != 0 || timeout_ns == 0)
            break;
        if (pollwait_sleep(gen, deadline) == -ETIMEDOUT)
            break;
    }
    if (copy_to_user(ufds, p, n * sizeof *p))
        ready = -EFAULT;
    kfree(p);
    return ready;
}

long linux_sys_poll(const uint64_t a[6])
{
    int timeout_ms = (int)a[2];

    return do_poll(a[0], a[1] & 0xffffffff, timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000);
}

long linux_sys_ppoll(const uint64_t a[6])
{
    int64_t ns;
    long r = timespec_in(a[2], &ns);

    return r ? r : do_poll(a[0], a[1] & 0xffffffff, ns);
}

/* ---- select ---- */

#define SET_WORDS(n)    (((n) + 63) / 64)

struct select_sets {
    uint64_t *in[3], *out[3];   /* read, write, except: the caller's (NULL: none), the answer */
};

static long select_scan(struct select_sets *s, long nfds)
{
    static const unsigned want[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };
    long ready = 0;

    for (int k = 0; k < 3; k++)
        if (s->out[k])
            memset(s->out[k], 0, SET_WORDS(nfds) * 8);
    for (long fd = 0; fd < nfds; fd++) {
        uint64_t bit = 1ull << (fd % 64);
        int asked = 0;
        unsigned r;
        for (int k = 0; k < 3; k++)
            asked |= s->in[k] && (s->in[k][fd / 64] & bit);
        if (!asked)
            continue;
        if ((r = readiness(fd)) & POLLNVAL)
            return -EBADF;
        for (int k = 0; k < 3; k++) {
            if (s->in[k] && (s->in[k][fd / 64] & bit) && (r & want[k])) {
                s->out[k][fd / 64] |= bit;
                ready++;
            }
        }
    }
    return ready;
}

static long do_select(long nfds, const uint64_t uset[3], int64_t timeout_ns)
{
    uint64_t deadline = deadline_after(timeout_ns), words;
    struct select_sets s = { { 0 }, { 0 } };
    uint64_t *mem;
    long ready = -EFAULT;

    if (nfds < 0 || nfds > FD_MAX)
        return -EINVAL;
    words = SET_WORDS((uint64_t)nfds);
    if (!(mem = kcalloc(6 * words + 1, 8)))
        return -ENOMEM;
    for (int k = 0; k < 3; k++) {
        if (!uset[k])
            continue;
        s.in[k] = mem + 2 * k * words;
        s.out[k] = s.in[k] + words;
        if (copy_from_user(s.in[k], uset[k], words * 8))
            goto out;
    }
    for (;;) {
        uint64_t gen = pollwait_generation();
        if ((ready = select_scan(&s, nfds)) != 0 || timeout_ns == 0)
            break;
        if (pollwait_sleep(gen, deadline) == -ETIMEDOUT)
            break;
    }
    for (int k = 0; k < 3 && ready >= 0; k++)
        if (uset[k] && copy_to_user(uset[k], s.out[k], words * 8))
            ready = -EFAULT;
out:
    kfree(mem);
    return ready;
}

long linux_sys_select(const uint64_t a[6])
{
    const uint64_t sets[3] = { a[1], a[2], a[3] };
    int64_t tv[2], ns = -1;

    if (a[4]) {
        if (copy_from_user(tv, a[4], sizeof tv))
            return -EFAULT;
        if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
            return -EINVAL;
        ns = tv[0] > INT64_MAX / 1000000000 - 1 ? INT64_MAX : tv[0] * 1000000000 + tv[1] * 1000;
    }
    return do_select((long)(int)a[0], sets, ns);
}

long linux_sys_pselect6(const uint64_t a[6])
{
    const uint64_t sets[3] = { a[1], a[2], a[3] };
    int64_t ns;
    long r = timespec_in(a[4], &ns);

    return r ? r : do_select((long)(int)a[0], sets, ns);
}
