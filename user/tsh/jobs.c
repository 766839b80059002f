/*
 * jobs.c - children without job control (jobs.h): signals as a shell
 * without job control sets them, and waiting.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "exec.h"
#include "jobs.h"
#include "shell.h"

void jobs_init(void)
{
    if (sh.interactive) {
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
    }
}

void jobs_child_setup(void)
{
    if (sh.interactive) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
    }
}

void jobs_join_group(pid_t leader) { (void)leader; }
void jobs_set_group(pid_t pid, pid_t leader) { (void)pid, (void)leader; }

void jobs_background_child(void)
{
    int fd = open("/dev/null", O_RDONLY);

    if (fd >= 0 && fd != 0) {
        dup2(fd, 0);
        close(fd);
    }
}

void jobs_add_background(pid_t pid, struct node *cmd)
{
    (void)cmd;
    if (sh.interactive)
        out_fmt(2, "[&] %d\n", (int)pid);
}

int jobs_wait_foreground(pid_t pid, const char *name)
{
    (void)name;
    return exec_wait(pid);
}

int jobs_wait_pipeline(const pid_t *pids, int n, int status)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            status = exec_wait(pids[i]);
    return status;
}
