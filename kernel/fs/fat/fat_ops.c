/*
 * fat_ops.c - what the VFS asks of a FAT volume's names: create, mkdir,
 * unlink, rmdir, rename, each from the pieces in fat_dir.c and
 * fat_table.c, in an order a crash can interrupt anywhere (docs/files-fat.md):
 *
 *   create   the entry alone (an empty file has no cluster), its long and
 *            short entries in one sector write (fat_dir.c);
 *   mkdir    a cluster allocated and zeroed, "." and ".." written into it
 *            (section 6), then the entry that points at it: a crash
 *            before the entry leaves one lost cluster;
 *   unlink   the entry removed, then (free_data) its chain freed: a crash
 *            in between leaves lost clusters;
 *   rmdir    likewise, once the directory holds nothing but "." and "..";
 *   rename   a victim's entry removed, the new entry added, a moved
 *            directory's ".." pointed at its new parent, the old entry
 *            removed: a crash before the last step leaves two entries
 *            sharing the clusters, which fsck.fat reports (and the data is
 *            never lost).
 * tests/host/test_fat_crash.c cuts each after every write and runs fsck.fat.
 * In the kernel the buffer cache would reorder these: fat_order.c's
 * write-before points (fat_dir_add for an entry with clusters, rename's
 * steps, fat_free_chain) keep them in this order on the disk.
 */
#include <string.h>

#include "errno.h"
#include "fs/fat/fat.h"
#include "fs/fat/fat_layout.h"
#include "fs/fat/fat_time.h"

static int64_t now(const struct fat_volume *v) { return v->now ? v->now() : 0; }

/* The cluster a ".." entry names for parent directory dir (section 6: 0 for the root). */
static uint32_t dotdot_value(const struct fat_node *dir)
{
    return dir->ino == FAT_ROOT_INO ? 0 : dir->first_cluster;
}

static void dot_entry(struct fat_volume *v, uint8_t *e, const char *name, uint32_t cluster, int64_t t)
{
    uint16_t date, time;
    uint8_t tenth;

    memset(e, ' ', 11);
    memcpy(e, name, strlen(name));
    e[DIR_Attr] = ATTR_DIRECTORY;
    fat_time_to_dos(t, &date, &time, &tenth);
    e[DIR_CrtTimeTenth] = tenth;
    fat_wr16(e + DIR_CrtDate, date);
    fat_wr16(e + DIR_CrtTime, time);
    fat_wr16(e + DIR_WrtDate, date);
    fat_wr16(e + DIR_WrtTime, time);
    fat_wr16(e + DIR_LstAccDate, date);
    fat_wr16(e + DIR_FstClusLO, (uint16_t)cluster);
    fat_wr16(e + DIR_FstClusHI, v->type == 32 ? (uint16_t)(cluster >> 16) : 0);
}

/* Point entry 0 (".", when self) or 1 ("..") of directory `cluster` at target. */
static int set_dot(struct fat_volume *v, uint32_t cluster, int which, uint32_t target, int64_t t, int fresh)
{
    struct fs_buf *b = fs_get(v->io, fat_cluster_sector(v, cluster));

    if (!b)
        return -EIO;
    uint8_t *e = b->data + which * DIR_ENTRY_SIZE;
    if (fresh) {
        dot_entry(v, e, which ? ".." : ".", target, t);
    } else {
        fat_wr16(e + DIR_FstClusLO, (uint16_t)target);
        fat_wr16(e + DIR_FstClusHI, v->type == 32 ? (uint16_t)(target >> 16) : 0);
    }
    fs_dirty(v->io, b);
    fs_put(v->io, b);
    return 0;
}

int fat_create(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len,
               int is_dir, struct fat_node *out)
{
    int64_t t = now(v);
    int err;

    if (v->read_only)
        return -EROFS;
    if (!fat_is_dir(dir))
        return -ENOTDIR;
    memset(out, 0, sizeof(*out));
    out->attr = is_dir ? ATTR_DIRECTORY : ATTR_ARCHIVE;
    out->ctime = out->mtime = out->atime = t;
    if (is_dir) {
        if ((err = fat_alloc(v, 0, FAT_ZERO_META, &out->first_cluster)) != 0)
            return err;
        if ((err = set_dot(v, out->first_cluster, 0, out->first_cluster, t, 1)) != 0 ||
            (err = set_dot(v, out->first_cluster, 1, dotdot_value(dir), t, 1)) != 0) {
            fat_free_chain(v, out->first_cluster);
            return err;
        }
    }
    if ((err = fat_dir_add(v, dir, name, len, out)) != 0 && is_dir)
        fat_free_chain(v, out->first_cluster);
    return err;
}

/* The entry called name in dir, which is a directory when want_dir, else a file. */
static int find_victim(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len,
                       int want_dir, struct fat_node *n)
{
    int err;

    if (v->read_only)
        return -EROFS;
    if ((err = fat_lookup(v, dir, name, len, n)) != 0)
        return err;
    if (fat_is_dir(n) != want_dir)
        return want_dir ? -ENOTDIR : -EISDIR;
    return 0;
}

int fat_unlink(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len, int free_data)
{
    struct fat_node n;
    int err;

    if ((err = find_victim(v, dir, name, len, 0, &n)) != 0 || (err = fat_dir_remove(v, &n)) != 0)
        return err;
    return free_data && n.first_cluster ? fat_free_chain(v, n.first_cluster) : 0;
}

int fat_rmdir(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len, int free_data)
{
    struct fat_node n;
    int err;

    if ((err = find_victim(v, dir, name, len, 1, &n)) != 0)
        return err;
    if (n.ino == dir->ino || n.ino == FAT_ROOT_INO)
        return -EINVAL;                 /* "." or ".." */
    if ((err = fat_dir_empty(v, &n)) <= 0)
        return err < 0 ? err : -ENOTEMPTY;
    if ((err = fat_dir_remove(v, &n)) != 0)
        return err;
    return free_data ? fat_free_chain(v, n.first_cluster) : 0;
}

/* 1 when directory `inner` is `outer` or lies below it. */
static int is_below(struct fat_volume *v, const struct fat_node *inner, const struct fat_node *outer)
{
    struct fat_node cur = *inner, up;

    for (unsigned depth = 0; depth < 4096; depth++) {
        if (cur.ino == outer->ino)
            return 1;
        if (cur.ino == FAT_ROOT_INO || fat_lookup(v, &cur, "..", 2, &up))
            return 0;
        cur = up;
    }
    return 1;                           /* deeper than any real tree: refuse */
}

/* Remove the target name's entry before the move, as POSIX's replace. */
static int drop_victim(struct fat_volume *v, const struct fat_node *src, const struct fat_node *victim,
                       int free_victim)
{
    int err;

    if (fat_is_dir(src) != fat_is_dir(victim))
        return fat_is_dir(src) ? -ENOTDIR : -EISDIR;
    if (fat_is_dir(victim) && (err = fat_dir_empty(v, victim)) <= 0)
        return err < 0 ? err : -ENOTEMPTY;
    if ((err = fat_dir_remove(v, victim)) != 0)
        return err;
    return free_victim && victim->first_cluster ? fat_free_chain(v, victim->first_cluster) : 0;
}

int fat_rename(struct fat_volume *v, const struct fat_node *odir, const char *oname, size_t olen,
               const struct fat_node *ndir, const char *nname, size_t nlen, int free_victim,
               struct fat_node *moved)
{
    struct fat_node src, victim;
    int err, same = 0;

    if (v->read_only)
        return -EROFS;
    if ((err = fat_lookup(v, odir, oname, olen, &src)) != 0)
        return err;
    if (src.ino == FAT_ROOT_INO || src.ino == odir->ino)
        return -EINVAL;
    if (fat_is_dir(&src) && is_below(v, ndir, &src))
        return -EINVAL;                 /* into itself */
    err = fat_lookup(v, ndir, nname, nlen, &victim);
    if (err == 0 && victim.ino == src.ino) {
        if ((err = fat_dir_remove(v, &src)) != 0)   /* the same name in another case */
            return err;
        same = 1;
    } else if (err == 0) {
        if ((err = drop_victim(v, &src, &victim, free_victim)) != 0 ||
            (err = fat_order_all(v)) != 0)      /* write-before: one entry of that name at a time */
            return err;
    } else if (err != -ENOENT) {
        return err;
    }
    *moved = src;
    if ((err = fat_dir_add(v, ndir, nname, nlen, moved)) != 0)
        return err;
    if (fat_is_dir(&src) && odir->ino != ndir->ino &&
        (err = set_dot(v, src.first_cluster, 1, dotdot_value(ndir), 0, 0)) != 0)
        return err;
    if (same)
        return 0;
    if ((err = fat_order_all(v)) != 0)  /* write-before: the new name, then the old one goes */
        return err;
    return fat_dir_remove(v, &src);
}
