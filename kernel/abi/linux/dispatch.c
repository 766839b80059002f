/*
 * dispatch.c - the Linux personality's entry (abi_syscall, proc_arch.h):
 * the dispatch table, expanded from syscall_list.h, indexed by the call's
 * number. A call the list lacks is -ENOSYS with a log line naming the call
 * (Linux's name, from build/gen/linux_names.h, made from the host's
 * <asm/unistd_64.h>) and the process: once per call and process, and at
 * most LINUX_ENOSYS_LOGS lines in all (a program probing for calls in a
 * loop must not flood the log). While a process is traced (strace.h),
 * its calls go through the tracer, which runs them by linux_dispatch.
 */
#include <stdint.h>

#include "abi/linux/strace.h"
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

#define LINUX_NARGS(nr, name, nargs, fn, status, note) [nr] = nargs,
static const unsigned char nargs_of[LINUX_NR_MAX] = { LINUX_SYSCALLS(LINUX_NARGS) };
#undef LINUX_NARGS

/* Every Linux call's name, implemented or not. */
static const char *const linux_names[LINUX_NR_MAX] = {
#include "linux_names.h"
};

static unsigned enosys_logged;

int linux_syscall_nargs(uint64_t nr)
{
    return nr < LINUX_NR_MAX ? nargs_of[nr] : 6;
}

const char *linux_any_syscall_name(uint64_t nr)
{
    return nr < LINUX_NR_MAX ? linux_names[nr] : NULL;
}

const char *linux_syscall_name(uint64_t nr)
{
    return nr < LINUX_NR_MAX ? names[nr] : NULL;
}

static long unknown(uint64_t nr)
{
    struct proc *p = proc_current();
    unsigned n;

    if (p && nr < LINUX_NR_MAX) {
        uint64_t bit = 1ULL << (nr % 64);
        if (p->enosys_seen[nr / 64] & bit)
            return -ENOSYS;
        p->enosys_seen[nr / 64] |= bit;
    }
    n = __atomic_fetch_add(&enosys_logged, 1, __ATOMIC_RELAXED);
    if (n < LINUX_ENOSYS_LOGS)
        printk(LOG_WARN, "[linux] pid %d (%s): system call %llu (%s) not implemented: -ENOSYS%s\n",
               p ? p->pid : 0, p ? p->name : "?", (unsigned long long)nr,
               nr < LINUX_NR_MAX && linux_names[nr] ? linux_names[nr] : "unknown",
               n + 1 == LINUX_ENOSYS_LOGS ? " (the last of these lines this boot)" : "");
    return -ENOSYS;
}

long linux_dispatch(uint64_t nr, const uint64_t args[6])
{
    if (nr >= LINUX_NR_MAX || !table[nr])
        return unknown(nr);
    return table[nr](args);
}

/* The tracer costs one compare here while it traces nobody (strace.h). */
long abi_syscall(uint64_t nr, const uint64_t args[6])
{
    if (__builtin_expect(strace_pid != 0, 0))
        return strace_call(nr, args);
    return linux_dispatch(nr, args);
}
