/*
 * devices.h - devfs's device files, one file_ops table per kind (inside
 * kernel/fs/devfs/ only): the memory devices (memdev.c), block devices
 * (blockfile.c) and terminals (ttyfile.c). The node's device (a struct
 * block_device or struct tty) is the inode's priv.
 */
#pragma once

#include "fs/vfs.h"

extern const struct file_ops devfs_null_fops, devfs_zero_fops, devfs_full_fops, devfs_random_fops;
extern const struct file_ops devfs_block_fops;
extern const struct file_ops devfs_tty_fops, devfs_ctty_fops;

/* Linux's block ioctls (include/uapi/linux/fs.h) devfs_block_fops answers. */
#define BLKGETSIZE      0x1260          /* size in 512-byte sectors (unsigned long) */
#define BLKFLSBUF       0x1261          /* flush */
#define BLKSSZGET       0x1268          /* logical block size (int) */
#define BLKGETSIZE64    0x80081272      /* size in bytes (uint64_t) */
