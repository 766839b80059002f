/*
 * root.h - the tree the kernel boots into (root.c): the root file system
 * chosen by `root=` on the command line, then devfs on /dev, procfs on
 * /proc and the boot partition on /boot. kmain's "root" phase, after the
 * VFS, the block devices and the terminals exist (devfs makes its nodes
 * from them).
 */
#pragma once

#define ROOT_NAME_MAX   32

void root_init(void);

/* What root_init mounted as "/": "sda2", "initramfs", "tmpfs"; and its type ("ext2", "tmpfs"). */
const char *root_source(void);
const char *root_fstype(void);
