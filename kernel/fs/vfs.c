/*
 * vfs.c - the VFS's start and its small shared services: the list of file
 * system types, the wall clock of timestamps, DT_* types, and sync of
 * everything (docs/files.md).
 *
 * vfs_init runs in kmain's "vfs" phase, after storage (block devices exist)
 * and before the tests: it sets up the page cache (its flusher starts with the
 * first dirty page of a disk file), registers
 * tmpfs and mounts one at "/" so the kernel has a tree at once; a root
 * file system chosen with root= is mounted over it later (kernel/fs/root.c).
 */
#include <string.h>

#include "fs/vfs_impl.h"
#include "printk.h"
#include "timer/clock.h"
#include "timer/rtc.h"

static struct fs_type *fs_types;       /* guarded by mount_lock */

void vfs_init(void)
{
    int err;

    pagecache_init();
    tmpfs_register();
    err = vfs_mount("tmpfs", "/", "tmpfs", 0, NULL);
    if (err)
        printk(LOG_ERR, "[vfs] no root: tmpfs mount failed (%d)\n", err);
    else
        printk(LOG_INFO, "[vfs] / is a tmpfs; the page cache keeps up to %llu pages of disk files\n",
               (unsigned long long)pagecache_limit());
}

int vfs_register_fs(struct fs_type *type)
{
    mutex_lock(&mount_lock);
    for (struct fs_type *t = fs_types; t; t = t->next)
        if (t == type || strcmp(t->name, type->name) == 0) {
            mutex_unlock(&mount_lock);
            return -EEXIST;
        }
    type->next = fs_types;
    fs_types = type;
    mutex_unlock(&mount_lock);
    return 0;
}

/* The type called name, or NULL. Caller holds mount_lock. */
struct fs_type *vfs_find_fs(const char *name)
{
    for (struct fs_type *t = fs_types; t; t = t->next)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

struct vfs_time vfs_now(void)
{
    uint64_t at_ns, now = clock_ns(), since;
    uint64_t boot = rtc_boot_unix(&at_ns);
    struct vfs_time t;

    since = now > at_ns ? now - at_ns : 0;
    t.sec = (int64_t)boot + (int64_t)(since / 1000000000ULL);
    t.nsec = (uint32_t)(since % 1000000000ULL);
    return t;
}

unsigned vfs_dtype(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:  return DT_REG;
    case S_IFDIR:  return DT_DIR;
    case S_IFLNK:  return DT_LNK;
    case S_IFCHR:  return DT_CHR;
    case S_IFBLK:  return DT_BLK;
    case S_IFIFO:  return DT_FIFO;
    case S_IFSOCK: return DT_SOCK;
    default:       return DT_UNKNOWN;
    }
}

int vfs_sync(void)
{
    int err = 0;

    mutex_lock(&mount_lock);
    for (struct mount *m = vfs_mounts(); m; m = m->next) {
        int e = vfs_writeback_sb(m->sb);
        if (!e && !(m->sb->flags & MS_RDONLY) && m->sb->ops->sync_fs)
            e = m->sb->ops->sync_fs(m->sb);
        if (e && !err)
            err = e;
    }
    mutex_unlock(&mount_lock);
    return err;
}
