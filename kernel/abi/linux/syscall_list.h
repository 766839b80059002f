/*
 * syscall_list.h - the Linux personality's system calls, declared once
 * (x86_64 numbers, arch/x86/entry/syscalls/syscall_64.tbl). Everything
 * else is expanded from this list: the dispatch table (dispatch.c), the
 * handlers' prototypes (syscalls.h), the names the ENOSYS line and a
 * tracer print, and docs/syscalls.md's table (tests/docs/gen-syscalls.c
 * prints it; the case docs/syscalls checks the page matches).
 *
 *   X(number, name, arguments, handler, status, note)
 *
 * status: "works" (Linux's behaviour for what it supports), "no-op"
 * (accepted and answered, the effect not implemented yet; the note says
 * what). A call not in the list returns -ENOSYS with one rate-limited log
 * line naming it and the process.
 */
#pragma once

#define LINUX_SYSCALLS(X) \
    X(0,   read,            3, linux_sys_read,            "works", "a VFS file or the terminal") \
    X(1,   write,           3, linux_sys_write,           "works", "a VFS file or the terminal") \
    X(2,   open,            3, linux_sys_open,            "works", "through the VFS") \
    X(3,   close,           1, linux_sys_close,           "works", "") \
    X(9,   mmap,            6, linux_sys_mmap,            "works", "anonymous or regular files, private (copy-on-write across fork) or shared; a file's range read in at mmap") \
    X(10,  mprotect,        3, linux_sys_mprotect,        "works", "PROT_NONE, R, W, X; PROT_GROWSDOWN/UP accepted, not applied") \
    X(11,  munmap,          2, linux_sys_munmap,          "works", "") \
    X(12,  brk,             1, linux_sys_brk,             "works", "") \
    X(13,  rt_sigaction,    4, linux_sys_rt_sigaction,    "no-op", "accepted, no signal is delivered yet") \
    X(14,  rt_sigprocmask,  4, linux_sys_rt_sigprocmask,  "no-op", "accepted, the old mask reads empty") \
    X(16,  ioctl,           3, linux_sys_ioctl,           "works", "TCGETS and TIOCGWINSZ on a terminal; -ENOTTY else") \
    X(20,  writev,          3, linux_sys_writev,          "works", "") \
    X(26,  msync,           3, linux_sys_msync,           "works", "shared file pages written back (MS_SYNC waits)") \
    X(28,  madvise,         3, linux_sys_madvise,         "works", "MADV_DONTNEED and MADV_FREE drop the pages; MADV_(NO)HUGEPAGE; other hints accepted") \
    X(39,  getpid,          0, linux_sys_getpid,          "works", "") \
    X(56,  clone,           5, linux_sys_clone,           "works", "fork-like and thread-like flag sets; CLONE_VM without CLONE_THREAD copies") \
    X(57,  fork,            0, linux_sys_fork,            "works", "") \
    X(58,  vfork,           0, linux_sys_vfork,           "works", "the child gets a copy; the parent waits for its execve or exit") \
    X(59,  execve,          3, linux_sys_execve,          "works", "ELF and #! scripts; -EBUSY with other threads alive") \
    X(60,  exit,            1, linux_sys_exit,            "works", "ends the calling thread; the last one ends the process") \
    X(61,  wait4,           4, linux_sys_wait4,           "works", "WNOHANG, WUNTRACED, WCONTINUED; rusage zeros") \
    X(63,  uname,           1, linux_sys_uname,           "works", "") \
    X(102, getuid,          0, linux_sys_getuid,          "works", "") \
    X(104, getgid,          0, linux_sys_getgid,          "works", "") \
    X(105, setuid,          1, linux_sys_setuid,          "works", "") \
    X(106, setgid,          1, linux_sys_setgid,          "works", "") \
    X(107, geteuid,         0, linux_sys_geteuid,         "works", "") \
    X(108, getegid,         0, linux_sys_getegid,         "works", "") \
    X(109, setpgid,         2, linux_sys_setpgid,         "works", "") \
    X(110, getppid,         0, linux_sys_getppid,         "works", "0 for a process the kernel started") \
    X(111, getpgrp,         0, linux_sys_getpgrp,         "works", "") \
    X(112, setsid,          0, linux_sys_setsid,          "works", "") \
    X(113, setreuid,        2, linux_sys_setreuid,        "works", "") \
    X(114, setregid,        2, linux_sys_setregid,        "works", "") \
    X(115, getgroups,       2, linux_sys_getgroups,       "works", "") \
    X(116, setgroups,       2, linux_sys_setgroups,       "works", "at most 32 groups") \
    X(117, setresuid,       3, linux_sys_setresuid,       "works", "") \
    X(118, getresuid,       3, linux_sys_getresuid,       "works", "") \
    X(119, setresgid,       3, linux_sys_setresgid,       "works", "") \
    X(120, getresgid,       3, linux_sys_getresgid,       "works", "") \
    X(121, getpgid,         1, linux_sys_getpgid,         "works", "") \
    X(124, getsid,          1, linux_sys_getsid,          "works", "") \
    X(158, arch_prctl,      2, linux_sys_arch_prctl,      "works", "ARCH_SET_FS and ARCH_GET_FS") \
    X(186, gettid,          0, linux_sys_gettid,          "works", "") \
    X(218, set_tid_address, 1, linux_sys_set_tid_address, "works", "kept; returns the tid") \
    X(228, clock_gettime,   2, linux_sys_clock_gettime,   "works", "REALTIME, MONOTONIC, BOOTTIME") \
    X(231, exit_group,      1, linux_sys_exit_group,      "works", "") \
    X(257, openat,          4, linux_sys_openat,          "works", "AT_FDCWD or an absolute path")
