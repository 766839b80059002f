/*
 * fat_table.c - the file allocation table (Microsoft FAT specification,
 * section 4): one entry per data cluster holding the next cluster of its
 * chain, an end-of-chain mark, or 0 for free.
 *
 * Entries are 12 bits (FAT12: entry n at byte n + n/2, so one may straddle
 * two sectors), 16 bits or 32 bits of which the low 28 count (FAT32: the
 * high 4 are reserved and written back as found, section 4). A change
 * goes to every FAT copy, or to the active one alone when FAT32's
 * ExtFlags turns mirroring off.
 *
 * The free count and the next-free hint (FSInfo's, section 5) are kept
 * here: fat_set sees every entry that goes from free to used and back.
 *
 * Order of writes, so a crash leaves at worst lost clusters (clusters
 * marked used that no entry reaches, which fsck.fat reclaims): a new
 * cluster is zeroed if asked, then marked end of chain, then linked after
 * the chain's last cluster; the directory entry that points at a first
 * cluster is written by the caller after that. Freeing a chain happens
 * after its entry stopped pointing at it, from the first cluster on.
 * The cache would write these in its own order: fat_order.c's write-before
 * points make it this one on the disk (a link after its cluster's mark when
 * they lie in two FAT sectors, a free after every dirty entry).
 */
#include <string.h>

#include "errno.h"
#include "mutant.h"
#include "fs/fat/fat.h"
#include "fs/fat/fat_layout.h"

int fat_valid_cluster(const struct fat_volume *v, uint32_t cluster)
{
    return cluster >= FAT_FIRST_CLUSTER && cluster - FAT_FIRST_CLUSTER < v->clusters;
}

int fat_is_eoc(const struct fat_volume *v, uint32_t value)
{
    return value >= (v->type == 12 ? FAT12_EOC : v->type == 16 ? FAT16_EOC : FAT32_EOC);
}

uint64_t fat_cluster_sector(const struct fat_volume *v, uint32_t cluster)
{
    return v->data_start + (uint64_t)(cluster - FAT_FIRST_CLUSTER) * v->cluster_sectors;
}

static uint32_t eoc_value(const struct fat_volume *v)
{
    return v->type == 12 ? 0xFFFu : v->type == 16 ? 0xFFFFu : FAT32_MASK;
}

/* Byte offset of cluster's entry inside one FAT copy. */
static uint32_t entry_offset(const struct fat_volume *v, uint32_t cluster)
{
    return v->type == 12 ? cluster + cluster / 2 : cluster * (v->type / 8);
}

/* Read (write == NULL) or change one entry in FAT copy `copy`; *old gets the value found. */
static int entry_rw(struct fat_volume *v, unsigned copy, uint32_t cluster, const uint32_t *write,
                    uint32_t *old)
{
    uint32_t off = entry_offset(v, cluster), bps = v->sector_size;
    uint64_t sector = v->fat_start + (uint64_t)copy * v->fat_sectors + off / bps;
    unsigned idx = off % bps, span = (v->type == 12 && idx == bps - 1) ? 2 : 1;
    struct fs_buf *b[2] = {0, 0};
    uint8_t *p[4];
    uint32_t raw = 0;

    for (unsigned i = 0; i < span; i++)
        if (!(b[i] = fs_get(v->io, sector + i))) {
            if (i)
                fs_put(v->io, b[0]);
            return -EIO;
        }
    for (unsigned i = 0; i < 4; i++)
        p[i] = (idx + i < bps) ? b[0]->data + idx + i : (span == 2 && i == 1) ? b[1]->data : NULL;
    unsigned bytes = v->type == 32 ? 4 : 2;
    for (unsigned i = 0; i < bytes; i++)
        raw |= (uint32_t)*p[i] << (8 * i);
    if (v->type == 12)
        *old = (cluster & 1) ? raw >> 4 : raw & 0xFFF;
    else
        *old = v->type == 16 ? raw : raw & FAT32_MASK;
    if (write) {
        if (v->type == 12)
            raw = (cluster & 1) ? (raw & 0x000F) | (*write << 4) : (raw & 0xF000) | *write;
        else
            raw = v->type == 16 ? *write : (raw & ~FAT32_MASK) | *write;
        for (unsigned i = 0; i < bytes; i++)
            *p[i] = (uint8_t)(raw >> (8 * i));
        for (unsigned i = 0; i < span; i++)
            fs_dirty(v->io, b[i]);
    }
    for (unsigned i = 0; i < span; i++)
        fs_put(v->io, b[i]);
    return 0;
}

static unsigned first_copy(const struct fat_volume *v) { return v->active_fat == ~0u ? 0 : v->active_fat; }

int fat_get(struct fat_volume *v, uint32_t cluster, uint32_t *next)
{
    if (!fat_valid_cluster(v, cluster))
        return -EIO;
    return entry_rw(v, first_copy(v), cluster, NULL, next);
}

int fat_set(struct fat_volume *v, uint32_t cluster, uint32_t value)
{
    uint32_t old = 0, o;
    int err = 0;

    if (v->read_only)
        return -EROFS;
    if (!fat_valid_cluster(v, cluster))
        return -EIO;
    for (unsigned copy = 0; copy < v->nfats && !err; copy++)
        if ((v->active_fat == ~0u && !(MUTANT_ENABLED(fat_mirror) && copy > 0)) || copy == v->active_fat)
            err = entry_rw(v, copy, cluster, &value, copy == first_copy(v) ? &old : &o);
    if (err)
        return err;
    if ((old == FAT_FREE) != (value == FAT_FREE) && !MUTANT_ENABLED(fat_free_count)) {
        v->free_count += value == FAT_FREE ? 1 : -1;
        v->fsinfo_dirty = 1;
    }
    return 0;
}

/* Free entries among clusters [from, to): counted into *count, or (first != NULL) the first
 * of them into *first, returning 1 when there is one. FAT16/32 read a FAT sector once for all
 * its entries; FAT12's entries straddle sectors and go one by one. 0 or 1, or -errno. */
static int scan_free(struct fat_volume *v, uint32_t from, uint32_t to, uint32_t *count, uint32_t *first)
{
    uint32_t per = v->sector_size / (v->type / 8), next;

    for (uint32_t c = from; c < to;) {
        if (v->type == 12) {
            int err = fat_get(v, c, &next);
            if (err)
                return err;
            if (next == FAT_FREE && first) {
                *first = c;
                return 1;
            }
            *count += next == FAT_FREE;
            c++;
            continue;
        }
        struct fs_buf *b = fs_get(v->io, v->fat_start + (uint64_t)first_copy(v) * v->fat_sectors + c / per);
        if (!b)
            return -EIO;
        for (uint32_t i = c % per; i < per && c < to; i++, c++) {
            next = v->type == 16 ? fat_rd16(b->data + 2 * i) : fat_rd32(b->data + 4 * i) & FAT32_MASK;
            if (next == FAT_FREE && first) {
                *first = c;
                fs_put(v->io, b);
                return 1;
            }
            *count += next == FAT_FREE;
        }
        fs_put(v->io, b);
    }
    return 0;
}

int fat_count_free(struct fat_volume *v, uint32_t *count)
{
    *count = 0;
    return scan_free(v, FAT_FIRST_CLUSTER, v->clusters + FAT_FIRST_CLUSTER, count, NULL);
}

/* The first free cluster at or after the hint, wrapping: 0 or -ENOSPC. */
static int find_free(struct fat_volume *v, uint32_t *out)
{
    uint32_t start = fat_valid_cluster(v, v->next_free) ? v->next_free : FAT_FIRST_CLUSTER, unused = 0;
    int r = scan_free(v, start, v->clusters + FAT_FIRST_CLUSTER, &unused, out);

    if (r == 0)
        r = scan_free(v, FAT_FIRST_CLUSTER, start, &unused, out);
    return r < 0 ? r : r ? 0 : -ENOSPC;
}

static const uint8_t zeros[4096];

/* Zeros over a cluster: through io's cache for metadata, straight to the disk for file data
 * (the kernel's page cache writes file data around the buffer cache). */
static int zero_cluster(struct fat_volume *v, uint32_t cluster, int how)
{
    uint64_t s = fat_cluster_sector(v, cluster);
    uint32_t per = sizeof zeros / v->sector_size;

    for (uint32_t i = 0; i < v->cluster_sectors; i += per) {
        if (how == FAT_ZERO_DATA) {
            uint32_t n = v->cluster_sectors - i < per ? v->cluster_sectors - i : per;
            if (v->io->ops->write(v->io, s + i, n, zeros))
                return -EIO;
            continue;
        }
        for (uint32_t k = i; k < i + per && k < v->cluster_sectors; k++) {
            struct fs_buf *b = fs_get_new(v->io, s + k);
            if (!b)
                return -EIO;
            memset(b->data, 0, v->sector_size);
            fs_dirty(v->io, b);
            fs_put(v->io, b);
        }
    }
    return 0;
}

/* 1 when the entries of clusters a and b lie in one sector of the FAT (each whole in it). */
static int same_sector(const struct fat_volume *v, uint32_t a, uint32_t b)
{
    uint32_t bytes = v->type == 32 ? 4 : 2, sa = entry_offset(v, a), sb = entry_offset(v, b);

    return sa / v->sector_size == (sa + bytes - 1) / v->sector_size &&
           sb / v->sector_size == (sb + bytes - 1) / v->sector_size &&
           sa / v->sector_size == sb / v->sector_size;
}

int fat_alloc(struct fat_volume *v, uint32_t prev, int zero, uint32_t *out)
{
    uint32_t c;
    int err;

    if (v->read_only)
        return -EROFS;
    if (v->free_count == 0)
        return -ENOSPC;
    if ((err = find_free(v, &c)) != 0)
        return err;
    if ((zero && (err = zero_cluster(v, c, zero))) || (err = fat_set(v, c, eoc_value(v))))
        return err;
    /* Write-before: the link must not reach the disk before the cluster's end-of-chain mark
     * (in another FAT sector) or a directory cluster's zeros (dirty in the cache). */
    if (prev && (zero == FAT_ZERO_META || !same_sector(v, prev, c)) && (err = fat_order_all(v)) != 0)
        return err;
    if (prev && (err = fat_set(v, prev, c)))
        return err;
    v->next_free = c + 1 < v->clusters + FAT_FIRST_CLUSTER ? c + 1 : FAT_FIRST_CLUSTER;
    v->fsinfo_dirty = 1;
    *out = c;
    return 0;
}

int fat_free_chain(struct fat_volume *v, uint32_t first)
{
    uint32_t c = first, next;
    int err = fat_order_all(v);         /* write-before: what stopped pointing at the chain */

    if (err)
        return err;
    for (uint32_t n = 0; n < v->clusters; n++) {
        if ((err = fat_get(v, c, &next)) != 0)
            return err == -EIO ? fat_corrupt(v, "chain runs out of the volume", first, c) : err;
        if (next == FAT_FREE)
            return fat_corrupt(v, "chain reaches a free cluster", first, c);
        if ((err = fat_set(v, c, FAT_FREE)) != 0)
            return err;
        for (uint32_t s = 0; s < v->cluster_sectors; s++)
            fs_forget(v->io, fat_cluster_sector(v, c) + s);   /* may become file data */
        if (fat_is_eoc(v, next))
            return 0;
        c = next;
    }
    return fat_corrupt(v, "chain loops", first, c);
}
