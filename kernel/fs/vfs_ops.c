/*
 * vfs_ops.c - the operations on names: open (with O_CREAT), mkdir, mknod,
 * symlink, link, unlink, rmdir, and the ones that read or change an inode
 * by path (stat, readlink, setattr, truncate, statfs); the whole-file
 * helpers vfs_read_file and vfs_write_file. Rename is in rename.c.
 *
 * Each changing operation walks to the parent directory (WALK_PARENT),
 * takes the directory's inode lock, looks the last name up with the lock
 * held (so its answer cannot change under us), checks (POSIX.1-2017's
 * errors: EEXIST, ENOENT, ENOTDIR, EISDIR, ENOTEMPTY, EACCES, EPERM for the
 * sticky bit, EROFS, EXDEV, EBUSY for a mountpoint), calls the file
 * system, and updates the dentry: instantiate on create, d_delete on
 * removal.
 */
#include <string.h>

#include "fs/vfs_impl.h"
#include "mm/heap.h"

/* A name operation in progress: the parent directory locked, the child looked up. */
struct nameop {
    struct walk w;
    struct inode *dir;
    struct dentry *child;           /* positive or negative, referenced */
};

static int nameop_begin(const struct vfs_path *at, const char *path, struct nameop *op)
{
    int err = vfs_walk(at, path, WALK_PARENT, &op->w);

    op->child = NULL;
    op->dir = NULL;
    if (err)
        return err;
    op->dir = op->w.path.dentry->inode;
    if (!S_ISDIR(op->dir->mode)) {
        walk_done(&op->w);
        return -ENOTDIR;
    }
    if (op->w.last_type != LAST_NORM)
        return 0;                       /* the caller says what "." , ".." or "/" mean to it */
    mutex_lock(&op->dir->lock);
    err = vfs_permission(op->dir, MAY_EXEC);
    if (!err)
        err = lookup_locked(op->w.path.dentry, op->w.last, op->w.last_len, &op->child);
    if (err) {
        mutex_unlock(&op->dir->lock);
        walk_done(&op->w);
    }
    return err;
}

static void nameop_end(struct nameop *op)
{
    if (op->w.last_type == LAST_NORM) {
        if (op->child)
            dput(op->child);
        mutex_unlock(&op->dir->lock);
    }
    walk_done(&op->w);
}

/* May the caller add or remove names in op's directory? A removed directory (still open
 * somewhere, or someone's working directory) takes no new names: ENOENT, as Linux. */
static int may_change_dir(struct nameop *op)
{
    if (op->dir->nlink == 0)
        return -ENOENT;
    if (op->dir->sb->flags & MS_RDONLY)
        return -EROFS;
    return vfs_permission(op->dir, MAY_WRITE | MAY_EXEC);
}

/* ---- creation ---- */

struct new_node {
    uint32_t mode;                  /* S_IF* and permission bits */
    uint64_t rdev;
    const char *target;             /* symlink */
};

/* Make the negative op->child into what nn says. */
static int make_node(struct nameop *op, const struct new_node *nn)
{
    const struct inode_ops *iops = op->dir->iops;
    const char *name = op->w.last;
    size_t len = op->w.last_len;
    struct inode *inode = NULL;
    int err = may_change_dir(op);

    if (err)
        return err;
    if (S_ISDIR(nn->mode))
        err = iops->mkdir ? iops->mkdir(op->dir, name, len, nn->mode, &inode) : -EPERM;
    else if (S_ISLNK(nn->mode))
        err = iops->symlink ? iops->symlink(op->dir, name, len, nn->target, &inode) : -EPERM;
    else if (S_ISREG(nn->mode))
        err = iops->create ? iops->create(op->dir, name, len, nn->mode, &inode) : -EPERM;
    else
        err = iops->mknod ? iops->mknod(op->dir, name, len, nn->mode, nn->rdev, &inode) : -EPERM;
    if (err)
        return err;
    d_instantiate(op->child, inode);
    return 0;
}

static int create_at(const struct vfs_path *at, const char *path, const struct new_node *nn)
{
    struct nameop op;
    int err = nameop_begin(at, path, &op);

    if (err)
        return err;
    if (op.w.last_type != LAST_NORM)
        err = -EEXIST;
    else if (op.child->inode)
        err = -EEXIST;
    else if (op.w.trailing_slash && !S_ISDIR(nn->mode))
        err = -ENOENT;
    else
        err = make_node(&op, nn);
    nameop_end(&op);
    return err;
}

int vfs_mkdir(const struct vfs_path *at, const char *path, uint32_t mode)
{
    struct new_node nn = { S_IFDIR | (mode & 07777), 0, NULL };

    return create_at(at, path, &nn);
}

int vfs_mknod(const struct vfs_path *at, const char *path, uint32_t mode, uint64_t rdev)
{
    struct new_node nn = { mode, rdev, NULL };

    if ((mode & S_IFMT) == 0)
        nn.mode |= S_IFREG;
    if (S_ISDIR(nn.mode) || S_ISLNK(nn.mode))
        return -EINVAL;
    if (!S_ISREG(nn.mode) && vfs_current_cred()->uid != 0)
        return -EPERM;
    return create_at(at, path, &nn);
}

int vfs_symlink(const char *target, const struct vfs_path *at, const char *link_path)
{
    struct new_node nn = { S_IFLNK | 0777, 0, target };
    size_t len;

    if (!target)
        return -EFAULT;
    len = strnlen(target, PATH_MAX);
    if (len == 0)
        return -ENOENT;
    if (len >= PATH_MAX)
        return -ENAMETOOLONG;
    return create_at(at, link_path, &nn);
}

/* ---- open ---- */

/* O_CREAT: create the last name when missing, or open what is there. */
static int open_creat(const struct vfs_path *at, const char *path, unsigned flags, uint32_t mode,
                      struct file **out)
{
    struct new_node nn = { S_IFREG | (mode & 07777), 0, NULL };
    struct vfs_path p;
    struct nameop op;
    int err = nameop_begin(at, path, &op), created = 0, follow = 0;

    if (err)
        return err;
    if (op.w.last_type != LAST_NORM || op.w.trailing_slash) {
        err = -EISDIR;
    } else if (!op.child->inode) {
        err = make_node(&op, &nn);
        created = !err;
    } else if (flags & O_EXCL) {
        err = -EEXIST;
    } else if (S_ISLNK(op.child->inode->mode)) {
        err = flags & O_NOFOLLOW ? -ELOOP : 0;
        follow = 1;
    } else if (S_ISDIR(op.child->inode->mode)) {
        err = -EISDIR;
    }
    if (!err && !follow) {
        p = (struct vfs_path){ op.w.path.mnt, dget(op.child) };
        path_cross_down(&p);
    }
    nameop_end(&op);
    if (err)
        return err;
    if (follow) {                       /* an existing link: open what it names */
        struct walk w;
        err = vfs_walk(at, path, WALK_FOLLOW, &w);
        if (err)
            return err;
        err = vfs_open_path(&w.path, flags, 0, out);
        walk_done(&w);
        return err;
    }
    err = vfs_open_path(&p, created ? flags & ~(unsigned)O_TRUNC : flags, created, out);
    vfs_path_put(&p);
    return err;
}

int vfs_open(const struct vfs_path *at, const char *path, unsigned flags, uint32_t mode,
             struct file **out)
{
    struct walk w;
    unsigned wf = (flags & O_NOFOLLOW ? 0 : WALK_FOLLOW) | (flags & O_DIRECTORY ? WALK_DIRECTORY : 0);
    int err;

    *out = NULL;
    if (flags & O_CREAT)
        return open_creat(at, path, flags, mode, out);
    err = vfs_walk(at, path, wf, &w);
    if (err)
        return err;
    err = vfs_open_path(&w.path, flags, 0, out);
    walk_done(&w);
    return err;
}

/* ---- removal ---- */

static int count_entry(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
    (void)ino;
    (void)type;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    *(int *)ctx = 1;
    return 1;                           /* one is enough */
}

int vfs_dir_has_entries(struct inode *dir)
{
    struct file f = { .inode = dir, .ops = dir->fops, .flags = O_RDONLY, .refs = 1 };
    int found = 0, err;

    if (!f.ops || !f.ops->readdir)
        return -ENOTDIR;
    mutex_init(&f.pos_lock, "rmdir check");
    if (f.ops->open && (err = f.ops->open(dir, &f)) != 0)
        return err;
    err = f.ops->readdir(&f, count_entry, &found);
    if (f.ops->release)
        f.ops->release(&f);
    return err < 0 ? err : found;
}

static int remove_at(const struct vfs_path *at, const char *path, int dir)
{
    struct nameop op;
    struct inode *victim;
    int err = nameop_begin(at, path, &op);

    if (err)
        return err;
    if (op.w.last_type != LAST_NORM) {
        err = !dir ? -EISDIR : op.w.last_type == LAST_DOTDOT ? -ENOTEMPTY :
              op.w.last_type == LAST_DOT ? -EINVAL : -EBUSY;
        nameop_end(&op);
        return err;
    }
    victim = op.child->inode;
    if (!victim)
        err = -ENOENT;
    else if (dir && !S_ISDIR(victim->mode))
        err = -ENOTDIR;
    else if (!dir && S_ISDIR(victim->mode))
        err = -EISDIR;
    else if (!dir && op.w.trailing_slash)
        err = -ENOTDIR;
    else if (op.child->mounted)
        err = -EBUSY;
    if (!err)
        err = may_change_dir(&op);
    if (!err)
        err = vfs_may_delete(op.dir, victim);
    if (err) {
        nameop_end(&op);
        return err;
    }
    mutex_lock(&victim->lock);
    if (dir)
        err = vfs_dir_has_entries(victim);
    if (err > 0)
        err = -ENOTEMPTY;
    if (!err && dir)
        err = op.dir->iops->rmdir ? op.dir->iops->rmdir(op.dir, op.w.last, op.w.last_len, victim) : -EPERM;
    else if (!err)
        err = op.dir->iops->unlink ? op.dir->iops->unlink(op.dir, op.w.last, op.w.last_len, victim) : -EPERM;
    mutex_unlock(&victim->lock);
    if (!err) {
        if (dir)
            d_prune_children(op.child); /* else its negative entries keep it, and its inode, alive */
        d_delete(op.child);             /* negative unless open elsewhere */
    }
    nameop_end(&op);
    return err;
}

int vfs_unlink(const struct vfs_path *at, const char *path)
{
    return remove_at(at, path, 0);
}

int vfs_rmdir(const struct vfs_path *at, const char *path)
{
    return remove_at(at, path, 1);
}

/* ---- link ---- */

int vfs_link(const struct vfs_path *at, const char *old, const char *new_path)
{
    struct walk w;
    struct nameop op;
    struct inode *inode;
    int err = vfs_walk(at, old, 0, &w);

    if (err)
        return err;
    inode = w.path.dentry->inode;
    err = S_ISDIR(inode->mode) ? -EPERM : nameop_begin(at, new_path, &op);
    if (err) {
        walk_done(&w);
        return err;
    }
    if (op.w.last_type != LAST_NORM || op.child->inode)
        err = -EEXIST;
    else if (op.dir->sb != inode->sb)
        err = -EXDEV;
    else
        err = may_change_dir(&op);
    if (!err && !op.dir->iops->link)
        err = -EPERM;
    if (!err) {
        mutex_lock(&inode->lock);
        err = inode->nlink == 0 ? -ENOENT : op.dir->iops->link(op.dir, op.w.last, op.w.last_len, inode);
        mutex_unlock(&inode->lock);
    }
    if (!err) {
        ipin(inode);
        d_instantiate(op.child, inode);
    }
    nameop_end(&op);
    walk_done(&w);
    return err;
}

/* ---- inodes by path ---- */

static int walk_inode(const struct vfs_path *at, const char *path, int follow, struct walk *w)
{
    return vfs_walk(at, path, follow ? WALK_FOLLOW : 0, w);
}

int vfs_stat(const struct vfs_path *at, const char *path, int follow, struct vfs_stat *st)
{
    struct walk w;
    int err = walk_inode(at, path, follow, &w);

    if (err)
        return err;
    vfs_fill_stat(w.path.dentry->inode, st);
    walk_done(&w);
    return 0;
}

int vfs_readlink(const struct vfs_path *at, const char *path, char *buf, size_t size)
{
    struct walk w;
    struct inode *inode;
    int err = walk_inode(at, path, 0, &w);

    if (err)
        return err;
    inode = w.path.dentry->inode;
    if (!S_ISLNK(inode->mode))
        err = -EINVAL;
    else if (!inode->iops || !inode->iops->readlink)
        err = -EINVAL;
    else
        err = inode->iops->readlink(inode, buf, size);
    walk_done(&w);
    return err;
}

/* Who may change what: the owner or root the mode and times, root alone the owner. */
static int may_setattr(struct inode *inode, const struct vfs_attr *a)
{
    const struct vfs_cred *c = vfs_current_cred();

    if (c->uid == 0)
        return 0;
    if ((a->mask & (ATTR_UID | ATTR_GID)) && (a->uid != inode->uid || a->gid != inode->gid))
        return -EPERM;
    if ((a->mask & (ATTR_MODE | ATTR_ATIME | ATTR_MTIME)) && c->uid != inode->uid)
        return -EPERM;
    if (a->mask & ATTR_SIZE)
        return vfs_permission(inode, MAY_WRITE);
    return 0;
}

static int setattr_locked(struct inode *inode, const struct vfs_attr *a)
{
    struct vfs_attr copy = *a;
    int err;

    if (a->mask & ATTR_SIZE) {
        if (!S_ISREG(inode->mode))
            return S_ISDIR(inode->mode) ? -EISDIR : -EINVAL;
        err = vfs_truncate_locked(inode, a->size);
        if (err)
            return err;
        copy.mask &= ~ATTR_SIZE;
    }
    if (!copy.mask)
        return 0;
    if (!(copy.mask & ATTR_CTIME)) {
        copy.mask |= ATTR_CTIME;
        copy.ctime = vfs_now();
    }
    if (inode->iops && inode->iops->setattr) {
        err = inode->iops->setattr(inode, &copy);
        if (err)
            return err;
    } else {
        if (copy.mask & ATTR_MODE)
            inode->mode = (inode->mode & S_IFMT) | (copy.mode & 07777);
        if (copy.mask & ATTR_UID)
            inode->uid = copy.uid;
        if (copy.mask & ATTR_GID)
            inode->gid = copy.gid;
        if (copy.mask & ATTR_ATIME)
            inode->atime = copy.atime;
        if (copy.mask & ATTR_MTIME)
            inode->mtime = copy.mtime;
        inode->ctime = copy.ctime;
    }
    vfs_mark_dirty(inode);
    return 0;
}

int vfs_setattr(const struct vfs_path *at, const char *path, int follow, const struct vfs_attr *attr)
{
    struct walk w;
    struct inode *inode;
    int err = walk_inode(at, path, follow, &w);

    if (err)
        return err;
    inode = w.path.dentry->inode;
    err = inode->sb->flags & MS_RDONLY ? -EROFS : may_setattr(inode, attr);
    if (!err) {
        mutex_lock(&inode->lock);
        err = setattr_locked(inode, attr);
        mutex_unlock(&inode->lock);
    }
    walk_done(&w);
    return err;
}

int vfs_truncate(const struct vfs_path *at, const char *path, uint64_t size)
{
    struct vfs_attr a = { .mask = ATTR_SIZE, .size = size };
    struct walk w;
    int err = walk_inode(at, path, 1, &w);

    if (err)
        return err;
    err = S_ISDIR(w.path.dentry->inode->mode) ? -EISDIR : vfs_permission(w.path.dentry->inode, MAY_WRITE);
    walk_done(&w);
    return err ? err : vfs_setattr(at, path, 1, &a);
}

int vfs_statfs(const struct vfs_path *at, const char *path, struct vfs_statfs *out)
{
    struct walk w;
    struct super_block *sb;
    int err = walk_inode(at, path, 1, &w);

    if (err)
        return err;
    sb = w.path.dentry->inode->sb;
    memset(out, 0, sizeof(*out));
    err = sb->ops->statfs ? sb->ops->statfs(sb, out) : -ENOSYS;
    out->flags = (uint32_t)(sb->flags & MS_RDONLY);
    walk_done(&w);
    return err;
}

/* ---- whole files ---- */

long vfs_read_file(const char *path, void *buf, size_t size)
{
    struct file *f;
    size_t done = 0;
    long n = vfs_open(NULL, path, O_RDONLY, 0, &f);

    if (n)
        return n;
    while (done < size && (n = vfs_read(f, (char *)buf + done, size - done)) > 0)
        done += (size_t)n;
    file_put(f);
    return n < 0 ? n : (long)done;
}

long vfs_write_file(const char *path, const void *buf, size_t len)
{
    struct file *f;
    size_t done = 0;
    long n = vfs_open(NULL, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);

    if (n)
        return n;
    while (done < len && (n = vfs_write(f, (const char *)buf + done, len - done)) > 0)
        done += (size_t)n;
    file_put(f);
    return n < 0 ? n : (long)done;
}
