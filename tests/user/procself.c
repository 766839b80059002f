/*
 * procself.c - what /proc says about processes, as ps and top read it:
 * /proc/self/stat, status, cmdline and comm, and a child's /proc/N while
 * it is a zombie and after it is reaped. Each line is a check and its
 * result, never a pid or a time, so Linux and Tessera print the same
 * lines (tests/user/diff.sh).
 *
 *   procself one two
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

/* The whole file at path into buf (NUL-terminated); its length, or -errno. */
static long slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    long n = 0, r;

    if (fd < 0)
        return -errno;
    while ((r = read(fd, buf + n, size - 1 - (size_t)n)) > 0)
        n += r;
    close(fd);
    buf[n] = 0;
    return r < 0 ? -errno : n;
}

static void self_stat(void)
{
    char buf[1024], comm[64], state;
    int pid, ppid, pgrp, session, fields;
    long n = slurp("/proc/self/stat", buf, sizeof buf);

    check("/proc/self/stat opens", n > 0);
    fields = sscanf(buf, "%d (%63[^)]) %c %d %d %d", &pid, comm, &state, &ppid, &pgrp, &session);
    check("stat: six first fields parse", fields == 6);
    check("stat: pid is getpid()", pid == getpid());
    printf("stat: comm=%s state=%c\n", comm, state);
    check("stat: ppid, pgrp, session are getppid(), getpgrp(), getsid(0)",
          ppid == getppid() && pgrp == getpgrp() && session == getsid(0));
    fields = 0;
    for (char *c = strrchr(buf, ')'); c && *c; c++)
        fields += *c == ' ';
    printf("stat: %d fields after the name\n", fields);
}

static void self_status(void)
{
    char buf[2048], name[64];
    int tgid = 0, uid = -1;
    char *line;

    check("/proc/self/status opens", slurp("/proc/self/status", buf, sizeof buf) > 0);
    check("status: Name line", (line = strstr(buf, "Name:")) && sscanf(line, "Name:\t%63s", name) == 1);
    printf("status: Name=%s\n", name);
    check("status: Tgid is getpid()", (line = strstr(buf, "\nTgid:")) && sscanf(line, "\nTgid:\t%d", &tgid) == 1 &&
                                      tgid == getpid());
    check("status: Uid is getuid()", (line = strstr(buf, "\nUid:")) && sscanf(line, "\nUid:\t%d", &uid) == 1 &&
                                     uid == (int)getuid());
    check("status: State is R (running)", strstr(buf, "\nState:\tR (running)\n") != NULL);
}

static void self_cmdline(int argc, char **argv)
{
    char buf[512], want[512];
    long n = slurp("/proc/self/cmdline", buf, sizeof buf), w = 0;

    for (int i = 0; i < argc; i++) {
        strcpy(want + w, argv[i]);
        w += (long)strlen(argv[i]) + 1;
    }
    check("cmdline: argv with their NULs", n == w && memcmp(buf, want, (size_t)w) == 0);
    n = slurp("/proc/self/comm", buf, sizeof buf);
    printf("comm: %s", n > 0 ? buf : "(none)\n");
}

static void child_states(void)
{
    char path[64], buf[512], state = '?';
    int status;
    pid_t pid = fork();

    if (pid == 0)
        _exit(4);
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    for (int tries = 0; tries < 1000 && state != 'Z'; tries++) {
        if (slurp(path, buf, sizeof buf) > 0) {
            char *c = strrchr(buf, ')');
            state = c ? c[2] : '?';
        }
        if (state != 'Z')
            usleep(1000);
    }
    check("an ended child not yet reaped is Z", state == 'Z');
    check("then waitpid reaps it, status 4", waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 4);
    check("and its /proc/N is gone: ENOENT", slurp(path, buf, sizeof buf) == -ENOENT);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    self_stat();
    self_status();
    self_cmdline(argc, argv);
    child_states();
    printf("procself: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
