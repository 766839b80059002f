/*
 * fsio_file.h - the host's struct fs_io over an image file or a buffer
 * (fsio_file.c), for the host tests and fuzzers of the file systems.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fs/fsio.h"

struct fsio_host {
    struct fs_io io;                /* pass &h->io to the code under test */
    int fd;
    uint8_t *mem;                   /* the image in memory (fuzzers), or NULL */
    uint64_t size;                  /* bytes */
    long held;                      /* gets not yet put: 0 when the code under test is done */
    unsigned long gets, errors;
};

/* Open the image at path: 0 or -errno. */
int fsio_file_open(struct fsio_host *h, const char *path, uint32_t block_size, int read_only);
/* An image of size bytes at mem (changed in place by writes). */
void fsio_mem_open(struct fsio_host *h, uint8_t *mem, size_t size, uint32_t block_size);
void fsio_host_set_block_size(struct fsio_host *h, uint32_t block_size);
void fsio_host_close(struct fsio_host *h);
