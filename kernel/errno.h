/*
 * errno.h - error numbers, with Linux's values (asm-generic/errno-base.h,
 * errno.h), so a later system call returns them to user space unchanged.
 *
 * Rule: kernel functions that can fail report -EXXX (a negative value of
 * this list) or a count >= 0; never a bare -1 where one of these says why.
 */
#pragma once

#define EPERM        1      /* operation not permitted */
#define ENOENT       2      /* no such file or directory */
#define ESRCH        3      /* no such process */
#define EINTR        4      /* interrupted: a signal arrived while waiting */
#define EIO          5      /* input/output error */
#define ENXIO        6      /* no such device or address */
#define E2BIG        7      /* argument list too long */
#define ENOEXEC      8      /* exec format error */
#define EBADF        9      /* bad file descriptor */
#define ECHILD      10      /* no child processes */
#define EAGAIN      11      /* try again: nothing now, and non-blocking */
#define ENOMEM      12      /* out of memory */
#define EACCES      13      /* permission denied */
#define EFAULT      14      /* bad address */
#define EBUSY       16      /* device or resource busy */
#define EEXIST      17      /* file exists */
#define EXDEV       18      /* cross-device link or rename */
#define ENODEV      19      /* no such device */
#define ENOTDIR     20      /* not a directory */
#define EISDIR      21      /* is a directory */
#define EINVAL      22      /* invalid argument */
#define ENFILE      23      /* file table overflow */
#define EMFILE      24      /* too many open files */
#define ENOTTY      25      /* not a terminal: an ioctl the device does not know */
#define EFBIG       27      /* file too large */
#define ENOSPC      28      /* no space left on device */
#define ESPIPE      29      /* illegal seek */
#define EROFS       30      /* read-only file system */
#define EPIPE       32      /* broken pipe */
#define ERANGE      34      /* result out of range */
#define ENAMETOOLONG 36     /* file name too long */
#define ENOSYS      38      /* function not implemented */
#define ENOTEMPTY   39      /* directory not empty */
#define ELOOP       40      /* too many symbolic links in a path walk */
#define EOPNOTSUPP  95      /* operation not supported (clock_nanosleep on a clock without timers) */
#define ETIMEDOUT  110      /* timed out */
