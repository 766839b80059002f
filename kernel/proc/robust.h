/*
 * robust.h - robust futex lists: a thread's list of the futex locks it
 * holds, walked when it ends so that a waiter learns the owner died
 * (set_robust_list(2); robust.c).
 */
#pragma once

#include <stdint.h>

struct uthread;

/* struct robust_list_head's size in Linux's ABI: set_robust_list wants exactly this. */
#define ROBUST_LIST_HEAD_SIZE   24

/*
 * The thread u is ending or replacing its program: every futex word on its
 * robust list that still names it as owner gets FUTEX_OWNER_DIED (waiters
 * bit kept) and one waiter is woken; then the list is forgotten. Reads the
 * list in u's own address space (the caller is u).
 */
void robust_list_release(struct uthread *u);
