/*
 * initramfs.h - a newc cpio archive unpacked into the tree (initramfs.c),
 * as Linux's init/initramfs.c does with its rootfs.
 *
 * The archive is a boot module whose name ends in ".cpio" (boot.cfg's
 * module=/boot/initramfs.cpio), or, since the BIOS loader reads only 8.3
 * names, any module that starts with the newc magic and is not a ".img"
 * disk (module=/boot/initrd); kernel/fs/root.c unpacks it into the tmpfs
 * at "/" when the root is the initramfs, and logs
 *     [initramfs] N files, N bytes from NAME
 * (N files: every entry made, directories included; N bytes: file data).
 *
 * Each entry becomes what its mode says: a directory, a regular file with
 * its data, a symbolic link to its data, a device node, a FIFO; then its
 * mode bits, owner and mtime are set. Names are taken relative to the
 * destination ("./bin/sh", "bin/sh" and "/bin/sh" are the same); "." only
 * sets the destination's attributes. A regular file with nlink > 1 whose
 * (device, inode) was seen before becomes a hard link to the first name,
 * its data (GNU cpio writes it with the last name only) written through
 * the link. Directories get their mtime at the end, after their contents
 * stopped changing it.
 *
 * An entry that cannot be made is logged by name and skipped; a damaged
 * archive stops the unpack with the reader's error (cpio.h), the entries
 * before it kept. Threads only (it writes through the VFS).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct initramfs_stats {
    unsigned entries;                   /* made */
    uint64_t bytes;                     /* file data written */
    unsigned failed;                    /* entries skipped */
};

/* Unpack archive[0..len) under the directory dest ("/" for the root): 0, or -EINVAL when the
 * archive is damaged (what was made before stays); *stats counts either way. */
int initramfs_unpack(const void *archive, size_t len, const char *dest, struct initramfs_stats *stats);

/* The index of the first boot module whose name ends in ".cpio", else of the first whose bytes
 * begin with the newc magic (the BIOS loader reads 8.3 names only: /boot/initrd), never a ".img"
 * disk; or -1. */
int initramfs_module(void);

/* Unpack that module into dest and log the "[initramfs] ..." line: 0, or -ENOENT (no such
 * module), -EINVAL (damaged archive, after unpacking what it could). */
int initramfs_load(const char *dest);
