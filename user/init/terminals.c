/*
 * terminals.c - a login shell on each terminal: the first serial port
 * (ttyS0) and the four virtual consoles of the screen (tty1..tty4).
 *
 * Each shell is a child of its own: a new session (setsid) whose
 * controlling terminal is its terminal (opened, then TIOCSCTTY, its group
 * the terminal's foreground group), that
 * terminal as files 0, 1 and 2, HOME, PATH, TERM and SHELL set, and root's
 * shell from /etc/passwd started as a login shell: argv[0] "-tsh" for
 * /bin/tsh (a dash before the name), so it reads /etc/profile. Job control works there:
 * the shell owns its terminal.
 *
 * When a shell ends, init starts another on the same terminal. One that
 * ends within RESTART_QUICK_S of its start gets a RESTART_PAUSE_S pause
 * first (so a broken shell does not spin), and after RESTART_QUICK_MAX such
 * ends in a row the terminal is given up, with a message. A terminal that
 * cannot be opened (no screen: no tty1) is given up at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define RESTART_QUICK_S     2
#define RESTART_PAUSE_S     1
#define RESTART_QUICK_MAX   5
#define EXIT_NO_TERMINAL    100         /* the child's exit status when its terminal would not open */

struct terminal {
    const char *name;                   /* under /dev */
    const char *term;                   /* TERM= */
    pid_t pid;                          /* its shell, 0 when none runs */
    time_t started;
    int quick_ends;                     /* ends in a row within RESTART_QUICK_S */
    int given_up;
};

static struct terminal terminals[] = {
    { "ttyS0", "vt100", 0, 0, 0, 0 },
    { "tty1", "linux", 0, 0, 0, 0 },
    { "tty2", "linux", 0, 0, 0, 0 },
    { "tty3", "linux", 0, 0, 0, 0 },
    { "tty4", "linux", 0, 0, 0, 0 },
};
#define TERMINAL_COUNT (sizeof terminals / sizeof terminals[0])

static struct login_user root;
static int restarting = 1;

static time_t now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* In the child: the terminal as controlling terminal and files 0, 1, 2. */
static int take_terminal(const char *name)
{
    char path[64];
    int fd;

    snprintf(path, sizeof path, "/dev/%s", name);
    setsid();
    if ((fd = open(path, O_RDWR)) < 0) {
        init_log("%s: %s", path, strerror(errno));
        return -1;
    }
    /* TIOCSCTTY also makes our group the terminal's foreground group (kernel and Linux
     * alike): a shell with job control waits until its group is in the foreground. */
    if (ioctl(fd, TIOCSCTTY, 0) != 0)
        init_log("%s: TIOCSCTTY: %s (no job control there)", path, strerror(errno));
    for (int i = 0; i < 3; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
    return 0;
}

/* In the child: become the login shell on t; never returns. */
static void exec_login_shell(const struct terminal *t, int pause_first)
{
    char home[160], term[32], shell[160], argv0[160];
    const char *base = strrchr(root.shell, '/');
    char *envp[] = { home, "PATH=/bin:/sbin:/usr/bin:/usr/sbin", term, shell, "USER=root", "LOGNAME=root", NULL };

    shutdown_child_defaults();
    if (pause_first)
        sleep(RESTART_PAUSE_S);
    if (take_terminal(t->name) != 0)
        _exit(EXIT_NO_TERMINAL);
    snprintf(home, sizeof home, "HOME=%s", root.home);
    snprintf(term, sizeof term, "TERM=%s", t->term);
    snprintf(shell, sizeof shell, "SHELL=%s", root.shell);
    snprintf(argv0, sizeof argv0, "-%s", base ? base + 1 : root.shell);
    if (chdir(root.home) != 0)
        chdir("/");
    execve(root.shell, (char *[]){ argv0, NULL }, envp);
    init_log("%s: exec %s: %s", t->name, root.shell, strerror(errno));
    _exit(127);
}

static void start(struct terminal *t, int pause_first)
{
    pid_t pid = fork();

    if (pid < 0) {
        init_log("%s: fork: %s", t->name, strerror(errno));
        return;
    }
    if (pid == 0)
        exec_login_shell(t, pause_first);
    t->pid = pid;
    t->started = now_s();
}

void terminals_start_all(void)
{
    passwd_root(&root);
    init_log("login shells %s on ttyS0 and tty1..tty4", root.shell);
    for (unsigned i = 0; i < TERMINAL_COUNT; i++)
        start(&terminals[i], 0);
}

/* Should t's shell be started again after it ended with status? */
static int worth_restarting(struct terminal *t, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NO_TERMINAL) {
        init_log("%s: no such terminal here; no shell on it", t->name);
        return 0;
    }
    t->quick_ends = now_s() - t->started < RESTART_QUICK_S ? t->quick_ends + 1 : 0;
    if (t->quick_ends >= RESTART_QUICK_MAX) {
        init_log("%s: the shell ended %d times in a row right after its start; given up",
                 t->name, t->quick_ends);
        return 0;
    }
    return 1;
}

void terminals_child_ended(pid_t pid, int status)
{
    for (unsigned i = 0; i < TERMINAL_COUNT; i++) {
        struct terminal *t = &terminals[i];

        if (t->pid != pid)
            continue;
        t->pid = 0;
        if (!restarting || t->given_up)
            return;
        if (!worth_restarting(t, status)) {
            t->given_up = 1;
            return;
        }
        start(t, t->quick_ends > 0);
        return;
    }
}

void terminals_stop_restarting(void)
{
    restarting = 0;
}
