/*
 * bench_tmpfs.c - the page cache's cost alone, measured by bench=irq after its own
 * (bench.h; tests/bench/kernel-bench.sh makes the rows):
 *
 *   fs_read_warm_64k_tmpfs  vfs_pread of 64 KiB at offset 0 of a 64 KiB file
 *                           on a tmpfs of its own (/bench_tmpfs), its pages cached: the walk of 16
 *                           pages in the page cache and the copy out. Beside
 *                           Linux 6.1's read(2) of 64 KiB from tmpfs (17,462
 *                           instructions, ../shared/anchors/linux/README.md),
 *                           which includes the system call's entry and exit
 *                           that this kernel call has not (no user space yet).
 */
#include "errno.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "printk.h"
#include "test/bench.h"

#define READ_SIZE   65536

static struct file *bench_file;
static void *bench_buf;

static void op_read_warm(void)
{
    vfs_pread(bench_file, bench_buf, READ_SIZE, 0);
}

/* A tmpfs of its own at /bench_tmpfs (whatever "/" is), holding the file: 0 or -errno. */
static int bench_setup(void)
{
    int err = vfs_mkdir(NULL, "/bench_tmpfs", 0755);

    if (err && err != -EEXIST)
        return err;
    err = vfs_mount("bench", "/bench_tmpfs", "tmpfs", 0, NULL);
    if (err)
        return err;
    if (vfs_write_file("/bench_tmpfs/f", bench_buf, READ_SIZE) != READ_SIZE ||
        (err = vfs_open(NULL, "/bench_tmpfs/f", O_RDONLY, 0, &bench_file)) != 0) {
        vfs_umount("/bench_tmpfs");
        return err ? err : -EIO;
    }
    return 0;
}

int bench_tmpfs_run(void)
{
    long n;
    int err;

    bench_buf = kmalloc(READ_SIZE);
    err = bench_buf ? bench_setup() : -ENOMEM;
    if (err) {
        printk(LOG_WARN, "bench: fs_read_warm_64k_tmpfs: no tmpfs file (%d): not measured\n", err);
        kfree(bench_buf);
        return 1;
    }
    n = vfs_pread(bench_file, bench_buf, READ_SIZE, 0);     /* warm, and a check */
    if (n == READ_SIZE)
        bench_measure_n("fs_read_warm_64k_tmpfs", op_read_warm, 16);
    file_put(bench_file);
    vfs_umount("/bench_tmpfs");
    vfs_rmdir(NULL, "/bench_tmpfs");
    kfree(bench_buf);
    return n == READ_SIZE ? 0 : 1;
}
