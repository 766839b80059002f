/*
 * test_fat.c - FAT12/16/32 through the VFS (kernel/fs/fat/, docs/files-fat.md),
 * on volumes mkfs.fat and mtools made on the host and the loader gave as
 * module RAM disks (tests/qemu/fat-images.sh; the cell fat/ramdisk-*):
 *
 *   fat_reads_host_files   every byte of the files mcopy wrote, on FAT12, FAT16
 *                          and FAT32; long and Unicode names, any case; stat
 *                          and statfs as Linux's vfat reports them
 *   fat_writes_read_back   folders, 100 files, a 300 KB file written in odd
 *                          pieces, 12 folders deep, renames across folders (a
 *                          folder too), truncate down and up, unlinks; after
 *                          unmount and mount every byte is back, and once all
 *                          is removed the free count is what it was (no lost
 *                          cluster)
 *   fat_full_disk          writes until ENOSPC; after a remount the file holds
 *                          what was written, the volume has 0 free, an unlink
 *                          gives it all back
 *   fat_damaged_volumes    a boot sector without its signature is refused; a
 *                          chain leaving the volume is -EIO on read and the
 *                          mount goes read-only (-EROFS), never a panic
 *
 * Without the FAT modules (every other cell) they skip: "no /boot/fat16.img".
 */
#include <string.h>

#include "block/blockdev.h"
#include "errno.h"
#include "format.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "test/ktest.h"

#define CHUNK   4096

/* The RAM disk made from module `name`, or NULL. */
static struct block_device *module_disk(const char *name)
{
    for (struct block_device *d = block_first(); d; d = d->next)
        if (strcmp(d->model, name) == 0)
            return d;
    return NULL;
}

static int mount_module(const char *module, const char *at)
{
    struct block_device *d = module_disk(module);
    int err;

    if (!d)
        return -ENODEV;
    err = vfs_mkdir(NULL, at, 0755);
    if (err && err != -EEXIST)
        return err;
    return vfs_mount(d->name, at, "vfat", 0, NULL);
}

/* Byte i of the host's text files: lines "tessera fat line %05d\n". */
static char line_byte(uint64_t i)
{
    char line[32];

    format_snprintf(line, sizeof line, "tessera fat line %05u\n", (unsigned)(i / 23));
    return line[i % 23];
}

/* Byte i of the files the tests write. */
static uint8_t pattern(uint64_t i, unsigned seed) { return (uint8_t)(i * 7 + i / 251 + seed); }

/* Does path hold exactly size bytes, byte i being want(i)? 0, or what differs. */
static long check_file(const char *path, uint64_t size, int text, unsigned seed)
{
    struct file *f;
    uint8_t *buf = kmalloc(CHUNK);
    uint64_t pos = 0;
    long n = vfs_open(NULL, path, O_RDONLY, 0, &f);

    if (!buf || n) {
        kfree(buf);
        return n ? n : -ENOMEM;
    }
    while ((n = vfs_read(f, buf, CHUNK)) > 0) {
        for (long i = 0; i < n; i++, pos++)
            if (pos >= size || buf[i] != (text ? (uint8_t)line_byte(pos) : pattern(pos, seed))) {
                n = -1000 - (long)(pos % 1000);
                goto out;
            }
    }
    if (n == 0 && pos != size)
        n = -2000;
out:
    file_put(f);
    kfree(buf);
    return n;
}

/* Write size bytes of pattern(seed) to path in pieces of odd sizes: 0 or -errno. */
static long write_file(const char *path, uint64_t size, unsigned seed)
{
    struct file *f;
    uint8_t *buf = kmalloc(10007);
    uint64_t pos = 0, piece = 4097;
    long n = vfs_open(NULL, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);

    if (!buf || n) {
        kfree(buf);
        return n ? n : -ENOMEM;
    }
    while (pos < size) {
        uint64_t k = size - pos < piece ? size - pos : piece;
        for (uint64_t i = 0; i < k; i++)
            buf[i] = pattern(pos + i, seed);
        if ((n = vfs_write(f, buf, k)) != (long)k)
            break;
        pos += k;
        piece = piece * 3 % 10007 + 1;
        n = 0;
    }
    file_put(f);
    kfree(buf);
    return n < 0 ? n : pos == size ? 0 : -EIO;
}

static int has_name(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
    const char *want = ctx;

    (void)ino, (void)type;
    if (strlen(want) == len && memcmp(want, name, len) == 0)
        *(char *)want = '\0';           /* found: the caller sees "" */
    return 0;
}

static int dir_has(const char *dir, const char *name)
{
    char want[300];
    struct file *f;

    format_snprintf(want, sizeof want, "%s", name);
    if (vfs_open(NULL, dir, O_RDONLY | O_DIRECTORY, 0, &f))
        return 0;
    vfs_readdir(f, has_name, want);     /* has_name never stops it: every entry */
    file_put(f);
    return want[0] == '\0';
}

static void reads_one(struct ktest *t, const char *module, const char *at)
{
    char path[128], buf[64];
    struct vfs_stat st;
    struct vfs_statfs sf;

    if (!KTEST_ASSERT_EQ(t, mount_module(module, at), 0))
        return;
    format_snprintf(path, sizeof path, "%s/HELLO.TXT", at);
    KTEST_ASSERT_EQ(t, vfs_read_file(path, buf, sizeof buf), 18);
    KTEST_ASSERT(t, memcmp(buf, "hello from mtools\n", 18) == 0);
    format_snprintf(path, sizeof path, "%s/hello.txt", at);        /* any case */
    KTEST_ASSERT_EQ(t, vfs_read_file(path, buf, sizeof buf), 18);
    format_snprintf(path, sizeof path, "%s/A long file name – ünï.txt", at);
    KTEST_ASSERT_EQ(t, check_file(path, 23000, 1, 0), 0);
    format_snprintf(path, sizeof path, "%s/A LONG FILE NAME – ÜNÏ.TXT", at);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, path, 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.mode, S_IFREG | 0777);
    KTEST_ASSERT_EQ(t, st.size, 23000);
    format_snprintf(path, sizeof path, "%s/Deep/ER/big.bin", at);
    KTEST_ASSERT_EQ(t, check_file(path, 460000, 1, 0), 0);
    KTEST_ASSERT(t, dir_has(at, "A long file name – ünï.txt"));
    KTEST_ASSERT(t, dir_has(at, "HELLO.TXT"));
    KTEST_ASSERT(t, dir_has(at, "deep"));
    KTEST_ASSERT_EQ(t, vfs_statfs(NULL, at, &sf), 0);
    KTEST_ASSERT_EQ(t, sf.magic, 0x4d44);
    KTEST_ASSERT_EQ(t, vfs_umount(at), 0);
}

void ktest_fat_reads_host_files(struct ktest *t)
{
    if (!module_disk("/boot/fat16.img")) {
        KTEST_SKIP(t, "no /boot/fat16.img");
        return;
    }
    reads_one(t, "/boot/fat12.img", "/fat12");
    reads_one(t, "/boot/fat16.img", "/fat16");
    reads_one(t, "/boot/fat32.img", "/fat32");
}

static uint64_t free_clusters(const char *at)
{
    struct vfs_statfs sf;
    return vfs_statfs(NULL, at, &sf) ? ~0ull : sf.bfree;
}

#define P(...) (format_snprintf(path, sizeof path, __VA_ARGS__), path)

/*
 * rmdir, then a fresh mount: the VFS keeps a removed directory's dentry busy while
 * dentries of names once in it remain (umount says EBUSY, tmpfs too: reported to the
 * VFS's owner), so each directory goes in a mount of its own, where no name below it
 * was looked up. The remount also evicts every inode, so their clusters are free.
 */
static int rmdir_fresh(const char *module, const char *at, const char *dir)
{
    int err = vfs_rmdir(NULL, dir), e2 = vfs_umount(at);

    if (!e2)
        e2 = mount_module(module, at);
    return err ? err : e2;
}

static void writes_one(struct ktest *t, const char *module, const char *at)
{
    char path[256];
    struct file *f;
    uint64_t before;

    if (!KTEST_ASSERT_EQ(t, mount_module(module, at), 0))
        return;
    before = free_clusters(at);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, P("%s/w", at), 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, P("%s/w/a", at), 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, P("%s/w/b", at), 0755), 0);
    KTEST_ASSERT_EQ(t, write_file(P("%s/w/a/Ünïcödé file.txt", at), 300000, 1), 0);
    for (unsigned i = 0; i < 100; i++)
        KTEST_ASSERT_EQ(t, write_file(P("%s/w/many files %u.txt", at, i), i * 13, i), 0);
    char deep[256];
    format_snprintf(deep, sizeof deep, "%s/w", at);
    for (unsigned i = 0; i < 12; i++) {
        size_t l = strlen(deep);
        format_snprintf(deep + l, sizeof deep - l, "/level %u", i);
        KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, deep, 0755), 0);
    }
    format_snprintf(path, sizeof path, "%s/bottom.bin", deep);
    KTEST_ASSERT_EQ(t, write_file(path, 5000, 9), 0);
    char from[128], to[128];
    format_snprintf(from, sizeof from, "%s/w/a/Ünïcödé file.txt", at);
    format_snprintf(to, sizeof to, "%s/w/b/moved.txt", at);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, from, to, 0), 0);
    format_snprintf(from, sizeof from, "%s/w/a", at);
    format_snprintf(to, sizeof to, "%s/w/b/a moved", at);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, from, to, 0), 0);
    KTEST_ASSERT_EQ(t, vfs_truncate(NULL, P("%s/w/b/moved.txt", at), 1000), 0);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, P("%s/w/b/moved.txt", at), O_RDWR, 0, &f), 0);
    KTEST_ASSERT_EQ(t, vfs_ftruncate(f, 5000), 0);
    file_put(f);
    for (unsigned i = 0; i < 50; i++)
        KTEST_ASSERT_EQ(t, vfs_unlink(NULL, P("%s/w/many files %u.txt", at, i)), 0);
    KTEST_ASSERT_EQ(t, vfs_sync(), 0);
    KTEST_ASSERT_EQ(t, vfs_umount(at), 0);
    /* a fresh mount: nothing from the page cache */
    if (!KTEST_ASSERT_EQ(t, mount_module(module, at), 0))
        return;
    format_snprintf(path, sizeof path, "%s/w/b/a moved", at);
    for (unsigned i = 0; i < 12; i++) {
        size_t l = strlen(path);
        format_snprintf(path + l, sizeof path - l, "/level %u", i);
    }
    size_t l = strlen(path);
    format_snprintf(path + l, sizeof path - l, "/bottom.bin");
    KTEST_ASSERT_EQ(t, check_file(path, 5000, 0, 9), -ENOENT);     /* it stayed in w/, not a/ */
    format_snprintf(deep, sizeof deep, "%s/w", at);
    for (unsigned i = 0; i < 12; i++) {
        l = strlen(deep);
        format_snprintf(deep + l, sizeof deep - l, "/level %u", i);
    }
    l = strlen(deep);
    format_snprintf(deep + l, sizeof deep - l, "/bottom.bin");
    KTEST_ASSERT_EQ(t, check_file(deep, 5000, 0, 9), 0);
    uint8_t *buf = kmalloc(5000);
    KTEST_ASSERT_EQ(t, vfs_read_file(P("%s/w/b/moved.txt", at), buf, 5000), 5000);
    int same = 1;
    for (unsigned i = 0; i < 5000; i++)
        same &= buf[i] == (i < 1000 ? pattern(i, 1) : 0);
    KTEST_ASSERT(t, same);
    kfree(buf);
    for (unsigned i = 0; i < 100; i++)
        KTEST_ASSERT_EQ(t, check_file(P("%s/w/many files %u.txt", at, i), i * 13, 0, i), i < 50 ? -ENOENT : 0);
    /* remove everything: the free count comes back exactly */
    for (unsigned i = 50; i < 100; i++)
        KTEST_ASSERT_EQ(t, vfs_unlink(NULL, P("%s/w/many files %u.txt", at, i)), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, deep), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, P("%s/w/b/moved.txt", at)), 0);
    KTEST_ASSERT_EQ(t, vfs_umount(at), 0);
    if (!KTEST_ASSERT_EQ(t, mount_module(module, at), 0))
        return;
    for (int i = 11; i >= 0; i--) {
        size_t cut = strlen(deep);
        while (cut > 0 && deep[cut - 1] != '/')
            cut--;
        deep[cut - 1] = '\0';
        KTEST_ASSERT_EQ(t, rmdir_fresh(module, at, deep), 0);
    }
    KTEST_ASSERT_EQ(t, rmdir_fresh(module, at, P("%s/w/b/a moved", at)), 0);
    KTEST_ASSERT_EQ(t, rmdir_fresh(module, at, P("%s/w/b", at)), 0);
    KTEST_ASSERT_EQ(t, rmdir_fresh(module, at, P("%s/w", at)), 0);
    KTEST_ASSERT_EQ(t, free_clusters(at), before);
    KTEST_ASSERT_EQ(t, vfs_umount(at), 0);
}

void ktest_fat_writes_read_back(struct ktest *t)
{
    if (!module_disk("/boot/fat16.img")) {
        KTEST_SKIP(t, "no /boot/fat16.img");
        return;
    }
    writes_one(t, "/boot/fat16.img", "/fat16");
    writes_one(t, "/boot/fat32.img", "/fat32");
}

void ktest_fat_full_disk(struct ktest *t)
{
    char path[64];
    struct file *f;
    uint8_t *buf;
    uint64_t before, written = 0;
    long n = 0;

    if (!module_disk("/boot/fat12.img")) {
        KTEST_SKIP(t, "no /boot/fat12.img");
        return;
    }
    if (!KTEST_ASSERT_EQ(t, mount_module("/boot/fat12.img", "/fat12"), 0))
        return;
    before = free_clusters("/fat12");
    buf = kmalloc(65536);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, P("/fat12/fill.bin"), O_WRONLY | O_CREAT, 0644, &f), 0);
    while (n >= 0) {
        for (unsigned i = 0; i < 65536; i++)
            buf[i] = pattern(written + i, 5);
        n = vfs_write(f, buf, 65536);
        if (n > 0)
            written += (uint64_t)n;
        if (n != 65536)
            break;
    }
    KTEST_ASSERT(t, n == -ENOSPC || (n >= 0 && n < 65536));
    while (n >= 0) {                    /* the rest of the last cluster, then ENOSPC */
        for (unsigned i = 0; i < 100; i++)
            buf[i] = pattern(written + i, 5);
        if ((n = vfs_write(f, buf, 100)) > 0)
            written += (uint64_t)n;
    }
    KTEST_ASSERT_EQ(t, n, -ENOSPC);
    KTEST_ASSERT_EQ(t, free_clusters("/fat12"), 0);
    KTEST_ASSERT_EQ(t, vfs_fsync(f), 0);
    file_put(f);
    kfree(buf);
    KTEST_ASSERT_EQ(t, vfs_umount("/fat12"), 0);
    if (!KTEST_ASSERT_EQ(t, mount_module("/boot/fat12.img", "/fat12"), 0))
        return;
    KTEST_ASSERT_EQ(t, free_clusters("/fat12"), 0);
    KTEST_ASSERT_EQ(t, check_file("/fat12/fill.bin", written, 0, 5), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/fat12/fill.bin"), 0);
    KTEST_ASSERT_EQ(t, vfs_umount("/fat12"), 0);
    if (!KTEST_ASSERT_EQ(t, mount_module("/boot/fat12.img", "/fat12"), 0))
        return;
    KTEST_ASSERT_EQ(t, free_clusters("/fat12"), before);
    KTEST_ASSERT_EQ(t, vfs_umount("/fat12"), 0);
}

void ktest_fat_damaged_volumes(struct ktest *t)
{
    char buf[64];
    struct vfs_statfs sf;

    if (!module_disk("/boot/fat-bad.img")) {
        KTEST_SKIP(t, "no /boot/fat-bad.img");
        return;
    }
    KTEST_ASSERT_EQ(t, mount_module("/boot/fat-bad.img", "/fatbad"), -EINVAL);
    if (!KTEST_ASSERT_EQ(t, mount_module("/boot/fat-leak.img", "/fatleak"), 0))
        return;
    KTEST_ASSERT_EQ(t, vfs_read_file("/fatleak/HELLO.TXT", buf, sizeof buf), 18);
    KTEST_ASSERT_EQ(t, vfs_read_file("/fatleak/LEAK.BIN", buf, sizeof buf), -EIO);
    KTEST_ASSERT_EQ(t, vfs_statfs(NULL, "/fatleak", &sf), 0);
    KTEST_ASSERT(t, sf.flags & MS_RDONLY);
    KTEST_ASSERT_EQ(t, vfs_write_file("/fatleak/new.txt", "x", 1), -EROFS);
    KTEST_ASSERT_EQ(t, vfs_umount("/fatleak"), 0);
}
