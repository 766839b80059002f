/*
 * execve.c - a process changes its program (see proc.h).
 *
 * Everything that can fail is done before the point of no return, in a
 * new address space beside the old one: opening the file (a `#!` script
 * opens its interpreter instead, up to EXEC_SCRIPT_DEPTH levels, as
 * Linux's binfmt_script), loading it, building the stack. A failure there
 * frees the new space and the caller carries on, its program untouched.
 * Past that point the process takes the new space, the old one is freed,
 * descriptors marked close-on-exec close, caught signals go back to their
 * defaults, and the system call returns into the new program's entry
 * with every register zero (arch_user_regs_exec). A vfork parent is let
 * go here: the child no longer uses anything of the parent's. Just
 * before that point the other threads end (exec_threads.c) and a table
 * of files shared with another process (CLONE_FILES) is replaced by a
 * copy of its own, as Linux's unshare_files at exec.
 */
#include <stdint.h>
#include <string.h>

#include "arch/proc_arch.h"
#include "errno.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mm/uspace.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/proc_impl.h"
#include "proc/robust.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define EXEC_SCRIPT_DEPTH   4           /* Linux's BINPRM_MAX_RECURSION */
#define EXEC_LINE_MAX       256         /* Linux's BINPRM_BUF_SIZE */
#define EXEC_ARGS_MAX       1024

/* 0 when f may be run: a regular file with an x bit (modules always may). */
static int may_execute(const struct exec_file *f)
{
    struct vfs_stat st;

    if (!f->file)
        return 0;
    if (vfs_fstat(f->file, &st) != 0 || !(st.mode & 0111))
        return -EACCES;
    return 0;
}

/*
 * If f starts with "#!interpreter [argument]", its interpreter's path and
 * argument (in line[]) and 1; 0 when f is not a script; -ENOEXEC for a
 * #! line with no interpreter.
 */
static int script_line(const struct exec_file *f, char line[EXEC_LINE_MAX], char **interp, char **arg)
{
    uint64_t n = f->size < EXEC_LINE_MAX - 1 ? f->size : EXEC_LINE_MAX - 1;
    char *c, *end;

    if (n < 2 || exec_file_read(f, 0, line, n) != (long)n || line[0] != '#' || line[1] != '!')
        return 0;
    line[n] = 0;
    if ((end = strchr(line, '\n')))
        *end = 0;
    for (c = line + 2; *c == ' ' || *c == '\t'; c++)
        ;
    if (!*c)
        return -ENOEXEC;
    *interp = c;
    while (*c && *c != ' ' && *c != '\t')
        c++;
    *arg = NULL;
    if (*c) {
        *c++ = 0;
        while (*c == ' ' || *c == '\t')
            c++;
        if (*c) {                       /* the rest of the line, trailing blanks cut, is one argument */
            *arg = c;
            for (end = c + strlen(c); end > c && (end[-1] == ' ' || end[-1] == '\t'); )
                *--end = 0;
        }
    }
    return 1;
}

/* Open path for exec, following #! lines; *argv_io grows by the interpreters' words. */
static int open_program(const char *path, struct exec_file *f, char **argv, char *lines, int *argc)
{
    for (int depth = 0;; depth++) {
        char *interp, *arg, *line = lines + depth * EXEC_LINE_MAX;
        int err = exec_file_open(path, f), script, extra;

        if (err)
            return err;
        if ((err = may_execute(f)) != 0 || (script = script_line(f, line, &interp, &arg)) < 0) {
            exec_file_close(f);
            return err ? err : -ENOEXEC;
        }
        if (!script)
            return 0;
        exec_file_close(f);
        if (depth == EXEC_SCRIPT_DEPTH)
            return -ELOOP;
        /* argv becomes: interp [arg] path argv[1..] (argv[0] is dropped, as Linux does) */
        extra = arg ? 2 : 1;
        if (*argc + extra >= EXEC_ARGS_MAX)
            return -E2BIG;
        memmove(argv + extra + 1, argv + 1, (size_t)*argc * sizeof *argv);     /* with the NULL */
        argv[0] = interp;
        if (arg)
            argv[1] = arg;
        argv[extra] = (char *)path;
        *argc += extra;
        path = interp;
    }
}

/* The process's table of files, or a copy of it when another process shares it (CLONE_FILES): the
 * new program's close-on-exec closes must not reach that one. NULL when memory is out. Called once
 * the other threads are gone: no clone can share it any more meanwhile. */
static struct fd_table *own_files(struct proc *p)
{
    if (__atomic_load_n(&p->fds->refs, __ATOMIC_ACQUIRE) == 1)
        return p->fds;
    return fd_table_clone(p->fds);
}

long proc_execve(const char *path, char *const argv_in[], char *const envp[])
{
    struct proc *p = proc_current();
    struct exec_file f;
    struct uspace *us, *old;
    struct fd_table *fds = NULL;
    char **argv = kmalloc(EXEC_ARGS_MAX * sizeof *argv);
    char *lines = kmalloc((EXEC_SCRIPT_DEPTH + 1) * EXEC_LINE_MAX);
    struct exec_segments *segs = kmalloc(sizeof *segs);
    char exe[PROC_EXE_MAX];
    uint64_t entry, sp;
    int argc = 0, err;

    if (!argv || !lines || !segs) {
        err = -ENOMEM;
        goto out;
    }
    while (argv_in[argc] && argc < EXEC_ARGS_MAX - 1)
        argc++;
    if (argv_in[argc]) {
        err = -E2BIG;
        goto out;
    }
    memcpy(argv, argv_in, (size_t)(argc + 1) * sizeof *argv);
    if ((err = open_program(path, &f, argv, lines, &argc)) != 0)
        goto out;
    if (!(us = uspace_create())) {
        exec_file_close(&f);
        err = -ENOMEM;
        goto out;
    }
    err = exec_load(us, &f, argv, envp, &entry, &sp, segs);
    if (!err)
        err = exec_end_other_threads(p);
    if (!err && !(fds = own_files(p)))
        err = -ENOMEM;
    if (err) {
        exec_file_close(&f);
        uspace_destroy(us);
        goto out;
    }
    exec_file_name(&f, exe, sizeof exe);
    /* the point of no return */
    robust_list_release(uthread_current());    /* in the old program's memory, as Linux does */
    uthread_current()->clear_child_tid = 0;     /* so is that word: nobody waits on it in the new one */
    if (fds != p->fds) {
        struct fd_table *shared = p->fds;
        spin_lock(&proc_lock);
        p->fds = fds;
        spin_unlock(&proc_lock);
        fd_table_put(shared);
    }
    spin_lock(&proc_lock);              /* /proc reads them under it */
    proc_set_program(p, path, exe, argv);
    p->segs = *segs;
    old = p->us;
    p->us = us;
    spin_unlock(&proc_lock);
    exec_file_close(&f);
    thread_set_space(us->vm);
    uspace_destroy(old);
    fd_close_on_exec(p->fds);
    sched_current()->tls = 0;
    arch_set_tls(0);
    signal_exec(p);
    arch_user_regs_exec(entry, sp);
    spin_lock(&proc_lock);
    if (p->vfork_parent_waits) {
        p->vfork_parent_waits = 0;
        waitq_wake_all(&p->vfork_done);
    }
    spin_unlock(&proc_lock);
out:
    kfree(argv);
    kfree(lines);
    kfree(segs);
    return err;
}
