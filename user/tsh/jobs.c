/*
 * jobs.c - job control (jobs.h).
 *
 * The race every shell must close: the parent and the child both call
 * setpgid (the child for itself, the parent for the child), so the group
 * exists before either goes on, whichever runs first; the same for
 * tcsetpgrp of a foreground job. The child sets its signals back to the
 * defaults only after that, so its own tcsetpgrp cannot stop it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "jobs.h"
#include "mem.h"
#include "shell.h"
#include "trap.h"

struct job {
    int id;
    pid_t pgid;
    pid_t *pids;
    bool *done;                 /* done[i]: pids[i] was reaped */
    int n, status;
    bool stopped;
    char *name;
    struct job *next;
};

static bool jobctl;             /* job control on */
static pid_t shell_pgid;
static struct job *jobs;

static const int job_signals[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

void jobs_init(void)
{
    pid_t fg;

    jobctl = sh.interactive && isatty(0);
    while (jobctl && (fg = tcgetpgrp(0)) != getpgrp()) {
        if (fg < 0) {
            jobctl = false;             /* no controlling terminal: the first process on Tessera */
            break;
        }
        kill(0, SIGTTIN);               /* started in the background: wait to be brought forward */
    }
    if (sh.interactive) {
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
    }
    if (!jobctl)
        return;
    for (size_t i = 0; i < sizeof job_signals / sizeof job_signals[0]; i++)
        signal(job_signals[i], SIG_IGN);
    shell_pgid = getpid();
    if ((getpgrp() != shell_pgid && setpgid(0, shell_pgid) < 0) || tcsetpgrp(0, shell_pgid) < 0)
        jobctl = false;
}

void jobs_child_reset(void)
{
    trap_child_reset();
    for (size_t i = 0; i < sizeof job_signals / sizeof job_signals[0]; i++)
        signal(job_signals[i], SIG_DFL);
    jobctl = false;
    sh.in_child = true;
}

static void null_stdin(void)
{
    int fd = open("/dev/null", O_RDONLY);

    if (fd > 0) {
        dup2(fd, 0);
        close(fd);
    }
}

pid_t jobs_fork(pid_t leader, bool foreground)
{
    pid_t pid = fork();

    if (pid < 0) {
        sh_error("fork: %s", strerror(errno));
    } else if (pid == 0) {
        bool had_jobctl = jobctl;
        if (jobctl) {
            setpgid(0, leader);
            if (foreground)
                tcsetpgrp(0, leader ? leader : getpid());
        }
        jobs_child_reset();
        if (!had_jobctl && !foreground)
            null_stdin();
    } else if (jobctl) {
        setpgid(pid, leader ? leader : pid);
        if (foreground)
            tcsetpgrp(0, leader ? leader : pid);
    }
    return pid;
}

static int status_of(int st)
{
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    if (WIFSTOPPED(st))
        return 128 + WSTOPSIG(st);
    return WEXITSTATUS(st);
}

/* A job's name for `jobs`: its commands' words, or the kind of command. */
static void describe(struct strbuf *sb, const struct node *n)
{
    if (n->kind == NODE_SIMPLE) {
        for (int i = 0; n->words && n->words[i]; i++) {
            if (i)
                sb_addc(sb, ' ');
            sb_adds(sb, n->words[i]);
        }
    } else if (n->kind == NODE_PIPE) {
        for (int i = 0; i < n->nkids; i++) {
            if (i)
                sb_adds(sb, " | ");
            describe(sb, n->kids[i]);
        }
    } else {
        sb_adds(sb, n->kind == NODE_SUBSHELL ? "( ... )" : "{ ... }");
    }
}

static struct job *add_job(const pid_t *pids, int n, const struct node *cmd)
{
    struct job *j = xcalloc(1, sizeof *j), **tail = &jobs;
    struct strbuf name = { 0 };

    j->id = 1;
    for (struct job *o = jobs; o; o = o->next)
        if (o->id >= j->id)
            j->id = o->id + 1;
    j->pgid = pids[0];
    j->n = n;
    j->pids = xmalloc((size_t)n * sizeof *pids);
    memcpy(j->pids, pids, (size_t)n * sizeof *pids);
    j->done = xcalloc((size_t)n, sizeof *j->done);
    for (int i = 0; i < n; i++)
        j->done[i] = pids[i] <= 0;              /* never started (a failed pipe or fork) */
    describe(&name, cmd);
    j->name = sb_take(&name);
    while (*tail)
        tail = &(*tail)->next;
    *tail = j;
    return j;
}

static void remove_job(struct job *j)
{
    for (struct job **pj = &jobs; *pj; pj = &(*pj)->next)
        if (*pj == j) {
            *pj = j->next;
            break;
        }
    free(j->pids);
    free(j->done);
    free(j->name);
    free(j);
}

/* Wait until every process of j ended or one stopped; the terminal back to the shell. */
static int wait_job(struct job *j)
{
    j->stopped = false;
    for (int i = 0; i < j->n && !j->stopped; i++) {
        int st;
        if (j->done[i])
            continue;
        while (waitpid(j->pids[i], &st, WUNTRACED) < 0)
            if (errno != EINTR) {
                st = 127 << 8;
                break;
            }
        if (WIFSTOPPED(st)) {
            j->stopped = true;
            j->status = status_of(st);
        } else {
            j->done[i] = true;
            if (i == j->n - 1)
                j->status = status_of(st);
        }
    }
    tcsetpgrp(0, shell_pgid);
    if (j->stopped) {
        out_fmt(2, "\n[%d]+  Stopped  %s\n", j->id, j->name);
        return j->status;
    }
    int status = j->status;
    if (status == 128 + SIGINT)
        out_str(2, "\n");
    remove_job(j);
    return status;
}

int jobs_wait(const pid_t *pids, int n, const struct node *cmd)
{
    int status = 0;

    if (jobctl && n > 0 && pids[0] > 0)
        return wait_job(add_job(pids, n, cmd));
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            status = exec_wait(pids[i]);
    return status;
}

void jobs_add_background(pid_t pid, const struct node *cmd)
{
    if (!jobctl)
        return;
    struct job *j = add_job(&pid, 1, cmd);
    out_fmt(2, "[%d] %d\n", j->id, (int)pid);
}

void jobs_notify(void)
{
    int st;
    pid_t pid;

    while (jobctl && (pid = waitpid(-1, &st, WNOHANG | WUNTRACED)) > 0)
        for (struct job *j = jobs; j; j = j->next)
            for (int i = 0; i < j->n; i++)
                if (j->pids[i] == pid && !WIFSTOPPED(st))
                    j->done[i] = true, j->status = status_of(st);
                else if (j->pids[i] == pid)
                    j->stopped = true;
    for (struct job *j = jobs, *next; j; j = next) {
        bool all = true;
        next = j->next;
        for (int i = 0; i < j->n; i++)
            all &= j->done[i];
        if (all) {
            out_fmt(2, "[%d]   Done(%d)  %s\n", j->id, j->status, j->name);
            remove_job(j);
        }
    }
}

/* %N, or the last job when no argument. */
static struct job *find_job(int argc, char **argv)
{
    struct job *last = NULL;

    if (!jobctl) {
        sh_error("%s: no job control in this shell", argv[0]);
        return NULL;
    }
    for (struct job *j = jobs; j; j = j->next) {
        if (argc > 1 && j->id == atoi(argv[1] + (argv[1][0] == '%')))
            return j;
        last = j;
    }
    if (argc > 1 || !last)
        sh_error("%s: %s: no such job", argv[0], argc > 1 ? argv[1] : "current");
    return argc > 1 ? NULL : last;
}

int jobs_builtin_jobs(int argc, char **argv)
{
    (void)argc, (void)argv;
    jobs_notify();
    for (struct job *j = jobs; j; j = j->next)
        out_fmt(1, "[%d]   %s  %s\n", j->id, j->stopped ? "Stopped" : "Running", j->name);
    return 0;
}

int jobs_builtin_fg(int argc, char **argv)
{
    struct job *j = find_job(argc, argv);

    if (!j)
        return 1;
    out_fmt(2, "%s\n", j->name);
    tcsetpgrp(0, j->pgid);
    kill(-j->pgid, SIGCONT);
    return wait_job(j);
}

int jobs_builtin_bg(int argc, char **argv)
{
    struct job *j = find_job(argc, argv);

    if (!j)
        return 1;
    j->stopped = false;
    kill(-j->pgid, SIGCONT);
    out_fmt(2, "[%d] %s &\n", j->id, j->name);
    return 0;
}
