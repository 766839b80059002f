/*
 * sys_file.c - the Linux personality's file calls: read, write, writev,
 * open, openat, close, ioctl (see syscall_list.h for what each supports).
 *
 * Bytes go through a kernel bounce buffer a page at a time: user memory
 * is only ever touched by copy_from_user/copy_to_user (uaccess.h), so a
 * bad pointer is -EFAULT, or a short count once some bytes went through
 * (as Linux does).
 */
#include <stdint.h>

#include "abi/linux/syscalls.h"
#include "errno.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "tty/termios.h"
#include "tty/tty.h"

#define CHUNK       4096
#define IOV_MAX     1024
#define AT_FDCWD    (-100)

struct linux_iovec {
    uint64_t base;
    uint64_t len;
};

static struct fd_entry *fd_of(long fd)
{
    struct proc *p = proc_current();

    return p ? fd_get(p->fds, fd) : NULL;
}

/* One chunk out: to the terminal or the file. */
static long put(struct fd_entry *e, const char *buf, size_t n)
{
    if (e->tty)
        return tty_write(e->tty, buf, n);
    if ((e->file->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    return vfs_write(e->file, buf, n);
}

/* Write n bytes from user ubuf: the count, or the first error when nothing went. */
static long write_user(struct fd_entry *e, uint64_t ubuf, uint64_t n, char *kbuf)
{
    long done = 0;

    while ((uint64_t)done < n) {
        size_t chunk = n - done < CHUNK ? n - done : CHUNK;
        long put_n;
        if (copy_from_user(kbuf, ubuf + done, chunk) != 0)
            return done ? done : -EFAULT;
        put_n = put(e, kbuf, chunk);
        if (put_n < 0)
            return done ? done : put_n;
        done += put_n;
        if ((size_t)put_n < chunk)
            break;
    }
    return done;
}

long linux_sys_write(const uint64_t a[6])
{
    struct fd_entry *e = fd_of((long)a[0]);
    char *kbuf;
    long r;

    if (!e)
        return -EBADF;
    if (!(kbuf = kmalloc(CHUNK)))
        return -ENOMEM;
    r = write_user(e, a[1], a[2], kbuf);
    kfree(kbuf);
    return r;
}

long linux_sys_writev(const uint64_t a[6])
{
    struct fd_entry *e = fd_of((long)a[0]);
    struct linux_iovec iov;
    long total = 0, r = 0;
    char *kbuf;

    if (!e)
        return -EBADF;
    if (a[2] > IOV_MAX)
        return -EINVAL;
    if (!(kbuf = kmalloc(CHUNK)))
        return -ENOMEM;
    for (uint64_t i = 0; i < a[2]; i++) {
        if (copy_from_user(&iov, a[1] + i * sizeof iov, sizeof iov) != 0) {
            r = -EFAULT;
            break;
        }
        if ((r = write_user(e, iov.base, iov.len, kbuf)) < 0)
            break;
        total += r;
        if ((uint64_t)r < iov.len)
            break;
    }
    kfree(kbuf);
    return total ? total : r;
}

long linux_sys_read(const uint64_t a[6])
{
    struct fd_entry *e = fd_of((long)a[0]);
    size_t n = a[2] < CHUNK ? a[2] : CHUNK;
    char *kbuf;
    long got;

    if (!e)
        return -EBADF;
    if (!user_range_ok(a[1], a[2]))
        return -EFAULT;
    if (e->file && (e->file->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (!(kbuf = kmalloc(CHUNK)))
        return -ENOMEM;
    /* One chunk per call: a short read, which every reader of a file or terminal handles. */
    got = e->tty ? tty_read(e->tty, kbuf, n, 0) : vfs_read(e->file, kbuf, n);
    if (got > 0 && copy_to_user(a[1], kbuf, (size_t)got) != 0)
        got = -EFAULT;
    kfree(kbuf);
    return got;
}

static long do_openat(long dirfd, uint64_t upath, unsigned flags, uint32_t mode)
{
    struct proc *p = proc_current();
    const struct vfs_path *at = NULL;
    struct file *f;
    char *path = kmalloc(PATH_MAX);
    long r;

    if (!path)
        return -ENOMEM;
    if ((r = strncpy_from_user(path, upath, PATH_MAX)) < 0)
        goto out;
    if (dirfd != AT_FDCWD && path[0] != '/') {
        struct fd_entry *d = fd_of(dirfd);
        if (!d || !d->file) {
            r = d ? -ENOTDIR : -EBADF;
            goto out;
        }
        at = &d->file->path;
    }
    if ((r = vfs_open(at, path, flags & ~O_CLOEXEC, mode, &f)) == 0 &&
        (r = fd_install(p->fds, (struct fd_entry){ f, NULL })) < 0)
        file_put(f);
out:
    kfree(path);
    return r;
}

long linux_sys_open(const uint64_t a[6])
{
    return do_openat(AT_FDCWD, a[0], (unsigned)a[1], (uint32_t)a[2]);
}

long linux_sys_openat(const uint64_t a[6])
{
    return do_openat((long)(int)a[0], a[1], (unsigned)a[2], (uint32_t)a[3]);
}

long linux_sys_close(const uint64_t a[6])
{
    struct proc *p = proc_current();

    return fd_close(p->fds, (long)a[0]);
}

/* The terminal requests: the structure copied out or in around tty_ioctl. */
long linux_sys_ioctl(const uint64_t a[6])
{
    struct fd_entry *e = fd_of((long)a[0]);
    union {
        struct termios t;
        struct winsize w;
    } u;
    size_t size;
    long r;

    if (!e)
        return -EBADF;
    if (!e->tty)
        return -ENOTTY;
    switch (a[1]) {
    case TCGETS: case TCSETS: case TCSETSW: case TCSETSF: size = sizeof u.t; break;
    case TIOCGWINSZ: case TIOCSWINSZ: size = sizeof u.w; break;
    default: return -ENOTTY;
    }
    if ((a[1] == TCSETS || a[1] == TCSETSW || a[1] == TCSETSF || a[1] == TIOCSWINSZ) &&
        copy_from_user(&u, a[2], size) != 0)
        return -EFAULT;
    if ((r = tty_ioctl(e->tty, a[1], &u)) != 0)
        return r;
    if ((a[1] == TCGETS || a[1] == TIOCGWINSZ) && copy_to_user(a[2], &u, size) != 0)
        return -EFAULT;
    return 0;
}
