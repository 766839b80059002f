/*
 * inode.c - the inodes in memory: one struct inode per file in use, found
 * by (super_block, ino) in the super_block's table.
 *
 * Life of an inode: iget finds it, or makes it and has the file system read
 * it (read_inode, with the inode's lock held and state I_NEW so a second
 * iget of the same number waits on that lock instead of reading it twice);
 * ipin and iput count references (a positive dentry holds one, an open file
 * one). The last iput either evicts it (nlink 0: the file system frees its
 * blocks) or writes it back (dirty pages, then the inode) and drops it.
 *
 * Locking: sb->icache_lock (a spinlock) guards the table, refs and state.
 * iput writes back with a reference still held, so the inode stays in the
 * table and an iget meanwhile finds this same inode, never a stale copy
 * read from the disk.
 */
#include <string.h>

#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "printk.h"

#define ICACHE_SIZE     256u

static unsigned ibucket(const struct super_block *sb, uint64_t ino)
{
    return (unsigned)((ino ^ (ino >> 12)) % sb->icache_size);
}

struct super_block *vfs_new_super(const struct fs_type *type, struct block_device *dev)
{
    static uint32_t anon_minor;
    struct super_block *sb = kcalloc(1, sizeof(*sb));

    if (!sb)
        return NULL;
    sb->icache = kcalloc(ICACHE_SIZE, sizeof(*sb->icache));
    if (!sb->icache) {
        kfree(sb);
        return NULL;
    }
    sb->icache_size = ICACHE_SIZE;
    spin_init(&sb->icache_lock, "icache");
    sb->type = type;
    sb->dev = dev;
    sb->block_size = 4096;
    sb->dev_id = VFS_DEV(0, __atomic_add_fetch(&anon_minor, 1, __ATOMIC_RELAXED));
    return sb;
}

void vfs_free_super(struct super_block *sb)
{
    kfree(sb->icache);
    kfree(sb);
}

struct inode *vfs_new_inode(struct super_block *sb, uint64_t ino)
{
    struct inode *inode = kcalloc(1, sizeof(*inode));

    if (!inode)
        return NULL;
    inode->ino = ino;
    inode->sb = sb;
    inode->refs = 1;
    mutex_init(&inode->lock, "inode");
    pagecache_inode_init(inode);
    return inode;
}

/* Caller holds sb->icache_lock. */
static struct inode *ifind(struct super_block *sb, uint64_t ino)
{
    for (struct inode *i = sb->icache[ibucket(sb, ino)]; i; i = i->hash_next)
        if (i->ino == ino)
            return i;
    return NULL;
}

static void ihash_locked(struct inode *inode)
{
    struct super_block *sb = inode->sb;
    unsigned b = ibucket(sb, inode->ino);

    inode->hash_next = sb->icache[b];
    sb->icache[b] = inode;
    sb->inodes++;
}

static void iunhash_locked(struct inode *inode)
{
    struct super_block *sb = inode->sb;

    for (struct inode **pp = &sb->icache[ibucket(sb, inode->ino)]; *pp; pp = &(*pp)->hash_next)
        if (*pp == inode) {
            *pp = inode->hash_next;
            sb->inodes--;
            return;
        }
}

void vfs_inode_hash(struct inode *inode)
{
    spin_lock(&inode->sb->icache_lock);
    ihash_locked(inode);
    spin_unlock(&inode->sb->icache_lock);
}

/* A found inode: wait until its read is over; 0, or -EIO when it failed. */
static int wait_read(struct inode *inode)
{
    unsigned state;

    spin_lock(&inode->sb->icache_lock);
    state = inode->state;
    spin_unlock(&inode->sb->icache_lock);
    if (state & I_NEW) {
        mutex_lock(&inode->lock);       /* held by the reader until read_inode returns */
        mutex_unlock(&inode->lock);
        spin_lock(&inode->sb->icache_lock);
        state = inode->state;
        spin_unlock(&inode->sb->icache_lock);
    }
    if (state & I_BAD) {
        iput(inode);
        return -EIO;
    }
    return 0;
}

/* Read a new inode in: 0, or -errno with the inode marked bad and out of the table. */
static int read_new(struct inode *inode)
{
    struct super_block *sb = inode->sb;
    int err = sb->ops->read_inode ? sb->ops->read_inode(inode) : -EIO;

    spin_lock(&sb->icache_lock);
    inode->state &= ~I_NEW;
    if (err) {
        inode->state |= I_BAD;
        iunhash_locked(inode);
    }
    spin_unlock(&sb->icache_lock);
    mutex_unlock(&inode->lock);
    return err;
}

int iget(struct super_block *sb, uint64_t ino, struct inode **out)
{
    struct inode *inode, *fresh = NULL;
    int err;

    for (;;) {
        spin_lock(&sb->icache_lock);
        inode = ifind(sb, ino);
        if (inode) {
            inode->refs++;
            spin_unlock(&sb->icache_lock);
            if (fresh) {
                mutex_unlock(&fresh->lock);
                kfree(fresh);
            }
            err = wait_read(inode);
            *out = err ? NULL : inode;
            return err;
        }
        if (fresh) {
            fresh->state = I_NEW;
            ihash_locked(fresh);
            spin_unlock(&sb->icache_lock);
            break;
        }
        spin_unlock(&sb->icache_lock);
        fresh = vfs_new_inode(sb, ino);
        if (!fresh)
            return -ENOMEM;
        mutex_lock(&fresh->lock);
    }
    err = read_new(fresh);
    if (err) {
        printk(LOG_WARN, "[vfs] %s: inode %llu unreadable (%d)\n", sb->type->name,
               (unsigned long long)ino, err);
        iput(fresh);
        *out = NULL;
        return err;
    }
    *out = fresh;
    return 0;
}

void ipin(struct inode *inode)
{
    spin_lock(&inode->sb->icache_lock);
    inode->refs++;
    spin_unlock(&inode->sb->icache_lock);
}

void vfs_mark_dirty(struct inode *inode)
{
    spin_lock(&inode->sb->icache_lock);
    inode->dirty = 1;
    spin_unlock(&inode->sb->icache_lock);
}

int vfs_fsync_inode(struct inode *inode)
{
    int err = pagecache_sync_inode(inode), dirty;

    spin_lock(&inode->sb->icache_lock);
    dirty = inode->dirty;
    inode->dirty = 0;
    spin_unlock(&inode->sb->icache_lock);
    if (dirty && inode->sb->ops->write_inode) {
        int e = inode->sb->ops->write_inode(inode);
        if (e) {
            vfs_mark_dirty(inode);      /* not lost: the next sync tries again */
            if (!err)
                err = e;
        }
    }
    return err;
}

/* The last reference went and nlink is 0 (or the inode is bad): free it. */
static void evict(struct inode *inode)
{
    pagecache_evict_inode(inode);
    if (!(inode->state & I_BAD) && inode->nlink == 0 && inode->sb->ops->evict_inode)
        inode->sb->ops->evict_inode(inode);
    kfree(inode);
}

void iput(struct inode *inode)
{
    struct super_block *sb = inode->sb;
    int last;

    spin_lock(&sb->icache_lock);
    last = inode->refs == 1;
    if (!last || inode->state & I_BAD) {
        last = --inode->refs == 0;
        spin_unlock(&sb->icache_lock);
        if (last)
            evict(inode);
        return;
    }
    spin_unlock(&sb->icache_lock);
    if (inode->nlink)                   /* still referenced: the table keeps finding this copy */
        vfs_fsync_inode(inode);
    spin_lock(&sb->icache_lock);
    last = --inode->refs == 0;
    if (last)
        iunhash_locked(inode);
    spin_unlock(&sb->icache_lock);
    if (last)
        evict(inode);
}

/* The inodes of sb with dirty pages or fields, pinned, into pins[]: how many (at most max),
 * starting at bucket *b (advanced). */
static unsigned collect_dirty(struct super_block *sb, unsigned *b, struct inode **pins, unsigned max)
{
    unsigned n = 0;

    spin_lock(&sb->icache_lock);
    for (; *b < sb->icache_size && n < max; ++*b) {
        unsigned fit = 0;
        for (struct inode *i = sb->icache[*b]; i; i = i->hash_next)
            fit++;
        if (n + fit > max && n)
            break;
        for (struct inode *i = sb->icache[*b]; i && n < max; i = i->hash_next)
            if (!(i->state & (I_NEW | I_BAD)) && (i->dirty || i->cache.dirty)) {
                i->refs++;
                pins[n++] = i;
            }
    }
    spin_unlock(&sb->icache_lock);
    return n;
}

int vfs_writeback_sb(struct super_block *sb)
{
    struct inode *pins[32];
    unsigned b = 0, n;
    int err = 0;

    if (sb->flags & MS_RDONLY)
        return 0;
    while (b < sb->icache_size) {
        n = collect_dirty(sb, &b, pins, 32);
        for (unsigned i = 0; i < n; i++) {
            int e = vfs_fsync_inode(pins[i]);
            if (e && !err)
                err = e;
            iput(pins[i]);
        }
    }
    return err;
}

unsigned vfs_inodes_in_use(struct super_block *sb)
{
    unsigned n;

    spin_lock(&sb->icache_lock);
    n = sb->inodes;
    spin_unlock(&sb->icache_lock);
    return n;
}
