/*
 * mount.c - the mount table: which file system sits on which directory.
 *
 * A mount joins a file system's root dentry to a directory of another (its
 * mountpoint, whose `mounted` then points to the mount); the path walk
 * crosses from one to the other (namei.c). The first mount is the root; a
 * later mount on "/" sits over it and becomes what "/" means.
 *
 * Mounting reads the volume (fs_type->mount) and its root inode. Unmounting
 * refuses (EBUSY) while anything below the mount is in use: an open file, a
 * walk in progress, a mount on one of its directories; the check and the
 * detach from the mountpoint happen under dcache_lock at once, so no walk
 * enters after a check that passed. Then every dirty page and inode is
 * written, the cached names and inodes dropped, the volume synced
 * (sync_fs) and freed (put_super).
 *
 * Locking: mount_lock (a mutex) guards the list and serialises mount,
 * umount and sync; a mountpoint's `mounted` changes under dcache_lock too,
 * where the walk reads it.
 */
#include <string.h>

#include "block/blockdev.h"
#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "printk.h"

struct mutex mount_lock = MUTEX_INIT("mount");
static struct mount *mounts;            /* in mount order */
static struct mount *root_mnt;          /* the first */

struct mount *vfs_mounts(void)
{
    return mounts;
}

void vfs_root(struct vfs_path *out)
{
    out->mnt = root_mnt;
    out->dentry = dget(root_mnt->root);
    path_cross_down(out);
}

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = src ? strnlen(src, size - 1) : 0;

    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

/* Read sb's root directory into a root dentry. */
static int root_dentry(struct super_block *sb, struct dentry **out)
{
    struct inode *inode;
    int err = iget(sb, sb->root_ino, &inode);

    if (err)
        return err;
    if (!S_ISDIR(inode->mode)) {
        printk(LOG_WARN, "[vfs] %s: the root inode %llu is no directory\n", sb->type->name,
               (unsigned long long)sb->root_ino);
        iput(inode);
        return -EINVAL;
    }
    *out = d_alloc_root(inode);
    if (!*out) {
        iput(inode);
        return -ENOMEM;
    }
    return 0;
}

/* The volume of type on dev (NULL for memory file systems), with its root dentry. */
static int read_volume(struct fs_type *type, struct block_device *dev, unsigned long flags,
                       const char *options, struct super_block **sbp, struct dentry **root)
{
    struct super_block *sb = NULL;
    int err = type->mount(dev, flags, options, &sb);

    if (err)
        return err;
    if ((dev && dev->read_only) || (flags & MS_RDONLY))
        sb->flags |= MS_RDONLY;
    err = root_dentry(sb, root);
    if (err) {
        if (sb->ops->put_super)
            sb->ops->put_super(sb);
        vfs_free_super(sb);
        return err;
    }
    *sbp = sb;
    return 0;
}

static int device_of(struct fs_type *type, const char *source, struct block_device **dev)
{
    *dev = NULL;
    if (!type->needs_device)
        return 0;
    *dev = source ? block_find(source) : NULL;
    if (!*dev)
        return -ENXIO;
    for (struct mount *m = mounts; m; m = m->next)
        if (m->sb->dev == *dev)
            return -EBUSY;
    return 0;
}

static void add_mount(struct mount *m)
{
    struct mount **pp = &mounts;

    while (*pp)
        pp = &(*pp)->next;
    *pp = m;
}

static int mount_locked(const char *source, const char *target, struct fs_type *type,
                        unsigned long flags, const char *options)
{
    struct block_device *dev;
    struct super_block *sb;
    struct dentry *root;
    struct walk w = { 0 };
    struct mount *m;
    int err = device_of(type, source, &dev);

    if (!err && root_mnt)
        err = vfs_walk(NULL, target, WALK_FOLLOW | WALK_DIRECTORY, &w);
    if (err)
        return err;
    m = kcalloc(1, sizeof(*m));
    err = m ? read_volume(type, dev, flags, options, &sb, &root) : -ENOMEM;
    if (err) {
        kfree(m);
        walk_done(&w);
        return err;
    }
    m->sb = sb;
    m->root = root;
    m->mountpoint = root_mnt ? w.path.dentry : root;
    m->parent = root_mnt ? w.path.mnt : NULL;
    sb->mount = m;
    copy_str(m->path, sizeof(m->path), root_mnt ? target : "/");
    copy_str(m->source, sizeof(m->source), source);
    if (root_mnt) {
        spin_lock(&dcache_lock);
        w.path.dentry->mounted = m;     /* the walk's reference is the mount's now */
        spin_unlock(&dcache_lock);
    } else {
        root_mnt = m;
    }
    add_mount(m);
    if (m != root_mnt)                  /* vfs_init says it of the first */
        printk(LOG_INFO, "[vfs] mounted %s (%s) on %s%s\n", m->source, type->name, m->path,
               sb->flags & MS_RDONLY ? ", read-only" : "");
    return 0;
}

int vfs_mount(const char *source, const char *target, const char *fstype, unsigned long flags,
              const char *options)
{
    struct fs_type *type;
    int err;

    if (!target || !fstype)
        return -EFAULT;
    mutex_lock(&mount_lock);
    type = vfs_find_fs(fstype);
    err = type ? mount_locked(source, target, type, flags, options) : -ENODEV;
    mutex_unlock(&mount_lock);
    return err;
}

/* Everything of m written and freed; m already detached from its mountpoint. */
static void tear_down(struct mount *m)
{
    struct super_block *sb = m->sb;
    int err = vfs_writeback_sb(sb);
    unsigned left;

    d_prune_tree(m->root);              /* the inodes go with their names, each written back */
    if (!(sb->flags & MS_RDONLY) && sb->ops->sync_fs) {
        int e = sb->ops->sync_fs(sb);
        if (!err)
            err = e;
    }
    if (err)
        printk(LOG_WARN, "[vfs] umount %s: write-back failed (%d)\n", m->path, err);
    if (sb->ops->put_super)
        sb->ops->put_super(sb);
    left = vfs_inodes_in_use(sb);
    if (left)
        printk(LOG_WARN, "[vfs] umount %s: %u inodes still in use (leaked)\n", m->path, left);
    else
        vfs_free_super(sb);
}

static int umount_locked(const char *target)
{
    struct walk w;
    struct mount *m, **pp;
    int err = vfs_walk(NULL, target, WALK_FOLLOW | WALK_DIRECTORY, &w);

    if (err)
        return err;
    m = w.path.mnt;
    if (w.path.dentry != m->root)
        err = -EINVAL;
    else if (m == root_mnt)
        err = -EBUSY;
    for (struct mount *c = mounts; !err && c; c = c->next)
        if (c->parent == m)
            err = -EBUSY;
    if (!err)
        err = d_tree_detach(m->root, 2, m->mountpoint);    /* the mount's and the walk's */
    walk_done(&w);
    if (err)
        return err;
    for (pp = &mounts; *pp != m; pp = &(*pp)->next)
        ;
    *pp = m->next;
    tear_down(m);
    dput(m->mountpoint);
    printk(LOG_INFO, "[vfs] unmounted %s\n", m->path);
    kfree(m);
    return 0;
}

int vfs_umount(const char *target)
{
    int err;

    if (!target)
        return -EFAULT;
    mutex_lock(&mount_lock);
    err = umount_locked(target);
    mutex_unlock(&mount_lock);
    return err;
}
