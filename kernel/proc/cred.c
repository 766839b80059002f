/*
 * cred.c - a process's credentials: real, effective and saved user and
 * group ids and the supplementary groups, changed by the rules of
 * POSIX and Linux's setuid(2) family (see cred.h). The effective ids are
 * who the VFS checks file access for (vfs_current_cred, through
 * proc_vfs_cred). Privileged means effective uid 0 (Linux: CAP_SETUID,
 * CAP_SETGID, which root has).
 */
#include <stdint.h>

#include "errno.h"
#include "fs/vfs.h"
#include "proc/cred.h"
#include "proc/proc.h"

#define KEEP    ((uint32_t)-1)          /* "leave this id as it is" */

static int privileged(const struct cred *c)
{
    return c->euid == 0;
}

/* 1 when id is one of the three the caller has. */
static int one_of(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
    return id == a || id == b || id == c;
}

static void sync_vfs(struct proc *p)
{
    p->vfs_cred.uid = p->cred.euid;
    p->vfs_cred.gid = p->cred.egid;
}

/* setresuid and setresgid share their rule: each new id one the caller has, unless privileged. */
static long set_res(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t nr, uint32_t ne, uint32_t ns, int priv)
{
    if (!priv && ((nr != KEEP && !one_of(nr, *r, *e, *s)) || (ne != KEEP && !one_of(ne, *r, *e, *s)) ||
                  (ns != KEEP && !one_of(ns, *r, *e, *s))))
        return -EPERM;
    if (nr != KEEP)
        *r = nr;
    if (ne != KEEP)
        *e = ne;
    if (ns != KEEP)
        *s = ns;
    return 0;
}

long cred_setresuid(uint32_t r, uint32_t e, uint32_t s)
{
    struct proc *p = proc_current();
    struct cred *c = &p->cred;
    long err = set_res(&c->uid, &c->euid, &c->suid, r, e, s, privileged(c));

    sync_vfs(p);
    return err;
}

long cred_setresgid(uint32_t r, uint32_t e, uint32_t s)
{
    struct proc *p = proc_current();
    struct cred *c = &p->cred;
    long err = set_res(&c->gid, &c->egid, &c->sgid, r, e, s, privileged(c));

    sync_vfs(p);
    return err;
}

/* setuid: privileged, all three; else the effective one, to the real or saved id. */
long cred_setuid(uint32_t uid)
{
    const struct cred *c = &proc_current()->cred;

    if (privileged(c))
        return cred_setresuid(uid, uid, uid);
    return uid == c->uid || uid == c->suid ? cred_setresuid(KEEP, uid, KEEP) : -EPERM;
}

long cred_setgid(uint32_t gid)
{
    const struct cred *c = &proc_current()->cred;

    if (privileged(c))
        return cred_setresgid(gid, gid, gid);
    return gid == c->gid || gid == c->sgid ? cred_setresgid(KEEP, gid, KEEP) : -EPERM;
}

/* setreuid and setregid share their rule: the real id may become the real or effective one, the
 * effective any of the three; the saved id follows the new effective one when the real one is set
 * or the effective one leaves the real (Linux's rule). */
static long set_re(uint32_t *cr, uint32_t *ce, uint32_t *cs, uint32_t r, uint32_t e, int priv)
{
    uint32_t ne = e != KEEP ? e : *ce, ns = KEEP;

    if (!priv && ((r != KEEP && r != *cr && r != *ce) || (e != KEEP && !one_of(e, *cr, *ce, *cs))))
        return -EPERM;
    if (r != KEEP || (e != KEEP && e != *cr))
        ns = ne;
    return set_res(cr, ce, cs, r, e, ns, priv) ? -EPERM : 0;
}

long cred_setreuid(uint32_t r, uint32_t e)
{
    struct proc *p = proc_current();
    struct cred *c = &p->cred;
    long err = set_re(&c->uid, &c->euid, &c->suid, r, e, privileged(c));

    sync_vfs(p);
    return err;
}

long cred_setregid(uint32_t r, uint32_t e)
{
    struct proc *p = proc_current();
    struct cred *c = &p->cred;
    long err = set_re(&c->gid, &c->egid, &c->sgid, r, e, privileged(c));

    sync_vfs(p);
    return err;
}

long cred_setgroups(unsigned n, const uint32_t *groups)
{
    struct cred *c = &proc_current()->cred;

    if (!privileged(c))
        return -EPERM;
    if (n > CRED_GROUPS_MAX)
        return -EINVAL;
    for (unsigned i = 0; i < n; i++)
        c->groups[i] = groups[i];
    c->ngroups = n;
    return 0;
}

static const struct vfs_cred *proc_vfs_cred(void)
{
    struct proc *p = proc_current();

    return p ? &p->vfs_cred : NULL;
}

void cred_init(void)
{
    vfs_set_cred_source(proc_vfs_cred);
}
