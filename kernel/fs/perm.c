/*
 * perm.c - who may do what to a file: the owner, group and other bits of
 * its mode checked against the caller's credentials (POSIX.1-2017, XBD 4.5
 * "File Access Permissions"), and the sticky-directory rule of deletion.
 *
 * The credentials are the calling process's effective ids (its source is
 * set by kernel/proc/cred.c); a kernel thread's are root's, or those
 * vfs_set_cred gives (a ktest acting as another user). Root passes every check but execute, which needs
 * an x bit somewhere on a non-directory, as on Linux.
 */
#include "fs/vfs_impl.h"

static const struct vfs_cred root_cred = { 0, 0 };
static const struct vfs_cred *current_cred = &root_cred;

static const struct vfs_cred *(*cred_source)(void);

const struct vfs_cred *vfs_current_cred(void)
{
    const struct vfs_cred *c = cred_source ? cred_source() : NULL;

    return c ? c : current_cred;
}

void vfs_set_cred_source(const struct vfs_cred *(*source)(void))
{
    cred_source = source;
}

void vfs_set_cred(const struct vfs_cred *cred)
{
    current_cred = cred ? cred : &root_cred;
}

int vfs_permission(struct inode *inode, int mask)
{
    const struct vfs_cred *c = vfs_current_cred();
    uint32_t mode = inode->mode, bits;

    if (c->uid == 0) {
        if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
            return 0;
        return -EACCES;
    }
    if (c->uid == inode->uid)
        bits = mode >> 6;
    else if (c->gid == inode->gid)
        bits = mode >> 3;
    else
        bits = mode;
    return ((unsigned)mask & ~bits & 7u) ? -EACCES : 0;
}

int vfs_may_delete(struct inode *dir, struct inode *victim)
{
    const struct vfs_cred *c = vfs_current_cred();

    if (!(dir->mode & S_ISVTX) || c->uid == 0 || c->uid == dir->uid || c->uid == victim->uid)
        return 0;
    return -EPERM;
}
