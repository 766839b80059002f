/*
 * uaccess.h - copies between the kernel and the calling process's memory,
 * for system calls. A user pointer is a number (uint64_t), never
 * dereferenced by C: these check that the range lies in the lower half
 * and copy through usercopy.asm (proc_arch.h), whose faults come back as
 * -EFAULT. A page of the process's demand-zero memory is mapped on the
 * way (the page-fault hook runs first).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/proc_arch.h"
#include "errno.h"

/* 1 when [uaddr, uaddr + n) lies below ARCH_USER_TOP without wrapping. */
static inline int user_range_ok(uint64_t uaddr, uint64_t n)
{
    return uaddr <= ARCH_USER_TOP && n <= ARCH_USER_TOP - uaddr;
}

/* 0, or -EFAULT (some bytes may have been copied). */
static inline int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
    if (!user_range_ok(usrc, n))
        return -EFAULT;
    return arch_copy_user(dst, (const void *)(uintptr_t)usrc, n) ? -EFAULT : 0;
}

static inline int copy_to_user(uint64_t udst, const void *src, size_t n)
{
    if (!user_range_ok(udst, n))
        return -EFAULT;
    return arch_copy_user((void *)(uintptr_t)udst, src, n) ? -EFAULT : 0;
}

/* Compare-and-swap of an aligned user word: 0 with the value found in *found, -EFAULT. */
static inline int cmpxchg_user32(uint64_t uaddr, uint32_t expected, uint32_t desired, uint32_t *found)
{
    if ((uaddr & 3) || !user_range_ok(uaddr, 4))
        return -EFAULT;
    return arch_cmpxchg_user32((uint32_t *)(uintptr_t)uaddr, expected, desired, found) ? -EFAULT : 0;
}

/* Up to n bytes to user memory: how many went before a fault (n: all; 0 outside the lower half).
 * A fault comes at a page the process may not write, so what went is exact to the byte, as
 * Linux's copy_to_user says. */
static inline size_t copy_to_user_upto(uint64_t udst, const void *src, size_t n)
{
    if (!user_range_ok(udst, n))
        return 0;
    return n - arch_copy_user((void *)(uintptr_t)udst, src, n);
}

/* A NUL-terminated string into dst[size]: its length, -ENAMETOOLONG when it does not fit, -EFAULT. */
static inline long strncpy_from_user(char *dst, uint64_t usrc, size_t size)
{
    size_t room = size;
    long n;

    if (!size || usrc >= ARCH_USER_TOP)
        return -EFAULT;
    if (room > ARCH_USER_TOP - usrc)
        room = ARCH_USER_TOP - usrc;    /* the string may not run past the lower half */
    n = arch_strncpy_user(dst, (const char *)(uintptr_t)usrc, room);
    if (n < 0 || ((size_t)n == room && room < size))
        return -EFAULT;
    return (size_t)n == room ? -ENAMETOOLONG : n;
}
