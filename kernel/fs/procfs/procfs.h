/*
 * procfs.h - the "proc" file system mounted at /proc (procfs.c): files
 * whose text the kernel writes when they are opened, in the formats Linux
 * gives them, so ps, free, df, uptime and mount read them unchanged
 * (/work/shared/abi/linux-subset.md).
 *
 * The kernel's own entries now (entries_*.c): bootinfo, timeline,
 * interrupts, meminfo, mounts, stat, uptime, version, cmdline, filesystems,
 * partitions, and the folder bus/pci with devices and a BB/DD.F file of
 * configuration space per PCI function (entries_pci.c).
 * Each is a function that prints the whole text into a struct procfs_text;
 * the open file keeps that snapshot, so a reader that reads in pieces sees
 * one consistent text (Linux's seq_file regenerates per read; a snapshot is
 * simpler and as good for files this small).
 *
 * The hook for processes (issue 16): /proc/self and /proc/N belong to the
 * process layer, which installs a struct procfs_process_ops. Its inode
 * numbers start at PROCFS_PROCESS_INO (the kernel's entries stay below) and
 * its readdir cookies at PROCFS_PROCESS_COOKIE; procfs hands it every name
 * the kernel's entries do not answer, every inode of its range, and the
 * directory listing after the kernel's entries.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "fs/vfs.h"

#define PROCFS_MAGIC            0x9fa0          /* Linux's PROC_SUPER_MAGIC */
#define PROCFS_ROOT_INO         1
#define PROCFS_PROCESS_INO      (1ull << 32)
#define PROCFS_PROCESS_COOKIE   (1ull << 32)
#define PROCFS_PCI_DIR_INO      14              /* /proc/bus/pci (procfs.c's table) */
#define PROCFS_PCI_INO          (1ull << 24)    /* /proc/bus/pci/BB and BB/DD.F (entries_pci.c) */

/* A text being written: printf into it; an allocation failure sticks in err. */
struct procfs_text {
    char *buf;
    size_t len, cap;
    int err;                            /* 0 or -ENOMEM */
};

void procfs_printf(struct procfs_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The kernel's entries (entries_*.c): each prints its whole file. */
typedef void procfs_show_fn(struct procfs_text *t);
procfs_show_fn procfs_show_bootinfo, procfs_show_timeline, procfs_show_cmdline, procfs_show_version;
procfs_show_fn procfs_show_interrupts, procfs_show_meminfo, procfs_show_uptime;
procfs_show_fn procfs_show_mounts, procfs_show_filesystems, procfs_show_stat;
procfs_show_fn procfs_show_partitions, procfs_show_pci_devices;
/* The time CPU cpu's idle thread ran (cpu -1: all CPUs together), in ns (entries_stat.c). */
uint64_t procfs_idle_ns(int cpu);

/* What the process layer gives procfs (issue 16). */
struct procfs_process_ops {
    /* name in /proc ("self", "42"): 0 and *ino (>= PROCFS_PROCESS_INO), or -ENOENT */
    int (*lookup)(const char *name, size_t len, uint64_t *ino);
    /* list its names from *cookie (>= PROCFS_PROCESS_COOKIE) on, advancing it, as readdir does */
    int (*readdir)(uint64_t *cookie, vfs_filldir_fn *fill, void *ctx);
    /* fill one of its inodes, as super_ops.read_inode */
    int (*read_inode)(struct inode *inode);
};
void procfs_set_process_ops(const struct procfs_process_ops *ops);

/* The names a directory of the table holds beyond the table's (as procfs_process_ops, for
 * the directory's inode range and its readdir cookies from PROCFS_PROCESS_COOKIE). */
struct procfs_subdir_ops {
    int (*lookup)(const char *name, size_t len, uint64_t *ino);
    int (*readdir)(uint64_t *cookie, vfs_filldir_fn *fill, void *ctx);
    int (*read_inode)(struct inode *inode);
};
/* /proc/bus/pci's bus folders (entries_pci.c); its inodes are those from PROCFS_PCI_INO. */
extern const struct procfs_subdir_ops procfs_pci_bus_dirs;
const struct procfs_process_ops *procfs_process_ops(void);
/* For the process layer's files: f->priv is a struct procfs_text (kmalloc'd, with its buffer)
 * made at open; read serves it, release frees it. */
long procfs_text_read(struct file *f, void *buf, size_t len, uint64_t *pos);
void procfs_text_release(struct file *f);

/* Register the "proc" file-system type. */
void procfs_init(void);
/* The head of the VFS's list of file-system types as procfs sees it: its own type, which
 * kernel/fs/root.c registers after every other (the VFS puts each new type at the head). */
const struct fs_type *procfs_fs_types(void);

/* The whole text of /proc/NAME as an open would give it (the ktests; NAME may hold folders,
 * "bus/pci/devices"): 0, or -ENOENT / -ENOMEM. */
int procfs_render(const char *name, struct procfs_text *out);
void procfs_text_free(struct procfs_text *t);
