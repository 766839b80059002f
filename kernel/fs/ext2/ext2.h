/*
 * ext2.h - the on-disk core of ext2 (the .c files of kernel/fs/ext2/ but ext2_vfs.c):
 * a volume read and written through a struct fs_io only, so the same code
 * runs in the kernel (over the buffer cache) and on the host (over an image
 * file, tests/host/test_ext2*.c; fuzzed by tests/fuzz/fuzz_ext2.c).
 *
 * Parts, one file each:
 *   super.c  mount (superblock and feature checks, group descriptors), sync, umount, statfs
 *   alloc.c  block and inode bitmaps with the free counts of groups and superblock
 *   inode.c  inodes in the inode tables: read, write, new, free
 *   bmap.c   a file's block map: direct, single, double, triple indirect; truncate
 *   dir.c    directory entries: find, walk, add, remove, change
 *   namei.c  the operations on names: create, mkdir, rmdir, link, unlink, symlink, rename
 *   fileio.c bytes of a file through fs_io (directories, slow symlinks, the host tests)
 *
 * Rules:
 *   - one caller at a time per volume: the caller holds its own lock around
 *     every call (ext2_vfs.c's volume mutex; the host tests are one thread);
 *   - an ext2_node is the caller's copy of an inode: the functions that
 *     change an inode change the node and write it to the disk, so the
 *     caller's copy is always current (copy back into a VFS inode after);
 *   - the order of writes that keeps a crash repairable by `e2fsck -p` is
 *     in docs/files-ext2.md ("Metadata order"): a block's contents before
 *     the pointer to it, a name before the inode comes to life, an inode's
 *     death before its last name goes, a cleared pointer before the block
 *     is freed; order.c's write-before points hold it on the disk whatever
 *     order the kernel's buffer cache writes in;
 *   - corrupt metadata gives -EIO (or -EINVAL at mount) and one log line
 *     "[ext2] NAME: what", never a crash.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fs/fsio.h"
#include "fs/ext2/ext2_disk.h"

#define EXT2_MAX_BLOCK_SIZE 4096

/* The caller's copy of an inode. */
struct ext2_node {
    uint32_t ino;
    struct ext2_inode raw;
};

/* A copy of the indirect block read last at one level of the block map (bmap.c). */
struct ext2_ind_copy {
    uint32_t block;                     /* 0: none */
    uint32_t *table;                    /* block_size bytes, or NULL (no memory: not cached) */
};

/* A mounted volume. */
struct ext2_fs {
    struct fs_io *io;
    char name[16];                      /* for the log: the device, "sda2" */
    struct ext2_super sb;               /* the primary superblock as in memory (free counts current) */
    struct ext2_group_desc *gd;         /* groups entries */
    uint32_t groups;
    uint32_t block_size, addr_per_block, inode_size, inodes_per_group, blocks_per_group;
    uint32_t first_data_block, first_ino, gdt_blocks, desc_per_block;
    uint64_t blocks_count;
    int read_only;                      /* mounted read-only (asked, or a feature we cannot write) */
    int filetype;                       /* directory entries carry the file type */
    uint32_t (*now)(void);              /* seconds since 1970, for the times: set before mount */
    uint32_t next_generation;
    int page_cache;                     /* file data lives in the kernel's page cache (ext2_vfs.c) */
    int names_checked;                  /* the caller looked every new name up first (the VFS:
                                         * a negative dentry): ext2_dir_add does not scan for it */
    uint32_t slot_dir;                  /* the directory of the last entry added, and */
    uint64_t slot_block;                /*   its block: where the next look for room starts */
    /* Copies that spare a trip through fs_io on the read paths, kept exact: every write of an
     * inode or indirect block goes through the functions that update or drop them. */
    struct ext2_node last_node;         /* the inode read or written last (ino 0: none) */
    struct ext2_ind_copy ind[3];        /* per level of indirection */
    uint16_t mount_state;               /* s_state when mounted: put back at umount */
};


/* ---- super.c ---- */
/* Read and check the volume on io (whose block size is changed to the volume's
 * with set_block_size). read_only: asked by the caller; a volume with read-only
 * features, or that was not cleanly unmounted with errors, mounts read-only
 * anyway, saying so. 0, or -EINVAL with a log line naming what is wrong. */
int ext2_mount(struct ext2_fs *fs, struct fs_io *io, const char *name, int read_only,
               int (*set_block_size)(struct fs_io *io, uint32_t block_size));
/* Write the superblock (free counts, state) and flush: 0 or -EIO. */
int ext2_sync(struct ext2_fs *fs);
/* Mark the volume clean, sync, free the memory. */
int ext2_umount(struct ext2_fs *fs);
void ext2_statfs(struct ext2_fs *fs, uint64_t *blocks, uint64_t *bfree, uint64_t *bavail,
                 uint64_t *files, uint64_t *ffree);
void ext2_set_ro_compat(struct ext2_fs *fs, uint32_t feature);
/* Log "[ext2] NAME: ..." once (the printk of the kernel, the test's on the host). */
void ext2_log(const struct ext2_fs *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint32_t ext2_now(const struct ext2_fs *fs);

/* ---- alloc.c ---- */
int ext2_alloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *out);
int ext2_free_block(struct ext2_fs *fs, uint32_t block);
int ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent, int is_dir, uint32_t *out);
int ext2_free_inode(struct ext2_fs *fs, uint32_t ino, int is_dir);
uint32_t ext2_group_of_ino(const struct ext2_fs *fs, uint32_t ino);
/* Is block a valid data block number (inside the volume, past the superblock)? */
int ext2_block_valid(const struct ext2_fs *fs, uint64_t block);

/* ---- inode.c ---- */
int ext2_read_node(struct ext2_fs *fs, uint32_t ino, struct ext2_node *out);
int ext2_write_node(struct ext2_fs *fs, struct ext2_node *node);
/* The same, its inode-table block tied to reach the disk after block `first` (fs_dirty_after). */
int ext2_write_node_tied(struct ext2_fs *fs, struct ext2_node *node, uint64_t first);
/* The block of the inode table holding inode ino and its byte offset there, or -EIO when ino
 * is not an inode number (logged). */
int ext2_node_block(struct ext2_fs *fs, uint32_t ino, uint64_t *block, uint32_t *offset);
/* Dead on the disk: no links and a deletion time (drop_link and evict write that state before
 * a name or a block goes, docs/files-ext2.md point 3). */
int ext2_node_is_dead(const struct ext2_node *node);
/* A new inode of mode (owner root) near parent: allocated, zeroed, written. */
int ext2_new_node(struct ext2_fs *fs, uint32_t parent, uint32_t mode, struct ext2_node *out);
/* The last link and the last user are gone: free the blocks and the inode. */
int ext2_evict_node(struct ext2_fs *fs, struct ext2_node *node);
uint64_t ext2_node_size(const struct ext2_node *node);
uint32_t ext2_dtime(const struct ext2_fs *fs);
void ext2_node_set_size(struct ext2_fs *fs, struct ext2_node *node, uint64_t size);
void ext2_node_touch(struct ext2_fs *fs, struct ext2_node *node, int mtime);
int ext2_node_is_fast_symlink(const struct ext2_fs *fs, const struct ext2_node *node);
uint8_t ext2_mode_to_ftype(uint32_t mode);

/* ---- order.c: write-before points (docs/files-ext2.md, "Metadata order") ---- */
/* Block `block`'s changes on the disk now (written if dirty, the disk flushed): before a
 * change that needs them there is made. 0 or -EIO. */
int ext2_write_first(struct ext2_fs *fs, uint64_t block);
/* The same for the inode-table block holding inode ino. */
int ext2_write_first_node(struct ext2_fs *fs, uint32_t ino);
/* The same for every dirty block of the volume (a path of pointers changed in several). */
int ext2_write_first_all(struct ext2_fs *fs);
/* A point nobody waits for: node written to its inode-table block, which may reach the disk
 * only after block `first` as it is now (a new name's block before its inode comes to life). */
int ext2_write_node_after(struct ext2_fs *fs, struct ext2_node *node, uint64_t first);

/* ---- bmap.c ---- */
/* Block iblock of node is disk block *pblock (0: a hole, when !create). With create,
 * a hole is filled with a new block (not zeroed: the caller writes it whole), its
 * indirect blocks zeroed; -ENOSPC when full. *contig (may be NULL): how many blocks from
 * iblock on follow *pblock on the disk (1 at least when mapped; counted up to 16). */
int ext2_bmap(struct ext2_fs *fs, struct ext2_node *node, uint64_t iblock, int create,
              uint32_t *pblock, uint32_t *contig);
/* Hole iblock of node filled with a new block holding data (len bytes, zeros after), on the
 * disk before any pointer to it (a directory's new block, a slow symlink's target). -EIO when
 * iblock is mapped already. */
int ext2_bmap_new(struct ext2_fs *fs, struct ext2_node *node, uint64_t iblock, const void *data,
                  size_t len, uint32_t *pblock);
/* Free every block past size (indirect blocks that become empty too); sets the size. */
int ext2_truncate(struct ext2_fs *fs, struct ext2_node *node, uint64_t size);
/* Block blk changed or was freed: drop any copy of it. */
void ext2_ind_forget(struct ext2_fs *fs, uint32_t blk);
void ext2_ind_init(struct ext2_fs *fs);
void ext2_ind_free(struct ext2_fs *fs);
/* The largest file size the block map can hold. */
uint64_t ext2_max_size(const struct ext2_fs *fs);

/* ---- fileio.c ---- */
long ext2_read(struct ext2_fs *fs, struct ext2_node *node, void *buf, size_t len, uint64_t pos);
long ext2_write(struct ext2_fs *fs, struct ext2_node *node, const void *buf, size_t len,
                uint64_t pos);

/* ---- dir.c ---- */
/* Called for each entry; non-zero stops the walk (the entry is not consumed). */
typedef int ext2_filldir_fn(void *ctx, const char *name, size_t len, uint32_t ino, unsigned ftype);
int ext2_dir_lookup(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                    uint32_t *ino);
/* Entries from *pos (a byte offset in the directory) on. */
int ext2_dir_iterate(struct ext2_fs *fs, struct ext2_node *dir, uint64_t *pos,
                     ext2_filldir_fn *fill, void *ctx);
/* Add name -> ino in one pass over the directory: -EEXIST if the name is there. The entry is
 * on the disk when it returns (a write-before point). */
int ext2_dir_add(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                 uint32_t ino, uint8_t ftype);
/* The same without the wait: *where is the block holding the new entry, for a change that must
 * come after it (ext2_write_node_after), or 0 when the entry needed a new block, whose pointers
 * are then on the disk already. */
int ext2_dir_add_at(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                    uint32_t ino, uint8_t ftype, uint64_t *where);
int ext2_dir_remove(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len);
/* Point the existing entry name at ino (rename over a victim, ".." of a moved directory). */
int ext2_dir_set(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                 uint32_t ino, uint8_t ftype);
/* Change an entry's name where it is, when the new one fits its rec_len (-ENOSPC if not):
 * one block written, so a crash leaves the old name or the new, never both. */
int ext2_dir_rename_in_place(struct ext2_fs *fs, struct ext2_node *dir, const char *old_name,
                             size_t old_len, const char *new_name, size_t new_len);
/* 1 if dir holds only "." and "..", 0 if not, or -EIO. */
int ext2_dir_is_empty(struct ext2_fs *fs, struct ext2_node *dir);

/* ---- namei.c ---- */
/* mode carries the type: S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK (rdev for devices). */
int ext2_create(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                uint32_t mode, uint32_t rdev, struct ext2_node *out);
int ext2_mkdir(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
               uint32_t mode, struct ext2_node *out);
int ext2_symlink(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                 const char *target, struct ext2_node *out);
int ext2_link(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
              struct ext2_node *node);
/* Remove the name; node->raw.i_links_count - 1 (the caller evicts at 0 when unused). */
int ext2_unlink(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                struct ext2_node *node);
int ext2_rmdir(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
               struct ext2_node *node);
/* victim: the node new_name names now, or NULL (its links drop; caller evicts at 0). */
int ext2_rename(struct ext2_fs *fs, struct ext2_node *old_dir, const char *old_name,
                size_t old_len, struct ext2_node *new_dir, const char *new_name, size_t new_len,
                struct ext2_node *node, struct ext2_node *victim);
int ext2_readlink(struct ext2_fs *fs, struct ext2_node *node, char *buf, size_t size);
/* A device's number in i_block, as Linux keeps it. */
void ext2_node_set_rdev(struct ext2_node *node, uint32_t major, uint32_t minor);
void ext2_node_rdev(const struct ext2_node *node, uint32_t *major, uint32_t *minor);
