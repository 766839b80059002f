/*
 * robust.c - robust futex lists (Linux's robust-futex ABI, futex(2) and
 * set_robust_list(2)). A thread that holds a lock in shared memory may die
 * holding it; the lock's waiters would sleep for ever. So glibc keeps, per
 * thread, a list of the locks it holds, in user memory, and gives the
 * kernel its head once (set_robust_list). When the thread ends (or execs),
 * the kernel walks that list:
 *
 *   head:  { list: first entry, futex_offset, list_op_pending }
 *   entry: { next } ... and the last entry's next is the head itself;
 *   the lock word of an entry is at entry + futex_offset;
 *   list_op_pending: an entry being added or removed when the thread died.
 *
 * A word whose owner bits (FUTEX_TID_MASK) still hold the thread's id gets
 * FUTEX_OWNER_DIED, by compare-and-swap since other threads may change it
 * at the same moment; if FUTEX_WAITERS was set, one waiter is woken, and
 * finds OWNER_DIED (pthread_mutex_lock returns EOWNERDEAD). The walk reads
 * untrusted memory: a fault ends it, and it stops after ROBUST_LIST_LIMIT
 * entries (a loop in the list). The low bit of an entry marks a PI futex,
 * which Tessera does not have: the bit is masked off.
 */
#include <stdint.h>

#include "proc/futex.h"
#include "proc/proc.h"
#include "proc/robust.h"
#include "proc/uaccess.h"

#define ROBUST_LIST_LIMIT   2048                /* Linux's limit too */
#define FUTEX_WAITERS       0x80000000u
#define FUTEX_OWNER_DIED    0x40000000u
#define FUTEX_TID_MASK      0x3FFFFFFFu

struct robust_head {
    uint64_t list;
    int64_t futex_offset;
    uint64_t list_op_pending;
};

/*
 * The lock word at uaddr, if thread tid owns it: OWNER_DIED, and a waiter
 * woken. For the pending entry (`pending`), a word of 0 may mean the thread
 * died between releasing the lock and waking a waiter: wake one then too.
 */
static void futex_owner_died(struct proc *p, uint64_t uaddr, int tid, int pending)
{
    uint32_t val, found;

    for (int tries = 0; tries < 32; tries++) {  /* other threads may change the word meanwhile */
        if (copy_from_user(&val, uaddr, sizeof val))
            return;
        if ((val & FUTEX_TID_MASK) != (uint32_t)tid) {
            if (pending && val == 0)
                futex_wake(p->us, uaddr, 1);
            return;
        }
        if (cmpxchg_user32(uaddr, val, (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED, &found))
            return;
        if (found == val) {
            if (val & FUTEX_WAITERS)
                futex_wake(p->us, uaddr, 1);
            return;
        }
    }
}

void robust_list_release(struct uthread *u)
{
    uint64_t head = u->robust_list, entry, pending;
    struct robust_head h;

    u->robust_list = 0;
    if (!head || copy_from_user(&h, head, sizeof h))
        return;
    pending = h.list_op_pending & ~1ULL;
    entry = h.list & ~1ULL;
    for (int n = 0; entry != head && n < ROBUST_LIST_LIMIT; n++) {
        uint64_t next;

        if (copy_from_user(&next, entry, sizeof next))      /* read before the word changes */
            return;
        if (entry != pending)
            futex_owner_died(u->proc, entry + (uint64_t)h.futex_offset, u->tid, 0);
        entry = next & ~1ULL;
    }
    if (pending)
        futex_owner_died(u->proc, pending + (uint64_t)h.futex_offset, u->tid, 1);
}
