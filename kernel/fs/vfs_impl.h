/*
 * vfs_impl.h - what the files of the VFS share among themselves (inode.c,
 * dcache.c, namei.c, mount.c, file.c, vfs_ops.c, perm.c, writeback.c) and
 * the few hooks its ktests use. File systems include vfs.h only.
 *
 * Lock order (outermost first; docs/files.md, "Locking"):
 *   rename_lock (vfs_ops.c) > mount_lock (mount.c) > a directory's inode
 *   lock > its children's inode locks (parent before child; two directories
 *   of one rename: lower address first) > the page cache's lock >
 *   dcache_lock > a super_block's icache_lock.
 * The spinlocks (page cache, dcache, icache) are never held across a call
 * that may sleep: a file system's operation, I/O, a mutex, kmalloc.
 */
#pragma once

#include "errno.h"
#include "fs/vfs.h"

/* inode.state */
#define I_NEW       1u              /* read_inode is running: its lock is held */
#define I_BAD       2u              /* read_inode failed: nothing of the file system's is called */

/* dentry.flags */
#define DCACHE_UNHASHED 1u          /* out of the hash and its parent's children */

/* ---- dcache.c (caller holds the parent directory's inode lock to add or change names) ---- */
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* d's parent, referenced (d_move may be changing it: read under the lock). */
struct dentry *dget_parent(struct dentry *d);
/* A cached child of parent named name (positive or negative), referenced; NULL if none. */
struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len);
/* A new child entry, negative, referenced; NULL: no memory. */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
/* The root entry of a file system (its parent is itself), holding inode's reference. */
struct dentry *d_alloc_root(struct inode *inode);
/* Make a negative entry positive: it takes the caller's reference of inode. */
void d_instantiate(struct dentry *d, struct inode *inode);
/* The name is gone (unlink, rmdir): negative if nobody else holds it, else unhashed. */
void d_delete(struct dentry *d);
/* Free d's children that nobody holds (negative entries of a directory just removed: their
 * references on d would keep its inode, and so its blocks, until memory ran short). */
void d_prune_children(struct dentry *d);
/* Out of the hash for good (a rename's victim). */
void d_unhash(struct dentry *d);
/* Rename: d now sits in new_parent under name. 0 or -ENOMEM. */
int d_move(struct dentry *d, struct dentry *new_parent, const char *name, size_t len);
/* Whether d lies at or below ancestor (within one file system). */
int d_is_below(struct dentry *d, struct dentry *ancestor);
/* Umount: every entry below root must be unused (extra: references the mount and the
 * caller hold on root itself): then, at once, the mount leaves mountpoint; else -EBUSY. */
int d_tree_detach(struct dentry *root, unsigned extra, struct dentry *mountpoint);
/* Free every unused entry of the tree under root (umount), root's reference dropped last. */
void d_prune_tree(struct dentry *root);
struct dcache_stats {
    uint64_t entries, negative, hits, negative_hits, misses, pruned;
};
struct dcache_stats dcache_stats(void);
extern struct spinlock dcache_lock;

/* ---- inode.c ---- */
/* Write every dirty page and dirty inode of sb (the flusher, sync, umount). */
int vfs_writeback_sb(struct super_block *sb);
/* Inodes still in sb's table (umount's check that nothing leaked). */
unsigned vfs_inodes_in_use(struct super_block *sb);
void vfs_free_super(struct super_block *sb);

/* ---- perm.c ---- */
#define MAY_EXEC    1
#define MAY_WRITE   2
#define MAY_READ    4
/* 0, or -EACCES when the current credentials lack mask on inode. */
int vfs_permission(struct inode *inode, int mask);
/* The sticky-directory rule of unlink, rmdir and rename: 0 or -EPERM. */
int vfs_may_delete(struct inode *dir, struct inode *victim);
/* Tests only, until processes carry credentials: act as cred (NULL: root again). */
void vfs_set_cred(const struct vfs_cred *cred);

/* ---- namei.c ---- */
#define WALK_FOLLOW     1u          /* follow a symbolic link in the last component */
#define WALK_DIRECTORY  2u          /* the result must be a directory */
#define WALK_PARENT     4u          /* stop before the last component (struct walk's last) */

#define LAST_NORM   0
#define LAST_DOT    1
#define LAST_DOTDOT 2
#define LAST_ROOT   3               /* the path had no component: "/" */

struct walk {
    struct vfs_path path;           /* the result (or, with WALK_PARENT, the directory), referenced */
    const char *last;               /* WALK_PARENT: the last name (in the caller's string) */
    size_t last_len;
    int last_type;                  /* LAST_* */
    int trailing_slash;             /* the path ended in '/' */
};
/* Walk path from at (NULL: the root; absolute paths from the root). A negative last entry
 * is -ENOENT. The caller ends with walk_done. */
int vfs_walk(const struct vfs_path *at, const char *path, unsigned flags, struct walk *w);
void walk_done(struct walk *w);
/* The child name of the directory dir, from the cache or the file system: positive or
 * negative, referenced. Caller holds dir's inode lock. */
int lookup_locked(struct dentry *dir, const char *name, size_t len, struct dentry **out);
/* Mounts: the top mount over p, and ".." across a mount's root. */
void path_cross_down(struct vfs_path *p);
void vfs_path_get(struct vfs_path *dst, const struct vfs_path *src);
void vfs_path_put(struct vfs_path *p);

/* ---- mount.c ---- */
/* The root: the top mount's root directory, referenced. */
void vfs_root(struct vfs_path *out);
extern struct mutex mount_lock;

/* ---- file.c / vfs_ops.c ---- */
/* Open the inode at path p (the caller keeps its reference); `created`: this open made it,
 * so its mode bits are not checked. */
int vfs_open_path(const struct vfs_path *p, unsigned flags, int created, struct file **out);
/* Truncate inode to size; caller holds its lock. */
int vfs_truncate_locked(struct inode *inode, uint64_t size);
/* Whether the directory inode has names besides "." and "..": 1, 0, or -errno. */
int vfs_dir_has_entries(struct inode *dir);
void vfs_fill_stat(struct inode *inode, struct vfs_stat *st);

/* ---- tmpfs.c ---- */
void tmpfs_register(void);

/* ---- pagecache.c: tests ---- */
/* Pages of disk files the cache keeps before dropping clean ones (0: the default). */
void pagecache_set_limit(uint64_t pages);
/* The limit now (pages). */
uint64_t pagecache_limit(void);
/* The flusher's period (0: the default, 5 s). */
void pagecache_set_flush_interval(uint64_t ns);

/* ---- vfs.c ---- */
/* The registered type called name, or NULL. Caller holds mount_lock. */
struct fs_type *vfs_find_fs(const char *name);
