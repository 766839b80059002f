/*
 * blockfile.c - a block device or partition as a devfs file (/dev/sda,
 * /dev/sda2): bytes at any offset and of any length, as Linux's raw block
 * device files give them.
 *
 * The device reads and writes whole logical blocks, so every transfer goes
 * through a bounce buffer of whole blocks (BOUNCE_BYTES at a time, from the
 * heap: memory the drivers can reach by DMA, which a caller's buffer on a
 * thread stack may not be). A write that covers part of a block reads the
 * block first. A read at or past the end gives 0; a write there gives
 * ENOSPC (Linux's blkdev_write_iter); one that crosses the end is cut short.
 *
 * These transfers bypass the buffer and page caches: a file system mounted
 * on the same device does not see them until it rereads (as on Linux after
 * writes to a mounted device, which it also warns against).
 */
#include <stddef.h>
#include <string.h>

#include "block/blockdev.h"
#include "errno.h"
#include "fs/devfs/devices.h"
#include "mm/heap.h"
#include "mutant.h"

#define BOUNCE_BYTES    (64 * 1024)

static uint64_t device_bytes(const struct block_device *d)
{
    return d->blocks * d->block_size;
}

/* One piece: the blocks holding [pos, pos + len) with len <= BOUNCE_BYTES - the offset in the
 * first block, read into bounce; then copied out, or patched with src and written back. */
static long transfer(struct block_device *d, uint8_t *bounce, uint64_t pos, size_t len, void *dst,
                     const void *src)
{
    uint64_t first = pos / d->block_size;
    uint32_t skip = MUTANT_ENABLED(devfs_bounce_offset) ? 0 : (uint32_t)(pos % d->block_size);
    uint32_t count = (uint32_t)((skip + len + d->block_size - 1) / d->block_size);
    int partial = skip || len % d->block_size;
    int err = 0;

    if (dst || partial)
        err = block_read(d, first, count, bounce);
    if (err)
        return err;
    if (dst) {
        memcpy(dst, bounce + skip, len);
        return (long)len;
    }
    memcpy(bounce + skip, src, len);
    err = block_write(d, first, count, bounce);
    return err ? err : (long)len;
}

/* The read or write of [*pos, *pos + len), piece by piece; advances *pos. */
static long block_file_io(struct file *f, void *dst, const void *src, size_t len, uint64_t *pos)
{
    struct block_device *d = f->inode->priv;
    uint64_t size = device_bytes(d);
    size_t done = 0;
    uint8_t *bounce;

    if (*pos >= size)
        return dst ? 0 : -ENOSPC;
    if (len > size - *pos)
        len = (size_t)(size - *pos);
    bounce = kmalloc(BOUNCE_BYTES);
    if (!bounce)
        return -ENOMEM;
    while (done < len) {
        uint64_t at = *pos + done;
        size_t room = BOUNCE_BYTES - (size_t)(at % d->block_size), n = len - done < room ? len - done : room;
        long r = transfer(d, bounce, at, n, dst ? (uint8_t *)dst + done : NULL,
                          src ? (const uint8_t *)src + done : NULL);

        if (r < 0) {
            if (done == 0)
                done = (size_t)r;       /* nothing moved: the error */
            break;
        }
        done += n;
    }
    kfree(bounce);
    if ((long)done > 0)
        *pos += done;
    return (long)done;
}

static int block_file_open(struct inode *inode, struct file *f)
{
    struct block_device *d = inode->priv;

    if ((f->flags & O_ACCMODE) != O_RDONLY && d->read_only)
        return -EROFS;
    return 0;
}

static long block_file_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    return block_file_io(f, buf, NULL, len, pos);
}

static long block_file_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    return block_file_io(f, NULL, buf, len, pos);
}

static int block_file_fsync(struct file *f)
{
    return block_flush(f->inode->priv);
}

static long block_file_ioctl(struct file *f, unsigned long cmd, unsigned long arg)
{
    struct block_device *d = f->inode->priv;

    if (!arg && cmd != BLKFLSBUF)
        return -EFAULT;
    switch (cmd) {
    case BLKGETSIZE64:
        *(uint64_t *)arg = device_bytes(d);
        return 0;
    case BLKGETSIZE:
        *(unsigned long *)arg = device_bytes(d) / 512;
        return 0;
    case BLKSSZGET:
        *(int *)arg = (int)d->block_size;
        return 0;
    case BLKFLSBUF:
        return block_flush(d);
    default:
        return -ENOTTY;
    }
}

const struct file_ops devfs_block_fops = {
    .open = block_file_open,
    .read = block_file_read,
    .write = block_file_write,
    .fsync = block_file_fsync,
    .ioctl = block_file_ioctl,
};
