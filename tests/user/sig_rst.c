/*
 * sig_rst.c - a signal that arrives while a read waits (docs/signals.md,
 * "Restarting a system call"): a child sends SIGUSR1 to its parent blocked
 * reading an empty pipe, then writes a byte. With SA_RESTART the handler
 * runs and the read goes on to return the byte; without, the read returns
 * -1 with EINTR and the next read gets it; a signal that is ignored does
 * not interrupt it at all. Compared with Linux's output
 * (tests/user/diff.sh). Needs fork, pipe and nanosleep.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int handled;

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

static void nap(long ms)
{
    struct timespec ts = { 0, ms * 1000000L };

    nanosleep(&ts, NULL);
}

static void round_trip(const char *what, int flags, void (*handler)(int))
{
    struct sigaction sa;
    int p[2], status;
    char c = 0;
    pid_t child;
    ssize_t n;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigaction(SIGUSR1, &sa, NULL);
    handled = 0;
    if (pipe(p) != 0) {
        printf("%s: pipe failed\n", what);
        return;
    }
    child = fork();
    if (child == 0) {
        close(p[0]);
        nap(100);
        kill(getppid(), SIGUSR1);
        nap(100);
        write(p[1], "x", 1);
        _exit(0);
    }
    close(p[1]);
    errno = 0;
    n = read(p[0], &c, 1);
    printf("%s: read %zd (%s) char %c, handler ran %d\n", what, n, n < 0 ? strerror(errno) : "ok",
           n == 1 ? c : '-', handled);
    if (n < 0) {
        n = read(p[0], &c, 1);
        printf("%s: read again %zd char %c\n", what, n, n == 1 ? c : '-');
    }
    waitpid(child, &status, 0);
    printf("%s: child exited %d\n", what, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    close(p[0]);
}

int main(void)
{
    round_trip("SA_RESTART", SA_RESTART, on_usr1);
    round_trip("no SA_RESTART", 0, on_usr1);
    round_trip("SIG_IGN", 0, SIG_IGN);
    printf("sig_rst: all passed\n");
    return 0;
}
