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
 * what), "declined" (-ENOSYS on purpose and without a log line: the
 * programs that ask go on without it; the note says why). A call not in the list returns -ENOSYS with one rate-limited log
 * line naming it and the process.
 */
#pragma once

#define LINUX_SYSCALLS(X) \
    X(0,   read,            3, linux_sys_read,            "works", "any file: a VFS file, a device, a terminal, a pipe (blocking, O_NONBLOCK, EOF)") \
    X(1,   write,           3, linux_sys_write,           "works", "any file; a pipe: PIPE_BUF atomic, -EPIPE with no reader (SIGPIPE once signals exist)") \
    X(2,   open,            3, linux_sys_open,            "works", "through the VFS, from the cwd; mode less the umask; a terminal becomes a session leader's ctty") \
    X(3,   close,           1, linux_sys_close,           "works", "") \
    X(4,   stat,            2, linux_sys_stat,            "works", "Linux's struct stat") \
    X(5,   fstat,           2, linux_sys_fstat,           "works", "pipes too (S_IFIFO)") \
    X(6,   lstat,           2, linux_sys_lstat,           "works", "") \
    X(7,   poll,            3, linux_sys_poll,            "works", "pipes, terminals; other files always ready; not yet woken by signals") \
    X(8,   lseek,           3, linux_sys_lseek,           "works", "SEEK_SET/CUR/END; -ESPIPE on pipes and terminals") \
    X(9,   mmap,            6, linux_sys_mmap,            "works", "anonymous or regular files, private (copy-on-write across fork) or shared; a file's range read in at mmap") \
    X(10,  mprotect,        3, linux_sys_mprotect,        "works", "PROT_NONE, R, W, X; PROT_GROWSDOWN/UP accepted, not applied") \
    X(11,  munmap,          2, linux_sys_munmap,          "works", "") \
    X(12,  brk,             1, linux_sys_brk,             "works", "") \
    X(13,  rt_sigaction,    4, linux_sys_rt_sigaction,    "works", "SA_SIGINFO, SA_RESTORER (required), SA_RESTART, SA_NODEFER, SA_RESETHAND, SA_ONSTACK") \
    X(14,  rt_sigprocmask,  4, linux_sys_rt_sigprocmask,  "works", "") \
    X(15,  rt_sigreturn,    0, linux_sys_rt_sigreturn,    "works", "Linux's rt_sigframe; the FPU state as FXSAVE's image") \
    X(16,  ioctl,           3, linux_sys_ioctl,           "works", "terminals: TCGETS, TCSETS*, TIOCGWINSZ/TIOCSWINSZ, TIOCGPGRP/TIOCSPGRP, TIOCSCTTY, TIOCNOTTY, FIONREAD, TCFLSH, TCXONC; FIONREAD on pipes; FIONBIO; -ENOTTY else") \
    X(17,  pread64,         4, linux_sys_pread64,         "works", "-ESPIPE on streams") \
    X(18,  pwrite64,        4, linux_sys_pwrite64,        "works", "-ESPIPE on streams") \
    X(19,  readv,           3, linux_sys_readv,           "works", "") \
    X(20,  writev,          3, linux_sys_writev,          "works", "one write of a stream: atomic up to PIPE_BUF in all") \
    X(21,  access,          2, linux_sys_access,          "works", "mode bits against the caller's uid/gid (root: x needs an x bit)") \
    X(22,  pipe,            1, linux_sys_pipe,            "works", "64 KiB pipes") \
    X(23,  select,          5, linux_sys_select,          "works", "as poll; the timeout is not written back") \
    X(24,  sched_yield,     0, linux_sys_sched_yield,     "works", "") \
    X(26,  msync,           3, linux_sys_msync,           "works", "shared file pages written back (MS_SYNC waits)") \
    X(28,  madvise,         3, linux_sys_madvise,         "works", "MADV_DONTNEED and MADV_FREE drop the pages; MADV_(NO)HUGEPAGE; other hints accepted") \
    X(32,  dup,             1, linux_sys_dup,             "works", "") \
    X(33,  dup2,            2, linux_sys_dup2,            "works", "") \
    X(34,  pause,           0, linux_sys_pause,           "works", "") \
    X(35,  nanosleep,       2, linux_sys_nanosleep,       "works", "woken by the first tick at or after the time") \
    X(39,  getpid,          0, linux_sys_getpid,          "works", "") \
    X(40,  sendfile,        4, linux_sys_sendfile,        "works", "any readable to any writable file, through a kernel buffer") \
    X(56,  clone,           5, linux_sys_clone,           "works", "fork-like and thread-like flag sets; CLONE_VM without CLONE_THREAD copies") \
    X(57,  fork,            0, linux_sys_fork,            "works", "") \
    X(58,  vfork,           0, linux_sys_vfork,           "works", "the child gets a copy; the parent waits for its execve or exit") \
    X(59,  execve,          3, linux_sys_execve,          "works", "ELF and #! scripts, a relative path from the cwd; other threads end first") \
    X(60,  exit,            1, linux_sys_exit,            "works", "ends the calling thread; the last one ends the process") \
    X(61,  wait4,           4, linux_sys_wait4,           "works", "WNOHANG, WUNTRACED, WCONTINUED; rusage zeros") \
    X(62,  kill,            2, linux_sys_kill,            "works", "a process, a group, every process (-1); no permission checks (all root)") \
    X(63,  uname,           1, linux_sys_uname,           "works", "") \
    X(72,  fcntl,           3, linux_sys_fcntl,           "works", "F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL (O_APPEND, O_NONBLOCK); locks -EINVAL") \
    X(74,  fsync,           1, linux_sys_fsync,           "works", "-EINVAL on streams") \
    X(75,  fdatasync,       1, linux_sys_fdatasync,       "works", "as fsync") \
    X(76,  truncate,        2, linux_sys_truncate,        "works", "") \
    X(77,  ftruncate,       2, linux_sys_ftruncate,       "works", "") \
    X(79,  getcwd,          2, linux_sys_getcwd,          "works", "") \
    X(80,  chdir,           1, linux_sys_chdir,           "works", "") \
    X(81,  fchdir,          1, linux_sys_fchdir,          "works", "") \
    X(82,  rename,          2, linux_sys_rename,          "works", "") \
    X(83,  mkdir,           2, linux_sys_mkdir,           "works", "mode less the umask") \
    X(84,  rmdir,           1, linux_sys_rmdir,           "works", "") \
    X(86,  link,            2, linux_sys_link,            "works", "") \
    X(87,  unlink,          1, linux_sys_unlink,          "works", "") \
    X(88,  symlink,         2, linux_sys_symlink,         "works", "") \
    X(89,  readlink,        3, linux_sys_readlink,        "works", "") \
    X(90,  chmod,           2, linux_sys_chmod,           "works", "") \
    X(91,  fchmod,          2, linux_sys_fchmod,          "works", "through the file's name in its parent: a file renamed or unlinked since open is -ENOENT") \
    X(92,  chown,           3, linux_sys_chown,           "works", "") \
    X(93,  fchown,          3, linux_sys_fchown,          "works", "as fchmod") \
    X(94,  lchown,          3, linux_sys_lchown,          "works", "") \
    X(95,  umask,           1, linux_sys_umask,           "works", "kept per process") \
    X(96,  gettimeofday,    2, linux_sys_gettimeofday,    "works", "the time zone reads UTC") \
    X(97,  getrlimit,       2, linux_sys_getrlimit,       "works", "every RLIMIT_*, kept per process (kernel/proc/rlimit.h)") \
    X(98,  getrusage,       2, linux_sys_getrusage,       "works", "SELF, THREAD, CHILDREN; CPU time all as user time") \
    X(99,  sysinfo,         1, linux_sys_sysinfo,         "works", "no load averages yet (0)") \
    X(100, times,           1, linux_sys_times,           "works", "ticks since boot (Linux: since 2^32 jiffies less 5 minutes)") \
    X(102, getuid,          0, linux_sys_getuid,          "works", "") \
    X(103, syslog,          3, linux_sys_syslog,          "works", "the kernel log in Linux's records; READ returns 0 where Linux blocks") \
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
    X(127, rt_sigpending,   2, linux_sys_rt_sigpending,   "works", "") \
    X(130, rt_sigsuspend,   2, linux_sys_rt_sigsuspend,   "works", "") \
    X(131, sigaltstack,     2, linux_sys_sigaltstack,     "works", "SS_DISABLE, SS_AUTODISARM") \
    X(137, statfs,          2, linux_sys_statfs,          "works", "Linux's struct statfs and magic numbers") \
    X(138, fstatfs,         2, linux_sys_fstatfs,         "works", "") \
    X(157, prctl,           5, linux_sys_prctl,           "works", "PR_SET_NAME and PR_GET_NAME; other options -EINVAL") \
    X(158, arch_prctl,      2, linux_sys_arch_prctl,      "works", "ARCH_SET_FS and ARCH_GET_FS") \
    X(160, setrlimit,       2, linux_sys_setrlimit,       "works", "NPROC, NOFILE, STACK enforced by their owners; the rest kept") \
    X(162, sync,            0, linux_sys_sync,            "works", "") \
    X(165, mount,           5, linux_sys_mount,           "works", "the target from /; MS_RDONLY the only flag; data as the file system's options") \
    X(166, umount2,         2, linux_sys_umount2,         "works", "flags ignored") \
    X(169, reboot,          4, linux_sys_reboot,          "works", "RESTART(2), POWER_OFF (ACPI S5), HALT, CAD_ON/OFF; magic checked") \
    X(186, gettid,          0, linux_sys_gettid,          "works", "") \
    X(200, tkill,           2, linux_sys_tkill,           "works", "") \
    X(201, time,            1, linux_sys_time,            "works", "") \
    X(202, futex,           6, linux_sys_futex,           "works", "WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET, WAKE_BITSET; keyed by address space and address") \
    X(203, sched_setaffinity, 3, linux_sys_sched_setaffinity, "works", "the caller only; a mask short of every CPU pins to one CPU of it") \
    X(204, sched_getaffinity, 3, linux_sys_sched_getaffinity, "works", "the caller only") \
    X(217, getdents64,      3, linux_sys_getdents64,      "works", "d_off is an ordinal, not a seek cookie") \
    X(218, set_tid_address, 1, linux_sys_set_tid_address, "works", "kept; returns the tid") \
    X(219, restart_syscall, 0, linux_sys_restart_syscall, "works", "-EINTR: no call saves a restart block yet") \
    X(228, clock_gettime,   2, linux_sys_clock_gettime,   "works", "REALTIME, MONOTONIC, BOOTTIME, _RAW, _COARSE, the CPU-time clocks") \
    X(229, clock_getres,    2, linux_sys_clock_getres,    "works", "1 ns; the tick for the _COARSE clocks") \
    X(230, clock_nanosleep, 4, linux_sys_clock_nanosleep, "works", "relative and TIMER_ABSTIME; REALTIME, MONOTONIC, BOOTTIME") \
    X(231, exit_group,      1, linux_sys_exit_group,      "works", "") \
    X(234, tgkill,          3, linux_sys_tgkill,          "works", "") \
    X(257, openat,          4, linux_sys_openat,          "works", "dirfd, AT_FDCWD or an absolute path") \
    X(258, mkdirat,         3, linux_sys_mkdirat,         "works", "") \
    X(260, fchownat,        5, linux_sys_fchownat,        "works", "AT_SYMLINK_NOFOLLOW") \
    X(262, newfstatat,      4, linux_sys_newfstatat,      "works", "AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH") \
    X(263, unlinkat,        3, linux_sys_unlinkat,        "works", "AT_REMOVEDIR") \
    X(264, renameat,        4, linux_sys_renameat,        "works", "") \
    X(265, linkat,          5, linux_sys_linkat,          "works", "") \
    X(266, symlinkat,       3, linux_sys_symlinkat,       "works", "") \
    X(267, readlinkat,      4, linux_sys_readlinkat,      "works", "") \
    X(268, fchmodat,        3, linux_sys_fchmodat,        "works", "") \
    X(269, faccessat,       3, linux_sys_faccessat,       "works", "") \
    X(270, pselect6,        6, linux_sys_pselect6,        "works", "the signal mask is not applied yet") \
    X(271, ppoll,           5, linux_sys_ppoll,           "works", "the signal mask is not applied yet") \
    X(273, set_robust_list, 2, linux_sys_set_robust_list, "works", "the list of held futex locks, walked at exit and exec: OWNER_DIED and a waiter woken") \
    X(274, get_robust_list, 3, linux_sys_get_robust_list, "works", "a thread's head; another user's: -EPERM") \
    X(280, utimensat,       4, linux_sys_utimensat,       "works", "UTIME_NOW, UTIME_OMIT; a NULL path (futimens) as fchmod") \
    X(292, dup3,            3, linux_sys_dup3,            "works", "O_CLOEXEC") \
    X(293, pipe2,           2, linux_sys_pipe2,           "works", "O_CLOEXEC, O_NONBLOCK; O_DIRECT -EINVAL") \
    X(302, prlimit64,       4, linux_sys_prlimit64,       "works", "the calling process only; another pid is -ESRCH") \
    X(309, getcpu,          3, linux_sys_getcpu,          "works", "node 0") \
    X(316, renameat2,       5, linux_sys_renameat2,       "works", "RENAME_NOREPLACE; others -EINVAL") \
    X(318, getrandom,       3, linux_sys_getrandom,       "works", "ChaCha20 seeded from RDSEED, RDRAND or TSC jitter; never blocks") \
    X(332, statx,           5, linux_sys_statx,           "works", "the basic fields (mtime and ctime when asked for, as Linux 6.13); no btime or mount id; AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW") \
    X(334, rseq,            4, linux_sys_rseq,            "declined", "-ENOSYS, no log line: glibc registers rseq at each thread's start and goes on without it") \
    X(435, clone3,          2, linux_sys_clone3,          "works", "clone's flag sets and checks, the stack as base and size; set_tid, CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP -EINVAL") \
    X(439, faccessat2,      4, linux_sys_faccessat2,      "works", "AT_EACCESS (as access: one set of ids), AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH")
