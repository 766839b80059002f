/*
 * dispatch.c - the Linux personality's entry (abi_syscall, proc_arch.h):
 * the dispatch table, expanded from syscall_list.h, indexed by the call's
 * number; an unknown number is -ENOSYS with one log line naming the
 * number and the process, at most LINUX_ENOSYS_LOGS of them per boot (a
 * program probing for calls in a loop must not flood the log).
 */
#include <stdint.h>

#include "abi/linux/syscalls.h"
#include "arch/proc_arch.h"
#include "errno.h"
#include "printk.h"
#include "proc/proc.h"

#define LINUX_NR_MAX        512
#define LINUX_ENOSYS_LOGS   32

#define LINUX_ENTRY(nr, name, nargs, fn, status, note) [nr] = fn,
static linux_syscall_fn *const table[LINUX_NR_MAX] = { LINUX_SYSCALLS(LINUX_ENTRY) };
#undef LINUX_ENTRY

#define LINUX_NAME(nr, name, nargs, fn, status, note) [nr] = #name,
static const char *const names[LINUX_NR_MAX] = { LINUX_SYSCALLS(LINUX_NAME) };
#undef LINUX_NAME

static unsigned enosys_logged;

const char *linux_syscall_name(uint64_t nr)
{
    return nr < LINUX_NR_MAX ? names[nr] : NULL;
}

static long unknown(uint64_t nr)
{
    struct proc *p = proc_current();
    unsigned n = __atomic_fetch_add(&enosys_logged, 1, __ATOMIC_RELAXED);

    if (n < LINUX_ENOSYS_LOGS)
        printk(LOG_WARN, "[linux] pid %d (%s): system call %llu not implemented: -ENOSYS%s\n",
               p ? p->pid : 0, p ? p->name : "?", (unsigned long long)nr,
               n + 1 == LINUX_ENOSYS_LOGS ? " (no more of these lines)" : "");
    return -ENOSYS;
}

long abi_syscall(uint64_t nr, const uint64_t args[6])
{
    if (nr >= LINUX_NR_MAX || !table[nr])
        return unknown(nr);
    return table[nr](args);
}
