/*
 * bench_fs.c - bench=fs (see bench.h): what the file systems cost, measured
 * the way the Linux anchor's fsbench measures them
 * (../shared/anchors/linux/fsbench.c), on the same kind of disk
 * (tests/bench/fs-disk.sh: partition 1 ext2 with 4 KiB blocks, partition 2
 * FAT32 with 4 KiB clusters, both holding file32m, 32 MiB). The disk is the
 * one bench_fs_disk=NAME names (default sdb, the second disk). For each
 * file system, one bench: line per row:
 *   fs_read_cold_64k_FS   per 64 KiB vfs_read of the whole file, the volume
 *                         unmounted and mounted again before each trial (so
 *                         its page cache and buffer cache start empty:
 *                         Linux's "sync; echo 3 > drop_caches"), median of
 *                         21 trials
 *   fs_read_warm_64k_FS   the same with the file already cached
 *   fs_create1000_FS      per trial (not per file): 1,000 times open with
 *                         O_CREAT|O_WRONLY|O_TRUNC, write 100 bytes, close,
 *                         in one directory, then fsync of the directory;
 *                         median of 7 trials
 *   fs_unlink1000_FS      per trial: unlink of those 1,000, then fsync of
 *                         the directory
 * A vfs_sync (not timed) separates the trials. Linux's figures include a
 * system call per operation (about 340 instructions each); Tessera's
 * processes come with issue 16, so these calls are the kernel's own API.
 * Boot with idle=poll for -icount figures (idle.c says why).
 */
#include <stdint.h>

#include "arch.h"
#include "block/blockdev.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "errno.h"
#include "format.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "printk.h"
#include "test/bench.h"

#define READ_BYTES      (64 * 1024)
#define READ_TRIALS     BENCH_TRIALS
#define CREATE_TRIALS   7
#define FILES           1000
#define SMALL_BYTES     100

struct volume {
    const char *fs;                     /* "ext2", "vfat" */
    unsigned part;                      /* partition number on the bench disk */
    char source[24];
    char mnt[24];
};

static uint8_t *buf;
static int failures;

static void fail(const char *what, const char *path, long err)
{
    printk(LOG_ERR, "bench_fs: %s %s: error %ld\n", what, path, err);
    failures++;
}

static int remount(struct volume *v, int unmount_first)
{
    int err;

    if (unmount_first && (err = vfs_umount(v->mnt)) != 0) {
        fail("umount", v->mnt, err);
        return err;
    }
    err = vfs_mount(v->source, v->mnt, v->fs, 0, NULL);
    if (err)
        fail("mount", v->source, err);
    return err;
}

/* Read path whole in 64 KiB reads: ticks per read, 0 on an error. */
static uint64_t read_whole(const char *path)
{
    struct file *f;
    uint64_t t0, ticks;
    long n, reads = 0;
    int err = vfs_open(NULL, path, O_RDONLY, 0, &f);

    if (err) {
        fail("open", path, err);
        return 0;
    }
    t0 = arch_rdtsc();
    while ((n = vfs_read(f, buf, READ_BYTES)) > 0)
        reads++;
    ticks = arch_rdtsc() - t0;
    file_put(f);
    if (n < 0 || reads == 0) {
        fail("read", path, n);
        return 0;
    }
    return ticks / (uint64_t)reads;
}

static void report(const char *op, const struct volume *v, uint64_t *ticks, int n)
{
    char name[48];

    bench_sort(ticks, n);
    format_snprintf(name, sizeof name, "fs_%s_%s", op, v->fs);
    bench_report(name, ticks[n / 2]);
}

static int fsync_path(const char *path)
{
    struct file *f;
    int err = vfs_open(NULL, path, O_RDONLY | O_DIRECTORY, 0, &f);

    if (err)
        return err;
    err = vfs_fsync(f);
    file_put(f);
    return err;
}

/* 1,000 small files in dir (timed, with the directory's fsync): ticks, 0 on an error. */
static uint64_t create_files(const char *dir)
{
    char path[64];
    uint64_t t0 = arch_rdtsc();

    for (int i = 0; i < FILES; i++) {
        struct file *f;
        long err;
        format_snprintf(path, sizeof path, "%s/f%04d.dat", dir, i);
        err = vfs_open(NULL, path, O_CREAT | O_WRONLY | O_TRUNC, 0644, &f);
        if (err) {
            fail("create", path, err);
            return 0;
        }
        err = vfs_write(f, buf, SMALL_BYTES);
        file_put(f);
        if (err != SMALL_BYTES) {
            fail("write", path, err);
            return 0;
        }
    }
    if (fsync_path(dir)) {
        fail("fsync", dir, -EIO);
        return 0;
    }
    return arch_rdtsc() - t0;
}

static uint64_t unlink_files(const char *dir)
{
    char path[64];
    uint64_t t0 = arch_rdtsc();

    for (int i = 0; i < FILES; i++) {
        int err;
        format_snprintf(path, sizeof path, "%s/f%04d.dat", dir, i);
        if ((err = vfs_unlink(NULL, path)) != 0) {
            fail("unlink", path, err);
            return 0;
        }
    }
    if (fsync_path(dir)) {
        fail("fsync", dir, -EIO);
        return 0;
    }
    return arch_rdtsc() - t0;
}

static void bench_volume(struct volume *v)
{
    uint64_t ticks[READ_TRIALS];
    char path[48], dir[48];
    int failed_before = failures;

    format_snprintf(path, sizeof path, "%s/file32m", v->mnt);
    format_snprintf(dir, sizeof dir, "%s/cr", v->mnt);
    if (vfs_mkdir(NULL, v->mnt, 0755) != 0 && vfs_stat(NULL, v->mnt, 1, &(struct vfs_stat){0}) != 0)
        fail("mkdir", v->mnt, -ENOENT);
    if (remount(v, 0))
        return;
    for (int t = 0; t < READ_TRIALS && failures == failed_before; t++)
        if (remount(v, 1) == 0)
            ticks[t] = read_whole(path);
    if (failures == failed_before)
        report("read_cold_64k", v, ticks, READ_TRIALS);
    read_whole(path);
    for (int t = 0; t < READ_TRIALS && failures == failed_before; t++)
        ticks[t] = read_whole(path);
    if (failures == failed_before)
        report("read_warm_64k", v, ticks, READ_TRIALS);

    int err = vfs_mkdir(NULL, dir, 0755);
    if (err && err != -EEXIST)
        fail("mkdir", dir, err);
    vfs_sync();
    uint64_t created[CREATE_TRIALS], unlinked[CREATE_TRIALS];
    for (int t = 0; t < CREATE_TRIALS && failures == failed_before; t++) {
        created[t] = create_files(dir);
        vfs_sync();
        unlinked[t] = unlink_files(dir);
        vfs_sync();
    }
    if (failures == failed_before) {
        report("create1000", v, created, CREATE_TRIALS);
        report("unlink1000", v, unlinked, CREATE_TRIALS);
    }
    vfs_umount(v->mnt);
}

/* The disk bench_fs_disk=NAME names, else "sdb". */
static const char *chosen_disk(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    char word[48];

    for (struct block_device *d = block_first(); d && cmdline; d = d->next) {
        format_snprintf(word, sizeof word, "bench_fs_disk=%s", d->name);
        if (!d->disk && cmdline_has_word(cmdline, len, word))
            return d->name;
    }
    return "sdb";
}

int bench_fs_run(void)
{
    static struct volume volumes[] = { { "ext2", 1, "", "" }, { "vfat", 2, "", "" } };
    const char *disk = chosen_disk();

    buf = kmalloc_aligned(READ_BYTES, 4096);
    if (!buf)
        return -1;
    for (unsigned i = 0; i < READ_BYTES; i++)
        buf[i] = (uint8_t)('a' + i % 26);
    vfs_mkdir(NULL, "/mnt", 0755);
    for (unsigned i = 0; i < sizeof volumes / sizeof volumes[0]; i++) {
        struct volume *v = &volumes[i];
        format_snprintf(v->source, sizeof v->source, "%s%u", disk, v->part);
        format_snprintf(v->mnt, sizeof v->mnt, "/mnt/%s", v->fs);
        printk(LOG_INFO, "bench: fs %s on %s at %s\n", v->fs, v->source, v->mnt);
        bench_volume(v);
    }
    kfree(buf);
    return failures ? -1 : 0;
}
