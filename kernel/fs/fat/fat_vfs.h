/*
 * fat_vfs.h - FAT12/16/32 as the VFS's "vfat" file system (fat_vfs.c).
 */
#pragma once

/* Register "vfat" with the VFS (kmain, after vfs_init). */
void fat_register(void);
