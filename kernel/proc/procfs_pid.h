/*
 * procfs_pid.h - what the files of /proc/N share (procfs_pid.c: the
 * directory, the texts, the hook; procfs_maps.c: maps; procfs_fd.c: the
 * fd directory and its links). Not for the rest of the kernel.
 *
 * Inode numbers, from PROCFS_PROCESS_INO up: pid * PID_KINDS + kind for
 * /proc/N and its entries (pid 0: /proc/self); from PROCFS_FD_INO on,
 * pid * FD_MAX + fd for the links of /proc/N/fd.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fs/procfs/procfs.h"
#include "proc/fd.h"

enum pid_kind { K_DIR, K_STAT, K_STATUS, K_CMDLINE, K_COMM, K_EXE, K_MAPS, K_FD, PID_KINDS };

#define PROCFS_FD_INO   (PROCFS_PROCESS_INO + (1ull << 28))

/* The pid an inode of /proc/N (or of its entries) belongs to. */
static inline int procfs_pid_of(uint64_t ino)
{
    return (int)((ino - PROCFS_PROCESS_INO) / PID_KINDS);
}

/* A name of 1 to max_digits decimal digits as a number (a pid, a descriptor); -1 otherwise. */
int procfs_parse_number(const char *name, size_t len, size_t max_digits);

/* /proc/N/maps's text into t: 0, or -ESRCH when pid is gone (or has no memory any more). */
int procfs_show_maps(struct procfs_text *t, int pid);

/* /proc/N/fd (procfs_fd.c): the directory's operations, and the links' inodes. */
extern const struct inode_ops procfs_fd_dir_iops;
extern const struct file_ops procfs_fd_dir_fops;
/* Fill the inode of a link of /proc/N/fd (ino >= PROCFS_FD_INO): -ENOENT when it is closed. */
int procfs_fd_read_inode(struct inode *inode);
