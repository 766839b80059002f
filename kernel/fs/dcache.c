/*
 * dcache.c - the dentry cache: names already looked up, so a path walk asks
 * a file system only about names it has not seen (docs/files.md, "Why
 * dentries").
 *
 * A dentry is one name in one directory: its parent, the inode it names,
 * or none (a negative entry: the name is known not to exist, so a second
 * stat of a missing file asks no disk). Every dentry holds a reference on
 * its parent, and a positive one on its inode; the root of a file system is
 * its own parent.
 *
 * Structure: a hash of (parent, name) over every hashed entry; each parent's
 * list of children; an LRU of the entries nobody holds (refs == 0), most
 * recently used at the front, trimmed from the back beyond DCACHE_MAX.
 *
 * Locking: dcache_lock (a spinlock) guards the hash, the lists, refs, flags,
 * and the inode and mounted fields of every entry. Adding a name to a
 * directory, or changing one, also needs the directory's inode lock (held
 * by the caller), so two threads never add the same name twice. The lock is
 * never held across iput (which may write to a disk): entries to free are
 * first taken out under the lock, then freed without it.
 */
#include <string.h>

#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "mutant.h"
#include "printk.h"

#define DCACHE_HASH     1024u
#define DCACHE_MAX      8192u       /* unused entries kept; more are pruned, oldest first */

struct spinlock dcache_lock = SPINLOCK_INIT("dcache");
static struct dentry *hash_table[DCACHE_HASH];
static struct dentry lru = { .lru_prev = &lru, .lru_next = &lru };  /* guarded by dcache_lock */
static struct dcache_stats stats;

static uint32_t name_hash(const char *name, size_t len)
{
    uint32_t h = 2166136261u;                   /* FNV-1a */

    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)name[i]) * 16777619u;
    return h;
}

static unsigned bucket(const struct dentry *parent, uint32_t hash)
{
    return (unsigned)(((uintptr_t)parent >> 4) ^ hash) % DCACHE_HASH;
}

/* ---- lists: caller holds dcache_lock ---- */

static void lru_remove(struct dentry *d)
{
    if (d->lru_next) {
        d->lru_prev->lru_next = d->lru_next;
        d->lru_next->lru_prev = d->lru_prev;
        d->lru_next = d->lru_prev = NULL;
    }
}

static void lru_add_front(struct dentry *d)
{
    d->lru_next = lru.lru_next;
    d->lru_prev = &lru;
    lru.lru_next->lru_prev = d;
    lru.lru_next = d;
}

static void unlink_from(struct dentry **head, struct dentry *d, int children)
{
    for (struct dentry **pp = head; *pp; pp = children ? &(*pp)->child_next : &(*pp)->hash_next)
        if (*pp == d) {
            *pp = children ? d->child_next : d->hash_next;
            return;
        }
}

static void hash_insert(struct dentry *d)
{
    unsigned b = bucket(d->parent, d->hash);

    d->hash_next = hash_table[b];
    hash_table[b] = d;
    d->child_next = d->parent->children;
    d->parent->children = d;
    d->flags &= ~DCACHE_UNHASHED;
}

static void hash_remove(struct dentry *d)
{
    if (d->flags & DCACHE_UNHASHED)
        return;
    unlink_from(&hash_table[bucket(d->parent, d->hash)], d, 0);
    if (d->parent != d)
        unlink_from(&d->parent->children, d, 1);
    d->flags |= DCACHE_UNHASHED;
}

/* ---- references ---- */

struct dentry *dget(struct dentry *d)
{
    spin_lock(&dcache_lock);
    if (d->refs++ == 0)
        lru_remove(d);
    spin_unlock(&dcache_lock);
    return d;
}

struct dentry *dget_parent(struct dentry *d)
{
    struct dentry *parent;

    spin_lock(&dcache_lock);
    parent = d->parent;                 /* read under the lock: a rename may be moving d */
    if (parent->refs++ == 0)
        lru_remove(parent);
    spin_unlock(&dcache_lock);
    return parent;
}

/* Take d out (refs 0, no children), for the caller to free without the lock. */
static void detach(struct dentry *d)
{
    lru_remove(d);
    hash_remove(d);
    stats.entries--;
    if (!d->inode)
        stats.negative--;
}

/* Free a detached entry; returns its parent, whose reference the caller must drop. */
static struct dentry *destroy(struct dentry *d)
{
    struct dentry *parent = d->parent == d ? NULL : d->parent;

    if (d->inode)
        iput(d->inode);
    kfree(d->name);
    kfree(d);
    return parent;
}

/* Drop one reference with dcache_lock held: 1 when d was detached and must be destroyed. */
static int put_locked(struct dentry *d)
{
    if (--d->refs)
        return 0;
    if (d->flags & DCACHE_UNHASHED) {
        detach(d);
        return 1;
    }
    lru_add_front(d);
    return 0;
}

/* The oldest unused entry with no children, detached, or NULL (caller holds dcache_lock). */
static struct dentry *lru_victim(void)
{
    for (struct dentry *d = lru.lru_prev; d != &lru; d = d->lru_prev)
        if (!d->children && d->parent != d) {
            detach(d);
            stats.pruned++;
            return d;
        }
    return NULL;
}

void dput(struct dentry *d)
{
    while (d) {
        struct dentry *victim = NULL;
        int gone;

        spin_lock(&dcache_lock);
        gone = put_locked(d);
        if (!gone && stats.entries > DCACHE_MAX)
            victim = lru_victim();
        spin_unlock(&dcache_lock);
        if (victim)
            dput(destroy(victim));
        d = gone ? destroy(d) : NULL;
    }
}

/* ---- lookup and change ---- */

struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len)
{
    uint32_t h = name_hash(name, len);
    struct dentry *found = NULL;

    spin_lock(&dcache_lock);
    for (struct dentry *d = hash_table[bucket(parent, h)]; d; d = d->hash_next)
        if (d->parent == parent && d->hash == h && d->len == len && memcmp(d->name, name, len) == 0) {
            if (d->refs++ == 0)
                lru_remove(d);
            found = d;
            break;
        }
    if (found) {
        stats.hits++;
        if (!found->inode)
            stats.negative_hits++;
    } else {
        stats.misses++;
    }
    spin_unlock(&dcache_lock);
    return found;
}

static struct dentry *d_new(const char *name, size_t len)
{
    struct dentry *d = kcalloc(1, sizeof(*d));

    if (!d)
        return NULL;
    d->name = kmalloc(len + 1);
    if (!d->name) {
        kfree(d);
        return NULL;
    }
    memcpy(d->name, name, len);
    d->name[len] = '\0';
    d->len = (uint16_t)len;
    d->hash = name_hash(name, len);
    d->refs = 1;
    d->flags = DCACHE_UNHASHED;
    return d;
}

struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
    struct dentry *d = d_new(name, len);

    if (!d)
        return NULL;
    spin_lock(&dcache_lock);
    if (parent->refs++ == 0)
        lru_remove(parent);
    d->parent = parent;
    hash_insert(d);
    stats.entries++;
    stats.negative++;
    spin_unlock(&dcache_lock);
    return d;
}

struct dentry *d_alloc_root(struct inode *inode)
{
    struct dentry *d = d_new("/", 1);

    if (!d)
        return NULL;
    d->parent = d;
    d->inode = inode;
    spin_lock(&dcache_lock);
    stats.entries++;
    spin_unlock(&dcache_lock);
    return d;
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
    spin_lock(&dcache_lock);
    if (!d->inode && inode)
        stats.negative--;
    d->inode = inode;
    spin_unlock(&dcache_lock);
}

/* The entry after d in a walk of the tree under root (parents before children), or NULL.
 * No recursion: trees may be deep and a thread's stack is small. */
static struct dentry *tree_next(struct dentry *d, struct dentry *root)
{
    if (d->children)
        return d->children;
    while (d != root && !d->child_next)
        d = d->parent;
    return d == root ? NULL : d->child_next;
}

/* References on d besides its children's and a mount's on it (caller holds dcache_lock). */
static unsigned foreign_refs(struct dentry *d)
{
    unsigned structural = d->mounted ? 1 : 0;

    for (struct dentry *c = d->children; c; c = c->child_next)
        structural++;
    return d->refs > structural ? d->refs - structural : 0;
}

/* d is going out of the tree: its unused entries below (all negative: it was an empty
 * directory) are taken out too, onto *gone, so they stop holding it (caller holds the lock). */
static void prune_unused_below(struct dentry *d, struct dentry **gone)
{
    for (int again = 1; again; ) {
        again = 0;
        for (struct dentry *c = tree_next(d, d); c; c = tree_next(c, d))
            if (c->refs == 0 && !c->children) {
                detach(c);
                c->parent->refs--;      /* its hold on the parent, dropped here */
                c->parent = c;          /* so destroy does not drop it again */
                c->hash_next = *gone;
                *gone = c;
                again = 1;
                break;
            }
    }
}

void d_delete(struct dentry *d)
{
    struct dentry *gone = NULL;
    struct inode *old = NULL;

    spin_lock(&dcache_lock);
    if (foreign_refs(d) == 1) {         /* the caller's alone: it becomes negative (a removed
                                         * directory's negative children may stay: still right) */
        old = d->inode;
        d->inode = NULL;
        if (old)
            stats.negative++;
    } else {
        hash_remove(d);                 /* open elsewhere: keeps its inode until the last dput */
        prune_unused_below(d, &gone);
    }
    spin_unlock(&dcache_lock);
    while (gone) {
        struct dentry *next = gone->hash_next;
        destroy(gone);
        gone = next;
    }
    if (old)
        iput(old);
}

void d_unhash(struct dentry *d)
{
    spin_lock(&dcache_lock);
    hash_remove(d);
    spin_unlock(&dcache_lock);
}

int d_move(struct dentry *d, struct dentry *new_parent, const char *name, size_t len)
{
    char *copy = kmalloc(len + 1), *old_name;
    struct dentry *old_parent;

    if (!copy)
        return -ENOMEM;
    memcpy(copy, name, len);
    copy[len] = '\0';
    spin_lock(&dcache_lock);
    hash_remove(d);
    old_parent = d->parent;
    old_name = d->name;
    d->name = copy;
    d->len = (uint16_t)len;
    d->hash = name_hash(name, len);
    if (new_parent->refs++ == 0)
        lru_remove(new_parent);
    d->parent = new_parent;
    hash_insert(d);
    spin_unlock(&dcache_lock);
    kfree(old_name);
    dput(old_parent);
    return 0;
}

int d_is_below(struct dentry *d, struct dentry *ancestor)
{
    int below = 0;

    spin_lock(&dcache_lock);
    for (;;) {
        if (d == ancestor) {
            below = 1;
            break;
        }
        if (d->parent == d)
            break;
        d = d->parent;
    }
    spin_unlock(&dcache_lock);
    return below;
}

/* ---- umount ---- */

/* Anything below root held or mounted on? An entry unlinked while open is out of its
 * parent's list but still holds the parent: its parent's foreign references show it. */
static int busy_below(struct dentry *root)
{
    for (struct dentry *d = tree_next(root, root); d; d = tree_next(d, root))
        if (d->mounted || foreign_refs(d))
            return 1;
    return 0;
}

int d_tree_detach(struct dentry *root, unsigned extra, struct dentry *mountpoint)
{
    int busy;

    spin_lock(&dcache_lock);
    busy = foreign_refs(root) > extra || busy_below(root);
    if (MUTANT_ENABLED(umount_busy))
        busy = 0;                       /* the mutant: umount under open files */
    if (!busy) {
        if (mountpoint)
            mountpoint->mounted = NULL; /* no walk enters from now on */
        for (struct dentry *d = root; d; d = tree_next(d, root))
            lru_remove(d);              /* nor does the LRU's pruning: d_prune_tree frees them */
    }
    spin_unlock(&dcache_lock);
    return busy ? -EBUSY : 0;
}

/* A leaf of the tree under root (not root), unused, detached; NULL when only root is left. */
static struct dentry *tree_leaf(struct dentry *root)
{
    struct dentry *d = root;

    while (d->children)
        d = d->children;
    if (d == root)
        return NULL;
    detach(d);
    d->refs = 0;
    return d;
}

void d_prune_children(struct dentry *d)
{
    for (;;) {
        struct dentry *c, *victim = NULL;

        spin_lock(&dcache_lock);
        for (c = d->children; c && !victim; c = c->child_next)
            if (c->refs == 0 && !c->children)
                victim = c;
        if (victim) {
            detach(victim);
            d->refs--;                  /* the child's reference on d */
            stats.pruned++;
        }
        spin_unlock(&dcache_lock);
        if (!victim)
            return;
        victim->parent = victim;        /* destroy must not drop d: done above */
        destroy(victim);
    }
}

void d_prune_tree(struct dentry *root)
{
    for (;;) {
        struct dentry *leaf;

        spin_lock(&dcache_lock);
        leaf = tree_leaf(root);
        if (leaf)
            leaf->parent->refs--;       /* the leaf's hold; the parent stays off the LRU */
        spin_unlock(&dcache_lock);
        if (!leaf)
            break;
        leaf->parent = leaf;            /* destroy must not drop the parent: done above */
        destroy(leaf);
    }
    spin_lock(&dcache_lock);
    stats.entries--;
    spin_unlock(&dcache_lock);
    destroy(root);
}

struct dcache_stats dcache_stats(void)
{
    struct dcache_stats s;

    spin_lock(&dcache_lock);
    s = stats;
    spin_unlock(&dcache_lock);
    return s;
}
