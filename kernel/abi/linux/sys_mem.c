/*
 * sys_mem.c - the Linux personality's memory calls: brk, mmap and munmap
 * of anonymous private memory (uspace.h does the work), mprotect as a
 * no-op for now (glibc's RELRO and musl's guard pages call it; 0 is what
 * linux-subset.md found enough).
 */
#include <stdint.h>

#include "abi/linux/syscalls.h"
#include "errno.h"
#include "mm/uspace.h"
#include "proc/proc.h"

#define PROT_READ       0x1
#define PROT_WRITE      0x2
#define PROT_EXEC       0x4
#define MAP_SHARED      0x01
#define MAP_PRIVATE     0x02
#define MAP_TYPE        0x0f
#define MAP_FIXED       0x10
#define MAP_ANONYMOUS   0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define PAGE            4096ULL

long linux_sys_brk(const uint64_t a[6])
{
    struct uspace *us = proc_current()->us;

    return (long)(a[0] ? uspace_brk(us, a[0]) : us->brk);
}

static unsigned prot_of(uint64_t prot)
{
    return (prot & PROT_READ ? USPACE_R : 0) | (prot & PROT_WRITE ? USPACE_W : 0) |
           (prot & PROT_EXEC ? USPACE_X : 0);
}

/* mmap(addr, len, prot, flags, fd, off): anonymous private only. */
long linux_sys_mmap(const uint64_t a[6])
{
    struct uspace *us = proc_current()->us;
    uint64_t addr = a[0], len = (a[1] + PAGE - 1) & ~(PAGE - 1), flags = a[3];
    int err;

    if (!a[1] || !len || (addr & (PAGE - 1)) || (a[5] & (PAGE - 1)))
        return -EINVAL;
    if ((flags & MAP_TYPE) != MAP_PRIVATE && (flags & MAP_TYPE) != MAP_SHARED)
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS) || (flags & MAP_TYPE) != MAP_PRIVATE)
        return -ENODEV;                 /* files and shared memory: not yet */
    if (flags & MAP_FIXED) {
        uspace_unmap(us, addr, len);    /* MAP_FIXED replaces what was there */
        err = uspace_map(us, addr, len, prot_of(a[2]), USPACE_MMAP);
        return err ? err : (long)addr;
    }
    if (flags & MAP_FIXED_NOREPLACE) {
        err = uspace_map(us, addr, len, prot_of(a[2]), USPACE_MMAP);
        return err ? err : (long)addr;
    }
    if (addr && uspace_map(us, addr, len, prot_of(a[2]), USPACE_MMAP) == 0)
        return (long)addr;              /* the hint was free */
    if (!(addr = uspace_find_free(us, len)))
        return -ENOMEM;
    err = uspace_map(us, addr, len, prot_of(a[2]), USPACE_MMAP);
    return err ? err : (long)addr;
}

long linux_sys_munmap(const uint64_t a[6])
{
    if ((a[0] & (PAGE - 1)) || !a[1])
        return -EINVAL;
    return uspace_unmap(proc_current()->us, a[0], a[1]);
}

long linux_sys_mprotect(const uint64_t a[6])
{
    if (a[0] & (PAGE - 1))
        return -EINVAL;
    return 0;
}
