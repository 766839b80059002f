/*
 * tmpfs.c - a file system in memory: the root until a disk's is mounted,
 * and the tree the initramfs is unpacked into.
 *
 * Inodes exist only in memory, so tmpfs keeps a reference on each of its own
 * (its "pin") from creation until its last name goes: the VFS then evicts it
 * at its last iput, and read_inode is never needed. File data are page cache
 * pages with no disk behind them (aops NULL): kept until truncate or unlink.
 *
 * A directory is a list of entries (name, inode) in creation order; each
 * entry has a sequence number, and readdir's cookie (f->pos) is 2 + the
 * number of the next entry to return (0 is ".", 1 is ".."), so entries
 * removed or added during a readdir never make it skip or repeat others.
 *
 * Locking: a directory's entries change only under its inode lock (held by
 * the VFS around every call here); tmpfs_sb's lock guards the inode list and
 * the inode numbers.
 */
#include <string.h>

#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "mm/mm.h"

#define TMPFS_MAGIC     0x01021994u     /* Linux's (include/uapi/linux/magic.h) */

struct tmpfs_dirent {
    struct tmpfs_dirent *next;
    uint64_t seq;
    struct inode *inode;
    uint16_t len;
    char name[];
};

struct tmpfs_node {
    struct inode *inode;
    struct tmpfs_node *prev, *next;     /* every pinned inode of the volume */
    /* a directory */
    struct tmpfs_dirent *head;
    uint64_t next_seq;
    struct inode *parent;
    /* a symbolic link */
    char *target;
    size_t target_len;
};

struct tmpfs_sb {
    struct spinlock lock;
    uint64_t next_ino;
    uint64_t inodes;
    struct tmpfs_node all;              /* list head */
};

static const struct super_ops tmpfs_super_ops;
static struct fs_type tmpfs_type;
static const struct inode_ops tmpfs_dir_iops, tmpfs_link_iops, tmpfs_file_iops;
static const struct file_ops tmpfs_dir_fops, tmpfs_file_fops;

static struct tmpfs_node *node_of(struct inode *inode)
{
    return inode->priv;
}

static struct tmpfs_sb *tsb_of(struct super_block *sb)
{
    return sb->priv;
}

/* ---- inodes ---- */

static void set_ops(struct inode *inode)
{
    if (S_ISDIR(inode->mode)) {
        inode->iops = &tmpfs_dir_iops;
        inode->fops = &tmpfs_dir_fops;
    } else if (S_ISLNK(inode->mode)) {
        inode->iops = &tmpfs_link_iops;
    } else {
        inode->iops = &tmpfs_file_iops;
        inode->fops = S_ISREG(inode->mode) ? &tmpfs_file_fops : NULL;
    }
}

/* A new inode, pinned by tmpfs and referenced once more for the caller. */
static struct inode *new_inode(struct super_block *sb, uint32_t mode, struct inode *parent)
{
    struct tmpfs_sb *t = tsb_of(sb);
    const struct vfs_cred *c = vfs_current_cred();
    struct tmpfs_node *n = kcalloc(1, sizeof(*n));
    struct inode *inode;
    uint64_t ino;

    if (!n)
        return NULL;
    spin_lock(&t->lock);
    ino = t->next_ino++;
    spin_unlock(&t->lock);
    inode = vfs_new_inode(sb, ino);
    if (!inode) {
        kfree(n);
        return NULL;
    }
    inode->mode = mode;
    inode->nlink = S_ISDIR(mode) ? 2 : 1;
    inode->uid = c->uid;
    inode->gid = c->gid;
    inode->atime = inode->mtime = inode->ctime = vfs_now();
    inode->priv = n;
    n->inode = inode;
    n->parent = parent ? parent : inode;
    set_ops(inode);
    spin_lock(&t->lock);
    n->next = t->all.next;
    n->prev = &t->all;
    t->all.next->prev = n;
    t->all.next = n;
    t->inodes++;
    spin_unlock(&t->lock);
    vfs_inode_hash(inode);
    ipin(inode);
    return inode;
}

/* The last name went: drop tmpfs's pin (the VFS evicts at the last reference). */
static void unpin(struct inode *inode)
{
    struct tmpfs_sb *t = tsb_of(inode->sb);
    struct tmpfs_node *n = node_of(inode);

    spin_lock(&t->lock);
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = NULL;
    t->inodes--;
    spin_unlock(&t->lock);
    iput(inode);
}

static void touch_dir(struct inode *dir)
{
    dir->mtime = dir->ctime = vfs_now();
}

/* ---- directory entries: caller holds the directory's inode lock ---- */

static struct tmpfs_dirent **find_entry(struct inode *dir, const char *name, size_t len)
{
    struct tmpfs_dirent **pp = &node_of(dir)->head;

    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->len == len && memcmp((*pp)->name, name, len) == 0)
            return pp;
    return NULL;
}

static int add_entry(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    struct tmpfs_node *n = node_of(dir);
    struct tmpfs_dirent *e = kmalloc(sizeof(*e) + len + 1), **pp = &n->head;

    if (!e)
        return -ENOMEM;
    memcpy(e->name, name, len);
    e->name[len] = '\0';
    e->len = (uint16_t)len;
    e->inode = inode;
    e->seq = n->next_seq++;
    e->next = NULL;
    while (*pp)
        pp = &(*pp)->next;
    *pp = e;
    dir->size += 1;
    touch_dir(dir);
    return 0;
}

static void remove_entry(struct inode *dir, const char *name, size_t len)
{
    struct tmpfs_dirent **pp = find_entry(dir, name, len), *e;

    if (!pp)
        return;
    e = *pp;
    *pp = e->next;
    kfree(e);
    dir->size -= 1;
    touch_dir(dir);
}

static int tmpfs_lookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    struct tmpfs_dirent **pp = find_entry(dir, name, len);

    if (!pp)
        return -ENOENT;
    *ino = (*pp)->inode->ino;
    return 0;
}

/* A new inode of mode under dir's name: 0 and *out (referenced). */
static int make(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
    struct inode *inode = new_inode(dir->sb, mode, dir);
    int err;

    if (!inode)
        return -ENOMEM;
    err = add_entry(dir, name, len, inode);
    if (err) {
        inode->nlink = 0;
        iput(inode);
        unpin(inode);
        return err;
    }
    if (S_ISDIR(mode))
        dir->nlink++;
    *out = inode;
    return 0;
}

static int tmpfs_create(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
    return make(dir, name, len, S_IFREG | (mode & 07777), out);
}

static int tmpfs_mkdir(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
    return make(dir, name, len, S_IFDIR | (mode & 07777), out);
}

static int tmpfs_mknod(struct inode *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
                       struct inode **out)
{
    int err = make(dir, name, len, mode, out);

    if (!err)
        (*out)->rdev = rdev;
    return err;
}

static int tmpfs_symlink(struct inode *dir, const char *name, size_t len, const char *target,
                         struct inode **out)
{
    size_t tlen = strlen(target);
    char *copy = kmalloc(tlen + 1);
    int err;

    if (!copy)
        return -ENOMEM;
    memcpy(copy, target, tlen + 1);
    err = make(dir, name, len, S_IFLNK | 0777, out);
    if (err) {
        kfree(copy);
        return err;
    }
    node_of(*out)->target = copy;
    node_of(*out)->target_len = tlen;
    (*out)->size = tlen;
    return 0;
}

static int tmpfs_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    int err = add_entry(dir, name, len, inode);

    if (!err) {
        inode->nlink++;
        inode->ctime = vfs_now();
    }
    return err;
}

/* inode lost one name (of a directory: its only one). */
static void drop_link(struct inode *inode)
{
    inode->ctime = vfs_now();
    if (S_ISDIR(inode->mode))
        inode->nlink = 0;
    else if (inode->nlink)
        inode->nlink--;
    if (inode->nlink == 0)
        unpin(inode);
}

static int tmpfs_unlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    remove_entry(dir, name, len);
    drop_link(inode);
    return 0;
}

static int tmpfs_rmdir(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    remove_entry(dir, name, len);
    dir->nlink--;
    drop_link(inode);
    return 0;
}

static int tmpfs_rename(struct inode *old_dir, const char *old_name, size_t old_len,
                        struct inode *new_dir, const char *new_name, size_t new_len,
                        struct inode *inode, struct inode *victim)
{
    int err;

    if (victim) {
        remove_entry(new_dir, new_name, new_len);
        if (S_ISDIR(victim->mode))
            new_dir->nlink--;
        drop_link(victim);
    }
    err = add_entry(new_dir, new_name, new_len, inode);
    if (err)
        return err;                     /* no memory: the victim is gone, the file keeps its old name */
    remove_entry(old_dir, old_name, old_len);
    if (S_ISDIR(inode->mode) && old_dir != new_dir) {
        old_dir->nlink--;
        new_dir->nlink++;
        node_of(inode)->parent = new_dir;
    }
    inode->ctime = vfs_now();
    return 0;
}

static int tmpfs_readlink(struct inode *inode, char *buf, size_t size)
{
    struct tmpfs_node *n = node_of(inode);
    size_t len = n->target_len < size ? n->target_len : size;

    memcpy(buf, n->target, len);
    return (int)len;
}

static int tmpfs_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    struct inode *dir = f->inode;
    struct tmpfs_node *n = node_of(dir);

    if (f->pos == 0) {
        if (fill(ctx, ".", 1, dir->ino, DT_DIR))
            return 0;
        f->pos = 1;
    }
    if (f->pos == 1) {
        if (fill(ctx, "..", 2, n->parent->ino, DT_DIR))
            return 0;
        f->pos = 2;
    }
    for (struct tmpfs_dirent *e = n->head; e; e = e->next) {
        if (e->seq + 2 < f->pos)
            continue;
        if (fill(ctx, e->name, e->len, e->inode->ino, vfs_dtype(e->inode->mode)))
            return 0;
        f->pos = e->seq + 3;
    }
    return 0;
}

/* ---- the volume ---- */

static int tmpfs_read_inode(struct inode *inode)
{
    (void)inode;
    return -ENOENT;                     /* a tmpfs inode never leaves memory while it has a name */
}

static void tmpfs_evict_inode(struct inode *inode)
{
    struct tmpfs_node *n = node_of(inode);

    while (n && n->head) {              /* only at umount: a removed directory is empty */
        struct tmpfs_dirent *e = n->head;
        n->head = e->next;
        kfree(e);
    }
    if (n)
        kfree(n->target);
    kfree(n);
    inode->priv = NULL;
}

static int tmpfs_statfs(struct super_block *sb, struct vfs_statfs *out)
{
    struct tmpfs_sb *t = tsb_of(sb);
    uint64_t free_pages = mm_frames_free();

    out->magic = TMPFS_MAGIC;
    out->bsize = PAGE_CACHE_SIZE;
    out->bfree = out->bavail = free_pages;
    out->blocks = free_pages + pagecache_stats().pages;
    spin_lock(&t->lock);
    out->files = t->inodes + free_pages;
    out->ffree = free_pages;
    spin_unlock(&t->lock);
    out->namelen = NAME_MAX;
    return 0;
}

/* Umount: every inode goes (the dentries went before, so the pins are the last references). */
static void tmpfs_put_super(struct super_block *sb)
{
    struct tmpfs_sb *t = tsb_of(sb);

    while (t->all.next != &t->all) {
        struct inode *inode = t->all.next->inode;
        inode->nlink = 0;
        unpin(inode);
    }
    kfree(t);
}

static int tmpfs_mount(struct block_device *dev, unsigned long flags, const char *options,
                       struct super_block **out)
{
    struct super_block *sb;
    struct tmpfs_sb *t = kcalloc(1, sizeof(*t));
    struct inode *root;

    (void)dev;
    (void)flags;
    (void)options;
    sb = t ? vfs_new_super(&tmpfs_type, NULL) : NULL;
    if (!sb) {
        kfree(t);
        return -ENOMEM;
    }
    spin_init(&t->lock, "tmpfs");
    t->next_ino = 1;
    t->all.next = t->all.prev = &t->all;
    sb->priv = t;
    sb->ops = &tmpfs_super_ops;
    sb->block_size = PAGE_CACHE_SIZE;
    root = new_inode(sb, S_IFDIR | 01777, NULL);
    if (!root) {
        kfree(t);
        vfs_free_super(sb);
        return -ENOMEM;
    }
    sb->root_ino = root->ino;
    iput(root);                         /* the pin remains */
    *out = sb;
    return 0;
}

static const struct super_ops tmpfs_super_ops = {
    .read_inode = tmpfs_read_inode,
    .evict_inode = tmpfs_evict_inode,
    .statfs = tmpfs_statfs,
    .put_super = tmpfs_put_super,
};

static const struct inode_ops tmpfs_dir_iops = {
    .lookup = tmpfs_lookup,
    .create = tmpfs_create,
    .mkdir = tmpfs_mkdir,
    .mknod = tmpfs_mknod,
    .symlink = tmpfs_symlink,
    .link = tmpfs_link,
    .unlink = tmpfs_unlink,
    .rmdir = tmpfs_rmdir,
    .rename = tmpfs_rename,
};

static const struct inode_ops tmpfs_link_iops = { .readlink = tmpfs_readlink };
static const struct inode_ops tmpfs_file_iops = { 0 };
static const struct file_ops tmpfs_dir_fops = { .readdir = tmpfs_readdir };
static const struct file_ops tmpfs_file_fops = { 0 };

static struct fs_type tmpfs_type = { .name = "tmpfs", .mount = tmpfs_mount };

void tmpfs_register(void)
{
    vfs_register_fs(&tmpfs_type);
}
