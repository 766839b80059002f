/*
 * init.h - /sbin/init, Tessera's first process: what its parts share.
 *
 * init.c runs the parts in order: mounts.c (the file systems of /etc/fstab
 * the kernel has not mounted), rc.c (/etc/rc), terminals.c (a login shell on
 * each terminal, started again when it ends), reap.c (every child, orphans
 * included, waited for), shutdown.c (the signals that power off or reboot).
 * docs/userland.md walks through them.
 */
#pragma once

#include <signal.h>
#include <sys/types.h>

/* init's messages: "init: ..." on its standard error (the kernel gives it ttyS0). */
void init_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* mounts.c: mount each /etc/fstab entry not yet in /proc/mounts; unmount all but /. */
void mounts_mount_missing(void);
void mounts_unmount_all(void);

/* passwd.c: root's login shell and home folder from /etc/passwd (/bin/sh and / without it). */
struct login_user {
    char shell[128];
    char home[128];
};
void passwd_root(struct login_user *u);

/* rc.c: run /etc/rc with /bin/sh and wait for it, if the file exists. */
void rc_run(void);

/* terminals.c: a login shell on each terminal; a child that ended, started again. */
void terminals_start_all(void);
void terminals_child_ended(pid_t pid, int status);
void terminals_stop_restarting(void);

/* reap.c: wait for every ended child without blocking; each goes to terminals_child_ended. */
void reap_children(void);
/* Wait for the one child pid (reaping any other that ends meanwhile); its status. */
int reap_wait_for(pid_t pid);

/* shutdown.c: the signals init answers, and the way down. */
void shutdown_install_handlers(void);
int shutdown_requested(void);           /* 0, or the reboot(2) command a signal asked for */
void shutdown_now(int cmd) __attribute__((noreturn));
/* In a child before exec: the default actions back and nothing blocked. */
void shutdown_child_defaults(void);
