/*
 * procfs_pid.c - the processes' part of /proc (procfs.h's process hook):
 * /proc/self, and per process /proc/N/stat, status, cmdline, comm, exe,
 * maps (procfs_maps.c) and fd (procfs_fd.c), in Linux's formats
 * (fs/proc/array.c), which busybox's ps and top parse.
 *
 * Inode numbers: procfs_pid.h. A text is made when its file is opened, from a snapshot
 * of the process taken under proc_lock; a process that has been reaped
 * since its inode was read gives -ESRCH at open, and procfs asks lookup
 * again on every walk (uncached_names), so a dead pid's name vanishes.
 */
#include <stdint.h>
#include <string.h>

#include "errno.h"
#include "format.h"
#include "fs/procfs/procfs.h"
#include "mm/heap.h"
#include "proc/proc.h"
#include "proc/proc_impl.h"
#include "proc/procfs_pid.h"
#include "sched/sched.h"
#include "timer/clock.h"
#include "tty/tty.h"

static const char *const file_names[PID_KINDS] = {
    [K_STAT] = "stat", [K_STATUS] = "status", [K_CMDLINE] = "cmdline", [K_COMM] = "comm", [K_EXE] = "exe",
    [K_MAPS] = "maps", [K_FD] = "fd",
};
static const unsigned char file_types[PID_KINDS] = { [K_EXE] = DT_LNK, [K_FD] = DT_DIR };

#define USER_HZ         100             /* the clock ticks /proc counts in (sysconf(_SC_CLK_TCK)) */
#define NS_PER_TICK     (1000000000ULL / USER_HZ)

static uint64_t ino_of(int pid, enum pid_kind k)
{
    return PROCFS_PROCESS_INO + (uint64_t)pid * PID_KINDS + k;
}

/* What a text is made from: copied under proc_lock. */
struct snapshot {
    int pid, ppid, pgid, sid, nthreads, exit_signal;
    unsigned tty_nr;                    /* the controlling terminal's device number, 0: none */
    char state;
    char name[PROC_NAME_MAX];
    struct cred cred;
    uint64_t run_ns, start_ns, sig_blocked;
    size_t cmdline_len;
    char cmdline[PROC_CMDLINE_MAX];
    char exe[PROC_EXE_MAX];
};

/* Linux's one-letter states: R running or runnable, S sleeping, T stopped, Z zombie. */
static char state_of(const struct proc *p)
{
    if (p->state == PROC_ZOMBIE)
        return 'Z';
    if (p->stopped)
        return 'T';
    for (const struct uthread *u = p->threads; u; u = u->next)
        if (u->thread && (u->thread->state == THREAD_RUNNING || u->thread->state == THREAD_RUNNABLE))
            return 'R';
    return 'S';
}

/* A terminal's device number as /proc/N/stat's tty_nr gives it (major << 8 | minor; devfs.h's
 * numbers: 4:N ttyN, 4:64+N ttySN), or 0. */
static unsigned tty_number(const struct tty *t)
{
    const char *name = t ? tty_name(t) : NULL;
    unsigned n = 0, minor_base = 0;

    if (!name || strncmp(name, "tty", 3) != 0)
        return 0;
    name += 3;
    if (*name == 'S') {
        minor_base = 64;
        name++;
    }
    if (*name < '0' || *name > '9')
        return 0;
    while (*name >= '0' && *name <= '9')
        n = n * 10 + (unsigned)(*name++ - '0');
    return *name || minor_base + n > 255 ? 0 : 4u << 8 | (minor_base + n);
}

static int take_snapshot(int pid, struct snapshot *s)
{
    struct proc *p;

    spin_lock(&proc_lock);
    if (!(p = proc_find_locked(pid))) {
        spin_unlock(&proc_lock);
        return -ESRCH;
    }
    s->pid = p->pid;
    s->ppid = p->ppid;
    s->pgid = p->pgid;
    s->sid = p->sid;
    s->nthreads = (int)p->nthreads;
    s->exit_signal = p->exit_signal;
    s->tty_nr = tty_number(p->ctty);
    s->state = state_of(p);
    memcpy(s->name, p->name, sizeof s->name);
    s->cred = p->cred;
    s->run_ns = 0;
    for (const struct uthread *u = p->threads; u; u = u->next)
        s->run_ns += u->thread ? u->thread->run_ns : 0;
    s->start_ns = p->start_ns;
    s->sig_blocked = p->main.sig.blocked;
    s->cmdline_len = p->cmdline_len;
    memcpy(s->cmdline, p->cmdline, p->cmdline_len);
    memcpy(s->exe, p->exe, sizeof s->exe);
    spin_unlock(&proc_lock);
    return 0;
}

/* /proc/N/stat: 52 fields; those Tessera does not count yet are 0. */
static void show_stat(struct procfs_text *t, const struct snapshot *s)
{
    procfs_printf(t, "%d (%s) %c %d %d %d %u -1 0 0 0 0 0 %llu 0 0 0 20 0 %d 0 %llu 0 0 "
                  "18446744073709551615 0 0 0 0 0 0 %llu 0 0 0 0 0 %d 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
                  s->pid, s->name, s->state, s->ppid, s->pgid, s->sid, s->tty_nr,
                  (unsigned long long)(s->run_ns / NS_PER_TICK), s->nthreads,
                  (unsigned long long)(s->start_ns / NS_PER_TICK), (unsigned long long)s->sig_blocked,
                  s->exit_signal);
}

static void show_status(struct procfs_text *t, const struct snapshot *s)
{
    static const char *const states[] = { "R (running)", "S (sleeping)", "T (stopped)", "Z (zombie)" };
    const char *st = s->state == 'R' ? states[0] : s->state == 'S' ? states[1] : s->state == 'T' ? states[2]
                                                                                                : states[3];

    procfs_printf(t, "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
                  "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nThreads:\t%d\nSigBlk:\t%016llx\n",
                  s->name, st, s->pid, s->pid, s->ppid, s->cred.uid, s->cred.euid, s->cred.suid, s->cred.euid,
                  s->cred.gid, s->cred.egid, s->cred.sgid, s->cred.egid, s->nthreads,
                  (unsigned long long)s->sig_blocked);
}

/* ---- the files ---- */

static int pid_file_open(struct inode *inode, struct file *f)
{
    uint64_t n = inode->ino - PROCFS_PROCESS_INO;
    struct procfs_text *t = kcalloc(1, sizeof *t);
    struct snapshot *s = kmalloc(sizeof *s);
    int err = !t || !s ? -ENOMEM : n % PID_KINDS == K_MAPS ? procfs_show_maps(t, (int)(n / PID_KINDS))
                                                       : take_snapshot((int)(n / PID_KINDS), s);

    if (!err && n % PID_KINDS != K_MAPS) {
        switch (n % PID_KINDS) {
        case K_STAT:
            show_stat(t, s);
            break;
        case K_STATUS:
            show_status(t, s);
            break;
        case K_COMM:
            procfs_printf(t, "%s\n", s->name);
            break;
        default:                        /* K_CMDLINE: the argument strings with their NULs */
            for (size_t i = 0; i < s->cmdline_len; i++)
                procfs_printf(t, "%c", s->cmdline[i]);
            break;
        }
        err = t->err;
    }
    kfree(s);
    if (err) {
        if (t)
            kfree(t->buf);
        kfree(t);
        return err;
    }
    f->priv = t;
    return 0;
}

static const struct file_ops pid_file_fops = {
    .open = pid_file_open,
    .release = procfs_text_release,
    .read = procfs_text_read,
};

/* /proc/self -> "N"; /proc/N/exe -> the program's path. */
static int pid_readlink(struct inode *inode, char *buf, size_t size)
{
    uint64_t n = inode->ino - PROCFS_PROCESS_INO;
    struct proc *me = proc_current();
    char text[PROC_EXE_MAX];
    size_t len;

    if (n == 0) {
        if (!me)
            return -ENOENT;
        len = (size_t)format_snprintf(text, sizeof text, "%d", me->pid);
    } else {
        struct proc *p;
        spin_lock(&proc_lock);
        p = proc_find_locked((int)(n / PID_KINDS));
        if (p)
            memcpy(text, p->exe, sizeof text);
        spin_unlock(&proc_lock);
        if (!p)
            return -ENOENT;
        len = strnlen(text, sizeof text);
    }
    if (len > size)
        len = size;
    memcpy(buf, text, len);
    return (int)len;
}

static const struct inode_ops link_iops = { .readlink = pid_readlink };

/* ---- /proc/N ---- */

static int pid_dir_lookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    int pid = (int)((dir->ino - PROCFS_PROCESS_INO) / PID_KINDS);

    for (int k = 1; k < PID_KINDS; k++)
        if (strlen(file_names[k]) == len && memcmp(file_names[k], name, len) == 0) {
            *ino = ino_of(pid, (enum pid_kind)k);
            return 0;
        }
    return -ENOENT;
}

static int pid_dir_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    int pid = (int)((f->inode->ino - PROCFS_PROCESS_INO) / PID_KINDS);

    for (; f->pos < PID_KINDS + 1; f->pos++) {
        int stop;
        if (f->pos < 2)
            stop = fill(ctx, "..", f->pos + 1, f->pos ? PROCFS_ROOT_INO : f->inode->ino, DT_DIR);
        else
            stop = fill(ctx, file_names[f->pos - 1], strlen(file_names[f->pos - 1]),
                        ino_of(pid, (enum pid_kind)(f->pos - 1)), file_types[f->pos - 1] ? file_types[f->pos - 1] : DT_REG);
        if (stop)
            return 0;
    }
    return 0;
}

static const struct inode_ops pid_dir_iops = { .lookup = pid_dir_lookup };
static const struct file_ops pid_dir_fops = { .readdir = pid_dir_readdir };
static const struct inode_ops no_iops = { 0 };

/* ---- the hook: names in /proc ---- */

int procfs_parse_number(const char *name, size_t len, size_t max_digits)
{
    int n = 0;

    if (!len || len > max_digits)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        n = n * 10 + (name[i] - '0');
    }
    return n;
}

static int exists(int pid)
{
    int found;

    spin_lock(&proc_lock);
    found = proc_find_locked(pid) != NULL;
    spin_unlock(&proc_lock);
    return found;
}

static int hook_lookup(const char *name, size_t len, uint64_t *ino)
{
    int pid;

    if (len == 4 && memcmp(name, "self", 4) == 0) {
        *ino = PROCFS_PROCESS_INO;
        return 0;
    }
    pid = procfs_parse_number(name, len, 7);
    if (pid <= 0 || !exists(pid))
        return -ENOENT;
    *ino = ino_of(pid, K_DIR);
    return 0;
}

struct next_pid {
    int from, found;
};

static int lowest_from(struct proc *p, void *arg)
{
    struct next_pid *n = arg;

    if (p->pid >= n->from && (!n->found || p->pid < n->found))
        n->found = p->pid;
    return 0;
}

/* Cookies: PROCFS_PROCESS_COOKIE is "self", then PROCFS_PROCESS_COOKIE + 1 + pid lists the
 * lowest pid from there on. */
static int hook_readdir(uint64_t *cookie, vfs_filldir_fn *fill, void *ctx)
{
    for (;;) {
        struct next_pid n;
        char name[12];

        if (*cookie == PROCFS_PROCESS_COOKIE) {
            if (fill(ctx, "self", 4, PROCFS_PROCESS_INO, DT_LNK))
                return 0;
            (*cookie)++;
        }
        n = (struct next_pid){ (int)(*cookie - PROCFS_PROCESS_COOKIE - 1), 0 };
        spin_lock(&proc_lock);
        proc_for_each_locked(lowest_from, &n);
        spin_unlock(&proc_lock);
        if (!n.found)
            return 0;
        if (fill(ctx, name, (size_t)format_snprintf(name, sizeof name, "%d", n.found), ino_of(n.found, K_DIR), DT_DIR))
            return 0;
        *cookie = PROCFS_PROCESS_COOKIE + 1 + (uint64_t)n.found + 1;
    }
}

static int hook_read_inode(struct inode *inode)
{
    uint64_t n = inode->ino - PROCFS_PROCESS_INO;
    int pid = (int)(n / PID_KINDS);
    enum pid_kind k = (enum pid_kind)(n % PID_KINDS);
    struct proc *p;

    inode->uid = inode->gid = 0;
    inode->atime = inode->mtime = inode->ctime = vfs_now();
    if (inode->ino >= PROCFS_FD_INO)
        return procfs_fd_read_inode(inode);
    if (n == 0) {
        inode->mode = S_IFLNK | 0777;
        inode->nlink = 1;
        inode->iops = &link_iops;
        return 0;
    }
    spin_lock(&proc_lock);
    if ((p = proc_find_locked(pid)) != NULL) {
        inode->uid = p->cred.euid;
        inode->gid = p->cred.egid;
    }
    spin_unlock(&proc_lock);
    if (!p)
        return -ENOENT;
    if (k == K_DIR) {
        inode->mode = S_IFDIR | 0555;
        inode->nlink = 2;
        inode->iops = &pid_dir_iops;
        inode->fops = &pid_dir_fops;
    } else if (k == K_FD) {
        inode->mode = S_IFDIR | 0500;
        inode->nlink = 2;
        inode->iops = &procfs_fd_dir_iops;
        inode->fops = &procfs_fd_dir_fops;
    } else if (k == K_EXE) {
        inode->mode = S_IFLNK | 0777;
        inode->nlink = 1;
        inode->iops = &link_iops;
    } else {
        inode->mode = S_IFREG | 0444;
        inode->nlink = 1;
        inode->iops = &no_iops;
        inode->fops = &pid_file_fops;
    }
    return 0;
}

static const struct procfs_process_ops ops = { hook_lookup, hook_readdir, hook_read_inode };

void proc_procfs_init(void)
{
    procfs_set_process_ops(&ops);
}
