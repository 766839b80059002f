/*
 * test_vfs_pagecache.c - the page cache's disk path, on "pcfs": a file
 * system of the test's own on a RAM disk (512-byte sectors, 1 KiB blocks, so
 * a page is four blocks of two sectors each), whose files live in fixed
 * regions of the disk and whose inode table is a C array the test reads.
 *
 *   vfs_pagecache_writeback   a write stays in the cache (the disk unchanged)
 *                             until fsync, which writes it, the inode and
 *                             calls sync_fs; umount writes what is left
 *   vfs_pagecache_holes       the disk's old bytes never show: a block
 *                             allocated in a hole by a small write reads as
 *                             zeros around the write, on the disk too; a file
 *                             grown by truncate reads zeros past its old end
 *                             (not the block's slack), on the disk too
 *   vfs_pagecache_enospc      blocks are allocated at write(): a full disk is
 *                             a short write, then ENOSPC, never a failure at
 *                             write-back; unlink gives the blocks back
 *   vfs_pagecache_readahead   after a remount (cold cache) a sequential read
 *                             of 64 KiB misses a few times only, the rest is
 *                             read ahead, in fewer disk requests than pages;
 *                             a hole reads as zeros
 *   vfs_pagecache_flusher     a dirty page reaches the disk without any sync
 *                             (the flusher thread, period set to 100 ms)
 *   vfs_pagecache_concurrent  a writer per CPU (up to four), each on a file of its
 *                             own, writing 256 KiB in a scattered order, reading
 *                             back as it goes and fsyncing now and then, with the
 *                             flusher running and a cache of 48 pages: every
 *                             byte on the disk right after a sync
 *   vfs_pagecache_eviction    with a limit of 32 pages a 256 KiB file is read
 *                             back right, pages are evicted (dirty ones written
 *                             back first), and pages read again and again stay
 *                             while a stream passes through (LRU)
 */
#include <string.h>

#include "block/ramdisk.h"
#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "test/test_vfs.h"
#include "timer/clock.h"

#define PC_BS           1024u
#define PC_SECTOR       512u
#define PC_FILES        4u
#define PC_FILE_BLOCKS  512u            /* 512 KiB a file */
#define PC_FIRST        16u             /* the first file's first block */
#define PC_BLOCKS       (PC_FIRST + PC_FILES * PC_FILE_BLOCKS)
#define PC_ROOT         1u

struct pc_file {
    int used;
    char name[16];
    uint64_t size;
    uint32_t nlink;
    uint8_t mapped[PC_FILE_BLOCKS];
};

static struct pcfs {
    struct ramdisk rd;
    uint8_t *disk;
    struct pc_file files[PC_FILES];
    struct spinlock lock;               /* free_blocks and mapped[] (writers of several files) */
    uint64_t free_blocks;
    unsigned write_inodes, sync_fs_calls;
} *pc;

static uint64_t region(unsigned i)
{
    return PC_FIRST + (uint64_t)i * PC_FILE_BLOCKS;
}

static uint8_t *disk_at(unsigned file, uint64_t offset)
{
    return pc->disk + region(file) * PC_BS + offset;
}

/* ---- pcfs ---- */

static int pc_get_block(struct inode *inode, uint64_t iblock, uint64_t *pblock, uint32_t *contig, int create)
{
    struct pc_file *f = &pc->files[inode->ino - 2];
    uint32_t n = 0;

    if (iblock >= PC_FILE_BLOCKS)
        return -EFBIG;
    spin_lock(&pc->lock);
    if (!f->mapped[iblock] && create) {
        if (pc->free_blocks == 0) {
            spin_unlock(&pc->lock);
            return -ENOSPC;
        }
        pc->free_blocks--;
        f->mapped[iblock] = 1;
        inode->blocks += PC_BS / 512;
    }
    *pblock = f->mapped[iblock] ? region((unsigned)(inode->ino - 2)) + iblock : 0;
    while (iblock + n < PC_FILE_BLOCKS && f->mapped[iblock + n] == f->mapped[iblock])
        n++;
    spin_unlock(&pc->lock);
    if (contig)
        *contig = n;
    return 0;
}

static const struct address_ops pc_aops = { .get_block = pc_get_block };
static const struct inode_ops pc_dir_iops, pc_file_iops;
static const struct file_ops pc_dir_fops;

static int pc_read_inode(struct inode *inode)
{
    struct pc_file *f;

    if (inode->ino == PC_ROOT) {
        inode->mode = S_IFDIR | 0755;
        inode->nlink = 2;
        inode->iops = &pc_dir_iops;
        inode->fops = &pc_dir_fops;
        return 0;
    }
    if (inode->ino < 2 || inode->ino >= 2 + PC_FILES || !pc->files[inode->ino - 2].used)
        return -ENOENT;
    f = &pc->files[inode->ino - 2];
    inode->mode = S_IFREG | 0644;
    inode->nlink = f->nlink;
    inode->size = f->size;
    inode->iops = &pc_file_iops;
    inode->aops = &pc_aops;
    return 0;
}

static int pc_write_inode(struct inode *inode)
{
    if (inode->ino >= 2)
        pc->files[inode->ino - 2].size = inode->size;
    pc->write_inodes++;
    return 0;
}

static void free_blocks_from(struct pc_file *f, uint64_t first)
{
    spin_lock(&pc->lock);
    for (uint64_t b = first; b < PC_FILE_BLOCKS; b++)
        if (f->mapped[b]) {
            f->mapped[b] = 0;
            pc->free_blocks++;
        }
    spin_unlock(&pc->lock);
}

static void pc_evict_inode(struct inode *inode)
{
    struct pc_file *f = &pc->files[inode->ino - 2];

    free_blocks_from(f, 0);
    memset(f, 0, sizeof(*f));
}

static int pc_sync_fs(struct super_block *sb)
{
    pc->sync_fs_calls++;
    return block_flush(sb->dev);
}

static int pc_statfs(struct super_block *sb, struct vfs_statfs *out)
{
    (void)sb;
    out->bsize = PC_BS;
    out->blocks = PC_FILES * PC_FILE_BLOCKS;
    out->bfree = out->bavail = pc->free_blocks;
    out->namelen = 15;
    return 0;
}

static int pc_lookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    (void)dir;
    for (unsigned i = 0; i < PC_FILES; i++)
        if (pc->files[i].used && strlen(pc->files[i].name) == len && memcmp(pc->files[i].name, name, len) == 0) {
            *ino = 2 + i;
            return 0;
        }
    return -ENOENT;
}

static int pc_create(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
    struct inode *inode;
    unsigned i = 0;

    (void)mode;
    while (i < PC_FILES && pc->files[i].used)
        i++;
    if (i == PC_FILES)
        return -ENOSPC;
    if (len >= sizeof(pc->files[i].name))
        return -ENAMETOOLONG;
    inode = vfs_new_inode(dir->sb, 2 + i);
    if (!inode)
        return -ENOMEM;
    memset(&pc->files[i], 0, sizeof(pc->files[i]));
    pc->files[i].used = 1;
    pc->files[i].nlink = 1;
    memcpy(pc->files[i].name, name, len);
    pc_read_inode(inode);
    vfs_inode_hash(inode);
    *out = inode;
    return 0;
}

static int pc_unlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
    (void)dir;
    (void)name;
    (void)len;
    inode->nlink = --pc->files[inode->ino - 2].nlink;
    pc->files[inode->ino - 2].name[0] = '\0';
    return 0;
}

static int pc_setattr(struct inode *inode, const struct vfs_attr *a)
{
    if (a->mask & ATTR_SIZE) {
        free_blocks_from(&pc->files[inode->ino - 2], (a->size + PC_BS - 1) / PC_BS);
        inode->size = a->size;
    }
    if (a->mask & ATTR_MTIME)
        inode->mtime = a->mtime;
    return 0;
}

static int pc_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    for (; f->pos < PC_FILES; f->pos++)
        if (pc->files[f->pos].used && fill(ctx, pc->files[f->pos].name, strlen(pc->files[f->pos].name),
                                           2 + f->pos, DT_REG))
            return 0;
    return 0;
}

static const struct super_ops pc_super_ops = {
    .read_inode = pc_read_inode,
    .write_inode = pc_write_inode,
    .evict_inode = pc_evict_inode,
    .statfs = pc_statfs,
    .sync_fs = pc_sync_fs,
};
static const struct inode_ops pc_dir_iops = { .lookup = pc_lookup, .create = pc_create, .unlink = pc_unlink };
static const struct inode_ops pc_file_iops = { .setattr = pc_setattr };
static const struct file_ops pc_dir_fops = { .readdir = pc_readdir };

static struct fs_type pc_type;

static int pc_mount(struct block_device *dev, unsigned long flags, const char *options, struct super_block **out)
{
    struct super_block *sb = vfs_new_super(&pc_type, &pc->rd.dev);

    (void)dev;
    (void)flags;
    (void)options;
    if (!sb)
        return -ENOMEM;
    sb->ops = &pc_super_ops;
    sb->block_size = PC_BS;
    sb->root_ino = PC_ROOT;
    *out = sb;
    return 0;
}

static struct fs_type pc_type = { .name = "pcfs", .mount = pc_mount };

/* ---- the tests' set-up ---- */

/* A fresh pcfs mounted at /t_pc: 1 when ready. */
static int pc_up(struct ktest *t, uint64_t free_blocks)
{
    static int registered;

    if (!registered)
        registered = vfs_register_fs(&pc_type) == 0;
    pc = kcalloc(1, sizeof(*pc));
    if (!KTEST_ASSERT(t, pc != NULL))
        return 0;
    pc->disk = kcalloc(PC_BLOCKS, PC_BS);
    pc->free_blocks = free_blocks;
    spin_init(&pc->lock, "pcfs");
    if (!KTEST_ASSERT(t, pc->disk != NULL) ||
        !KTEST_ASSERT_EQ(t, ramdisk_init(&pc->rd, pc->disk, PC_BLOCKS * (PC_BS / PC_SECTOR), PC_SECTOR,
                                         "pcfs", 0, 4), 0)) {
        kfree(pc->disk);
        kfree(pc);
        return 0;
    }
    vfs_mkdir(NULL, "/t_vfs/t_pc", 0755);
    return KTEST_ASSERT_EQ(t, vfs_mount("pcfs", "/t_vfs/t_pc", "pcfs", 0, NULL), 0);
}

/* Unmount (writing back what is left); the disk stays for the test to look at. */
static void pc_umount(struct ktest *t)
{
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs/t_pc"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_pc"), 0);
}

static int pc_remount(struct ktest *t)
{
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_pc", 0755), 0);
    return KTEST_ASSERT_EQ(t, vfs_mount("pcfs", "/t_vfs/t_pc", "pcfs", 0, NULL), 0);
}

static void pc_free(void)
{
    ramdisk_stop(&pc->rd);
    kfree(pc->disk);
    kfree(pc);
    pc = NULL;
    pagecache_set_limit(0);
    pagecache_set_flush_interval(0);
}

static void pc_down(struct ktest *t)
{
    pc_umount(t);
    pc_free();
}

static void pattern(uint8_t *buf, size_t len, uint64_t pos, uint8_t seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)((pos + i) * 7 + seed + ((pos + i) >> 10));
}

/* Write len bytes of pattern(seed) to path from offset 0: bytes written or -errno. */
static long write_pattern(const char *path, size_t len, uint8_t seed, int do_fsync)
{
    uint8_t *buf = kmalloc(len);
    struct file *f;
    long n = buf ? vfs_open(NULL, path, O_RDWR | O_CREAT, 0644, &f) : -ENOMEM;

    if (n == 0) {
        pattern(buf, len, 0, seed);
        n = vfs_write(f, buf, len);
        if (do_fsync && n >= 0 && vfs_fsync(f) != 0)
            n = -EIO;
        file_put(f);
    }
    kfree(buf);
    return n;
}

/* Whether len bytes of pattern(seed) are at buf (file offset pos). */
static int is_pattern(const uint8_t *buf, size_t len, uint64_t pos, uint8_t seed)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != (uint8_t)((pos + i) * 7 + seed + ((pos + i) >> 10)))
            return 0;
    return 1;
}

static int all_zero(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i])
            return 0;
    return 1;
}

static void pagecache_writeback_body(struct ktest *t)
{
    struct file *f;
    uint8_t *buf;

    if (!pc_up(t, PC_FILES * PC_FILE_BLOCKS))
        return;
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_pc/a", O_RDWR | O_CREAT, 0644, &f), 0);
    buf = kmalloc(65536);
    if (f && buf) {
        pattern(buf, 65536, 0, 1);
        KTEST_ASSERT_EQ(t, vfs_write(f, buf, 65536), 65536);
        KTEST_ASSERT(t, all_zero(disk_at(0, 0), 65536));               /* only in the cache yet */
        KTEST_ASSERT(t, pagecache_stats().dirty >= 16);
        KTEST_ASSERT_EQ(t, vfs_fsync(f), 0);
        KTEST_ASSERT(t, is_pattern(disk_at(0, 0), 65536, 0, 1));
        KTEST_ASSERT_EQ(t, pc->files[0].size, 65536);                  /* write_inode ran */
        KTEST_ASSERT(t, pc->sync_fs_calls >= 1);
        /* a partial page: the rest of the page comes from the disk first */
        KTEST_ASSERT_EQ(t, vfs_pwrite(f, "XY", 2, 5000), 2);
        KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 4096, 4096), 4096);
        KTEST_ASSERT(t, is_pattern(buf, 904, 4096, 1) && buf[904] == 'X' && buf[905] == 'Y' &&
                        is_pattern(buf + 906, 4096 - 906, 5002, 1));
        file_put(f);
    }
    pc_umount(t);                                                      /* umount writes the rest */
    KTEST_ASSERT(t, memcmp(disk_at(0, 5000), "XY", 2) == 0);
    pc_free();
    kfree(buf);
}

static void pagecache_holes_body(struct ktest *t)
{
    uint8_t *buf = kmalloc(4096);
    struct file *f;

    if (!KTEST_ASSERT(t, buf != NULL) || !pc_up(t, PC_FILES * PC_FILE_BLOCKS)) {
        kfree(buf);
        return;
    }
    memset(disk_at(0, 0), 0xEE, 16 * PC_BS);                           /* old data in free blocks */
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_pc/h", O_RDWR | O_CREAT, 0644, &f), 0);
    if (f) {
        KTEST_ASSERT_EQ(t, vfs_ftruncate(f, 16384), 0);               /* all hole */
        KTEST_ASSERT_EQ(t, vfs_pwrite(f, "abc", 3, 5000), 3);         /* block 4 allocated */
        KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 4096, 4096), 4096);
        KTEST_ASSERT(t, all_zero(buf, 904) && memcmp(buf + 904, "abc", 3) == 0 &&
                        all_zero(buf + 907, 4096 - 907));
        KTEST_ASSERT_EQ(t, vfs_fsync(f), 0);
        KTEST_ASSERT(t, all_zero(disk_at(0, 4096), 904) && memcmp(disk_at(0, 5000), "abc", 3) == 0 &&
                        all_zero(disk_at(0, 5003), 5120 - 5003));
        /* a short file, its block's slack full of old bytes, then grown */
        KTEST_ASSERT_EQ(t, vfs_ftruncate(f, 0), 0);
        KTEST_ASSERT_EQ(t, vfs_pwrite(f, "short", 5, 0), 5);
        KTEST_ASSERT_EQ(t, vfs_fsync(f), 0);
        file_put(f);
    }
    memset(disk_at(0, 5), 0xEE, PC_BS - 5);
    pc_umount(t);
    if (pc_remount(t)) {
        KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/t_vfs/t_pc/h", 3000), 0);
        KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_pc/h", O_RDONLY, 0, &f), 0);
        if (f) {
            KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 4096, 0), 3000);
            KTEST_ASSERT(t, memcmp(buf, "short", 5) == 0 && all_zero(buf + 5, 2995));
            file_put(f);
        }
        KTEST_ASSERT_EQ(t, vfs_sync(), 0);
        KTEST_ASSERT(t, all_zero(disk_at(0, 5), PC_BS - 5));
    }
    pc_down(t);
    kfree(buf);
}

static void pagecache_enospc_body(struct ktest *t)
{
    struct vfs_stat st;
    char buf[16];

    if (!pc_up(t, 6))                                   /* 6 KiB free */
        return;
    KTEST_ASSERT_EQ(t, write_pattern("/t_vfs/t_pc/a", 8192, 2, 0), 6144);  /* short: the disk is full */
    KTEST_ASSERT_EQ(t, pc->free_blocks, 0);
    KTEST_ASSERT_EQ(t, write_pattern("/t_vfs/t_pc/b", 100, 2, 0), -ENOSPC);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_pc/a", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.size, 6144);
    KTEST_ASSERT_EQ(t, vfs_sync(), 0);                  /* write-back itself never fails */
    KTEST_ASSERT(t, is_pattern(disk_at(0, 0), 6144, 0, 2));
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_pc/a"), 0);
    KTEST_ASSERT_EQ(t, pc->free_blocks, 6);             /* given back at the last iput */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_pc/b", "fits now"), 8);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_pc/b", buf, sizeof(buf)), 8);
    pc_down(t);
}

static void pagecache_readahead_body(struct ktest *t)
{
    struct pagecache_stats before, after;
    uint8_t *buf = kmalloc(65536);
    uint32_t starts;
    struct file *f;
    long n;

    if (!KTEST_ASSERT(t, buf != NULL) || !pc_up(t, PC_FILES * PC_FILE_BLOCKS)) {
        kfree(buf);
        return;
    }
    KTEST_ASSERT_EQ(t, write_pattern("/t_vfs/t_pc/a", 65536, 3, 1), 65536);
    KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/t_vfs/t_pc/a", 200000), 0);     /* a hole after the data */
    pc_umount(t);                                                      /* the cache is cold now */
    if (!pc_remount(t))
        goto out;
    before = pagecache_stats();
    starts = pc->rd.starts;
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_pc/a", O_RDONLY, 0, &f), 0);
    if (f) {
        for (uint64_t pos = 0; pos < 65536; pos += 4096) {
            n = vfs_read(f, buf + pos, 4096);
            KTEST_ASSERT_EQ(t, n, 4096);
        }
        KTEST_ASSERT(t, is_pattern(buf, 65536, 0, 3));
        after = pagecache_stats();
        KTEST_ASSERT(t, after.misses - before.misses <= 4);            /* 1 + 4 + 8 + 16 pages... */
        KTEST_ASSERT(t, after.readahead - before.readahead >= 12);
        if (!KTEST_ASSERT(t, pc->rd.starts - starts < (after.misses - before.misses) +
                                                       (after.readahead - before.readahead)))
            ktest_fail(t, __FILE__, __LINE__, "%u requests for %llu misses and %llu pages read ahead",
                       pc->rd.starts - starts, (unsigned long long)(after.misses - before.misses),
                       (unsigned long long)(after.readahead - before.readahead));
        KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 4096, 100000), 4096);     /* the hole */
        KTEST_ASSERT(t, all_zero(buf, 4096));
        file_put(f);
    }
out:
    pc_down(t);
    kfree(buf);
}

static void pagecache_flusher_body(struct ktest *t)
{
    uint64_t deadline;

    if (!pc_up(t, PC_FILES * PC_FILE_BLOCKS))
        return;
    /* A period far away while it writes: write() leaves the data in the cache (with the short
     * period set first, the flusher's tick could fall between the write and this check: a
     * rehearsal saw the data on the disk already). Then 100 ms: the flusher writes it. */
    pagecache_set_flush_interval(60ULL * 1000 * 1000 * 1000);
    KTEST_ASSERT_EQ(t, write_pattern("/t_vfs/t_pc/a", 8192, 4, 0), 8192);
    KTEST_ASSERT(t, all_zero(disk_at(0, 0), 8192));
    pagecache_set_flush_interval(100ULL * 1000 * 1000);
    deadline = clock_ns() + 3000ULL * 1000 * 1000;                    /* 30 periods */
    /* the data and then the inode: one flush writes both, so wait for both (a check between
     * the two writes saw the data and the old size: seen once, boot/pc-ide-64m-1cpu) */
    while (clock_ns() < deadline && !(is_pattern(disk_at(0, 0), 8192, 0, 4) && pc->files[0].size == 8192))
        sched_sleep_ns(20ULL * 1000 * 1000);
    KTEST_ASSERT(t, is_pattern(disk_at(0, 0), 8192, 0, 4));
    KTEST_ASSERT_EQ(t, pc->files[0].size, 8192);                       /* the inode too */
    pc_down(t);
}

static void pagecache_eviction_body(struct ktest *t)
{
    struct pagecache_stats before, mid, after;
    uint8_t *buf = kmalloc(4096);
    uint64_t hot_misses = 0;
    struct file *f;
    int good = 1;

    if (!KTEST_ASSERT(t, buf != NULL) || !pc_up(t, PC_FILES * PC_FILE_BLOCKS)) {
        kfree(buf);
        return;
    }
    pagecache_set_limit(32);
    before = pagecache_stats();
    /* 64 dirty pages through a cache of 32: the oldest written back to make room */
    KTEST_ASSERT_EQ(t, write_pattern("/t_vfs/t_pc/c", 262144, 5, 0), 262144);
    mid = pagecache_stats();
    KTEST_ASSERT(t, mid.writebacks - before.writebacks >= 32);
    KTEST_ASSERT(t, mid.evictions - before.evictions >= 32);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_pc/c", O_RDONLY, 0, &f), 0);
    if (f) {
        for (uint64_t pos = 0; pos < 262144; pos += 4096)
            good &= vfs_pread(f, buf, 4096, pos) == 4096 && is_pattern(buf, 4096, pos, 5);
        KTEST_ASSERT(t, good);
        after = pagecache_stats();
        KTEST_ASSERT(t, after.evictions - mid.evictions >= 16);       /* the reads made room too */
        KTEST_ASSERT(t, after.pages - mid.pages <= 32);
        mid = after;
        /* LRU: four hot pages read again after every page of a stream through the
         * rest of the file stay cached (the streamed ones are the oldest each time) */
        for (uint64_t pos = 4 * 4096; pos < 262144; pos += 4096) {
            good &= vfs_pread(f, buf, 4096, pos) == 4096;
            mid = pagecache_stats();
            for (uint64_t hot = 0; hot < 4 * 4096; hot += 4096)
                good &= vfs_pread(f, buf, 4096, hot) == 4096 && is_pattern(buf, 4096, hot, 5);
            after = pagecache_stats();
            if (pos > 4 * 4096)
                hot_misses += after.misses - mid.misses;
        }
        KTEST_ASSERT(t, good);
        KTEST_ASSERT_EQ(t, hot_misses, 0);
        file_put(f);
    }
    pc_down(t);
    kfree(buf);
}

#define CW_BYTES    (256u * 1024)
#define CW_CHUNKS   (CW_BYTES / 4096)

struct cwriter {
    unsigned id;
    int failures;
};

/* Write file id's chunks in a scattered order (a stride prime to their count), reading
 * each back, an fsync every 16. */
static void concurrent_writer(void *arg)
{
    struct cwriter *w = arg;
    uint8_t *buf = kmalloc(4096), *back = kmalloc(4096);
    char path[32] = "/t_vfs/t_pc/w0";
    struct file *f = NULL;

    path[13] = (char)('0' + w->id);
    if (!buf || !back || vfs_open(NULL, path, O_RDWR | O_CREAT, 0644, &f) != 0) {
        w->failures++;
        goto out;
    }
    for (unsigned i = 0; i < CW_CHUNKS; i++) {
        uint64_t pos = (uint64_t)((i * 37u) % CW_CHUNKS) * 4096;
        pattern(buf, 4096, pos, (uint8_t)(20 + w->id));
        w->failures += vfs_pwrite(f, buf, 4096, pos) != 4096;
        w->failures += vfs_pread(f, back, 4096, pos) != 4096 || !is_pattern(back, 4096, pos, (uint8_t)(20 + w->id));
        if (i % 16 == 15)
            w->failures += vfs_fsync(f) != 0;
    }
out:
    if (f)
        file_put(f);
    kfree(buf);
    kfree(back);
}

static void pagecache_concurrent_body(struct ktest *t)
{
    struct cwriter w[4];
    struct thread *th[4];
    unsigned cpus = sched_cpus(), n = cpus * 2 > 4 ? 4 : cpus * 2;

    if (!pc_up(t, PC_FILES * PC_FILE_BLOCKS))
        return;
    pagecache_set_limit(48);
    pagecache_set_flush_interval(100ULL * 1000 * 1000);
    for (unsigned i = 0; i < n; i++) {
        w[i] = (struct cwriter){ i, 0 };
        th[i] = thread_create_on("ktest_pcw", concurrent_writer, &w[i], SCHED_PRIO_DEFAULT, (int)(i % cpus));
        KTEST_ASSERT(t, th[i] != NULL);
    }
    for (unsigned i = 0; i < n; i++)
        if (th[i]) {
            thread_join(th[i]);
            KTEST_ASSERT_EQ(t, w[i].failures, 0);
        }
    KTEST_ASSERT_EQ(t, vfs_sync(), 0);
    for (unsigned slot = 0; slot < n; slot++) {        /* the writers made their files in any order */
        unsigned id = (unsigned)(pc->files[slot].name[1] - '0');
        KTEST_ASSERT(t, pc->files[slot].used && id < n);
        KTEST_ASSERT(t, is_pattern(disk_at(slot, 0), CW_BYTES, 0, (uint8_t)(20 + id)));
    }
    pc_down(t);
}

/* ---- the ktests: each in a tmpfs of its own at /t_vfs (test_vfs.h) ---- */

void ktest_vfs_pagecache_writeback(struct ktest *t)
{
    vt_run(t, pagecache_writeback_body);
}

void ktest_vfs_pagecache_holes(struct ktest *t)
{
    vt_run(t, pagecache_holes_body);
}

void ktest_vfs_pagecache_enospc(struct ktest *t)
{
    vt_run(t, pagecache_enospc_body);
}

void ktest_vfs_pagecache_readahead(struct ktest *t)
{
    vt_run(t, pagecache_readahead_body);
}

void ktest_vfs_pagecache_flusher(struct ktest *t)
{
    vt_run(t, pagecache_flusher_body);
}

void ktest_vfs_pagecache_eviction(struct ktest *t)
{
    vt_run(t, pagecache_eviction_body);
}

void ktest_vfs_pagecache_concurrent(struct ktest *t)
{
    vt_run(t, pagecache_concurrent_body);
}
