/*
 * initramfs.c - a newc archive unpacked through the VFS (initramfs.h).
 *
 * One pass makes the entries in archive order (a directory comes before
 * what is in it, as `find | cpio -o` writes them); a second pass over the
 * same archive sets the directories' mtimes, which the first pass changed
 * by adding names. Hard links are remembered by (device, inode) in a list
 * that lives for one unpack.
 */
#include <string.h>

#include "arch.h"
#include "boot/bootinfo_view.h"
#include "errno.h"
#include "format.h"
#include "fs/cpio/cpio.h"
#include "fs/cpio/initramfs.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mutant.h"
#include "printk.h"

#define CPIO_SUFFIX     ".cpio"
#define MODE_BITS       07777

struct seen_link {
    uint32_t ino, major, minor;
    char *path;
    struct seen_link *next;
};

struct unpack {
    const char *dest;
    char *path;                         /* PATH_MAX: the entry's path in the tree */
    struct seen_link *links;
    struct initramfs_stats *stats;
};

/* dest + "/" + name without its leading "./" and "/": 0, or -ENAMETOOLONG. */
static int entry_path(struct unpack *u, const char *name)
{
    int n;

    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else
            break;
    }
    if (strcmp(name, ".") == 0)
        name = "";
    n = format_snprintf(u->path, PATH_MAX, "%s%s%s", u->dest,
                        name[0] && u->dest[strlen(u->dest) - 1] != '/' ? "/" : "", name);
    return n < PATH_MAX ? 0 : -ENAMETOOLONG;
}

static const char *find_link(struct unpack *u, const struct cpio_entry *e)
{
    for (struct seen_link *l = u->links; l; l = l->next)
        if (l->ino == e->ino && l->major == e->dev_major && l->minor == e->dev_minor)
            return l->path;
    return NULL;
}

static void remember_link(struct unpack *u, const struct cpio_entry *e)
{
    size_t n = strlen(u->path) + 1;
    struct seen_link *l = kmalloc(sizeof *l + n);

    if (!l)
        return;                         /* the next name gets a copy of its own instead */
    l->ino = e->ino;
    l->major = e->dev_major;
    l->minor = e->dev_minor;
    l->path = (char *)(l + 1);
    memcpy(l->path, u->path, n);
    l->next = u->links;
    u->links = l;
}

static int make_regular(struct unpack *u, const struct cpio_entry *e)
{
    const char *old = e->nlink > 1 && !MUTANT_ENABLED(initramfs_links) ? find_link(u, e) : NULL;
    unsigned flags = O_WRONLY | O_CREAT | O_TRUNC;
    struct file *f;
    long n = 0;
    int err;

    if (old) {
        if ((err = vfs_link(NULL, old, u->path)) != 0)
            return err;
        flags = O_WRONLY;               /* the first name's data stays unless this one brings some */
    } else if (e->nlink > 1) {
        remember_link(u, e);
    }
    if ((err = vfs_open(NULL, u->path, flags, e->mode & MODE_BITS, &f)) != 0)
        return err;
    if (e->size)
        n = vfs_write(f, e->data, e->size);
    file_put(f);
    if (n < 0)
        return (int)n;
    if ((uint64_t)n != e->size)
        return -EIO;
    u->stats->bytes += e->size;
    return 0;
}

static int make_symlink(struct unpack *u, const struct cpio_entry *e)
{
    char *target;
    int err;

    if (e->size == 0 || e->size >= PATH_MAX)
        return -ENAMETOOLONG;
    if (!(target = kmalloc(e->size + 1)))
        return -ENOMEM;
    memcpy(target, e->data, e->size);
    target[e->size] = 0;
    err = vfs_symlink(target, NULL, u->path);
    kfree(target);
    return err;
}

/* The entry's object at u->path, by its type. */
static int make_object(struct unpack *u, const struct cpio_entry *e)
{
    switch (e->mode & S_IFMT) {
    case S_IFDIR:
        return vfs_mkdir(NULL, u->path, e->mode & MODE_BITS);
    case S_IFREG:
        return make_regular(u, e);
    case S_IFLNK:
        return make_symlink(u, e);
    case S_IFCHR:
    case S_IFBLK:
    case S_IFIFO:
    case S_IFSOCK:
        return vfs_mknod(NULL, u->path, e->mode, VFS_DEV(e->rdev_major, e->rdev_minor));
    default:
        return -EINVAL;
    }
}

/* Owner, mode bits (open and mkdir may have masked set-id bits) and times, as the archive says. */
static int set_attributes(struct unpack *u, const struct cpio_entry *e)
{
    struct vfs_attr a = { 0 };
    int is_link = S_ISLNK(e->mode);

    a.mask = ATTR_UID | ATTR_GID | ATTR_ATIME | ATTR_MTIME | (is_link ? 0 : ATTR_MODE);
    a.mode = e->mode & MODE_BITS;
    a.uid = e->uid;
    a.gid = e->gid;
    a.atime.sec = a.mtime.sec = e->mtime;
    return vfs_setattr(NULL, u->path, !is_link, &a);
}

static void unpack_entry(struct unpack *u, const struct cpio_entry *e)
{
    int err = entry_path(u, e->name), top = strcmp(u->path, u->dest) == 0;

    if (!err && !top) {
        err = make_object(u, e);
        if (err == -EEXIST && !S_ISDIR(e->mode) && vfs_unlink(NULL, u->path) == 0)
            err = make_object(u, e);    /* a later archive replaces a file (Linux's clean_path) */
        else if (err == -EEXIST && S_ISDIR(e->mode))
            err = 0;
    }
    if (!err)
        err = set_attributes(u, e);
    if (err) {
        printk(LOG_WARN, "[initramfs] %s: cannot make it (error %d): skipped\n", e->name, err);
        u->stats->failed++;
        return;
    }
    u->stats->entries++;
}

/* The second pass: each directory's mtime, now that nothing is added under it. */
static void set_directory_times(struct unpack *u, const void *archive, size_t len)
{
    struct cpio_reader r;
    struct cpio_entry e;

    cpio_reader_init(&r, archive, len);
    while (cpio_next(&r, &e) == 1)
        if (S_ISDIR(e.mode) && entry_path(u, e.name) == 0)
            set_attributes(u, &e);
}

int initramfs_unpack(const void *archive, size_t len, const char *dest, struct initramfs_stats *stats)
{
    struct unpack u = { .dest = dest, .stats = stats };
    struct cpio_reader r;
    struct cpio_entry e;
    int rc;

    memset(stats, 0, sizeof *stats);
    if (!(u.path = kmalloc(PATH_MAX)))
        return -ENOMEM;
    cpio_reader_init(&r, archive, len);
    while ((rc = cpio_next(&r, &e)) == 1)
        unpack_entry(&u, &e);
    if (rc < 0)
        printk(LOG_WARN, "[initramfs] damaged archive: %s; %u entries unpacked before it\n", r.error,
               stats->entries);
    if (!MUTANT_ENABLED(initramfs_dir_times))
        set_directory_times(&u, archive, len);
    while (u.links) {
        struct seen_link *next = u.links->next;

        kfree(u.links);
        u.links = next;
    }
    kfree(u.path);
    return rc < 0 ? -EINVAL : 0;
}

static int ends_with(const char *name, const char *suffix)
{
    size_t n = strnlen(name, BOOTINFO_MODULE_NAME_LEN), s = strlen(suffix);

    return n >= s && memcmp(name + n - s, suffix, s) == 0;
}

/* A newc archive by its first bytes ("070701" or "070702"), as Linux finds its initramfs. */
static int starts_as_cpio(const struct bootinfo_module *m)
{
    const char *p = arch_phys_to_virt(m->addr);

    return m->size >= CPIO_HEADER_SIZE && memcmp(p, "07070", 5) == 0 && (p[5] == '1' || p[5] == '2');
}

int initramfs_module(void)
{
    const struct bootinfo *bi = bootinfo_get();

    for (unsigned i = 0; i < bi->module_count; i++)
        if (ends_with(bootinfo_module(i)->name, CPIO_SUFFIX))
            return (int)i;
    for (unsigned i = 0; i < bi->module_count; i++)
        if (!ends_with(bootinfo_module(i)->name, ".img") && starts_as_cpio(bootinfo_module(i)))
            return (int)i;
    return -1;
}

int initramfs_load(const char *dest)
{
    int i = initramfs_module(), err;
    const struct bootinfo_module *m;
    struct initramfs_stats st;

    if (i < 0)
        return -ENOENT;
    m = bootinfo_module((unsigned)i);
    err = initramfs_unpack(arch_phys_to_virt(m->addr), m->size, dest, &st);
    printk(LOG_INFO, "[initramfs] %u files, %llu bytes from %s%s\n", st.entries, (unsigned long long)st.bytes,
           m->name, err ? " (damaged: see above)" : "");
    return err;
}
