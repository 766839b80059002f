/*
 * ext2_host.h - what the ext2 host tests share (tests/host/ext2_host.c):
 * the kernel functions the core calls (kmalloc, printk: the last log line
 * is kept for the tests to check), images made with mke2fs -d from a
 * folder the test fills, a mount of the core over fsio_file, a path walk,
 * and the host's checkers (e2fsck -fn, debugfs).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fs/ext2/ext2.h"
#include "fsio_file.h"

extern char ext2_last_log[512];     /* the last printk line */
extern unsigned ext2_log_lines;

struct vol {
    struct fsio_host h;
    struct ext2_fs fs;
    char img[96], dir[64];          /* the image, and the folder it was made from */
};

/* Run a shell command (printf-style): its exit status. */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A new empty folder for mke2fs -d (into v->dir) and an image path (v->img). */
void vol_prepare(struct vol *v);
/* Write a file under v->dir: len bytes of a pattern seeded by seed. */
void vol_put_file(struct vol *v, const char *rel, size_t len, unsigned seed);
void pattern(uint8_t *buf, size_t len, unsigned seed, uint64_t at);
/* mke2fs -t ext2 -b bs -d dir img size_kib, with extra options. */
void vol_mkfs(struct vol *v, unsigned bs, unsigned size_kib, const char *extra);
/* Mount with the core: the ext2_mount result. */
int vol_mount(struct vol *v, int read_only);
void vol_umount(struct vol *v);
/* e2fsck -fn on the image: 0 when clean (its output printed otherwise). */
int vol_fsck(struct vol *v);
void vol_cleanup(struct vol *v);
/* Walk an absolute path (no symlinks followed): 0 and *out, or -errno. */
int walk(struct ext2_fs *fs, const char *path, struct ext2_node *out);
/* Split path into its parent (walked into *dir) and its last name. */
int walk_parent(struct ext2_fs *fs, const char *path, struct ext2_node *dir, const char **name);
/* The whole file at path, malloc'd: its length, or -errno. */
long read_all(struct ext2_fs *fs, const char *path, uint8_t **out);
/* debugfs -R 'cat path': its bytes, malloc'd, and its length. */
long debugfs_cat(struct vol *v, const char *path, uint8_t **out);
