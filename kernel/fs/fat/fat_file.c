/*
 * fat_file.c - file data on FAT: which disk cluster holds a file offset
 * (following the cluster chain from the directory entry's first cluster,
 * Microsoft FAT specification, section 4), growing and cutting chains.
 *
 * FAT has no index of a file's clusters: cluster N of a file is N links
 * down its chain. The node remembers the last link it reached (pos_index,
 * pos_cluster), so reading a file front to back follows each link once.
 *
 * fat_read and fat_write move bytes through fs_io one sector at a time:
 * the host tests and the fuzzer use them; the kernel's file data goes
 * through the page cache, which asks fat_bmap (via aops->get_block) where
 * the sectors are.
 *
 * FAT has no holes: growing a file (a write past its end, a truncate up)
 * allocates zeroed clusters and zeroes the rest of the last cluster after
 * the old size, so bytes past the old end read as zeros. Order of writes:
 * new clusters are on the chain before the entry's size counts them; a
 * cut chain is cut after the entry's size dropped (a crash in between
 * leaves clusters past the size, which fsck.fat trims). On the disk, not
 * only in the cache: fat_node_write and the cut below are write-before
 * points (fat_order.c).
 */
#include <string.h>

#include "errno.h"
#include "mutant.h"
#include "fs/fat/fat.h"
#include "fs/fat/fat_layout.h"

#define CONTIG_MAX  256             /* clusters fat_bmap looks ahead for a contiguous run */

static int64_t now(const struct fat_volume *v) { return v->now ? v->now() : 0; }

/* Follow one link from cur: *next, allocating a zeroed cluster at the end when create. */
static int step(struct fat_volume *v, struct fat_node *n, uint32_t cur, int create, uint32_t *next)
{
    int err = fat_get(v, cur, next);

    if (err)
        return err;
    if (fat_is_eoc(v, *next))
        return create ? fat_alloc(v, cur, FAT_ZERO_DATA, next) : -ENOENT;
    if (!fat_valid_cluster(v, *next))
        return fat_corrupt(v, "file chain leaves the volume", n->first_cluster, cur);
    return 0;
}

int fat_bmap(struct fat_volume *v, struct fat_node *n, uint32_t index, int create, uint32_t *cluster,
             uint32_t *contig)
{
    uint32_t i, c, next;
    int err;

    if (n->first_cluster == 0) {
        if (!create)
            return -ENOENT;
        if ((err = fat_alloc(v, 0, FAT_ZERO_DATA, &n->first_cluster)) != 0)
            return err;
        n->pos_cluster = 0;
    }
    if (!fat_valid_cluster(v, n->first_cluster))
        return fat_corrupt(v, "file starts outside the volume", n->first_cluster, 0);
    if (n->pos_cluster && n->pos_index <= index) {
        i = n->pos_index;
        c = n->pos_cluster;
    } else {
        i = 0;
        c = n->first_cluster;
    }
    if (index >= v->clusters)           /* longer than the volume: the chain loops */
        return create ? -EFBIG : fat_corrupt(v, "file chain loops", n->first_cluster, index);
    for (; i < index; i++) {
        if ((err = step(v, n, c, create, &c)) != 0)
            return err;
    }
    n->pos_index = index;
    n->pos_cluster = c;
    *cluster = c;
    if (contig) {
        *contig = 1;
        for (uint32_t cur = c; *contig < CONTIG_MAX && !fat_get(v, cur, &next) && next == cur + 1; cur = next)
            ++*contig;
    }
    return 0;
}

/* Sector of byte pos of n: 0 and *sector, allocating when create. */
static int sector_of(struct fat_volume *v, struct fat_node *n, uint64_t pos, int create, uint64_t *sector)
{
    uint32_t c;
    int err = fat_bmap(v, n, (uint32_t)(pos / v->cluster_size), create, &c, NULL);

    if (err)
        return err == -ENOENT ? -EIO : err;     /* inside the size but past the chain: damaged */
    *sector = fat_cluster_sector(v, c) + pos % v->cluster_size / v->sector_size;
    return 0;
}

long fat_read(struct fat_volume *v, struct fat_node *n, void *buf, size_t len, uint64_t pos)
{
    size_t done = 0;
    uint64_t sector;

    if (fat_is_dir(n))
        return -EISDIR;
    if (pos >= n->size)
        return 0;
    if (len > n->size - pos)
        len = (size_t)(n->size - pos);
    while (done < len) {
        uint32_t off = (uint32_t)((pos + done) % v->sector_size), k = v->sector_size - off;
        int err = sector_of(v, n, pos + done, 0, &sector);
        struct fs_buf *b = err ? NULL : fs_get(v->io, sector);
        if (!b)
            return done ? (long)done : err ? err : -EIO;
        if (k > len - done)
            k = (uint32_t)(len - done);
        memcpy((uint8_t *)buf + done, b->data + off, k);
        fs_put(v->io, b);
        done += k;
    }
    return (long)done;
}

/* Zero bytes [from, end of its cluster) of n's last cluster, so a longer file reads zeros there.
 * File data: read and written around io's cache (the kernel's page cache writes it that way too). */
static int zero_tail(struct fat_volume *v, struct fat_node *n, uint64_t from)
{
    uint64_t sector;
    uint8_t *buf = v->scratch;

    if (n->first_cluster == 0 || from % v->cluster_size == 0 || MUTANT_ENABLED(fat_zero_tail))
        return 0;
    for (uint64_t p = from; p % v->cluster_size; p += v->sector_size - p % v->sector_size) {
        int err = sector_of(v, n, p, 0, &sector);
        if (err || (err = v->io->ops->read(v->io, sector, 1, buf)) != 0)
            return err;
        memset(buf + p % v->sector_size, 0, v->sector_size - p % v->sector_size);
        if ((err = v->io->ops->write(v->io, sector, 1, buf)) != 0)
            return err;
    }
    return 0;
}

long fat_write(struct fat_volume *v, struct fat_node *n, const void *buf, size_t len, uint64_t pos)
{
    size_t done = 0;
    uint64_t sector;
    int err = 0;

    if (fat_is_dir(n))
        return -EISDIR;
    if (v->read_only)
        return -EROFS;
    if (pos + len > 0xFFFFFFFFull || pos + len < pos)
        return -EFBIG;                  /* DIR_FileSize is 32 bits */
    if (pos > n->size && (err = fat_truncate(v, n, pos)) != 0)
        return err;
    while (done < len) {
        uint32_t off = (uint32_t)((pos + done) % v->sector_size), k = v->sector_size - off;
        if (k > len - done)
            k = (uint32_t)(len - done);
        struct fs_buf *b = NULL;
        if ((err = sector_of(v, n, pos + done, 1, &sector)) == 0 &&
            !(b = k == v->sector_size ? fs_get_new(v->io, sector) : fs_get(v->io, sector)))
            err = -EIO;
        if (err)
            break;
        memcpy(b->data + off, (const uint8_t *)buf + done, k);
        fs_dirty(v->io, b);
        fs_put(v->io, b);
        done += k;
    }
    if (pos + done > n->size)
        n->size = (uint32_t)(pos + done);
    n->mtime = now(v);
    n->attr |= ATTR_ARCHIVE;
    int werr = fat_node_write(v, n);     /* after the data and the chain */
    if (done)
        return (long)done;
    return err ? err : werr;
}

int fat_truncate(struct fat_volume *v, struct fat_node *n, uint64_t size)
{
    uint32_t keep = (uint32_t)((size + v->cluster_size - 1) / v->cluster_size), c, next, old = n->size;
    int err;

    if (v->read_only)
        return -EROFS;
    if (size > 0xFFFFFFFFull)
        return -EFBIG;
    if (fat_is_dir(n))
        return -EISDIR;
    n->mtime = now(v);
    if (size > old) {                   /* grow: zeroed clusters, then the size */
        if ((err = zero_tail(v, n, old)) != 0 || (err = fat_bmap(v, n, keep - 1, 1, &c, NULL)) != 0)
            return err;
        n->size = (uint32_t)size;
        return fat_node_write(v, n);
    }
    n->size = (uint32_t)size;
    uint32_t first = n->first_cluster;
    if (keep == 0)
        n->first_cluster = 0;
    n->pos_cluster = 0;
    if ((err = fat_node_write(v, n)) != 0 || first == 0)   /* the entry first, then the chain */
        return err;
    if (keep == 0)
        return fat_free_chain(v, first);
    if ((err = fat_bmap(v, n, keep - 1, 0, &c, NULL)) != 0)
        return err == -ENOENT ? 0 : err;
    if ((err = fat_get(v, c, &next)) != 0 || fat_is_eoc(v, next))
        return err;
    if ((err = fat_order_all(v)) != 0)  /* write-before: the smaller size, then the cut */
        return err;
    if ((err = fat_set(v, c, v->type == 12 ? 0xFFF : v->type == 16 ? 0xFFFF : FAT32_MASK)) != 0)
        return err;
    /* fat_free_chain's own write-before point puts the end-of-chain mark first */
    return fat_valid_cluster(v, next) ? fat_free_chain(v, next) : fat_corrupt(v, "bad link", c, next);
}
