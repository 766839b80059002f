/*
 * dirindex.c - what the core remembers of a directory's blocks between
 * calls, in memory only, so that adding a name to a large directory does
 * not read every entry of it each time.
 *
 * ext2 directories are linear (dir.c): before a name is added, every entry
 * must be compared with it (no duplicate names), and a slot with room must
 * be found. Creating n files in a directory is then n * n / 2 comparisons.
 * Linux's ext2 stops at the first slot with room and trusts its dcache for
 * the rest; here the core checks the whole directory itself, but skips a
 * block it already knows:
 *   - a Bloom filter of the names in the block (block_size bits, six bits
 *     a name): a name whose bits are not all set is not in the block,
 *     so the block need not be read for the duplicate check. A removed name
 *     leaves its bits (a false "maybe", which costs a read); a full walk of
 *     the block builds the filter again from what it holds;
 *   - room: no entry of the block has more room for a new entry than this
 *     (an upper bound: a block whose room is too small is skipped);
 *   - slot, slot_room: one entry known to have slot_room bytes of room, where
 *     the next name goes without a walk (after the add, the new entry has
 *     what is left: the usual way a directory fills, one entry after the other).
 * A block is described by its disk block too: a block of the directory that
 * maps elsewhere than what was seen is unknown again. The directories are
 * known by inode number and i_generation; a directory's truncate or eviction
 * forgets it (ext2_dirindex_forget). Only dir.c changes directory blocks
 * (namei.c's first block of a new directory is a new inode), and it updates
 * what is known here in the same call.
 *
 * EXT2_DIRINDEX_DIRS directories are known at once (the least recently used
 * is replaced), each up to EXT2_DIRINDEX_BLOCKS blocks (blocks past those
 * are walked every time, as without this file). No memory: nothing is known,
 * and dir.c walks every block.
 */
#include <string.h>

#include "fs/ext2/ext2.h"
#include "mm/heap.h"

/* Bytes of one block's filter: block_size / 8 (4096 bits for 4 KiB blocks, where 200 names of
 * 9 bytes fit: with six bits a name, a name not there looks present once in 3,000 blocks). */
static uint32_t bloom_bytes(const struct ext2_fs *fs)
{
    return fs->block_size / 8;
}

uint64_t ext2_dirindex_hash(const char *name, size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15ull;
    uint64_t h = len * k;

    for (; len >= 8; name += 8, len -= 8) {
        uint64_t w;
        __builtin_memcpy(&w, name, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    if (len) {
        uint64_t w = 0;
        for (size_t i = 0; i < len; i++)
            w |= (uint64_t)(uint8_t)name[i] << (8 * i);
        h = (h ^ w) * k;
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 32);
}

#define BLOOM_BITS_PER_NAME 6

/* Set or test the bits of hash in a filter of bytes bytes (a power of two): bit i is
 * h1 + i * h2 (Kirsch and Mitzenmacher's two hashes for k). */
static void bloom_set(uint8_t *bloom, uint32_t bytes, uint64_t hash)
{
    uint32_t mask = bytes * 8 - 1, bit = (uint32_t)hash, step = (uint32_t)(hash >> 32) | 1;

    for (int i = 0; i < BLOOM_BITS_PER_NAME; i++, bit += step)
        bloom[(bit & mask) / 8] |= (uint8_t)(1u << (bit & 7));
}

static int bloom_test(const uint8_t *bloom, uint32_t bytes, uint64_t hash)
{
    uint32_t mask = bytes * 8 - 1, bit = (uint32_t)hash, step = (uint32_t)(hash >> 32) | 1;

    for (int i = 0; i < BLOOM_BITS_PER_NAME; i++, bit += step)
        if (!(bloom[(bit & mask) / 8] & (1u << (bit & 7))))
            return 0;
    return 1;
}

int ext2_dirindex_may_hold(const struct ext2_fs *fs, const struct ext2_dirblk *k, uint64_t hash)
{
    return !k->known || bloom_test(k->bloom, bloom_bytes(fs), hash);
}

void ext2_dirindex_note_name(const struct ext2_fs *fs, struct ext2_dirblk *k, uint64_t hash)
{
    bloom_set(k->bloom, bloom_bytes(fs), hash);
}

void ext2_dirindex_add_to(const struct ext2_fs *fs, uint8_t *bloom, uint64_t hash)
{
    bloom_set(bloom, bloom_bytes(fs), hash);
}

void ext2_dirindex_set_bloom(const struct ext2_fs *fs, struct ext2_dirblk *k, const uint8_t *bloom)
{
    memcpy(k->bloom, bloom, bloom_bytes(fs));
}

void ext2_dirindex_clear_bloom(const struct ext2_fs *fs, uint8_t *bloom)
{
    memset(bloom, 0, bloom_bytes(fs));
}

static void drop(struct ext2_dir_index *d)
{
    kfree(d->blk);
    kfree(d->bloom);
    memset(d, 0, sizeof *d);
}

/* Room for blocks [0, want) in d: 0, or -1 (no memory: d unchanged). */
static int grow(const struct ext2_fs *fs, struct ext2_dir_index *d, uint32_t want)
{
    uint32_t cap = d->cap ? d->cap : 8, bytes = bloom_bytes(fs);

    while (cap < want)
        cap *= 2;
    if (cap > EXT2_DIRINDEX_BLOCKS)
        cap = EXT2_DIRINDEX_BLOCKS;
    struct ext2_dirblk *blk = kcalloc(cap, sizeof *blk);
    uint8_t *bloom = kcalloc(cap, bytes);
    if (!blk || !bloom) {
        kfree(blk);
        kfree(bloom);
        return -1;
    }
    if (d->cap) {
        memcpy(blk, d->blk, d->cap * sizeof *blk);
        memcpy(bloom, d->bloom, (size_t)d->cap * bytes);
    }
    for (uint32_t i = 0; i < cap; i++)
        blk[i].bloom = bloom + (size_t)i * bytes;
    kfree(d->blk);
    kfree(d->bloom);
    d->blk = blk;
    d->bloom = bloom;
    d->cap = cap;
    return 0;
}

struct ext2_dirblk *ext2_dirindex_block(struct ext2_fs *fs, const struct ext2_node *dir,
                                        uint64_t i, uint32_t pblock)
{
    struct ext2_dir_index *d = NULL, *oldest = &fs->dirindex[0];

    if (i >= EXT2_DIRINDEX_BLOCKS || fs->block_size / 8 < 8)
        return NULL;
    for (int n = 0; n < EXT2_DIRINDEX_DIRS && !d; n++) {
        struct ext2_dir_index *c = &fs->dirindex[n];
        if (c->ino == dir->ino && c->generation == dir->raw.i_generation)
            d = c;
        else if (c->stamp < oldest->stamp)
            oldest = c;
    }
    if (!d) {
        d = oldest;
        drop(d);
        d->ino = dir->ino;
        d->generation = dir->raw.i_generation;
    }
    d->stamp = ++fs->dirindex_stamp;
    if (i >= d->cap && grow(fs, d, (uint32_t)i + 1))
        return NULL;
    struct ext2_dirblk *k = &d->blk[i];
    if (k->pblock != pblock) {
        k->pblock = pblock;
        k->known = 0;                           /* another block than the one seen: unknown */
    }
    return k;
}

void ext2_dirindex_forget(struct ext2_fs *fs, uint32_t ino)
{
    for (int n = 0; n < EXT2_DIRINDEX_DIRS; n++)
        if (fs->dirindex[n].ino == ino)
            drop(&fs->dirindex[n]);
}

void ext2_dirindex_free(struct ext2_fs *fs)
{
    for (int n = 0; n < EXT2_DIRINDEX_DIRS; n++)
        drop(&fs->dirindex[n]);
}
