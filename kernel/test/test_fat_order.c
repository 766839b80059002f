/*
 * test_fat_order.c - the order FAT's metadata reaches the disk in
 * (kernel/fs/fat/fat_order.c, docs/files-fat.md "What a crash may leave"),
 * seen from the disk after every single write.
 *
 *   fat_write_order   a FAT16 volume the test formats on a RAM disk, through
 *                     the kernel's buffer cache (fsio_bcache.c), driven as
 *                     the VFS glue drives it (fat_vfs.c): clusters allocated
 *                     as get_block does, data written around the cache as
 *                     the page cache does, the entry written as write_inode
 *                     does, then truncated as setattr does and unlinked and
 *                     freed as evict does; two files in one directory
 *                     sector, one growing while the other is cut. After
 *                     every write the disk reaches (the RAM disk's `written`
 *                     hook: the disk a crash right then would leave), each
 *                     file's entry on the disk must be covered by its chain
 *                     in the first FAT (fsck.fat's): no size longer than
 *                     the chain, no chain through a free cluster. Three
 *                     times: with a cache of 3 buffers and an unrelated
 *                     sector read after each allocation (dirty blocks
 *                     written one at a time by eviction, least recently
 *                     used first: the entry before the FAT), and with a
 *                     cache of 256 written only by sync, in slot order,
 *                     the entries' sector in a slot before the FAT's and
 *                     after it.
 *
 * The mutant fat_write_order (no write-before points: the cache's order)
 * fails it: the entry's larger size is evicted before the FAT that chains
 * it, and sync writes the cut FAT before the entry's smaller size.
 */
#include <string.h>

#include "block/ramdisk.h"
#include "errno.h"
#include "format.h"
#include "fs/fat/fat.h"
#include "fs/fat/fat_layout.h"
#include "fs/fsio.h"
#include "mm/heap.h"
#include "printk.h"
#include "test/ktest.h"

#define SECTORS     8192u           /* 4 MiB of 512-byte sectors, one sector a cluster: FAT16 */
#define FAT_SECTORS 32u
#define ROOT_ENTRIES 512u
#define WATCH_MAX   2

struct order_disk {
    struct ramdisk rd;
    uint8_t *data;
    struct fs_io io;
    struct fat_volume *v;
    uint64_t watch[WATCH_MAX];      /* entry positions (ino) checked after every write */
    unsigned nwatch;
    /* what the hook saw (the disk's thread writes, the test reads after a sync) */
    unsigned writes, fat_writes, entry_writes, bad;
    char first_bad[120];
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

/* An empty FAT16 volume, as mkfs.fat -F 16 -s 1 -r 512 would make it. */
static void format_fat16(uint8_t *d)
{
    memset(d, 0, (size_t)SECTORS * 512);
    d[0] = 0xEB, d[1] = 0x3C, d[2] = 0x90;
    memcpy(d + 3, "TESSERA ", 8);
    put16(d + BPB_BytsPerSec, 512);
    d[BPB_SecPerClus] = 1;
    put16(d + BPB_RsvdSecCnt, 1);
    d[BPB_NumFATs] = 2;
    put16(d + BPB_RootEntCnt, ROOT_ENTRIES);
    put16(d + BPB_TotSec16, SECTORS);
    d[BPB_Media] = 0xF8;
    put16(d + BPB_FATSz16, FAT_SECTORS);
    d[38] = 0x29;                   /* BS_BootSig: the label fields follow */
    memcpy(d + 54, "FAT16   ", 8);
    d[BS_Signature] = 0x55, d[BS_Signature + 1] = 0xAA;
    for (unsigned copy = 0; copy < 2; copy++) {
        uint8_t *fat = d + (1 + copy * FAT_SECTORS) * 512;
        put16(fat, 0xFFF8);         /* entry 0: the media byte; entry 1: end of chain */
        put16(fat + 2, 0xFFFF);
    }
}

static void note_bad(struct order_disk *o, const char *fmt, unsigned long long a, unsigned long long b,
                     unsigned long long c)
{
    if (!o->bad++)
        format_snprintf(o->first_bad, sizeof o->first_bad, fmt, a, b, c);
}

/* The entry at ino as the disk holds it now, against the first FAT on the disk. */
static void check_entry(struct order_disk *o, uint64_t ino, uint64_t block)
{
    const struct fat_volume *v = o->v;
    const uint8_t *e = o->data + ino * DIR_ENTRY_SIZE, *fat = o->data + (uint64_t)v->fat_start * 512;
    uint32_t c = fat_rd16(e + DIR_FstClusLO), size = fat_rd32(e + DIR_FileSize), n = 0;

    if (e[0] == 0 || e[0] == DIR_FREE)
        return;                     /* no file (yet, or any more) */
    if (c == 0) {
        if (size)
            note_bad(o, "write of sector %llu: a size of %llu without a cluster (entry %llu)", block, size, ino);
        return;
    }
    for (; n <= v->clusters; n++) {
        uint32_t next = fat_rd16(fat + 2 * c);
        if (next == 0) {
            note_bad(o, "write of sector %llu: the chain reaches free cluster %llu (entry %llu)", block, c, ino);
            return;
        }
        if (next >= 0xFFF8)
            break;
        if (!fat_valid_cluster(v, next)) {
            note_bad(o, "write of sector %llu: the chain leaves the volume at %llu (entry %llu)", block, c, ino);
            return;
        }
        c = next;
    }
    if ((uint64_t)(n + 1) * 512 < size)
        note_bad(o, "write of sector %llu: size %llu on a chain of %llu bytes", block, size, (n + 1ull) * 512);
}

/* The RAM disk's hook: the disk right after one write, as a crash would leave it. */
static void after_write(struct ramdisk *rd, uint64_t block, uint32_t count)
{
    struct order_disk *o = rd->test;
    const struct fat_volume *v = o->v;

    o->writes++;
    for (uint64_t b = block; b < block + count; b++) {
        if (b >= v->fat_start && b < v->fat_start + 2 * FAT_SECTORS)
            o->fat_writes++;
        for (unsigned i = 0; i < o->nwatch; i++)
            if (b == o->watch[i] * DIR_ENTRY_SIZE / 512)
                o->entry_writes++;
    }
    for (unsigned i = 0; i < o->nwatch; i++)
        check_entry(o, o->watch[i], block);
}

/* Read `n` sectors nobody else uses, another each time: with a tiny cache, the least
 * recently used dirty block goes out alone. */
static void churn(struct order_disk *o, unsigned n)
{
    static unsigned next;

    for (unsigned i = 0; i < n; i++) {
        struct fs_buf *b = fs_get(&o->io, SECTORS - 1 - next++ % 64);
        if (b)
            fs_put(&o->io, b);
    }
}

/* File n grown to `clusters` clusters as the kernel grows it: each cluster allocated
 * (get_block), its data written around the cache (the page cache), the entry written
 * (write_inode) every third cluster. The churn comes after an allocation, so the entry
 * written before it is the least recently used block then, older than the FAT. */
static int grow(struct order_disk *o, struct fat_node *n, uint32_t from, uint32_t clusters, unsigned churn_n)
{
    static uint8_t data[512];
    uint32_t c;
    int err;

    for (uint32_t i = from; i < clusters; i++) {
        if ((err = fat_bmap(o->v, n, i, 1, &c, NULL)) != 0)
            return err;
        churn(o, churn_n);
        memset(data, (int)(i + 1), sizeof data);
        if ((err = o->io.ops->write(&o->io, fat_cluster_sector(o->v, c), 1, data)) != 0)
            return err;
        if (i % 3 == 2 || i + 1 == clusters) {
            n->size = (i + 1) * 512 - 7;
            if ((err = fat_node_write(o->v, n)) != 0)
                return err;
        }
    }
    return 0;
}

/* One run: a fresh volume, a cache of `buffers`, `churn_n` unrelated reads after each
 * allocation; `root_first`: the root directory's first sector takes a cache slot before the
 * FAT's (sync writes it first). 1 when it ran (its findings are in o). */
static int run(struct ktest *t, struct order_disk *o, unsigned buffers, unsigned churn_n, int root_first)
{
    struct fat_node root, a, b;
    struct fs_buf *early;
    int ok = 0;

    format_fat16(o->data);
    memset(o->v, 0, sizeof *o->v);
    if (!KTEST_ASSERT_EQ(t, fsio_bcache_open(&o->io, &o->rd.dev, 512, buffers), 0))
        return 0;
    if (root_first && (early = fs_get(&o->io, 1 + 2 * FAT_SECTORS)) != NULL)
        fs_put(&o->io, early);
    if (!KTEST_ASSERT_EQ(t, fat_mount(o->v, &o->io, "fatorder", 0), 0))
        goto out;
    fat_root(o->v, &root);
    if (!KTEST_ASSERT_EQ(t, fat_create(o->v, &root, "A.BIN", 5, 0, &a), 0) ||
        !KTEST_ASSERT_EQ(t, fat_create(o->v, &root, "B.BIN", 5, 0, &b), 0) ||
        !KTEST_ASSERT_EQ(t, a.ino * DIR_ENTRY_SIZE / 512, b.ino * DIR_ENTRY_SIZE / 512))
        goto out;
    o->watch[0] = a.ino;
    o->watch[1] = b.ino;
    o->nwatch = 2;
    /* grow A; grow B while A is cut down, then A grown again; B cut to nothing; A unlinked
     * and its chain freed at "evict"; a sync after each step */
    if (!KTEST_ASSERT_EQ(t, grow(o, &a, 0, 40, churn_n), 0) ||
        !KTEST_ASSERT_EQ(t, o->io.ops->sync(&o->io), 0) ||
        !KTEST_ASSERT_EQ(t, grow(o, &b, 0, 20, churn_n), 0) ||
        !KTEST_ASSERT_EQ(t, fat_truncate(o->v, &a, 700), 0))
        goto out;
    churn(o, churn_n);
    if (!KTEST_ASSERT_EQ(t, grow(o, &b, 20, 45, churn_n), 0) ||
        !KTEST_ASSERT_EQ(t, o->io.ops->sync(&o->io), 0) ||
        !KTEST_ASSERT_EQ(t, grow(o, &a, 2, 30, churn_n), 0) ||
        !KTEST_ASSERT_EQ(t, fat_truncate(o->v, &b, 0), 0))
        goto out;
    churn(o, churn_n);
    if (!KTEST_ASSERT_EQ(t, o->io.ops->sync(&o->io), 0) ||
        !KTEST_ASSERT_EQ(t, fat_unlink(o->v, &root, "A.BIN", 5, 0), 0) ||
        !KTEST_ASSERT_EQ(t, fat_free_chain(o->v, a.first_cluster), 0) ||
        !KTEST_ASSERT_EQ(t, fat_sync(o->v), 0))
        goto out;
    ok = 1;
out:
    fsio_bcache_close(&o->io);
    o->nwatch = 0;
    return ok;
}

void ktest_fat_write_order(struct ktest *t)
{
    static const struct { unsigned buffers, churn; int root_first; const char *what; } runs[] = {
        {3, 1, 0, "a cache of 3, dirty blocks evicted one at a time"},
        {256, 0, 1, "a cache of 256 written by sync, the entries' slot before the FAT's"},
        {256, 0, 0, "a cache of 256 written by sync, the FAT's slots before the entries'"},
    };
    struct order_disk *o = kcalloc(1, sizeof *o);

    if (!KTEST_ASSERT(t, o != NULL))
        return;
    o->data = kmalloc((size_t)SECTORS * 512);
    o->v = kcalloc(1, sizeof *o->v);
    if (!KTEST_ASSERT(t, o->data && o->v) ||
        !KTEST_ASSERT_EQ(t, ramdisk_init(&o->rd, o->data, SECTORS, 512, "fatorder", 0, 1), 0)) {
        kfree(o->v);
        kfree(o->data);
        kfree(o);
        return;
    }
    o->rd.test = o;
    o->rd.written = after_write;
    for (unsigned i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        o->writes = o->fat_writes = o->entry_writes = o->bad = 0;
        if (!run(t, o, runs[i].buffers, runs[i].churn, runs[i].root_first))
            break;
        printk(LOG_INFO, "fat_write_order: %s: %u writes (%u of the FAT, %u of the entries' sector), "
               "%u left a damaged file\n", runs[i].what, o->writes, o->fat_writes, o->entry_writes, o->bad);
        if (o->bad)
            ktest_fail(t, __FILE__, __LINE__, "%s: %u of %u writes left a damaged file; first: %s",
                       runs[i].what, o->bad, o->writes, o->first_bad);
        KTEST_ASSERT(t, o->fat_writes > 0 && o->entry_writes > 0);
    }
    ramdisk_stop(&o->rd);
    kfree(o->v);
    kfree(o->data);
    kfree(o);
}
