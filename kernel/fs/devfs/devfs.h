/*
 * devfs.h - the device file system mounted at /dev (devfs.c), and the
 * device numbers it gives (Linux's, Documentation/admin-guide/devices.txt):
 *
 *   character  1:3 null, 1:5 zero, 1:7 full, 1:8 random, 1:9 urandom
 *              4:N ttyN (the virtual consoles), 4:64+N ttySN (serial ports),
 *              5:0 tty (the opener's controlling terminal)
 *   block      8:16*D+P sdX (D: the disk's letter from a, P: the partition, 0 the disk)
 *              254:16*D+P vdX, 259:N nvme (N in registration order, as Linux's
 *              extended devt), 1:16*N+P ramN
 *
 * The nodes are made at mount from what is registered then: the memory
 * devices (memdev.c), every block device and partition (blockfile.c: any
 * offset and length through a bounce buffer), every terminal (ttyfile.c).
 * The tree is one flat directory, read-only in its names (no mknod yet);
 * opening a node gives the device's file_ops.
 */
#pragma once

#include <stdint.h>

struct block_device;
struct file;
struct tty;

/* Register the "devfs" file-system type and seed the random generator. */
void devfs_init(void);
/* The device number of a block device or partition (0 when its name fits no rule above). */
uint64_t devfs_block_rdev(const struct block_device *dev);
/* The terminal an open file of devfs is (a ttyN, ttySN or /dev/tty), or NULL. */
struct tty *devfs_file_tty(const struct file *f);
