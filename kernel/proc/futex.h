/*
 * futex.h - fast user-space locks (futex.c): a thread waits on a 32-bit
 * word of its address space while the word holds the value it expects,
 * until another thread wakes that word (Linux's futex(2), the part libc's
 * mutexes, condition variables, pthread_join and thread exit use).
 *
 * A futex is named by (address space, user address): two threads of one
 * process name the same word by its address; the same address in another
 * process is another futex. A word in MAP_SHARED memory is named by (the
 * shared object, offset) instead, as Linux keys it by its page, so that
 * processes meet on it wherever each mapped it: a process-shared mutex,
 * or a robust one whose owner died (robust.c). futex.c says why a
 * FUTEX_PRIVATE_FLAG op is keyed so too.
 *
 * The rule that makes futexes work, and that every use below keeps: a
 * waiter is queued before it reads the word, and a waker that comes after
 * the word changed finds it queued; so a wake between "the word is still
 * what I expect" and "I am asleep" is never lost. (Linux reads the word
 * under the bucket lock instead; here the read may fault a page in, which
 * must not happen under a spinlock, so the order is queue, read, then
 * block unless already woken.)
 *
 * `bitset` (FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET): a waker wakes only
 * waiters whose bitset shares a bit with its own; plain WAIT and WAKE use
 * all ones.
 *
 * Rules: any thread with a user address space; not from interrupts. A
 * waiter blocks with no lock held.
 */
#pragma once

#include <stdint.h>

struct uspace;

#define FUTEX_BITSET_ANY    0xFFFFFFFFu
#define FUTEX_FOREVER       UINT64_MAX

/*
 * Wait on (us, uaddr) while the word there reads `val`, until woken or until
 * clock_ns() reaches deadline_ns (FUTEX_FOREVER: no deadline). uaddr must be
 * 4-byte aligned. 0 when woken, -EAGAIN when the word held another value,
 * -ETIMEDOUT, -EINTR (woken by anything else: a signal), -EFAULT (unreadable
 * word), -EINVAL (unaligned, bitset 0).
 */
int futex_wait(struct uspace *us, uint64_t uaddr, uint32_t val, uint64_t deadline_ns, uint32_t bitset);

/* Wake up to n waiters of (us, uaddr) whose bitset meets `bitset`, oldest first; how many woke. */
int futex_wake_bitset(struct uspace *us, uint64_t uaddr, int n, uint32_t bitset);

/* Wake up to n waiters of (us, uaddr), oldest first; how many woke. The
 * process core calls it at a thread's exit for clear_child_tid. */
int futex_wake(struct uspace *us, uint64_t uaddr, int n);

/*
 * FUTEX_CMP_REQUEUE's move: if the word at uaddr holds `val` (check set),
 * wake up to n_wake waiters of (us, uaddr) and move up to n_move more to
 * (us, uaddr2). How many were woken plus moved, -EAGAIN, -EFAULT.
 */
int futex_requeue(struct uspace *us, uint64_t uaddr, uint64_t uaddr2, int n_wake, int n_move, int check,
                  uint32_t val);

/* Threads waiting on (us, uaddr) now (tests). */
int futex_waiters(struct uspace *us, uint64_t uaddr);
