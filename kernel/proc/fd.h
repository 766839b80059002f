/*
 * fd.h - a process's file descriptors (fd.c): small integers naming an
 * open file (struct file of the VFS: a disk or memory file, a directory,
 * a device of devfs such as a terminal, a pipe end), and the process's
 * place in the file tree (struct proc_fs: cwd and umask).
 *
 * A table is shared by the processes and threads made with CLONE_FILES
 * and copied by fork (fd_table_clone): every slot holds a reference of its
 * file, so one file (and its offset) is shared by a parent and child as
 * POSIX says (XSH 2.14, "File Descriptor Allocation"). The descriptor's
 * own flag, FD_CLOEXEC, lives in the slot: dup's copies do not share it.
 *
 * Locking: t->lock (a spinlock) guards the slots; a caller that uses a
 * file takes its own reference with fd_file (file_get under the lock), so
 * a close by another thread of the table never frees a file in use.
 * file_put (which may sleep) is never called under the lock.
 */
#pragma once

#include <stdint.h>

#include "fs/vfs.h"
#include "sync/spinlock.h"

struct tty;

#define FD_MAX      1024        /* Linux's default RLIMIT_NOFILE soft limit */
#define FD_CLOEXEC  1           /* fcntl F_GETFD / F_SETFD (Linux's) */

/* fd_install's argument (proc.c's open_std_files gives a terminal: its devfs file,
 * /dev/NAME, is installed instead; the table itself holds only files). */
struct fd_entry {
    struct file *file;          /* a reference, moved in */
    struct tty *tty;            /* or a terminal to open */
};

struct fd_table {
    unsigned refs;              /* atomic: processes sharing it (CLONE_FILES) */
    struct spinlock lock;       /* guards the arrays and top */
    int top;                    /* no descriptor at or above it was ever open: loops stop there */
    struct file *file[FD_MAX];  /* a reference each, or NULL: free */
    uint64_t cloexec[FD_MAX / 64];  /* FD_CLOEXEC of each descriptor, a bit each (Linux's close_on_exec) */
};

/* The absolute name of p (NULL: the root) into buf[size], as getcwd and /proc/N/fd give it: its
 * length, -ERANGE when it does not fit, -ENOENT for a name no longer in the tree. */
long fd_path_name(const struct vfs_path *p, char *buf, size_t size);

/* A dev_t's (st_dev, st_rdev) major and minor numbers, split as glibc and musl split it
 * (/proc/N/maps, statx). */
static inline uint32_t fd_dev_major(uint64_t dev)
{
    return (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull));
}

static inline uint32_t fd_dev_minor(uint64_t dev)
{
    return (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffull));
}

/* A new, empty table with one reference; NULL when memory is out. */
struct fd_table *fd_table_create(void);
/* fork: a new table holding the same files (each one more reference), flags kept. */
struct fd_table *fd_table_clone(struct fd_table *src);
/* One more reference (CLONE_FILES); returns t. */
struct fd_table *fd_table_get(struct fd_table *t);
/* Drop a reference: the last closes every descriptor and frees the table. */
void fd_table_put(struct fd_table *t);

/* The lowest free descriptor given e.file (its reference moves in), or e.tty's devfs file;
 * -EMFILE when full. */
int fd_install(struct fd_table *t, struct fd_entry e);
/* The same for a file and FD_CLOEXEC-or-0: the lowest free descriptor >= min. */
int fd_install_from(struct fd_table *t, struct file *f, unsigned flags, int min);
/* The file of fd with a reference for the caller (file_put it), or NULL: not open. */
struct file *fd_file(struct fd_table *t, long fd);
/* Put f (a reference of the caller's, moved in) at newfd, closing what was there: dup2/dup3. */
int fd_replace(struct fd_table *t, long newfd, struct file *f, unsigned flags);
/* The slot's flags (FD_CLOEXEC), or -EBADF. */
int fd_get_flags(struct fd_table *t, long fd);
int fd_set_flags(struct fd_table *t, long fd, unsigned flags);
int fd_close(struct fd_table *t, long fd);
void fd_close_all(struct fd_table *t);
/* execve: close every descriptor marked FD_CLOEXEC. */
void fd_close_on_exec(struct fd_table *t);

/*
 * A process's place in the tree: where relative paths start, and the
 * bits taken away from the mode of what it creates. Copied by fork, kept
 * by execve. Its own thread reads and changes it (one thread per process
 * that shares it: CLONE_FS is not offered).
 */
struct proc_fs {
    struct vfs_path cwd;        /* referenced; NULL mnt/dentry: the root */
    uint32_t umask;
};

/* cwd at the root, umask 022 (Linux's for init). */
void proc_fs_init(struct proc_fs *fs);
void proc_fs_copy(struct proc_fs *dst, const struct proc_fs *src);
void proc_fs_release(struct proc_fs *fs);
/* The calling process's (until struct proc has its `fs`: fd_stub.c keeps one per process). */
struct proc_fs *proc_fs_current(void);
/* Where the calling process's relative paths start: its cwd, or NULL (the root; a kernel thread). */
const struct vfs_path *proc_cwd(void);
