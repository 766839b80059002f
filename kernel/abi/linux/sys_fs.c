/*
 * sys_fs.c - the Linux personality's calls on names: open and openat, the
 * stat family, access and faccessat, the directory calls (mkdir, unlink,
 * rmdir, rename, link, symlink, readlink and their *at forms), chmod and
 * chown, utimensat, truncate, statfs and fstatfs, and the process's place
 * in the tree: chdir, fchdir, getcwd, umask (syscall_list.h says what each
 * supports).
 *
 * Every path is copied in whole (PATH_MAX) and walked by the VFS from a
 * starting place (Linux's path_init): the root for an absolute path, else
 * the directory of dirfd, or the process's cwd for AT_FDCWD and the calls
 * without a dirfd. Two paths of one call (rename, link) from different
 * starting places are both made absolute first (the VFS takes one).
 */
#include <stdint.h>
#include <string.h>

#include "abi/linux/files.h"
#include "abi/linux/syscalls.h"
#include "errno.h"
#include "fs/devfs/devfs.h"
#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "proc/proc.h"
#include "proc/uaccess.h"

#define O_LARGEFILE 0100000
#define UTIME_NOW   ((1l << 30) - 1)
#define UTIME_OMIT  ((1l << 30) - 2)
#define R_OK        4
#define W_OK        2
#define X_OK        1
#define ST_VALID    0x20            /* statfs f_flags: the flags are meaningful (Linux's) */

/* Where a path of a call starts, and the path itself. */
struct at_path {
    char *path;                     /* PATH_MAX bytes */
    const struct vfs_path *at;      /* NULL: the root */
    struct file *dir;               /* dirfd's file, held while `at` points into it */
};

static void at_put(struct at_path *ap)
{
    kfree(ap->path);
    if (ap->dir)
        file_put(ap->dir);
    *ap = (struct at_path){ 0 };
}

/* Copy the path in and find where it starts. `empty_ok`: AT_EMPTY_PATH, "" names dirfd. */
static long at_get(struct at_path *ap, long dirfd, uint64_t upath, int empty_ok)
{
    long r;

    *ap = (struct at_path){ 0 };
    if (!(ap->path = kmalloc(PATH_MAX)))
        return -ENOMEM;
    if ((r = strncpy_from_user(ap->path, upath, PATH_MAX)) < 0)
        goto fail;
    if (r == 0 && !empty_ok) {
        r = -ENOENT;
        goto fail;
    }
    if (ap->path[0] == '/')
        return 0;
    if (dirfd == AT_FDCWD) {
        ap->at = proc_cwd();
        return 0;
    }
    if (!(ap->dir = linux_fd_file(dirfd))) {
        r = -EBADF;
        goto fail;
    }
    if (!S_ISDIR(ap->dir->inode->mode) && !(r == 0 && empty_ok)) {
        r = -ENOTDIR;
        goto fail;
    }
    ap->at = &ap->dir->path;
    return 0;
fail:
    at_put(ap);
    return r;
}

/* ap's path made absolute (for a call taking two paths from different places). */
static long at_absolute(struct at_path *ap)
{
    char *full;
    long n;

    if (!ap->at)
        return 0;
    if (!(full = kmalloc(PATH_MAX)))
        return -ENOMEM;
    if ((n = fd_path_name(ap->at, full, PATH_MAX)) >= 0 &&
        (size_t)n + 1 + strlen(ap->path) + 1 > PATH_MAX)
        n = -ENAMETOOLONG;
    if (n < 0) {
        kfree(full);
        return n;
    }
    full[n] = '/';
    memcpy(full + n + 1, ap->path, strlen(ap->path) + 1);
    kfree(ap->path);
    ap->path = full;
    ap->at = NULL;
    return 0;
}

static uint32_t umask_now(void)
{
    struct proc_fs *fs = proc_fs_current();

    return fs ? fs->umask : 022;
}

/* ---- open ---- */

/* A session leader without a terminal that opens one without O_NOCTTY makes it its own, with
 * its group in the foreground (POSIX XBD 11.1.3; Linux's tty_open). */
static void maybe_ctty(struct file *f, unsigned flags)
{
    struct proc *p = proc_current();
    struct tty *tty = devfs_file_tty(f);

    if (tty && !(flags & O_NOCTTY) && p->sid == p->pid && !p->ctty)
        proc_take_ctty(tty);
}

static long do_openat(long dirfd, uint64_t upath, unsigned flags, uint32_t mode)
{
    struct at_path ap;
    struct file *f;
    long r;

    if ((r = at_get(&ap, dirfd, upath, 0)) != 0)
        return r;
    r = vfs_open(ap.at, ap.path, (flags & ~(unsigned)O_CLOEXEC) | O_LARGEFILE, mode & ~umask_now() & 07777, &f);
    at_put(&ap);
    if (r)
        return r;
    maybe_ctty(f, flags);
    return linux_fd_install(f, flags);
}

long linux_sys_open(const uint64_t a[6])
{
    return do_openat(AT_FDCWD, a[0], (unsigned)a[1], (uint32_t)a[2]);
}

long linux_sys_openat(const uint64_t a[6])
{
    return do_openat((long)(int)a[0], a[1], (unsigned)a[2], (uint32_t)a[3]);
}

/* ---- stat ---- */

/* Linux x86-64's struct stat (arch/x86/include/uapi/asm/stat.h): 144 bytes. */
struct linux_stat {
    uint64_t dev, ino, nlink;
    uint32_t mode, uid, gid, pad0;
    uint64_t rdev;
    int64_t size, blksize, blocks;
    uint64_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
    int64_t unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "struct stat is Linux's");

static long stat_out(uint64_t ubuf, const struct vfs_stat *st)
{
    struct linux_stat ls = {
        .dev = st->dev, .ino = st->ino, .nlink = st->nlink, .mode = st->mode, .uid = st->uid,
        .gid = st->gid, .rdev = st->rdev, .size = (int64_t)st->size, .blksize = st->blksize,
        .blocks = (int64_t)st->blocks,
        .atime = (uint64_t)st->atime.sec, .atime_nsec = st->atime.nsec,
        .mtime = (uint64_t)st->mtime.sec, .mtime_nsec = st->mtime.nsec,
        .ctime = (uint64_t)st->ctime.sec, .ctime_nsec = st->ctime.nsec,
    };

    return copy_to_user(ubuf, &ls, sizeof ls) ? -EFAULT : 0;
}

static long fstat_fd(long fd, uint64_t ubuf)
{
    struct file *f = linux_fd_file(fd);
    struct vfs_stat st;
    long r;

    if (!f)
        return -EBADF;
    r = vfs_fstat(f, &st);
    file_put(f);
    return r ? r : stat_out(ubuf, &st);
}

/* What newfstatat and statx find at (dirfd, upath): AT_EMPTY_PATH's "" is dirfd itself. */
static long stat_get(long dirfd, uint64_t upath, unsigned atflags, struct vfs_stat *st)
{
    struct at_path ap;
    long r;

    if ((r = at_get(&ap, dirfd, upath, (atflags & AT_EMPTY_PATH) != 0)) != 0)
        return r;
    if (ap.path[0] == 0 && dirfd != AT_FDCWD) {
        struct file *f = linux_fd_file(dirfd);
        r = f ? vfs_fstat(f, st) : -EBADF;
        if (f)
            file_put(f);
    } else {
        r = vfs_stat(ap.at, ap.path[0] ? ap.path : ".", !(atflags & AT_SYMLINK_NOFOLLOW), st);
    }
    at_put(&ap);
    return r;
}

static long stat_at(long dirfd, uint64_t upath, uint64_t ubuf, unsigned atflags)
{
    struct vfs_stat st;
    long r;

    if (atflags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
        return -EINVAL;
    r = stat_get(dirfd, upath, atflags, &st);
    return r ? r : stat_out(ubuf, &st);
}

long linux_sys_stat(const uint64_t a[6])   { return stat_at(AT_FDCWD, a[0], a[1], 0); }
long linux_sys_lstat(const uint64_t a[6])  { return stat_at(AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW); }
long linux_sys_fstat(const uint64_t a[6])  { return fstat_fd((long)(int)a[0], a[1]); }

long linux_sys_newfstatat(const uint64_t a[6])
{
    return stat_at((long)(int)a[0], a[1], a[2], (unsigned)a[3]);
}

/* ---- statx (include/uapi/linux/stat.h) ---- */

struct linux_statx_time {
    int64_t sec;
    uint32_t nsec;
    int32_t reserved;
};

struct linux_statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct linux_statx_time atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t mnt_id;
    uint32_t dio_mem_align, dio_offset_align;
    uint64_t spare3[12];
};
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx is Linux's");

#define STATX_BASIC_STATS   0x7ffu      /* type, mode, nlink, uid, gid, atime, mtime, ctime, ino, size, blocks */
#define STATX_MTIME_CTIME   0xc0u       /* STATX_MTIME | STATX_CTIME */
#define STATX_RESERVED      0x80000000u /* STATX__RESERVED: -EINVAL */
#define AT_STATX_SYNC_TYPE  0x6000      /* FORCE_SYNC | DONT_SYNC: one or neither (nothing is remote here) */

static struct linux_statx_time statx_time(struct vfs_time t)
{
    return (struct linux_statx_time){ t.sec, (uint32_t)t.nsec, 0 };
}

/*
 * Linux fills the basic fields whatever the mask asks, but for mtime and
 * ctime: since 6.13 (multigrain timestamps: ext4, tmpfs, xfs, btrfs) both
 * are left out, zeros and not in stx_mask, unless one of them is asked
 * for. btime and the mount id (STATX_BTIME, STATX_MNT_ID) are extras Tessera does not keep:
 * not in stx_mask.
 */
static long statx_out(uint64_t ubuf, const struct vfs_stat *st, unsigned mask)
{
    struct linux_statx x = {
        .mask = STATX_BASIC_STATS, .blksize = st->blksize, .nlink = st->nlink, .uid = st->uid, .gid = st->gid,
        .mode = (uint16_t)st->mode, .ino = st->ino, .size = st->size, .blocks = st->blocks,
        .atime = statx_time(st->atime), .ctime = statx_time(st->ctime), .mtime = statx_time(st->mtime),
        .rdev_major = fd_dev_major(st->rdev), .rdev_minor = fd_dev_minor(st->rdev),
        .dev_major = fd_dev_major(st->dev), .dev_minor = fd_dev_minor(st->dev),
    };

    if (!(mask & STATX_MTIME_CTIME)) {
        x.mask &= ~STATX_MTIME_CTIME;
        x.mtime = x.ctime = (struct linux_statx_time){ 0 };
    }
    return copy_to_user(ubuf, &x, sizeof x) ? -EFAULT : 0;
}

/* statx(dirfd, path, flags, mask, buf) */
long linux_sys_statx(const uint64_t a[6])
{
    unsigned flags = (unsigned)a[2], mask = (unsigned)a[3];
    struct vfs_stat st;
    long r;

    if ((mask & STATX_RESERVED) || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
        (flags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)))
        return -EINVAL;
    r = stat_get((long)(int)a[0], a[1], flags, &st);
    return r ? r : statx_out(a[4], &st, mask);
}

/* ---- access ---- */

/* Whether cred may do `mode` (R_OK|W_OK|X_OK) to a file of st: POSIX's owner, group,
 * other classes; root reads and writes anything and executes what has an x bit. */
static long may_access(const struct vfs_stat *st, unsigned mode)
{
    const struct vfs_cred *c = vfs_current_cred();
    unsigned bits;

    if (c->uid == 0)
        return (mode & X_OK) && !S_ISDIR(st->mode) && !(st->mode & 0111) ? -EACCES : 0;
    bits = c->uid == st->uid ? st->mode >> 6 : c->gid == st->gid ? st->mode >> 3 : st->mode;
    return (mode & ~bits & 7) ? -EACCES : 0;
}

static long access_at(long dirfd, uint64_t upath, uint64_t mode, uint64_t atflags)
{
    struct at_path ap;
    struct vfs_stat st;
    long r;

    if (mode & ~(uint64_t)7)
        return -EINVAL;
    if (atflags & ~(uint64_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if ((r = at_get(&ap, dirfd, upath, (atflags & AT_EMPTY_PATH) != 0)) != 0)
        return r;
    r = vfs_stat(ap.at, ap.path[0] ? ap.path : ".", !(atflags & AT_SYMLINK_NOFOLLOW), &st);
    at_put(&ap);
    return r ? r : may_access(&st, (unsigned)mode);
}

long linux_sys_access(const uint64_t a[6])      { return access_at(AT_FDCWD, a[0], a[1], 0); }
long linux_sys_faccessat(const uint64_t a[6])   { return access_at((long)(int)a[0], a[1], a[2], 0); }
long linux_sys_faccessat2(const uint64_t a[6])  { return access_at((long)(int)a[0], a[1], a[2], a[3]); }

/* ---- the process's place ---- */

static long set_cwd(const struct vfs_path *p)
{
    struct proc_fs *fs = proc_fs_current();
    struct vfs_path old = fs->cwd;

    vfs_path_get(&fs->cwd, p);
    vfs_path_put(&old);
    return 0;
}

long linux_sys_chdir(const uint64_t a[6])
{
    struct at_path ap;
    struct file *f;
    long r;

    if ((r = at_get(&ap, AT_FDCWD, a[0], 0)) != 0)
        return r;
    r = vfs_open(ap.at, ap.path, O_RDONLY | O_DIRECTORY, 0, &f);
    at_put(&ap);
    if (r)
        return r;
    r = set_cwd(&f->path);
    file_put(f);
    return r;
}

long linux_sys_fchdir(const uint64_t a[6])
{
    struct file *f = linux_fd_file((long)(int)a[0]);
    long r;

    if (!f)
        return -EBADF;
    r = S_ISDIR(f->inode->mode) ? set_cwd(&f->path) : -ENOTDIR;
    file_put(f);
    return r;
}

long linux_sys_getcwd(const uint64_t a[6])
{
    size_t size = a[1] < PATH_MAX ? a[1] : PATH_MAX;
    char *buf;
    long n;

    if (size == 0)
        return -ERANGE;
    if (!(buf = kmalloc(size)))
        return -ENOMEM;
    n = fd_path_name(proc_cwd(), buf, size);
    if (n >= 0)
        n = copy_to_user(a[0], buf, (size_t)n + 1) ? -EFAULT : n + 1;
    kfree(buf);
    return n;
}

long linux_sys_umask(const uint64_t a[6])
{
    struct proc_fs *fs = proc_fs_current();
    uint32_t old = fs->umask;

    fs->umask = (uint32_t)a[0] & 0777;
    return old;
}

/* ---- directories and names ---- */

static long mkdir_at(long dirfd, uint64_t upath, uint32_t mode)
{
    struct at_path ap;
    long r;

    if ((r = at_get(&ap, dirfd, upath, 0)) != 0)
        return r;
    r = vfs_mkdir(ap.at, ap.path, mode & ~umask_now() & 07777);
    at_put(&ap);
    return r;
}

long linux_sys_mkdir(const uint64_t a[6])   { return mkdir_at(AT_FDCWD, a[0], (uint32_t)a[1]); }
long linux_sys_mkdirat(const uint64_t a[6]) { return mkdir_at((long)(int)a[0], a[1], (uint32_t)a[2]); }

static long unlink_at(long dirfd, uint64_t upath, uint64_t flags)
{
    struct at_path ap;
    long r;

    if (flags & ~(uint64_t)AT_REMOVEDIR)
        return -EINVAL;
    if ((r = at_get(&ap, dirfd, upath, 0)) != 0)
        return r;
    r = flags & AT_REMOVEDIR ? vfs_rmdir(ap.at, ap.path) : vfs_unlink(ap.at, ap.path);
    at_put(&ap);
    return r;
}

long linux_sys_unlink(const uint64_t a[6])   { return unlink_at(AT_FDCWD, a[0], 0); }
long linux_sys_rmdir(const uint64_t a[6])    { return unlink_at(AT_FDCWD, a[0], AT_REMOVEDIR); }
long linux_sys_unlinkat(const uint64_t a[6]) { return unlink_at((long)(int)a[0], a[1], a[2]); }

/* Both paths from one place: when their places differ, both absolute. */
static long two_paths(struct at_path *old, long olddir, uint64_t uold, struct at_path *new,
                      long newdir, uint64_t unew)
{
    long r;

    if ((r = at_get(old, olddir, uold, 0)) != 0)
        return r;
    if ((r = at_get(new, newdir, unew, 0)) != 0) {
        at_put(old);
        return r;
    }
    if (old->at == new->at || (old->at && new->at && old->at->dentry == new->at->dentry &&
                               old->at->mnt == new->at->mnt))
        return 0;
    if ((r = at_absolute(old)) != 0 || (r = at_absolute(new)) != 0) {
        at_put(old);
        at_put(new);
    }
    return r;
}

/* The place two_paths settled on (NULL when both were made absolute). */
static const struct vfs_path *place(const struct at_path *old, const struct at_path *new)
{
    return old->path[0] == '/' ? new->at : old->at;
}

static long rename_at(long olddir, uint64_t uold, long newdir, uint64_t unew, uint64_t flags)
{
    struct at_path o, n;
    long r;

    if (flags & ~(uint64_t)RENAME_NOREPLACE)
        return -EINVAL;                 /* RENAME_EXCHANGE, RENAME_WHITEOUT: not offered */
    if ((r = two_paths(&o, olddir, uold, &n, newdir, unew)) != 0)
        return r;
    r = vfs_rename(place(&o, &n), o.path, n.path, (unsigned)flags);
    at_put(&o);
    at_put(&n);
    return r;
}

long linux_sys_rename(const uint64_t a[6])    { return rename_at(AT_FDCWD, a[0], AT_FDCWD, a[1], 0); }
long linux_sys_renameat(const uint64_t a[6])  { return rename_at((long)(int)a[0], a[1], (long)(int)a[2], a[3], 0); }
long linux_sys_renameat2(const uint64_t a[6]) { return rename_at((long)(int)a[0], a[1], (long)(int)a[2], a[3], a[4]); }

static long link_at(long olddir, uint64_t uold, long newdir, uint64_t unew, uint64_t flags)
{
    struct at_path o, n;
    long r;

    if (flags & ~(uint64_t)AT_SYMLINK_FOLLOW)
        return -EINVAL;
    if ((r = two_paths(&o, olddir, uold, &n, newdir, unew)) != 0)
        return r;
    r = vfs_link(place(&o, &n), o.path, n.path);
    at_put(&o);
    at_put(&n);
    return r;
}

long linux_sys_link(const uint64_t a[6])   { return link_at(AT_FDCWD, a[0], AT_FDCWD, a[1], 0); }
long linux_sys_linkat(const uint64_t a[6]) { return link_at((long)(int)a[0], a[1], (long)(int)a[2], a[3], a[4]); }

static long symlink_at(uint64_t utarget, long newdir, uint64_t ulink)
{
    struct at_path ap;
    char *target = kmalloc(PATH_MAX);
    long r;

    if (!target)
        return -ENOMEM;
    if ((r = strncpy_from_user(target, utarget, PATH_MAX)) >= 0 &&
        (r = r == 0 ? -ENOENT : at_get(&ap, newdir, ulink, 0)) == 0) {
        r = vfs_symlink(target, ap.at, ap.path);
        at_put(&ap);
    }
    kfree(target);
    return r;
}

long linux_sys_symlink(const uint64_t a[6])   { return symlink_at(a[0], AT_FDCWD, a[1]); }
long linux_sys_symlinkat(const uint64_t a[6]) { return symlink_at(a[0], (long)(int)a[1], a[2]); }

static long readlink_at(long dirfd, uint64_t upath, uint64_t ubuf, uint64_t size)
{
    struct at_path ap;
    char *buf;
    long r;

    if ((int64_t)size <= 0)
        return -EINVAL;
    if (size > PATH_MAX)
        size = PATH_MAX;
    if ((r = at_get(&ap, dirfd, upath, 0)) != 0)
        return r;
    if (!(buf = kmalloc(size)))
        r = -ENOMEM;
    else if ((r = vfs_readlink(ap.at, ap.path, buf, size)) > 0 && copy_to_user(ubuf, buf, (size_t)r))
        r = -EFAULT;
    kfree(buf);
    at_put(&ap);
    return r;
}

long linux_sys_readlink(const uint64_t a[6])   { return readlink_at(AT_FDCWD, a[0], a[1], a[2]); }
long linux_sys_readlinkat(const uint64_t a[6]) { return readlink_at((long)(int)a[0], a[1], a[2], a[3]); }

/* ---- attributes ---- */

static long setattr_at(long dirfd, uint64_t upath, int follow, const struct vfs_attr *attr)
{
    struct at_path ap;
    long r;

    if ((r = at_get(&ap, dirfd, upath, 0)) != 0)
        return r;
    r = vfs_setattr(ap.at, ap.path, follow, attr);
    at_put(&ap);
    return r;
}

/* setattr on an open file: a directory through ".", anything else through its name in its
 * parent (the name it had when looked up: a file renamed or unlinked since is -ENOENT, or
 * another file's name; Linux's setattr works on the inode itself, which the VFS does not offer). */
static long setattr_file(long fd, const struct vfs_attr *attr)
{
    struct file *f = linux_fd_file(fd);
    struct vfs_path parent;
    char name[NAME_MAX + 1];
    long r;

    if (!f)
        return -EBADF;
    if (!f->path.dentry) {
        r = -EINVAL;                    /* a pipe: no name to reach it by */
    } else if (S_ISDIR(f->inode->mode)) {
        r = vfs_setattr(&f->path, ".", 0, attr);
    } else {
        spin_lock(&dcache_lock);
        memcpy(name, f->path.dentry->name, (size_t)f->path.dentry->len + 1);
        spin_unlock(&dcache_lock);
        parent = (struct vfs_path){ f->path.mnt, dget_parent(f->path.dentry) };
        r = vfs_setattr(&parent, name, 0, attr);
        vfs_path_put(&parent);
    }
    file_put(f);
    return r;
}

static long chmod_at(long dirfd, uint64_t upath, uint32_t mode)
{
    struct vfs_attr attr = { .mask = ATTR_MODE | ATTR_CTIME, .mode = mode & 07777, .ctime = vfs_now() };

    return setattr_at(dirfd, upath, 1, &attr);
}

long linux_sys_chmod(const uint64_t a[6])    { return chmod_at(AT_FDCWD, a[0], (uint32_t)a[1]); }

long linux_sys_fchmod(const uint64_t a[6])
{
    struct vfs_attr attr = { .mask = ATTR_MODE | ATTR_CTIME, .mode = (uint32_t)a[1] & 07777, .ctime = vfs_now() };

    return setattr_file((long)(int)a[0], &attr);
}
long linux_sys_fchmodat(const uint64_t a[6]) { return chmod_at((long)(int)a[0], a[1], (uint32_t)a[2]); }

/* chown's change: -1 leaves an id as it is. */
static struct vfs_attr chown_attr(uint32_t uid, uint32_t gid)
{
    struct vfs_attr attr = { .mask = ATTR_CTIME, .uid = uid, .gid = gid, .ctime = vfs_now() };

    attr.mask |= (uid != (uint32_t)-1 ? ATTR_UID : 0) | (gid != (uint32_t)-1 ? ATTR_GID : 0);
    return attr;
}

static long chown_at(long dirfd, uint64_t upath, uint32_t uid, uint32_t gid, uint64_t flags)
{
    struct vfs_attr attr = chown_attr(uid, gid);

    if (flags & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    return setattr_at(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), &attr);
}

long linux_sys_fchown(const uint64_t a[6])
{
    struct vfs_attr attr = chown_attr((uint32_t)a[1], (uint32_t)a[2]);

    return setattr_file((long)(int)a[0], &attr);
}

long linux_sys_chown(const uint64_t a[6])  { return chown_at(AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2], 0); }
long linux_sys_lchown(const uint64_t a[6])
{
    return chown_at(AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2], AT_SYMLINK_NOFOLLOW);
}
long linux_sys_fchownat(const uint64_t a[6])
{
    return chown_at((long)(int)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3], a[4]);
}

/* One of utimensat's two times into attr (UTIME_NOW, UTIME_OMIT, or a time). */
static long one_time(const int64_t ts[2], unsigned bit, struct vfs_time *out, unsigned *mask)
{
    if (ts[1] == UTIME_OMIT)
        return 0;
    if (ts[1] != UTIME_NOW && (ts[1] < 0 || ts[1] >= 1000000000))
        return -EINVAL;
    *out = ts[1] == UTIME_NOW ? vfs_now() : (struct vfs_time){ ts[0], (uint32_t)ts[1] };
    *mask |= bit;
    return 0;
}

long linux_sys_utimensat(const uint64_t a[6])
{
    struct vfs_attr attr = { .mask = ATTR_CTIME, .ctime = vfs_now() };
    int64_t ts[2][2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
    long r;

    if (a[3] & ~(uint64_t)AT_SYMLINK_NOFOLLOW)
        return -EINVAL;
    if (a[2] && copy_from_user(ts, a[2], sizeof ts))
        return -EFAULT;
    if ((r = one_time(ts[0], ATTR_ATIME, &attr.atime, &attr.mask)) != 0 ||
        (r = one_time(ts[1], ATTR_MTIME, &attr.mtime, &attr.mask)) != 0)
        return r;
    if (!a[1])                          /* futimens: the file dirfd names */
        return setattr_file((long)(int)a[0], &attr);
    return setattr_at((long)(int)a[0], a[1], !(a[3] & AT_SYMLINK_NOFOLLOW), &attr);
}

long linux_sys_truncate(const uint64_t a[6])
{
    struct at_path ap;
    long r;

    if ((int64_t)a[1] < 0)
        return -EINVAL;
    if ((r = at_get(&ap, AT_FDCWD, a[0], 0)) != 0)
        return r;
    r = vfs_truncate(ap.at, ap.path, a[1]);
    at_put(&ap);
    return r;
}

/* ---- file systems ---- */

/* Linux x86-64's struct statfs (asm-generic/statfs.h with 64-bit longs): 120 bytes. */
struct linux_statfs {
    int64_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    int64_t namelen, frsize, flags, spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs is Linux's");

static long statfs_out(uint64_t ubuf, const struct vfs_statfs *s, uint64_t dev)
{
    struct linux_statfs l = {
        .type = (int64_t)s->magic, .bsize = (int64_t)s->bsize, .blocks = s->blocks, .bfree = s->bfree,
        .bavail = s->bavail, .files = s->files, .ffree = s->ffree,
        .fsid = { (int32_t)(uint32_t)dev, (int32_t)(uint32_t)(dev >> 32) },
        .namelen = s->namelen, .frsize = (int64_t)s->bsize, .flags = ST_VALID | (s->flags & MS_RDONLY),
    };

    return copy_to_user(ubuf, &l, sizeof l) ? -EFAULT : 0;
}

long linux_sys_statfs(const uint64_t a[6])
{
    struct at_path ap;
    struct vfs_statfs s;
    struct vfs_stat st;
    long r;

    if ((r = at_get(&ap, AT_FDCWD, a[0], 0)) != 0)
        return r;
    if ((r = vfs_statfs(ap.at, ap.path, &s)) == 0)
        r = vfs_stat(ap.at, ap.path, 1, &st);
    at_put(&ap);
    return r ? r : statfs_out(a[1], &s, st.dev);
}

long linux_sys_fstatfs(const uint64_t a[6])
{
    struct file *f = linux_fd_file((long)(int)a[0]);
    struct super_block *sb;
    struct vfs_statfs s = { 0 };
    long r;

    if (!f)
        return -EBADF;
    sb = f->inode->sb;
    r = sb->ops->statfs ? sb->ops->statfs(sb, &s) : -ENOSYS;
    s.flags = sb->flags & MS_RDONLY;
    if (!r)
        r = statfs_out(a[1], &s, sb->dev_id);
    file_put(f);
    return r;
}

/* A string argument of mount into a new buffer (NULL when the pointer is NULL and may be). */
static long string_in(uint64_t u, size_t max, char **out)
{
    long r;

    *out = NULL;
    if (!u)
        return 0;
    if (!(*out = kmalloc(max)))
        return -ENOMEM;
    if ((r = strncpy_from_user(*out, u, max)) < 0) {
        kfree(*out);
        *out = NULL;
        return r;
    }
    return 0;
}

long linux_sys_mount(const uint64_t a[6])
{
    char *source = NULL, *target = NULL, *type = NULL, *data = NULL;
    long r;

    if ((r = string_in(a[0], 64, &source)) == 0 && (r = string_in(a[1], PATH_MAX, &target)) == 0 &&
        (r = string_in(a[2], 32, &type)) == 0 && (r = string_in(a[4], 256, &data)) == 0) {
        r = vfs_mount(source ? source : "none", target, type, a[3] & MS_RDONLY, data);
        kfree(data);
    }
    kfree(source);
    kfree(target);
    kfree(type);
    return r;
}

long linux_sys_umount2(const uint64_t a[6])
{
    char *target;
    long r;

    if ((r = string_in(a[0], PATH_MAX, &target)) != 0)
        return r;
    r = target ? vfs_umount(target) : -EFAULT;
    kfree(target);
    return r;
}

long linux_sys_sync(const uint64_t a[6])
{
    (void)a;
    vfs_sync();
    return 0;
}
