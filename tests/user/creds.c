/*
 * creds.c - credentials and what they allow: the setuid family's rules
 * for a process that gave up root, and file access checked against the
 * effective ids. Run as root (CI is); each line is a check and its
 * result, so Linux and Tessera print the same lines (tests/user/diff.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    if (!ok)
        failures++;
}

/* In a child that gave up root: the checks, its exit status the number failed. */
static void as_user(const char *secret)
{
    uid_t r, e, s;
    int bad = 0;

#define CHILD_CHECK(what, ok) do { int ok_ = (ok); printf("  %s: %s\n", what, ok_ ? "yes" : "NO"); bad += !ok_; } while (0)
    CHILD_CHECK("setgroups(0) as root", setgroups(0, NULL) == 0);
    CHILD_CHECK("setresgid(1000, 1000, 1000)", setresgid(1000, 1000, 1000) == 0);
    CHILD_CHECK("setreuid(1000, 1000): the saved uid follows", setreuid(1000, 1000) == 0 &&
                getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1000 && s == 1000);
    errno = 0;
    CHILD_CHECK("setuid(0) refused: EPERM", setuid(0) == -1 && errno == EPERM);
    errno = 0;
    CHILD_CHECK("setgroups refused: EPERM", setgroups(0, NULL) == -1 && errno == EPERM);
    CHILD_CHECK("getuid, geteuid, getgid, getegid are 1000",
                getuid() == 1000 && geteuid() == 1000 && getgid() == 1000 && getegid() == 1000);
    errno = 0;
    CHILD_CHECK("root's 0600 file: read refused, EACCES", open(secret, O_RDONLY) == -1 && errno == EACCES);
    errno = 0;
    CHILD_CHECK("root's 0600 file: write refused, EACCES", open(secret, O_WRONLY) == -1 && errno == EACCES);
    errno = 0;
    CHILD_CHECK("unlink in root's 0755 directory: EACCES", unlink(secret) == -1 && errno == EACCES);
    _exit(bad);
}

int main(void)
{
    char dir[64], secret[80];           /* a directory per run: two cases may run this at once on the host */
    int fd, status;
    pid_t pid;

    snprintf(dir, sizeof dir, "/tmp/creds-test-%d", (int)getpid());
    snprintf(secret, sizeof secret, "%s/secret", dir);

    setvbuf(stdout, NULL, _IONBF, 0);
    check("running as root", getuid() == 0 && geteuid() == 0);
    mkdir("/tmp", 01777);
    mkdir(dir, 0755);
    chmod(dir, 0755);
    fd = open(secret, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    check("root makes a 0600 file", fd >= 0 && write(fd, "secret\n", 7) == 7 && fchmod(fd, 0600) == 0);
    close(fd);
    if ((pid = fork()) == 0)
        as_user(secret);
    check("the child that gave up root saw every check pass", waitpid(pid, &status, 0) == pid &&
          WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check("root still reads the file", (fd = open(secret, O_RDONLY)) >= 0);
    close(fd);
    check("setresuid(-1, 1000, -1) then back to 0 (the real id is still 0)",
          setresuid(-1, 1000, -1) == 0 && geteuid() == 1000 && seteuid(0) == 0 && geteuid() == 0);
    unlink(secret);
    rmdir(dir);
    printf("creds: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
