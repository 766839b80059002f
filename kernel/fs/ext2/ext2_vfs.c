/*
 * ext2_vfs.c - ext2 in the VFS (vfs.h): the fs_type "ext2", whose mount
 * reads a volume on a block device through a buffer cache of its own
 * (fsio_bcache_open, metadata only), and the super, inode, file and
 * address ops over the on-disk core (ext2.h).
 *
 * File data goes through the page cache: get_block maps (and with create
 * allocates) a file's blocks, the page cache does the I/O itself; the core
 * never caches a data block (ext2_fs.page_cache: truncate leaves the tail of
 * the last page to the page cache).
 *
 * The VFS inode is the truth for what the VFS changes (mode, owner, times,
 * a regular file's size); the disk inode for what ext2 changes (links,
 * blocks, block map, a directory's size). Each call reads the disk inode
 * through the cache, lays the VFS's fields over it (node_of), lets the core
 * change and write it, and copies its fields back (from_node): no copy of an
 * inode is kept beside the VFS's, so nothing needs freeing when the VFS
 * drops an inode.
 *
 * Locking: one mutex per volume (ext2_vol.lock) around every call into the
 * core, under the inode locks the VFS holds. fsync writes the file's pages
 * and inode (vfs_fsync_inode), then every dirty metadata block of the
 * volume (the block map and bitmaps the file needs are among them).
 */
#include <string.h>

#include "block/blockdev.h"
#include "errno.h"
#include "fs/ext2/ext2.h"
#include "fs/ext2/ext2_vfs.h"
#include "fs/vfs.h"
#include "mm/heap.h"

#define EXT2_CACHE_BLOCKS   256         /* metadata blocks each volume caches */
#define EXT2_MAGIC          0xEF53

struct ext2_vol {
    struct ext2_fs fs;
    struct fs_io io;
    struct mutex lock;                  /* every call into the core */
};

static const struct inode_ops ext2_dir_iops, ext2_file_iops, ext2_link_iops, ext2_special_iops;
static const struct file_ops ext2_dir_fops, ext2_file_fops;
static const struct address_ops ext2_aops;

static struct ext2_vol *vol_of(struct inode *inode) { return inode->sb->priv; }

static uint32_t ext2_vfs_now(void)
{
    return (uint32_t)vfs_now().sec;
}

/* The disk inode with the VFS's fields laid over it. Caller holds the volume's lock. */
static int node_of(struct inode *inode, struct ext2_node *n)
{
    struct ext2_fs *fs = &vol_of(inode)->fs;
    int err = ext2_read_node(fs, (uint32_t)inode->ino, n);

    if (err)
        return err;
    n->raw.i_mode = (uint16_t)inode->mode;
    n->raw.i_uid = (uint16_t)inode->uid;
    n->raw.i_uid_high = (uint16_t)(inode->uid >> 16);
    n->raw.i_gid = (uint16_t)inode->gid;
    n->raw.i_gid_high = (uint16_t)(inode->gid >> 16);
    n->raw.i_atime = (uint32_t)inode->atime.sec;
    n->raw.i_mtime = (uint32_t)inode->mtime.sec;
    n->raw.i_ctime = (uint32_t)inode->ctime.sec;
    if (S_ISREG(inode->mode))
        ext2_node_set_size(fs, n, inode->size);
    return 0;
}

static void set_ops(struct inode *inode)
{
    inode->aops = NULL;
    inode->fops = NULL;
    if (S_ISDIR(inode->mode)) {
        inode->iops = &ext2_dir_iops;
        inode->fops = &ext2_dir_fops;
    } else if (S_ISREG(inode->mode)) {
        inode->iops = &ext2_file_iops;
        inode->fops = &ext2_file_fops;
        inode->aops = &ext2_aops;
    } else if (S_ISLNK(inode->mode)) {
        inode->iops = &ext2_link_iops;
    } else {
        inode->iops = &ext2_special_iops;
    }
}

/* The core's fields back into the VFS inode. */
static void from_node(struct inode *inode, const struct ext2_node *n)
{
    uint32_t major, minor;

    inode->mode = n->raw.i_mode;
    inode->uid = n->raw.i_uid | (uint32_t)n->raw.i_uid_high << 16;
    inode->gid = n->raw.i_gid | (uint32_t)n->raw.i_gid_high << 16;
    inode->nlink = n->raw.i_links_count;
    inode->size = ext2_node_size(n);
    inode->blocks = n->raw.i_blocks;
    inode->atime = (struct vfs_time){ n->raw.i_atime, 0 };
    inode->mtime = (struct vfs_time){ n->raw.i_mtime, 0 };
    inode->ctime = (struct vfs_time){ n->raw.i_ctime, 0 };
    inode->rdev = 0;
    if (S_ISCHR(inode->mode) || S_ISBLK(inode->mode)) {
        ext2_node_rdev(n, &major, &minor);
        inode->rdev = VFS_DEV(major, minor);
    }
}

/* ---- super_ops ---- */

static int ext2_read_inode(struct inode *inode)
{
    struct ext2_vol *v = vol_of(inode);
    struct ext2_node n;

    mutex_lock(&v->lock);
    int err = ext2_read_node(&v->fs, (uint32_t)inode->ino, &n);
    if (!err && n.raw.i_links_count == 0) {
        ext2_log(&v->fs, "a name points at deleted inode %u", n.ino);
        err = -EIO;
    }
    mutex_unlock(&v->lock);
    if (err)
        return err;
    from_node(inode, &n);
    set_ops(inode);
    return 0;
}

static int ext2_write_inode(struct inode *inode)
{
    struct ext2_vol *v = vol_of(inode);
    struct ext2_node n;

    if (inode->sb->flags & MS_RDONLY)
        return 0;
    mutex_lock(&v->lock);
    int err = node_of(inode, &n);
    if (!err)
        err = ext2_write_node(&v->fs, &n);
    mutex_unlock(&v->lock);
    return err;
}

static void ext2_evict_inode(struct inode *inode)
{
    struct ext2_vol *v = vol_of(inode);
    struct ext2_node n;

    if (inode->sb->flags & MS_RDONLY)
        return;
    mutex_lock(&v->lock);
    if (node_of(inode, &n) == 0)
        ext2_evict_node(&v->fs, &n);
    mutex_unlock(&v->lock);
}

static int ext2_vfs_statfs(struct super_block *sb, struct vfs_statfs *out)
{
    struct ext2_vol *v = sb->priv;

    mutex_lock(&v->lock);
    ext2_statfs(&v->fs, &out->blocks, &out->bfree, &out->bavail, &out->files, &out->ffree);
    mutex_unlock(&v->lock);
    out->magic = EXT2_MAGIC;
    out->bsize = v->fs.block_size;
    out->namelen = EXT2_NAME_LEN;
    out->flags = sb->flags & MS_RDONLY;
    return 0;
}

static int ext2_sync_fs(struct super_block *sb)
{
    struct ext2_vol *v = sb->priv;

    mutex_lock(&v->lock);
    int err = ext2_sync(&v->fs);
    mutex_unlock(&v->lock);
    return err;
}

static void ext2_put_super(struct super_block *sb)
{
    struct ext2_vol *v = sb->priv;

    ext2_umount(&v->fs);                /* the state back to clean, the superblock written */
    fsio_bcache_close(&v->io);
    kfree(v);
}

static const struct super_ops ext2_sops = {
    .read_inode = ext2_read_inode,
    .write_inode = ext2_write_inode,
    .evict_inode = ext2_evict_inode,
    .statfs = ext2_vfs_statfs,
    .sync_fs = ext2_sync_fs,
    .put_super = ext2_put_super,
};

/* ---- inode_ops ---- */

static int ext2_vfs_lookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    struct ext2_vol *v = vol_of(dir);
    struct ext2_node d;
    uint32_t found = 0;

    mutex_lock(&v->lock);
    int err = node_of(dir, &d);
    if (!err)
        err = ext2_dir_lookup(&v->fs, &d, name, len, &found);
    mutex_unlock(&v->lock);
    *ino = found;
    return err;
}

/* A VFS inode for the node the core just made in dir (whose node d changed too). */
static int made(struct inode *dir, const struct ext2_node *d, const struct ext2_node *n,
                struct inode **out)
{
    struct inode *inode = vfs_new_inode(dir->sb, n->ino);

    from_node(dir, d);
    if (!inode)
        return -ENOMEM;
    from_node(inode, n);
    inode->uid = vfs_current_cred()->uid;
    inode->gid = vfs_current_cred()->gid;
    set_ops(inode);
    vfs_inode_hash(inode);
    vfs_mark_dirty(inode);              /* the owner, at the next write_inode */
    *out = inode;
    return 0;
}

/* mknod, create, mkdir, symlink: which one, and its arguments. */
struct new_name {
    uint32_t mode;
    uint64_t rdev;
    const char *target;
};

static int make(struct inode *dir, const char *name, size_t len, const struct new_name *nn,
                struct inode **out)
{
    struct ext2_vol *v = vol_of(dir);
    struct ext2_node d, n;

    mutex_lock(&v->lock);
    int err = node_of(dir, &d);
    if (!err && nn->target)
        err = ext2_symlink(&v->fs, &d, name, len, nn->target, &n);
    else if (!err && S_ISDIR(nn->mode))
        err = ext2_mkdir(&v->fs, &d, name, len, nn->mode, &n);
    else if (!err)
        err = ext2_create(&v->fs, &d, name, len, nn->mode, (uint32_t)nn->rdev, &n);
    mutex_unlock(&v->lock);
    /* the VFS's inode is made outside the volume's lock: an allocation that writes back
     * pages (get_block) must not find it held */
    return err ? err : made(dir, &d, &n, out);
}

static int ext2_vfs_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
                           struct inode **out)
{
    struct new_name nn = { S_IFREG | (mode & 07777), 0, NULL };
    return make(dir, name, len, &nn, out);
}

static int ext2_vfs_mkdir(struct inode *dir, const char *name, size_t len, uint32_t mode,
                          struct inode **out)
{
    struct new_name nn = { S_IFDIR | (mode & 07777), 0, NULL };
    return make(dir, name, len, &nn, out);
}

static int ext2_vfs_mknod(struct inode *dir, const char *name, size_t len, uint32_t mode,
                          uint64_t rdev, struct inode **out)
{
    struct new_name nn = { mode, rdev, NULL };
    return make(dir, name, len, &nn, out);
}

static int ext2_vfs_symlink(struct inode *dir, const char *name, size_t len, const char *target,
                            struct inode **out)
{
    struct new_name nn = { S_IFLNK | 0777, 0, target };
    return make(dir, name, len, &nn, out);
}

/* The name operations that take (dir, name, inode): link, unlink, rmdir. */
typedef int name_op_fn(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                       struct ext2_node *node);

static int name_op(name_op_fn *op, struct inode *dir, const char *name, size_t len,
                   struct inode *inode)
{
    struct ext2_vol *v = vol_of(dir);
    struct ext2_node d, n;

    mutex_lock(&v->lock);
    int err = node_of(dir, &d);
    if (!err)
        err = node_of(inode, &n);
    if (!err)
        err = op(&v->fs, &d, name, len, &n);
    if (!err) {
        from_node(dir, &d);
        from_node(inode, &n);
    }
    mutex_unlock(&v->lock);
    return err;
}

static int ext2_vfs_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    return name_op(ext2_link, dir, name, len, inode);
}

static int ext2_vfs_unlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    return name_op(ext2_unlink, dir, name, len, inode);
}

static int ext2_vfs_rmdir(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    return name_op(ext2_rmdir, dir, name, len, inode);
}

static int ext2_vfs_rename(struct inode *old_dir, const char *old_name, size_t old_len,
                           struct inode *new_dir, const char *new_name, size_t new_len,
                           struct inode *inode, struct inode *victim)
{
    struct ext2_vol *v = vol_of(old_dir);
    struct ext2_node od, nd, n, vn;
    struct ext2_node *ndp = new_dir == old_dir ? &od : &nd;

    mutex_lock(&v->lock);
    int err = node_of(old_dir, &od);
    if (!err && new_dir != old_dir)
        err = node_of(new_dir, &nd);
    if (!err)
        err = node_of(inode, &n);
    if (!err && victim)
        err = node_of(victim, &vn);
    if (!err)
        err = ext2_rename(&v->fs, &od, old_name, old_len, ndp, new_name, new_len, &n,
                          victim ? &vn : NULL);
    if (!err) {
        from_node(old_dir, &od);
        from_node(new_dir, ndp);
        from_node(inode, &n);
        if (victim)
            from_node(victim, &vn);
    }
    mutex_unlock(&v->lock);
    return err;
}

static int ext2_vfs_readlink(struct inode *inode, char *buf, size_t size)
{
    struct ext2_vol *v = vol_of(inode);
    struct ext2_node n;

    mutex_lock(&v->lock);
    int err = node_of(inode, &n);
    if (!err)
        err = ext2_readlink(&v->fs, &n, buf, size);
    mutex_unlock(&v->lock);
    return err;
}

/*
 * A file cut inside a page: the bytes of its last page past the new end must read as zeros
 * if the file grows again. The page cache zeroed that page if it held it; if not, it is read
 * now (the file still has its old size), zeroed past the end and left dirty, so the write-back
 * puts zeros on the disk (Linux's block_truncate_page). Outside the volume's lock: the read
 * calls get_block.
 */
static int zero_cut_page(struct inode *inode, uint64_t size)
{
    uint32_t in = (uint32_t)(size % PAGE_CACHE_SIZE);
    struct cpage *p;

    if (in == 0 || size >= inode->size)
        return 0;
    int err = pagecache_get_page(inode, size / PAGE_CACHE_SIZE, &p);
    if (err)
        return err;
    memset(p->data + in, 0, PAGE_CACHE_SIZE - in);
    pagecache_mark_dirty(p);
    pagecache_put_page(p);
    return 0;
}

static int ext2_vfs_setattr(struct inode *inode, const struct vfs_attr *a)
{
    struct ext2_vol *v = vol_of(inode);
    struct ext2_node n;
    int err = 0;

    if ((a->mask & ATTR_SIZE) && (err = zero_cut_page(inode, a->size)))
        return err;
    if (a->mask & ATTR_SIZE) {
        mutex_lock(&v->lock);
        err = node_of(inode, &n);
        if (!err)
            err = ext2_truncate(&v->fs, &n, a->size);
        if (!err)
            from_node(inode, &n);
        mutex_unlock(&v->lock);
    }
    if (err)
        return err;
    if (a->mask & ATTR_MODE)
        inode->mode = (inode->mode & S_IFMT) | (a->mode & 07777);
    if (a->mask & ATTR_UID)
        inode->uid = a->uid;
    if (a->mask & ATTR_GID)
        inode->gid = a->gid;
    if (a->mask & ATTR_ATIME)
        inode->atime = a->atime;
    if (a->mask & ATTR_MTIME)
        inode->mtime = a->mtime;
    if (a->mask & ATTR_CTIME)
        inode->ctime = a->ctime;
    return 0;
}

static const struct inode_ops ext2_dir_iops = {
    .lookup = ext2_vfs_lookup,
    .create = ext2_vfs_create,
    .mkdir = ext2_vfs_mkdir,
    .mknod = ext2_vfs_mknod,
    .symlink = ext2_vfs_symlink,
    .link = ext2_vfs_link,
    .unlink = ext2_vfs_unlink,
    .rmdir = ext2_vfs_rmdir,
    .rename = ext2_vfs_rename,
    .setattr = ext2_vfs_setattr,
};
static const struct inode_ops ext2_file_iops = { .setattr = ext2_vfs_setattr };
static const struct inode_ops ext2_link_iops = { .readlink = ext2_vfs_readlink, .setattr = ext2_vfs_setattr };
static const struct inode_ops ext2_special_iops = { .setattr = ext2_vfs_setattr };

/* ---- file_ops and address_ops ---- */

struct readdir_ctx {
    vfs_filldir_fn *fill;
    void *ctx;
};

static int to_vfs_entry(void *ctx, const char *name, size_t len, uint32_t ino, unsigned ftype)
{
    static const unsigned dtype[] = { DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO,
                                      DT_SOCK, DT_LNK };
    struct readdir_ctx *r = ctx;

    return r->fill(r->ctx, name, len, ino, ftype < 8 ? dtype[ftype] : DT_UNKNOWN);
}

static int ext2_vfs_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    struct ext2_vol *v = vol_of(f->inode);
    struct readdir_ctx r = { fill, ctx };
    struct ext2_node d;

    mutex_lock(&v->lock);
    int err = node_of(f->inode, &d);
    if (!err)
        err = ext2_dir_iterate(&v->fs, &d, &f->pos, to_vfs_entry, &r);
    mutex_unlock(&v->lock);
    return err;
}

static int ext2_vfs_fsync(struct file *f)
{
    struct ext2_vol *v = vol_of(f->inode);
    int err = vfs_fsync_inode(f->inode);

    mutex_lock(&v->lock);
    int e = v->io.ops->sync(&v->io);
    mutex_unlock(&v->lock);
    return err ? err : e;
}

static const struct file_ops ext2_dir_fops = { .readdir = ext2_vfs_readdir, .fsync = ext2_vfs_fsync };
static const struct file_ops ext2_file_fops = { .fsync = ext2_vfs_fsync };

static int ext2_get_block(struct inode *inode, uint64_t iblock, uint64_t *pblock, uint32_t *contig,
                          int create)
{
    struct ext2_vol *v = vol_of(inode);
    struct ext2_node n;
    uint32_t p = 0;

    mutex_lock(&v->lock);
    int err = node_of(inode, &n);
    if (!err)
        err = ext2_bmap(&v->fs, &n, iblock, create, &p, contig);
    if (!err)
        inode->blocks = n.raw.i_blocks;
    mutex_unlock(&v->lock);
    *pblock = p;
    return err;
}

static const struct address_ops ext2_aops = { .get_block = ext2_get_block };

/* ---- the file system type ---- */

static int ext2_vfs_mount(struct block_device *dev, unsigned long flags, const char *options,
                          struct super_block **out);

static struct fs_type ext2_type = { .name = "ext2", .needs_device = 1, .mount = ext2_vfs_mount };

static int ext2_vfs_mount(struct block_device *dev, unsigned long flags, const char *options,
                          struct super_block **out)
{
    struct ext2_vol *v = kcalloc(1, sizeof *v);
    uint32_t first_bs = dev->block_size > 1024 ? dev->block_size : 1024;
    int err;

    (void)options;
    if (!v)
        return -ENOMEM;
    mutex_init(&v->lock, "ext2");
    if ((err = fsio_bcache_open(&v->io, dev, first_bs, EXT2_CACHE_BLOCKS))) {
        kfree(v);
        return err;
    }
    v->fs.now = ext2_vfs_now;
    err = ext2_mount(&v->fs, &v->io, dev->name, (flags & MS_RDONLY) || dev->read_only,
                     fsio_bcache_set_block_size);
    struct super_block *sb = err ? NULL : vfs_new_super(&ext2_type, dev);
    if (!sb) {
        if (!err)
            ext2_umount(&v->fs);
        fsio_bcache_close(&v->io);
        kfree(v);
        return err ? err : -ENOMEM;
    }
    v->fs.page_cache = 1;
    v->fs.names_checked = 1;            /* make_node: the VFS's child is negative (vfs_ops.c) */
    sb->ops = &ext2_sops;
    sb->block_size = v->fs.block_size;
    sb->root_ino = EXT2_ROOT_INO;
    sb->flags = v->fs.read_only ? MS_RDONLY : 0;
    sb->priv = v;
    *out = sb;
    return 0;
}

int ext2_register(void)
{
    return vfs_register_fs(&ext2_type);
}
