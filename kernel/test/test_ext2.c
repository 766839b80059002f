/*
 * test_ext2.c - ext2 in the kernel (kernel/fs/ext2/, docs/files-ext2.md)
 * through the VFS, on RAM disks from boot modules made by `mke2fs -d` at
 * build time (tests/build.mk, EXT2_KT_*; tests/qemu/ext2-ktest.sh boots them):
 *
 *   ext2_read_image   /boot/ext2-1k.img (1 KiB blocks, several groups)
 *                     mounted read-only: a 300,000-byte file of the pattern
 *                     (i * 7 + 13) & 255 read back, a sparse file whose end
 *                     sits in a triple-indirect block, fast and slow
 *                     symlinks, a hard link, readdir, statfs; writes EROFS
 *   ext2_write_image  /boot/ext2-4k.img (4 KiB blocks) mounted read-write:
 *                     mkdir, a 1 MiB file written, fsynced and read back,
 *                     rename across directories, link, unlink, symlink,
 *                     truncate, rmdir, a sparse file past 4 GiB, a full
 *                     volume (ENOSPC, then every block back after unlink),
 *                     umount (the superblock says clean), mount again and
 *                     every byte read back
 *
 *   ext2_corrupt_volumes  /boot/e2incomp.img refused (-EINVAL), e2rocomp.img
 *                     mounted read-only (EROFS on write), e2baddir.img mounted but
 *                     its root directory unreadable (-EIO): each with a log line
 *                     (tests/qemu/ext2-ktest.sh checks them), none a panic
 *   ext2_disk_write   a disk (not a RAM disk) whose volume is labelled
 *                     TESSERA-EXT2W (tests/qemu/ext2-disk.sh makes it with
 *                     mke2fs): a tree of files written by four threads at
 *                     once on every CPU, a directory moved,
 *                     a name unlinked, a file truncated, symlinks, a hard
 *                     link, a file past 4 GiB, unmounted; the script then runs
 *                     e2fsck -fn on the disk file and compares `debugfs rdump`
 *                     with the same tree made by the host
 *
 * Each skips when its volume is absent (every other cell).
 */
#include <stdint.h>
#include <string.h>

#include "block/blockdev.h"
#include "errno.h"
#include "format.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"

#define PATTERN_FILE_BYTES  300000
#define SPARSE_BYTES        (70ull * 1024 * 1024 + 4)   /* tests/build.mk: 70 MiB of hole, "END\n" */
#define SLOW_TARGET_LEN     100
#define BIG_FILE_BYTES      (1024 * 1024)

static uint8_t pattern_byte(uint64_t i) { return (uint8_t)((i * 7 + 13) & 255); }

/* The RAM disk made from the module whose name ends in suffix, or NULL. */
static struct block_device *module_disk(const char *suffix)
{
    size_t n = strlen(suffix);

    for (struct block_device *d = block_first(); d; d = d->next) {
        size_t m = strlen(d->model);
        if (!d->disk && m >= n && strcmp(d->model + m - n, suffix) == 0)
            return d;
    }
    return NULL;
}

/* Does the file at path hold len bytes of the pattern from offset `from` of it? */
static int check_pattern(const char *path, uint64_t len, uint8_t *buf, size_t buf_size)
{
    struct file *f = NULL;
    uint64_t at = 0;
    int ok = vfs_open(NULL, path, O_RDONLY, 0, &f) == 0;

    while (ok && at < len) {
        long n = vfs_read(f, buf, buf_size);
        ok = n > 0;
        for (long i = 0; ok && i < n; i++)
            ok = buf[i] == pattern_byte(at + (uint64_t)i);
        at += n > 0 ? (uint64_t)n : 0;
    }
    if (ok)
        ok = vfs_read(f, buf, 1) == 0;          /* and no more */
    if (f)
        file_put(f);
    return ok && at == len;
}

static int mount_point(const char *path)
{
    int err = vfs_mkdir(NULL, path, 0755);
    return err == -EEXIST ? 0 : err;
}

void ktest_ext2_read_image(struct ktest *t)
{
    struct block_device *d = module_disk("/ext2-1k.img");
    struct vfs_stat a, b;
    struct vfs_statfs sfs;
    char link[200];
    uint8_t *buf;

    if (!d) {
        KTEST_SKIP(t, "no /boot/ext2-1k.img module");
        return;
    }
    if (!KTEST_ASSERT_EQ(t, mount_point("/ext2r"), 0) ||
        !KTEST_ASSERT_EQ(t, vfs_mount(d->name, "/ext2r", "ext2", MS_RDONLY, NULL), 0))
        return;
    buf = kmalloc(65536);
    KTEST_ASSERT(t, check_pattern("/ext2r/pattern.bin", PATTERN_FILE_BYTES, buf, 65536));
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2r/sparse", 1, &a), 0);
    KTEST_ASSERT_EQ(t, a.size, SPARSE_BYTES);
    KTEST_ASSERT(t, a.blocks < 64);             /* holes own no blocks */
    struct file *f;
    if (KTEST_ASSERT_EQ(t, vfs_open(NULL, "/ext2r/sparse", O_RDONLY, 0, &f), 0)) {
        memset(buf, 0xFF, 8);
        KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 4, SPARSE_BYTES - 4), 4);
        KTEST_ASSERT(t, memcmp(buf, "END\n", 4) == 0);
        KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 8, 40ull << 20), 8);
        KTEST_ASSERT(t, memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0);
        file_put(f);
    }
    KTEST_ASSERT_EQ(t, vfs_readlink(NULL, "/ext2r/fast", link, sizeof link), 21);
    KTEST_ASSERT(t, memcmp(link, "dir/sub/deep/file.txt", 21) == 0);
    KTEST_ASSERT_EQ(t, vfs_readlink(NULL, "/ext2r/slow", link, sizeof link), SLOW_TARGET_LEN);
    long n = vfs_read_file("/ext2r/fast", buf, 100);   /* followed */
    KTEST_ASSERT_EQ(t, n, 13);
    KTEST_ASSERT(t, n == 13 && memcmp(buf, "tessera ext2\n", 13) == 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2r/pattern.bin", 1, &a), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2r/hard", 1, &b), 0);
    KTEST_ASSERT_EQ(t, a.ino, b.ino);
    KTEST_ASSERT_EQ(t, a.nlink, 2);
    KTEST_ASSERT_EQ(t, vfs_statfs(NULL, "/ext2r", &sfs), 0);
    KTEST_ASSERT_EQ(t, sfs.magic, 0xEF53);
    KTEST_ASSERT_EQ(t, sfs.bsize, 1024);
    KTEST_ASSERT_EQ(t, vfs_write_file("/ext2r/new", "x", 1), -EROFS);
    kfree(buf);
    KTEST_ASSERT_EQ(t, vfs_umount("/ext2r"), 0);
}

/* Write len bytes of the pattern to path (created or truncated), then fsync. */
static int write_pattern(const char *path, uint64_t len, uint8_t *buf, size_t buf_size)
{
    struct file *f = NULL;
    int err = vfs_open(NULL, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);

    for (uint64_t at = 0; !err && at < len;) {
        size_t n = len - at < buf_size ? (size_t)(len - at) : buf_size;
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern_byte(at + i);
        long w = vfs_write(f, buf, n);
        err = w == (long)n ? 0 : w < 0 ? (int)w : -EIO;
        at += n;
    }
    if (f) {
        if (!err)
            err = vfs_fsync(f);
        file_put(f);
    }
    return err;
}

/* Fill the volume with one file until ENOSPC; then its removal gives every block back. */
static void full_volume(struct ktest *t, uint8_t *buf)
{
    struct vfs_statfs before, full, after;
    struct file *f;
    long w = 0;

    memset(buf, 0x5A, 65536);
    KTEST_ASSERT_EQ(t, vfs_statfs(NULL, "/ext2w", &before), 0);
    if (!KTEST_ASSERT_EQ(t, vfs_open(NULL, "/ext2w/fill", O_WRONLY | O_CREAT, 0644, &f), 0))
        return;
    for (int i = 0; i < 4096 && (w = vfs_write(f, buf, 65536)) == 65536; i++)
        ;
    if (w >= 0)                                 /* the last write was short: the next fails */
        w = vfs_write(f, buf, 65536);
    KTEST_ASSERT_EQ(t, w, -ENOSPC);
    file_put(f);
    KTEST_ASSERT_EQ(t, vfs_statfs(NULL, "/ext2w", &full), 0);
    KTEST_ASSERT_EQ(t, full.bfree, 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/ext2w/fill"), 0);
    KTEST_ASSERT_EQ(t, vfs_statfs(NULL, "/ext2w", &after), 0);
    KTEST_ASSERT_EQ(t, after.bfree, before.bfree);
}

/* Past 4 GiB: i_size_high, and a triple-indirect block with 4 KiB blocks. */
static void over_4gib(struct ktest *t)
{
    struct vfs_stat st;
    struct file *f;
    char back[4];

    if (!KTEST_ASSERT_EQ(t, vfs_open(NULL, "/ext2w/big", O_RDWR | O_CREAT, 0644, &f), 0))
        return;
    KTEST_ASSERT_EQ(t, vfs_pwrite(f, "FAR", 3, 5ull << 30), 3);
    KTEST_ASSERT_EQ(t, vfs_fsync(f), 0);
    KTEST_ASSERT_EQ(t, vfs_pread(f, back, 3, 5ull << 30), 3);
    KTEST_ASSERT(t, memcmp(back, "FAR", 3) == 0);
    file_put(f);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2w/big", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.size, (5ull << 30) + 3);
}

/* The superblock's state on the disk itself (Poirier 3.1, s_state at byte 58 of it). */
static unsigned disk_state(struct block_device *d, uint8_t *buf)
{
    if (block_read(d, 1024 / d->block_size, 1, buf))
        return ~0u;
    uint8_t *sb = buf + 1024 % d->block_size;
    return sb[58] | sb[59] << 8;
}

void ktest_ext2_write_image(struct ktest *t)
{
    struct block_device *d = module_disk("/ext2-4k.img");
    struct vfs_stat st;
    char link[64];
    uint8_t *buf;

    if (!d) {
        KTEST_SKIP(t, "no /boot/ext2-4k.img module");
        return;
    }
    if (!KTEST_ASSERT_EQ(t, mount_point("/ext2w"), 0) ||
        !KTEST_ASSERT_EQ(t, vfs_mount(d->name, "/ext2w", "ext2", 0, NULL), 0))
        return;
    buf = kmalloc(65536);
    KTEST_ASSERT_EQ(t, disk_state(d, buf) & 1, 0);      /* in use: not clean while mounted */
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/ext2w/a", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/ext2w/b", 0755), 0);
    KTEST_ASSERT_EQ(t, write_pattern("/ext2w/a/f", BIG_FILE_BYTES, buf, 65536), 0);
    KTEST_ASSERT(t, check_pattern("/ext2w/a/f", BIG_FILE_BYTES, buf, 65536));
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/ext2w/a/f", "/ext2w/b/g", 0), 0);
    KTEST_ASSERT_EQ(t, vfs_link(NULL, "/ext2w/b/g", "/ext2w/a/h"), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2w/a/h", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.nlink, 2);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/ext2w/a/h"), 0);
    KTEST_ASSERT_EQ(t, vfs_symlink("../b/g", NULL, "/ext2w/a/s"), 0);
    KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/ext2w/b/g", 100000), 0);
    KTEST_ASSERT(t, check_pattern("/ext2w/a/s", 100000, buf, 65536));  /* through the symlink */
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/ext2w/a/gone", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/ext2w/a/gone"), 0);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/ext2w/a", "/ext2w/b/a", 0), 0);   /* a directory moves */
    over_4gib(t);
    full_volume(t, buf);
    KTEST_ASSERT_EQ(t, vfs_umount("/ext2w"), 0);
    KTEST_ASSERT_EQ(t, disk_state(d, buf) & 1, 1);      /* clean again */
    /* mounted again: what was written is there */
    if (KTEST_ASSERT_EQ(t, vfs_mount(d->name, "/ext2w", "ext2", 0, NULL), 0)) {
        KTEST_ASSERT(t, check_pattern("/ext2w/b/g", 100000, buf, 65536));
        KTEST_ASSERT_EQ(t, vfs_readlink(NULL, "/ext2w/b/a/s", link, sizeof link), 6);
        KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2w/b/a/h", 0, &st), -ENOENT);
        KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2w/big", 1, &st), 0);
        KTEST_ASSERT_EQ(t, st.size, (5ull << 30) + 3);
        KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2w/b/a", 1, &st), 0);
        KTEST_ASSERT_EQ(t, st.nlink, 2);
        KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2w/b", 1, &st), 0);
        KTEST_ASSERT_EQ(t, st.nlink, 3);
        /* shrunk with its last page not cached (mounted afresh), then grown: the old bytes
         * past the cut read as zeros */
        KTEST_ASSERT_EQ(t, vfs_umount("/ext2w"), 0);
        KTEST_ASSERT_EQ(t, vfs_mount(d->name, "/ext2w", "ext2", 0, NULL), 0);
        KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/ext2w/b/g", 5000), 0);
        KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/ext2w/b/g", 100000), 0);
        KTEST_ASSERT_EQ(t, vfs_read_file("/ext2w/b/g", buf, 65536), 65536);
        int zeros = 1;
        for (unsigned i = 5000; i < 65536; i++)
            zeros &= buf[i] == 0;
        KTEST_ASSERT(t, zeros);
        KTEST_ASSERT_EQ(t, buf[4999], pattern_byte(4999));
        KTEST_ASSERT_EQ(t, vfs_umount("/ext2w"), 0);
    }
    kfree(buf);
}

/* ---- a disk the host checks after the run (tests/qemu/ext2-disk.sh) ---- */

#define DISK_LABEL      "TESSERA-EXT2W"
#define DISK_DIRS       20
#define DISK_FILES      5
#define DISK_WRITERS    4               /* threads writing the tree at once, over the CPUs */

static const uint32_t disk_sizes[5] = { 0, 100, 5000, 70000, 300000 };

/* The whole disk whose ext2 volume has the label, or NULL. */
static struct block_device *labelled_disk(uint8_t *buf)
{
    for (struct block_device *d = block_first(); d; d = d->next) {
        if (d->disk || d->block_size > 1024 || block_read(d, 1024 / d->block_size, 1024 / d->block_size, buf))
            continue;
        if (buf[56] == 0x53 && buf[57] == 0xEF && memcmp(buf + 120, DISK_LABEL, sizeof DISK_LABEL) == 0)
            return d;
    }
    return NULL;
}

/* File k of directory j: its size and bytes (ext2-disk.sh makes the same). */
static void disk_file(char *path, size_t size, unsigned j, unsigned k)
{
    format_snprintf(path, size, "/ext2d/tree/d%02u/f%u", j, k);
}

static int disk_write_file(const char *path, unsigned j, unsigned k, uint8_t *buf)
{
    uint32_t len = disk_sizes[(j + k) % 5];

    for (uint32_t i = 0; i < len; i++)
        buf[i] = (uint8_t)((i * 7 + 13 + j * 31 + k) & 255);
    long n = vfs_write_file(path, buf, len);
    return n == (long)len ? 0 : n < 0 ? (int)n : -EIO;
}

/* Writers on every CPU at once: writer w makes directories w, w + n, ... with their files. */
struct disk_job {
    unsigned first, step;
    int err;
};

static void disk_writer(void *arg)
{
    struct disk_job *job = arg;
    uint8_t *buf = kmalloc(300000);
    char path[64];

    job->err = buf ? 0 : -ENOMEM;
    for (unsigned j = job->first; !job->err && j < DISK_DIRS; j += job->step) {
        format_snprintf(path, sizeof path, "/ext2d/tree/d%02u", j);
        job->err = vfs_mkdir(NULL, path, 0755);
        for (unsigned k = 0; !job->err && k < DISK_FILES; k++) {
            disk_file(path, sizeof path, j, k);
            job->err = disk_write_file(path, j, k, buf);
        }
    }
    kfree(buf);
}

static void disk_writers(struct ktest *t)
{
    struct disk_job jobs[DISK_WRITERS];
    struct thread *th[DISK_WRITERS];
    unsigned cpus = sched_cpus();

    for (unsigned i = 0; i < DISK_WRITERS; i++) {
        jobs[i] = (struct disk_job){ i, DISK_WRITERS, 0 };
        th[i] = thread_create_on("ktest_ext2", disk_writer, &jobs[i], SCHED_PRIO_DEFAULT, (int)(i % cpus));
        KTEST_ASSERT(t, th[i] != NULL);
    }
    for (unsigned i = 0; i < DISK_WRITERS; i++)
        if (th[i]) {
            thread_join(th[i]);
            KTEST_ASSERT_EQ(t, jobs[i].err, 0);
        }
}

void ktest_ext2_disk_write(struct ktest *t)
{
    uint8_t *buf = kmalloc(300000);
    struct block_device *d = buf ? labelled_disk(buf) : NULL;
    char slow[101];
    struct file *f;

    if (!d) {
        kfree(buf);
        KTEST_SKIP(t, "no disk with an ext2 volume labelled " DISK_LABEL);
        return;
    }
    if (!KTEST_ASSERT_EQ(t, mount_point("/ext2d"), 0) ||
        !KTEST_ASSERT_EQ(t, vfs_mount(d->name, "/ext2d", "ext2", 0, NULL), 0)) {
        kfree(buf);
        return;
    }
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/ext2d/tree", 0755), 0);
    disk_writers(t);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/ext2d/moved", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/ext2d/tree/d00", "/ext2d/moved/d00", 0), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/ext2d/tree/d01/f0"), 0);
    KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/ext2d/tree/d04/f3", 1234), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/ext2d/links", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_symlink("../tree/d02/f1", NULL, "/ext2d/links/fast"), 0);
    memset(slow, 'x', 100);
    slow[100] = 0;
    KTEST_ASSERT_EQ(t, vfs_symlink(slow, NULL, "/ext2d/links/slow"), 0);
    KTEST_ASSERT_EQ(t, vfs_link(NULL, "/ext2d/tree/d03/f2", "/ext2d/links/hard"), 0);
    if (KTEST_ASSERT_EQ(t, vfs_open(NULL, "/ext2d/big5g", O_WRONLY | O_CREAT, 0644, &f), 0)) {
        KTEST_ASSERT_EQ(t, vfs_pwrite(f, "TAIL", 4, 5ull << 30), 4);
        file_put(f);
    }
    KTEST_ASSERT_EQ(t, vfs_umount("/ext2d"), 0);
    printk(LOG_INFO, "ext2: wrote the checked tree on %s\n", d->name);
    kfree(buf);
}

/* ---- damaged volumes ---- */

static int ignore_entry(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
    (void)name;
    (void)len;
    (void)ino;
    (void)type;
    ++*(unsigned *)ctx;
    return 0;
}

/* readdir of path: 0 or -errno. */
static int list_dir(const char *path)
{
    struct file *f;
    unsigned count = 0;
    int err = vfs_open(NULL, path, O_RDONLY | O_DIRECTORY, 0, &f);

    if (err)
        return err;
    err = vfs_readdir(f, ignore_entry, &count);
    file_put(f);
    return err;
}

void ktest_ext2_corrupt_volumes(struct ktest *t)
{
    struct block_device *incompat = module_disk("/e2incomp.img");
    struct block_device *rocompat = module_disk("/e2rocomp.img");
    struct block_device *baddir = module_disk("/e2baddir.img");
    struct vfs_statfs sfs;

    if (!incompat || !rocompat || !baddir) {
        KTEST_SKIP(t, "no /boot/e2{incomp,rocomp,baddir}.img modules");
        return;
    }
    if (!KTEST_ASSERT_EQ(t, mount_point("/ext2c"), 0))
        return;
    KTEST_ASSERT_EQ(t, vfs_mount(incompat->name, "/ext2c", "ext2", 0, NULL), -EINVAL);
    if (KTEST_ASSERT_EQ(t, vfs_mount(rocompat->name, "/ext2c", "ext2", 0, NULL), 0)) {
        KTEST_ASSERT_EQ(t, vfs_statfs(NULL, "/ext2c", &sfs), 0);
        KTEST_ASSERT(t, sfs.flags & MS_RDONLY);
        KTEST_ASSERT_EQ(t, vfs_write_file("/ext2c/new", "x", 1), -EROFS);
        KTEST_ASSERT_EQ(t, list_dir("/ext2c"), 0);
        KTEST_ASSERT_EQ(t, vfs_umount("/ext2c"), 0);
    }
    if (KTEST_ASSERT_EQ(t, vfs_mount(baddir->name, "/ext2c", "ext2", 0, NULL), 0)) {
        KTEST_ASSERT_EQ(t, list_dir("/ext2c"), -EIO);
        struct vfs_stat st;
        KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/ext2c/file", 1, &st), -EIO);
        KTEST_ASSERT_EQ(t, vfs_umount("/ext2c"), 0);
    }
}
