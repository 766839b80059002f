/*
 * dir.c - ext2 directories: a file of blocks, each a chain of entries
 * (Poirier, "Linked Directories"): inode, rec_len (bytes to the next entry),
 * name_len, file_type (with the FILETYPE feature; else name_len's high
 * byte), the name, padded to 4 bytes. The last entry of a block runs to the
 * block's end, so every block is covered by its entries; an entry with
 * inode 0 is free space.
 *
 * Rules on rec_len (what e2fsck checks, and what this file keeps):
 *   - a multiple of 4, at least 8 + name_len rounded up to 4, never past the block;
 *   - a new entry goes in a free entry that is large enough, or in the slack
 *     of a live one (whose rec_len is cut to its own length: the split);
 *   - a removed entry is merged into the entry before it in the same block
 *     (rec_len grows over it), or, first in its block, gets inode 0;
 *   - a directory grows by whole blocks, each one free entry of rec_len block_size.
 * Hashed directories (EXT2_INDEX_FL, from ext3 and e2fsck -D) are linear
 * directories to ext2: the flag is cleared on the first change, as the hash
 * tree is no longer kept.
 *
 * Directory blocks go through fs_io (metadata). An entry that breaks the
 * rules is -EIO with a log line naming the directory and the offset.
 */
#include <string.h>

#include "errno.h"
#include "fs/ext2/ext2.h"

static uint32_t entry_name_len(const struct ext2_fs *fs, const struct ext2_dirent *d)
{
    return fs->filetype ? d->name_len : d->name_len | (uint32_t)d->file_type << 8;
}

static struct ext2_dirent *bad_entry(struct ext2_fs *fs, struct ext2_node *dir, uint32_t off)
{
    ext2_log(fs, "directory inode %u: bad entry at byte %u of a block", dir->ino, off);
    return NULL;
}

/* The entry at off (< block size) of a directory block, checked, or NULL (logged). Every scan
 * of a directory runs this per entry: the tests are few and cheap. */
static inline struct ext2_dirent *entry_at(struct ext2_fs *fs, struct ext2_node *dir, uint8_t *data,
                                           uint32_t off)
{
    struct ext2_dirent *d = (struct ext2_dirent *)(data + off);
    uint32_t rec = d->rec_len, room = fs->block_size - off;

    if (room >= 8 && (rec & 3) == 0 && rec >= 8 && rec <= room &&
        EXT2_DIRENT_LEN(entry_name_len(fs, d)) <= rec && entry_name_len(fs, d) <= EXT2_NAME_LEN &&
        d->inode <= fs->sb.s_inodes_count)
        return d;
    return bad_entry(fs, dir, off);
}

/* The same len bytes? Eight at a time, then one at a time: no call per entry, and names that
 * share a start and an end (f0001.dat, f0002.dat) part in the first word. */
static inline int same_bytes(const uint8_t *a, const uint8_t *b, size_t len)
{
    uint64_t x, y;

    for (; len >= 8; a += 8, b += 8, len -= 8) {
        __builtin_memcpy(&x, a, 8);
        __builtin_memcpy(&y, b, 8);
        if (x != y)
            return 0;
    }
    for (; len; a++, b++, len--)
        if (*a != *b)
            return 0;
    return 1;
}

/* Is d a live entry called name? */
static inline int same_name(const struct ext2_fs *fs, const struct ext2_dirent *d, const char *name,
                            size_t len)
{
    return d->inode && entry_name_len(fs, d) == len &&
           same_bytes((const uint8_t *)d->name, (const uint8_t *)name, len);
}

/* Block i of the directory, or NULL with -EIO in *err: a directory has no holes (Linux's
 * ext2 reads one as a block of bad entries), and no more blocks than the volume. */
static struct fs_buf *dir_block(struct ext2_fs *fs, struct ext2_node *dir, uint64_t i, int *err)
{
    uint32_t pblock;
    struct fs_buf *b = NULL;

    if (ext2_node_size(dir) / fs->block_size > fs->blocks_count) {
        ext2_log(fs, "directory inode %u: size larger than the volume", dir->ino);
        *err = -EIO;
        return NULL;
    }
    *err = ext2_bmap(fs, dir, i, 0, &pblock, NULL);
    if (!*err && !pblock) {
        ext2_log(fs, "directory inode %u: a hole at block %llu", dir->ino, (unsigned long long)i);
        *err = -EIO;
    }
    if (!*err && !(b = fs_get(fs->io, pblock)))
        *err = -EIO;
    return b;
}

static uint64_t dir_blocks(const struct ext2_fs *fs, const struct ext2_node *dir)
{
    return ext2_node_size(dir) / fs->block_size;
}

/* Find name: 0 with the block held in *bp (the directory's block *index), the entry's offset
 * and the live entry before it in the same block (or ~0u), -ENOENT, or -EIO. */
static int find(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                struct fs_buf **bp, uint64_t *index, uint32_t *off_out, uint32_t *prev_out)
{
    int err;

    for (uint64_t i = 0; i < dir_blocks(fs, dir); i++) {
        struct fs_buf *b = dir_block(fs, dir, i, &err);
        if (err)
            return err;
        for (uint32_t off = 0, prev = ~0u; off < fs->block_size;) {
            struct ext2_dirent *d = entry_at(fs, dir, b->data, off);
            if (!d) {
                fs_put(fs->io, b);
                return -EIO;
            }
            if (same_name(fs, d, name, len)) {
                *bp = b;
                *index = i;
                *off_out = off;
                *prev_out = prev;
                return 0;
            }
            prev = off;
            off += d->rec_len;
        }
        fs_put(fs->io, b);
    }
    return -ENOENT;
}

int ext2_dir_lookup(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                    uint32_t *ino)
{
    struct fs_buf *b;
    uint64_t index;
    uint32_t off, prev;
    int err = find(fs, dir, name, len, &b, &index, &off, &prev);

    if (err)
        return err;
    *ino = ((struct ext2_dirent *)(b->data + off))->inode;
    fs_put(fs->io, b);
    return 0;
}

int ext2_dir_iterate(struct ext2_fs *fs, struct ext2_node *dir, uint64_t *pos,
                     ext2_filldir_fn *fill, void *ctx)
{
    uint32_t bs = fs->block_size;
    int err;

    while (*pos < dir_blocks(fs, dir) * bs) {
        struct fs_buf *b = dir_block(fs, dir, *pos / bs, &err);
        if (err)
            return err;
        uint64_t start = *pos - *pos % bs;
        for (uint32_t off = 0; off < bs;) {
            struct ext2_dirent *d = entry_at(fs, dir, b->data, off);
            if (!d) {
                fs_put(fs->io, b);
                return -EIO;
            }
            if (start + off >= *pos && d->inode) {
                unsigned type = fs->filetype ? d->file_type : EXT2_FT_UNKNOWN;
                if (fill(ctx, d->name, entry_name_len(fs, d), d->inode, type)) {
                    *pos = start + off;
                    fs_put(fs->io, b);
                    return 0;
                }
            }
            off += d->rec_len;
        }
        fs_put(fs->io, b);
        *pos = start + bs;
    }
    return 0;
}

static void fill_entry(struct ext2_fs *fs, struct ext2_dirent *d, const char *name, size_t len,
                       uint32_t ino, uint8_t ftype)
{
    d->inode = ino;
    d->name_len = (uint8_t)len;
    d->file_type = fs->filetype ? ftype : 0;
    memcpy(d->name, name, len);
}

/* The directory changed: times, and no hash tree any more. */
static int dir_changed(struct ext2_fs *fs, struct ext2_node *dir)
{
    dir->raw.i_flags &= ~EXT2_INDEX_FL;
    ext2_node_touch(fs, dir, 1);
    return ext2_write_node(fs, dir);
}

/* Does the entry at d leave room for a new entry of need bytes? (Its own length, if live.) */
static int has_room(const struct ext2_fs *fs, const struct ext2_dirent *d, uint32_t need)
{
    uint32_t used = d->inode ? EXT2_DIRENT_LEN(entry_name_len(fs, d)) : 0;
    return d->rec_len - used >= need;
}

/* One pass over the directory: -EEXIST if name is there, else 0 with the first entry that has
 * room for it (*slot_block = ~0 when none does), or -EIO. With names_checked the name is known
 * not to be there: the pass starts at the block of the last add (slot_block) and ends at the
 * first room found. */
static int find_slot(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                     uint64_t *slot_block, uint32_t *slot_off)
{
    uint64_t n = dir_blocks(fs, dir), start = 0;
    int check = !fs->names_checked, err;

    if (!check && fs->slot_dir == dir->ino && fs->slot_block < n)
        start = fs->slot_block;
    *slot_block = ~0ull;
    for (uint64_t k = 0; k < n; k++) {
        uint64_t i = (start + k) % n;
        struct fs_buf *b = dir_block(fs, dir, i, &err);
        if (err)
            return err;
        for (uint32_t off = 0; off < fs->block_size;) {
            struct ext2_dirent *d = entry_at(fs, dir, b->data, off);
            if (!d)
                err = -EIO;
            else if (check && same_name(fs, d, name, len))
                err = -EEXIST;
            if (err) {
                fs_put(fs->io, b);
                return err;
            }
            if (*slot_block == ~0ull && has_room(fs, d, EXT2_DIRENT_LEN(len))) {
                *slot_block = i;
                *slot_off = off;
                if (!check)
                    break;
            }
            off += d->rec_len;
        }
        fs_put(fs->io, b);
        if (!check && *slot_block != ~0ull)
            break;
    }
    return 0;
}

/* Put the entry where find_slot found room: in a free entry, or split off a live one's slack. */
static int add_at(struct ext2_fs *fs, struct ext2_node *dir, uint64_t i, uint32_t off,
                  const char *name, size_t len, uint32_t ino, uint8_t ftype, uint64_t *where)
{
    int err;
    struct fs_buf *b = dir_block(fs, dir, i, &err);

    if (err)
        return err;
    struct ext2_dirent *d = entry_at(fs, dir, b->data, off);
    if (!d || !has_room(fs, d, EXT2_DIRENT_LEN(len))) {
        fs_put(fs->io, b);
        return -EIO;                            /* changed under us: cannot happen under the lock */
    }
    if (d->inode) {                             /* split: the live entry keeps its own length */
        uint32_t used = EXT2_DIRENT_LEN(entry_name_len(fs, d));
        struct ext2_dirent *n = (struct ext2_dirent *)(b->data + off + used);
        n->rec_len = (uint16_t)(d->rec_len - used);
        d->rec_len = (uint16_t)used;
        d = n;
    }
    fill_entry(fs, d, name, len, ino, ftype);
    fs_dirty(fs->io, b);
    *where = b->block;
    fs_put(fs->io, b);
    return 0;
}

/* A new block at the directory's end holding just this entry: the block on the disk before
 * the directory points at it (ext2_bmap_new). */
static int add_block(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                     uint32_t ino, uint8_t ftype)
{
    uint64_t i = dir_blocks(fs, dir);
    uint8_t entry[EXT2_DIRENT_LEN(EXT2_NAME_LEN)];
    struct ext2_dirent *d = (struct ext2_dirent *)entry;
    uint32_t pblock;
    int err;

    memset(entry, 0, sizeof entry);
    d->rec_len = (uint16_t)fs->block_size;
    fill_entry(fs, d, name, len, ino, ftype);
    if ((err = ext2_bmap_new(fs, dir, i, entry, EXT2_DIRENT_LEN(len), &pblock)))
        return err;
    ext2_node_set_size(fs, dir, (i + 1) * fs->block_size);  /* the block first, then the size */
    return 0;
}

int ext2_dir_add_at(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                    uint32_t ino, uint8_t ftype, uint64_t *where)
{
    uint64_t slot_block;
    uint32_t slot_off = 0;
    int err;

    *where = 0;

    if (len == 0 || len > EXT2_NAME_LEN)
        return len ? -ENAMETOOLONG : -ENOENT;
    if ((err = find_slot(fs, dir, name, len, &slot_block, &slot_off)))
        return err;
    if (slot_block != ~0ull)
        err = add_at(fs, dir, slot_block, slot_off, name, len, ino, ftype, where);
    else
        err = add_block(fs, dir, name, len, ino, ftype);
    if (err || (err = dir_changed(fs, dir)))
        return err;
    fs->slot_dir = dir->ino;
    fs->slot_block = slot_block != ~0ull ? slot_block : dir_blocks(fs, dir) - 1;
    /* A new block: every pointer that reaches it on the disk now, in the directory's inode and,
     * past 12 blocks, in its indirect blocks (rare: all). */
    return *where ? 0 : ext2_write_first_all(fs);
}

int ext2_dir_add(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                 uint32_t ino, uint8_t ftype)
{
    uint64_t where;
    int err = ext2_dir_add_at(fs, dir, name, len, ino, ftype, &where);

    /* Write-before (order.c): the name on the disk before the caller changes a link count or
     * removes the inode's old name. */
    return err || !where ? err : ext2_write_first(fs, where);
}

/* What to do to an entry found by name: 0 (the block is written) or -errno (nothing is). */
struct entry_edit {
    int (*edit)(struct ext2_fs *fs, uint8_t *block, uint32_t off, uint32_t prev,
                const struct entry_edit *e);
    uint32_t ino;
    uint8_t ftype;
    const char *new_name;
    size_t new_len;
    int first;                          /* the block on the disk before returning (order.c) */
};

static int edit_remove(struct ext2_fs *fs, uint8_t *block, uint32_t off, uint32_t prev,
                       const struct entry_edit *e);

/* Find name in dir, edit its entry, write the block, note the change in the directory. */
static int change_entry(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                        const struct entry_edit *e)
{
    struct fs_buf *b;
    uint64_t index;
    uint32_t off, prev;
    int err = find(fs, dir, name, len, &b, &index, &off, &prev);

    if (err)
        return err;
    uint64_t block = b->block;

    if (e->edit == edit_remove && fs->slot_dir == dir->ino && index < fs->slot_block)
        fs->slot_block = index;         /* room again there: the next add looks from here */

    err = e->edit(fs, b->data, off, prev, e);
    if (!err)
        fs_dirty(fs->io, b);
    fs_put(fs->io, b);
    if (err || (err = dir_changed(fs, dir)))
        return err;
    return e->first ? ext2_write_first(fs, block) : 0;
}

/* Removal: merged into the entry before it in the block, or, first in its block, made free. */
static int edit_remove(struct ext2_fs *fs, uint8_t *block, uint32_t off, uint32_t prev,
                       const struct entry_edit *e)
{
    struct ext2_dirent *d = (struct ext2_dirent *)(block + off);

    (void)fs;
    (void)e;
    if (prev != ~0u)
        ((struct ext2_dirent *)(block + prev))->rec_len += d->rec_len;
    else
        d->inode = 0;
    return 0;
}

static int edit_set(struct ext2_fs *fs, uint8_t *block, uint32_t off, uint32_t prev,
                    const struct entry_edit *e)
{
    struct ext2_dirent *d = (struct ext2_dirent *)(block + off);

    (void)prev;
    d->inode = e->ino;
    if (fs->filetype)
        d->file_type = e->ftype;
    return 0;
}

static int edit_rename(struct ext2_fs *fs, uint8_t *block, uint32_t off, uint32_t prev,
                       const struct entry_edit *e)
{
    struct ext2_dirent *d = (struct ext2_dirent *)(block + off);

    (void)prev;
    if (e->new_len == 0 || e->new_len > EXT2_NAME_LEN || EXT2_DIRENT_LEN(e->new_len) > d->rec_len)
        return -ENOSPC;
    d->name_len = (uint8_t)e->new_len;
    if (!fs->filetype)
        d->file_type = 0;
    memcpy(d->name, e->new_name, e->new_len);
    return 0;
}

int ext2_dir_remove(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len)
{
    struct entry_edit e = { .edit = edit_remove };
    return change_entry(fs, dir, name, len, &e);
}

int ext2_dir_set(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
                 uint32_t ino, uint8_t ftype)
{
    /* write-before: a renamed inode's new name on the disk before its old one goes */
    struct entry_edit e = { .edit = edit_set, .ino = ino, .ftype = ftype, .first = 1 };
    return change_entry(fs, dir, name, len, &e);
}

int ext2_dir_rename_in_place(struct ext2_fs *fs, struct ext2_node *dir, const char *old_name,
                             size_t old_len, const char *new_name, size_t new_len)
{
    struct entry_edit e = { .edit = edit_rename, .new_name = new_name, .new_len = new_len };
    return change_entry(fs, dir, old_name, old_len, &e);
}

static int not_dot(void *ctx, const char *name, size_t len, uint32_t ino, unsigned ftype)
{
    (void)ino;
    (void)ftype;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    *(int *)ctx = 1;
    return 1;
}

int ext2_dir_is_empty(struct ext2_fs *fs, struct ext2_node *dir)
{
    uint64_t pos = 0;
    int found = 0, err = ext2_dir_iterate(fs, dir, &pos, not_dot, &found);

    return err ? err : !found;
}
