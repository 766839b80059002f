/*
 * fat.h - the FAT12/16/32 on-disk core (the files of kernel/fs/fat/ but fat_vfs.c):
 * a volume, its allocation table, its directories with long names, and its
 * files, read and written only through a struct fs_io (fs/fsio.h). The
 * kernel runs it over the buffer cache (fat_vfs.c), the host tests over an
 * image made by mkfs.fat (tests/host/test_fat*.c), the fuzzer over a buffer
 * (tests/fuzz/fuzz_fat.c). docs/files-fat.md walks it.
 *
 * The layers, each a file:
 *   fat_volume.c  the boot sector's BPB, checked (mount), the FSInfo sector, sync;
 *   fat_table.c   the FAT: entries, chains, allocation and freeing, free count;
 *   fat_order.c   write-before points: the order metadata reaches the disk in;
 *   fat_name.c    names: UTF-8 <-> UTF-16, case folding, 8.3 short names, checksums;
 *   fat_dir.c     directories: walking entries, lookup, readdir, adding and removing names;
 *   fat_ops.c     what a file system does: create, mkdir, unlink, rmdir, rename;
 *   fat_file.c    file data: cluster of a file offset, read, write, truncate.
 *
 * Rules:
 *   - io->block_size is the volume's sector size (fat_sector_size says which
 *     before mount); every block number is a sector of the volume;
 *   - one caller at a time per volume: the kernel's glue holds the volume's
 *     mutex around every call here;
 *   - anything read from the disk is outside data: every cluster number,
 *     count and size is checked before use; a bad one refuses the mount
 *     (-EINVAL) or, found later, is -EIO and turns the volume read-only
 *     (fat_corrupt), v->warning naming it; never a crash;
 *   - functions return 0 or a count, or a negative errno (Linux's values).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "fs/fsio.h"

#define FAT_WARN_LEN    120
#define FAT_ROOT_INO    1           /* the root has no entry: every other ino is its entry's position */
#define FAT_AVOID       64          /* entry positions kept from reuse (fat_avoid) */

struct fat_volume {
    struct fs_io *io;
    char name[16];                  /* the device, for log lines */
    unsigned type;                  /* 12, 16 or 32 */
    int read_only;
    uint32_t sector_size, cluster_sectors, cluster_size;
    uint32_t fat_start, fat_sectors, nfats, active_fat; /* active_fat: ~0 = all (mirrored) */
    uint32_t root_start, root_sectors;                  /* FAT12/16's fixed root region */
    uint32_t root_cluster;                              /* FAT32's root; 0 on FAT12/16 */
    uint32_t data_start;            /* sector of cluster 2 */
    uint32_t clusters;              /* data clusters: valid numbers are 2 .. clusters + 1 */
    uint64_t total_sectors;
    uint32_t fsinfo_sector;         /* 0: none */
    uint32_t free_count, next_free; /* counted at mount, kept right by every change */
    int fsinfo_dirty;
    int64_t (*now)(void);           /* seconds since 1970 (UTC), for timestamps */
    unsigned warnings;
    char warning[FAT_WARN_LEN];     /* the first thing found wrong */
    /* Entry positions not to reuse yet: an inode in memory may still carry one as its number
     * (a file unlinked while open, the old place of a renamed one); fat_dir_add skips them. */
    uint64_t avoid[FAT_AVOID];
    unsigned avoid_next;
    _Alignas(8) uint8_t scratch[4096];  /* fat_dir_add's state, zero_tail's sector (the caller holds the lock) */
};

/* A file or directory: where its entry is and what the entry says. */
struct fat_node {
    uint64_t ino;                   /* FAT_ROOT_INO, or the entry's byte position / 32 */
    uint32_t dir_cluster;           /* first cluster of the directory holding the entry (0: fixed root) */
    uint32_t entry;                 /* index of its short entry in that directory */
    uint32_t lfn_entries;           /* long-name entries before it */
    uint32_t first_cluster;         /* 0: no data yet */
    uint32_t size;                  /* bytes (directories: 0 on disk) */
    uint8_t attr;                   /* ATTR_* */
    int64_t ctime, mtime, atime;    /* seconds since 1970 */
    /* the cluster map's memory: file cluster `pos_index` is disk cluster `pos_cluster` */
    uint32_t pos_index, pos_cluster;
};

static inline int fat_is_dir(const struct fat_node *n) { return (n->attr & 0x10) != 0; }

/* ---- fat_volume.c ---- */
/* The sector size the BPB in block 0 gives (io must read at least 512 bytes): 512..4096, or -EINVAL. */
int fat_sector_size(struct fs_io *io);
/* Check the BPB and count the free clusters: 0, or -EINVAL / -EIO with v->warning set.
 * A damaged FSInfo mounts with a warning (its hints are then never written). */
int fat_mount(struct fat_volume *v, struct fs_io *io, const char *name, int read_only);
/* Write the FSInfo sector if it changed and flush io. */
int fat_sync(struct fat_volume *v);
void fat_warn(struct fat_volume *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Damage found while working (a chain out of range, a loop): warn and go read-only; -EIO. */
int fat_corrupt(struct fat_volume *v, const char *what, uint32_t a, uint32_t b);

/* ---- fat_table.c ---- */
int fat_get(struct fat_volume *v, uint32_t cluster, uint32_t *next);
int fat_set(struct fat_volume *v, uint32_t cluster, uint32_t value);
int fat_is_eoc(const struct fat_volume *v, uint32_t value);
int fat_valid_cluster(const struct fat_volume *v, uint32_t cluster);
/* Free clusters, counted in the FAT. */
int fat_count_free(struct fat_volume *v, uint32_t *count);
/* A free cluster, marked end of chain, linked after `prev` (0: none), zeroed as `zero` says
 * (0: not; FAT_ZERO_META: through io's cache, a directory; FAT_ZERO_DATA: straight to the disk). */
#define FAT_ZERO_META   1
#define FAT_ZERO_DATA   2
int fat_alloc(struct fat_volume *v, uint32_t prev, int zero, uint32_t *out);
/* Free the chain from `first` on (every cluster of it). */
int fat_free_chain(struct fat_volume *v, uint32_t first);
uint64_t fat_cluster_sector(const struct fat_volume *v, uint32_t cluster);

/* ---- fat_order.c: write-before points (docs/files-fat.md, "What a crash may leave") ---- */
/* Every dirty sector of the FAT on the disk now: before an entry points at more of a chain. */
int fat_order_table(struct fat_volume *v);
/* Every dirty sector of the volume on the disk now: before clusters are freed or a chain is
 * cut, before a new cluster is linked to a chain, before a renamed file's old name goes. */
int fat_order_all(struct fat_volume *v);

/* ---- fat_name.c ---- */
/* UTF-8 (len bytes) to UTF-16: units, or -EINVAL (bad UTF-8, a character FAT forbids), -ENAMETOOLONG. */
int fat_utf8_to_16(const char *s, size_t len, uint16_t *out, unsigned max);
/* UTF-16 to UTF-8 (NUL-terminated): bytes, or -EINVAL. out holds at least 3 * units + 1 bytes. */
int fat_utf16_to_8(const uint16_t *u, unsigned units, char *out, size_t size);
uint16_t fat_fold(uint16_t c);
int fat_name_equal(const uint16_t *a, unsigned alen, const uint16_t *b, unsigned blen);
uint8_t fat_checksum(const uint8_t short_name[11]);
/* The 8.3 form of a long name: 1 and *ntres when it fits exactly (no long entries needed),
 * 0 when it needs a ~N tail and long entries. */
int fat_short_basis(const uint16_t *u, unsigned units, uint8_t out[11], uint8_t *ntres);
/* The display form of a short entry ("README.TXT", NTRes lower-case bits applied): UTF-16 units. */
unsigned fat_short_display(const uint8_t *entry, uint16_t out[13]);
void fat_short_with_tail(uint8_t name[11], unsigned n);

/* ---- fat_dir.c ---- */
typedef int fat_readdir_fn(void *ctx, const char *name, size_t len, uint64_t ino, int is_dir);
void fat_root(const struct fat_volume *v, struct fat_node *out);
/* The node whose entry is at ino (a position read back from fat_lookup): 0 or -ENOENT / -EIO. */
int fat_node_read(struct fat_volume *v, uint64_t ino, struct fat_node *out);
/* Write n's size, first cluster, attributes and times into its entry. */
int fat_node_write(struct fat_volume *v, const struct fat_node *n);
int fat_lookup(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len,
               struct fat_node *out);
/* Entries from *cookie on ("." and ".." first, the root's made up); a non-zero fn return stops. */
int fat_readdir(struct fat_volume *v, const struct fat_node *dir, uint64_t *cookie,
                fat_readdir_fn *fn, void *ctx);
/* 1 when dir holds nothing but "." and "..", 0 when it does, or -errno. */
int fat_dir_empty(struct fat_volume *v, const struct fat_node *dir);
int fat_dir_add(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len,
                struct fat_node *node);
int fat_dir_remove(struct fat_volume *v, const struct fat_node *node);
int fat_dir_cluster_of(const struct fat_volume *v, const struct fat_node *dir);
/* Keep the entry at ino from being reused by fat_dir_add (the last FAT_AVOID of them). */
void fat_avoid(struct fat_volume *v, uint64_t ino);

/* ---- fat_ops.c ---- */
int fat_create(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len,
               int is_dir, struct fat_node *out);
/* Remove a file's name (free_data: and its clusters; the kernel frees them at evict). */
int fat_unlink(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len,
               int free_data);
int fat_rmdir(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len, int free_data);
/* Move a name; an existing target is replaced (its clusters freed when free_victim). */
int fat_rename(struct fat_volume *v, const struct fat_node *odir, const char *oname, size_t olen,
               const struct fat_node *ndir, const char *nname, size_t nlen, int free_victim,
               struct fat_node *moved);

/* ---- fat_file.c ---- */
/* Disk cluster of file cluster `index` (allocating up to it when create): 0, -ENOENT past the end. */
int fat_bmap(struct fat_volume *v, struct fat_node *n, uint32_t index, int create, uint32_t *cluster,
             uint32_t *contig);
/* Bytes through io's cache: the host tests' and the fuzzer's way (the kernel's file data goes
 * through the page cache and fat_bmap instead, never both on one volume). */
long fat_read(struct fat_volume *v, struct fat_node *n, void *buf, size_t len, uint64_t pos);
long fat_write(struct fat_volume *v, struct fat_node *n, const void *buf, size_t len, uint64_t pos);
/* New size: clusters past it freed, or zeroed ones added. */
int fat_truncate(struct fat_volume *v, struct fat_node *n, uint64_t size);
