/*
 * rename.c - vfs_rename: one name moved to another place, replacing what
 * was there (POSIX.1-2017 rename(); Linux's renameat2 RENAME_NOREPLACE).
 *
 * The rules checked before the file system is asked: both names in one
 * mount (EXDEV); "." and ".." and "/" are never moved (EBUSY); renaming a
 * file onto itself (the same inode) does nothing; a directory moves only
 * onto nothing or an empty directory (ENOTDIR, ENOTEMPTY), never into its
 * own subtree (EINVAL); a non-directory never onto a directory (EISDIR);
 * neither side may be a mountpoint (EBUSY); RENAME_NOREPLACE refuses an
 * existing target (EEXIST).
 *
 * Locking: rename_lock (a mutex) first, so no other rename changes the
 * tree's shape while "is the target inside the source?" is answered; then
 * both directories' inode locks, the lower address first; then the moved
 * inode and the victim, also by address (neither is an ancestor of the
 * other: checked).
 */
#include "fs/vfs_impl.h"

static struct mutex rename_lock = MUTEX_INIT("rename");

struct rename_sides {
    struct walk ow, nw;             /* the two parents, referenced */
    struct inode *odir, *ndir;
    struct dentry *od, *nd;         /* the two names, referenced */
};

static void lock_two(struct mutex *a, struct mutex *b)
{
    if (a == b) {
        mutex_lock(a);
    } else if (a < b) {
        mutex_lock(a);
        mutex_lock(b);
    } else {
        mutex_lock(b);
        mutex_lock(a);
    }
}

static void unlock_two(struct mutex *a, struct mutex *b)
{
    mutex_unlock(a);
    if (a != b)
        mutex_unlock(b);
}

static int may_rename_in(struct inode *dir)
{
    if (dir->nlink == 0)
        return -ENOENT;                 /* removed, still open somewhere */
    if (dir->sb->flags & MS_RDONLY)
        return -EROFS;
    return vfs_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* The rules of the header comment; 1: nothing to do (the same file). */
static int check(struct rename_sides *r, unsigned flags)
{
    struct inode *src = r->od->inode, *victim = r->nd->inode;
    int err;

    if (!src)
        return -ENOENT;
    if (!S_ISDIR(src->mode) && (r->ow.trailing_slash || r->nw.trailing_slash))
        return -ENOTDIR;
    if (victim && (flags & RENAME_NOREPLACE))
        return -EEXIST;                 /* before the same-file case, as Linux's do_renameat2 */
    if (src == victim)
        return 1;
    if (r->od->mounted || r->nd->mounted)
        return -EBUSY;
    if (S_ISDIR(src->mode)) {
        if (victim && !S_ISDIR(victim->mode))
            return -ENOTDIR;
        if (d_is_below(r->nw.path.dentry, r->od))
            return -EINVAL;
        if (r->odir != r->ndir && (err = vfs_permission(src, MAY_WRITE)) != 0)
            return err;                 /* its ".." changes */
    } else if (victim && S_ISDIR(victim->mode)) {
        return -EISDIR;
    }
    if ((err = may_rename_in(r->odir)) || (err = may_rename_in(r->ndir)))
        return err;
    if ((err = vfs_may_delete(r->odir, src)))
        return err;
    return victim ? vfs_may_delete(r->ndir, victim) : 0;
}

/* With both directories locked: look up, check, and move. */
static int rename_locked(struct rename_sides *r, unsigned flags)
{
    struct inode *src, *victim;
    int err = lookup_locked(r->ow.path.dentry, r->ow.last, r->ow.last_len, &r->od);

    if (!err)
        err = lookup_locked(r->nw.path.dentry, r->nw.last, r->nw.last_len, &r->nd);
    if (!err)
        err = check(r, flags);
    if (err)
        return err > 0 ? 0 : err;
    src = r->od->inode;
    victim = r->nd->inode;
    lock_two(&src->lock, victim ? &victim->lock : &src->lock);
    if (victim && S_ISDIR(victim->mode))
        err = vfs_dir_has_entries(victim) > 0 ? -ENOTEMPTY : 0;
    if (!err)
        err = r->odir->iops->rename ? r->odir->iops->rename(r->odir, r->ow.last, r->ow.last_len,
                                                            r->ndir, r->nw.last, r->nw.last_len,
                                                            src, victim) : -EPERM;
    unlock_two(&src->lock, victim ? &victim->lock : &src->lock);
    if (err)
        return err;
    d_unhash(r->nd);                    /* the victim's name, or the negative entry there */
    return d_move(r->od, r->nw.path.dentry, r->nw.last, r->nw.last_len);
}

static int rename_walked(struct rename_sides *r, unsigned flags)
{
    int err;

    if (r->ow.last_type != LAST_NORM || r->nw.last_type != LAST_NORM)
        return -EBUSY;
    r->odir = r->ow.path.dentry->inode;
    r->ndir = r->nw.path.dentry->inode;
    if (!S_ISDIR(r->odir->mode) || !S_ISDIR(r->ndir->mode))
        return -ENOTDIR;
    if (r->ow.path.mnt != r->nw.path.mnt)
        return -EXDEV;
    if ((err = vfs_permission(r->odir, MAY_EXEC)) || (err = vfs_permission(r->ndir, MAY_EXEC)))
        return err;
    lock_two(&r->odir->lock, &r->ndir->lock);
    err = rename_locked(r, flags);
    unlock_two(&r->odir->lock, &r->ndir->lock);
    return err;
}

int vfs_rename(const struct vfs_path *at, const char *old, const char *new_path, unsigned flags)
{
    struct rename_sides r = { 0 };
    int err;

    if (flags & ~(unsigned)RENAME_NOREPLACE)
        return -EINVAL;
    mutex_lock(&rename_lock);
    err = vfs_walk(at, old, WALK_PARENT, &r.ow);
    if (!err) {
        err = vfs_walk(at, new_path, WALK_PARENT, &r.nw);
        if (!err) {
            err = rename_walked(&r, flags);
            walk_done(&r.nw);
        }
        walk_done(&r.ow);
    }
    if (r.od)
        dput(r.od);
    if (r.nd)
        dput(r.nd);
    mutex_unlock(&rename_lock);
    return err;
}
