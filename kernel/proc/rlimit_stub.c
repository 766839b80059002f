/*
 * rlimit_stub.c - proc_rlimits until struct proc embeds its limits (the
 * process core's change: a field `struct proc_rlimits rlim`, set by
 * rlimit_init for the first process and rlimit_fork for a child). One
 * process runs at a time before fork, so one record serves; delete this
 * file when proc.h has the field and proc_rlimits returns &p->rlim.
 */
#include "proc/rlimit.h"

struct proc_rlimits *proc_rlimits(struct proc *p)
{
    static struct proc_rlimits one;
    static int ready;

    (void)p;
    if (!ready) {
        rlimit_init(&one);
        ready = 1;
    }
    return &one;
}
