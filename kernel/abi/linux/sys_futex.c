/*
 * sys_futex.c - futex(2) over the futex core (kernel/proc/futex.h):
 * FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE,
 * FUTEX_WAIT_BITSET and FUTEX_WAKE_BITSET, each with or without
 * FUTEX_PRIVATE_FLAG (the key is the caller's address space either way:
 * futex.h says why). Others are -ENOSYS, as Linux says for an op it lacks.
 *
 * Timeouts (linux/futex.h, futex(2)): FUTEX_WAIT's is relative, on
 * CLOCK_MONOTONIC; FUTEX_WAIT_BITSET's is absolute, on CLOCK_MONOTONIC,
 * or CLOCK_REALTIME with FUTEX_CLOCK_REALTIME. Both become a deadline on
 * the monotonic clock.
 *
 * set_robust_list and get_robust_list are here too: the list is of futexes.
 */
#include <stdint.h>

#include "abi/linux/linux_time.h"
#include "abi/linux/syscalls.h"
#include "errno.h"
#include "proc/futex.h"
#include "proc/proc.h"
#include "proc/robust.h"
#include "proc/uaccess.h"
#include "sync/spinlock.h"
#include "timer/clock.h"

#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define FUTEX_REQUEUE           3
#define FUTEX_CMP_REQUEUE       4
#define FUTEX_WAIT_BITSET       9
#define FUTEX_WAKE_BITSET       10
#define FUTEX_PRIVATE_FLAG      128
#define FUTEX_CLOCK_REALTIME    256
#define FUTEX_CMD_MASK          (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* The deadline for a wait's timeout argument: 0 and *deadline, or -EFAULT/-EINVAL. */
static int deadline_of(uint64_t utimeout, int absolute, int realtime, uint64_t *deadline)
{
    int64_t ns, now_rt;
    int err;

    *deadline = FUTEX_FOREVER;
    if (!utimeout)
        return 0;
    if ((err = linux_timespec_get(utimeout, &ns)) != 0)
        return err;
    if (!absolute) {
        *deadline = clock_ns() + (uint64_t)ns;
        return 0;
    }
    if (!realtime) {
        *deadline = (uint64_t)ns;
        return 0;
    }
    now_rt = linux_realtime_ns();
    *deadline = clock_ns() + (ns > now_rt ? (uint64_t)(ns - now_rt) : 0);
    return 0;
}

static long wait(const uint64_t a[6], int cmd)
{
    struct uspace *us = proc_current()->us;
    uint32_t bitset = cmd == FUTEX_WAIT ? FUTEX_BITSET_ANY : (uint32_t)a[5];
    uint64_t deadline;
    int err = deadline_of(a[3], cmd == FUTEX_WAIT_BITSET, (a[1] & FUTEX_CLOCK_REALTIME) != 0, &deadline);

    return err ? err : futex_wait(us, a[0], (uint32_t)a[2], deadline, bitset);
}

long linux_sys_futex(const uint64_t a[6])
{
    struct uspace *us = proc_current()->us;
    int cmd = (int)a[1] & FUTEX_CMD_MASK, n = (int)a[2];

    if ((a[1] & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
        return -ENOSYS;             /* Linux: the clock flag means nothing elsewhere */
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        return wait(a, cmd);
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
        /* Linux wakes one when asked for 0 or fewer */
        return futex_wake_bitset(us, a[0], n <= 0 ? 1 : n, cmd == FUTEX_WAKE ? FUTEX_BITSET_ANY : (uint32_t)a[5]);
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(us, a[0], a[4], n, (int)a[3], cmd == FUTEX_CMP_REQUEUE, (uint32_t)a[5]);
    default:
        return -ENOSYS;
    }
}

/* set_robust_list(head, len): the list walked when the thread ends (kernel/proc/robust.c). */
long linux_sys_set_robust_list(const uint64_t a[6])
{
    if (a[1] != ROBUST_LIST_HEAD_SIZE)
        return -EINVAL;
    uthread_current()->robust_list = a[0];
    return 0;
}

/*
 * get_robust_list(tid, head_ptr, len_ptr): the head a thread gave (tid 0:
 * the caller). Another process's only with the right to look at it, as
 * Linux's ptrace read check: root, or the same user on both ids.
 */
long linux_sys_get_robust_list(const uint64_t a[6])
{
    struct proc *self = proc_current();
    uint64_t head = 0, len = ROBUST_LIST_HEAD_SIZE;
    int err = 0;

    spin_lock(&proc_lock);
    struct uthread *u = a[0] ? uthread_find_locked((int)a[0]) : uthread_current();
    if (!u || (int)a[0] < 0) {
        err = -ESRCH;
    } else if (u->proc != self && self->cred.euid != 0 &&
               (self->cred.euid != u->proc->cred.uid || u->proc->cred.uid != u->proc->cred.euid)) {
        err = -EPERM;
    } else {
        head = u->robust_list;
    }
    spin_unlock(&proc_lock);
    if (err)
        return err;
    if (copy_to_user(a[1], &head, sizeof head) || copy_to_user(a[2], &len, sizeof len))
        return -EFAULT;
    return 0;
}
