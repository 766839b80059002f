/*
 * namei.c - the operations on names of ext2: create (files, devices, FIFOs,
 * sockets), mkdir, symlink, link, unlink, rmdir, rename, readlink, each one
 * a few steps over inode.c, bmap.c and dir.c, in the order that leaves a
 * crash repairable by `e2fsck -p` without asking (docs/files-ext2.md,
 * "Metadata order"; tests/host/test_ext2_crash.c crashes each one after
 * every write). The rule behind the order: e2fsck -p clears a name that
 * points at a deleted inode (links 0), but asks before it reconnects a live
 * inode that no name reaches. So no live inode is ever left without a name:
 *   - a new inode is written "deleted" (links 0, dtime set) with its first
 *     block's contents before the pointer to it, then named, then brought to
 *     life (links 1 or 2, dtime 0): born dead;
 *   - a name is removed only after the inode's link count went down (to 0
 *     and dtime set: dead before it is unnamed); a victim of rename too;
 *   - link raises the count before it adds the name (too high: e2fsck -p
 *     lowers it).
 * A rename within a directory rewrites the entry in place when the new name
 * fits it (one write). One window is left, as in Linux's ext2: a directory
 * moved to another directory has two names between the new entry and the
 * old one's removal, which e2fsck asks about.
 *
 * Symbolic links: a target shorter than 60 bytes lives in i_block (a fast
 * symlink, no block); a longer one in one data block (slow), up to the
 * block size less one. Devices keep their number in i_block as Linux does:
 * i_block[0] = major << 8 | minor when both fit a byte, else i_block[1] in
 * the "new" encoding.
 *
 * The caller (ext2_vfs.c, the host tests) checked that names do not exist
 * where they must not and that directories to remove are empty; these are
 * checked again where a mistake would corrupt the volume.
 */
#include <string.h>

#include "errno.h"
#include "fs/ext2/ext2.h"

#define EXT2_LINK_MAX   32000       /* Linux's ext2: i_links_count's limit */
#define EXT2_FAST_SYMLINK_MAX  (EXT2_N_BLOCKS * 4 - 1)
#ifndef EMLINK
#define EMLINK 31                   /* too many links (Linux's value; not yet in kernel/errno.h) */
#endif

void ext2_node_set_rdev(struct ext2_node *node, uint32_t major, uint32_t minor)
{
    if (major < 256 && minor < 256) {
        node->raw.i_block[0] = major << 8 | minor;
        node->raw.i_block[1] = 0;
    } else {
        node->raw.i_block[0] = 0;
        node->raw.i_block[1] = (minor & 0xFF) | (major & 0xFFF) << 8 | (minor & ~0xFFu) << 12;
    }
}

void ext2_node_rdev(const struct ext2_node *node, uint32_t *major, uint32_t *minor)
{
    uint32_t old = node->raw.i_block[0], new_enc = node->raw.i_block[1];

    if (old) {
        *major = old >> 8 & 0xFF;
        *minor = old & 0xFF;
    } else {
        *major = new_enc >> 8 & 0xFFF;
        *minor = (new_enc & 0xFF) | (new_enc >> 12 & 0xFFF00);
    }
}

/* What can be said of a new name before anything is allocated (ext2_dir_add says -EEXIST). */
static int check_new_name(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len)
{
    (void)name;
    if (fs->read_only)
        return -EROFS;
    if (len == 0)
        return -ENOENT;
    if (len > EXT2_NAME_LEN)
        return -ENAMETOOLONG;
    if (!EXT2_ISDIR(dir->raw.i_mode))
        return -ENOTDIR;
    return 0;
}

/* A new node is written dead: no links, a deletion time (see the top of the file). */
static void born_dead(struct ext2_fs *fs, struct ext2_node *node)
{
    node->raw.i_links_count = 0;
    node->raw.i_dtime = ext2_dtime(fs);
}

/* Name the dead node in dir, then bring it to life with links; on failure, give it back. */
static int name_it(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                   struct ext2_node *node, uint16_t links)
{
    uint64_t where;
    int err = ext2_dir_add_at(fs, dir, name, len, node->ino, ext2_mode_to_ftype(node->raw.i_mode),
                              &where);

    if (err) {
        ext2_evict_node(fs, node);
        return err;
    }
    node->raw.i_links_count = links;
    node->raw.i_dtime = 0;
    return ext2_write_node_after(fs, node, where);      /* alive only after its name (order.c) */
}

/* Block 0 of a new directory or slow symlink: its contents on the disk, then the pointer in
 * node (ext2_bmap_new; the node is written there and by the caller). */
static int first_block(struct ext2_fs *fs, struct ext2_node *node, const void *data, size_t len)
{
    uint32_t blk;

    return ext2_bmap_new(fs, node, 0, data, len, &blk);
}

int ext2_create(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                uint32_t mode, uint32_t rdev, struct ext2_node *out)
{
    int err = check_new_name(fs, dir, name, len);

    if (err || (err = ext2_new_node(fs, dir->ino, mode, out)))
        return err;
    born_dead(fs, out);
    if ((mode & EXT2_S_IFMT) == EXT2_S_IFCHR || (mode & EXT2_S_IFMT) == EXT2_S_IFBLK)
        ext2_node_set_rdev(out, rdev >> 8, rdev & 0xFF);
    if ((err = ext2_write_node(fs, out)))
        return err;
    return name_it(fs, dir, name, len, out, 1);
}

/* The first block of a new directory: "." and "..". */
static int first_dir_block(struct ext2_fs *fs, struct ext2_node *node, uint32_t parent)
{
    uint8_t block[EXT2_MAX_BLOCK_SIZE];
    struct ext2_dirent *dot = (struct ext2_dirent *)block;
    struct ext2_dirent *dotdot = (struct ext2_dirent *)(block + 12);

    memset(block, 0, 24);
    *dot = (struct ext2_dirent){ node->ino, 12, 1, fs->filetype ? EXT2_FT_DIR : 0 };
    dot->name[0] = '.';
    *dotdot = (struct ext2_dirent){ parent, (uint16_t)(fs->block_size - 12), 2,
                                    fs->filetype ? EXT2_FT_DIR : 0 };
    memcpy(dotdot->name, "..", 2);
    int err = first_block(fs, node, block, 24);
    if (!err)
        ext2_node_set_size(fs, node, fs->block_size);
    return err;
}

int ext2_mkdir(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
               uint32_t mode, struct ext2_node *out)
{
    int err = check_new_name(fs, dir, name, len);

    if (err)
        return err;
    if (dir->raw.i_links_count >= EXT2_LINK_MAX)
        return -EMLINK;
    if ((err = ext2_new_node(fs, dir->ino, EXT2_S_IFDIR | (mode & 07777), out)))
        return err;
    born_dead(fs, out);
    if ((err = first_dir_block(fs, out, dir->ino)) || (err = ext2_write_node(fs, out))) {
        ext2_evict_node(fs, out);
        return err;
    }
    dir->raw.i_links_count++;                   /* the new ".." (count up before the name) */
    if ((err = ext2_write_node(fs, dir)))
        return err;
    if ((err = name_it(fs, dir, name, len, out, 2))) {   /* its name and its "." */
        dir->raw.i_links_count--;
        ext2_write_node(fs, dir);
    }
    return err;
}

int ext2_symlink(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                 const char *target, struct ext2_node *out)
{
    size_t tlen = strlen(target);
    int err = check_new_name(fs, dir, name, len);

    if (err)
        return err;
    if (tlen == 0)
        return -ENOENT;
    if (tlen >= fs->block_size)
        return -ENAMETOOLONG;
    if ((err = ext2_new_node(fs, dir->ino, EXT2_S_IFLNK | 0777, out)))
        return err;
    born_dead(fs, out);
    if (tlen <= EXT2_FAST_SYMLINK_MAX)
        memcpy(out->raw.i_block, target, tlen);
    else
        err = first_block(fs, out, target, tlen);
    ext2_node_set_size(fs, out, tlen);
    if (err || (err = ext2_write_node(fs, out))) {
        ext2_evict_node(fs, out);
        return err;
    }
    return name_it(fs, dir, name, len, out, 1);
}

int ext2_link(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
              struct ext2_node *node)
{
    int err = check_new_name(fs, dir, name, len);

    if (err)
        return err;
    if (EXT2_ISDIR(node->raw.i_mode))
        return -EPERM;
    if (node->raw.i_links_count >= EXT2_LINK_MAX)
        return -EMLINK;
    node->raw.i_links_count++;
    ext2_node_touch(fs, node, 0);
    if ((err = ext2_write_node(fs, node)))
        return err;
    err = ext2_dir_add(fs, dir, name, len, node->ino, ext2_mode_to_ftype(node->raw.i_mode));
    if (err) {
        node->raw.i_links_count--;
        ext2_write_node(fs, node);
    }
    return err;
}

/* One link less; at none the inode is dead on the disk (dtime) before its last name goes
 * (write-before, order.c: else a crash could leave a live inode without a name). */
static int drop_link(struct ext2_fs *fs, struct ext2_node *node)
{
    int err;

    if (node->raw.i_links_count)
        node->raw.i_links_count--;
    if (node->raw.i_links_count == 0)
        node->raw.i_dtime = ext2_dtime(fs);
    ext2_node_touch(fs, node, 0);
    if ((err = ext2_write_node(fs, node)) || node->raw.i_links_count)
        return err;
    return ext2_write_first_node(fs, node->ino);
}

int ext2_unlink(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                struct ext2_node *node)
{
    int err;

    if (fs->read_only)
        return -EROFS;
    if (EXT2_ISDIR(node->raw.i_mode))
        return -EISDIR;
    uint32_t ino;
    if ((err = ext2_dir_lookup(fs, dir, name, len, &ino)) || ino != node->ino)
        return err ? err : -ENOENT;
    if ((err = drop_link(fs, node)))
        return err;
    return ext2_dir_remove(fs, dir, name, len);
}

int ext2_rmdir(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
               struct ext2_node *node)
{
    int err;

    if (fs->read_only)
        return -EROFS;
    if (!EXT2_ISDIR(node->raw.i_mode))
        return -ENOTDIR;
    if ((err = ext2_dir_is_empty(fs, node)) <= 0)
        return err ? err : -ENOTEMPTY;
    node->raw.i_links_count = 1;                /* its "." goes with it: drop_link takes the name */
    if ((err = drop_link(fs, node)) || (err = drop_link(fs, dir)))   /* then its ".." */
        return err;
    return ext2_dir_remove(fs, dir, name, len);
}

/* The victim of a rename loses the name it had in new_dir. */
static int drop_victim(struct ext2_fs *fs, struct ext2_node *new_dir, struct ext2_node *victim)
{
    int err;

    if (!EXT2_ISDIR(victim->raw.i_mode))
        return drop_link(fs, victim);
    victim->raw.i_links_count = 1;
    if ((err = drop_link(fs, victim)))
        return err;
    return drop_link(fs, new_dir);              /* the victim's ".." */
}

int ext2_rename(struct ext2_fs *fs, struct ext2_node *old_dir, const char *old_name,
                size_t old_len, struct ext2_node *new_dir, const char *new_name, size_t new_len,
                struct ext2_node *node, struct ext2_node *victim)
{
    int is_dir = EXT2_ISDIR(node->raw.i_mode), err;
    uint8_t ftype = ext2_mode_to_ftype(node->raw.i_mode);

    if (fs->read_only)
        return -EROFS;
    if (victim && victim->ino == node->ino)
        return 0;                               /* two names of one inode: POSIX does nothing */
    if (victim && EXT2_ISDIR(victim->raw.i_mode) && (err = ext2_dir_is_empty(fs, victim)) <= 0)
        return err ? err : -ENOTEMPTY;
    if (is_dir && old_dir->ino != new_dir->ino && !victim &&
        new_dir->raw.i_links_count >= EXT2_LINK_MAX)
        return -EMLINK;
    uint32_t there;
    if (!victim && ext2_dir_lookup(fs, new_dir, new_name, new_len, &there) != -ENOENT)
        return -EEXIST;                         /* the caller passes what the name names */
    if (!victim && old_dir->ino == new_dir->ino &&
        (err = check_new_name(fs, new_dir, new_name, new_len)) == 0 &&
        (err = ext2_dir_rename_in_place(fs, old_dir, old_name, old_len, new_name, new_len)) != -ENOSPC) {
        if (!err) {
            ext2_node_touch(fs, node, 0);
            err = ext2_write_node(fs, node);
        }
        return err;                             /* renamed in one write, or failed */
    }
    if (victim && (err = drop_victim(fs, new_dir, victim)) == 0)   /* dead before unnamed */
        err = ext2_dir_set(fs, new_dir, new_name, new_len, node->ino, ftype);
    else if (!victim && (err = check_new_name(fs, new_dir, new_name, new_len)) == 0)
        err = ext2_dir_add(fs, new_dir, new_name, new_len, node->ino, ftype);
    if (err)
        return err;
    int moved_dir = is_dir && old_dir->ino != new_dir->ino;
    if (moved_dir) {                            /* ".." to its new parent before the old name goes */
        new_dir->raw.i_links_count++;
        if ((err = ext2_write_node(fs, new_dir)) ||
            (err = ext2_dir_set(fs, node, "..", 2, new_dir->ino, EXT2_FT_DIR)))
            return err;
    }
    if ((err = ext2_dir_remove(fs, old_dir, old_name, old_len)))
        return err;
    ext2_node_touch(fs, node, 0);
    if ((err = ext2_write_node(fs, node)))
        return err;
    return moved_dir ? drop_link(fs, old_dir) : 0;
}

int ext2_readlink(struct ext2_fs *fs, struct ext2_node *node, char *buf, size_t size)
{
    uint64_t len = ext2_node_size(node);
    uint32_t pblock;
    int err;

    if (!EXT2_ISLNK(node->raw.i_mode))
        return -EINVAL;
    if (len >= fs->block_size || (ext2_node_is_fast_symlink(fs, node) && len > EXT2_FAST_SYMLINK_MAX)) {
        ext2_log(fs, "symbolic link inode %u: bad length %llu", node->ino, (unsigned long long)len);
        return -EIO;
    }
    if (len > size)
        len = size;
    if (ext2_node_is_fast_symlink(fs, node)) {
        memcpy(buf, node->raw.i_block, len);
        return (int)len;
    }
    if ((err = ext2_bmap(fs, node, 0, 0, &pblock, NULL)))
        return err;
    if (!pblock)
        return -EIO;
    struct fs_buf *b = fs_get(fs->io, pblock);
    if (!b)
        return -EIO;
    memcpy(buf, b->data, len);
    fs_put(fs->io, b);
    return (int)len;
}
