/*
 * procrest.c - the rest of docs/processes.md's list, compared with Linux's
 * output (tests/user/diff.sh): `procrest exec` and `procrest maps`.
 *
 * exec: execve while other threads live. The leader execs while one thread
 * sleeps in a futex wait, one in a pipe read and one spins in ring 3; a
 * thread that is not the leader execs while the leader waits in
 * pthread_join; a child sharing its parent's table of files (clone with
 * CLONE_FILES) execs, and the close-on-exec closes and its new descriptor
 * stay its own. The new program (`procrest after ...`, run from argv[0])
 * says what it finds: the same pid, a tid equal to it, one thread
 * (/proc/self/status), the descriptors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *self_path;
static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok)
        failures++;
}

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

    nanosleep(&ts, NULL);
}

/* The Threads: line of /proc/self/status, or -1. */
static int threads_now(void)
{
    char line[128];
    int n = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    fclose(f);
    return n;
}

/* ---- the new program ---- */

/* procrest after KIND PID [A B]: what the program execve started finds. */
static int after(int argc, char **argv)
{
    int pid = getpid(), tid = (int)syscall(SYS_gettid), fd;

    printf("after %s: same pid %s, tid %s the pid, threads %d\n", argv[2],
           pid == atoi(argv[3]) ? "yes" : "no", tid == pid ? "is" : "is not", threads_now());
    if (strcmp(argv[2], "files") != 0 || argc < 6)
        return 0;
    printf("after files: close-on-exec fd %s, plain fd %s\n",
           fcntl(atoi(argv[4]), F_GETFD) < 0 && errno == EBADF ? "closed" : "OPEN",
           fcntl(atoi(argv[5]), F_GETFD) >= 0 ? "open" : "CLOSED");
    fflush(stdout);
    fd = open("/dev/null", O_RDONLY);
    return fd < 0 ? 100 : fcntl(fd, F_DUPFD, 50);      /* the parent looks for it in its own table */
}

static void run_after(const char *kind, const char *a, const char *b)
{
    char pid[16];
    char *argv[] = { (char *)self_path, "after", (char *)kind, pid, (char *)a, (char *)b, NULL };

    snprintf(pid, sizeof pid, "%d", getpid());
    fflush(stdout);
    execv(self_path, argv);
    printf("%s: execve: %s\n", kind, strerror(errno));
    fflush(stdout);
    _exit(1);
}

/* ---- threads to end ---- */

static int futex_word, pipe_fds[2];
static volatile int spinning, futex_entered, reading;

static void *in_futex(void *arg)
{
    (void)arg;
    futex_entered = 1;
    syscall(SYS_futex, &futex_word, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0);
    printf("futex thread: woke up after the execve\n");
    return NULL;
}

static void *in_read(void *arg)
{
    char c;

    (void)arg;
    reading = 1;
    if (read(pipe_fds[0], &c, 1) >= 0)
        printf("pipe thread: read returned after the execve\n");
    return NULL;
}

static void *in_loop(void *arg)
{
    (void)arg;
    for (;;)
        spinning++;
    return NULL;
}

static void start(void *(*fn)(void *))
{
    pthread_t t;

    if (pthread_create(&t, NULL, fn, NULL) != 0) {
        printf("pthread_create failed\n");
        _exit(2);
    }
}

/* The three kinds of thread running, then fn (in a child of its own); its exit status. */
static int in_child(void (*fn)(void))
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        if (pipe(pipe_fds) != 0)
            _exit(2);
        start(in_futex);
        start(in_read);
        start(in_loop);
        while (!futex_entered || !reading || !spinning)
            nap_ms(1);
        nap_ms(20);                     /* into their waits */
        fn();
        _exit(3);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void leader_execs(void)
{
    printf("leader: threads before %d\n", threads_now());
    run_after("leader", NULL, NULL);
}

static void *nonleader(void *arg)
{
    (void)arg;
    printf("nonleader: threads before %d\n", threads_now());
    run_after("nonleader", NULL, NULL);
    return NULL;
}

static void other_execs(void)
{
    pthread_t t;

    if (pthread_create(&t, NULL, nonleader, NULL) == 0)
        pthread_join(t, NULL);
    printf("nonleader: pthread_join returned\n");
}

/* ---- CLONE_FILES ---- */

static int cloexec_fd, plain_fd;

static int files_child(void *arg)
{
    char a[16], b[16];

    (void)arg;
    snprintf(a, sizeof a, "%d", cloexec_fd);
    snprintf(b, sizeof b, "%d", plain_fd);
    run_after("files", a, b);
    return 1;
}

static void shared_files(void)
{
    static char stack[64 * 1024];
    int status, newfd;
    pid_t pid;

    cloexec_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    plain_fd = open("/dev/null", O_RDONLY);
    pid = clone(files_child, stack + sizeof stack, CLONE_FILES | SIGCHLD, NULL);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        printf("files: clone or wait failed\n");
        failures++;
        return;
    }
    newfd = WEXITSTATUS(status);
    printf("files: the child's new fd is %d\n", newfd);
    check(fcntl(cloexec_fd, F_GETFD) == FD_CLOEXEC, "files: our close-on-exec fd is still open");
    check(fcntl(newfd, F_GETFD) < 0 && errno == EBADF, "files: the child's new fd is not in our table");
    close(cloexec_fd);
    close(plain_fd);
}

static int exec_tests(void)
{
    int status;

    status = in_child(leader_execs);
    printf("leader: exit status %d\n", status);
    status = in_child(other_execs);
    printf("nonleader: exit status %d\n", status);
    shared_files();
    return failures;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    self_path = argv[0];
    if (argc >= 4 && strcmp(argv[1], "after") == 0)
        return after(argc, argv);
    if (argc == 2 && strcmp(argv[1], "exec") == 0) {
        int f = exec_tests();
        printf(f ? "procrest exec: %d FAILED\n" : "procrest exec: all passed\n", f);
        return f != 0;
    }
    printf("usage: procrest exec|maps\n");
    return 2;
}
