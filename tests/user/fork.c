/*
 * fork.c - processes: fork, vfork, execve, wait4, exit statuses, process
 * groups and sessions, as a program sees them. Each line states what was
 * checked and what came out, never a pid, so Linux and Tessera print the
 * same lines (tests/user/diff.sh); the last line says whether all passed.
 *
 *   fork            run every check
 *   fork exec-child the program execve'd by the exec check: prints its
 *                   argv and one variable and exits 3
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    if (!ok)
        failures++;
}

/* The status of the child pid, or -1 when wait4 did not return it. */
static int wait_for(pid_t pid)
{
    int status;

    return wait4(pid, &status, 0, NULL) == pid ? status : -1;
}

static void exit_codes(void)
{
    int x = 1, status;
    pid_t parent = getpid(), pid = fork();

    if (pid == 0) {
        x = 2;                          /* the parent's copy must not see this */
        _exit(getppid() == parent ? 7 : 8);
    }
    check("fork returned a pid in the parent", pid > 0);
    status = wait_for(pid);
    check("child exited 7 (its getppid was the parent)", WIFEXITED(status) && WEXITSTATUS(status) == 7);
    check("parent's memory untouched by the child", x == 1);
}

static void killed(void)
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        *(volatile int *)0 = 1;         /* SIGSEGV */
        _exit(0);
    }
    status = wait_for(pid);
    check("child killed by SIGSEGV", WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

static void nohang(void)
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        for (volatile long i = 0; i < 20000000; i++)
            ;
        _exit(0);
    }
    check("WNOHANG on a running child returns 0", waitpid(pid, &status, WNOHANG) == 0);
    check("then wait returns it", wait_for(pid) == 0);
    errno = 0;
    check("wait with no children: ECHILD", wait(&status) == -1 && errno == ECHILD);
}

static void many(void)
{
    int sum = 0, n = 0, status;
    pid_t pid;

    for (int i = 1; i <= 20; i++)
        if (fork() == 0)
            _exit(i);
    while ((pid = wait(&status)) > 0) {
        n++;
        sum += WEXITSTATUS(status);
    }
    printf("20 children reaped: %d, exit codes sum %d\n", n, sum);
    check("20 children, statuses 1..20", n == 20 && sum == 210);
}

static void exec(const char *self)
{
    char *argv[] = { (char *)self, "exec-child", "two words", NULL };
    char *envp[] = { "FORKTEST=value", NULL };
    pid_t pid;
    int status;

    fflush(stdout);
    if ((pid = fork()) == 0) {
        execve(self, argv, envp);
        _exit(99);
    }
    status = wait_for(pid);
    check("exec'd child exited 3", WIFEXITED(status) && WEXITSTATUS(status) == 3);
    errno = 0;
    check("execve of a missing file: ENOENT", execve("/no/such/program", argv, envp) == -1 && errno == ENOENT);
}

static void vforked(const char *self)
{
    char *argv[] = { (char *)self, "exec-child", "from vfork", NULL };
    char *envp[] = { "FORKTEST=vfork", NULL };
    pid_t pid;
    int status;

    fflush(stdout);
    if ((pid = vfork()) == 0)
        _exit(5);
    status = wait_for(pid);
    check("vfork child exited 5", WIFEXITED(status) && WEXITSTATUS(status) == 5);
    if ((pid = vfork()) == 0) {
        execve(self, argv, envp);
        _exit(99);
    }
    status = wait_for(pid);
    check("vfork then execve: exited 3", WIFEXITED(status) && WEXITSTATUS(status) == 3);
}

static void groups(void)
{
    int status, go[2];
    pid_t pid = fork();

    if (pid == 0) {
        pid_t me = getpid();
        int ok = setsid() == me && getsid(0) == me && getpgid(0) == me && getpgrp() == me;
        errno = 0;
        ok = ok && setsid() == -1 && errno == EPERM;    /* already a group leader */
        _exit(ok ? 0 : 1);
    }
    check("setsid in a child: new session and group, a second setsid EPERM", wait_for(pid) == 0);
    if (pipe(go) != 0)
        go[0] = go[1] = -1;
    pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);             /* until the parent has moved it */
        _exit(getpgrp() == getpid() ? 0 : 1);
    }
    close(go[0]);
    check("setpgid(child, 0) from the parent", setpgid(pid, 0) == 0 && getpgid(pid) == pid);
    close(go[1]);
    status = wait_for(pid);
    check("the child saw its own group", status == 0);
    errno = 0;
    check("getpgid of no such process: ESRCH", getpgid(999999) == -1 && errno == ESRCH);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
        const char *v = getenv("FORKTEST");
        printf("exec-child: argc=%d argv[2]=%s FORKTEST=%s\n", argc, argc > 2 ? argv[2] : "-", v ? v : "-");
        return 3;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    exit_codes();
    killed();
    nohang();
    many();
    exec(argv[0]);
    vforked(argv[0]);
    groups();
    printf("fork: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
