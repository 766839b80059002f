/*
 * sys_cred.c - the Linux personality's credential calls: the getters and
 * setters of user and group ids (kernel/proc/cred.c keeps the rules) and
 * the supplementary groups. uid_t and gid_t are 32 bits; -1 means
 * "unchanged" where Linux says so.
 */
#include <stdint.h>

#include "abi/linux/syscalls.h"
#include "errno.h"
#include "proc/cred.h"
#include "proc/proc.h"
#include "proc/uaccess.h"

static const struct cred *me(void)
{
    return &proc_current()->cred;
}

long linux_sys_getuid(const uint64_t a[6])
{
    (void)a;
    return me()->uid;
}

long linux_sys_geteuid(const uint64_t a[6])
{
    (void)a;
    return me()->euid;
}

long linux_sys_getgid(const uint64_t a[6])
{
    (void)a;
    return me()->gid;
}

long linux_sys_getegid(const uint64_t a[6])
{
    (void)a;
    return me()->egid;
}

long linux_sys_setuid(const uint64_t a[6])
{
    return cred_setuid((uint32_t)a[0]);
}

long linux_sys_setgid(const uint64_t a[6])
{
    return cred_setgid((uint32_t)a[0]);
}

long linux_sys_setreuid(const uint64_t a[6])
{
    return cred_setreuid((uint32_t)a[0], (uint32_t)a[1]);
}

long linux_sys_setregid(const uint64_t a[6])
{
    return cred_setregid((uint32_t)a[0], (uint32_t)a[1]);
}

long linux_sys_setresuid(const uint64_t a[6])
{
    return cred_setresuid((uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

long linux_sys_setresgid(const uint64_t a[6])
{
    return cred_setresgid((uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

/* getresuid / getresgid: three 32-bit ids to three user addresses. */
static long put_three(const uint64_t a[6], uint32_t x, uint32_t y, uint32_t z)
{
    if (copy_to_user(a[0], &x, 4) || copy_to_user(a[1], &y, 4) || copy_to_user(a[2], &z, 4))
        return -EFAULT;
    return 0;
}

long linux_sys_getresuid(const uint64_t a[6])
{
    return put_three(a, me()->uid, me()->euid, me()->suid);
}

long linux_sys_getresgid(const uint64_t a[6])
{
    return put_three(a, me()->gid, me()->egid, me()->sgid);
}

/* getgroups(size, list): size 0 asks how many; a smaller size is -EINVAL. */
long linux_sys_getgroups(const uint64_t a[6])
{
    const struct cred *c = me();

    if (a[0] == 0)
        return c->ngroups;
    if ((int)a[0] < 0 || a[0] < c->ngroups)
        return -EINVAL;
    return copy_to_user(a[1], c->groups, c->ngroups * sizeof c->groups[0]) ? -EFAULT : (long)c->ngroups;
}

long linux_sys_setgroups(const uint64_t a[6])
{
    uint32_t groups[CRED_GROUPS_MAX];

    if (a[0] > CRED_GROUPS_MAX)
        return -EINVAL;
    if (copy_from_user(groups, a[1], a[0] * sizeof groups[0]))
        return -EFAULT;
    return cred_setgroups((unsigned)a[0], groups);
}
