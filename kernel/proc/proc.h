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

struct thread;
struct uspace;

#define PROC_NAME_MAX   16

struct proc {
    int pid;
    int ppid;                   /* 0: started by the kernel */
    char name[PROC_NAME_MAX];   /* the program's file name, for logs */
    struct uspace *us;          /* NULL once it has exited */
    struct thread *thread;
    struct fd_table fds;
    uint64_t clear_child_tid;   /* set_tid_address (kept; cleared at exit once threads exist) */
    int status;                 /* wait4's: exit code << 8, or the killing signal */
    uint64_t enosys_seen[8];    /* calls 0..511 already logged as missing (abi/linux/dispatch.c) */
};

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
