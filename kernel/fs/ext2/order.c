/*
 * order.c - the order in which ext2's metadata reaches the disk
 * (docs/files-ext2.md, "Metadata order: what a crash may leave"):
 * write-before points.
 *
 * ext2 has no journal: after a crash the disk holds whatever blocks were
 * written, and `e2fsck -p` must be able to repair that without asking. The
 * core changes blocks in an order that allows it (namei.c, bmap.c), but in
 * the kernel fs_io is a buffer cache that writes dirty blocks back in any
 * order, one alone at eviction, all at a sync or by its flusher, at any
 * moment. So where one change must be on the disk before another, the core
 * calls a point here first: the block holding the first change is written
 * (and the disk's cache flushed, fs_sync_range) before the second change is
 * made in the cache. Every dirty block then holds only changes whose
 * prerequisites are on the disk already, and any order the cache takes is
 * a safe one.
 *
 * The points (each named where it is called):
 *   - a new indirect block's zeros, a new directory block's entries, a slow
 *     symlink's target: before the pointer to the block (bmap.c: new_block);
 *   - a new name: before the inode it names comes to life (namei.c: name_it,
 *     without waiting: the inode's block is tied to reach the disk after the
 *     name's, ext2_write_node_after, fsio.h's dirty_after) and before a
 *     renamed inode's old name goes;
 *   - an inode's death (links 0, dtime): before its last name goes, before a
 *     rename points that name at another inode;
 *   - a cleared pointer (truncate) or a deleted inode (evict): before the
 *     blocks or the inode are freed, so no block is reused while the disk
 *     still shows its old owner pointing at it.
 * On the host (tests/host/fsio_file.c) every put reaches the file at once:
 * sync_range is NULL and the points cost nothing.
 */
#include "fs/ext2/ext2.h"
#include "mutant.h"

int ext2_write_first(struct ext2_fs *fs, uint64_t block)
{
    if (MUTANT_ENABLED(ext2_write_order) || fs->read_only)
        return 0;                       /* (the mutant: the cache's order, whatever it is) */
    return fs_sync_range(fs->io, block, 1);
}

int ext2_write_first_all(struct ext2_fs *fs)
{
    if (MUTANT_ENABLED(ext2_write_order) || fs->read_only)
        return 0;
    return fs_sync_range(fs->io, 0, fs->blocks_count);
}

int ext2_write_node_after(struct ext2_fs *fs, struct ext2_node *node, uint64_t first)
{
    if (MUTANT_ENABLED(ext2_write_order) || fs->read_only || !first)
        return ext2_write_node(fs, node);
    return ext2_write_node_tied(fs, node, first);
}

int ext2_write_first_node(struct ext2_fs *fs, uint32_t ino)
{
    uint64_t block;
    uint32_t offset;
    int err = ext2_node_block(fs, ino, &block, &offset);

    return err ? err : ext2_write_first(fs, block);
}
