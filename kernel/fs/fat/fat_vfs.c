/*
 * fat_vfs.c - FAT12/16/32 as a VFS file system, "vfat" (fs/vfs.h): the
 * glue between the VFS's three tables and the on-disk core (fat.h).
 *
 * A mount opens the volume's fs_io over the block device with
 * fsio_bcache_open in the volume's sector size (sb->block_size), checks the
 * boot sector (fat_mount), and says so in one line; a volume the core
 * refuses is not mounted, and one it finds a problem in (a damaged FSInfo)
 * mounts read-only with a line naming it. Damage found later (a chain that
 * loops or leaves the volume) turns the mount read-only the same way.
 *
 * Inode numbers are the position of the file's directory entry (byte / 32,
 * FAT_ROOT_INO for the root), so read_inode finds the entry with one read.
 * A rename moves the entry: the inode in memory keeps its number, and the
 * entry's current position lives in inode->priv beside the first cluster
 * (priv = position << 28 | first cluster: FAT32's 28-bit clusters, and
 * positions of volumes up to 2 TiB), so nothing needs freeing when the VFS
 * drops an inode.
 *
 * Files are rwx for everyone, as Linux's vfat shows them with its default
 * masks; a file with ATTR_READ_ONLY loses its w bits, and a chmod that
 * takes every w bit away sets it. Owner and group are root.
 *
 * File data goes through the page cache: get_block follows the cluster
 * chain (fat_bmap), remembering the last link it reached per inode in a
 * small table (fpos), so a sequential read follows each link once. Every
 * call into the core holds the volume's mutex (fat_sb.lock).
 */
#include <stdint.h>
#include <string.h>

#include "block/blockdev.h"
#include "errno.h"
#include "fs/fat/fat.h"
#include "fs/fat/fat_layout.h"
#include "fs/fat/fat_vfs.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "printk.h"
#include "sync/mutex.h"

#define FPOS_SLOTS      64
#define PRIV_SHIFT      28
#define MAX_POSITION    (1ull << (64 - PRIV_SHIFT))
#define FAT_MAX_FILE    0xFFFFFFFFull
#define MSDOS_MAGIC     0x4d44          /* Linux's MSDOS_SUPER_MAGIC */
#define BCACHE_BLOCKS   256

/* Where get_block last was in a file's chain. */
struct fpos {
    uint64_t ino;
    uint32_t first, index, cluster;
};

struct fat_sb {
    struct mutex lock;                  /* every call into the core */
    struct fat_volume v;
    struct fs_io io;
    int said_ro;                        /* the read-only line was printed */
    struct fpos pos[FPOS_SLOTS];        /* by ino */
};

static const struct super_ops fat_super_ops;
static const struct inode_ops fat_dir_iops, fat_file_iops;
static const struct file_ops fat_dir_fops, fat_file_fops;
static const struct address_ops fat_aops;

static struct fat_sb *fsb(const struct super_block *sb) { return sb->priv; }
static uint64_t where_of(const struct inode *i) { return (uintptr_t)i->priv >> PRIV_SHIFT; }
static uint32_t first_of(const struct inode *i) { return (uint32_t)((uintptr_t)i->priv & FAT32_MASK); }

static void set_priv(struct inode *i, uint64_t where, uint32_t first)
{
    i->priv = (void *)(uintptr_t)(where << PRIV_SHIFT | first);
}

static int64_t fat_now(void) { return vfs_now().sec; }

static void lock(struct super_block *sb) { mutex_lock(&fsb(sb)->lock); }

/* Unlock; if the core found damage meanwhile, the mount turns read-only with one line. */
static int unlock(struct super_block *sb, int ret)
{
    struct fat_sb *f = fsb(sb);

    if (f->v.read_only && !(sb->flags & MS_RDONLY)) {
        sb->flags |= MS_RDONLY;
        if (!f->said_ro++)
            printk(LOG_WARN, "[fat] %s: %s\n", f->v.name, f->v.warning);
    }
    mutex_unlock(&f->lock);
    return ret;
}

/* The core's view of an inode: its entry as on the disk, with the fields the VFS changed. */
static int node_of(struct inode *inode, struct fat_node *n)
{
    struct fat_volume *v = &fsb(inode->sb)->v;
    int err = fat_node_read(v, where_of(inode), n);

    if (err)
        return err == -ENOENT ? -EIO : err;
    n->first_cluster = first_of(inode);
    if (!S_ISDIR(inode->mode))
        n->size = (uint32_t)inode->size;
    n->mtime = inode->mtime.sec;
    n->atime = inode->atime.sec;
    n->pos_cluster = 0;
    return 0;
}

/* A directory as the core needs it for names: its number and first cluster. */
static void dir_of(struct inode *dir, struct fat_node *n)
{
    memset(n, 0, sizeof(*n));
    n->ino = where_of(dir);
    n->attr = ATTR_DIRECTORY;
    n->first_cluster = first_of(dir);
}

static int count_subdir(void *ctx, const char *name, size_t len, uint64_t ino, int is_dir)
{
    (void)ino;
    if (is_dir && !(len == 1 && name[0] == '.') && !(len == 2 && name[0] == '.' && name[1] == '.'))
        ++*(uint32_t *)ctx;
    return 0;
}

static void fill_inode(struct inode *inode, const struct fat_node *n)
{
    struct fat_volume *v = &fsb(inode->sb)->v;
    uint64_t cs = v->cluster_size;

    inode->mode = (fat_is_dir(n) ? S_IFDIR : S_IFREG) | 0777;
    if (n->attr & ATTR_READ_ONLY)
        inode->mode &= ~0222u;
    inode->uid = inode->gid = 0;
    inode->size = n->size;
    inode->blocks = (fat_is_dir(n) ? cs : (n->size + cs - 1) / cs * cs) / 512;
    inode->mtime = (struct vfs_time){n->mtime, 0};
    inode->ctime = inode->mtime;        /* FAT has no change time: Linux shows mtime */
    inode->atime = (struct vfs_time){n->atime, 0};
    inode->iops = fat_is_dir(n) ? &fat_dir_iops : &fat_file_iops;
    inode->fops = fat_is_dir(n) ? &fat_dir_fops : &fat_file_fops;
    inode->aops = fat_is_dir(n) ? NULL : &fat_aops;
    inode->nlink = 1;
    set_priv(inode, n->ino, n->first_cluster);
}

/* ---- super_ops ---- */

static int fat_read_inode(struct inode *inode)
{
    struct fat_volume *v = &fsb(inode->sb)->v;
    struct fat_node n;
    uint32_t subdirs = 0;
    uint64_t cookie = 0;
    int err;

    lock(inode->sb);
    err = fat_node_read(v, inode->ino, &n);
    if (!err)
        fill_inode(inode, &n);
    if (!err && fat_is_dir(&n)) {       /* 2 + subdirectories, as Linux counts */
        err = fat_readdir(v, &n, &cookie, count_subdir, &subdirs);
        inode->nlink = 2 + subdirs;
    }
    return unlock(inode->sb, err);
}

static int fat_write_inode(struct inode *inode)
{
    struct fat_volume *v = &fsb(inode->sb)->v;
    struct fat_node n;
    int err;

    if (inode->nlink == 0 || where_of(inode) == FAT_ROOT_INO || (inode->sb->flags & MS_RDONLY))
        return 0;                       /* an unlinked file's entry slot may be someone else's now */
    lock(inode->sb);
    err = node_of(inode, &n);
    if (!err && !S_ISDIR(inode->mode)) {
        n.attr = (uint8_t)((n.attr & ~ATTR_READ_ONLY) | ((inode->mode & 0222) ? 0 : ATTR_READ_ONLY));
        n.attr |= ATTR_ARCHIVE;
    }
    if (!err)
        err = fat_node_write(v, &n);
    return unlock(inode->sb, err);
}

static void fat_evict_inode(struct inode *inode)
{
    struct fat_sb *f = fsb(inode->sb);
    uint32_t first = first_of(inode);

    if (!first || (inode->sb->flags & MS_RDONLY))
        return;
    lock(inode->sb);
    fat_free_chain(&f->v, first);       /* its entry went at unlink: now its clusters */
    f->pos[inode->ino % FPOS_SLOTS].ino = 0;
    unlock(inode->sb, 0);
}

static int fat_statfs(struct super_block *sb, struct vfs_statfs *out)
{
    struct fat_volume *v = &fsb(sb)->v;

    lock(sb);
    memset(out, 0, sizeof(*out));
    out->magic = MSDOS_MAGIC;
    out->bsize = v->cluster_size;
    out->blocks = v->clusters;
    out->bfree = out->bavail = v->free_count;
    out->namelen = LFN_MAX_UNITS;
    out->flags = (uint32_t)(sb->flags & MS_RDONLY);
    return unlock(sb, 0);
}

static int fat_sync_fs(struct super_block *sb)
{
    lock(sb);
    return unlock(sb, fat_sync(&fsb(sb)->v));
}

static void fat_put_super(struct super_block *sb)
{
    struct fat_sb *f = fsb(sb);

    fat_sync(&f->v);
    fsio_bcache_close(&f->io);
    kfree(f);
}

static const struct super_ops fat_super_ops = {
    .read_inode = fat_read_inode,
    .write_inode = fat_write_inode,
    .evict_inode = fat_evict_inode,
    .statfs = fat_statfs,
    .sync_fs = fat_sync_fs,
    .put_super = fat_put_super,
};

/* ---- inode_ops ---- */

static int fat_vlookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    struct fat_node d, n;
    int err;

    dir_of(dir, &d);
    lock(dir->sb);
    err = fat_lookup(&fsb(dir->sb)->v, &d, name, len, &n);
    if (!err)
        *ino = n.ino;
    return unlock(dir->sb, err);
}

static void touch(struct inode *dir)
{
    dir->mtime = dir->ctime = vfs_now();
    vfs_mark_dirty(dir);
}

static int make(struct inode *dir, const char *name, size_t len, int is_dir, struct inode **out)
{
    struct fat_node d, n;
    struct inode *inode;
    int err;

    dir_of(dir, &d);
    lock(dir->sb);
    err = fat_create(&fsb(dir->sb)->v, &d, name, len, is_dir, &n);
    unlock(dir->sb, 0);
    if (err)
        return err;
    if (!(inode = vfs_new_inode(dir->sb, n.ino)))
        return -ENOMEM;                 /* the entry stays: found again by the next lookup */
    fill_inode(inode, &n);
    if (is_dir) {
        inode->nlink = 2;
        dir->nlink++;
    }
    vfs_inode_hash(inode);
    touch(dir);
    *out = inode;
    return 0;
}

static int fat_vcreate(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
    (void)mode;
    return make(dir, name, len, 0, out);
}

static int fat_vmkdir(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
    (void)mode;
    return make(dir, name, len, 1, out);
}

static int fat_vunlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    struct fat_node d;
    int err;

    dir_of(dir, &d);
    lock(dir->sb);
    err = fat_unlink(&fsb(dir->sb)->v, &d, name, len, 0);   /* clusters: at evict */
    unlock(dir->sb, 0);
    if (err)
        return err;
    inode->nlink = 0;
    touch(dir);
    return 0;
}

static int fat_vrmdir(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    struct fat_node d;
    int err;

    dir_of(dir, &d);
    lock(dir->sb);
    err = fat_rmdir(&fsb(dir->sb)->v, &d, name, len, 0);
    unlock(dir->sb, 0);
    if (err)
        return err;
    inode->nlink = 0;
    dir->nlink--;
    touch(dir);
    return 0;
}

static int fat_vrename(struct inode *old_dir, const char *old_name, size_t old_len, struct inode *new_dir,
                       const char *new_name, size_t new_len, struct inode *inode, struct inode *victim)
{
    struct fat_node od, nd, moved;
    int err;

    dir_of(old_dir, &od);
    dir_of(new_dir, &nd);
    lock(old_dir->sb);
    err = fat_rename(&fsb(old_dir->sb)->v, &od, old_name, old_len, &nd, new_name, new_len, 0, &moved);
    unlock(old_dir->sb, 0);
    if (err)
        return err;
    set_priv(inode, moved.ino, first_of(inode));    /* its entry is elsewhere now */
    if (victim) {
        victim->nlink = 0;              /* its clusters go at its evict */
        if (S_ISDIR(victim->mode))
            new_dir->nlink--;
    }
    if (S_ISDIR(inode->mode) && old_dir != new_dir) {
        old_dir->nlink--;
        new_dir->nlink++;
    }
    touch(old_dir);
    if (new_dir != old_dir)
        touch(new_dir);
    vfs_mark_dirty(inode);              /* its fields into the new entry at the next write-back */
    return 0;
}

static int fat_vperm(void) { return -EPERM; }

static int fat_vlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    (void)dir, (void)name, (void)len, (void)inode;
    return fat_vperm();                 /* FAT has one name per file */
}

static int fat_vsymlink(struct inode *dir, const char *name, size_t len, const char *target,
                        struct inode **out)
{
    (void)dir, (void)name, (void)len, (void)target, (void)out;
    return fat_vperm();
}

static int fat_vmknod(struct inode *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
                      struct inode **out)
{
    (void)dir, (void)name, (void)len, (void)mode, (void)rdev, (void)out;
    return fat_vperm();
}

static int fat_vsetattr(struct inode *inode, const struct vfs_attr *a)
{
    struct fat_node n;
    int err = 0;

    if (((a->mask & ATTR_UID) && a->uid != 0) || ((a->mask & ATTR_GID) && a->gid != 0))
        return -EPERM;                  /* FAT keeps no owner */
    if (a->mask & ATTR_SIZE) {
        lock(inode->sb);
        err = node_of(inode, &n);
        if (!err)
            err = fat_truncate(&fsb(inode->sb)->v, &n, a->size);
        if (!err) {
            inode->size = n.size;
            set_priv(inode, where_of(inode), n.first_cluster);
            fsb(inode->sb)->pos[inode->ino % FPOS_SLOTS].ino = 0;
        }
        unlock(inode->sb, 0);
        if (err)
            return err;
    }
    if (a->mask & ATTR_MODE)
        inode->mode = (inode->mode & S_IFMT) | ((a->mode & 0222) ? 0777 : 0555);
    if (a->mask & ATTR_ATIME)
        inode->atime = a->atime;
    if (a->mask & ATTR_MTIME)
        inode->mtime = a->mtime;
    inode->ctime = inode->mtime;
    return 0;
}

static const struct inode_ops fat_dir_iops = {
    .lookup = fat_vlookup,
    .create = fat_vcreate,
    .mkdir = fat_vmkdir,
    .mknod = fat_vmknod,
    .symlink = fat_vsymlink,
    .link = fat_vlink,
    .unlink = fat_vunlink,
    .rmdir = fat_vrmdir,
    .rename = fat_vrename,
    .setattr = fat_vsetattr,
};

static const struct inode_ops fat_file_iops = { .setattr = fat_vsetattr };

/* ---- file_ops ---- */

struct fill_ctx {
    vfs_filldir_fn *fill;
    void *ctx;
};

static int fill_adapter(void *vc, const char *name, size_t len, uint64_t ino, int is_dir)
{
    struct fill_ctx *c = vc;
    return c->fill(c->ctx, name, len, ino, is_dir ? DT_DIR : DT_REG);
}

static int fat_vreaddir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    struct fill_ctx c = {fill, ctx};
    struct fat_node d;
    uint64_t cookie = f->pos;
    int err;

    dir_of(f->inode, &d);
    lock(f->inode->sb);
    err = fat_readdir(&fsb(f->inode->sb)->v, &d, &cookie, fill_adapter, &c);
    f->pos = cookie;
    return unlock(f->inode->sb, err);
}

/* fsync: the file's pages and entry, then the volume's FAT and FSInfo, then the disk's cache. */
static int fat_vfsync(struct file *f)
{
    int err = vfs_fsync_inode(f->inode), e;

    if (f->inode->sb->flags & MS_RDONLY)
        return err;
    lock(f->inode->sb);
    e = unlock(f->inode->sb, fat_sync(&fsb(f->inode->sb)->v));
    return err ? err : e;
}

static const struct file_ops fat_dir_fops = { .readdir = fat_vreaddir, .fsync = fat_vfsync };
static const struct file_ops fat_file_fops = { .fsync = fat_vfsync };

/* ---- address_ops ---- */

static int fat_get_block(struct inode *inode, uint64_t iblock, uint64_t *pblock, uint32_t *contig, int create)
{
    struct fat_sb *f = fsb(inode->sb);
    struct fat_volume *v = &f->v;
    struct fpos *fp = &f->pos[inode->ino % FPOS_SLOTS];
    struct fat_node n = {.ino = where_of(inode), .first_cluster = first_of(inode)};
    uint64_t index = iblock / v->cluster_sectors;
    uint32_t within = (uint32_t)(iblock % v->cluster_sectors), c, run = 1;
    int err;

    if (create && (iblock + 1) * v->sector_size > FAT_MAX_FILE + 1)
        return -EFBIG;                  /* DIR_FileSize is 32 bits */
    if (index >= v->clusters)
        return create ? -EFBIG : (*pblock = 0, 0);
    lock(inode->sb);
    if (fp->ino == inode->ino && fp->first == n.first_cluster && n.first_cluster) {
        n.pos_index = fp->index;
        n.pos_cluster = fp->cluster;
    }
    err = fat_bmap(v, &n, (uint32_t)index, create, &c, contig ? &run : NULL);
    if (err == -ENOENT && !create) {
        *pblock = 0;                    /* past the chain: the page cache zeroes it */
        if (contig)
            *contig = 0;
        return unlock(inode->sb, 0);
    }
    if (!err) {
        if (n.first_cluster != first_of(inode)) {
            set_priv(inode, where_of(inode), n.first_cluster);
            vfs_mark_dirty(inode);      /* the entry must point at its first cluster */
        }
        *fp = (struct fpos){inode->ino, n.first_cluster, n.pos_index, n.pos_cluster};
        *pblock = fat_cluster_sector(v, c) + within;
        if (contig)
            *contig = run * v->cluster_sectors - within;
    }
    return unlock(inode->sb, err);
}

static const struct address_ops fat_aops = { .get_block = fat_get_block };

/* ---- mount ---- */

static struct fs_type vfat_type;

/* Open dev's fs_io in the volume's sector size: 0 or -errno with a line. */
static int open_io(struct fat_sb *f, struct block_device *dev)
{
    int err = fsio_bcache_open(&f->io, dev, dev->block_size < 512 ? 512 : dev->block_size, BCACHE_BLOCKS);
    int bps = err ? err : fat_sector_size(&f->io);

    if (bps < 0) {
        printk(LOG_WARN, "[fat] %s: no FAT boot sector (%d): not mounted\n", dev->name, bps);
        if (!err)
            fsio_bcache_close(&f->io);
        return err ? err : -EINVAL;
    }
    if ((uint32_t)bps != f->io.block_size &&
        ((uint32_t)bps < dev->block_size || (err = fsio_bcache_set_block_size(&f->io, (uint32_t)bps)) != 0)) {
        printk(LOG_WARN, "[fat] %s: %d-byte sectors on a disk of %u-byte blocks: not mounted\n",
               dev->name, bps, dev->block_size);
        fsio_bcache_close(&f->io);
        return -EINVAL;
    }
    return 0;
}

static int fat_vmount(struct block_device *dev, unsigned long flags, const char *options,
                      struct super_block **out)
{
    struct fat_sb *f = kcalloc(1, sizeof(*f));
    struct super_block *sb;
    int err;

    (void)options;
    if (!f)
        return -ENOMEM;
    if (!dev || (err = open_io(f, dev)) != 0) {
        kfree(f);
        return dev ? err : -ENODEV;
    }
    err = fat_mount(&f->v, &f->io, dev->name, (flags & MS_RDONLY) != 0);
    if (!err && f->v.total_sectors * f->v.sector_size / DIR_ENTRY_SIZE >= MAX_POSITION)
        err = -EFBIG;
    if (err || !(sb = vfs_new_super(&vfat_type, dev))) {
        printk(LOG_WARN, "[fat] %s: %s: not mounted\n", dev->name,
               err == -EFBIG ? "larger than 2 TiB" : err ? f->v.warning : "no memory");
        fsio_bcache_close(&f->io);
        kfree(f);
        return err ? -EINVAL : -ENOMEM;
    }
    if (f->v.warnings) {
        f->v.read_only = 1;
        f->said_ro = 1;
        printk(LOG_WARN, "[fat] %s: %s: mounted read-only\n", dev->name, f->v.warning);
    }
    mutex_init(&f->lock, "fat");
    f->v.now = fat_now;
    sb->ops = &fat_super_ops;
    sb->block_size = f->v.sector_size;
    sb->root_ino = FAT_ROOT_INO;
    sb->flags = f->v.read_only ? MS_RDONLY : 0;
    sb->priv = f;
    printk(LOG_INFO, "[fat] %s: FAT%u, %u-byte sectors, %u-byte clusters, %u of %u free%s\n", dev->name,
           f->v.type, f->v.sector_size, f->v.cluster_size, f->v.free_count, f->v.clusters,
           f->v.read_only ? ", read-only" : "");
    *out = sb;
    return 0;
}

static struct fs_type vfat_type = { .name = "vfat", .needs_device = 1, .mount = fat_vmount };

void fat_register(void)
{
    vfs_register_fs(&vfat_type);
}
