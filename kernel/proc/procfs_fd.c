/*
 * procfs_fd.c - /proc/N/fd: a directory holding a symbolic link per open
 * descriptor of process N, named by its number, as Linux's
 * (fs/proc/fd.c). readlink gives what the descriptor is open on: a
 * file's absolute path (/dev/ttyS0 for a terminal), pipe:[INODE] for a
 * pipe (its inode in the pipe file system, fstat's st_ino), and Linux's
 * "anon_inode:[...]"-like name for anything else without a place in the
 * tree. Linux's links also open the very file when followed; these are
 * only read (a path is walked again, pipe:[N] leads nowhere).
 *
 * The table is looked up under proc_lock and held by a reference while
 * its slots are read (fd_table_get/put), so a process ending meanwhile
 * frees nothing under the reader.
 */
#include <stdint.h>
#include <string.h>

#include "errno.h"
#include "format.h"
#include "mm/heap.h"
#include "proc/proc.h"
#include "proc/procfs_pid.h"

/* Process pid's table of files, with a reference; NULL when it is gone. */
static struct fd_table *table_of(int pid)
{
    struct fd_table *t = NULL;
    struct proc *p;

    spin_lock(&proc_lock);
    if ((p = proc_find_locked(pid)) && p->fds)
        t = fd_table_get(p->fds);
    spin_unlock(&proc_lock);
    return t;
}

/* Descriptor fd of process pid, with a reference; NULL when it is not open. */
static struct file *file_of(int pid, long fd)
{
    struct fd_table *t = table_of(pid);
    struct file *f = t ? fd_file(t, fd) : NULL;

    if (t)
        fd_table_put(t);
    return f;
}

static uint64_t link_ino(int pid, int fd)
{
    return PROCFS_FD_INO + (uint64_t)pid * FD_MAX + (uint64_t)fd;
}

/* The descriptor's name into buf[size] (no NUL): its length, or -errno. */
static int fd_name(struct file *f, char *buf, size_t size)
{
    if (f->path.dentry)
        return (int)fd_path_name(&f->path, buf, size);
    if ((f->inode->mode & S_IFMT) == S_IFIFO)
        return format_snprintf(buf, size, "pipe:[%llu]", (unsigned long long)f->inode->ino);
    return format_snprintf(buf, size, "anon_inode:[%llu]", (unsigned long long)f->inode->ino);
}

static int fd_readlink(struct inode *inode, char *buf, size_t size)
{
    uint64_t n = inode->ino - PROCFS_FD_INO;
    struct file *f = file_of((int)(n / FD_MAX), (long)(n % FD_MAX));
    char *name = kmalloc(PATH_MAX);
    int len;

    if (!f || !name) {
        kfree(name);
        if (f)
            file_put(f);
        return f ? -ENOMEM : -ENOENT;
    }
    len = fd_name(f, name, PATH_MAX);
    file_put(f);
    if (len >= 0) {
        if ((size_t)len > size)
            len = (int)size;
        memcpy(buf, name, (size_t)len);
    }
    kfree(name);
    return len;
}

static const struct inode_ops fd_link_iops = { .readlink = fd_readlink };

/* Linux's: the owner's r for a descriptor open for reading, w for writing, and x (lr-x------,
 * l-wx------, lrwx------). */
static uint32_t link_mode(unsigned flags)
{
    switch (flags & O_ACCMODE) {
    case O_WRONLY:
        return 0300;
    case O_RDWR:
        return 0700;
    default:
        return 0500;
    }
}

int procfs_fd_read_inode(struct inode *inode)
{
    uint64_t n = inode->ino - PROCFS_FD_INO;
    struct file *f = file_of((int)(n / FD_MAX), (long)(n % FD_MAX));

    if (!f)
        return -ENOENT;
    inode->mode = S_IFLNK | link_mode(f->flags);
    file_put(f);
    inode->nlink = 1;
    inode->iops = &fd_link_iops;
    return 0;
}

/* A name of digits only, as a descriptor number; -1 otherwise. */
static long parse_fd(const char *name, size_t len)
{
    int fd = procfs_parse_number(name, len, 4);

    return fd < FD_MAX ? fd : -1;
}

static int fd_dir_lookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    int pid = procfs_pid_of(dir->ino);
    long fd = parse_fd(name, len);
    struct file *f = fd >= 0 ? file_of(pid, fd) : NULL;

    if (!f)
        return -ENOENT;
    file_put(f);
    *ino = link_ino(pid, (int)fd);
    return 0;
}

/* pos 0 and 1: "." and ".."; pos 2 + fd: the descriptors, lowest first. */
static int fd_dir_readdir(struct file *dirf, vfs_filldir_fn *fill, void *ctx)
{
    int pid = procfs_pid_of(dirf->inode->ino);
    struct fd_table *t = table_of(pid);
    char name[8];

    for (; dirf->pos < 2; dirf->pos++)
        if (fill(ctx, "..", dirf->pos + 1, dirf->pos ? dirf->inode->ino - K_FD : dirf->inode->ino, DT_DIR))
            goto out;
    for (; t && dirf->pos < 2 + FD_MAX; dirf->pos++) {
        int fd = (int)(dirf->pos - 2);
        struct file *f = fd_file(t, fd);
        if (!f)
            continue;
        file_put(f);
        if (fill(ctx, name, (size_t)format_snprintf(name, sizeof name, "%d", fd), link_ino(pid, fd), DT_LNK))
            break;
    }
out:
    if (t)
        fd_table_put(t);
    return 0;
}

const struct inode_ops procfs_fd_dir_iops = { .lookup = fd_dir_lookup };
const struct file_ops procfs_fd_dir_fops = { .readdir = fd_dir_readdir };
