/*
 * sys_mem.c - the Linux personality's memory calls: brk, mmap, munmap,
 * mprotect, madvise, msync (uspace.h does the work; this file checks the
 * arguments as Linux's mm/mmap.c, mm/mprotect.c and mm/madvise.c do and
 * turns flags into the address space's terms). A file mapping reads the
 * mapped range into the page cache in the mmap call (uobj.h says why).
 */
#include <stdint.h>

#include "abi/linux/syscalls.h"
#include "errno.h"
#include "fs/vfs.h"
#include "mm/uspace.h"
#include "proc/fd.h"
#include "proc/proc.h"

#ifndef EOVERFLOW
#define EOVERFLOW       75              /* Linux's; kernel/errno.h lacks it */
#endif
#define PROT_READ       0x1
#define PROT_WRITE      0x2
#define PROT_EXEC       0x4
#define PROT_GROWSDOWN  0x01000000
#define PROT_GROWSUP    0x02000000
#define MAP_SHARED      0x01
#define MAP_PRIVATE     0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE        0x0f
#define MAP_FIXED       0x10
#define MAP_ANONYMOUS   0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4
#define MADV_FREE       8
#define MADV_HUGEPAGE   14
#define MADV_NOHUGEPAGE 15
#define MS_ASYNC        1
#define MS_INVALIDATE   2
#define MS_SYNC         4
#define PAGE            4096ULL
#define PAGE_UP(a)      (((a) + PAGE - 1) & ~(PAGE - 1))

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

/* A mapping at addr: anonymous (f NULL) or of f from byte off. */
static int map_at(struct uspace *us, uint64_t addr, uint64_t len, unsigned prot, struct file *f, uint64_t off)
{
    return f ? uspace_map_file(us, addr, len, prot, f, off) : uspace_map(us, addr, len, prot, USPACE_MMAP);
}

/* The open file fd names, checked for a mapping with these rights: -EBADF, -ENODEV, -EACCES.
 * The table's reference keeps it while the call maps it (uspace_map_file takes its own). */
static int mappable_file(long fd, uint64_t type, unsigned prot, struct file **out)
{
    struct file *f = fd_file(proc_current()->fds, fd);
    unsigned mode;
    int err = 0;

    if (!f)
        return -EBADF;
    mode = f->flags & O_ACCMODE;
    if (!S_ISREG(f->inode->mode))
        err = -ENODEV;                  /* a terminal, a pipe, a directory, a device */
    else if (mode == O_WRONLY || (type != MAP_PRIVATE && (prot & USPACE_W) && mode != O_RDWR))
        err = -EACCES;
    file_put(f);
    *out = err ? NULL : f;
    return err;
}

/* mmap(addr, len, prot, flags, fd, off): anonymous memory or a regular file, private or shared. */
long linux_sys_mmap(const uint64_t a[6])
{
    struct uspace *us = proc_current()->us;
    uint64_t addr = a[0], len = PAGE_UP(a[1]), flags = a[3], type = flags & MAP_TYPE, off = a[5];
    unsigned prot = prot_of(a[2]);
    struct file *f = NULL;
    int err;

    if (!a[1] || !len || (addr & (PAGE - 1)) || (off & (PAGE - 1)))
        return -EINVAL;
    if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS) && (err = mappable_file((long)a[4], type, prot, &f)) != 0)
        return err;
    if (off + len < off)
        return -EOVERFLOW;
    if (type != MAP_PRIVATE)
        prot |= USPACE_SHARED;
    if (flags & MAP_FIXED) {
        uspace_unmap(us, addr, len);    /* MAP_FIXED replaces what was there */
        err = map_at(us, addr, len, prot, f, off);
        return err ? err : (long)addr;
    }
    if (flags & MAP_FIXED_NOREPLACE) {
        err = map_at(us, addr, len, prot, f, off);
        return err ? err : (long)addr;
    }
    if (addr && map_at(us, addr, len, prot, f, off) == 0)
        return (long)addr;              /* the hint was free */
    if (!(addr = uspace_find_free(us, len)))
        return -ENOMEM;
    err = map_at(us, addr, len, prot, f, off);
    return err ? err : (long)addr;
}

long linux_sys_munmap(const uint64_t a[6])
{
    if ((a[0] & (PAGE - 1)) || !a[1])
        return -EINVAL;
    return uspace_unmap(proc_current()->us, a[0], a[1]);
}

/* mprotect(addr, len, prot): -EINVAL for an unaligned address or unknown bits, -ENOMEM over a hole. */
long linux_sys_mprotect(const uint64_t a[6])
{
    if ((a[0] & (PAGE - 1)) || (a[2] & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)))
        return -EINVAL;
    if ((a[2] & PROT_GROWSDOWN) && (a[2] & PROT_GROWSUP))
        return -EINVAL;
    if (!PAGE_UP(a[1]))
        return a[1] ? -ENOMEM : 0;
    return uspace_protect(proc_current()->us, a[0], a[1], prot_of(a[2]));
}

/*
 * madvise(addr, len, advice): MADV_DONTNEED (and MADV_FREE, which Linux
 * may treat the same way) drops the pages; the hints are accepted.
 */
long linux_sys_madvise(const uint64_t a[6])
{
    struct uspace *us = proc_current()->us;

    if (a[0] & (PAGE - 1))
        return -EINVAL;
    switch (a[2]) {
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
    case MADV_DONTNEED: case MADV_FREE: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
        break;
    default:
        return -EINVAL;
    }
    if (!PAGE_UP(a[1]))
        return a[1] ? -EINVAL : 0;
    if (a[2] == MADV_DONTNEED || a[2] == MADV_FREE)
        return uspace_discard(us, a[0], a[1]);
    return uspace_mapped(us, a[0], a[1]);
}

/* msync(addr, len, flags): the shared file pages of the range written back (MS_SYNC waits). */
long linux_sys_msync(const uint64_t a[6])
{
    if ((a[0] & (PAGE - 1)) || (a[2] & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
        ((a[2] & MS_ASYNC) && (a[2] & MS_SYNC)))
        return -EINVAL;
    if (!PAGE_UP(a[1]))
        return a[1] ? -ENOMEM : 0;
    return uspace_sync(proc_current()->us, a[0], a[1], (a[2] & MS_SYNC) != 0);
}
