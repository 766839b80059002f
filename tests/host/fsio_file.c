/*
 * fsio_file.c - the host's struct fs_io (kernel/fs/fsio.h): a file system
 * image in a file, read and written with pread/pwrite. The host tests and
 * the fuzzers of FAT and ext2 run the kernel's on-disk code over it.
 *
 * Every get is a fresh copy of the block (no cache): a test sees exactly what
 * is on the "disk" after each put of a dirtied block. Gets that were never
 * put are counted, so a test can check the code under test leaks none.
 * An image in memory (fsio_mem_open) serves the fuzzers.
 */
#define _GNU_SOURCE
#include <errno.h>                  /* kernel/errno.h: Linux's values, as the code under test */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsio_file.h"

struct host_buf {
    struct fs_buf b;
    int dirty;
};

static int image_rw(struct fsio_host *h, int write, uint64_t off, void *buf, size_t len)
{
    if (off > h->size || len > h->size - off)
        return -EIO;
    if (h->mem) {
        if (write)
            memcpy(h->mem + off, buf, len);
        else
            memcpy(buf, h->mem + off, len);
        return 0;
    }
    ssize_t n = write ? pwrite(h->fd, buf, len, (off_t)off) : pread(h->fd, buf, len, (off_t)off);
    return n == (ssize_t)len ? 0 : -EIO;
}

static struct fs_buf *host_get(struct fs_io *io, uint64_t block, int read)
{
    struct fsio_host *h = io->priv;
    struct host_buf *hb = calloc(1, sizeof(*hb));

    if (!hb)
        return NULL;
    hb->b.data = calloc(1, io->block_size);
    hb->b.block = block;
    if (!hb->b.data || (read && image_rw(h, 0, block * io->block_size, hb->b.data, io->block_size))) {
        free(hb->b.data);
        free(hb);
        h->errors++;
        return NULL;
    }
    h->held++;
    h->gets++;
    return &hb->b;
}

static void host_dirty(struct fs_io *io, struct fs_buf *b)
{
    (void)io;
    ((struct host_buf *)b)->dirty = 1;
}

static void host_put(struct fs_io *io, struct fs_buf *b)
{
    struct fsio_host *h = io->priv;
    struct host_buf *hb = (struct host_buf *)b;

    if (hb->dirty && !io->read_only && image_rw(h, 1, b->block * io->block_size, b->data, io->block_size))
        h->errors++;
    h->held--;
    free(b->data);
    free(hb);
}

static void host_forget(struct fs_io *io, uint64_t block)
{
    (void)io;
    (void)block;
}

static int host_read(struct fs_io *io, uint64_t block, uint32_t count, void *buf)
{
    return image_rw(io->priv, 0, block * io->block_size, buf, (size_t)count * io->block_size);
}

static int host_write(struct fs_io *io, uint64_t block, uint32_t count, const void *buf)
{
    if (io->read_only)
        return -EROFS;
    return image_rw(io->priv, 1, block * io->block_size, (void *)buf, (size_t)count * io->block_size);
}

static int host_sync(struct fs_io *io)
{
    struct fsio_host *h = io->priv;
    return h->mem || fsync(h->fd) == 0 ? 0 : -EIO;
}

static const struct fs_io_ops host_ops = {
    host_get, host_dirty, host_put, host_forget, host_read, host_write, host_sync,
    NULL,                           /* sync_range: every put is on the disk already */
    NULL,                           /* dirty_after: the same */
};

static void setup(struct fsio_host *h, uint32_t block_size, int read_only)
{
    h->io.ops = &host_ops;
    h->io.block_size = block_size;
    h->io.blocks = h->size / block_size;
    h->io.read_only = read_only;
    h->io.priv = h;
}

int fsio_file_open(struct fsio_host *h, const char *path, uint32_t block_size, int read_only)
{
    struct stat st;

    memset(h, 0, sizeof(*h));
    h->fd = open(path, read_only ? O_RDONLY : O_RDWR);
    if (h->fd < 0 || fstat(h->fd, &st))
        return -ENOENT;
    h->size = (uint64_t)st.st_size;
    setup(h, block_size, read_only);
    return 0;
}

void fsio_mem_open(struct fsio_host *h, uint8_t *mem, size_t size, uint32_t block_size)
{
    memset(h, 0, sizeof(*h));
    h->fd = -1;
    h->mem = mem;
    h->size = size;
    setup(h, block_size, 0);
}

void fsio_host_set_block_size(struct fsio_host *h, uint32_t block_size)
{
    h->io.block_size = block_size;
    h->io.blocks = h->size / block_size;
}

void fsio_host_close(struct fsio_host *h)
{
    if (h->fd >= 0)
        close(h->fd);
    h->fd = -1;
}
