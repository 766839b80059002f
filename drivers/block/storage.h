/*
 * storage.h - the kernel's `storage` boot phase (storage.c): after the
 * PCI drivers registered their disks, the buffer cache is made, the RAM
 * disks from boot modules are registered, then the boot device the loader recorded is found among the
 * partitions (block_boot_device, blockdev.h) and logged:
 *     [blk] boot device: NAME
 * or a line saying why none matched.
 */
#pragma once

void storage_init(void);
