/*
 * root.c - the root file system and the standard mounts (root.h).
 *
 * The root, by the command line (docs/files-root.md):
 *   root=initramfs   the .cpio boot module unpacked into the tmpfs at "/"
 *   root=tmpfs       the empty tmpfs vfs_init mounted stays
 *   root=NAME        the block device NAME ("sda2", "nvme0n1p2", "vda2") mounted
 *                    over "/" as ext2, or vfat when it is no ext2 (rootfstype=TYPE
 *                    names the one type to try)
 *   no root=         the initramfs when a .cpio module was loaded; else the ext2
 *                    partition after the boot partition on the boot disk (the
 *                    images put it there: disk/); else the tmpfs stays, with a
 *                    line saying why
 * A root that cannot be mounted leaves the tmpfs (Linux would panic; a
 * kernel with a monitor and tests is more use running), logged as an error.
 *
 * Then /dev (devfs), /proc (procfs) and /boot (the boot partition, vfat;
 * not when it is the root itself), each directory made first when the root
 * lacks it and is writable. One line says what the root is:
 *     [vfs] root: sda2 (ext2)
 */
#include <string.h>

#include "block/blockdev.h"
#include "boot/bootinfo_view.h"
#include "errno.h"
#include "format.h"
#include "fs/cpio/initramfs.h"
#include "fs/devfs/devfs.h"
#include "fs/procfs/procfs.h"
#include "fs/root.h"
#include "fs/vfs.h"
#include "printk.h"

static char source[ROOT_NAME_MAX] = "tmpfs";
static char fstype[ROOT_NAME_MAX] = "tmpfs";

const char *root_source(void)
{
    return source;
}

const char *root_fstype(void)
{
    return fstype;
}

/* The value of the word "key=VALUE" on the command line into out: 1, or 0 when absent. */
static int cmdline_value(const char *key, char *out, size_t size)
{
    size_t len, klen = strlen(key);
    const char *c = bootinfo_cmdline(&len), *end = c + len;

    while (c < end) {
        const char *w = c;

        while (c < end && *c && *c != ' ' && *c != '\t')
            c++;
        if ((size_t)(c - w) > klen && memcmp(w, key, klen) == 0 && w[klen] == '=') {
            format_snprintf(out, size, "%.*s", (int)(c - w - klen - 1), w + klen + 1);
            return 1;
        }
        if (c < end && !*c)
            break;
        c++;
    }
    return 0;
}

static void set_root(const char *src, const char *type)
{
    format_snprintf(source, sizeof source, "%s", src);
    format_snprintf(fstype, sizeof fstype, "%s", type);
}

/* NAME over "/" as type, or as ext2 then vfat when type is NULL: 0 or the last error. */
static int mount_device_root(const char *name, const char *type)
{
    static const char *const types[] = { "ext2", "vfat" };
    int err = -ENODEV;

    if (!block_find(name))
        return -ENXIO;
    for (unsigned i = 0; i < 2 && err; i++) {
        const char *t = type ? type : types[i];

        if ((err = vfs_mount(name, "/", t, 0, NULL)) == 0)
            set_root(name, t);
        if (type)
            break;
    }
    return err;
}

/* The partition after the boot partition on the boot disk, or NULL. */
static struct block_device *default_root_partition(void)
{
    struct block_device *boot = block_boot_device();
    char name[BLOCK_NAME_LEN];

    if (!boot || !boot->disk || block_part_name(name, boot->disk->name, boot->part_index + 1) != 0)
        return NULL;
    return block_find(name);
}

static void mount_initramfs_root(void)
{
    if (initramfs_load("/") != -ENOENT)
        set_root("initramfs", "tmpfs");
    else
        printk(LOG_ERR, "[vfs] root=initramfs: no boot module is a cpio archive (named *.cpio or "
               "starting with the newc magic): the root stays an empty tmpfs\n");
}

/* The root the command line names, or the default. */
static void choose_root(void)
{
    char want[ROOT_NAME_MAX], type[ROOT_NAME_MAX];
    int has_type = cmdline_value("rootfstype", type, sizeof type), err;
    struct block_device *part;

    if (cmdline_value("root", want, sizeof want)) {
        if (strcmp(want, "initramfs") == 0)
            mount_initramfs_root();
        else if (strcmp(want, "tmpfs") == 0)
            ;                           /* the empty tmpfs vfs_init mounted, asked for */
        else if ((err = mount_device_root(want, has_type ? type : NULL)) != 0)
            printk(LOG_ERR, "[vfs] root=%s: %s (error %d): the root stays an empty tmpfs\n", want,
                   err == -ENXIO ? "no such block device" : "no file system mounts from it", err);
        return;
    }
    if (initramfs_module() >= 0) {
        mount_initramfs_root();
        return;
    }
    if (!(part = default_root_partition())) {
        printk(LOG_INFO, "[vfs] no initramfs module and no partition after the boot partition: "
               "the root stays an empty tmpfs\n");
        return;
    }
    if ((err = mount_device_root(part->name, "ext2")) != 0)
        printk(LOG_WARN, "[vfs] %s after the boot partition is no ext2 root (error %d): the root stays "
               "an empty tmpfs\n", part->name, err);
}

/* A file system on dir, the directory made first when missing. */
static void mount_on(const char *src, const char *dir, const char *type)
{
    int err = vfs_mkdir(NULL, dir, 0755);

    if (err && err != -EEXIST) {
        printk(LOG_WARN, "[vfs] no %s on %s: cannot make the directory (error %d)\n", type, dir, err);
        return;
    }
    if ((err = vfs_mount(src, dir, type, 0, NULL)) != 0)
        printk(LOG_WARN, "[vfs] no %s on %s: mount failed (error %d)\n", type, dir, err);
}

void root_init(void)
{
    struct block_device *boot = block_boot_device();

    devfs_init();
    procfs_init();                      /* last: its type heads the list (procfs_fs_types) */
    choose_root();
    printk(LOG_INFO, "[vfs] root: %s (%s)\n", source, fstype);
    mount_on("devfs", "/dev", "devfs");
    mount_on("proc", "/proc", "proc");
    if (boot && strcmp(boot->name, source) != 0)
        mount_on(boot->name, "/boot", "vfat");
}
