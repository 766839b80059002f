/*
 * procfs.c - the "proc" file system (procfs.h): its root directory, the
 * table of the kernel's entries, and the open/read/release of their texts.
 *
 * Inodes: the root is 1, entry i of the table is i + 2 (a file, or a
 * folder such as bus and bus/pci); from PROCFS_PCI_INO up the PCI
 * folders' (entries_pci.c), from PROCFS_PROCESS_INO up the process layer's. Readdir cookies: 0
 * ".", 1 "..", 2 + i entry i, then the process layer's from
 * PROCFS_PROCESS_COOKIE. Nothing is on a disk: write_inode does nothing and
 * times are the mount's.
 */
#include <string.h>

#include "errno.h"
#include "format.h"
#include "fs/procfs/procfs.h"
#include "mm/heap.h"

#define TEXT_FIRST      1024            /* a text's first buffer; it doubles as needed */

#define IN_ROOT         (-1)            /* an entry's parent: the root directory */
#define BUS             1               /* the index of "bus" in entries[] */
#define BUS_PCI         (PROCFS_PCI_DIR_INO - 2)    /* and of "bus/pci" (inode = index + 2) */

/* A file (show set) or a directory (show NULL) in the directory entries[parent]; a directory
 * may hold more names than the table's, given by its procfs_subdir_ops. */
struct procfs_entry {
    const char *name;
    procfs_show_fn *show;
    int parent;
    const struct procfs_subdir_ops *more;
};

/* The root's names in the order readdir gives them (the processes' come after "version"),
 * then the names of the folders below it. */
static const struct procfs_entry entries[] = {
    { "bootinfo", procfs_show_bootinfo, IN_ROOT, NULL },
    [BUS] = { "bus", NULL, IN_ROOT, NULL },
    { "cmdline", procfs_show_cmdline, IN_ROOT, NULL },
    { "filesystems", procfs_show_filesystems, IN_ROOT, NULL },
    { "interrupts", procfs_show_interrupts, IN_ROOT, NULL },
    { "meminfo", procfs_show_meminfo, IN_ROOT, NULL },
    { "mounts", procfs_show_mounts, IN_ROOT, NULL },
    { "partitions", procfs_show_partitions, IN_ROOT, NULL },
    { "stat", procfs_show_stat, IN_ROOT, NULL },
    { "timeline", procfs_show_timeline, IN_ROOT, NULL },
    { "uptime", procfs_show_uptime, IN_ROOT, NULL },
    { "version", procfs_show_version, IN_ROOT, NULL },
    [BUS_PCI] = { "pci", NULL, BUS, &procfs_pci_bus_dirs },
    { "devices", procfs_show_pci_devices, BUS_PCI, NULL },
};
#define ENTRIES (sizeof entries / sizeof entries[0])

static const struct procfs_process_ops *process_ops;
static struct vfs_time mounted_at;
static const struct inode_ops procfs_dir_iops, procfs_entry_iops;
static const struct file_ops procfs_dir_fops, procfs_entry_fops;
static struct fs_type procfs_type;

void procfs_set_process_ops(const struct procfs_process_ops *ops)
{
    process_ops = ops;
}

const struct procfs_process_ops *procfs_process_ops(void)
{
    return process_ops;
}

static int grow(struct procfs_text *t, size_t need)
{
    size_t cap = t->cap ? t->cap : TEXT_FIRST;
    char *b;

    while (cap < need)
        cap *= 2;
    if (cap == t->cap)
        return 0;
    if (!(b = krealloc(t->buf, cap))) {
        t->err = -ENOMEM;
        return -ENOMEM;
    }
    t->buf = b;
    t->cap = cap;
    return 0;
}

void procfs_printf(struct procfs_text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->err || grow(t, t->len + 1) != 0)
        return;
    va_start(ap, fmt);
    n = format_vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= t->cap - t->len) {         /* cut short: make room, print again */
        if (grow(t, t->len + (size_t)n + 1) != 0)
            return;
        va_start(ap, fmt);
        format_vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
    }
    t->len += (size_t)n;
}

void procfs_text_free(struct procfs_text *t)
{
    kfree(t->buf);
    memset(t, 0, sizeof *t);
}

static const struct procfs_entry *find_entry(int parent, const char *name, size_t len)
{
    for (size_t i = 0; i < ENTRIES; i++)
        if (entries[i].parent == parent && strlen(entries[i].name) == len && memcmp(entries[i].name, name, len) == 0)
            return &entries[i];
    return NULL;
}

int procfs_render(const char *name, struct procfs_text *out)
{
    const struct procfs_entry *e;
    int parent = IN_ROOT;

    memset(out, 0, sizeof *out);
    for (const char *slash; (slash = strchr(name, '/')) != NULL; name = slash + 1) {    /* "bus/pci/devices" */
        const struct procfs_entry *dir = find_entry(parent, name, (size_t)(slash - name));
        if (!dir || dir->show)
            return -ENOENT;
        parent = (int)(dir - entries);
    }
    e = find_entry(parent, name, strlen(name));
    if (!e || !e->show)
        return -ENOENT;
    e->show(out);
    if (out->err)
        procfs_text_free(out);
    return out->err ? -ENOMEM : 0;
}

/* ---- the entries' files ---- */

static int entry_open(struct inode *inode, struct file *f)
{
    const struct procfs_entry *e = inode->priv;
    struct procfs_text *t = kcalloc(1, sizeof *t);

    if (!t)
        return -ENOMEM;
    e->show(t);
    if (t->err) {
        procfs_text_free(t);
        kfree(t);
        return -ENOMEM;
    }
    f->priv = t;
    return 0;
}

void procfs_text_release(struct file *f)
{
    procfs_text_free(f->priv);
    kfree(f->priv);
}

long procfs_text_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    const struct procfs_text *t = f->priv;

    if (*pos >= t->len)
        return 0;
    if (len > t->len - *pos)
        len = (size_t)(t->len - *pos);
    memcpy(buf, t->buf + *pos, len);
    *pos += len;
    return (long)len;
}

static const struct file_ops procfs_entry_fops = {
    .open = entry_open,
    .release = procfs_text_release,
    .read = procfs_text_read,
};

/* ---- the directories: the root and the table's ---- */

/* The entry index a directory inode stands for, IN_ROOT for the root. */
static int dir_index(const struct inode *dir)
{
    return dir->ino == PROCFS_ROOT_INO ? IN_ROOT : (int)(dir->ino - 2);
}

static uint64_t ino_of_index(int i)
{
    return i == IN_ROOT ? PROCFS_ROOT_INO : (uint64_t)i + 2;
}

static int procfs_lookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    int d = dir_index(dir);
    const struct procfs_entry *e = find_entry(d, name, len);

    if (e) {
        *ino = (uint64_t)(e - entries) + 2;
        return 0;
    }
    if (d != IN_ROOT)
        return entries[d].more ? entries[d].more->lookup(name, len, ino) : -ENOENT;
    return process_ops ? process_ops->lookup(name, len, ino) : -ENOENT;
}

/* Cookies: 0 ".", 1 "..", 2 + i entry i when it is in this directory; then the directory's
 * other names (the processes' in the root, a procfs_subdir_ops's elsewhere) from
 * PROCFS_PROCESS_COOKIE. */
static int procfs_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    int d = dir_index(f->inode);

    for (;;) {
        uint64_t p = f->pos;
        int stop = 0;

        if (p >= 2 + ENTRIES) {
            const struct procfs_subdir_ops *more = d == IN_ROOT ? NULL : entries[d].more;
            if (d == IN_ROOT ? !process_ops : !more)
                return 0;
            if (p < PROCFS_PROCESS_COOKIE)
                f->pos = PROCFS_PROCESS_COOKIE;
            return more ? more->readdir(&f->pos, fill, ctx) : process_ops->readdir(&f->pos, fill, ctx);
        }
        if (p < 2)                      /* "." then "..": the first p + 1 bytes of ".." */
            stop = fill(ctx, "..", p + 1, p ? ino_of_index(d == IN_ROOT ? IN_ROOT : entries[d].parent)
                                            : f->inode->ino, DT_DIR);
        else if (entries[p - 2].parent == d)
            stop = fill(ctx, entries[p - 2].name, strlen(entries[p - 2].name), p,
                        entries[p - 2].show ? DT_REG : DT_DIR);
        if (stop)
            return 0;
        f->pos++;
    }
}

static const struct inode_ops procfs_dir_iops = { .lookup = procfs_lookup };
static const struct inode_ops procfs_entry_iops = { 0 };
static const struct file_ops procfs_dir_fops = { .readdir = procfs_readdir };

/* ---- the volume ---- */

static int procfs_read_inode(struct inode *inode)
{
    if (inode->ino >= PROCFS_PROCESS_INO)
        return process_ops ? process_ops->read_inode(inode) : -ENOENT;
    inode->uid = inode->gid = 0;
    inode->atime = inode->mtime = inode->ctime = mounted_at;
    if (inode->ino >= PROCFS_PCI_INO)
        return procfs_pci_bus_dirs.read_inode(inode);
    if (inode->ino == PROCFS_ROOT_INO || (inode->ino >= 2 && inode->ino - 2 < ENTRIES &&
                                          !entries[inode->ino - 2].show)) {
        inode->mode = S_IFDIR | 0555;
        inode->nlink = 2;
        inode->iops = &procfs_dir_iops;
        inode->fops = &procfs_dir_fops;
        return 0;
    }
    if (inode->ino < 2 || inode->ino - 2 >= ENTRIES)
        return -ENOENT;
    inode->mode = S_IFREG | 0444;       /* size 0, as Linux's: the text is made at open */
    inode->nlink = 1;
    inode->iops = &procfs_entry_iops;
    inode->fops = &procfs_entry_fops;
    inode->priv = (void *)&entries[inode->ino - 2];
    return 0;
}

static int procfs_write_inode(struct inode *inode)
{
    (void)inode;
    return 0;
}

static int procfs_statfs(struct super_block *sb, struct vfs_statfs *out)
{
    (void)sb;
    memset(out, 0, sizeof *out);
    out->magic = PROCFS_MAGIC;
    out->bsize = 4096;
    out->namelen = NAME_MAX;
    return 0;
}

static int procfs_sync_fs(struct super_block *sb)
{
    (void)sb;
    return 0;
}

static void procfs_put_super(struct super_block *sb)
{
    (void)sb;
}

static const struct super_ops procfs_super_ops = {
    .read_inode = procfs_read_inode,
    .write_inode = procfs_write_inode,
    .statfs = procfs_statfs,
    .sync_fs = procfs_sync_fs,
    .put_super = procfs_put_super,
};

static int procfs_mount(struct block_device *dev, unsigned long flags, const char *options,
                        struct super_block **out)
{
    struct super_block *sb = vfs_new_super(&procfs_type, NULL);

    (void)dev, (void)options;
    if (!sb)
        return -ENOMEM;
    mounted_at = vfs_now();
    sb->ops = &procfs_super_ops;
    sb->block_size = 4096;
    sb->root_ino = PROCFS_ROOT_INO;
    sb->flags = flags;
    *out = sb;
    return 0;
}

static struct fs_type procfs_type = { .name = "proc", .mount = procfs_mount, .uncached_names = 1 };

void procfs_init(void)
{
    vfs_register_fs(&procfs_type);
}

/* The registered types, the newest first (the VFS puts each at the head of its list, and
 * procfs registers last at boot: kernel/fs/root.c). /proc/filesystems walks them. */
const struct fs_type *procfs_fs_types(void)
{
    return &procfs_type;
}
