/*
 * bmap.c - where a file's blocks are: the block map of ext2 (Poirier,
 * "i_block", "Indirect Blocks"). i_block[0..11] point at the file's first
 * 12 blocks; i_block[12] at a block of pointers to the next block_size/4
 * blocks (single indirect); i_block[13] at a block of pointers to such
 * blocks (double); i_block[14] one level more (triple). A pointer of 0 is a
 * hole: the file reads zeros there and has no block.
 *
 * A new block is taken in the bitmap (alloc.c) first; a new indirect block
 * is written zeroed (a directory's or symlink's new block with its contents,
 * ext2_bmap_new) and put on the disk (order.c) before the pointer to it is
 * set. Truncate goes the other way: the pointers are cleared and their block
 * put on the disk, then the blocks freed. So a crash leaves at worst blocks
 * marked in the bitmap that no file points to, which `e2fsck -p` frees
 * without asking, never a pointer to stale bytes or a block with two owners.
 *
 * Corrupt pointers (outside the volume) give -EIO with a log line. No
 * block is held while another is read: the pointers of an indirect block
 * are copied out, so a block that points at itself cannot deadlock the
 * buffer cache.
 */
#include <string.h>

#include "errno.h"
#include "fs/ext2/ext2.h"
#include "mm/heap.h"

/* contig is counted up to this many blocks: the page cache asks for one page's (at most 4),
 * and a longer count would cost a walk over the whole indirect block at each call. */
#define EXT2_CONTIG_MAX 16

/* iblock as a path: offs[0] in i_block, then one offset per indirect level. Depth, or -EFBIG. */
static int block_path(const struct ext2_fs *fs, uint64_t iblock, uint32_t offs[4])
{
    uint64_t apb = fs->addr_per_block;

    if (iblock < EXT2_NDIR_BLOCKS) {
        offs[0] = (uint32_t)iblock;
        return 0;
    }
    iblock -= EXT2_NDIR_BLOCKS;
    if (iblock < apb) {
        offs[0] = EXT2_IND_BLOCK;
        offs[1] = (uint32_t)iblock;
        return 1;
    }
    iblock -= apb;
    if (iblock < apb * apb) {
        offs[0] = EXT2_DIND_BLOCK;
        offs[1] = (uint32_t)(iblock / apb);
        offs[2] = (uint32_t)(iblock % apb);
        return 2;
    }
    iblock -= apb * apb;
    if (iblock < apb * apb * apb) {
        offs[0] = EXT2_TIND_BLOCK;
        offs[1] = (uint32_t)(iblock / (apb * apb));
        offs[2] = (uint32_t)(iblock / apb % apb);
        offs[3] = (uint32_t)(iblock % apb);
        return 3;
    }
    return -EFBIG;
}

uint64_t ext2_max_size(const struct ext2_fs *fs)
{
    uint64_t apb = fs->addr_per_block;
    uint64_t blocks = EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
    uint64_t by_map = blocks * fs->block_size;
    uint64_t by_i_blocks = (0xFFFFFFFFull / (fs->block_size / 512) - (1 + apb + apb * apb))
                           * fs->block_size;     /* i_blocks counts 512-byte units in 32 bits */
    return by_map < by_i_blocks ? by_map : by_i_blocks;
}

static int bad_pointer(struct ext2_fs *fs, struct ext2_node *node, uint32_t ptr)
{
    ext2_log(fs, "inode %u points at block %u outside the volume", node->ino, ptr);
    return -EIO;
}

/* What a new block holds before the pointer to it is set: NULL for file data (the caller writes
 * it, around the metadata cache); else len bytes of data, zeros after (an indirect block: none). */
struct ext2_fill {
    const void *data;
    size_t len;
};

static const struct ext2_fill zeros = { NULL, 0 };

/* A new block for node, filled as `fill` says and, filled, on the disk before the caller sets
 * a pointer to it (write-before, order.c): a crash never shows a pointer to stale bytes. */
static int new_block(struct ext2_fs *fs, struct ext2_node *node, uint32_t goal,
                     const struct ext2_fill *fill, uint32_t *out)
{
    int err = ext2_alloc_block(fs, goal, out);

    if (err)
        return err;
    node->raw.i_blocks += fs->block_size / 512;
    if (fill) {
        struct fs_buf *b = fs_get_new(fs->io, *out);
        if (!b)
            return -EIO;
        memset(b->data, 0, fs->block_size);
        if (fill->len)
            memcpy(b->data, fill->data, fill->len);
        fs_dirty(fs->io, b);
        fs_put(fs->io, b);
        return ext2_write_first(fs, *out);
    }
    return 0;
}

/* The goal for a new block: after the block before it in the same table, else near the inode. */
static uint32_t goal_near(const struct ext2_fs *fs, const struct ext2_node *node,
                          const uint32_t *table, uint32_t off, uint32_t parent)
{
    if (off > 0 && table[off - 1])
        return table[off - 1] + 1;
    if (parent)
        return parent + 1;
    return fs->first_data_block + ext2_group_of_ino(fs, node->ino) % fs->groups * fs->blocks_per_group;
}

void ext2_ind_init(struct ext2_fs *fs)
{
    for (int i = 0; i < 3; i++)
        fs->ind[i] = (struct ext2_ind_copy){ 0, kmalloc(fs->block_size) };
}

void ext2_ind_free(struct ext2_fs *fs)
{
    for (int i = 0; i < 3; i++) {
        kfree(fs->ind[i].table);
        fs->ind[i] = (struct ext2_ind_copy){ 0, NULL };
    }
}

void ext2_ind_forget(struct ext2_fs *fs, uint32_t blk)
{
    for (int i = 0; i < 3; i++)
        if (fs->ind[i].block == blk)
            fs->ind[i].block = 0;
}

/* The pointers of indirect block blk at a level, from the copy or read into it: NULL on an
 * I/O error or with no copy to read into (then *err is 0 and the caller reads it itself). */
static const uint32_t *ind_table(struct ext2_fs *fs, int level, uint32_t blk, int *err)
{
    struct ext2_ind_copy *c = &fs->ind[level - 1];

    *err = 0;
    if (!c->table)
        return NULL;
    if (c->block != blk) {
        struct fs_buf *b = fs_get(fs->io, blk);
        if (!b) {
            *err = -EIO;
            return NULL;
        }
        memcpy(c->table, b->data, fs->block_size);
        fs_put(fs->io, b);
        c->block = blk;
    }
    return c->table;
}

static void count_contig(const struct ext2_fs *fs, const uint32_t *table, uint32_t off, uint32_t ptr,
                         uint32_t *contig)
{
    for (*contig = 1; *contig < EXT2_CONTIG_MAX && off + *contig < fs->addr_per_block &&
                      table[off + *contig] == ptr + *contig;)
        ++*contig;
}

/* Read entry off of indirect block blk, filling it with a new block when create (a leaf
 * filled as `fill` says). */
static int step(struct ext2_fs *fs, struct ext2_node *node, uint32_t blk, uint32_t off, int create,
                const struct ext2_fill *fill, int level, int leaf, uint32_t *ptr, uint32_t *contig)
{
    int err;
    const uint32_t *copy = ind_table(fs, level, blk, &err);

    if (err)
        return err;
    if (copy && (copy[off] || !create)) {       /* nothing to change: the copy answers */
        *ptr = copy[off];
        if (leaf && *ptr && contig)
            count_contig(fs, copy, off, *ptr, contig);
        return 0;
    }
    struct fs_buf *b = fs_get(fs->io, blk);
    if (!b)
        return -EIO;
    uint32_t *table = (uint32_t *)b->data;
    *ptr = table[off];
    if (*ptr == 0 && create) {
        err = new_block(fs, node, goal_near(fs, node, table, off, blk), leaf ? fill : &zeros, ptr);
        if (!err) {
            table[off] = *ptr;                  /* the pointer last */
            fs_dirty(fs->io, b);
            ext2_ind_forget(fs, blk);
        }
    }
    if (!err && leaf && *ptr && contig)
        count_contig(fs, table, off, *ptr, contig);
    fs_put(fs->io, b);
    return err;
}

/* ext2_bmap, a new leaf filled as `fill` says. */
static int map(struct ext2_fs *fs, struct ext2_node *node, uint64_t iblock, int create,
               const struct ext2_fill *fill, uint32_t *pblock, uint32_t *contig)
{
    uint32_t offs[4], ptr, blocks_before = node->raw.i_blocks;
    int depth = block_path(fs, iblock, offs), err = 0;

    if (depth < 0)
        return depth;
    if (create && fs->read_only)
        return -EROFS;
    ptr = node->raw.i_block[offs[0]];
    if (ptr == 0 && create) {
        err = new_block(fs, node, goal_near(fs, node, node->raw.i_block, offs[0], 0),
                        depth > 0 ? &zeros : fill, &ptr);
        if (!err)
            node->raw.i_block[offs[0]] = ptr;
    }
    if (!err && depth == 0 && ptr && contig)
        for (*contig = 1; offs[0] + *contig < EXT2_NDIR_BLOCKS &&
                          node->raw.i_block[offs[0] + *contig] == ptr + *contig;)
            ++*contig;
    for (int level = 1; !err && ptr && level <= depth; level++) {
        if (!ext2_block_valid(fs, ptr))
            err = bad_pointer(fs, node, ptr);
        else
            err = step(fs, node, ptr, offs[level], create, fill, depth - level + 1, level == depth,
                       &ptr, contig);
    }
    if (!err && ptr && !ext2_block_valid(fs, ptr))
        err = bad_pointer(fs, node, ptr);
    if (node->raw.i_blocks != blocks_before) {
        int werr = ext2_write_node(fs, node);
        err = err ? err : werr;
    }
    *pblock = err ? 0 : ptr;
    return err;
}

int ext2_bmap(struct ext2_fs *fs, struct ext2_node *node, uint64_t iblock, int create,
              uint32_t *pblock, uint32_t *contig)
{
    return map(fs, node, iblock, create, NULL, pblock, contig);
}

int ext2_bmap_new(struct ext2_fs *fs, struct ext2_node *node, uint64_t iblock, const void *data,
                  size_t len, uint32_t *pblock)
{
    struct ext2_fill fill = { data, len };
    int err = map(fs, node, iblock, 0, NULL, pblock, NULL);

    if (err)
        return err;
    if (*pblock) {
        ext2_log(fs, "inode %u: block %llu mapped past the end", node->ino, (unsigned long long)iblock);
        return -EIO;
    }
    return map(fs, node, iblock, 1, &fill, pblock, NULL);
}

static void drop_block(struct ext2_fs *fs, struct ext2_node *node, uint32_t blk)
{
    if (ext2_free_block(fs, blk) == 0 && node->raw.i_blocks >= fs->block_size / 512)
        node->raw.i_blocks -= fs->block_size / 512;
}

/* Indirect block blk's pointers copied out (block_size bytes, kfree'd by the caller), or NULL
 * with -EIO or -ENOMEM in *err. */
static uint32_t *copy_table(struct ext2_fs *fs, struct ext2_node *node, uint32_t blk, int *err)
{
    uint32_t *table;
    struct fs_buf *b;

    *err = ext2_block_valid(fs, blk) ? 0 : bad_pointer(fs, node, blk);
    if (*err)
        return NULL;
    if (!(table = kmalloc(fs->block_size))) {
        *err = -ENOMEM;
        return NULL;
    }
    if (!(b = fs_get(fs->io, blk))) {
        kfree(table);
        *err = -EIO;
        return NULL;
    }
    memcpy(table, b->data, fs->block_size);
    fs_put(fs->io, b);
    return table;
}

/* Free the whole subtree under indirect block blk (level 1: it points at data), blk too:
 * nothing on the disk points at blk any more. */
static int free_tree(struct ext2_fs *fs, struct ext2_node *node, uint32_t blk, int level)
{
    int err;
    uint32_t *table = copy_table(fs, node, blk, &err);

    for (uint32_t i = 0; table && i < fs->addr_per_block && !err; i++)
        if (table[i] && level == 1)
            drop_block(fs, node, table[i]);
        else if (table[i])
            err = free_tree(fs, node, table[i], level - 1);
    kfree(table);
    if (!err)
        drop_block(fs, node, blk);
    return err;
}

/*
 * Cut the subtree under indirect block blk after its first keep (> 0) blocks: blk stays,
 * its pointers past the kept part are cleared and blk written, on the disk first when
 * `ordered` (write-before: a freed block may be taken at once by another file, which the disk
 * must not show with two owners), then the blocks and subtrees they pointed at are freed.
 */
static int cut_tree(struct ext2_fs *fs, struct ext2_node *node, uint32_t blk, int level,
                    uint64_t keep, int ordered)
{
    uint64_t span = 1;
    uint32_t apb = fs->addr_per_block, from;
    int err, changed = 0;

    for (int i = 1; i < level; i++)
        span *= apb;
    uint32_t *table = copy_table(fs, node, blk, &err);
    if (!table)
        return err;
    from = (uint32_t)(keep / span);
    if (keep % span && from < apb) {            /* the child that keeps part of its blocks */
        if (table[from])
            err = cut_tree(fs, node, table[from], level - 1, keep % span, ordered);
        from++;
    }
    for (uint32_t i = from; i < apb; i++)
        changed |= table[i] != 0;
    struct fs_buf *b = !err && changed ? fs_get(fs->io, blk) : NULL;
    if (b) {
        ext2_ind_forget(fs, blk);
        memset(b->data + (size_t)from * 4, 0, (size_t)(apb - from) * 4);   /* the pointers first */
        fs_dirty(fs->io, b);
        fs_put(fs->io, b);
        if (ordered)
            err = ext2_write_first(fs, blk);
    } else if (!err && changed) {
        err = -EIO;
    }
    for (uint32_t i = from; i < apb && changed && !err; i++)
        if (table[i] && level == 1)
            drop_block(fs, node, table[i]);
        else if (table[i])
            err = free_tree(fs, node, table[i], level - 1);
    kfree(table);
    return err;
}

/* Zero the bytes of the last kept block past size, so a later extension reads zeros there.
 * File data goes around the metadata cache, as fileio.c does; in the kernel the page
 * cache zeroed the tail of its page and writes it whole, so there is nothing to do. */
static int zero_tail(struct ext2_fs *fs, struct ext2_node *node, uint64_t size)
{
    uint32_t in_block = (uint32_t)(size % fs->block_size), pblock;
    int err;

    if (in_block == 0 || fs->page_cache || ext2_node_is_fast_symlink(fs, node))
        return 0;
    if ((err = ext2_bmap(fs, node, size / fs->block_size, 0, &pblock, NULL)) || !pblock)
        return err;
    uint8_t *buf = kmalloc(fs->block_size);
    if (!buf)
        return -ENOMEM;
    err = fs->io->ops->read(fs->io, pblock, 1, buf);
    if (!err) {
        memset(buf + in_block, 0, fs->block_size - in_block);
        err = fs->io->ops->write(fs->io, pblock, 1, buf);
    }
    kfree(buf);
    return err;
}

/* Clear node's pointers that go whole when its first keep blocks stay (direct blocks, indirect
 * trees with nothing kept), each copied into gone[]: 1 if any was set. */
static int clear_whole(struct ext2_fs *fs, struct ext2_node *node, uint64_t keep, uint32_t gone[EXT2_N_BLOCKS])
{
    uint64_t base = EXT2_NDIR_BLOCKS, span = fs->addr_per_block;
    int any = 0;

    for (int i = 0; i < EXT2_N_BLOCKS; i++) {
        uint64_t first = i < EXT2_IND_BLOCK ? (uint64_t)i : base;  /* the first file block it maps */
        if (i >= EXT2_IND_BLOCK) {
            base += span;
            span *= fs->addr_per_block;
        }
        gone[i] = keep <= first ? node->raw.i_block[i] : 0;
        if (gone[i]) {
            node->raw.i_block[i] = 0;
            any = 1;
        }
    }
    return any;
}

/* Cut the indirect trees that keep part of their blocks (cut_tree). */
static int cut_partial(struct ext2_fs *fs, struct ext2_node *node, uint64_t keep, int ordered)
{
    uint64_t base = EXT2_NDIR_BLOCKS, span = 1;
    int err = 0;

    for (int level = 1; level <= 3 && !err; level++, base += span) {
        uint32_t slot = node->raw.i_block[EXT2_IND_BLOCK + level - 1];
        span *= fs->addr_per_block;
        if (slot && keep > base && keep < base + span)
            err = cut_tree(fs, node, slot, level, keep - base, ordered);
    }
    return err;
}

/*
 * The pointers past the new end that go whole are cleared in the inode and the inode written,
 * on the disk first unless the inode is dead there already (then no pointer in it counts);
 * then their blocks are freed. A tree that keeps part of its blocks is cut by cut_tree, in the
 * same order one level down.
 */
int ext2_truncate(struct ext2_fs *fs, struct ext2_node *node, uint64_t size)
{
    uint64_t keep = (size + fs->block_size - 1) / fs->block_size;
    uint32_t gone[EXT2_N_BLOCKS];
    int err = 0, ordered = !ext2_node_is_dead(node);

    if (fs->read_only)
        return -EROFS;
    if (size > ext2_max_size(fs))
        return -EFBIG;
    if (size < ext2_node_size(node) && (err = zero_tail(fs, node, size)))
        return err;
    ext2_node_set_size(fs, node, size);
    if (clear_whole(fs, node, keep, gone) &&
        ((err = ext2_write_node(fs, node)) || (ordered && (err = ext2_write_first_node(fs, node->ino)))))
        return err;
    for (int i = 0; i < EXT2_N_BLOCKS && !err; i++)
        if (gone[i] && i < EXT2_IND_BLOCK)
            drop_block(fs, node, gone[i]);
        else if (gone[i])
            err = free_tree(fs, node, gone[i], i - EXT2_IND_BLOCK + 1);
    if (!err)
        err = cut_partial(fs, node, keep, ordered);
    ext2_node_touch(fs, node, 1);
    int werr = ext2_write_node(fs, node);
    return err ? err : werr;
}
