/*
 * namei.c - the path walk: from a string such as "/boot/../etc/passwd" to
 * a (mount, dentry) pair, one component at a time (POSIX.1-2017, XBD 4.13
 * "Pathname Resolution").
 *
 * Each component is looked up in the dentry cache first; only a miss takes
 * the directory's inode lock and asks the file system (lookup_locked), and
 * its answer, found or not, is cached (a missing name as a negative entry).
 * "." stays, ".." goes to the parent, across a mount's root to the
 * directory it is mounted on, and never above the root. After each step the
 * walk goes down into whatever is mounted on the entry it reached.
 *
 * Symbolic links are followed inside the walk: the target is read and its
 * components walked before the rest of the path (a stack of the strings
 * still to walk, the link's buffer on top), at most SYMLOOP_MAX links in one
 * walk (ELOOP beyond). The last component is followed only when the caller
 * asks (WALK_FOLLOW) or a slash follows it. Names longer than NAME_MAX are
 * ENAMETOOLONG, paths of PATH_MAX bytes or more too. A path ending in '/'
 * must name a directory.
 *
 * References: the walk holds one reference on the dentry it stands on and
 * hands it to the caller in w->path (walk_done drops it).
 */
#include <string.h>

#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "mutant.h"

struct pending {
    const char *s;                  /* what is still to walk of this string */
    char *buf;                      /* a link's target (freed when walked), or NULL */
};

struct walker {
    struct vfs_path cur;
    struct pending stack[SYMLOOP_MAX + 2];
    int top;
    unsigned links;
};

void vfs_path_get(struct vfs_path *dst, const struct vfs_path *src)
{
    dst->mnt = src->mnt;
    dst->dentry = dget(src->dentry);
}

void vfs_path_put(struct vfs_path *p)
{
    if (p->dentry)
        dput(p->dentry);
    p->dentry = NULL;
}

void walk_done(struct walk *w)
{
    vfs_path_put(&w->path);
}

void path_cross_down(struct vfs_path *p)
{
    for (;;) {
        struct dentry *old = p->dentry;
        struct mount *m;

        spin_lock(&dcache_lock);
        m = old->mounted;
        if (m) {
            m->root->refs++;            /* a mount's root is never on the LRU: the mount holds it */
            p->mnt = m;
            p->dentry = m->root;
        }
        spin_unlock(&dcache_lock);
        if (!m)
            return;
        dput(old);
    }
}

/* "..": up to the parent, across mount roots, then down into what is mounted there. */
static void path_up(struct vfs_path *p)
{
    struct dentry *up;

    while (p->dentry == p->mnt->root && p->mnt->parent) {
        struct dentry *old = p->dentry;
        p->dentry = dget(p->mnt->mountpoint);
        p->mnt = p->mnt->parent;
        dput(old);
    }
    up = dget_parent(p->dentry);
    dput(p->dentry);
    p->dentry = up;
    path_cross_down(p);
}

int lookup_locked(struct dentry *dir, const char *name, size_t len, struct dentry **out)
{
    struct inode *inode = NULL;
    struct dentry *d = d_lookup(dir, name, len);
    uint64_t ino;
    int err;

    if (d) {
        *out = d;
        return 0;
    }
    if (!dir->inode->iops || !dir->inode->iops->lookup)
        return -ENOTDIR;
    if (dir->inode->nlink == 0)
        return -ENOENT;                 /* a removed directory: nothing in it, nothing cached */
    err = dir->inode->iops->lookup(dir->inode, name, len, &ino);
    if (err && err != -ENOENT)
        return err;
    if (!err && (err = iget(dir->inode->sb, ino, &inode)) != 0)
        return err;
    d = d_alloc(dir, name, len);
    if (!d) {
        if (inode)
            iput(inode);
        return -ENOMEM;
    }
    if (inode)
        d_instantiate(d, inode);
    if (dir->inode->sb->type->uncached_names)
        d_unhash(d);                    /* /proc/N: asked again next time */
    else if (!inode && MUTANT_ENABLED(negative_dentries))
        d_unhash(d);                    /* the mutant: a missing name is not remembered */
    *out = d;
    return 0;
}

/* The child name of p's directory, positive or negative, referenced. */
static int lookup_child(struct vfs_path *p, const char *name, size_t len, struct dentry **out)
{
    struct inode *dir = p->dentry->inode;
    int err;

    *out = d_lookup(p->dentry, name, len);
    if (*out)
        return 0;
    mutex_lock(&dir->lock);
    err = lookup_locked(p->dentry, name, len, out);
    mutex_unlock(&dir->lock);
    return err;
}

static const char *skip_slashes(const char *s)
{
    while (*s == '/')
        s++;
    return s;
}

/* Whether nothing but slashes is left on the stack; *slash: a slash is among them. */
static int nothing_left(struct walker *k, int *slash)
{
    *slash = 0;
    for (int i = k->top; i >= 0; i--) {
        const char *s = k->stack[i].s;
        if (*s == '/')
            *slash = 1;
        if (*skip_slashes(s))
            return 0;
    }
    return 1;
}

/* The link `link` met in the walk: push its target (an absolute one restarts at the root). */
static int follow_link(struct walker *k, struct inode *link)
{
    char *buf;
    long n;

    if (++k->links > SYMLOOP_MAX && !MUTANT_ENABLED(symlink_limit))
        return -ELOOP;
    if (k->top >= SYMLOOP_MAX + 1)      /* the stack's own bound (the mutant's loops end here) */
        return -ELOOP;
    if (!link->iops || !link->iops->readlink)
        return -EINVAL;
    buf = kmalloc(PATH_MAX);
    if (!buf)
        return -ENOMEM;
    n = link->iops->readlink(link, buf, PATH_MAX - 1);
    if (n <= 0) {
        kfree(buf);
        return n < 0 ? (int)n : -ENOENT;
    }
    buf[n] = '\0';
    k->stack[++k->top] = (struct pending){ buf, buf };
    if (buf[0] == '/') {
        vfs_path_put(&k->cur);
        vfs_root(&k->cur);
    }
    return 0;
}

/* One component name[0..len) of k->cur: step into it (following a link when told). */
static int step(struct walker *k, const char *name, size_t len, int follow, int must_dir)
{
    struct vfs_path next;
    struct dentry *d;
    int err;

    if (len == 1 && name[0] == '.')
        return 0;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        path_up(&k->cur);
        return 0;
    }
    err = lookup_child(&k->cur, name, len, &d);
    if (err)
        return err;
    if (!d->inode) {
        dput(d);
        return -ENOENT;
    }
    next = (struct vfs_path){ k->cur.mnt, d };
    path_cross_down(&next);
    if (S_ISLNK(next.dentry->inode->mode) && (follow || must_dir)) {
        err = follow_link(k, next.dentry->inode);
        vfs_path_put(&next);
        return err;
    }
    vfs_path_put(&k->cur);
    k->cur = next;
    return 0;
}

static int last_type(const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return LAST_DOT;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return LAST_DOTDOT;
    return LAST_NORM;
}

/* Walk everything on k's stack; with WALK_PARENT stop before the last name (into w). */
static int walk_all(struct walker *k, unsigned flags, struct walk *w)
{
    int must_dir = 0;

    for (;;) {
        const char *s = skip_slashes(k->stack[k->top].s), *name = s;
        size_t len;
        int last, slash, err;

        if (!*s) {
            if (k->top == 0)
                break;
            kfree(k->stack[k->top--].buf);
            continue;
        }
        while (*s && *s != '/')
            s++;
        len = (size_t)(s - name);
        if (len > NAME_MAX)
            return -ENAMETOOLONG;
        k->stack[k->top].s = s;
        last = nothing_left(k, &slash);
        if (last && (flags & WALK_PARENT)) {
            w->last = name;
            w->last_len = len;
            w->last_type = last_type(name, len);
            w->trailing_slash = slash;
            return 0;
        }
        if (!S_ISDIR(k->cur.dentry->inode->mode))
            return -ENOTDIR;
        err = vfs_permission(k->cur.dentry->inode, MAY_EXEC);
        if (!err)
            err = step(k, name, len, !last || (flags & WALK_FOLLOW), last && slash);
        if (err)
            return err;
        must_dir = last && slash;
    }
    if (flags & WALK_PARENT) {
        w->last = NULL;
        w->last_len = 0;
        w->last_type = LAST_ROOT;
        return 0;
    }
    if ((must_dir || (flags & WALK_DIRECTORY)) && !S_ISDIR(k->cur.dentry->inode->mode))
        return -ENOTDIR;
    return 0;
}

int vfs_walk(const struct vfs_path *at, const char *path, unsigned flags, struct walk *w)
{
    struct walker *k;
    size_t len;
    int err;

    memset(w, 0, sizeof(*w));
    if (!path)
        return -EFAULT;
    len = strnlen(path, PATH_MAX);
    if (len >= PATH_MAX)
        return -ENAMETOOLONG;
    if (len == 0)
        return -ENOENT;
    k = kcalloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    if (path[0] == '/' || !at)
        vfs_root(&k->cur);
    else
        vfs_path_get(&k->cur, at);
    k->stack[0].s = path;
    w->trailing_slash = path[len - 1] == '/';
    err = walk_all(k, flags, w);
    while (k->top > 0)
        kfree(k->stack[k->top--].buf);
    if (err)
        vfs_path_put(&k->cur);
    else
        w->path = k->cur;
    kfree(k);
    return err;
}
