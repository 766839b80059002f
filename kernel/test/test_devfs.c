/*
 * test_devfs.c - ktests of /dev (kernel/fs/devfs/), through the VFS's file
 * API as a process will use it:
 *   devfs_memory_devices        zero reads zeros, null takes writes and reads
 *                               nothing, full refuses writes with ENOSPC, and
 *                               each has Linux's device number (1:3 ... 1:9)
 *   devfs_random_bytes          random and urandom give bytes that differ
 *                               between reads; the generator's ChaCha20 block
 *                               equals openssl's (enc -chacha20) for two keys
 *   devfs_block_matches_block_read  a block device read through /dev at
 *                               offsets and lengths that are not whole blocks
 *                               gives what block_read gives (skipped without a
 *                               block device)
 *   devfs_block_write_scratch   a write through /dev across block edges of
 *                               the scratch disk lands where block_read finds
 *                               it, then the old bytes are written back
 *                               (skipped without a scratch disk)
 *   devfs_block_numbers         Linux's block numbers from the names: sdb 8:16,
 *                               sdb3 8:19, vda1 254:1, ram1 1:16, ram1p2 1:18; a
 *                               name no rule knows gets 0
 *   devfs_terminals             every registered terminal has its node (ttyS0
 *                               4:64, tty1 4:1) and a write through it returns
 *                               its length
 */
#include <string.h>

#include "block/blockdev.h"
#include "errno.h"
#include "format.h"
#include "fs/devfs/devfs.h"
#include "lib/random.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "test/ktest.h"
#include "test/test_scratch.h"
#include "tty/tty.h"

static struct file *open_dev(struct ktest *t, const char *path, unsigned flags)
{
    struct file *f = NULL;
    int err = vfs_open(NULL, path, flags, 0, &f);

    if (err)
        ktest_fail(t, __FILE__, __LINE__, "open %s: error %d", path, err);
    return err ? NULL : f;
}

static void check_node(struct ktest *t, const char *path, uint32_t type, unsigned major, unsigned minor)
{
    struct vfs_stat st;
    int err = vfs_stat(NULL, path, 1, &st);

    if (err) {
        ktest_fail(t, __FILE__, __LINE__, "stat %s: error %d", path, err);
        return;
    }
    KTEST_ASSERT_EQ(t, st.mode & S_IFMT, type);
    KTEST_ASSERT_EQ(t, st.rdev, VFS_DEV(major, minor));
}

void ktest_devfs_memory_devices(struct ktest *t)
{
    uint8_t *buf = kmalloc(5000);
    struct file *f;
    int zeros = 1;

    if (!KTEST_ASSERT(t, buf != NULL))
        return;
    memset(buf, 0xAA, 5000);
    if ((f = open_dev(t, "/dev/zero", O_RDWR))) {
        KTEST_ASSERT_EQ(t, vfs_read(f, buf, 5000), 5000);
        for (int i = 0; i < 5000; i++)
            zeros &= buf[i] == 0;
        KTEST_ASSERT(t, zeros);
        KTEST_ASSERT_EQ(t, vfs_write(f, buf, 100), 100);
        file_put(f);
    }
    if ((f = open_dev(t, "/dev/null", O_RDWR))) {
        KTEST_ASSERT_EQ(t, vfs_write(f, buf, 5000), 5000);
        KTEST_ASSERT_EQ(t, vfs_read(f, buf, 5000), 0);
        file_put(f);
    }
    if ((f = open_dev(t, "/dev/full", O_RDWR))) {
        KTEST_ASSERT_EQ(t, vfs_write(f, buf, 10), -ENOSPC);
        buf[0] = 1;
        KTEST_ASSERT_EQ(t, vfs_read(f, buf, 10), 10);
        KTEST_ASSERT_EQ(t, buf[0], 0);
        file_put(f);
    }
    check_node(t, "/dev/null", S_IFCHR, 1, 3);
    check_node(t, "/dev/zero", S_IFCHR, 1, 5);
    check_node(t, "/dev/full", S_IFCHR, 1, 7);
    check_node(t, "/dev/random", S_IFCHR, 1, 8);
    check_node(t, "/dev/urandom", S_IFCHR, 1, 9);
    kfree(buf);
}

/* openssl enc -chacha20 -K KEY -iv COUNTER(4 bytes LE)||zeros over 64 zero bytes: the first 16. */
static const uint8_t zero_key_block0[16] = { 0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90,
                                             0x40, 0x5d, 0x6a, 0xe5, 0x53, 0x86, 0xbd, 0x28 };
static const uint8_t seq_key_block1[16] = { 0x18, 0xb8, 0x42, 0x31, 0xad, 0xe6, 0xa6, 0xd1,
                                            0x13, 0x61, 0x5c, 0x61, 0xaf, 0x43, 0x4e, 0x27 };

void ktest_devfs_random_bytes(struct ktest *t)
{
    uint32_t key[8] = { 0 }, out[16];
    uint8_t a[64], b[64], k8[32];
    struct file *f;

    random_chacha20_block(key, 0, out);
    KTEST_ASSERT(t, memcmp(out, zero_key_block0, 16) == 0);
    for (int i = 0; i < 32; i++)
        k8[i] = (uint8_t)i;
    memcpy(key, k8, 32);                /* little-endian words, as the cipher reads its key */
    random_chacha20_block(key, 1, out);
    KTEST_ASSERT(t, memcmp(out, seq_key_block1, 16) == 0);
    KTEST_ASSERT(t, random_source() != NULL);
    if ((f = open_dev(t, "/dev/urandom", O_RDONLY))) {
        KTEST_ASSERT_EQ(t, vfs_read(f, a, sizeof a), sizeof a);
        KTEST_ASSERT_EQ(t, vfs_read(f, b, sizeof b), sizeof b);
        KTEST_ASSERT(t, memcmp(a, b, sizeof a) != 0);
        file_put(f);
    }
    if ((f = open_dev(t, "/dev/random", O_RDWR))) {
        KTEST_ASSERT_EQ(t, vfs_write(f, "mix", 3), 3);
        KTEST_ASSERT_EQ(t, vfs_read(f, b, sizeof b), sizeof b);
        KTEST_ASSERT(t, memcmp(a, b, sizeof a) != 0);
        file_put(f);
    }
}

/* pread of [off, off + len) through the file equals the same bytes from block_read. */
static void compare_range(struct ktest *t, struct file *f, struct block_device *d, uint64_t off, size_t len,
                          uint8_t *got, uint8_t *want)
{
    uint64_t first = off / d->block_size;
    uint32_t count = (uint32_t)((off % d->block_size + len + d->block_size - 1) / d->block_size);

    memset(got, 0x5A, len);
    KTEST_ASSERT_EQ(t, vfs_pread(f, got, len, off), len);
    if (!KTEST_ASSERT_EQ(t, block_read(d, first, count, want), 0))
        return;
    if (memcmp(got, want + off % d->block_size, len) != 0)
        ktest_fail(t, __FILE__, __LINE__, "/dev/%s bytes %llu..%llu differ from block_read's", d->name,
                   (unsigned long long)off, (unsigned long long)(off + len));
}

void ktest_devfs_block_matches_block_read(struct ktest *t)
{
    struct block_device *d = block_first();
    uint8_t *got = kmalloc(3 * 8192), *want = got ? got + 8192 : NULL;
    char path[32];
    struct file *f;

    if (!d) {
        kfree(got);
        KTEST_SKIP(t, "no block device");
        return;
    }
    if (!KTEST_ASSERT(t, got != NULL))
        return;
    format_snprintf(path, sizeof path, "/dev/%s", d->name);
    check_node(t, path, S_IFBLK, VFS_MAJOR(devfs_block_rdev(d)), VFS_MINOR(devfs_block_rdev(d)));
    if ((f = open_dev(t, path, O_RDONLY))) {
        compare_range(t, f, d, 0, 4096, got, want);
        compare_range(t, f, d, 1000, 3000, got, want);
        compare_range(t, f, d, 511, 2, got, want);
        KTEST_ASSERT_EQ(t, vfs_pread(f, got, 100, d->blocks * d->block_size), 0);
        KTEST_ASSERT_EQ(t, vfs_pread(f, got, 100, d->blocks * d->block_size - 10), 10);
        file_put(f);
    }
    if (strncmp(d->name, "sd", 2) == 0 && !d->disk)
        KTEST_ASSERT_EQ(t, devfs_block_rdev(d), VFS_DEV(8, 16 * (d->name[2] - 'a')));
    kfree(got);
}

#define WRITE_AT    (2 * 4096 + 100)
#define WRITE_LEN   5000

void ktest_devfs_block_write_scratch(struct ktest *t)
{
    uint8_t *old = kmalloc(3 * 16384), *now = old + 16384, *pattern = old + 2 * 16384;
    struct block_device *d;
    char path[32];
    struct file *f;

    if (!KTEST_ASSERT(t, old != NULL))
        return;
    if (!(d = blk_test_scratch_disk(old))) {
        kfree(old);
        KTEST_SKIP(t, "no scratch disk (block 0 \"" SCRATCH_MAGIC "\")");
        return;
    }
    format_snprintf(path, sizeof path, "/dev/%s", d->name);
    for (int i = 0; i < WRITE_LEN; i++)
        pattern[i] = (uint8_t)(i * 7 + 1);
    if ((f = open_dev(t, path, O_RDWR))) {
        uint32_t first = WRITE_AT / d->block_size, count = (WRITE_AT % d->block_size + WRITE_LEN +
                                                            d->block_size - 1) / d->block_size;

        KTEST_ASSERT_EQ(t, block_read(d, first, count, old), 0);
        KTEST_ASSERT_EQ(t, vfs_pwrite(f, pattern, WRITE_LEN, WRITE_AT), WRITE_LEN);
        KTEST_ASSERT_EQ(t, block_read(d, first, count, now), 0);
        KTEST_ASSERT(t, memcmp(now + WRITE_AT % d->block_size, pattern, WRITE_LEN) == 0);
        KTEST_ASSERT(t, memcmp(now, old, WRITE_AT % d->block_size) == 0);   /* the bytes before kept */
        KTEST_ASSERT_EQ(t, vfs_pwrite(f, old + WRITE_AT % d->block_size, WRITE_LEN, WRITE_AT), WRITE_LEN);
        KTEST_ASSERT_EQ(t, block_read(d, first, count, now), 0);
        KTEST_ASSERT(t, memcmp(now, old, (size_t)count * d->block_size) == 0);
        KTEST_ASSERT_EQ(t, vfs_pwrite(f, pattern, 1, d->blocks * d->block_size), -ENOSPC);
        file_put(f);
    }
    kfree(old);
}

void ktest_devfs_terminals(struct ktest *t)
{
    static const char line[] = "devfs: a line written through /dev/ttyS0\n";
    struct file *f;

    if (tty_find("ttyS0")) {
        check_node(t, "/dev/ttyS0", S_IFCHR, 4, 64);
        if ((f = open_dev(t, "/dev/ttyS0", O_WRONLY))) {
            KTEST_ASSERT_EQ(t, vfs_write(f, line, sizeof line - 1), sizeof line - 1);
            file_put(f);
        }
    }
    if (tty_find("tty1"))
        check_node(t, "/dev/tty1", S_IFCHR, 4, 1);
    KTEST_ASSERT(t, tty_find("ttyS0") || tty_find("tty1"));
}

/* dev as a disk named name, or as partition index of such a disk. */
static uint64_t rdev_of(const char *name, unsigned index)
{
    static struct block_device disk, part;

    memset(&disk, 0, sizeof disk);
    memset(&part, 0, sizeof part);
    format_snprintf(disk.name, sizeof disk.name, "%s", name);
    if (!index)
        return devfs_block_rdev(&disk);
    part.disk = &disk;
    part.part_index = index;
    return devfs_block_rdev(&part);
}

void ktest_devfs_block_numbers(struct ktest *t)
{
    KTEST_ASSERT_EQ(t, rdev_of("sda", 0), VFS_DEV(8, 0));
    KTEST_ASSERT_EQ(t, rdev_of("sdb", 0), VFS_DEV(8, 16));
    KTEST_ASSERT_EQ(t, rdev_of("sdb", 3), VFS_DEV(8, 19));
    KTEST_ASSERT_EQ(t, rdev_of("vda", 1), VFS_DEV(254, 1));
    KTEST_ASSERT_EQ(t, rdev_of("ram1", 0), VFS_DEV(1, 16));
    KTEST_ASSERT_EQ(t, rdev_of("ram1", 2), VFS_DEV(1, 18));
    KTEST_ASSERT_EQ(t, rdev_of("xyz0", 0), 0);
}
