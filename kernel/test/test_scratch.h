/*
 * test_scratch.h - the scratch disk the ktests may write (docs/storage.md,
 * "Testing a driver"): a whole disk, never the boot disk, whose block 0
 * begins with SCRATCH_MAGIC. Found by test_block_disks.c's
 * blk_test_scratch_disk; blk_scratch_write fills it, devfs_block_write_scratch
 * (test_devfs.c) writes through /dev and puts the bytes back.
 */
#pragma once

#include <stdint.h>

#define SCRATCH_MAGIC       "TESSERA-SCRATCH"

struct block_device;

/* The scratch disk, or NULL; buf: room for one block (block 0 is read into it). */
struct block_device *blk_test_scratch_disk(uint8_t *buf);
