/*
 * reap.c - init waits for every child that ends: its own (the terminals'
 * shells, /etc/rc) and every orphan, which the kernel gives to pid 1 when
 * its parent ends first. A child left unwaited would stay a zombie for
 * ever. Ended children are found with waitpid(-1, WNOHANG) after each
 * SIGCHLD (init.c's loop), so init never blocks on one of them.
 */
#include <errno.h>
#include <sys/wait.h>

#include "init.h"

void reap_children(void)
{
    pid_t pid;
    int status;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        terminals_child_ended(pid, status);
}

int reap_wait_for(pid_t pid)
{
    pid_t got;
    int status;

    for (;;) {
        got = waitpid(-1, &status, 0);
        if (got == pid)
            return status;
        if (got > 0)
            terminals_child_ended(got, status);
        else if (errno != EINTR)
            return -1;
    }
}
