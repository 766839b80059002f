/*
 * cred.h - a process's credentials (cred.c): Linux's real, effective and
 * saved user and group ids and supplementary groups, and the calls that
 * change those of the calling process. Ids of -1 mean "unchanged" where
 * Linux's calls say so. 0 or -EPERM / -EINVAL.
 */
#pragma once

#include <stdint.h>

#define CRED_GROUPS_MAX     32

struct cred {
    uint32_t uid, euid, suid;
    uint32_t gid, egid, sgid;
    unsigned ngroups;
    uint32_t groups[CRED_GROUPS_MAX];
};

long cred_setuid(uint32_t uid);
long cred_setgid(uint32_t gid);
long cred_setreuid(uint32_t r, uint32_t e);
long cred_setregid(uint32_t r, uint32_t e);
long cred_setresuid(uint32_t r, uint32_t e, uint32_t s);
long cred_setresgid(uint32_t r, uint32_t e, uint32_t s);
long cred_setgroups(unsigned n, const uint32_t *groups);

/* Make the VFS check file access against the calling process's effective ids (proc_init). */
void cred_init(void);
