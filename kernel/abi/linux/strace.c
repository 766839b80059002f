/*
 * strace.c - the system-call tracer (strace.h).
 *
 * A line is made in a buffer on the stack and printed with one printk,
 * so lines of several CPUs never mix. Arguments are numbers: small ones
 * (-4096..65535: descriptors, flags, counts, errors) in decimal, others
 * (pointers, masks) in hex, and results the same way; a result from -4095
 * to -1 is an error and gets its name from kernel/errno.h's list (Linux's
 * names), as strace prints it.
 */
#include <stdarg.h>
#include <stdint.h>

#include "abi/linux/strace.h"
#include "abi/linux/syscalls.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "format.h"
#include "printk.h"
#include "proc/proc.h"

#define STRACE_LINE     256
#define NR_EXIT         60
#define NR_EXIT_GROUP   231

volatile int strace_pid;

/* Linux's names of the errors kernel/errno.h lists, by number. */
static const char *const error_names[] = {
    [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO", [7] = "E2BIG",
    [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES",
    [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV", [20] = "ENOTDIR",
    [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY", [27] = "EFBIG",
    [28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE", [34] = "ERANGE",
    [36] = "ENAMETOOLONG", [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [95] = "EOPNOTSUPP",
    [110] = "ETIMEDOUT",
};

void strace_init(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t pid;
    int found = cmdline_number(cmdline, len, "strace", &pid);

    if (found < 0 || (found == 1 && (pid == 0 || pid > INT32_MAX)))
        printk(LOG_WARN, "[strace] strace= wants a process id (1 or more): ignored\n");
    else if (found == 1)
        strace_set((int)pid);
}

void strace_set(int pid)
{
    __atomic_store_n(&strace_pid, pid, __ATOMIC_RELAXED);
    if (pid)
        printk(LOG_INFO, "[strace] tracing the system calls of pid %d\n", pid);
    else
        printk(LOG_INFO, "[strace] tracing stopped\n");
}

static int append(char *line, int at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int append(char *line, int at, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (at >= STRACE_LINE)
        return at;
    va_start(ap, fmt);
    n = format_vsnprintf(line + at, STRACE_LINE - (size_t)at, fmt, ap);
    va_end(ap);
    return n < 0 ? at : at + n;
}

/* "pid 1: write(1, 0x4a3010, 18)" into line; the length. */
static int describe(char *line, int pid, uint64_t nr, const uint64_t args[6])
{
    const char *name = linux_syscall_name(nr);
    int nargs = name ? linux_syscall_nargs(nr) : 6, at;

    if (!name)
        name = linux_any_syscall_name(nr);
    at = name ? append(line, 0, "pid %d: %s(", pid, name)
              : append(line, 0, "pid %d: syscall_%llu(", pid, (unsigned long long)nr);
    for (int i = 0; i < nargs; i++) {
        int64_t v = (int64_t)args[i];

        at = v >= -4096 && v <= 65535 ? append(line, at, "%s%lld", i ? ", " : "", (long long)v)
                                      : append(line, at, "%s0x%llx", i ? ", " : "", (unsigned long long)args[i]);
    }
    return append(line, at, ")");
}

long strace_call(uint64_t nr, const uint64_t args[6])
{
    struct proc *p = proc_current();
    char line[STRACE_LINE];
    long r;
    int at;

    if (!p || p->pid != strace_pid)
        return linux_dispatch(nr, args);
    at = describe(line, p->pid, nr, args);
    if (nr == NR_EXIT || nr == NR_EXIT_GROUP) {
        printk(LOG_INFO, "[strace] %s = ?\n", line);
        return linux_dispatch(nr, args);
    }
    r = linux_dispatch(nr, args);
    if (r < 0 && r >= -4095 && (size_t)-r < sizeof error_names / sizeof error_names[0] && error_names[-r])
        at = append(line, at, " = %ld %s", r, error_names[-r]);
    else if (r >= -4095 && r <= 65535)
        at = append(line, at, " = %ld", r);
    else
        at = append(line, at, " = 0x%lx", (unsigned long)r);     /* an address: mmap, brk */
    (void)at;
    printk(LOG_INFO, "[strace] %s\n", line);
    return r;
}
