/*
 * test_ext2_order.c - the order ext2's metadata reaches the disk in
 * (kernel/fs/ext2/order.c, docs/files-ext2.md "Metadata order"), seen
 * from the disk after every single write.
 *
 *   ext2_write_order  a copy of /boot/ext2-1k.img (1 KiB blocks, files in
 *                     it already) on a RAM disk of the test's own, every
 *                     free block filled with 0xA5 first (stale bytes: as
 *                     pointers they lie outside the volume, as directory
 *                     entries they break rec_len), driven through the
 *                     kernel's buffer cache (fsio_bcache.c) as the VFS glue
 *                     drives the core: a directory made, a file grown into
 *                     its double-indirect tree (blocks mapped as get_block
 *                     does, data written around the cache as the page cache
 *                     does, the inode written as write_inode does), two hundred
 *                     names added (new directory blocks, past 12: its
 *                     indirect block), a slow symlink,
 *                     the file truncated into its single-indirect tree and
 *                     grown again over the freed blocks, renames across
 *                     directories and over a victim, unlinks with their
 *                     evictions, a directory removed. After every write the
 *                     disk reaches (the RAM disk's `written` hook: the disk a
 *                     crash right then would leave) the volume must be one
 *                     `e2fsck -p` repairs without asking: every pointer
 *                     reachable from a live inode lies inside the volume,
 *                     every block of a live directory holds entries that
 *                     keep the rec_len rules, no block has two owners, and
 *                     every live inode with blocks (or not a regular file)
 *                     has a name in a live directory. Twice: a cache of 6
 *                     buffers with unrelated blocks read after each step
 *                     (dirty blocks evicted one at a time, least recently
 *                     used first) and a cache of 256 written by sync only,
 *                     in slot order.
 *
 * The mutant ext2_write_order (no write-before points: the cache's order)
 * fails it: an inode's pointer reaches the disk before the zeros of its new
 * indirect block, a new name's inode comes to life before the name.
 * Skips without the module (every cell but ext2/ktest-*).
 */
#include <string.h>

#include "block/blockdev.h"
#include "block/ramdisk.h"
#include "errno.h"
#include "format.h"
#include "fs/ext2/ext2.h"
#include "fs/fsio.h"
#include "mm/heap.h"
#include "printk.h"
#include "test/ktest.h"

#define STALE       0xA5            /* what a free block holds */
#define BIG_BLOCKS  300u            /* past 12 + 256: into the double-indirect tree */
#define NAMES       200u           /* long ones: the directory past 12 blocks, into its indirect block */

struct order_disk {
    struct ramdisk rd;
    uint8_t *data;
    uint64_t sectors;
    struct fs_io io;
    struct ext2_fs *fs;
    int watching;
    uint8_t *claimed, *named;       /* bitmaps of the check: blocks owned, inodes named */
    /* the volume's shape, read once */
    uint32_t bs, blocks, first_data, inodes, ipg, isize, first_ino, groups;
    /* what the hook saw (the disk's thread writes, the test reads after a sync) */
    unsigned writes, bad, kinds[4];     /* writes that left damage; findings of each kind */
    int bad_now;
    char first_bad[160];
};

enum { OUTSIDE, ENTRIES, TWO_OWNERS, NO_NAME };

static void note_bad(struct order_disk *o, int kind, const char *what, unsigned long long a,
                     unsigned long long b)
{
    o->kinds[kind]++;
    if (!o->bad_now++ && !o->bad)
        format_snprintf(o->first_bad, sizeof o->first_bad, "write %u: %s (%llu, %llu)", o->writes, what, a, b);
}

static uint8_t *disk_block(struct order_disk *o, uint32_t b) { return o->data + (uint64_t)b * o->bs; }

static const struct ext2_group_desc *group(struct order_disk *o, uint32_t g)
{
    return (const struct ext2_group_desc *)disk_block(o, o->first_data + 1) + g;
}

static const struct ext2_inode *disk_inode(struct order_disk *o, uint32_t ino)
{
    uint32_t g = (ino - 1) / o->ipg;
    uint64_t byte = (uint64_t)((ino - 1) % o->ipg) * o->isize;

    return (const struct ext2_inode *)(disk_block(o, group(o, g)->bg_inode_table) + byte);
}

static int bit(const uint8_t *map, uint32_t n) { return map[n / 8] >> (n % 8) & 1; }
static void set_bit(uint8_t *map, uint32_t n) { map[n / 8] |= (uint8_t)(1u << (n % 8)); }

/* Pointer p of inode ino: inside the volume, owned once. 1 when it may be followed. */
static int claim(struct order_disk *o, uint32_t ino, uint32_t p)
{
    if (p <= o->first_data || p >= o->blocks) {
        note_bad(o, OUTSIDE, "a live inode points outside the volume (inode, pointer)", ino, p);
        return 0;
    }
    if (bit(o->claimed, p)) {
        note_bad(o, TWO_OWNERS, "a block with two owners (inode, block)", ino, p);
        return 0;
    }
    set_bit(o->claimed, p);
    return 1;
}

/* The entries of directory block p: the rec_len rules; their inodes noted as named. */
static void check_dir_block(struct order_disk *o, uint32_t ino, uint32_t p)
{
    const uint8_t *d = disk_block(o, p);

    for (uint32_t off = 0; off < o->bs;) {
        const struct ext2_dirent *e = (const struct ext2_dirent *)(d + off);
        if (o->bs - off < 8 || e->rec_len < 8 || e->rec_len % 4 || e->rec_len > o->bs - off ||
            EXT2_DIRENT_LEN(e->name_len) > e->rec_len || e->inode > o->inodes) {
            note_bad(o, ENTRIES, "a live directory's block breaks the entry rules (inode, block)", ino, p);
            return;
        }
        int dot = e->name[0] == '.' && (e->name_len == 1 || (e->name_len == 2 && e->name[1] == '.'));
        if (e->inode && !dot)
            set_bit(o->named, e->inode);
        off += e->rec_len;
    }
}

/* Pointer p at `level` (0: a data block) of inode ino, and what it reaches. */
static void walk(struct order_disk *o, uint32_t ino, int is_dir, uint32_t p, int level, uint64_t *iblock)
{
    uint64_t span = 1;

    for (int i = 0; i < level; i++)
        span *= o->bs / 4;
    if (!p || !claim(o, ino, p)) {
        *iblock += span;
        return;
    }
    if (level == 0) {
        if (is_dir && *iblock < disk_inode(o, ino)->i_size / o->bs)
            check_dir_block(o, ino, p);
        ++*iblock;
        return;
    }
    const uint32_t *table = (const uint32_t *)disk_block(o, p);
    for (uint32_t i = 0; i < o->bs / 4; i++)
        walk(o, ino, is_dir, table[i], level - 1, iblock);
}

/* Does i_block hold a block map? (Not a fast symlink's target, a device's number.) */
static int has_map(const struct order_disk *o, const struct ext2_inode *n)
{
    uint32_t xattr = n->i_file_acl ? o->bs / 512 : 0;
    return EXT2_ISREG(n->i_mode) || EXT2_ISDIR(n->i_mode) ||
           (EXT2_ISLNK(n->i_mode) && n->i_blocks != xattr);
}

/* The volume as the disk holds it now: what e2fsck -p would have to ask about. */
static void check_volume(struct order_disk *o)
{
    memset(o->claimed, 0, o->blocks / 8 + 1);
    memset(o->named, 0, o->inodes / 8 + 1);
    for (uint32_t ino = 1; ino <= o->inodes; ino++) {
        const struct ext2_inode *n = disk_inode(o, ino);
        uint64_t iblock = 0;
        if (!n->i_links_count || !n->i_mode || !has_map(o, n) || (ino < o->first_ino && ino != EXT2_ROOT_INO))
            continue;
        for (int i = 0; i < EXT2_N_BLOCKS; i++)
            walk(o, ino, EXT2_ISDIR(n->i_mode), n->i_block[i], i < EXT2_IND_BLOCK ? 0 : i - EXT2_IND_BLOCK + 1,
                 &iblock);
    }
    for (uint32_t ino = o->first_ino; ino <= o->inodes; ino++) {
        const struct ext2_inode *n = disk_inode(o, ino);
        if (n->i_links_count && n->i_mode && !bit(o->named, ino) && (n->i_blocks || !EXT2_ISREG(n->i_mode)))
            note_bad(o, NO_NAME, "a live inode without a name (inode, i_blocks)", ino, n->i_blocks);
    }
}

/* The RAM disk's hook: the disk right after one write, as a crash would leave it. */
static void after_write(struct ramdisk *rd, uint64_t block, uint32_t count)
{
    struct order_disk *o = rd->test;

    (void)block;
    (void)count;
    o->writes++;
    o->bad_now = 0;
    if (o->watching)
        check_volume(o);
    if (o->bad_now)
        o->bad++;
}

/* The copy of the module's volume, its shape read, every free block made stale. */
static int load(struct order_disk *o, struct block_device *src)
{
    if (block_read(src, 0, (uint32_t)o->sectors, o->data) != 0)
        return -EIO;
    const struct ext2_super *sb = (const struct ext2_super *)(o->data + 1024);
    o->bs = 1024u << sb->s_log_block_size;
    o->blocks = sb->s_blocks_count;
    o->first_data = sb->s_first_data_block;
    o->inodes = sb->s_inodes_count;
    o->ipg = sb->s_inodes_per_group;
    o->isize = sb->s_rev_level ? sb->s_inode_size : 128;
    o->first_ino = sb->s_rev_level ? sb->s_first_ino : 11;
    o->groups = (o->blocks - o->first_data + sb->s_blocks_per_group - 1) / sb->s_blocks_per_group;
    for (uint32_t g = 0; g < o->groups; g++) {
        const uint8_t *map = disk_block(o, group(o, g)->bg_block_bitmap);
        for (uint32_t i = 0; i < sb->s_blocks_per_group; i++) {
            uint64_t b = o->first_data + (uint64_t)g * sb->s_blocks_per_group + i;
            if (b < o->blocks && !bit(map, i))
                memset(disk_block(o, (uint32_t)b), STALE, o->bs);
        }
    }
    return 0;
}

/* Read `n` blocks of the inode tables nobody changes, another each time: with a tiny cache, the
 * least recently used dirty block goes out alone. */
static void churn(struct order_disk *o, unsigned n)
{
    static unsigned next;

    for (unsigned i = 0; i < n; i++) {
        const struct ext2_group_desc *g = group(o, o->groups - 1);
        struct fs_buf *b = fs_get(&o->io, g->bg_inode_table + 8 + next++ % 16);
        if (b)
            fs_put(&o->io, b);
    }
}

/* File n grown to `blocks` blocks as the kernel grows it: each mapped (get_block), its data
 * written around the cache (the page cache), the size and inode written (write_inode) every
 * fourth block. */
static int grow(struct order_disk *o, struct ext2_node *n, uint32_t from, uint32_t blocks, unsigned churn_n)
{
    uint8_t *data = kmalloc(o->bs);
    uint32_t p;
    int err = data ? 0 : -ENOMEM;

    for (uint32_t i = from; i < blocks && !err; i++) {
        if ((err = ext2_bmap(o->fs, n, i, 1, &p, NULL)) != 0)
            break;
        memset(data, (int)(i + 1), o->bs);
        if ((err = o->io.ops->write(&o->io, p, 1, data)) != 0)
            break;
        churn(o, churn_n);
        if (i % 4 == 3 || i + 1 == blocks) {
            ext2_node_set_size(o->fs, n, (uint64_t)(i + 1) * o->bs);
            err = ext2_write_node(o->fs, n);
        }
    }
    kfree(data);
    return err;
}

static void name_of(char *buf, size_t size, unsigned i)
{
    format_snprintf(buf, size, "name-%04u-of-the-order-test-long-enough-to-fill-blocks-soon", i);
}

/* Unlink dir/name (a file) and evict it, as the VFS does at its last close. */
static int unlink_evict(struct ext2_fs *fs, struct ext2_node *dir, const char *name)
{
    struct ext2_node n;
    uint32_t ino;
    int err = ext2_dir_lookup(fs, dir, name, strlen(name), &ino);

    if (err || (err = ext2_read_node(fs, ino, &n)) || (err = ext2_unlink(fs, dir, name, strlen(name), &n)))
        return err;
    return n.raw.i_links_count ? 0 : ext2_evict_node(fs, &n);
}

/* The operations, a sync between some; 0 or the first error. */
static int workload(struct order_disk *o, unsigned churn_n)
{
    struct ext2_fs *fs = o->fs;
    struct ext2_node root, d, e, big, f, link, victim;
    char name[80], target[101];
    int err;

    memset(target, 't', 100);
    target[100] = 0;
    if ((err = ext2_read_node(fs, EXT2_ROOT_INO, &root)) ||
        (err = ext2_mkdir(fs, &root, "order", 5, 0755, &d)) ||
        (err = ext2_create(fs, &d, "big", 3, EXT2_S_IFREG | 0644, 0, &big)) ||
        (err = grow(o, &big, 0, BIG_BLOCKS, churn_n)))
        return err;
    for (unsigned i = 0; i < NAMES && !err; i++) {
        name_of(name, sizeof name, i);
        if (!(err = ext2_create(fs, &d, name, strlen(name), EXT2_S_IFREG | 0644, 0, &f)))
            err = grow(o, &f, 0, 1 + i % 2, churn_n);
        churn(o, churn_n);
    }
    if (err || (err = ext2_symlink(fs, &d, "slow", 4, target, &link)) ||
        (err = o->io.ops->sync(&o->io)) ||
        (err = ext2_truncate(fs, &big, 100ull * o->bs)))
        return err;
    churn(o, churn_n);
    for (unsigned i = 0; i < NAMES && !err; i += 2) {
        name_of(name, sizeof name, i);
        err = unlink_evict(fs, &d, name);
        churn(o, churn_n);
    }
    if (err || (err = grow(o, &big, 100, BIG_BLOCKS + 20, churn_n)))
        return err;
    uint32_t ino;
    name_of(name, sizeof name, 1);
    if ((err = ext2_dir_lookup(fs, &d, name, strlen(name), &ino)) || (err = ext2_read_node(fs, ino, &f)) ||
        (err = ext2_rename(fs, &d, name, strlen(name), &root, "moved", 5, &f, NULL)))
        return err;
    churn(o, churn_n);
    char other[80];
    name_of(name, sizeof name, 3);
    name_of(other, sizeof other, 5);
    if ((err = ext2_dir_lookup(fs, &d, name, strlen(name), &ino)) || (err = ext2_read_node(fs, ino, &f)) ||
        (err = ext2_dir_lookup(fs, &d, other, strlen(other), &ino)) ||
        (err = ext2_read_node(fs, ino, &victim)) ||
        (err = ext2_rename(fs, &d, name, strlen(name), &d, other, strlen(other), &f, &victim)) ||
        (victim.raw.i_links_count == 0 && (err = ext2_evict_node(fs, &victim))))
        return err;
    churn(o, churn_n);
    if ((err = ext2_mkdir(fs, &d, "gone", 4, 0755, &e)) || (err = ext2_rmdir(fs, &d, "gone", 4, &e)) ||
        (err = ext2_evict_node(fs, &e)))
        return err;
    churn(o, churn_n);
    return o->io.ops->sync(&o->io);
}

static uint32_t order_now(void) { return 1800000000u; }

/* One run on a fresh copy with a cache of `buffers`. 1 when it ran (its findings are in o). */
static int run(struct ktest *t, struct order_disk *o, struct block_device *src, unsigned buffers,
               unsigned churn_n)
{
    int ok = 0;

    if (!KTEST_ASSERT_EQ(t, load(o, src), 0))
        return 0;
    memset(o->fs, 0, sizeof *o->fs);
    o->fs->now = order_now;
    if (!KTEST_ASSERT_EQ(t, fsio_bcache_open(&o->io, &o->rd.dev, 1024, buffers), 0))
        return 0;
    if (!KTEST_ASSERT_EQ(t, ext2_mount(o->fs, &o->io, "ext2order", 0, fsio_bcache_set_block_size), 0))
        goto out;
    o->watching = 1;
    ok = KTEST_ASSERT_EQ(t, workload(o, churn_n), 0);
    KTEST_ASSERT_EQ(t, ext2_umount(o->fs), 0);
out:
    o->watching = 0;
    fsio_bcache_close(&o->io);
    return ok;
}

void ktest_ext2_write_order(struct ktest *t)
{
    static const struct { unsigned buffers, churn; const char *what; } runs[] = {
        {6, 2, "a cache of 6, dirty blocks evicted one at a time"},
        {256, 0, "a cache of 256 written by sync in slot order"},
    };
    struct block_device *src = NULL;
    struct order_disk *o;

    for (struct block_device *d = block_first(); d && !src; d = d->next) {
        size_t m = strlen(d->model);
        if (m >= 12 && strcmp(d->model + m - 12, "/ext2-1k.img") == 0)
            src = d;
    }
    if (!src) {
        KTEST_SKIP(t, "no /boot/ext2-1k.img module");
        return;
    }
    o = kcalloc(1, sizeof *o);
    if (!KTEST_ASSERT(t, o != NULL))
        return;
    o->sectors = src->blocks * src->block_size / 512;
    o->data = kmalloc(o->sectors * 512);
    o->fs = kcalloc(1, sizeof *o->fs);
    o->claimed = kmalloc(o->sectors / 8 + 1);
    o->named = kmalloc(o->sectors / 8 + 1);
    if (!KTEST_ASSERT(t, o->data && o->fs && o->claimed && o->named) ||
        !KTEST_ASSERT_EQ(t, ramdisk_init(&o->rd, o->data, o->sectors, 512, "ext2order", 0, 1), 0))
        goto free;
    o->rd.test = o;
    o->rd.written = after_write;
    for (unsigned i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        o->writes = o->bad = 0;
        memset(o->kinds, 0, sizeof o->kinds);
        if (!run(t, o, src, runs[i].buffers, runs[i].churn))
            break;
        printk(LOG_INFO, "ext2_write_order: %s: %u writes, %u left a volume e2fsck -p would ask about "
               "(pointers outside %u, bad entries %u, two owners %u, no name %u)\n", runs[i].what, o->writes,
               o->bad, o->kinds[OUTSIDE], o->kinds[ENTRIES], o->kinds[TWO_OWNERS], o->kinds[NO_NAME]);
        if (o->bad)
            ktest_fail(t, __FILE__, __LINE__, "%s: %u of %u writes left a volume e2fsck -p asks about; first: %s",
                       runs[i].what, o->bad, o->writes, o->first_bad);
        KTEST_ASSERT(t, o->writes > 100);
    }
    ramdisk_stop(&o->rd);
free:
    kfree(o->named);
    kfree(o->claimed);
    kfree(o->fs);
    kfree(o->data);
    kfree(o);
}
