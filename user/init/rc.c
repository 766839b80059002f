/*
 * rc.c - /etc/rc, the start-up script: run with /bin/sh once, before the
 * terminals get their shells, and waited for (children that end meanwhile
 * are reaped too). Its output goes where init's does (ttyS0). A missing
 * /etc/rc is no error; a script that fails is said and init goes on.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define RC_PATH     "/etc/rc"
#define RC_SHELL    "/bin/sh"

void rc_run(void)
{
    pid_t pid;
    int status;

    if (access(RC_PATH, R_OK) != 0)
        return;
    pid = fork();
    if (pid < 0) {
        init_log("%s: fork: %s", RC_PATH, strerror(errno));
        return;
    }
    if (pid == 0) {
        shutdown_child_defaults();
        execl(RC_SHELL, "sh", RC_PATH, (char *)NULL);
        init_log("%s: exec %s: %s", RC_PATH, RC_SHELL, strerror(errno));
        _exit(127);
    }
    status = reap_wait_for(pid);
    if (status != 0)
        init_log("%s ended with status %d", RC_PATH, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}
