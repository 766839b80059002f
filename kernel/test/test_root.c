/*
 * test_root.c - ktests of the boot's mounts (kernel/fs/root.c):
 *   root_standard_mounts  the top mount on "/" is the root root_init chose
 *                         (the initramfs when the command line has no root=
 *                         and a .cpio module was loaded); devfs is on /dev,
 *                         procfs on /proc; the boot partition on /boot when
 *                         there is one and vfat is registered
 */
#include <string.h>

#include "block/blockdev.h"
#include "boot/bootinfo_view.h"
#include "fs/cpio/initramfs.h"
#include "fs/procfs/procfs.h"
#include "fs/root.h"
#include "fs/vfs.h"
#include "test/ktest.h"

static const struct mount *last_on(const char *path)
{
    const struct mount *found = NULL;

    for (const struct mount *m = vfs_mounts(); m; m = m->next)
        if (strcmp(m->path, path) == 0)
            found = m;
    return found;
}

/* 1 when a word of the command line starts with "root=". */
static int has_root_word(const char *c, size_t len)
{
    for (size_t i = 0; i + 5 <= len; i++)
        if ((i == 0 || c[i - 1] == ' ' || c[i - 1] == '\t') && memcmp(c + i, "root=", 5) == 0)
            return 1;
    return 0;
}

static int registered(const char *name)
{
    for (const struct fs_type *f = procfs_fs_types(); f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return 1;
    return 0;
}

void ktest_root_standard_mounts(struct ktest *t)
{
    const struct mount *root = last_on("/"), *dev = last_on("/dev"), *proc = last_on("/proc");
    const struct mount *boot_mnt = last_on("/boot");
    struct block_device *boot = block_boot_device();
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    struct vfs_stat st;

    if (KTEST_ASSERT(t, root != NULL)) {
        KTEST_ASSERT_STR_EQ(t, root->sb->type->name, root_fstype());
        if (strcmp(root_source(), "initramfs") != 0)
            KTEST_ASSERT_STR_EQ(t, root->source, root_source());
    }
    if (!has_root_word(cmdline, len) && initramfs_module() >= 0)
        KTEST_ASSERT_STR_EQ(t, root_source(), "initramfs");
    KTEST_ASSERT(t, dev && strcmp(dev->sb->type->name, "devfs") == 0);
    KTEST_ASSERT(t, proc && strcmp(proc->sb->type->name, "proc") == 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/dev/null", 1, &st), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/proc/meminfo", 1, &st), 0);
    if (boot && strcmp(boot->name, root_source()) != 0 && registered("vfat") &&
        KTEST_ASSERT(t, boot_mnt != NULL))
        KTEST_ASSERT_STR_EQ(t, boot_mnt->source, boot->name);
}
