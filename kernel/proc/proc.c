/*
 * proc.c - processes: the pid table, the tree, a process's first start
 * from the kernel, the end of a thread and of a process, and the reaper
 * (see proc.h; fork.c, wait.c, execve.c and pgrp.c hold the rest).
 *
 * Lifetimes. A process record is reference counted: each of its threads
 * holds one until the reaper has joined it (its kernel stack and record
 * freed), and the tree holds one until the process is reaped (wait4 by
 * its parent, proc_wait by the kernel, or at once when nobody will ever
 * ask: an orphan with no init to adopt it). Whoever drops the last frees
 * it. The uthread of the first thread is part of the record; the others'
 * are freed by the reaper.
 *
 * A thread's end (proc_exit): it clears its clear_child_tid word, leaves
 * the process's list; the last one out ends the process: its files, its
 * memory (the page tables stay until the reaper drops the thread's
 * reference to them: the thread is still running on them), its children
 * go to init, it becomes a zombie and its parent is woken. Then the
 * thread is queued for the reaper, a kernel thread that joins ended
 * threads (a thread cannot free its own stack).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/proc_arch.h"
#include "errno.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mm/uspace.h"
#include "panic.h"
#include "printk.h"
#include "proc/exec.h"
#include "proc/futex.h"
#include "proc/proc.h"
#include "proc/proc_impl.h"
#include "proc/robust.h"
#include "proc/signal.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "timer/clock.h"
#include "tty/tty.h"

#define TID_BUCKETS     256
#define PID_MAX         32768           /* Linux's default pid_max */

struct spinlock proc_lock = SPINLOCK_INIT("proc");
static struct uthread *tids[TID_BUCKETS];       /* every thread with a tid, zombies' first threads too */
static int next_pid = 1;
static unsigned live;                   /* processes not yet ended */
static struct waitq kernel_children = WAITQ_INIT;      /* proc_wait: a process the kernel started ended */

/* The reaper: ended threads, joined and freed by reaper_thread. */
static struct spinlock reap_lock = SPINLOCK_INIT("reap");
static struct thread *reap_list;
static struct waitq reap_wait = WAITQ_INIT;
static struct waitq reaped = WAITQ_INIT;       /* proc_wait: a thread was joined */
static struct thread *reaper;

struct uthread *uthread_current(void)
{
    struct thread *t = sched_current();

    return t ? t->uthread : NULL;
}

struct proc *proc_current(void)
{
    struct thread *t = sched_current();

    return t ? t->proc : NULL;
}

struct proc_fs *proc_fs_current(void)
{
    struct proc *p = proc_current();

    return p ? &p->fs : NULL;
}

const struct vfs_path *proc_cwd(void)
{
    struct proc_fs *fs = proc_fs_current();

    return fs && fs->cwd.dentry ? &fs->cwd : NULL;
}

struct proc_rlimits *proc_rlimits(struct proc *p)
{
    return &p->rlim;
}

unsigned proc_count(void)
{
    return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

void proc_note_started(void)
{
    __atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
}

void proc_note_ended(void)
{
    __atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
}

/* ---- the tid table ---- */

struct uthread *uthread_find_locked(int tid)
{
    for (struct uthread *u = tids[(unsigned)tid % TID_BUCKETS]; u; u = u->hash_next)
        if (u->tid == tid)
            return u;
    return NULL;
}

struct proc *proc_find_locked(int pid)
{
    struct uthread *u = uthread_find_locked(pid);

    return u && u == &u->proc->main ? u->proc : NULL;
}

int proc_for_each_locked(int (*fn)(struct proc *p, void *arg), void *arg)
{
    for (unsigned b = 0; b < TID_BUCKETS; b++)
        for (struct uthread *u = tids[b]; u; u = u->hash_next) {
            int r = u == &u->proc->main ? fn(u->proc, arg) : 0;
            if (r)
                return r;
        }
    return 0;
}

/* A free tid (also a pid): the next one up, wrapping past PID_MAX, never one in use as a
 * tid, a process group or a session. Until the first wrap every id handed out is new, used by
 * nothing (a group's or session's id was some process's pid): no search. proc_lock held;
 * -EAGAIN when all are taken. */
static int wrapped;

static int group_uses(struct proc *p, void *arg)
{
    int id = *(int *)arg;

    return p->pgid == id || p->sid == id;
}

int proc_alloc_tid_locked(void)
{
    for (int tries = 0; tries < PID_MAX; tries++) {
        int id = next_pid;
        if (next_pid + 1 < PID_MAX) {
            next_pid++;
        } else {
            next_pid = 2;
            wrapped = 1;
        }
        if (!wrapped || (!uthread_find_locked(id) && !proc_for_each_locked(group_uses, &id)))
            return id;
    }
    return -EAGAIN;
}

void uthread_hash_locked(struct uthread *u)
{
    struct uthread **b = &tids[(unsigned)u->tid % TID_BUCKETS];

    u->hash_next = *b;
    *b = u;
}

void uthread_unhash_locked(struct uthread *u)
{
    for (struct uthread **pp = &tids[(unsigned)u->tid % TID_BUCKETS]; *pp; pp = &(*pp)->hash_next)
        if (*pp == u) {
            *pp = u->hash_next;
            return;
        }
}

/* ---- records ---- */

struct proc *proc_alloc(void)
{
    struct proc *p = kcalloc(1, sizeof *p);

    if (!p)
        return NULL;
    p->refs = 1;                        /* the tree's */
    p->main.proc = p;
    p->state = PROC_ALIVE;
    p->start_ns = clock_ns();
    waitq_init(&p->child_exit);
    waitq_init(&p->vfork_done);
    waitq_init(&p->continued);
    waitq_init(&p->threads_gone);
    return p;
}

void proc_get(struct proc *p)
{
    __atomic_fetch_add(&p->refs, 1, __ATOMIC_RELAXED);
}

void proc_put(struct proc *p)
{
    if (__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        sighand_put(p->sighand);
        kfree(p);
    }
}

/* The file name after the last '/', cut to fit. */
void proc_set_name(struct proc *p, const char *path)
{
    const char *base = path, *c;
    size_t n;

    for (c = path; *c; c++)
        if (*c == '/')
            base = c + 1;
    n = strnlen(base, PROC_NAME_MAX - 1);
    memcpy(p->name, base, n);
    p->name[n] = 0;
}

void proc_set_program(struct proc *p, const char *path, const char *exe, char *const argv[])
{
    size_t n = 0;

    proc_set_name(p, path);
    n = strnlen(exe, PROC_EXE_MAX - 1);
    memcpy(p->exe, exe, n);
    p->exe[n] = 0;
    n = 0;
    for (int i = 0; argv[i]; i++) {
        size_t len = strlen(argv[i]) + 1;
        if (n + len > PROC_CMDLINE_MAX)
            len = PROC_CMDLINE_MAX - n;
        memcpy(p->cmdline + n, argv[i], len);
        n += len;
    }
    p->cmdline_len = n;
}

/* ---- threads: the first step into ring 3, and the reaper ---- */

static void user_thread_main(void *arg)
{
    struct uthread *u = arg;
    struct thread *t = sched_current();
    struct arch_user_regs *r = u->start_regs;

    t->proc = u->proc;
    t->uthread = u;
    t->tls = u->start_tls;
    arch_set_tls(t->tls);
    u->start_regs = NULL;
    /* The thread sets u->thread itself: it may run before thread_create_in has returned
     * to its creator, and a signal it raises then (a fault in its first instructions) must
     * find it; signal_thread_started takes the signals sent while u->thread was NULL. */
    __atomic_store_n(&u->thread, t, __ATOMIC_RELEASE);
    signal_thread_started(u);
    arch_user_resume(r);
}

int proc_start_thread(struct uthread *u, struct vmm_space *vm)
{
    struct thread *t;

    proc_get(u->proc);                  /* the thread's, dropped by the reaper */
    t = thread_create_in(vm, u->proc->name, user_thread_main, u, SCHED_PRIO_DEFAULT, THREAD_ANY_CPU);
    if (!t) {
        proc_put(u->proc);
        return -ENOMEM;
    }
    return 0;                           /* u is the thread's now (user_thread_main sets u->thread) */
}

static void reaper_thread(void *arg)
{
    (void)arg;
    for (;;) {
        struct thread *t;
        struct uthread *u;
        struct proc *p;

        spin_lock(&reap_lock);
        while (!reap_list)
            waitq_wait(&reap_wait, &reap_lock);
        t = reap_list;
        reap_list = t->reap_next;
        spin_unlock(&reap_lock);
        u = t->uthread;
        p = t->proc;
        thread_join(t);                 /* its stack and record; the space's last reference */
        if (u != &p->main)
            kfree(u);
        proc_put(p);
        spin_lock(&reap_lock);
        waitq_wake_all(&reaped);
        spin_unlock(&reap_lock);
    }
}

/* Hand the calling thread to the reaper and end it. */
static __attribute__((noreturn)) void reap_me(void)
{
    struct thread *self = sched_current();

    spin_lock(&reap_lock);
    self->reap_next = reap_list;
    reap_list = self;
    waitq_wake_one(&reap_wait);
    spin_unlock(&reap_lock);
    thread_exit();
}

/* ---- the kernel starting a program ---- */

/* Files 0, 1, 2: the terminal named `tty`, if there is one. */
static void open_std_files(struct proc *p, const char *tty)
{
    struct tty *t = tty ? tty_find(tty) : NULL;

    if (t)
        for (int i = 0; i < 3; i++)
            fd_install(p->fds, (struct fd_entry){ NULL, t });
}

int proc_spawn(const char *path, char *const argv[], char *const envp[], const char *tty,
               struct proc **out)
{
    struct exec_file f;
    int err = exec_file_open(path, &f);

    if (err)
        return err;
    err = proc_spawn_file(&f, argv, envp, tty, out);
    exec_file_close(&f);
    return err;
}

/* Undo proc_create before the process ran. */
static void proc_discard(struct proc *p)
{
    spin_lock(&proc_lock);
    uthread_unhash_locked(&p->main);
    spin_unlock(&proc_lock);
    arch_user_regs_free(p->main.start_regs);
    if (p->fds)
        fd_table_put(p->fds);
    if (p->us)
        uspace_destroy(p->us);
    proc_put(p);
}

int proc_create(const struct exec_file *f, char *const argv[], char *const envp[], const char *tty,
                struct proc **out)
{
    struct proc *p = proc_alloc();
    char exe[PROC_EXE_MAX];
    uint64_t entry, sp;
    int err, tid;

    if (!p)
        return -ENOMEM;
    exec_file_name(f, exe, sizeof exe);
    proc_set_program(p, f->path, exe, argv);
    p->kernel_waits = 1;
    proc_fs_init(&p->fs);
    rlimit_init(&p->rlim);
    if (!(p->us = uspace_create()) || !(p->fds = fd_table_create())) {
        proc_discard(p);
        return -ENOMEM;
    }
    if ((err = exec_load(p->us, f, argv, envp, &entry, &sp, &p->segs)) != 0) {
        proc_discard(p);
        return err;
    }
    if (!(p->main.start_regs = arch_user_regs_new(entry, sp)) || !(p->sighand = sighand_create())) {
        proc_discard(p);
        return -ENOMEM;
    }
    spin_lock(&proc_lock);
    tid = proc_alloc_tid_locked();
    if (tid > 0) {
        p->pid = p->pgid = p->sid = p->main.tid = tid;
        uthread_hash_locked(&p->main);
    }
    spin_unlock(&proc_lock);
    if (tid < 0) {
        proc_discard(p);
        return tid;
    }
    open_std_files(p, tty);
    *out = p;
    return 0;
}

int proc_start(struct proc *p)
{
    p->threads = &p->main;
    p->nthreads = 1;
    __atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
    if (proc_start_thread(&p->main, p->us->vm) != 0) {
        __atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
        proc_discard(p);
        return -ENOMEM;
    }
    return 0;
}

int proc_spawn_file(const struct exec_file *f, char *const argv[], char *const envp[], const char *tty,
                    struct proc **out)
{
    int err = proc_create(f, argv, envp, tty, out);

    return err ? err : proc_start(*out);
}

int proc_wait(struct proc *p)
{
    int status;

    spin_lock(&proc_lock);
    while (p->state != PROC_ZOMBIE)
        waitq_wait(&kernel_children, &proc_lock);
    status = p->status;
    uthread_unhash_locked(&p->main);
    spin_unlock(&proc_lock);
    spin_lock(&reap_lock);              /* its threads joined too: every frame back when we return */
    while (__atomic_load_n(&p->refs, __ATOMIC_ACQUIRE) > 1)
        waitq_wait(&reaped, &reap_lock);
    spin_unlock(&reap_lock);
    proc_put(p);
    return status;
}

/* ---- the end ---- */

/* The process orphans go to: init (pid 1) while it lives, else none (reaped as they end). */
static struct proc *adopter_locked(const struct proc *leaving)
{
    struct proc *init = proc_find_locked(1);

    return init && init != leaving && init->state == PROC_ALIVE ? init : NULL;
}

/* Give p's children to init; those already zombies and adopted by nobody are freed. */
static void reparent_children_locked(struct proc *p)
{
    struct proc *init = adopter_locked(p), *c, *next;

    for (c = p->children; c; c = next) {
        next = c->sibling;
        c->parent = init;
        c->ppid = init ? init->pid : 0;
        if (init) {
            c->sibling = init->children;
            init->children = c;
        } else if (c->state == PROC_ZOMBIE) {
            uthread_unhash_locked(&c->main);
            proc_put(c);
        }
    }
    p->children = NULL;
    if (init)
        waitq_wake_all(&init->child_exit);
}

/* The last thread is out: files, memory, children, then a zombie for the parent to reap. */
static void proc_end(struct proc *p)
{
    struct fd_table *fds = p->fds;
    struct uspace *us = p->us;

    spin_lock(&proc_lock);              /* /proc/N/maps and fd take their references under it */
    p->fds = NULL;
    p->us = NULL;
    spin_unlock(&proc_lock);
    fd_table_put(fds);
    proc_fs_release(&p->fs);
    uspace_destroy(us);                 /* the tables stay until the thread is joined (its reference) */
    spin_lock(&proc_lock);
    if (p->vfork_parent_waits) {
        p->vfork_parent_waits = 0;
        waitq_wake_all(&p->vfork_done);
    }
    reparent_children_locked(p);
    p->state = PROC_ZOMBIE;
    __atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
    if (p->parent) {
        waitq_wake_all(&p->parent->child_exit);
        if (p->status & 0x7F)                   /* SIGCHLD (signal.h) */
            signal_notify_parent_locked(p, CLD_KILLED, p->status & 0x7F);
        else
            signal_notify_parent_locked(p, CLD_EXITED, (p->status >> 8) & 0xFF);
    } else if (p->kernel_waits) {
        waitq_wake_all(&kernel_children);
    } else {
        uthread_unhash_locked(&p->main);        /* nobody will ask: reaped now */
        proc_put(p);
    }
    spin_unlock(&proc_lock);
}

void proc_exit(int status)
{
    struct uthread *u = uthread_current();
    struct proc *p = u->proc;
    int last;

    robust_list_release(u);             /* the locks it held: their waiters learn it died */
    if (u->clear_child_tid) {           /* pthread_join waits on this word (a futex) */
        uint32_t zero = 0;
        if (copy_to_user(u->clear_child_tid, &zero, sizeof zero) == 0)   /* a bad address is ignored, as Linux does */
            futex_wake(p->us, u->clear_child_tid, 1);
    }
    rlimit_thread_exit(p, sched_current());
    spin_lock(&proc_lock);
    for (struct uthread **pp = &p->threads; *pp; pp = &(*pp)->next)
        if (*pp == u) {
            *pp = u->next;
            break;
        }
    if (u != &p->main)
        uthread_unhash_locked(u);
    last = --p->nthreads == 0;
    if (last && !p->exiting)
        p->status = status;
    if (p->nthreads == 1 && p->exec_thread)
        waitq_wake_all(&p->threads_gone);       /* execve's thread is the last one left */
    spin_unlock(&proc_lock);
    if (last)
        proc_end(p);
    reap_me();
}

int proc_thread_doomed(const struct uthread *ut)
{
    struct proc *p = ut->proc;
    struct uthread *e = __atomic_load_n(&p->exec_thread, __ATOMIC_ACQUIRE);

    return __atomic_load_n(&p->exiting, __ATOMIC_ACQUIRE) || (e && e != ut);
}

void proc_exit_group(int status)
{
    struct proc *p = proc_current();

    spin_lock(&proc_lock);
    if (!p->exiting) {
        p->exiting = 1;
        p->status = status;
        signal_exit_group_locked(p);    /* the other threads leave on their way to ring 3 */
    }
    spin_unlock(&proc_lock);
    proc_exit(status);
}

static const int fault_signals[] = {
    [ARCH_FAULT_SEGV] = PROC_SIGSEGV, [ARCH_FAULT_BUS] = PROC_SIGBUS, [ARCH_FAULT_ILL] = PROC_SIGILL,
    [ARCH_FAULT_FPE] = PROC_SIGFPE, [ARCH_FAULT_TRAP] = PROC_SIGTRAP,
};

/* The arch's user-fault hook: one line, and the process ends as killed by the signal. */
static void on_user_fault(const char *what, enum arch_fault_kind kind, uint64_t addr, uint64_t rip)
{
    struct proc *p = proc_current();
    int sig = fault_signals[kind];

    if (signal_fault(sig, addr, signal_fault_code(sig, what)))
        return;                         /* a handler takes it on the way back to ring 3 (signal.h) */
    printk(LOG_WARN, "[proc] pid %d (%s): %s at 0x%llx, rip 0x%llx: killed by signal %d\n", p->pid,
           p->name, what, (unsigned long long)addr, (unsigned long long)rip, sig);
    arch_irq_enable();                  /* an ordinary thread again: exiting may sleep */
    proc_exit_group(PROC_KILLED(sig));
}

void proc_init(void)
{
    arch_usercopy_init();
    arch_set_user_fault_handler(on_user_fault);
    cred_init();
    proc_procfs_init();
    reaper = thread_create("reaper", reaper_thread, NULL, SCHED_PRIO_DEFAULT);
    if (!reaper)
        panic("proc_init: no memory for the reaper thread");
}
