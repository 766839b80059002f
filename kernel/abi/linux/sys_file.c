/*
 * sys_file.c - the Linux personality's calls on descriptors and their
 * bytes: read, write, readv, writev, pread64, pwrite64, lseek, close,
 * dup, dup2, dup3, fcntl, pipe, pipe2, ioctl, sendfile, fsync, fdatasync,
 * ftruncate, getdents64 (syscall_list.h says what each supports).
 *
 * A read of a regular file goes straight from the page cache into the
 * caller's vectors (vfs_read_to with uio_put as the sink: one copy, no
 * buffer in between); every other byte goes through a kernel bounce
 * buffer. User memory is only ever touched by the fault-safe copies of
 * uaccess.h, so a bad pointer is -EFAULT, or a short count once some bytes
 * went through (as Linux does: a regular file gives or takes the bytes
 * before a fault, exact to the byte, its position moved past them; a pipe
 * or terminal takes none of the piece that faulted). read and write are
 * readv and writev of one vector. A stream (pipe, terminal) is given as much as the
 * caller asked at once, up to PIPE_SIZE: a pipe write of at most PIPE_BUF
 * is one call, so atomic; a stream read returns what one call gave.
 * A stream has no position: it is read and written without the file's
 * position lock, so a reader blocked on a terminal does not hold up a
 * writer of the same open file (Linux: FMODE_ATOMIC_POS only for regular
 * files and directories).
 */
#include <stdint.h>
#include <string.h>

#include "abi/linux/files.h"
#include "abi/linux/syscalls.h"
#include "errno.h"
#include "fs/devfs/devfs.h"
#include "ipc/pipe.h"
#include "mm/heap.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "tty/termios.h"
#include "tty/tty.h"

#define SMALL_IO        256             /* bytes moved through the stack, not the heap */
#define FILE_CHUNK      16384
#define STREAM_CHUNK    PIPE_SIZE
#define IOV_MAX         1024            /* Linux's UIO_MAXIOV */
#define MAX_RW_COUNT    0x7ffff000ull   /* Linux's: one call moves at most this */
#define PAGE            4096ull

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define O_LARGEFILE     0100000
#define O_DIRECT        040000
#define O_NOATIME       01000000
#define SETFL_MASK      (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME)
#define TIOCSCTTY       0x540E
#define TIOCNOTTY       0x5422
#define FIONBIO         0x5421

struct linux_iovec {
    uint64_t base;
    uint64_t len;
};

struct file *linux_fd_file(long fd)
{
    struct proc *p = proc_current();

    return p ? fd_file(p->fds, fd) : NULL;
}

int linux_fd_install(struct file *f, unsigned oflags)
{
    int fd = fd_install_from(proc_current()->fds, f, oflags & O_CLOEXEC ? FD_CLOEXEC : 0, 0);

    if (fd < 0)
        file_put(f);
    return fd;
}

int linux_file_is_stream(const struct file *f)
{
    return file_is_pipe(f) || devfs_file_tty(f) != NULL;
}

/* ---- moving bytes ---- */

/* One call of the file: at pos (< 0: the file's position; streams have none). */
static long file_read(struct file *f, void *buf, size_t n, int64_t pos)
{
    if (linux_file_is_stream(f))
        return vfs_pread(f, buf, n, 0);
    return pos < 0 ? vfs_read(f, buf, n) : vfs_pread(f, buf, n, (uint64_t)pos);
}

static long file_write(struct file *f, const void *buf, size_t n, int64_t pos)
{
    if (linux_file_is_stream(f))
        return vfs_pwrite(f, buf, n, 0);
    return pos < 0 ? vfs_write(f, buf, n) : vfs_pwrite(f, buf, n, (uint64_t)pos);
}

/* The caller's vectors, walked: which one, how far into it, bytes left in all. */
struct uio {
    const struct linux_iovec *iov;
    uint64_t cnt, i, off, left;
};

/* Copy n bytes between kbuf and the vectors (advancing), each piece ending at a page's end
 * at most: how many went before a fault. */
static size_t uio_copy(struct uio *u, char *kbuf, size_t n, int to_user)
{
    size_t done = 0;

    while (done < n && u->i < u->cnt) {
        uint64_t at = u->iov[u->i].base + u->off, room = u->iov[u->i].len - u->off;
        uint64_t piece = PAGE - at % PAGE;
        if (piece > room)
            piece = room;
        if (piece > n - done)
            piece = n - done;
        if (piece && (to_user ? copy_to_user(at, kbuf + done, piece) : copy_from_user(kbuf + done, at, piece)))
            break;
        done += piece;
        u->off += piece;
        u->left -= piece;
        if (u->off == u->iov[u->i].len) {
            u->i++;
            u->off = 0;
        }
    }
    return done;
}

/* The vectors as a read's sink (pagecache.h): n bytes from src into them (advancing), how
 * many went before a fault. */
static size_t uio_put(void *ctx, const void *src, size_t n)
{
    struct uio *u = ctx;
    size_t done = 0;

    while (done < n && u->i < u->cnt) {
        uint64_t room = u->iov[u->i].len - u->off, piece = n - done < room ? n - done : room;
        size_t went = copy_to_user_upto(u->iov[u->i].base + u->off, (const char *)src + done, piece);
        done += went;
        u->off += went;
        u->left -= went;
        if (went < piece)
            break;
        if (u->off == u->iov[u->i].len) {
            u->i++;
            u->off = 0;
        }
    }
    return done;
}

/* A regular file's read: from the page cache straight into the vectors. */
static long read_direct(struct file *f, struct uio *u, int64_t pos)
{
    struct pagecache_sink sink = { uio_put, u };

    return pos < 0 ? vfs_read_to(f, &sink, u->left) : vfs_pread_to(f, &sink, u->left, (uint64_t)pos);
}

/* Read or write along the vectors at pos (< 0: the file's position): the count, or the
 * first error when nothing went. */
static long transfer(struct file *f, struct uio *u, int64_t pos, int writing)
{
    int stream = linux_file_is_stream(f);
    uint64_t max = stream ? STREAM_CHUNK : FILE_CHUNK;
    size_t size = u->left < max ? u->left : max;
    char small[SMALL_IO], *kbuf = small;
    long done = 0, r = 0;

    if (!writing && !stream && vfs_file_cached(f))
        return read_direct(f, u, pos);
    if (size > SMALL_IO && !(kbuf = kmalloc(size)))
        return -ENOMEM;
    do {
        size_t want = u->left < size ? u->left : size, got = want;
        /* A fault part-way: a file takes the bytes before it (Linux's generic_perform_write),
         * a stream none of the piece (Linux's pipe_write and tty_write copy a piece whole). */
        if (writing && (got = uio_copy(u, kbuf, want, 0)) < want && (stream || got == 0)) {
            r = -EFAULT;
            break;
        }
        r = writing ? file_write(f, kbuf, got, pos < 0 ? -1 : pos + done)
                    : file_read(f, kbuf, want, pos < 0 ? -1 : pos + done);
        if (r <= 0)
            break;
        if (!writing && uio_copy(u, kbuf, (size_t)r, 1) < (size_t)r) {
            r = -EFAULT;
            break;
        }
        done += r;
        if ((size_t)r < want || (stream && !writing))
            break;
    } while (u->left);
    if (kbuf != small)
        kfree(kbuf);
    return done ? done : r;
}

/* The vectors' checks (Linux's rw_verify_area and import_iovec): -EFAULT for a range
 * outside the lower half, -EINVAL for a total past what a call may return. */
static long uio_init(struct uio *u, const struct linux_iovec *iov, uint64_t cnt)
{
    *u = (struct uio){ .iov = iov, .cnt = cnt };
    for (uint64_t i = 0; i < cnt; i++) {
        if (iov[i].len > (uint64_t)INT64_MAX - u->left)
            return -EINVAL;
        u->left += iov[i].len;
        if (!user_range_ok(iov[i].base, iov[i].len))
            return -EFAULT;
    }
    return 0;
}

static long io_fd(long fd, const struct linux_iovec *iov, uint64_t cnt, int64_t pos, int writing)
{
    struct file *f = linux_fd_file(fd);
    struct uio u;
    long r;

    if (!f)
        return -EBADF;
    if ((f->flags & O_ACCMODE) == (writing ? O_RDONLY : O_WRONLY))
        r = -EBADF;
    else if (pos >= 0 && linux_file_is_stream(f))
        r = -ESPIPE;
    else if ((r = uio_init(&u, iov, cnt)) == 0)
        r = transfer(f, &u, pos, writing);
    file_put(f);
    return r;
}

static long io_one(const uint64_t a[6], int64_t pos, int writing)
{
    struct linux_iovec v = { a[1], a[2] < MAX_RW_COUNT ? a[2] : MAX_RW_COUNT };

    return io_fd((long)a[0], &v, 1, pos, writing);
}

/* readv, writev, preadv, pwritev: the vectors copied in, then io_fd. */
static long io_vec(const uint64_t a[6], int64_t pos, int writing)
{
    struct linux_iovec *iov;
    long r;

    if (a[2] > IOV_MAX)
        return -EINVAL;
    if (a[2] == 0)
        return 0;
    if (!(iov = kmalloc(a[2] * sizeof *iov)))
        return -ENOMEM;
    r = copy_from_user(iov, a[1], a[2] * sizeof *iov) ? -EFAULT : io_fd((long)a[0], iov, a[2], pos, writing);
    kfree(iov);
    return r;
}

long linux_sys_read(const uint64_t a[6])    { return io_one(a, -1, 0); }
long linux_sys_write(const uint64_t a[6])   { return io_one(a, -1, 1); }
long linux_sys_readv(const uint64_t a[6])   { return io_vec(a, -1, 0); }
long linux_sys_writev(const uint64_t a[6])  { return io_vec(a, -1, 1); }

long linux_sys_pread64(const uint64_t a[6])
{
    return (int64_t)a[3] < 0 ? -EINVAL : io_one(a, (int64_t)a[3], 0);
}

long linux_sys_pwrite64(const uint64_t a[6])
{
    return (int64_t)a[3] < 0 ? -EINVAL : io_one(a, (int64_t)a[3], 1);
}

long linux_sys_lseek(const uint64_t a[6])
{
    struct file *f = linux_fd_file((long)a[0]);
    long r;

    if (!f)
        return -EBADF;
    r = linux_file_is_stream(f) ? -ESPIPE : vfs_lseek(f, (int64_t)a[1], (int)a[2]);
    file_put(f);
    return r;
}

/* ---- descriptors ---- */

long linux_sys_close(const uint64_t a[6])
{
    return fd_close(proc_current()->fds, (long)(int)a[0]);
}

/* A copy of oldfd at the lowest free descriptor >= min. */
static long dup_from(long oldfd, int min, unsigned fdflags)
{
    struct file *f = linux_fd_file(oldfd);
    int fd;

    if (!f)
        return -EBADF;
    if ((fd = fd_install_from(proc_current()->fds, f, fdflags, min)) < 0)
        file_put(f);
    return fd;
}

long linux_sys_dup(const uint64_t a[6])
{
    return dup_from((long)(int)a[0], 0, 0);
}

static long dup_to(long oldfd, long newfd, unsigned oflags)
{
    struct file *f = linux_fd_file(oldfd);
    long r;

    if (!f)
        return -EBADF;
    r = fd_replace(proc_current()->fds, newfd, f, oflags & O_CLOEXEC ? FD_CLOEXEC : 0);
    if (r < 0)
        file_put(f);
    return r;
}

long linux_sys_dup2(const uint64_t a[6])
{
    long oldfd = (long)(int)a[0], newfd = (long)(int)a[1];

    if (oldfd == newfd) {
        struct file *f = linux_fd_file(oldfd);
        if (!f)
            return -EBADF;
        file_put(f);
        return newfd;
    }
    return dup_to(oldfd, newfd, 0);
}

long linux_sys_dup3(const uint64_t a[6])
{
    long oldfd = (long)(int)a[0], newfd = (long)(int)a[1];

    if (oldfd == newfd || (a[2] & ~(uint64_t)O_CLOEXEC))
        return -EINVAL;
    return dup_to(oldfd, newfd, (unsigned)a[2]);
}

static long set_fl(long fd, unsigned flags)
{
    struct file *f = linux_fd_file(fd);
    unsigned old;

    if (!f)
        return -EBADF;
    old = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
    __atomic_store_n(&f->flags, (old & ~(unsigned)SETFL_MASK) | (flags & SETFL_MASK), __ATOMIC_RELAXED);
    file_put(f);
    return 0;
}

static long get_fl(long fd)
{
    struct file *f = linux_fd_file(fd);
    long r;

    if (!f)
        return -EBADF;
    r = f->flags & ~(unsigned)O_NOCTTY;
    file_put(f);
    return r;
}

long linux_sys_fcntl(const uint64_t a[6])
{
    struct fd_table *t = proc_current()->fds;
    long fd = (long)(int)a[0];

    switch (a[1]) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if ((int)a[2] < 0 || (int)a[2] >= FD_MAX)
            return -EINVAL;
        return dup_from(fd, (int)a[2], a[1] == F_DUPFD_CLOEXEC ? FD_CLOEXEC : 0);
    case F_GETFD:
        return fd_get_flags(t, fd);
    case F_SETFD:
        return fd_set_flags(t, fd, (unsigned)a[2]);
    case F_GETFL:
        return get_fl(fd);
    case F_SETFL:
        return set_fl(fd, (unsigned)a[2]);
    }
    return -EINVAL;
}

static long do_pipe(uint64_t ufds, uint64_t flags)
{
    struct file *rd, *wr;
    int fds[2];
    long r;

    if (flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;                 /* O_DIRECT (packet mode) is not offered */
    if ((r = pipe_create((unsigned)flags, &rd, &wr)) != 0)
        return r;
    if ((fds[0] = linux_fd_install(rd, (unsigned)flags)) < 0) {
        file_put(wr);
        return fds[0];
    }
    if ((fds[1] = linux_fd_install(wr, (unsigned)flags)) < 0) {
        fd_close(proc_current()->fds, fds[0]);
        return fds[1];
    }
    if (copy_to_user(ufds, fds, sizeof fds) != 0) {
        fd_close(proc_current()->fds, fds[0]);
        fd_close(proc_current()->fds, fds[1]);
        return -EFAULT;
    }
    return 0;
}

long linux_sys_pipe(const uint64_t a[6])    { return do_pipe(a[0], 0); }
long linux_sys_pipe2(const uint64_t a[6])   { return do_pipe(a[0], a[1]); }

/* ---- ioctl ---- */

static long int_out(uint64_t uptr, int v)
{
    return copy_to_user(uptr, &v, sizeof v) ? -EFAULT : 0;
}

/* The terminal's own requests: the structure copied in or out around tty_ioctl. */
static long tty_request(struct tty *tty, unsigned long req, uint64_t arg)
{
    union {
        struct termios t;
        struct winsize w;
        int i;
    } u;
    size_t size;
    long r;

    switch (req) {
    case TCGETS: case TCSETS: case TCSETSW: case TCSETSF: size = sizeof u.t; break;
    case TIOCGWINSZ: case TIOCSWINSZ: size = sizeof u.w; break;
    case TIOCGPGRP: case TIOCSPGRP: case FIONREAD: size = sizeof u.i; break;
    case TCFLSH: case TCXONC: return tty_ioctl(tty, req, (void *)(uintptr_t)arg);
    default: return -ENOTTY;
    }
    /* The foreground group is only the controlling terminal's business (Linux: -ENOTTY for
     * another terminal): a shell started on a terminal that is not its own, as init= is,
     * learns so and turns job control off instead of stopping itself with SIGTTIN. */
    if ((req == TIOCGPGRP || req == TIOCSPGRP) && proc_current()->ctty != tty)
        return -ENOTTY;
    if ((req == TCSETS || req == TCSETSW || req == TCSETSF || req == TIOCSWINSZ || req == TIOCSPGRP) &&
        copy_from_user(&u, arg, size) != 0)
        return -EFAULT;
    if ((r = tty_ioctl(tty, req, &u)) != 0)
        return r;
    if ((req == TCGETS || req == TIOCGWINSZ || req == TIOCGPGRP || req == FIONREAD) &&
        copy_to_user(arg, &u, size) != 0)
        return -EFAULT;
    return 0;
}

/* TIOCSCTTY: a session leader without a terminal makes this one its own, its group in the
 * foreground (TIOCNOTTY: lets go). */
static long ctty_request(struct tty *tty, unsigned long req)
{
    struct proc *p = proc_current();

    if (req == TIOCNOTTY) {
        if (p->ctty != tty)
            return -ENOTTY;
        p->ctty = NULL;
        return 0;
    }
    if (p->ctty == tty)
        return 0;
    if (p->sid != p->pid || p->ctty)
        return -EPERM;
    proc_take_ctty(tty);
    return 0;
}

static long ioctl_file(struct file *f, unsigned long req, uint64_t arg)
{
    struct tty *tty = devfs_file_tty(f);
    int v;

    if (req == FIONBIO) {
        if (copy_from_user(&v, arg, sizeof v) != 0)
            return -EFAULT;
        __atomic_store_n(&f->flags, v ? f->flags | O_NONBLOCK : f->flags & ~(unsigned)O_NONBLOCK,
                         __ATOMIC_RELAXED);
        return 0;
    }
    if (req == FIONREAD && file_is_pipe(f))
        return int_out(arg, (int)pipe_unread(f));
    if (!tty)
        return -ENOTTY;
    if (req == TIOCSCTTY || req == TIOCNOTTY)
        return ctty_request(tty, req);
    return tty_request(tty, req, arg);
}

long linux_sys_ioctl(const uint64_t a[6])
{
    struct file *f = linux_fd_file((long)(int)a[0]);
    long r;

    if (!f)
        return -EBADF;
    r = ioctl_file(f, (unsigned long)(uint32_t)a[1], a[2]);
    file_put(f);
    return r;
}

/* ---- whole-file calls ---- */

long linux_sys_fsync(const uint64_t a[6])
{
    struct file *f = linux_fd_file((long)(int)a[0]);
    long r;

    if (!f)
        return -EBADF;
    r = linux_file_is_stream(f) ? -EINVAL : vfs_fsync(f);
    file_put(f);
    return r;
}

long linux_sys_fdatasync(const uint64_t a[6])
{
    return linux_sys_fsync(a);
}

long linux_sys_ftruncate(const uint64_t a[6])
{
    struct file *f = linux_fd_file((long)(int)a[0]);
    long r;

    if (!f)
        return -EBADF;
    if ((int64_t)a[1] < 0)
        r = -EINVAL;
    else if ((f->flags & O_ACCMODE) == O_RDONLY)
        r = -EINVAL;                    /* Linux: a descriptor not open for writing */
    else
        r = vfs_ftruncate(f, a[1]);
    file_put(f);
    return r;
}

/* sendfile(out, in, offset, count): through a kernel buffer; at *offset (then updated) when
 * given, else at in's position; up to count bytes, or fewer when a read of in comes back short
 * (busybox's cat copies a terminal with sendfile, a line per call). */
long linux_sys_sendfile(const uint64_t a[6])
{
    struct file *out = linux_fd_file((long)(int)a[0]), *in = linux_fd_file((long)(int)a[1]);
    uint64_t count = a[3] < MAX_RW_COUNT ? a[3] : MAX_RW_COUNT, done = 0;
    int64_t off = -1;
    char *kbuf = NULL;
    long r = 0;

    if (!out || !in)
        r = -EBADF;
    else if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY)
        r = -EBADF;
    else if (a[2] && (copy_from_user(&off, a[2], sizeof off) || off < 0))
        r = off < 0 ? -EINVAL : -EFAULT;
    else if (!(kbuf = kmalloc(FILE_CHUNK)))
        r = -ENOMEM;
    while (!r && done < count) {
        size_t want = count - done < FILE_CHUNK ? count - done : FILE_CHUNK;
        long got = file_read(in, kbuf, want, a[2] ? off + (int64_t)done : -1), put;
        if (got <= 0) {
            r = done ? 0 : got;
            break;
        }
        put = file_write(out, kbuf, (size_t)got, -1);
        if (put > 0)
            done += (uint64_t)put;
        if (put < got) {
            r = done ? 0 : put;
            break;
        }
        if ((size_t)got < want)
            break;              /* all there is now (a terminal's line, a pipe's bytes, the file's
                                 * end): returned, so the caller's next call sees an end of file
                                 * (^D on a terminal) instead of this loop reading past it */
    }
    if (a[2] && done) {
        off += (int64_t)done;
        copy_to_user(a[2], &off, sizeof off);
    }
    kfree(kbuf);
    if (out)
        file_put(out);
    if (in)
        file_put(in);
    return r < 0 ? r : (long)done;
}

/* ---- getdents64 ---- */

struct dirent_buf {
    char *buf;
    size_t size, used;
    int64_t next;               /* d_off: the entry's ordinal from the call's start */
    int too_small;              /* the first entry did not fit: -EINVAL */
};

/* Linux's struct linux_dirent64: d_ino, d_off, d_reclen, d_type, the name and its NUL,
 * the record padded to 8 bytes. */
static int fill_dirent(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
    struct dirent_buf *d = ctx;
    size_t reclen = (19 + len + 1 + 7) & ~(size_t)7;
    char *rec = d->buf + d->used;
    uint16_t rl = (uint16_t)reclen;

    if (d->used + reclen > d->size) {
        d->too_small = d->used == 0;
        return 1;                   /* no room: this entry stays for the next call */
    }
    d->next++;
    memcpy(rec, &ino, 8);
    memcpy(rec + 8, &d->next, 8);
    memcpy(rec + 16, &rl, 2);
    rec[18] = (char)type;
    memcpy(rec + 19, name, len);
    memset(rec + 19 + len, 0, reclen - 19 - len);
    d->used += reclen;
    return 0;
}

long linux_sys_getdents64(const uint64_t a[6])
{
    struct file *f = linux_fd_file((long)(int)a[0]);
    struct dirent_buf d = { 0 };
    long r;

    if (!f)
        return -EBADF;
    d.size = a[2] < 32768 ? a[2] : 32768;
    if (!S_ISDIR(f->inode->mode))
        r = -ENOTDIR;
    else if (!user_range_ok(a[1], a[2]))
        r = -EFAULT;
    else if (!(d.buf = kmalloc(d.size ? d.size : 1)))
        r = -ENOMEM;
    else if ((r = vfs_readdir(f, fill_dirent, &d)) >= 0 || d.used)
        r = d.used ? (copy_to_user(a[1], d.buf, d.used) ? -EFAULT : (long)d.used) : d.too_small ? -EINVAL : 0;
    kfree(d.buf);
    file_put(f);
    return r;
}
