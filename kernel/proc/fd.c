/*
 * fd.c - a process's file descriptors and its place in the tree (see fd.h).
 */
#include <string.h>

#include "errno.h"
#include "format.h"
#include "fs/devfs/devfs.h"
#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "mutant.h"
#include "printk.h"
#include "proc/fd.h"
#include "tty/tty.h"

/* The absolute name of p into buf[size]: its length, -ERANGE when it does not fit. */
long fd_path_name(const struct vfs_path *p, char *buf, size_t size)
{
    struct mount *m = p ? p->mnt : NULL;
    struct dentry *d = p ? p->dentry : NULL;
    size_t pos = size - 1;

    if (size < 2)
        return -ERANGE;
    buf[pos] = 0;
    spin_lock(&dcache_lock);
    while (d && m) {
        if (d == m->root) {
            if (!m->parent)
                break;
            d = m->mountpoint;
            m = m->parent;
            continue;
        }
        if (d->parent == d || pos < (size_t)d->len + 1) {
            spin_unlock(&dcache_lock);
            return d->parent == d ? -ENOENT : -ERANGE;
        }
        pos -= d->len;
        memcpy(buf + pos, d->name, d->len);
        buf[--pos] = '/';
        d = d->parent;
    }
    spin_unlock(&dcache_lock);
    if (pos == size - 1)
        buf[--pos] = '/';
    memmove(buf, buf + pos, size - pos);
    return (long)(size - 1 - pos);
}

struct fd_table *fd_table_create(void)
{
    struct fd_table *t = kcalloc(1, sizeof *t);

    if (t) {
        t->refs = 1;
        spin_init(&t->lock, "fd_table");
    }
    return t;
}

struct fd_table *fd_table_clone(struct fd_table *src)
{
    struct fd_table *t = fd_table_create();

    if (!t)
        return NULL;
    spin_lock(&src->lock);
    for (int i = 0; i < src->top; i++)
        if ((t->file[i] = src->file[i]))
            file_get(t->file[i]);
    t->top = src->top;
    memcpy(t->cloexec, src->cloexec, sizeof t->cloexec);
    spin_unlock(&src->lock);
    return t;
}

struct fd_table *fd_table_get(struct fd_table *t)
{
    __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
    return t;
}

void fd_table_put(struct fd_table *t)
{
    if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    fd_close_all(t);
    kfree(t);
}

#define FD_O_LARGEFILE  0100000     /* what a 64-bit Linux adds to every open's flags */

/* The terminal's devfs file (proc.c hands a struct tty to fd_install): a reference, or NULL. */
static struct file *open_tty_file(struct tty *tty)
{
    char path[8 + TTY_NAME_MAX];
    struct file *f;
    int err;

    format_snprintf(path, sizeof path, "/dev/%s", tty_name(tty));
    if ((err = vfs_open(NULL, path, O_RDWR | FD_O_LARGEFILE, 0, &f)) != 0) {
        printk(LOG_WARN, "[fd] cannot open %s for a process's standard files: error %d\n", path, err);
        return NULL;
    }
    return f;
}

/* Caller holds t->lock: fd's FD_CLOEXEC set to flags'; top raised past fd. */
static void set_cloexec_locked(struct fd_table *t, int fd, unsigned flags)
{
    uint64_t bit = 1ull << (fd % 64);

    if (fd >= t->top)
        t->top = fd + 1;
    if (flags & FD_CLOEXEC)
        t->cloexec[fd / 64] |= bit;
    else
        t->cloexec[fd / 64] &= ~bit;
}

int fd_install_from(struct fd_table *t, struct file *f, unsigned flags, int min)
{
    spin_lock(&t->lock);
    for (int i = min < 0 ? 0 : min; i < FD_MAX; i++) {
        if (!t->file[i]) {
            t->file[i] = f;
            set_cloexec_locked(t, i, flags);
            spin_unlock(&t->lock);
            return i;
        }
    }
    spin_unlock(&t->lock);
    return -EMFILE;
}

/* A file of t already open on tty, referenced, or NULL. */
static struct file *find_tty_file(struct fd_table *t, struct tty *tty)
{
    struct file *f = NULL;

    spin_lock(&t->lock);
    for (int i = 0; i < t->top && !f; i++)
        if (t->file[i] && devfs_file_tty(t->file[i]) == tty)
            file_get(f = t->file[i]);
    spin_unlock(&t->lock);
    return f;
}

int fd_install(struct fd_table *t, struct fd_entry e)
{
    int fd;

    /* The terminal's file, opened once and shared by 0, 1 and 2 as Linux's init gets them
     * (one open of the console, then dup): F_SETFL on one is seen by all. */
    if (!e.file && e.tty && !(e.file = find_tty_file(t, e.tty)) && !(e.file = open_tty_file(e.tty)))
        return -ENXIO;
    if (!e.file)
        return -EBADF;
    if ((fd = fd_install_from(t, e.file, 0, 0)) < 0 && e.tty)
        file_put(e.file);               /* the reference this call made */
    return fd;
}

struct file *fd_file(struct fd_table *t, long fd)
{
    struct file *f = NULL;

    if (fd < 0 || fd >= FD_MAX)
        return NULL;
    spin_lock(&t->lock);
    if ((f = t->file[fd]))
        file_get(f);
    spin_unlock(&t->lock);
    return f;
}

int fd_replace(struct fd_table *t, long newfd, struct file *f, unsigned flags)
{
    struct file *old;

    if (newfd < 0 || newfd >= FD_MAX)
        return -EBADF;
    spin_lock(&t->lock);
    old = t->file[newfd];
    t->file[newfd] = f;
    set_cloexec_locked(t, (int)newfd, flags);
    spin_unlock(&t->lock);
    if (old)
        file_put(old);
    return (int)newfd;
}

int fd_get_flags(struct fd_table *t, long fd)
{
    int r = -EBADF;

    if (fd < 0 || fd >= FD_MAX)
        return -EBADF;
    spin_lock(&t->lock);
    if (t->file[fd])
        r = (t->cloexec[fd / 64] >> (fd % 64)) & 1 ? FD_CLOEXEC : 0;
    spin_unlock(&t->lock);
    return r;
}

int fd_set_flags(struct fd_table *t, long fd, unsigned flags)
{
    int r = -EBADF;

    if (fd < 0 || fd >= FD_MAX)
        return -EBADF;
    spin_lock(&t->lock);
    if (t->file[fd]) {
        set_cloexec_locked(t, (int)fd, flags);
        r = 0;
    }
    spin_unlock(&t->lock);
    return r;
}

/* Take descriptor fd out of the table: its file, or NULL. */
static struct file *take(struct fd_table *t, int fd)
{
    struct file *f;

    spin_lock(&t->lock);
    if ((f = t->file[fd])) {
        t->file[fd] = NULL;
        t->cloexec[fd / 64] &= ~(1ull << (fd % 64));
    }
    spin_unlock(&t->lock);
    return f;
}

int fd_close(struct fd_table *t, long fd)
{
    struct file *f;

    if (fd < 0 || fd >= FD_MAX || !(f = take(t, (int)fd)))
        return -EBADF;
    file_put(f);
    return 0;
}

#define CLOSE_BATCH 32

/* Close every descriptor (`only_cloexec`: those marked FD_CLOEXEC): taken out under the
 * lock a batch at a time, put after it (file_put may sleep). */
static void close_matching(struct fd_table *t, int only_cloexec)
{
    struct file *batch[CLOSE_BATCH];
    int i = 0, n;

    do {
        n = 0;
        spin_lock(&t->lock);
        for (; i < t->top && n < CLOSE_BATCH; i++) {
            if (!t->file[i] || (only_cloexec && !((t->cloexec[i / 64] >> (i % 64)) & 1)))
                continue;
            batch[n++] = t->file[i];
            t->file[i] = NULL;
            t->cloexec[i / 64] &= ~(1ull << (i % 64));
        }
        spin_unlock(&t->lock);
        for (int k = 0; k < n; k++)
            file_put(batch[k]);
    } while (n == CLOSE_BATCH);
}

void fd_close_all(struct fd_table *t)
{
    close_matching(t, 0);
}

void fd_close_on_exec(struct fd_table *t)
{
    if (MUTANT_ENABLED(fd_cloexec))
        return;
    close_matching(t, 1);
}

void proc_fs_init(struct proc_fs *fs)
{
    fs->cwd = (struct vfs_path){ NULL, NULL };
    fs->umask = 022;
}

void proc_fs_copy(struct proc_fs *dst, const struct proc_fs *src)
{
    dst->umask = src->umask;
    if (src->cwd.dentry)
        vfs_path_get(&dst->cwd, &src->cwd);
    else
        dst->cwd = (struct vfs_path){ NULL, NULL };
}

void proc_fs_release(struct proc_fs *fs)
{
    vfs_path_put(&fs->cwd);
    fs->cwd.mnt = NULL;
}
