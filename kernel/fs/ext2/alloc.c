/*
 * alloc.c - blocks and inodes of an ext2 volume: each group's block bitmap
 * and inode bitmap (one bit per block or inode, 1 = in use), with the free
 * counts kept consistent in three places: the bitmap, the group descriptor
 * (written at once) and the superblock (in memory, written at sync)
 * (Poirier, "Block Bitmap", "Inode Bitmap", "Block Group Descriptor Table").
 *
 * Order: the bitmap first, then the descriptor. A crash in between leaves a
 * free count that disagrees with the bitmap, which `e2fsck -p` corrects
 * without asking; the callers write a pointer to a block or inode only after
 * this file has marked it in use (docs/files-ext2.md, "Metadata order").
 *
 * Where: a file's blocks near the goal the caller gives (the block before in
 * the file, or the inode's group), so a file is contiguous when it can be;
 * a new directory's inode in a group with more free inodes than average and
 * the most free blocks (spreading directories, as Linux's ext2 does), a
 * file's in its directory's group.
 *
 * A bitmap that says a group's own metadata (superblock copy, descriptors,
 * bitmaps, inode table) is free is corrupt: the bit is not trusted, and the
 * volume is logged once as needing e2fsck.
 */
#include <string.h>

#include "errno.h"
#include "fs/ext2/ext2.h"
#include "mutant.h"

static int bit_test(const uint8_t *map, uint32_t bit) { return (map[bit / 8] >> (bit % 8)) & 1; }
static void bit_set(uint8_t *map, uint32_t bit) { map[bit / 8] |= (uint8_t)(1u << (bit % 8)); }
static void bit_clear(uint8_t *map, uint32_t bit) { map[bit / 8] &= (uint8_t)~(1u << (bit % 8)); }

/* Write group g's descriptor to the primary table. */
static int write_gd(struct ext2_fs *fs, uint32_t g)
{
    struct fs_buf *b = fs_get(fs->io, fs->first_data_block + 1 + g / fs->desc_per_block);

    if (!b)
        return -EIO;
    memcpy(b->data + (g % fs->desc_per_block) * sizeof(struct ext2_group_desc), &fs->gd[g],
           sizeof(struct ext2_group_desc));
    fs_dirty(fs->io, b);
    fs_put(fs->io, b);
    return 0;
}

static uint32_t group_blocks(const struct ext2_fs *fs, uint32_t g)
{
    uint64_t start = fs->first_data_block + (uint64_t)g * fs->blocks_per_group;
    uint64_t left = fs->blocks_count - start;
    return left < fs->blocks_per_group ? (uint32_t)left : fs->blocks_per_group;
}

int ext2_block_valid(const struct ext2_fs *fs, uint64_t block)
{
    return block > fs->first_data_block && block < fs->blocks_count;
}

uint32_t ext2_group_of_ino(const struct ext2_fs *fs, uint32_t ino)
{
    return (ino - 1) / fs->inodes_per_group;
}

/* Is block part of group g's own metadata (bitmaps, inode table)? */
static int group_metadata(const struct ext2_fs *fs, uint32_t g, uint64_t block)
{
    const struct ext2_group_desc *d = &fs->gd[g];
    uint64_t itable = ((uint64_t)fs->inodes_per_group * fs->inode_size + fs->block_size - 1)
                      / fs->block_size;

    return block == d->bg_block_bitmap || block == d->bg_inode_bitmap ||
           (block >= d->bg_inode_table && block < d->bg_inode_table + itable) ||
           block <= fs->first_data_block + fs->gdt_blocks;
}

static void corrupt_bitmap(struct ext2_fs *fs, const char *what, uint64_t n)
{
    ext2_log(fs, "%s bitmap marks %llu free, but it is in use: run e2fsck", what,
             (unsigned long long)n);
}

/* Take a free bit of group g's block bitmap from start on (wrapping): 0 and *out, or -ENOSPC. */
static int alloc_in_group(struct ext2_fs *fs, uint32_t g, uint32_t start, uint32_t *out)
{
    uint32_t n = group_blocks(fs, g);
    uint64_t base = fs->first_data_block + (uint64_t)g * fs->blocks_per_group;
    struct fs_buf *b = fs_get(fs->io, fs->gd[g].bg_block_bitmap);

    if (!b)
        return -EIO;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t bit = (start + i) % n;
        uint64_t word;
        if (bit % 64 == 0 && bit + 64 <= n && i + 64 <= n &&
            (__builtin_memcpy(&word, b->data + bit / 8, 8), word == ~0ull)) {
            i += 63;                            /* 64 used blocks at once */
            continue;
        }
        if (bit % 8 == 0 && b->data[bit / 8] == 0xFF && bit + 8 <= n && i + 8 <= n) {
            i += 7;                             /* a byte of 8 used blocks at once */
            continue;
        }
        if (bit_test(b->data, bit))
            continue;
        bit_set(b->data, bit);
        fs_dirty(fs->io, b);
        if (group_metadata(fs, g, base + bit)) {
            corrupt_bitmap(fs, "block", base + bit);
            continue;                           /* leave it marked: it is in use */
        }
        fs_put(fs->io, b);
        fs->gd[g].bg_free_blocks_count--;
        fs->sb.s_free_blocks_count--;
        *out = (uint32_t)(base + bit);
        return write_gd(fs, g);
    }
    fs_put(fs->io, b);
    return -ENOSPC;
}

int ext2_alloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *out)
{
    uint32_t g0 = 0, start = 0;

    if (fs->read_only)
        return -EROFS;
    if (ext2_block_valid(fs, goal)) {
        g0 = (goal - fs->first_data_block) / fs->blocks_per_group;
        start = (goal - fs->first_data_block) % fs->blocks_per_group;
    }
    for (uint32_t i = 0; i < fs->groups; i++) {
        uint32_t g = (g0 + i) % fs->groups;
        if (fs->gd[g].bg_free_blocks_count == 0)
            continue;
        int err = alloc_in_group(fs, g, i == 0 ? start : 0, out);
        if (err != -ENOSPC)
            return err;
    }
    return -ENOSPC;
}

int ext2_free_block(struct ext2_fs *fs, uint32_t block)
{
    if (!ext2_block_valid(fs, block)) {
        ext2_log(fs, "freeing block %u outside the volume", block);
        return -EIO;
    }
    uint32_t g = (block - fs->first_data_block) / fs->blocks_per_group;
    uint32_t bit = (block - fs->first_data_block) % fs->blocks_per_group;
    if (group_metadata(fs, g, block)) {
        ext2_log(fs, "freeing block %u of the group's metadata", block);
        return -EIO;
    }
    fs_forget(fs->io, block);                   /* it may become file data, written around the cache */
    ext2_ind_forget(fs, block);
    struct fs_buf *b = fs_get(fs->io, fs->gd[g].bg_block_bitmap);
    if (!b)
        return -EIO;
    if (!bit_test(b->data, bit)) {
        fs_put(fs->io, b);
        ext2_log(fs, "freeing block %u, already free", block);
        return 0;
    }
    bit_clear(b->data, bit);
    fs_dirty(fs->io, b);
    fs_put(fs->io, b);
    if (MUTANT_ENABLED(ext2_free_counts))
        return 0;                               /* the counts forget the freed block */
    fs->gd[g].bg_free_blocks_count++;
    fs->sb.s_free_blocks_count++;
    return write_gd(fs, g);
}

/* The group for a new inode: see the top of the file. */
static uint32_t choose_group(const struct ext2_fs *fs, uint32_t parent, int is_dir)
{
    uint32_t pg = parent ? ext2_group_of_ino(fs, parent) % fs->groups : 0;

    if (is_dir) {
        uint32_t avg = fs->sb.s_free_inodes_count / fs->groups, best = fs->groups;
        for (uint32_t g = 0; g < fs->groups; g++) {
            const struct ext2_group_desc *d = &fs->gd[g];
            if (d->bg_free_inodes_count && d->bg_free_inodes_count >= avg &&
                (best == fs->groups || d->bg_free_blocks_count > fs->gd[best].bg_free_blocks_count))
                best = g;
        }
        if (best < fs->groups)
            return best;
    }
    return pg;
}

static int ialloc_in_group(struct ext2_fs *fs, uint32_t g, int is_dir, uint32_t *out)
{
    struct fs_buf *b = fs_get(fs->io, fs->gd[g].bg_inode_bitmap);

    if (!b)
        return -EIO;
    for (uint32_t bit = 0; bit < fs->inodes_per_group; bit++) {
        uint32_t ino = g * fs->inodes_per_group + bit + 1;
        uint64_t word;
        if (bit % 64 == 0 && bit + 64 <= fs->inodes_per_group &&
            (__builtin_memcpy(&word, b->data + bit / 8, 8), word == ~0ull)) {
            bit += 63;                          /* 64 used inodes at once */
            continue;
        }
        if (bit % 8 == 0 && b->data[bit / 8] == 0xFF && bit + 8 <= fs->inodes_per_group) {
            bit += 7;                           /* a byte of 8 used inodes at once */
            continue;
        }
        if (bit_test(b->data, bit))
            continue;
        bit_set(b->data, bit);
        fs_dirty(fs->io, b);
        if (ino < fs->first_ino) {
            corrupt_bitmap(fs, "inode", ino);
            continue;
        }
        fs_put(fs->io, b);
        fs->gd[g].bg_free_inodes_count--;
        fs->sb.s_free_inodes_count--;
        if (is_dir)
            fs->gd[g].bg_used_dirs_count++;
        *out = ino;
        return write_gd(fs, g);
    }
    fs_put(fs->io, b);
    return -ENOSPC;
}

int ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent, int is_dir, uint32_t *out)
{
    uint32_t g0 = choose_group(fs, parent, is_dir);

    if (fs->read_only)
        return -EROFS;
    for (uint32_t i = 0; i < fs->groups; i++) {
        uint32_t g = (g0 + i) % fs->groups;
        if (fs->gd[g].bg_free_inodes_count == 0)
            continue;
        int err = ialloc_in_group(fs, g, is_dir, out);
        if (err != -ENOSPC)
            return err;
    }
    return -ENOSPC;
}

int ext2_free_inode(struct ext2_fs *fs, uint32_t ino, int is_dir)
{
    uint32_t g = ext2_group_of_ino(fs, ino), bit = (ino - 1) % fs->inodes_per_group;

    if (ino < fs->first_ino || g >= fs->groups) {
        ext2_log(fs, "freeing reserved or bad inode %u", ino);
        return -EIO;
    }
    struct fs_buf *b = fs_get(fs->io, fs->gd[g].bg_inode_bitmap);
    if (!b)
        return -EIO;
    if (!bit_test(b->data, bit)) {
        fs_put(fs->io, b);
        ext2_log(fs, "freeing inode %u, already free", ino);
        return 0;
    }
    bit_clear(b->data, bit);
    fs_dirty(fs->io, b);
    fs_put(fs->io, b);
    fs->gd[g].bg_free_inodes_count++;
    fs->sb.s_free_inodes_count++;
    if (is_dir && fs->gd[g].bg_used_dirs_count)
        fs->gd[g].bg_used_dirs_count--;
    return write_gd(fs, g);
}
