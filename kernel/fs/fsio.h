/*
 * fsio.h - how a file system's on-disk code reads and writes its blocks,
 * the same in the kernel and on the host.
 *
 * The cores of FAT and ext2 (kernel/fs/fat/, kernel/fs/ext2/) do their
 * metadata I/O only through a struct fs_io, never through the block layer or
 * the buffer cache directly. In the kernel fs_io is the buffer cache
 * (fsio_bcache.c, one cache per mounted volume in the volume's block size);
 * on the host it is an image file (tests/host/fsio_file.c), so the same code
 * is tested there against images made by mkfs.fat and mke2fs and checked
 * with fsck.fat, e2fsck, mtools and debugfs, and fuzzed.
 *
 * Rules (as bcache.h): get returns the block locked and referenced; change
 * data only between get and put, and call dirty after a change; never hold a
 * block across a call that may get the same block. forget drops a block
 * without writing it (a freed metadata block about to become file data).
 *
 * Order: a cache may write dirty blocks back in any order, one alone or all
 * at once. A file system that needs one change on the disk before another
 * (FAT's chain before the size that counts it) calls sync_range on the
 * blocks of the first before it makes the second (docs/files-fat.md), or,
 * not to wait, marks the block of the second dirty_after the first.
 */
#pragma once

#include <stdint.h>

struct fs_io;

struct fs_buf {
    uint8_t *data;                  /* block_size bytes */
    uint64_t block;
    void *priv;                     /* the implementation's */
};

struct fs_io_ops {
    /* Block `block` (in block_size units): read from the disk, or, with read == 0, not read
     * (the caller writes it whole). NULL on an I/O error or no memory. */
    struct fs_buf *(*get)(struct fs_io *io, uint64_t block, int read);
    void (*dirty)(struct fs_io *io, struct fs_buf *b);
    void (*put)(struct fs_io *io, struct fs_buf *b);
    void (*forget)(struct fs_io *io, uint64_t block);
    /* File data, uncached, many blocks at once: 0 or -EIO. */
    int (*read)(struct fs_io *io, uint64_t block, uint32_t count, void *buf);
    int (*write)(struct fs_io *io, uint64_t block, uint32_t count, const void *buf);
    /* Every dirty block on stable media: 0 or -EIO. */
    int (*sync)(struct fs_io *io);
    /* A write-before point: the dirty blocks among [block, block + count), and every file data
     * write done before, on stable media now, so nothing dirtied after the call reaches the
     * disk before them. NULL: blocks reach the disk at put (nothing to order). 0 or -EIO. */
    int (*sync_range)(struct fs_io *io, uint64_t block, uint64_t count);
    /* A write-before point nobody waits for: mark b dirty, and let b not reach the disk before
     * block `first` as it is now (the buffer cache's bcache_mark_dirty_after). The caller holds
     * b and no other block. NULL: sync_range of `first`, then dirty. */
    void (*dirty_after)(struct fs_io *io, struct fs_buf *b, uint64_t first);
};

struct fs_io {
    const struct fs_io_ops *ops;
    uint32_t block_size;            /* bytes; set with fs_io_set_block_size once the fs knows it */
    uint64_t blocks;                /* the volume's size in block_size units */
    int read_only;
    void *priv;
};

static inline struct fs_buf *fs_get(struct fs_io *io, uint64_t block)
{
    return io->ops->get(io, block, 1);
}
static inline struct fs_buf *fs_get_new(struct fs_io *io, uint64_t block)
{
    return io->ops->get(io, block, 0);
}
static inline void fs_dirty(struct fs_io *io, struct fs_buf *b) { io->ops->dirty(io, b); }
static inline void fs_put(struct fs_io *io, struct fs_buf *b) { io->ops->put(io, b); }
/* 0, or sync_range's error (when there is no dirty_after: nothing was marked dirty then). */
static inline int fs_dirty_after(struct fs_io *io, struct fs_buf *b, uint64_t first)
{
    int err;

    if (io->ops->dirty_after) {
        io->ops->dirty_after(io, b, first);
        return 0;
    }
    if (io->ops->sync_range && (err = io->ops->sync_range(io, first, 1)) < 0)
        return err;
    io->ops->dirty(io, b);
    return 0;
}
static inline void fs_forget(struct fs_io *io, uint64_t block) { io->ops->forget(io, block); }
static inline int fs_sync_range(struct fs_io *io, uint64_t block, uint64_t count)
{
    return io->ops->sync_range ? io->ops->sync_range(io, block, count) : 0;
}

/* The kernel's fs_io over a block device: a buffer cache of `capacity` blocks of
 * block_size bytes (a multiple of dev's) for this volume alone. 0 or -errno. */
struct block_device;
int fsio_bcache_open(struct fs_io *io, struct block_device *dev, uint32_t block_size,
                     unsigned capacity);
/* Change the block size (after the superblock was read with a first guess): no block held. */
int fsio_bcache_set_block_size(struct fs_io *io, uint32_t block_size);
void fsio_bcache_close(struct fs_io *io);
