/*
 * syscalls.h - the Linux personality's handlers, declared from the one
 * list (syscall_list.h), and what they share: the argument type and the
 * calling process.
 *
 * Every handler takes the six argument registers as they came (a user
 * pointer is a number: uaccess.h copies through it) and returns the
 * result or a negative errno, Linux's values (kernel/errno.h).
 */
#pragma once

#include <stdint.h>

#include "abi/linux/syscall_list.h"

typedef long linux_syscall_fn(const uint64_t a[6]);

#define LINUX_DECLARE(nr, name, nargs, fn, status, note) long fn(const uint64_t a[6]);
LINUX_SYSCALLS(LINUX_DECLARE)
#undef LINUX_DECLARE

/* The name of system call nr ("write"), or NULL when the list has none. */
const char *linux_syscall_name(uint64_t nr);
/* Its argument count in the list (6 for a call the list lacks). */
int linux_syscall_nargs(uint64_t nr);
/* Linux's name of call nr, implemented or not (<asm/unistd_64.h>), or NULL. */
const char *linux_any_syscall_name(uint64_t nr);
/* Run call nr: its handler, or -ENOSYS with the log line (dispatch.c). */
long linux_dispatch(uint64_t nr, const uint64_t args[6]);
