/*
 * rlimit.h - a process's resource limits (Linux's RLIMIT_*, getrlimit(2)),
 * and the CPU time of its threads that ended and of its reaped children,
 * which getrusage and times report (rlimit.c; the calls are in
 * kernel/abi/linux/sys_resource.c).
 *
 * struct proc_rlimits is embedded in struct proc (the process core's: its
 * field `rlim`): rlimit_init gives the first process Linux's defaults,
 * fork copies the struct whole (a child inherits its parent's limits, as
 * on Linux) and resets the two times to 0. Who enforces what:
 *   RLIMIT_NPROC   fork/clone (the process core): a user with that many
 *                  processes gets -EAGAIN;
 *   RLIMIT_NOFILE  the fd table (files): no descriptor at or above it;
 *   RLIMIT_STACK   exec: the stack's size (a kernel default until then).
 * The rest are kept and reported, not enforced.
 *
 * Locking: a process's limits change only through its own system calls
 * (prlimit64 on another process: under proc_lock); a value read alone is
 * one aligned 64-bit word.
 */
#pragma once

#include <stdint.h>

struct proc;
struct thread;

/* Linux's resource numbers (asm-generic/resource.h). */
#define RLIMIT_CPU          0
#define RLIMIT_FSIZE        1
#define RLIMIT_DATA         2
#define RLIMIT_STACK        3
#define RLIMIT_CORE         4
#define RLIMIT_RSS          5
#define RLIMIT_NPROC        6
#define RLIMIT_NOFILE       7
#define RLIMIT_MEMLOCK      8
#define RLIMIT_AS           9
#define RLIMIT_LOCKS        10
#define RLIMIT_SIGPENDING   11
#define RLIMIT_MSGQUEUE     12
#define RLIMIT_NICE         13
#define RLIMIT_RTPRIO       14
#define RLIMIT_RTTIME       15
#define RLIM_NLIMITS        16
#define RLIM_INFINITY       (~0ull)
#define RLIMIT_NOFILE_CEILING   1048576u    /* Linux's fs.nr_open: no hard NOFILE above it */

/* struct rlimit64 (and struct rlimit on x86_64): the soft and the hard limit. */
struct rlimit_pair {
    uint64_t cur, max;
};

struct proc_rlimits {
    struct rlimit_pair lim[RLIM_NLIMITS];
    uint64_t exited_cpu_ns;     /* CPU time of this process's threads that ended */
    uint64_t children_cpu_ns;   /* of its reaped children (their own children's included) */
};

/* Linux's defaults for the first process (NPROC and SIGPENDING from the memory, as Linux sizes them). */
void rlimit_init(struct proc_rlimits *r);
/* A forked child's limits: the parent's, its times at 0. */
void rlimit_fork(struct proc_rlimits *child, const struct proc_rlimits *parent);
/* Process p's limits (&p->rlim once struct proc embeds them; rlimit_stub.c until then). */
struct proc_rlimits *proc_rlimits(struct proc *p);
/* p's soft limit of `res` (RLIM_INFINITY: none). */
uint64_t rlimit_cur(struct proc *p, int res);
/* Thread t of p ends (the process core, at its exit): its CPU time stays p's. */
void rlimit_thread_exit(struct proc *p, struct thread *t);
/* child, ended, is reaped by parent (wait4): its CPU time and its children's become parent's children's. */
void rlimit_reap(struct proc *parent, struct proc *child);
/* CPU time of p: its live threads' (under proc_lock), plus those that ended. */
uint64_t rlimit_cpu_ns(struct proc *p);
