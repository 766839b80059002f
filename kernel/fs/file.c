/*
 * file.c - open files: vfs_open and what is done through a struct file
 * (read, write, lseek, readdir, fstat, ftruncate, fsync, close).
 *
 * A file holds its path (so the dentry, and the name's inode, stay while it
 * is open: an unlinked file is read and written until the last close) and
 * an inode reference of its own. Regular files without read/write of their
 * own go through the page cache; O_APPEND writes at the size read under the
 * inode's lock, so appends of several writers never overlap.
 *
 * Locking: f->pos_lock makes read, write, lseek and readdir of one file one
 * at a time (POSIX: the offset update is atomic); the inode's lock is held
 * around write, truncate and readdir (readdir's fill must not call back into
 * the VFS on the same directory).
 */
#include <string.h>

#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "mutant.h"

#define MAX_FILE_SIZE   (1ULL << 43)    /* 8 TiB: beyond, EFBIG (a sanity bound, not a format's) */

void file_get(struct file *f)
{
    __atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
    if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL))
        return;
    if (f->ops && f->ops->release)
        f->ops->release(f);
    iput(f->inode);
    vfs_path_put(&f->path);
    kfree(f);
}

/* Whether inode may be opened with flags; `created`: just made by this open, so its mode
 * bits do not count (POSIX open: O_CREAT). */
static int may_open(struct inode *inode, unsigned flags, int created)
{
    unsigned acc = flags & O_ACCMODE;
    int mask = (acc == O_RDONLY ? MAY_READ : acc == O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE);

    if (acc == 3)
        return -EINVAL;
    if (S_ISLNK(inode->mode))
        return -ELOOP;                  /* O_NOFOLLOW on a link */
    if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
        return -ENOTDIR;
    if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
        return -EISDIR;
    if ((mask & MAY_WRITE || (flags & O_TRUNC)) && (inode->sb->flags & MS_RDONLY) &&
        (S_ISREG(inode->mode) || S_ISDIR(inode->mode)))
        return -EROFS;
    return created ? 0 : vfs_permission(inode, mask);
}

int vfs_truncate_locked(struct inode *inode, uint64_t size)
{
    struct vfs_attr a = { .mask = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME, .size = size };
    int err;

    if (size > MAX_FILE_SIZE)
        return -EFBIG;
    a.mtime = a.ctime = vfs_now();
    err = pagecache_truncate(inode, size);
    if (err)
        return err;
    if (inode->iops && inode->iops->setattr) {
        err = inode->iops->setattr(inode, &a);
        if (err)
            return err;
    } else {
        inode->size = size;
        inode->mtime = inode->ctime = a.mtime;
    }
    vfs_mark_dirty(inode);
    return 0;
}

int vfs_open_path(const struct vfs_path *p, unsigned flags, int created, struct file **out)
{
    struct inode *inode = p->dentry->inode;
    struct file *f;
    int err = may_open(inode, flags, created);

    if (err)
        return err;
    if ((flags & O_TRUNC) && S_ISREG(inode->mode) && (flags & O_ACCMODE) != O_RDONLY) {
        mutex_lock(&inode->lock);
        err = inode->size ? vfs_truncate_locked(inode, 0) : 0;
        mutex_unlock(&inode->lock);
        if (err)
            return err;
    }
    f = kcalloc(1, sizeof(*f));
    if (!f)
        return -ENOMEM;
    ipin(inode);
    f->inode = inode;
    vfs_path_get(&f->path, p);
    f->ops = inode->fops;
    f->flags = flags & ~(unsigned)(O_CREAT | O_EXCL | O_TRUNC);
    mutex_init(&f->pos_lock, "file pos");
    f->refs = 1;
    if (f->ops && f->ops->open && (err = f->ops->open(inode, f)) != 0) {
        f->ops = NULL;                  /* no release for an open that failed */
        file_put(f);
        return err;
    }
    *out = f;
    return 0;
}

static int can_read(struct file *f)
{
    return (f->flags & O_ACCMODE) != O_WRONLY;
}

static int can_write(struct file *f)
{
    return (f->flags & O_ACCMODE) != O_RDONLY;
}

int vfs_file_cached(const struct file *f)
{
    return !(f->ops && f->ops->read) && S_ISREG(f->inode->mode);
}

/* A read's count, the position moved past what it gave. */
static long advance(uint64_t *pos, long n)
{
    if (n > 0)
        *pos += (uint64_t)n;
    return n;
}

static long read_at(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    struct inode *inode = f->inode;

    if (!can_read(f))
        return -EBADF;
    if (f->ops && f->ops->read)
        return f->ops->read(f, buf, len, pos);
    if (S_ISDIR(inode->mode))
        return -EISDIR;
    if (!S_ISREG(inode->mode))
        return -EINVAL;
    return advance(pos, pagecache_read(inode, buf, len, *pos));
}

/* read_at into a sink, for a file whose reads come from the page cache. */
static long read_to_at(struct file *f, const struct pagecache_sink *sink, size_t len, uint64_t *pos)
{
    if (!can_read(f))
        return -EBADF;
    if (!vfs_file_cached(f))
        return -EINVAL;
    return advance(pos, pagecache_read_to(f->inode, sink, len, *pos));
}

/* Write through the page cache; caller holds the inode's lock. */
static long write_regular(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    struct inode *inode = f->inode;
    long n;

    if (inode->sb->flags & MS_RDONLY)
        return -EROFS;
    if ((f->flags & O_APPEND) && !MUTANT_ENABLED(o_append))
        *pos = inode->size;
    if (*pos >= MAX_FILE_SIZE || len > MAX_FILE_SIZE - *pos)
        return -EFBIG;
    n = pagecache_write(inode, buf, len, *pos);
    if (n > 0) {
        *pos += (uint64_t)n;
        inode->mtime = inode->ctime = vfs_now();
        vfs_mark_dirty(inode);
    }
    return n;
}

static long write_at(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    struct inode *inode = f->inode;
    long n;

    if (!can_write(f))
        return -EBADF;
    if (f->ops && f->ops->write)
        return f->ops->write(f, buf, len, pos);
    if (S_ISDIR(inode->mode))
        return -EISDIR;
    if (!S_ISREG(inode->mode))
        return -EINVAL;
    if (len == 0)
        return 0;
    mutex_lock(&inode->lock);
    n = write_regular(f, buf, len, pos);
    mutex_unlock(&inode->lock);
    return n;
}

long vfs_read(struct file *f, void *buf, size_t len)
{
    long n;

    mutex_lock(&f->pos_lock);
    n = read_at(f, buf, len, &f->pos);
    mutex_unlock(&f->pos_lock);
    return n;
}

long vfs_write(struct file *f, const void *buf, size_t len)
{
    long n;

    mutex_lock(&f->pos_lock);
    n = write_at(f, buf, len, &f->pos);
    mutex_unlock(&f->pos_lock);
    return n;
}

long vfs_pread(struct file *f, void *buf, size_t len, uint64_t pos)
{
    return read_at(f, buf, len, &pos);
}

long vfs_read_to(struct file *f, const struct pagecache_sink *sink, size_t len)
{
    long n;

    mutex_lock(&f->pos_lock);
    n = read_to_at(f, sink, len, &f->pos);
    mutex_unlock(&f->pos_lock);
    return n;
}

long vfs_pread_to(struct file *f, const struct pagecache_sink *sink, size_t len, uint64_t pos)
{
    return read_to_at(f, sink, len, &pos);
}

long vfs_pwrite(struct file *f, const void *buf, size_t len, uint64_t pos)
{
    return write_at(f, buf, len, &pos);
}

int64_t vfs_lseek(struct file *f, int64_t off, int whence)
{
    int64_t base, result;

    mutex_lock(&f->pos_lock);
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->pos; break;
    case SEEK_END: base = (int64_t)f->inode->size; break;
    default:
        mutex_unlock(&f->pos_lock);
        return -EINVAL;
    }
    result = base + off;
    if (result < 0 || (off > 0 && result < base)) {
        result = -EINVAL;
    } else {
        f->pos = (uint64_t)result;
    }
    mutex_unlock(&f->pos_lock);
    return result;
}

int vfs_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    struct inode *inode = f->inode;
    int err;

    if (!S_ISDIR(inode->mode))
        return -ENOTDIR;
    if (!f->ops || !f->ops->readdir)
        return -EINVAL;
    mutex_lock(&f->pos_lock);
    mutex_lock(&inode->lock);
    err = f->ops->readdir(f, fill, ctx);
    mutex_unlock(&inode->lock);
    mutex_unlock(&f->pos_lock);
    return err;
}

void vfs_fill_stat(struct inode *inode, struct vfs_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->dev = inode->sb->dev_id;
    st->ino = inode->ino;
    st->mode = inode->mode;
    st->nlink = inode->nlink;
    st->uid = inode->uid;
    st->gid = inode->gid;
    st->rdev = inode->rdev;
    st->size = inode->size;
    st->blksize = inode->sb->block_size > PAGE_CACHE_SIZE ? inode->sb->block_size : PAGE_CACHE_SIZE;
    st->blocks = inode->blocks;
    st->atime = inode->atime;
    st->mtime = inode->mtime;
    st->ctime = inode->ctime;
}

int vfs_fstat(struct file *f, struct vfs_stat *st)
{
    vfs_fill_stat(f->inode, st);
    return 0;
}

int vfs_ftruncate(struct file *f, uint64_t size)
{
    struct inode *inode = f->inode;
    int err;

    if (!can_write(f))
        return -EBADF;                  /* Linux: EINVAL for a file not open for writing */
    if (!S_ISREG(inode->mode))
        return S_ISDIR(inode->mode) ? -EISDIR : -EINVAL;
    if (inode->sb->flags & MS_RDONLY)
        return -EROFS;
    mutex_lock(&inode->lock);
    err = vfs_truncate_locked(inode, size);
    mutex_unlock(&inode->lock);
    return err;
}

/* The file's pages and inode, then the volume's metadata and the disk's cache (sync_fs):
 * after a 0 the file survives a crash. */
int vfs_fsync(struct file *f)
{
    struct super_block *sb = f->inode->sb;
    int err;

    if (f->ops && f->ops->fsync)
        return f->ops->fsync(f);
    err = vfs_fsync_inode(f->inode);
    if (!err && !(sb->flags & MS_RDONLY) && sb->ops->sync_fs)
        err = sb->ops->sync_fs(sb);
    return err;
}
