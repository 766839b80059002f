/*
 * init.c - /sbin/init's outline: the kernel starts it as pid 1 when the
 * command line names no other first process (kernel/proc/init.c).
 *
 *   1. the signals it answers set up (shutdown.c), blocked outside the wait;
 *   2. the file systems of /etc/fstab the kernel did not mount (mounts.c);
 *   3. /etc/rc run with /bin/sh and waited for (rc.c);
 *   4. a login shell on ttyS0 and tty1..tty4 (terminals.c);
 *   5. then for ever: reap every child that ended, orphans included
 *      (reap.c), start again a terminal's shell that ended, and go down
 *      when poweroff, reboot or halt asks (shutdown.c).
 *
 * init never exits: the kernel would be left without a first process.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "init.h"

void init_log(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    int n = snprintf(line, sizeof line, "init: ");

    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    if (write(2, line, (size_t)n) < 0)
        return;                         /* nowhere else to say it */
}

int main(void)
{
    sigset_t none;
    int cmd;

    if (getpid() != 1)
        init_log("running as pid %d, not 1: orphans will not come here", (int)getpid());
    shutdown_install_handlers();
    mounts_mount_missing();
    rc_run();
    terminals_start_all();
    sigemptyset(&none);
    for (;;) {
        reap_children();
        if ((cmd = shutdown_requested()) != 0)
            shutdown_now(cmd);
        sigsuspend(&none);              /* the signals are blocked but here: none is lost */
    }
}
