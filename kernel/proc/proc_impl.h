/*
 * proc_impl.h - what the files of kernel/proc/ share among themselves
 * (proc.c's table and records), not for the rest of the kernel.
 */
#pragma once

#include "proc/proc.h"

struct vmm_space;

/* A new record: one reference (the tree's), alive, no pid yet. */
struct proc *proc_alloc(void);
void proc_get(struct proc *p);
void proc_put(struct proc *p);          /* the last frees the record */
void proc_set_name(struct proc *p, const char *path);
/* What /proc shows of the program p runs: its name (comm: the last part of the path execve got,
 * a script's own), its file (exe: the absolute name of the file it runs, a script's interpreter,
 * exec_file_name) and its arguments. */
void proc_set_program(struct proc *p, const char *path, const char *exe, char *const argv[]);

/* The tid table, proc_lock held: a free id (-EAGAIN), in and out of the table. */
int proc_alloc_tid_locked(void);
void uthread_hash_locked(struct uthread *u);
void uthread_unhash_locked(struct uthread *u);

/* A kernel thread for u in space vm, entering ring 3 with u->start_regs and u->start_tls. */
int proc_start_thread(struct uthread *u, struct vmm_space *vm);

/* execve (exec_threads.c): end every other thread of p, the caller's process, and wait until they
 * are gone; a caller that is not the leader takes its place (its tid becomes the pid). 0, or
 * -EAGAIN when the process is being killed or another thread execs (the caller ends on its way out). */
int exec_end_other_threads(struct proc *p);

/* The count of processes not yet ended (proc_count). */
void proc_note_started(void);
void proc_note_ended(void);

/* Until the files and memory helpers' own land (fork_stub.c). */
struct fd_table *fd_table_clone(struct fd_table *t);
struct uspace *uspace_fork(struct uspace *src);
