/*
 * proc.c - processes: spawn, exit, wait, and the end of a process that
 * faults in ring 3 (see proc.h).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/proc_arch.h"
#include "errno.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mm/uspace.h"
#include "printk.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "tty/tty.h"

/* Kept for the first entry into ring 3 (proc_thread), beside the record. */
struct proc_start {
    struct proc proc;
    uint64_t entry, sp;
};

struct spinlock proc_lock = SPINLOCK_INIT("proc");
static int next_pid = 1;
static unsigned live;

struct proc *proc_current(void)
{
    struct thread *t = sched_current();

    return t ? t->proc : NULL;
}

struct uthread *uthread_current(void)
{
    struct thread *t = sched_current();

    return t ? t->uthread : NULL;
}

unsigned proc_count(void)
{
    return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

/* The process's thread: into ring 3, for good. */
static void proc_thread(void *arg)
{
    struct proc_start *s = arg;

    struct thread *t = sched_current();

    s->proc.main.thread = t;
    t->proc = &s->proc;
    t->uthread = &s->proc.main;
    arch_user_enter(s->entry, s->sp);
}

/* The file name after the last '/', cut to fit. */
static void set_name(struct proc *p, const char *path)
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

int proc_create(const struct exec_file *f, char *const argv[], char *const envp[], const char *tty,
                struct proc **out)
{
    struct proc_start *s = kcalloc(1, sizeof *s);
    struct proc *p = &s->proc;
    int err;

    if (!s)
        return -ENOMEM;
    set_name(p, f->path);
    if (!(p->us = uspace_create())) {
        kfree(s);
        return -ENOMEM;
    }
    if ((err = exec_load(p->us, f, argv, envp, &s->entry, &s->sp)) != 0) {
        uspace_destroy(p->us);
        kfree(s);
        return err;
    }
    if (!(p->fds = fd_table_create())) {
        uspace_destroy(p->us);
        kfree(s);
        return -ENOMEM;
    }
    if (!(p->sighand = sighand_create())) {
        fd_table_put(p->fds);
        uspace_destroy(p->us);
        kfree(s);
        return -ENOMEM;
    }
    p->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
    p->pgid = p->sid = p->pid;
    p->main.proc = p;
    p->main.tid = p->pid;
    open_std_files(p, tty);
    *out = p;
    return 0;
}

int proc_start(struct proc *p)
{
    struct proc_start *s = (struct proc_start *)p;

    __atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
    p->thread = thread_create_in(p->us->vm, p->name, proc_thread, s, SCHED_PRIO_DEFAULT, THREAD_ANY_CPU);
    if (!p->thread) {
        __atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
        fd_table_put(p->fds);
        sighand_put(p->sighand);
        uspace_destroy(p->us);
        kfree(s);
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

void proc_exit(int status)
{
    struct proc *p = proc_current();
    struct uspace *us = p->us;

    p->status = status;
    fd_table_put(p->fds);
    p->fds = NULL;
    p->us = NULL;
    uspace_destroy(us);                 /* the tables stay until the thread is joined (its reference) */
    __atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
    thread_exit();
}

int proc_wait(struct proc *p)
{
    int status;

    thread_join(p->thread);
    status = p->status;
    sighand_put(p->sighand);
    kfree((struct proc_start *)p);
    return status;
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
    proc_exit(PROC_KILLED(sig));
}

void proc_init(void)
{
    arch_usercopy_init();
    arch_set_user_fault_handler(on_user_fault);
}
