/*
 * ext2_vfs.h - ext2 in the VFS (ext2_vfs.c): the fs_type "ext2".
 */
#pragma once

/* Make "ext2" known to vfs_mount: 0, or -EEXIST when it already is. */
int ext2_register(void);
