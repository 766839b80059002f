/*
 * strace.h - tracing one process's system calls on the log (strace.c):
 * `strace=PID` on the command line, or the monitor's `strace PID`, makes
 * every call of process PID (each of its threads) print one line after it
 * returns, with the call's name from syscall_list.h (Linux's name for a
 * call the list lacks), its arguments and its result:
 *     [strace] pid 1: write(1, 0x4a3010, 18) = 18
 *     [strace] pid 1: open(0x4a1000, 0, 0) = -2 ENOENT
 *     [strace] pid 1: exit_group(0) = ?
 * (a call that does not return, exit and exit_group, is printed before
 * it runs). The dispatcher tests one word per call, strace_pid, so a
 * kernel that traces nothing pays one compare (dispatch.c).
 */
#pragma once

#include <stdint.h>

/* The process traced, 0 for none. Read by every system call; set by strace_set. */
extern volatile int strace_pid;

/* Read strace=PID from the command line (kmain, before the first process). */
void strace_init(void);
/* Trace process pid from its next call on (0: stop tracing). */
void strace_set(int pid);
/* A traced process's call: run it (linux_dispatch) and print it. */
long strace_call(uint64_t nr, const uint64_t args[6]);
