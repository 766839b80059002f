/*
 * fsio_bcache.c - the kernel's struct fs_io (fsio.h): a mounted volume's
 * metadata blocks through a buffer cache of its own, in the volume's block
 * size, and its file data straight to the block device.
 *
 * One cache per volume (not the kernel's main cache) because a volume's
 * blocks (1 to 64 KiB) are not the device's sectors, and so that unmounting
 * one volume syncs and frees exactly its blocks. The cache's flusher writes
 * dirty metadata back every FLUSH_NS; fs_io's sync writes everything and
 * flushes the disk's write cache, which is what fsync and umount need;
 * sync_range (bcache_sync_range) is a file system's write-before point.
 */
#include "block/bcache.h"
#include "block/blockdev.h"
#include "errno.h"
#include "format.h"
#include "fs/fsio.h"
#include "mm/heap.h"

#define FLUSH_NS    5000000000ULL       /* metadata written back within 5 s */

struct fsio_bcache {
    struct bcache *cache;
    struct block_device *dev;
    int data_unflushed;                 /* file data written around the cache since the last FLUSH */
};

/* Device blocks per volume block. */
static uint32_t per_block(const struct fs_io *io, const struct fsio_bcache *fb)
{
    return io->block_size / fb->dev->block_size;
}

/* A BLOCK_E* status as an errno (the two lists share Linux's values). */
static int as_errno(int status)
{
    return status == 0 ? 0 : status == BLOCK_EROFS ? -EROFS : -EIO;
}

/* struct buf carries what fs_buf needs; fs_buf lives inside a small wrapper kept in b's place. */
struct held {
    struct fs_buf fb;
    struct buf *b;
};

static struct fs_buf *bc_get(struct fs_io *io, uint64_t block, int read)
{
    struct fsio_bcache *fb = io->priv;
    struct held *h;
    struct buf *b;

    if (block >= io->blocks)
        return NULL;
    h = kmalloc(sizeof *h);
    if (!h)
        return NULL;
    b = read ? bcache_get(fb->cache, fb->dev, block) : bcache_get_new(fb->cache, fb->dev, block);
    if (!b) {
        kfree(h);
        return NULL;
    }
    h->fb.data = b->data;
    h->fb.block = block;
    h->fb.priv = h;
    h->b = b;
    return &h->fb;
}

static void bc_dirty(struct fs_io *io, struct fs_buf *fsb)
{
    (void)io;
    bcache_mark_dirty(((struct held *)fsb->priv)->b);
}

static void bc_dirty_after(struct fs_io *io, struct fs_buf *fsb, uint64_t first)
{
    (void)io;
    bcache_mark_dirty_after(((struct held *)fsb->priv)->b, first);
}

static void bc_put(struct fs_io *io, struct fs_buf *fsb)
{
    struct held *h = fsb->priv;

    (void)io;
    bcache_put(h->b);
    kfree(h);
}

static void bc_forget(struct fs_io *io, uint64_t block)
{
    struct fsio_bcache *fb = io->priv;

    bcache_forget(fb->cache, fb->dev, block);
}

static int bc_read(struct fs_io *io, uint64_t block, uint32_t count, void *buf)
{
    struct fsio_bcache *fb = io->priv;
    uint32_t n = per_block(io, fb);

    if (block > io->blocks || count > io->blocks - block)
        return -EIO;
    return as_errno(block_read(fb->dev, block * n, count * n, buf));
}

static int bc_write(struct fs_io *io, uint64_t block, uint32_t count, const void *buf)
{
    struct fsio_bcache *fb = io->priv;
    uint32_t n = per_block(io, fb);

    if (io->read_only)
        return -EROFS;
    if (block > io->blocks || count > io->blocks - block)
        return -EIO;
    fb->data_unflushed = 1;
    return as_errno(block_write(fb->dev, block * n, count * n, buf));
}

/* A write-before point: the range's dirty blocks written, then one FLUSH if anything (file
 * data around the cache included) was written since the last one. */
static int bc_sync_range(struct fs_io *io, uint64_t block, uint64_t count)
{
    struct fsio_bcache *fb = io->priv;
    int data = fb->data_unflushed, r;

    r = bcache_sync_range(fb->cache, fb->dev, block, count);
    if (r == 0 && data)
        r = block_flush(fb->dev);
    if (r >= 0 && data)
        fb->data_unflushed = 0;
    return as_errno(r > 0 ? 0 : r);
}

static int bc_sync(struct fs_io *io)
{
    struct fsio_bcache *fb = io->priv;
    int err = bcache_sync(fb->cache, fb->dev);

    if (!err)
        err = block_flush(fb->dev);
    if (!err)
        fb->data_unflushed = 0;
    return as_errno(err);
}

static const struct fs_io_ops bcache_io_ops = {
    .get = bc_get,
    .dirty = bc_dirty,
    .put = bc_put,
    .forget = bc_forget,
    .read = bc_read,
    .write = bc_write,
    .sync = bc_sync,
    .sync_range = bc_sync_range,
    .dirty_after = bc_dirty_after,
};

/* block_size must be a power of two, a multiple of the device's block. */
static int size_ok(const struct block_device *dev, uint32_t block_size)
{
    return block_size >= dev->block_size && block_size <= 65536 &&
           (block_size & (block_size - 1)) == 0;
}

int fsio_bcache_open(struct fs_io *io, struct block_device *dev, uint32_t block_size,
                     unsigned capacity)
{
    struct fsio_bcache *fb;
    char name[16];

    if (!size_ok(dev, block_size))
        return -EINVAL;
    fb = kcalloc(1, sizeof *fb);
    if (!fb)
        return -ENOMEM;
    format_snprintf(name, sizeof name, "%s", dev->name);
    fb->cache = bcache_create_sized(name, capacity, FLUSH_NS, block_size);
    if (!fb->cache) {
        kfree(fb);
        return -ENOMEM;
    }
    fb->dev = dev;
    io->ops = &bcache_io_ops;
    io->block_size = block_size;
    io->blocks = dev->blocks / (block_size / dev->block_size);
    io->read_only = dev->read_only;
    io->priv = fb;
    return 0;
}

int fsio_bcache_set_block_size(struct fs_io *io, uint32_t block_size)
{
    struct fsio_bcache *fb = io->priv;
    int err;

    if (!size_ok(fb->dev, block_size))
        return -EINVAL;
    err = bcache_set_block_size(fb->cache, block_size);
    if (err)
        return err == BLOCK_EINVAL ? -EBUSY : as_errno(err);
    io->block_size = block_size;
    io->blocks = fb->dev->blocks / (block_size / fb->dev->block_size);
    return 0;
}

void fsio_bcache_close(struct fs_io *io)
{
    struct fsio_bcache *fb = io->priv;

    if (!fb)
        return;
    bcache_destroy(fb->cache);          /* syncs what is dirty */
    block_flush(fb->dev);
    kfree(fb);
    io->priv = NULL;
    io->ops = NULL;
}
