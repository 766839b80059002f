/*
 * entries_block.c - /proc/partitions in Linux's format (block/genhd.c's
 * show_partition), what lsblk and busybox's fdisk -l read:
 *   major minor  #blocks  name
 *   <empty line>
 *      8        0     131072 sda
 * one row per block device and partition in registration order (a disk
 * before its partitions), the size in 1 KiB blocks, the numbers devfs
 * gives the device (devfs.h).
 */
#include "block/blockdev.h"
#include "fs/devfs/devfs.h"
#include "fs/procfs/procfs.h"

void procfs_show_partitions(struct procfs_text *t)
{
    procfs_printf(t, "major minor  #blocks  name\n\n");
    for (const struct block_device *d = block_first(); d; d = d->next) {
        uint64_t rdev = devfs_block_rdev(d);
        uint64_t kib = d->blocks * d->block_size / 1024;
        procfs_printf(t, "%4u  %7u %10llu %s\n", VFS_MAJOR(rdev), VFS_MINOR(rdev), (unsigned long long)kib,
                      d->name);
    }
}
