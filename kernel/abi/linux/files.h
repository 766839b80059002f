/*
 * files.h - what the Linux personality's file calls share (sys_file.c:
 * descriptors and bytes; sys_fs.c: names, the *at calls, the tree;
 * sys_poll.c: poll and select).
 */
#pragma once

#include <stdint.h>

#include "fs/vfs.h"

#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR        0x200
#define AT_EACCESS          0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000

/* The calling process's file at fd, referenced (file_put it), or NULL: -EBADF. */
struct file *linux_fd_file(long fd);
/* Install f (the caller's reference moves in) at the lowest free descriptor;
 * O_CLOEXEC in oflags marks it FD_CLOEXEC. The descriptor, or -EMFILE (f put). */
int linux_fd_install(struct file *f, unsigned oflags);
/* A stream (a pipe, a terminal): no position, reads return what is there. */
int linux_file_is_stream(const struct file *f);
