/*
 * proc.h - processes (proc.c): a user program's address space, its open
 * files and the thread that runs it (docs/processes.md).
 *
 * A process is made by proc_spawn: the program is loaded from a file into
 * a new address space by exec (exec.c) in the caller's thread, so a bad
 * program is an error code there and never a process; then a thread in
 * that space enters ring 3 at the program's entry. One thread per process
 * for now (issue 16 adds clone, fork and execve over this).
 *
 * The process ends through proc_exit: exit or exit_group, or a fault from
 * ring 3 (proc_fault, the arch's user-fault hook: one log line naming the
 * address and RIP, and the process ends as killed by SIGSEGV, the kernel
 * lives on). Ending closes its files and gives back every frame of its
 * lower half; the page tables go when its thread is joined, by proc_wait,
 * which returns the status in wait4's encoding and frees the record.
 *
 * Fields are written by the process's own thread (fds, tls, tid address)
 * or once before it runs; status and `exited` are read by proc_wait after
 * the thread is joined.
 */
#pragma once

#include <stdint.h>

#include "proc/fd.h"
#include "proc/signal.h"
#include "sync/spinlock.h"

struct thread;
struct tty;
struct uspace;

#define PROC_NAME_MAX   16

/* Credentials (Linux's: real, effective and saved ids). */
struct cred {
    uint32_t uid, euid, suid;
    uint32_t gid, egid, sgid;
};

/* A thread of a process; its kernel thread's `uthread` points here. */
struct uthread {
    struct thread *thread;
    struct proc *proc;
    int tid;
    uint64_t clear_child_tid;   /* CLONE_CHILD_CLEARTID, set_tid_address: 0 written and woken at exit */
    struct sig_thread sig;      /* signal.h: mask and pending signals */
    struct uthread *next;       /* the process's threads */
};

struct proc {
    int pid, pgid, sid;
    int ppid;                   /* 0: started by the kernel */
    struct proc *parent;        /* NULL for a process the kernel started */
    struct proc *children, *sibling;
    char name[PROC_NAME_MAX];   /* the program's file name, for logs */
    struct uspace *us;          /* NULL once it has exited */
    struct thread *thread;      /* its first thread (joined by proc_wait) */
    struct uthread main;        /* the first thread's record */
    struct fd_table *fds;       /* shared by CLONE_FILES */
    struct cred cred;
    struct sighand *sighand;    /* signal.h: the actions, shared by CLONE_SIGHAND */
    struct sig_proc sig;        /* signal.h: signals sent to the whole process */
    struct tty *ctty;           /* the controlling terminal, or NULL */
    int status;                 /* wait4's: exit code << 8, or the killing signal */
    uint64_t enosys_seen[8];    /* calls 0..511 already logged as missing (abi/linux/dispatch.c) */
};

/* Guards the process tree: parents, children, groups, states, lookups. Never held while sleeping. */
extern struct spinlock proc_lock;

/* The thread of a process the caller is; NULL in a kernel thread. */
struct uthread *uthread_current(void);
/* The process the calling thread runs for; NULL in a kernel thread. */
struct proc *proc_current(void);

/*
 * Load the program at `path` (argv, envp: NULL-terminated kernel arrays)
 * and start it; its files 0, 1 and 2 are `tty` (a terminal name, or NULL:
 * none). 0 and *out, or a negative errno (-ENOENT, -ENOEXEC, -ENOMEM ...).
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
/* Wait for p to end, free it, and return its status (wait4's encoding). */
int proc_wait(struct proc *p);

/* End the calling process with wait status `status`. Never returns. */
__attribute__((noreturn)) void proc_exit(int status);

/* Wait-status encodings (Linux's). */
#define PROC_EXITED(code)   (((code) & 0xFF) << 8)
#define PROC_KILLED(sig)    ((sig) & 0x7F)
#define PROC_SIGSEGV        11
#define PROC_SIGBUS         7
#define PROC_SIGILL         4
#define PROC_SIGFPE         8
#define PROC_SIGTRAP        5

/* Hook the arch's user-fault path; once, before the first process. */
void proc_init(void);
/* Processes started and still alive (tests). */
unsigned proc_count(void);

/* init= and initexit on the command line (init.c); at the end of kmain. */
void proc_run_init(void);
