/*
 * batch.c - run many programs of tests/user/ in one boot, one after the
 * other (tests/qemu/proc-batch.sh; docs/processes.md, "Tests").
 *
 *   init=/boot/batch initexit -- LIST
 *
 * LIST is a file of lines "NAME PATH [ARGS...]" (words split at spaces),
 * NAME the test case the line stands for. For each line, in order, the
 * runner prints
 *
 *   [batch] NAME: running PATH [ARGS...]
 *   ... the program's output, and the kernel's lines about it ...
 *   [batch] NAME: PATH ended: exit status N          (or: killed by signal N)
 *
 * or, when execve refuses the program, "[batch] NAME: PATH: cannot start
 * it: error -E" (the kernel's words for init=). Each program is forked by
 * the runner (pid 1) and starts as the leader of a session and process
 * group of its own (setsid), with no controlling terminal and files 0, 1
 * and 2 on the first serial port, as the first process does; it gets the
 * runner's environment (init=: HOME=/ TERM=linux PATH=...). Its pid is not
 * 1 and its parent is the runner. Orphans a program leaves are reaped
 * before the next line. Ends with "[batch] done: N programs" and exit 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ARGS_MAX 32

extern char **environ;

int main(int argc, char **argv)
{
    static char line[4096];
    FILE *list;
    int n = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc != 2 || !(list = fopen(argv[1], "r"))) {
        printf("[batch] cannot read the list %s\n", argc > 1 ? argv[1] : "(none)");
        return 1;
    }
    while (fgets(line, sizeof line, list)) {
        char *args[ARGS_MAX + 1], *name, *w;
        int a = 0, p[2], err = 0, status;
        pid_t pid;

        line[strcspn(line, "\n")] = 0;
        if (!(name = strtok(line, " ")))
            continue;
        while (a < ARGS_MAX && (w = strtok(NULL, " ")))
            args[a++] = w;
        args[a] = NULL;
        if (a == 0) {
            printf("[batch] %s: no program\n", name);
            continue;
        }
        n++;
        if (pipe2(p, O_CLOEXEC) != 0) {
            printf("[batch] %s: pipe2: errno %d\n", name, errno);
            return 1;
        }
        printf("[batch] %s: running", name);
        for (int i = 0; i < a; i++)
            printf(" %s", args[i]);
        printf("\n");
        pid = fork();
        if (pid == 0) {
            close(p[0]);
            setsid();
            execve(args[0], args, environ);
            err = -errno;
            write(p[1], &err, sizeof err);
            _exit(127);
        }
        close(p[1]);
        if (pid < 0) {
            printf("[batch] %s: fork: errno %d\n", name, errno);
            return 1;
        }
        /* The pipe closes at the execve (O_CLOEXEC) or carries its error. */
        if (read(p[0], &err, sizeof err) != (ssize_t)sizeof err)
            err = 0;
        close(p[0]);
        while (waitpid(pid, &status, 0) != pid)
            if (errno != EINTR) {
                printf("[batch] %s: waitpid: errno %d\n", name, errno);
                return 1;
            }
        while (waitpid(-1, NULL, WNOHANG) > 0)      /* orphans it left */
            ;
        if (err)
            printf("[batch] %s: %s: cannot start it: error %d\n", name, args[0], err);
        else if (WIFSIGNALED(status))
            printf("[batch] %s: %s ended: killed by signal %d\n", name, args[0], WTERMSIG(status));
        else
            printf("[batch] %s: %s ended: exit status %d\n", name, args[0], WEXITSTATUS(status));
    }
    printf("[batch] done: %d programs\n", n);
    return 0;
}
