/*
 * inode.c - inodes in the inode tables of an ext2 volume: read, write, a new
 * one, and the last one out (Poirier, "Inode Table", "Inode Structure").
 *
 * Inode n (from 1) is entry (n - 1) % inodes_per_group of group
 * (n - 1) / inodes_per_group's table, each entry inode_size bytes (128 in
 * revision 0, a power of two up to the block in revision 1). Only the first
 * 128 bytes are read and written: a larger inode's rest (extra times,
 * in-inode extended attributes) stays as it is on the disk, and is zero in
 * the inodes we make.
 *
 * A file's size is i_size, and for regular files of revision 1 also
 * i_size_high above it (once a file passes 2 GiB the volume gets the
 * LARGE_FILE feature, which mke2fs sets by default).
 */
#include <string.h>

#include "errno.h"
#include "fs/ext2/ext2.h"

int ext2_node_block(struct ext2_fs *fs, uint32_t ino, uint64_t *block, uint32_t *offset)
{
    if (ino == 0 || ino > fs->sb.s_inodes_count) {
        ext2_log(fs, "bad inode number %u", ino);
        return -EIO;
    }
    uint32_t g = ext2_group_of_ino(fs, ino);
    uint64_t byte = (uint64_t)((ino - 1) % fs->inodes_per_group) * fs->inode_size;
    *block = fs->gd[g].bg_inode_table + byte / fs->block_size;
    *offset = (uint32_t)(byte % fs->block_size);
    return 0;
}

int ext2_read_node(struct ext2_fs *fs, uint32_t ino, struct ext2_node *out)
{
    uint64_t block;
    uint32_t offset;
    int err = ext2_node_block(fs, ino, &block, &offset);

    if (err)
        return err;
    if (fs->last_node.ino == ino) {
        *out = fs->last_node;                   /* every write of an inode passes through here */
    } else {
        struct fs_buf *b = fs_get(fs->io, block);
        if (!b)
            return -EIO;
        out->ino = ino;
        memcpy(&out->raw, b->data + offset, sizeof out->raw);
        fs_put(fs->io, b);
        fs->last_node = *out;
    }
    if (out->raw.i_flags & EXT2_FL_UNSUPPORTED) {
        ext2_log(fs, "inode %u uses extents, not ext2's block map", ino);
        return -EIO;
    }
    return 0;
}

/* node into its inode-table block; `first` nonzero: tied after that block (fs_dirty_after). */
static int write_node(struct ext2_fs *fs, struct ext2_node *node, uint64_t first)
{
    uint64_t block;
    uint32_t offset;
    int err = 0;

    if (fs->read_only)
        return -EROFS;
    if ((err = ext2_node_block(fs, node->ino, &block, &offset)))
        return err;
    struct fs_buf *b = fs_get(fs->io, block);
    if (!b)
        return -EIO;
    memcpy(b->data + offset, &node->raw, sizeof node->raw);
    if (first)
        err = fs_dirty_after(fs->io, b, first);
    else
        fs_dirty(fs->io, b);
    fs_put(fs->io, b);
    if (!err)
        fs->last_node = *node;
    return err;
}

int ext2_write_node(struct ext2_fs *fs, struct ext2_node *node)
{
    return write_node(fs, node, 0);
}

int ext2_write_node_tied(struct ext2_fs *fs, struct ext2_node *node, uint64_t first)
{
    return write_node(fs, node, first);
}

int ext2_new_node(struct ext2_fs *fs, uint32_t parent, uint32_t mode, struct ext2_node *out)
{
    uint32_t now = ext2_now(fs), ino;
    uint64_t block;
    uint32_t offset;
    int err = ext2_alloc_inode(fs, parent, EXT2_ISDIR(mode), &ino);

    if (err)
        return err;
    if ((err = ext2_node_block(fs, ino, &block, &offset)))
        return err;
    struct fs_buf *b = fs_get(fs->io, block);
    if (!b)
        return -EIO;
    memset(b->data + offset, 0, fs->inode_size);    /* the extra part of a large inode too */
    memset(out, 0, sizeof *out);
    out->ino = ino;
    out->raw.i_mode = (uint16_t)mode;
    out->raw.i_atime = out->raw.i_ctime = out->raw.i_mtime = now;
    out->raw.i_generation = fs->next_generation++;
    memcpy(b->data + offset, &out->raw, sizeof out->raw);
    fs_dirty(fs->io, b);
    fs_put(fs->io, b);
    fs->last_node = *out;
    return 0;
}

/* Drop one reference to an extended-attribute block; free it with the last. */
static int release_xattr_block(struct ext2_fs *fs, struct ext2_node *node)
{
    uint32_t blk = node->raw.i_file_acl;
    int last = 1;

    if (!blk)
        return 0;
    node->raw.i_file_acl = 0;
    node->raw.i_blocks -= fs->block_size / 512;
    if (!ext2_block_valid(fs, blk))
        return -EIO;
    struct fs_buf *b = fs_get(fs->io, blk);
    if (!b)
        return -EIO;
    struct ext2_xattr_header *h = (struct ext2_xattr_header *)b->data;
    if (h->h_magic == EXT2_XATTR_MAGIC && h->h_refcount > 1) {
        h->h_refcount--;
        fs_dirty(fs->io, b);
        last = 0;
    }
    fs_put(fs->io, b);
    return last ? ext2_free_block(fs, blk) : 0;
}

/* Does i_block hold a block map? Not for a fast symlink (its target) nor a device (its number,
 * ext2_node_set_rdev) nor a FIFO or socket (nothing), as Linux's ext2_truncate_blocks says. */
static int has_block_map(const struct ext2_fs *fs, const struct ext2_node *node)
{
    uint16_t mode = node->raw.i_mode;

    return (EXT2_ISREG(mode) || EXT2_ISDIR(mode) || EXT2_ISLNK(mode)) &&
           !ext2_node_is_fast_symlink(fs, node);
}

/*
 * The inode is marked deleted (dtime, no links) and written first, on the disk before its
 * blocks and its bit are freed (write-before, order.c: a block or inode taken again at once
 * must not have its old owner alive on the disk); a crash in between leaves a deleted inode
 * whose blocks and bit are still marked, which e2fsck -p frees. An inode dead already (its
 * last name went: drop_link put that on the disk; or born dead and never named) needs no
 * point.
 */
int ext2_evict_node(struct ext2_fs *fs, struct ext2_node *node)
{
    int is_dir = EXT2_ISDIR(node->raw.i_mode), err, dead = ext2_node_is_dead(node);

    node->raw.i_links_count = 0;
    if (!dead)
        node->raw.i_dtime = ext2_dtime(fs);
    if (!dead && ((err = ext2_write_node(fs, node)) || (err = ext2_write_first_node(fs, node->ino))))
        return err;
    if (has_block_map(fs, node) && (err = ext2_truncate(fs, node, 0)))
        return err;
    if ((err = release_xattr_block(fs, node)) || (err = ext2_write_node(fs, node)))
        return err;
    return ext2_free_inode(fs, node->ino, is_dir);
}

int ext2_node_is_dead(const struct ext2_node *node)
{
    return node->raw.i_links_count == 0 && node->raw.i_dtime != 0;
}

/* A deletion time: now, but never below the inode count (e2fsck reads a smaller i_dtime of
 * an inode without links as the next inode of ext3's orphan list). */
uint32_t ext2_dtime(const struct ext2_fs *fs)
{
    uint32_t now = ext2_now(fs);
    return now > fs->sb.s_inodes_count ? now : fs->sb.s_inodes_count;
}

uint64_t ext2_node_size(const struct ext2_node *node)
{
    uint64_t size = node->raw.i_size;
    if (EXT2_ISREG(node->raw.i_mode))
        size |= (uint64_t)node->raw.i_size_high << 32;
    return size;
}

void ext2_node_set_size(struct ext2_fs *fs, struct ext2_node *node, uint64_t size)
{
    node->raw.i_size = (uint32_t)size;
    if (EXT2_ISREG(node->raw.i_mode)) {
        node->raw.i_size_high = (uint32_t)(size >> 32);
        if (size > 0x7FFFFFFFu)
            ext2_set_ro_compat(fs, EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
    }
}

void ext2_node_touch(struct ext2_fs *fs, struct ext2_node *node, int mtime)
{
    node->raw.i_ctime = ext2_now(fs);
    if (mtime)
        node->raw.i_mtime = node->raw.i_ctime;
}

/* A symbolic link whose target is in i_block (no data block; an xattr block may be there). */
int ext2_node_is_fast_symlink(const struct ext2_fs *fs, const struct ext2_node *node)
{
    uint32_t xattr = node->raw.i_file_acl ? fs->block_size / 512 : 0;
    return EXT2_ISLNK(node->raw.i_mode) && node->raw.i_blocks == xattr;
}

uint8_t ext2_mode_to_ftype(uint32_t mode)
{
    switch (mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG:  return EXT2_FT_REG_FILE;
    case EXT2_S_IFDIR:  return EXT2_FT_DIR;
    case EXT2_S_IFCHR:  return EXT2_FT_CHRDEV;
    case EXT2_S_IFBLK:  return EXT2_FT_BLKDEV;
    case EXT2_S_IFIFO:  return EXT2_FT_FIFO;
    case EXT2_S_IFSOCK: return EXT2_FT_SOCK;
    case EXT2_S_IFLNK:  return EXT2_FT_SYMLINK;
    default:            return EXT2_FT_UNKNOWN;
    }
}
