/*
 * fileio.c - the bytes of a regular file read and written through fs_io, a
 * block at a time over the block map (bmap.c). The kernel's files go
 * through the page cache instead (ext2_vfs.c's get_block); this is what the
 * host tests and the fuzzer use, and what writes a file made whole.
 *
 * File data goes around fs_io's block cache (its read and write of whole
 * blocks): in the kernel the cache holds metadata only, and a data block
 * must never have a stale copy there. A hole reads as zeros; a write into
 * a hole takes a block (bmap.c) and writes it whole. A write stopped by a
 * full volume returns what was written, or -ENOSPC when nothing was.
 */
#include <string.h>

#include "errno.h"
#include "fs/ext2/ext2.h"
#include "mm/heap.h"

/* The piece of a transfer at byte `at` that stays in one block: its offset there and length. */
static uint32_t in_block(uint32_t bs, uint64_t at, size_t left, uint32_t *n)
{
    uint32_t in = (uint32_t)(at % bs);
    *n = left < bs - in ? (uint32_t)left : bs - in;
    return in;
}

long ext2_read(struct ext2_fs *fs, struct ext2_node *node, void *buf, size_t len, uint64_t pos)
{
    uint64_t size = ext2_node_size(node);
    uint32_t bs = fs->block_size, pblock;
    size_t done = 0;
    int err = 0;

    if (pos >= size)
        return 0;
    if (len > size - pos)
        len = (size_t)(size - pos);
    uint8_t *block = kmalloc(bs);
    if (!block)
        return -ENOMEM;
    while (done < len && !err) {
        uint64_t at = pos + done;
        uint32_t n, in = in_block(bs, at, len - done, &n);
        err = ext2_bmap(fs, node, at / bs, 0, &pblock, NULL);
        if (!err && pblock)
            err = fs->io->ops->read(fs->io, pblock, 1, block);
        else if (!err)
            memset(block, 0, bs);
        if (!err)
            memcpy((uint8_t *)buf + done, block + in, n);
        done += err ? 0 : n;
    }
    kfree(block);
    return done ? (long)done : err;
}

/* Write n bytes at in of file block iblock (a whole new block when it was a hole). */
static int write_block(struct ext2_fs *fs, struct ext2_node *node, uint64_t iblock, uint32_t in,
                       const uint8_t *src, uint32_t n, uint8_t *block)
{
    uint32_t pblock;
    int err = ext2_bmap(fs, node, iblock, 0, &pblock, NULL);

    if (err)
        return err;
    if (n < fs->block_size) {
        if (pblock)
            err = fs->io->ops->read(fs->io, pblock, 1, block);
        else
            memset(block, 0, fs->block_size);
    }
    if (!err && !pblock)
        err = ext2_bmap(fs, node, iblock, 1, &pblock, NULL);
    if (err)
        return err;
    memcpy(block + in, src, n);
    return fs->io->ops->write(fs->io, pblock, 1, block);
}

long ext2_write(struct ext2_fs *fs, struct ext2_node *node, const void *buf, size_t len,
                uint64_t pos)
{
    uint32_t bs = fs->block_size;
    size_t done = 0;
    int err = 0;

    if (fs->read_only)
        return -EROFS;
    if (pos > ext2_max_size(fs) || len > ext2_max_size(fs) - pos)
        return -EFBIG;
    uint8_t *block = kmalloc(bs);
    if (!block)
        return -ENOMEM;
    while (done < len && !err) {
        uint64_t at = pos + done;
        uint32_t n, in = in_block(bs, at, len - done, &n);
        err = write_block(fs, node, at / bs, in, (const uint8_t *)buf + done, n, block);
        done += err ? 0 : n;
    }
    kfree(block);
    if (done && pos + done > ext2_node_size(node))
        ext2_node_set_size(fs, node, pos + done);
    ext2_node_touch(fs, node, 1);
    int werr = ext2_write_node(fs, node);
    if (done)
        return (long)done;
    return err ? err : werr;
}
