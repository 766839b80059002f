/*
 * vfs.h - the virtual file system: inodes, the dentry cache, mounts, path
 * walk, open files, and the kernel's file API (the .c files of kernel/fs/; docs/files.md).
 *
 * Every file system (tmpfs, devfs, procfs, fat, ext2) fills the same three
 * tables: super_ops (its volume), inode_ops (names in a directory), file_ops
 * (bytes of an open file). The VFS walks paths, keeps inodes and names
 * cached, checks permissions, and calls those tables. File data of a file
 * system on a disk goes through the page cache (pagecache.h): the file
 * system only says where a block of a file is on the disk (aops->get_block).
 *
 * Numbers and flags are Linux's (O_*, S_*, DT_*, errno), so the system calls
 * of issue 16 pass them through unchanged.
 *
 * Rules:
 *   - every function returns 0 or a count >= 0, or a negative errno;
 *   - threads only: every call may sleep (disk reads, mutexes);
 *   - an inode's `lock` (a mutex) is held by the VFS around every call that
 *     changes the inode or, for a directory, its names: create, mkdir,
 *     unlink, rmdir, link, symlink, rename (both directories, lower address
 *     first), setattr, write. A file system's own volume state (bitmaps,
 *     FAT, free counts) is guarded by its own lock inside it;
 *   - references: iget/ipin/iput for inodes, dget/dput for dentries,
 *     file_get/file_put for open files; a function that returns one gives
 *     the caller a reference.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sync/mutex.h"
#include "sync/spinlock.h"

struct block_device;
struct super_block;
struct inode;
struct dentry;
struct file;
struct mount;

#define PATH_MAX        4096        /* bytes of a path, its NUL included */
#define NAME_MAX        255         /* bytes of one name */
#define SYMLOOP_MAX     40          /* symbolic links followed in one walk */

/* File types and mode bits (Linux's, octal). */
#define S_IFMT      0170000
#define S_IFSOCK    0140000
#define S_IFLNK     0120000
#define S_IFREG     0100000
#define S_IFBLK     0060000
#define S_IFDIR     0040000
#define S_IFCHR     0020000
#define S_IFIFO     0010000
#define S_ISUID     04000
#define S_ISGID     02000
#define S_ISVTX     01000
#define S_ISREG(m)  (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m)  (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)  (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m) & S_IFMT) == S_IFBLK)

/* open flags (Linux x86-64, octal). */
#define O_ACCMODE   03
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC   02000000

/* readdir types (Linux's DT_*). */
#define DT_UNKNOWN  0
#define DT_FIFO     1
#define DT_CHR      2
#define DT_DIR      4
#define DT_BLK      6
#define DT_REG      8
#define DT_LNK      10
#define DT_SOCK     12

#define SEEK_SET    0
#define SEEK_CUR    1
#define SEEK_END    2

/* rename flags (Linux's renameat2). */
#define RENAME_NOREPLACE    1

/* mount flags (Linux's MS_*). */
#define MS_RDONLY   1

/* Device numbers as Linux's dev_t: major and minor. */
#define VFS_DEV(major, minor)   (((uint64_t)(major) << 8) | (minor))
#define VFS_MAJOR(dev)          ((unsigned)((dev) >> 8))
#define VFS_MINOR(dev)          ((unsigned)((dev) & 0xFF))

struct vfs_time {
    int64_t sec;                    /* since 1970-01-01 00:00 UTC */
    uint32_t nsec;
};

/* What stat reports (the system call converts it to Linux's struct stat). */
struct vfs_stat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev;
    uint64_t size;
    uint32_t blksize;
    uint64_t blocks;                /* 512-byte units allocated */
    struct vfs_time atime, mtime, ctime;
};

/* What statfs reports. */
struct vfs_statfs {
    uint64_t magic;                 /* Linux's: EXT2 0xEF53, MSDOS 0x4d44, TMPFS 0x01021994, PROC 0x9fa0 */
    uint64_t bsize, blocks, bfree, bavail, files, ffree;
    uint32_t namelen;
    uint32_t flags;                 /* MS_RDONLY */
};

/* setattr: what to change (the mask says which fields count). */
#define ATTR_MODE   1u
#define ATTR_UID    2u
#define ATTR_GID    4u
#define ATTR_SIZE   8u
#define ATTR_ATIME  16u
#define ATTR_MTIME  32u
#define ATTR_CTIME  64u
struct vfs_attr {
    unsigned mask;
    uint32_t mode, uid, gid;
    uint64_t size;
    struct vfs_time atime, mtime, ctime;
};

/* The caller's identity; root until processes exist (vfs_current_cred). */
struct vfs_cred {
    uint32_t uid, gid;
};

/* ---- a file system's side ---- */

struct super_ops {
    /* Fill inode->ino's fields (mode, size, nlink, times, iops, fops, aops, priv)
     * from the disk: the VFS calls it once per inode it brings into memory. */
    int (*read_inode)(struct inode *inode);
    /* Write the inode's fields back (called at sync, fsync, and when dirty and dropped). */
    int (*write_inode)(struct inode *inode);
    /* The last reference went and nlink is 0: free its blocks and the inode itself. */
    void (*evict_inode)(struct inode *inode);
    int (*statfs)(struct super_block *sb, struct vfs_statfs *out);
    /* Write the volume's own metadata (superblock, group descriptors, FSInfo, bitmaps) and
     * flush the disk. Data pages and inodes were written before it is called. */
    int (*sync_fs)(struct super_block *sb);
    /* Unmount: everything was synced; free the volume's memory. */
    void (*put_super)(struct super_block *sb);
};

/* Called by readdir for each entry; a non-zero return stops it (the entry is not consumed). */
typedef int vfs_filldir_fn(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type);

struct inode_ops {
    /* Find name in dir: 0 and *ino, or -ENOENT. */
    int (*lookup)(struct inode *dir, const char *name, size_t len, uint64_t *ino);
    /* New regular file / directory / special file in dir: 0 and *out (referenced). */
    int (*create)(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);
    int (*mkdir)(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);
    int (*mknod)(struct inode *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
                 struct inode **out);
    int (*symlink)(struct inode *dir, const char *name, size_t len, const char *target,
                   struct inode **out);
    /* A new name for inode in dir (nlink + 1). */
    int (*link)(struct inode *dir, const char *name, size_t len, struct inode *inode);
    /* Remove a non-directory's name (nlink - 1); the VFS evicts at the last iput. */
    int (*unlink)(struct inode *dir, const char *name, size_t len, struct inode *inode);
    /* Remove an empty directory's name; the VFS checked it is empty with readdir. */
    int (*rmdir)(struct inode *dir, const char *name, size_t len, struct inode *inode);
    /* Move old_dir/old_name to new_dir/new_name; an existing target (victim, or NULL)
     * is replaced as POSIX says (the VFS checked the types match and a directory is empty). */
    int (*rename)(struct inode *old_dir, const char *old_name, size_t old_len,
                  struct inode *new_dir, const char *new_name, size_t new_len,
                  struct inode *inode, struct inode *victim);
    /* A symbolic link's target into buf (no NUL): its length, or -errno. */
    int (*readlink)(struct inode *inode, char *buf, size_t size);
    /* Change what attr->mask says; ATTR_SIZE frees or zero-extends (the page cache
     * was truncated before). NULL: the VFS just copies the fields and marks dirty. */
    int (*setattr)(struct inode *inode, const struct vfs_attr *attr);
};

struct file_ops {
    int (*open)(struct inode *inode, struct file *f);               /* NULL: nothing to do */
    void (*release)(struct file *f);
    /* NULL read/write on a regular file: pagecache_read/pagecache_write. */
    long (*read)(struct file *f, void *buf, size_t len, uint64_t *pos);
    long (*write)(struct file *f, const void *buf, size_t len, uint64_t *pos);
    /* Directories: call fill for entries from f->pos on, advancing f->pos (a cookie
     * of the file system's choosing; 0 is the start). "." and ".." included. */
    int (*readdir)(struct file *f, vfs_filldir_fn *fill, void *ctx);
    int (*fsync)(struct file *f);                                   /* NULL: vfs_fsync_inode */
    long (*ioctl)(struct file *f, unsigned long cmd, unsigned long arg);
    /* The hook mmap will use (issue 16): NULL means -ENODEV. */
    int (*mmap)(struct file *f, void *vma);
    /* Readiness now, as POLLIN/POLLOUT/POLLHUP/POLLERR bits (ipc/pollwait.h); a change
     * later is announced with pollwait_notify. NULL: always readable and writable (POSIX
     * poll() on regular files). */
    unsigned (*poll)(struct file *f);
};

/* Where the blocks of a file are (disk file systems; tmpfs has none). */
struct address_ops {
    /* Block `iblock` of the file (in sb->block_size units) is disk block *pblock (of sb->dev,
     * in sb->block_size units). A hole: 0 and *pblock = 0, unless create, which allocates
     * (zeroed on the disk or known to be written whole by the caller): -ENOSPC when full.
     * *contig (may be NULL) gets how many blocks from iblock on follow *pblock on the disk. */
    int (*get_block)(struct inode *inode, uint64_t iblock, uint64_t *pblock, uint32_t *contig,
                     int create);
};

struct fs_type {
    const char *name;               /* "tmpfs", "devfs", "proc", "vfat", "ext2" */
    int needs_device;               /* mount needs a block device as source */
    int uncached_names;             /* names come and go on their own (/proc/N): never kept in the
                                     * dentry cache, each walk asks lookup again */
    /* Read the volume on dev (NULL for tmpfs/devfs/proc): 0 and *out set up (ops, block size,
     * root_ino, priv), or -EINVAL with a line in the log naming what is wrong. */
    int (*mount)(struct block_device *dev, unsigned long flags, const char *options,
                 struct super_block **out);
    struct fs_type *next;
};

/* ---- what the VFS keeps ---- */

#include "fs/pagecache.h"

struct super_block {
    const struct fs_type *type;
    const struct super_ops *ops;
    struct block_device *dev;       /* NULL for memory file systems */
    uint32_t block_size;            /* the file system's block, a power of two >= 512 */
    uint64_t root_ino;
    unsigned long flags;            /* MS_RDONLY */
    uint64_t dev_id;                /* what stat reports as st_dev */
    void *priv;                     /* the file system's */
    /* private: the VFS's */
    struct spinlock icache_lock;    /* the inode table below, refs of its inodes */
    struct inode **icache;          /* hash by ino */
    unsigned icache_size, inodes;
    struct mount *mount;
};

struct inode {
    uint64_t ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t size;
    uint64_t blocks;                /* 512-byte units allocated */
    uint64_t rdev;                  /* character and block devices */
    struct vfs_time atime, mtime, ctime;
    struct super_block *sb;
    const struct inode_ops *iops;
    const struct file_ops *fops;
    const struct address_ops *aops; /* NULL: pages live only in memory (tmpfs) */
    struct page_cache cache;        /* this file's pages (pagecache.h) */
    struct mutex lock;              /* see the rules at the top */
    void *priv;                     /* the file system's */
    /* private: the VFS's, guarded by sb->icache_lock */
    unsigned refs;
    int dirty;                      /* fields changed since write_inode: vfs_mark_dirty */
    unsigned state;                 /* I_NEW while read_inode runs, I_BAD when it failed (inode.c) */
    struct inode *hash_next;
};

struct dentry {
    struct dentry *parent;          /* itself at a file system's root */
    struct inode *inode;            /* NULL: a negative entry (the name is known not to exist) */
    struct mount *mounted;          /* a file system mounted here, or NULL */
    uint32_t hash;
    uint16_t len;
    char *name;                     /* len bytes, NUL-terminated */
    /* private: the dentry cache's */
    unsigned refs;
    unsigned flags;                 /* DCACHE_UNHASHED: out of the hash (unlinked while open) */
    struct dentry *hash_next, *child_next, *children;
    struct dentry *lru_prev, *lru_next;
};

struct mount {
    struct super_block *sb;
    struct dentry *root;            /* the file system's root */
    struct dentry *mountpoint;      /* where it sits in its parent; the root mount: its own root */
    struct mount *parent;
    char path[64];                  /* for /proc/mounts and the log */
    char source[32];                /* "sda2", "tmpfs", ... */
    struct mount *next;
};

/* A place in the tree: where relative paths start (a process's cwd later). */
struct vfs_path {
    struct mount *mnt;
    struct dentry *dentry;
};

struct file {
    struct inode *inode;
    struct vfs_path path;
    const struct file_ops *ops;
    unsigned flags;                 /* O_* given to open, O_CREAT/O_EXCL/O_TRUNC removed */
    uint64_t pos;
    struct mutex pos_lock;          /* read, write and lseek of one file are one at a time */
    void *priv;
    unsigned refs;
};

/* ---- the VFS's API for the rest of the kernel (and later the system calls) ---- */

/* Set up the dentry cache and mount a tmpfs as / (replaced by vfs_mount_root). */
void vfs_init(void);
int vfs_register_fs(struct fs_type *type);
const struct vfs_cred *vfs_current_cred(void);
/* Where vfs_current_cred asks first (the calling process's ids; NULL: none, root's are used). */
void vfs_set_cred_source(const struct vfs_cred *(*source)(void));

/* Mount source (a block device name such as "sda2", or "none") of fstype on the directory
 * target. A read-only device or a file system that finds problems mounts read-only, saying so. */
int vfs_mount(const char *source, const char *target, const char *fstype, unsigned long flags,
              const char *options);
int vfs_umount(const char *target);
/* Every mount, in order (/proc/mounts, the monitor). */
struct mount *vfs_mounts(void);

/* Paths: relative paths start at `at` (NULL: the root). */
int vfs_open(const struct vfs_path *at, const char *path, unsigned flags, uint32_t mode,
             struct file **out);
void file_get(struct file *f);
void file_put(struct file *f);      /* the last put releases it (vfs_close) */
long vfs_read(struct file *f, void *buf, size_t len);
long vfs_write(struct file *f, const void *buf, size_t len);
long vfs_pread(struct file *f, void *buf, size_t len, uint64_t pos);
long vfs_pwrite(struct file *f, const void *buf, size_t len, uint64_t pos);
/* 1 when f's reads come from the page cache (a regular file without a read of its own): then
 * vfs_read_to and vfs_pread_to hand its bytes to a sink (pagecache.h) instead of a buffer,
 * straight into a user's memory, say; -EINVAL for any other file. */
int vfs_file_cached(const struct file *f);
long vfs_read_to(struct file *f, const struct pagecache_sink *sink, size_t len);
long vfs_pread_to(struct file *f, const struct pagecache_sink *sink, size_t len, uint64_t pos);
int64_t vfs_lseek(struct file *f, int64_t off, int whence);
int vfs_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx);
int vfs_fstat(struct file *f, struct vfs_stat *st);
int vfs_ftruncate(struct file *f, uint64_t size);
int vfs_fsync(struct file *f);

int vfs_stat(const struct vfs_path *at, const char *path, int follow, struct vfs_stat *st);
int vfs_truncate(const struct vfs_path *at, const char *path, uint64_t size);
int vfs_mkdir(const struct vfs_path *at, const char *path, uint32_t mode);
int vfs_rmdir(const struct vfs_path *at, const char *path);
int vfs_unlink(const struct vfs_path *at, const char *path);
int vfs_link(const struct vfs_path *at, const char *old, const char *new_path);
int vfs_symlink(const char *target, const struct vfs_path *at, const char *link_path);
int vfs_readlink(const struct vfs_path *at, const char *path, char *buf, size_t size);
int vfs_rename(const struct vfs_path *at, const char *old, const char *new_path, unsigned flags);
int vfs_mknod(const struct vfs_path *at, const char *path, uint32_t mode, uint64_t rdev);
int vfs_setattr(const struct vfs_path *at, const char *path, int follow, const struct vfs_attr *attr);
int vfs_statfs(const struct vfs_path *at, const char *path, struct vfs_statfs *out);
/* Write back every dirty page, inode and volume: 0 or the first error. */
int vfs_sync(void);

/* Whole files, for the kernel's own use (modules, /boot/boot.cfg, tests). */
long vfs_read_file(const char *path, void *buf, size_t size);
long vfs_write_file(const char *path, const void *buf, size_t len);   /* create or truncate */

/* ---- for file systems ---- */

/* The inode ino of sb, read with sb->ops->read_inode when not in memory. */
int iget(struct super_block *sb, uint64_t ino, struct inode **out);
/* A new in-memory inode for a file the file system just made (fields filled by the caller,
 * then vfs_inode_hash makes it findable). */
struct inode *vfs_new_inode(struct super_block *sb, uint64_t ino);
void vfs_inode_hash(struct inode *inode);
void ipin(struct inode *inode);
void iput(struct inode *inode);
void vfs_mark_dirty(struct inode *inode);
/* Write inode's dirty pages and, when dirty, the inode: what fsync does by default. */
int vfs_fsync_inode(struct inode *inode);
/* The current wall-clock time (the RTC at boot plus the time since). */
struct vfs_time vfs_now(void);
/* A super_block with the VFS's parts set up; the file system fills the rest. */
struct super_block *vfs_new_super(const struct fs_type *type, struct block_device *dev);
/* Map an inode's type to a DT_* value. */
unsigned vfs_dtype(uint32_t mode);
