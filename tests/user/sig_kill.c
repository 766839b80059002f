/*
 * sig_kill.c - signals between processes (docs/signals.md): kill ends a
 * child (wait4 sees "killed by 15"); SIGSTOP and SIGCONT stop and continue
 * one (WUNTRACED, WCONTINUED) and SIGKILL ends it stopped or not; kill to
 * a process group (-pgid) reaches the child in it and not the sender; a
 * handler in the child runs for a signal from the parent and exits from
 * there; SIGCHLD with SA_SIGINFO tells the parent how its child ended
 * (CLD_EXITED and the code, CLD_KILLED and the signal, the child's pid).
 * Compared with Linux's output (tests/user/diff.sh).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by %d\n", what, WTERMSIG(status));
    else if (WIFSTOPPED(status))
        printf("%s: stopped by %d\n", what, WSTOPSIG(status));
    else if (WIFCONTINUED(status))
        printf("%s: continued\n", what);
    else
        printf("%s: status %#x\n", what, status);
}

static void on_usr2(int sig)
{
    (void)sig;
    _exit(7);
}

static volatile int chld_code, chld_status, chld_pid_ok, chld_seen;
static volatile pid_t chld_expect;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    chld_seen++;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid_ok = si->si_pid == chld_expect;
}

static pid_t child_pausing(int own_group)
{
    pid_t c = fork();

    if (c == 0) {
        if (own_group)
            setpgid(0, 0);
        for (;;)
            pause();
    }
    if (own_group)
        setpgid(c, c);
    return c;
}

int main(void)
{
    struct sigaction sa;
    sigset_t chld, none;
    int status;
    pid_t c;

    c = child_pausing(0);
    kill(c, SIGTERM);
    waitpid(c, &status, 0);
    show("SIGTERM", status);

    c = child_pausing(0);
    kill(c, SIGSTOP);
    waitpid(c, &status, WUNTRACED);
    show("SIGSTOP", status);
    kill(c, SIGCONT);
    waitpid(c, &status, WCONTINUED);
    show("SIGCONT", status);
    kill(c, SIGSTOP);
    waitpid(c, &status, WUNTRACED);
    show("SIGSTOP again", status);
    kill(c, SIGKILL);
    waitpid(c, &status, 0);
    show("SIGKILL while stopped", status);

    c = child_pausing(1);
    printf("kill to the group: %d\n", kill(-c, SIGUSR1));
    waitpid(c, &status, 0);
    show("group SIGUSR1", status);

    signal(SIGUSR2, on_usr2);                   /* inherited by the child */
    c = child_pausing(0);
    kill(c, SIGUSR2);
    waitpid(c, &status, 0);
    show("handler in the child", status);
    signal(SIGUSR2, SIG_DFL);

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    c = fork();
    if (c == 0)
        _exit(3);
    chld_expect = c;
    while (!chld_seen)
        sigsuspend(&none);
    printf("SIGCHLD: code %d status %d pid_ok %d\n", chld_code, chld_status, chld_pid_ok);
    waitpid(c, &status, 0);
    show("SIGCHLD child", status);
    chld_seen = 0;
    c = child_pausing(0);
    chld_expect = c;
    kill(c, SIGKILL);
    while (!chld_seen)
        sigsuspend(&none);
    printf("SIGCHLD: code %d status %d pid_ok %d\n", chld_code, chld_status, chld_pid_ok);
    waitpid(c, &status, 0);
    show("SIGCHLD killed child", status);

    printf("sig_kill: all passed\n");
    return 0;
}
