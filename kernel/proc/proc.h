/*
 * proc.h - processes and their threads (proc.c; fork.c, wait.c,
 * execve.c, pgrp.c, cred.c beside it; docs/processes.md).
 *
 * A process is an address space (uspace.h), a table of open files, its
 * credentials, signal actions and its place in the tree: a parent,
 * children, a process group and a session. Its threads (struct uthread)
 * are kernel threads that enter ring 3 in its space. The kernel starts
 * the first process with proc_spawn (init=, tests); every other comes
 * from clone or fork (fork.c) and may change its program with execve
 * (execve.c). The last thread to end (exit, exit_group, a fatal fault or
 * signal) ends the process: its files and memory go at once, its
 * children go to init, and it stays a zombie holding its exit status
 * until its parent reaps it with wait4 (wait.c), or the kernel with
 * proc_wait.
 *
 * Locking: proc_lock (below) guards the tree, the states, the thread
 * lists and the tid table. A process's own fields that only its threads
 * use (us, fds, cred) are changed by those threads.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fs/vfs.h"
#include "proc/cred.h"
#include "proc/exec.h"
#include "proc/fd.h"
#include "proc/rlimit.h"
#include "proc/signal.h"
#include "sched/waitq.h"
#include "sync/spinlock.h"

struct arch_user_regs;
struct thread;
struct tty;
struct uspace;

#define PROC_NAME_MAX   16
#define PROC_CMDLINE_MAX 1024           /* /proc/N/cmdline keeps this much of argv */
#define PROC_EXE_MAX    256             /* /proc/N/exe: the absolute name of the program's file */

/* A thread of a process; its kernel thread's `uthread` points here. */
struct uthread {
    struct thread *thread;
    struct proc *proc;
    int tid;
    uint64_t clear_child_tid;   /* CLONE_CHILD_CLEARTID, set_tid_address: 0 written and woken at exit */
    uint64_t robust_list;       /* set_robust_list's head, walked at exit and exec (robust.c) */
    struct sig_thread sig;      /* signal.h: mask and pending signals */
    struct uthread *next;       /* the process's threads, under proc_lock */
    struct uthread *hash_next;  /* the tid table's chain, under proc_lock */
    struct arch_user_regs *start_regs;  /* a clone's first registers, until it runs (fork.c) */
    uint64_t start_tls;         /* its FS base then */
};

enum proc_state {
    PROC_ALIVE,                 /* one thread or more runs */
    PROC_ZOMBIE,                /* every thread has ended; the parent has not reaped it yet */
};

struct proc {
    int pid, pgid, sid;
    int ppid;                   /* the parent's pid; 0: started by the kernel */
    struct proc *parent;        /* NULL: started by the kernel, which waits with proc_wait */
    struct proc *children, *sibling;    /* under proc_lock */
    char name[PROC_NAME_MAX];   /* the program's file name, for logs */
    char exe[PROC_EXE_MAX];     /* the absolute name of its file (/proc/N/exe) */
    char cmdline[PROC_CMDLINE_MAX];     /* argv, each string with its NUL (/proc/N/cmdline) */
    size_t cmdline_len;
    uint64_t start_ns;          /* clock_ns() when it was made */
    struct uspace *us;          /* NULL once it has exited; set under proc_lock (/proc/N/maps reads it) */
    struct exec_segments segs;  /* exec.h: where its program's segments went (/proc/N/maps) */
    struct uthread main;        /* the first thread's record; its tid is the pid */
    struct uthread *threads;    /* every live thread, main included while it runs */
    unsigned nthreads;          /* live threads */
    struct fd_table *fds;       /* shared by CLONE_FILES; set under proc_lock (/proc/N/fd reads it) */
    struct proc_fs fs;          /* fd.h: the working directory and umask; copied by fork */
    struct proc_rlimits rlim;   /* rlimit.h: limits and the CPU time of ended threads */
    struct cred cred;           /* cred.h */
    struct vfs_cred vfs_cred;   /* the effective ids, as the VFS checks them (cred.c keeps it) */
    struct sighand *sighand;    /* signal.h: the actions, shared by CLONE_SIGHAND */
    struct sig_proc sig;        /* signal.h: signals sent to the whole process */
    struct tty *ctty;           /* the controlling terminal, or NULL */
    enum proc_state state;
    int exiting;                /* exit_group began: every thread leaves at its next step to ring 3 */
    struct uthread *exec_thread;        /* execve is ending the others: they leave as for `exiting` */
    struct waitq threads_gone;  /* that execve waits here for them (or for `exiting`) */
    int status;                 /* wait4's: exit code << 8, or the killing signal */
    int stopped;                /* job control: its threads wait on `continued` */
    int stop_report;            /* wait4 WUNTRACED/WCONTINUED: a status not yet reported, or 0 */
    struct waitq continued;     /* a stopped process's threads wait here */
    struct waitq child_exit;    /* wait4 of this process waits here for a child's change */
    struct waitq vfork_done;    /* a CLONE_VFORK parent waits here until the child execs or ends */
    int vfork_parent_waits;     /* 1 while it does */
    int exit_signal;            /* sent to the parent at the end (clone's low byte; SIGCHLD for fork) */
    int kernel_waits;           /* started by the kernel, which reaps it with proc_wait */
    unsigned refs;              /* atomic: the tree's and one per thread not yet reaped (proc.c) */
    uint64_t enosys_seen[8];    /* calls 0..511 already logged as missing (abi/linux/dispatch.c) */
};

/* Guards the process tree: parents, children, groups, states, thread lists, lookups. Never held
 * while sleeping. */
extern struct spinlock proc_lock;

/* The thread of a process the caller is; NULL in a kernel thread. */
struct uthread *uthread_current(void);
/* The process the calling thread runs for; NULL in a kernel thread. */
struct proc *proc_current(void);

/* Lookups, proc_lock held: the process pid (alive or zombie), the thread tid; NULL when none. */
struct proc *proc_find_locked(int pid);
struct uthread *uthread_find_locked(int tid);
/* fn for every process (alive or zombie), proc_lock held; stops at a non-zero return, which it returns. */
int proc_for_each_locked(int (*fn)(struct proc *p, void *arg), void *arg);

/*
 * Load the program at `path` (argv, envp: NULL-terminated kernel arrays)
 * and start it; its files 0, 1 and 2 are `tty` (a terminal name, or NULL:
 * none). 0 and *out, or a negative errno (-ENOENT, -ENOEXEC, -ENOMEM ...).
 * The kernel is its parent: reap it with proc_wait.
 */
int proc_spawn(const char *path, char *const argv[], char *const envp[], const char *tty,
               struct proc **out);
/* The same from a file exec_file_open (or exec_file_memory) gave. */
struct exec_file;
int proc_spawn_file(const struct exec_file *f, char *const argv[], char *const envp[], const char *tty,
                    struct proc **out);
/* proc_spawn_file in two steps: the process made and loaded (it has its pid), then its thread
 * started; a caller that must say something before the process can run goes between them.
 * proc_start frees p when it fails. */
int proc_create(const struct exec_file *f, char *const argv[], char *const envp[], const char *tty,
                struct proc **out);
int proc_start(struct proc *p);
/* Wait for p (started by the kernel) to end and its threads to be joined (every frame back), free
 * it, and return its status (wait4's encoding). */
int proc_wait(struct proc *p);

/*
 * clone and fork (fork.c): a new process, or a thread of this one
 * (PROC_CLONE_* flags, Linux's values), resuming from the caller's
 * system call with 0. Returns the child's pid or tid, or -errno.
 */
#define PROC_CLONE_VM               0x00000100
#define PROC_CLONE_FS               0x00000200
#define PROC_CLONE_FILES            0x00000400
#define PROC_CLONE_SIGHAND          0x00000800
#define PROC_CLONE_VFORK            0x00004000
#define PROC_CLONE_PARENT           0x00008000
#define PROC_CLONE_THREAD           0x00010000
#define PROC_CLONE_SYSVSEM          0x00040000
#define PROC_CLONE_SETTLS           0x00080000
#define PROC_CLONE_PARENT_SETTID    0x00100000
#define PROC_CLONE_CHILD_CLEARTID   0x00200000
#define PROC_CLONE_CHILD_SETTID     0x01000000
struct proc_clone_args {
    uint64_t flags;             /* PROC_CLONE_*; the low byte is the signal sent to the parent at exit */
    uint64_t stack;             /* the child's RSP; 0: the caller's */
    uint64_t parent_tid, child_tid, tls;        /* user addresses and the FS base, per the flags */
};
long proc_clone(const struct proc_clone_args *a);

/*
 * wait4 (wait.c): pid > 0 that child, -1 any, 0 any of the caller's
 * group, < -1 any of group -pid. options: PROC_WNOHANG, PROC_WUNTRACED,
 * PROC_WCONTINUED. The child's pid and *status, 0 (WNOHANG, none ready),
 * -ECHILD, -EINTR.
 */
#define PROC_WNOHANG    1
#define PROC_WUNTRACED  2
#define PROC_WCONTINUED 8
long proc_wait4(int pid, int *status, int options);

/*
 * execve (execve.c): replace the calling process's program by the one
 * at path (a #! script runs its interpreter). Other threads end first
 * (killed as by exit_group; a thread that is not the leader takes the
 * leader's tid, the pid) and a table of files shared by CLONE_FILES is
 * copied. On success the call returns into the new program; -errno otherwise,
 * the old program intact (or, past the point of no return, killed).
 */
long proc_execve(const char *path, char *const argv[], char *const envp[]);

/* 1 when thread ut must leave at its next step to ring 3: its process is exiting, or another
 * thread of it is in execve (proc_lock or the sighand's lock held, or a racy look on the way out). */
int proc_thread_doomed(const struct uthread *ut);

/* End the calling thread; the last thread of a process ends the process with `status`. Never returns. */
__attribute__((noreturn)) void proc_exit(int status);
/* End every thread of the calling process, which ends with `status` (wait4's encoding). Never returns. */
__attribute__((noreturn)) void proc_exit_group(int status);
/* Job control (signals): the calling process stops with sig until continued (or killed: set
 * `exiting` and continue it); proc_continue_locked, proc_lock held, lets it go. wait4 sees both. */
void proc_stop(int sig);
void proc_continue_locked(struct proc *p);

/* Process groups and sessions (pgrp.c): Linux's setpgid, setsid, getpgid, getsid. */
long proc_setpgid(int pid, int pgid);
long proc_setsid(void);
long proc_getpgid(int pid);
long proc_getsid(int pid);
/* The calling session leader's controlling terminal becomes t, and its group t's foreground
 * group (Linux's __proc_set_tty, for an open without O_NOCTTY and for TIOCSCTTY). */
void proc_take_ctty(struct tty *t);

/* Wait-status encodings (Linux's). */
#define PROC_EXITED(code)   (((code) & 0xFF) << 8)
#define PROC_KILLED(sig)    ((sig) & 0x7F)
#define PROC_STOPPED(sig)   ((((sig) & 0xFF) << 8) | 0x7F)
#define PROC_CONTINUED      0xFFFF
#define PROC_SIGSEGV        11
#define PROC_SIGBUS         7
#define PROC_SIGILL         4
#define PROC_SIGFPE         8
#define PROC_SIGTRAP        5

/* /proc/self and /proc/N (procfs_pid.c); proc_init installs them. */
void proc_procfs_init(void);

/* Hook the arch's user-fault path; once, before the first process. */
void proc_init(void);
/* Processes started and still alive (tests). */
unsigned proc_count(void);

/* init= and initexit on the command line (init.c); at the end of kmain. */
void proc_run_init(void);
/* /sbin/init, the default first process: wanted without init= and the kernel's test words;
 * started and waited for as kmain's last step (init.c). */
int proc_default_init_wanted(void);
void proc_run_default_init(void);
