/*
 * super.c - an ext2 volume: the superblock read and checked at mount, the
 * group descriptors, the state flag, and the superblock written at sync and
 * umount (Poirier, "The Second Extended File System", sections
 * "Superblock" and "Block Group Descriptor Table").
 *
 * What mount refuses (-EINVAL, one log line): no magic, a revision after 1,
 * a block size other than 1, 2 or 4 KiB, group sizes that do not fit a
 * bitmap block, counts that disagree with each other, a volume larger than
 * its device, an incompatible feature we do not know (we would misread the
 * volume), group descriptors that point outside the volume. What mounts
 * read-only (one log line): a read-only-compatible feature we do not know
 * (we could read but would break it by writing), a volume marked with
 * errors. While mounted read-write, the state on the disk says "not clean"
 * (e2fsck checks a volume that crashed); umount puts back the state found
 * at mount.
 *
 * The free counts of the superblock are summed from the group descriptors
 * at mount (as Linux does): the descriptors are written at each change,
 * the superblock at sync and umount only.
 */
#include <stdarg.h>
#include <string.h>

#include "errno.h"
#include "format.h"
#include "fs/ext2/ext2.h"
#include "mutant.h"
#include "mm/heap.h"
#include "printk.h"

void ext2_log(const struct ext2_fs *fs, const char *fmt, ...)
{
    char line[160];
    va_list ap;

    va_start(ap, fmt);
    format_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printk(LOG_WARN, "[ext2] %s: %s\n", fs->name, line);
}

uint32_t ext2_now(const struct ext2_fs *fs)
{
    return fs->now ? fs->now() : 0;
}

/* Does group g hold a copy of the superblock and descriptors? (Poirier, "Sparse Superblock") */
static int group_has_super(const struct ext2_fs *fs, uint32_t g)
{
    if (g <= 1 || !(fs->sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
        return 1;
    if (!(g & 1))
        return 0;
    for (uint32_t base = 3; base <= 7; base += 2) {
        uint64_t p = base;
        while (p < g)
            p *= base;
        if (p == g)
            return 1;
    }
    return 0;
}

/* Write the superblock to byte 1024 of the volume (group 0), or to a backup group's first block. */
static int write_super_at(struct ext2_fs *fs, uint32_t group)
{
    uint64_t byte = group == 0 ? EXT2_SUPER_OFFSET
                               : ((uint64_t)fs->first_data_block + (uint64_t)group * fs->blocks_per_group)
                                     * fs->block_size;
    struct fs_buf *b = fs_get(fs->io, byte / fs->block_size);

    if (!b)
        return -EIO;
    struct ext2_super *on_disk = (struct ext2_super *)(b->data + byte % fs->block_size);
    memcpy(on_disk, &fs->sb, sizeof fs->sb);
    on_disk->s_block_group_nr = (uint16_t)group;
    fs_dirty(fs->io, b);
    fs_put(fs->io, b);
    return 0;
}

static int write_super(struct ext2_fs *fs)
{
    if (fs->read_only)
        return 0;
    fs->sb.s_wtime = ext2_now(fs);
    return write_super_at(fs, 0);
}

/* A read-only-compatible feature is now in use (LARGE_FILE): every copy says so,
 * so e2fsck finds the backups agree with the primary. */
void ext2_set_ro_compat(struct ext2_fs *fs, uint32_t feature)
{
    if (fs->read_only || (fs->sb.s_feature_ro_compat & feature))
        return;
    fs->sb.s_feature_ro_compat |= feature;
    if (fs->sb.s_rev_level == EXT2_GOOD_OLD_REV) {
        fs->sb.s_rev_level = EXT2_DYNAMIC_REV;  /* features exist from revision 1 on */
        fs->sb.s_first_ino = EXT2_GOOD_OLD_FIRST_INO;
        fs->sb.s_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
    }
    for (uint32_t g = 1; g < fs->groups; g++)
        if (group_has_super(fs, g))
            write_super_at(fs, g);
    write_super(fs);
}

static int refuse(struct ext2_fs *fs, const char *what, uint64_t value)
{
    ext2_log(fs, "not mounted: %s (%llu)", what, (unsigned long long)value);
    return -EINVAL;
}

/* The geometry of the superblock: every count that later code divides by or indexes with. */
static int check_geometry(struct ext2_fs *fs, uint64_t device_bytes)
{
    const struct ext2_super *s = &fs->sb;

    if (s->s_magic != EXT2_SUPER_MAGIC)
        return refuse(fs, "no ext2 magic", s->s_magic);
    if (s->s_rev_level > EXT2_DYNAMIC_REV)
        return refuse(fs, "revision not supported", s->s_rev_level);
    if (s->s_log_block_size > 2)
        return refuse(fs, "block size not supported (1, 2 or 4 KiB), log", s->s_log_block_size);
    fs->block_size = 1024u << s->s_log_block_size;
    fs->addr_per_block = fs->block_size / 4;
    fs->desc_per_block = fs->block_size / sizeof(struct ext2_group_desc);
    fs->inode_size = s->s_rev_level == EXT2_GOOD_OLD_REV ? EXT2_GOOD_OLD_INODE_SIZE : s->s_inode_size;
    fs->first_ino = s->s_rev_level == EXT2_GOOD_OLD_REV ? EXT2_GOOD_OLD_FIRST_INO : s->s_first_ino;
    if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE || fs->inode_size > fs->block_size ||
        (fs->inode_size & (fs->inode_size - 1)))
        return refuse(fs, "bad inode size", fs->inode_size);
    if (s->s_first_data_block != (fs->block_size == 1024 ? 1u : 0u))
        return refuse(fs, "bad first data block", s->s_first_data_block);
    fs->first_data_block = s->s_first_data_block;
    fs->blocks_per_group = s->s_blocks_per_group;
    fs->inodes_per_group = s->s_inodes_per_group;
    if (fs->blocks_per_group == 0 || fs->blocks_per_group > 8 * fs->block_size)
        return refuse(fs, "bad blocks per group", fs->blocks_per_group);
    if (fs->inodes_per_group == 0 || fs->inodes_per_group > 8 * fs->block_size)
        return refuse(fs, "bad inodes per group", fs->inodes_per_group);
    fs->blocks_count = s->s_blocks_count;
    if (fs->blocks_count <= fs->first_data_block + 1)
        return refuse(fs, "bad block count", fs->blocks_count);
    if (fs->blocks_count * fs->block_size > device_bytes)
        return refuse(fs, "volume larger than its device, blocks", fs->blocks_count);
    fs->groups = (uint32_t)((fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1)
                            / fs->blocks_per_group);
    if ((uint64_t)fs->groups * fs->inodes_per_group != s->s_inodes_count)
        return refuse(fs, "inode count disagrees with the groups", s->s_inodes_count);
    if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino >= s->s_inodes_count)
        return refuse(fs, "bad first inode", fs->first_ino);
    fs->gdt_blocks = (fs->groups + fs->desc_per_block - 1) / fs->desc_per_block;
    if (fs->first_data_block + 1 + (uint64_t)fs->gdt_blocks >= fs->blocks_count)
        return refuse(fs, "group descriptors beyond the volume", fs->gdt_blocks);
    return 0;
}

/* Is [start, start + count) inside the volume, past the superblock? */
static int extent_valid(const struct ext2_fs *fs, uint64_t start, uint64_t count)
{
    return start > fs->first_data_block && start < fs->blocks_count && count <= fs->blocks_count - start;
}

/* Read the group descriptors, check where they point, and sum the free counts. */
static int read_groups(struct ext2_fs *fs)
{
    uint32_t itable_blocks = (uint32_t)(((uint64_t)fs->inodes_per_group * fs->inode_size
                                         + fs->block_size - 1) / fs->block_size);
    uint64_t free_blocks = 0, free_inodes = 0;

    fs->gd = kcalloc(fs->gdt_blocks * fs->desc_per_block, sizeof(struct ext2_group_desc));
    if (!fs->gd)
        return -ENOMEM;
    for (uint32_t i = 0; i < fs->gdt_blocks; i++) {
        struct fs_buf *b = fs_get(fs->io, fs->first_data_block + 1 + i);
        if (!b)
            return refuse(fs, "cannot read group descriptor block", i);
        memcpy(fs->gd + (size_t)i * fs->desc_per_block, b->data, fs->block_size);
        fs_put(fs->io, b);
    }
    for (uint32_t g = 0; g < fs->groups; g++) {
        const struct ext2_group_desc *d = &fs->gd[g];
        if (!extent_valid(fs, d->bg_block_bitmap, 1) || !extent_valid(fs, d->bg_inode_bitmap, 1) ||
            !extent_valid(fs, d->bg_inode_table, itable_blocks))
            return refuse(fs, "group's bitmaps or inode table outside the volume, group", g);
        if (d->bg_free_blocks_count > fs->blocks_per_group ||
            d->bg_free_inodes_count > fs->inodes_per_group)
            return refuse(fs, "group's free counts larger than the group, group", g);
        free_blocks += d->bg_free_blocks_count;
        free_inodes += d->bg_free_inodes_count;
    }
    fs->sb.s_free_blocks_count = (uint32_t)free_blocks;
    fs->sb.s_free_inodes_count = (uint32_t)free_inodes;
    return 0;
}

/* Which features let us mount, and how. */
static int check_features(struct ext2_fs *fs, int *read_only)
{
    const struct ext2_super *s = &fs->sb;

    if (s->s_rev_level == EXT2_GOOD_OLD_REV)
        return 0;
    if (s->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED) {
        ext2_log(fs, "not mounted: incompatible features not supported, mask %x",
                 (unsigned)(s->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED));
        return -EINVAL;
    }
    fs->filetype = !!(s->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
    if (!*read_only && (s->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED)) {
        ext2_log(fs, "mounted read-only: read-only-compatible features not supported, mask %x",
                 (unsigned)(s->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED));
        *read_only = 1;
    }
    return 0;
}

int ext2_mount(struct ext2_fs *fs, struct fs_io *io, const char *name, int read_only,
               int (*set_block_size)(struct fs_io *io, uint32_t block_size))
{
    uint64_t device_bytes = io->blocks * io->block_size;
    struct fs_buf *b;
    int err;

    uint32_t (*now)(void) = fs->now;

    memset(fs, 0, sizeof *fs);
    fs->now = now;
    fs->io = io;
    format_snprintf(fs->name, sizeof fs->name, "%s", name);
    b = fs_get(io, EXT2_SUPER_OFFSET / io->block_size);
    if (!b)
        return refuse(fs, "cannot read the superblock, block", EXT2_SUPER_OFFSET / io->block_size);
    memcpy(&fs->sb, b->data + EXT2_SUPER_OFFSET % io->block_size, sizeof fs->sb);
    fs_put(io, b);
    if ((err = check_geometry(fs, device_bytes)) || (err = check_features(fs, &read_only)))
        return err;
    if (io->block_size != fs->block_size && (err = set_block_size(io, fs->block_size)))
        return err;
    if ((err = read_groups(fs))) {
        kfree(fs->gd);
        fs->gd = NULL;
        return err;
    }
    if (!read_only && (fs->sb.s_state & EXT2_ERROR_FS)) {
        ext2_log(fs, "mounted read-only: the volume is marked with errors (run e2fsck)");
        read_only = 1;
    } else if (!read_only && !(fs->sb.s_state & EXT2_VALID_FS)) {
        ext2_log(fs, "was not cleanly unmounted: e2fsck is advised");
    }
    fs->read_only = read_only || io->read_only;
    ext2_ind_init(fs);
    fs->next_generation = fs->sb.s_wtime;
    fs->mount_state = fs->sb.s_state;
    if (!fs->read_only) {
        fs->sb.s_state &= (uint16_t)~EXT2_VALID_FS;     /* "in use": a crash leaves it so */
        fs->sb.s_mnt_count++;
        fs->sb.s_mtime = ext2_now(fs);
        if ((err = write_super(fs)) || (err = fs->io->ops->sync(fs->io))) {
            ext2_ind_free(fs);
            kfree(fs->gd);
            return err;
        }
    }
    return 0;
}

/* Write the superblock (the group descriptors and bitmaps were written at each change), then flush. */
int ext2_sync(struct ext2_fs *fs)
{
    int err;

    if (fs->read_only)
        return 0;
    if ((err = write_super(fs)))
        return err;
    return fs->io->ops->sync(fs->io);
}

int ext2_umount(struct ext2_fs *fs)
{
    int err = 0;

    if (!fs->read_only) {
        if (!MUTANT_ENABLED(ext2_clean_umount))
            fs->sb.s_state = fs->mount_state;  /* clean again, unless it was not clean when mounted */
        err = ext2_sync(fs);
    }
    ext2_ind_free(fs);
    kfree(fs->gd);
    fs->gd = NULL;
    return err;
}

void ext2_statfs(struct ext2_fs *fs, uint64_t *blocks, uint64_t *bfree, uint64_t *bavail,
                 uint64_t *files, uint64_t *ffree)
{
    const struct ext2_super *s = &fs->sb;

    *blocks = fs->blocks_count - fs->first_data_block;
    *bfree = s->s_free_blocks_count;
    *bavail = s->s_free_blocks_count > s->s_r_blocks_count ? s->s_free_blocks_count - s->s_r_blocks_count : 0;
    *files = s->s_inodes_count;
    *ffree = s->s_free_inodes_count;
}
