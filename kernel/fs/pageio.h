/*
 * pageio.h - the page cache's disk I/O (pageio.c), for pagecache.c alone.
 *
 * Rules: queue reads or writes of pages into an io_batch, then
 * io_batch_wait for all of them (0 or the first error); a page stays busy
 * (CPAGE_BUSY) from its queueing until the wait returns. The inode's
 * aops->get_block says where each block is.
 */
#pragma once

#include <stddef.h>

#include "errno.h"
#include "fs/vfs.h"

struct io_batch;

struct io_batch *io_batch_new(void);
int io_batch_wait(struct io_batch *b);
void io_batch_free(struct io_batch *b);      /* waits first */

/* Queue the read of page p (holes and the part past the file's end zeroed). */
int pageio_read(struct io_batch *b, struct cpage *p);
/* Queue the write of p's mapped blocks below the file's end. */
int pageio_write(struct io_batch *b, struct cpage *p);
/* Allocate the blocks under bytes [pos, pos + len) now (get_block with create): len, or the
 * bytes before the first block that could not be had, or -ENOSPC (-errno) for the first. */
long pageio_allocate(struct inode *inode, uint64_t pos, size_t len);
