/*
 * devfs.c - the "devfs" file system (devfs.h): one directory of device
 * nodes, made when it is mounted.
 *
 * Inodes: the root is 1, node i of the table is i + 2. Each node holds its
 * name, mode, device number, file_ops and device; read_inode copies them
 * into the VFS's inode. The table is filled once at mount and never
 * changes, so lookups and readdir take no lock.
 */
#include <string.h>

#include "block/blockdev.h"
#include "errno.h"
#include "format.h"
#include "fs/devfs/devfs.h"
#include "fs/devfs/devices.h"
#include "lib/random.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "printk.h"
#include "tty/tty.h"

#define DEVFS_NODES_MAX     128
#define DEVFS_ROOT_INO      1
#define DEVFS_NAME_MAX      16
#define DEVFS_MAGIC         0x01021994      /* Linux's devtmpfs is a tmpfs: TMPFS_MAGIC */
#define VT_MAX              63              /* tty1..tty63, Linux's MAX_NR_CONSOLES */
#define SERIAL_MAX          8               /* ttyS0..ttyS7 probed */

struct devfs_node {
    char name[DEVFS_NAME_MAX];
    uint32_t mode;
    uint64_t rdev;
    const struct file_ops *fops;
    void *dev;
};

struct devfs {
    struct devfs_node nodes[DEVFS_NODES_MAX];
    unsigned count;
    struct vfs_time made;
};

static const struct inode_ops devfs_dir_iops, devfs_node_iops;
static const struct file_ops devfs_dir_fops;
static struct fs_type devfs_type;

static void add_node(struct devfs *fs, const char *name, uint32_t mode, uint64_t rdev,
                     const struct file_ops *fops, void *dev)
{
    struct devfs_node *n;

    if (fs->count == DEVFS_NODES_MAX) {
        printk(LOG_WARN, "[devfs] no room for /dev/%s (%u nodes at most)\n", name, DEVFS_NODES_MAX);
        return;
    }
    n = &fs->nodes[fs->count++];
    format_snprintf(n->name, sizeof n->name, "%s", name);
    n->mode = mode;
    n->rdev = rdev;
    n->fops = fops;
    n->dev = dev;
}

static void add_memory_devices(struct devfs *fs)
{
    add_node(fs, "null", S_IFCHR | 0666, VFS_DEV(1, 3), &devfs_null_fops, NULL);
    add_node(fs, "zero", S_IFCHR | 0666, VFS_DEV(1, 5), &devfs_zero_fops, NULL);
    add_node(fs, "full", S_IFCHR | 0666, VFS_DEV(1, 7), &devfs_full_fops, NULL);
    add_node(fs, "random", S_IFCHR | 0666, VFS_DEV(1, 8), &devfs_random_fops, NULL);
    add_node(fs, "urandom", S_IFCHR | 0666, VFS_DEV(1, 9), &devfs_random_fops, NULL);
}

/* The disk's number from its name after prefix: a letter (sda -> 0) or digits (ram0 -> 0). */
static int disk_number(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    int v = 0;

    if (strncmp(name, prefix, n) != 0)
        return -1;
    name += n;
    if (name[0] >= 'a' && name[0] <= 'z')
        return name[1] == 0 || (name[1] >= '0' && name[1] <= '9') ? name[0] - 'a' : -1;
    if (name[0] < '0' || name[0] > '9')
        return -1;
    while (*name >= '0' && *name <= '9')
        v = v * 10 + (*name++ - '0');
    return v;
}

uint64_t devfs_block_rdev(const struct block_device *dev)
{
    const struct block_device *disk = dev->disk ? dev->disk : dev;
    unsigned part = dev->disk ? dev->part_index : 0, n = 0;
    int d;

    if (part >= 16)
        return 0;
    if ((d = disk_number(disk->name, "sd")) >= 0 && d < 16)
        return VFS_DEV(8, 16 * d + part);
    if ((d = disk_number(disk->name, "vd")) >= 0 && d < 16)
        return VFS_DEV(254, 16 * d + part);
    if ((d = disk_number(disk->name, "ram")) >= 0 && d < 16)
        return VFS_DEV(1, 16 * d + part);
    if (strncmp(disk->name, "nvme", 4) != 0)
        return 0;
    for (const struct block_device *b = block_first(); b && b != dev; b = b->next)
        n += strncmp(b->name, "nvme", 4) == 0;
    return n < 256 ? VFS_DEV(259, n) : 0;
}

static void add_block_devices(struct devfs *fs)
{
    for (struct block_device *d = block_first(); d; d = d->next)
        add_node(fs, d->name, S_IFBLK | 0660, devfs_block_rdev(d), &devfs_block_fops, d);
}

static void add_terminals(struct devfs *fs)
{
    char name[TTY_NAME_MAX];
    struct tty *t;

    for (unsigned i = 1; i <= VT_MAX; i++) {
        format_snprintf(name, sizeof name, "tty%u", i);
        if ((t = tty_find(name)))
            add_node(fs, name, S_IFCHR | 0620, VFS_DEV(4, i), &devfs_tty_fops, t);
    }
    for (unsigned i = 0; i < SERIAL_MAX; i++) {
        format_snprintf(name, sizeof name, "ttyS%u", i);
        if ((t = tty_find(name)))
            add_node(fs, name, S_IFCHR | 0660, VFS_DEV(4, 64 + i), &devfs_tty_fops, t);
    }
    add_node(fs, "tty", S_IFCHR | 0666, VFS_DEV(5, 0), &devfs_ctty_fops, NULL);
}

static int devfs_read_inode(struct inode *inode)
{
    struct devfs *fs = inode->sb->priv;
    const struct devfs_node *n;

    inode->uid = inode->gid = 0;
    inode->atime = inode->mtime = inode->ctime = fs->made;
    if (inode->ino == DEVFS_ROOT_INO) {
        inode->mode = S_IFDIR | 0755;
        inode->nlink = 2;
        inode->iops = &devfs_dir_iops;
        inode->fops = &devfs_dir_fops;
        return 0;
    }
    if (inode->ino < 2 || inode->ino - 2 >= fs->count)
        return -ENOENT;
    n = &fs->nodes[inode->ino - 2];
    inode->mode = n->mode;
    inode->nlink = 1;
    inode->rdev = n->rdev;
    inode->iops = &devfs_node_iops;
    inode->fops = n->fops;
    inode->priv = n->dev;
    return 0;
}

static int devfs_write_inode(struct inode *inode)
{
    (void)inode;                        /* nothing on a disk: times live in memory only */
    return 0;
}

static int devfs_statfs(struct super_block *sb, struct vfs_statfs *out)
{
    struct devfs *fs = sb->priv;

    memset(out, 0, sizeof *out);
    out->magic = DEVFS_MAGIC;
    out->bsize = 4096;
    out->files = fs->count + 1;
    out->namelen = NAME_MAX;
    return 0;
}

static int devfs_sync_fs(struct super_block *sb)
{
    (void)sb;
    return 0;
}

static void devfs_put_super(struct super_block *sb)
{
    kfree(sb->priv);
}

static const struct super_ops devfs_super_ops = {
    .read_inode = devfs_read_inode,
    .write_inode = devfs_write_inode,
    .statfs = devfs_statfs,
    .sync_fs = devfs_sync_fs,
    .put_super = devfs_put_super,
};

static int devfs_lookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    struct devfs *fs = dir->sb->priv;

    for (unsigned i = 0; i < fs->count; i++)
        if (strlen(fs->nodes[i].name) == len && memcmp(fs->nodes[i].name, name, len) == 0) {
            *ino = i + 2;
            return 0;
        }
    return -ENOENT;
}

/* f->pos: 0 ".", 1 "..", 2 + i node i. */
static int devfs_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    struct devfs *fs = f->inode->sb->priv;

    for (;;) {
        uint64_t p = f->pos;
        const struct devfs_node *n = p >= 2 && p - 2 < fs->count ? &fs->nodes[p - 2] : NULL;
        int stop;

        if (p >= 2 && !n)
            return 0;
        if (n)
            stop = fill(ctx, n->name, strlen(n->name), p, vfs_dtype(n->mode));
        else                            /* "." then "..": the first p + 1 bytes of ".." */
            stop = fill(ctx, "..", p + 1, DEVFS_ROOT_INO, DT_DIR);
        if (stop)
            return 0;
        f->pos++;
    }
}

static const struct inode_ops devfs_dir_iops = { .lookup = devfs_lookup };
static const struct inode_ops devfs_node_iops = { 0 };
static const struct file_ops devfs_dir_fops = { .readdir = devfs_readdir };

static int devfs_mount(struct block_device *dev, unsigned long flags, const char *options,
                       struct super_block **out)
{
    struct devfs *fs = kcalloc(1, sizeof *fs);
    struct super_block *sb;

    (void)dev, (void)options;
    if (!fs)
        return -ENOMEM;
    if (!(sb = vfs_new_super(&devfs_type, NULL))) {
        kfree(fs);
        return -ENOMEM;
    }
    fs->made = vfs_now();
    add_memory_devices(fs);
    add_block_devices(fs);
    add_terminals(fs);
    sb->ops = &devfs_super_ops;
    sb->block_size = 4096;
    sb->root_ino = DEVFS_ROOT_INO;
    sb->flags = flags;
    sb->priv = fs;
    *out = sb;
    return 0;
}

static struct fs_type devfs_type = { .name = "devfs", .mount = devfs_mount };

void devfs_init(void)
{
    random_init();
    vfs_register_fs(&devfs_type);
}
