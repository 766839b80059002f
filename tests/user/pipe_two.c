/*
 * pipe_two.c - pipes between processes: a child's 200,000 bytes reach the
 * parent in order through a blocking read, then the end of file once every
 * write end is closed (the parent's own copy too); two children writing
 * 512-byte records (at most PIPE_BUF, so atomic) at once never interleave
 * inside a record; a parent blocked in read until the child writes; EPIPE
 * once the only reader has exited; a file's offset shared across fork.
 * No pids are printed: Linux and Tessera print the same lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BYTES   200000
#define RECORD  512
#define RECORDS 300

static int bad;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    bad += !ok;
}

static int exited_0(pid_t pid)
{
    int status;

    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void stream(void)
{
    static unsigned char buf[7000];
    long got = 0, n, wrong = -1;
    int p[2];
    pid_t pid;

    pipe(p);
    if ((pid = fork()) == 0) {
        close(p[0]);
        for (long done = 0; done < BYTES;) {
            long k = BYTES - done < (long)sizeof buf ? BYTES - done : (long)sizeof buf;
            for (long i = 0; i < k; i++)
                buf[i] = (unsigned char)((done + i) % 253);
            if ((n = write(p[1], buf, (size_t)k)) <= 0)
                _exit(2);
            done += n;
        }
        _exit(0);
    }
    close(p[1]);
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (long i = 0; i < n && wrong < 0; i++)
            if (buf[i] != (unsigned char)((got + i) % 253))
                wrong = got + i;
        got += n;
    }
    check("a child's bytes arrive in order", wrong == -1);
    printf("bytes read: %ld, then read returned %ld\n", got, n);
    check("the child exited 0", exited_0(pid));
    close(p[0]);
}

static void writer(int fd, char tag)
{
    char rec[RECORD];

    memset(rec, tag, sizeof rec);
    for (int i = 0; i < RECORDS; i++)
        if (write(fd, rec, sizeof rec) != sizeof rec)
            _exit(2);
    _exit(0);
}

static void atomic_records(void)
{
    static char buf[4096];
    long got = 0, n, torn = 0, counts[2] = { 0, 0 };
    char first = 0;
    int p[2];
    pid_t a, b;

    pipe(p);
    if ((a = fork()) == 0)
        writer(p[1], 'a');
    if ((b = fork()) == 0)
        writer(p[1], 'b');
    close(p[1]);
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (long i = 0; i < n; i++, got++) {
            if (got % RECORD == 0) {
                first = buf[i];
                counts[first == 'b']++;
            } else if (buf[i] != first) {
                torn++;
            }
        }
    }
    check("two writers' records of 512 bytes never interleave", torn == 0);
    printf("records: %ld of a, %ld of b\n", counts[0], counts[1]);
    check("both children exited 0", exited_0(a) && exited_0(b));
    close(p[0]);
}

static void blocked_reader(void)
{
    int p[2], q[2];
    char c = 0;
    pid_t pid;

    pipe(p);
    pipe(q);
    if ((pid = fork()) == 0) {
        close(p[0]);
        read(q[0], &c, 1);                  /* wait until the parent is about to block */
        for (volatile long i = 0; i < 2000000; i++)
            ;
        write(p[1], "!", 1);
        _exit(0);
    }
    close(p[1]);
    write(q[1], "go", 1);
    check("a read blocks until the child writes", read(p[0], &c, 1) == 1 && c == '!');
    check("then the end of file", read(p[0], &c, 1) == 0);
    check("the child exited 0", exited_0(pid));
    close(p[0]);
    close(q[0]);
    close(q[1]);
}

static void no_reader(void)
{
    int p[2];
    pid_t pid;

    signal(SIGPIPE, SIG_IGN);
    pipe(p);
    if ((pid = fork()) == 0)
        _exit(0);                           /* the child's copy of the read end goes with it */
    close(p[0]);
    check("the child exited 0", exited_0(pid));
    check("write with no reader left: EPIPE", write(p[1], "x", 1) == -1 && errno == EPIPE);
    close(p[1]);
}

static void shared_offset(const char *dir)
{
    char path[256];
    int fd;
    pid_t pid;

    snprintf(path, sizeof path, "%s/pipe_two.%d", dir, (int)getpid());
    fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    check("open a file", fd >= 0);
    if ((pid = fork()) == 0)
        _exit(write(fd, "child", 5) == 5 ? 0 : 1);
    check("the child wrote through the inherited descriptor", exited_0(pid));
    check("its write moved the parent's offset", lseek(fd, 0, SEEK_CUR) == 5);
    close(fd);
    unlink(path);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir(argc > 1 ? argv[1] : "/tmp", 01777);
    stream();
    atomic_records();
    blocked_reader();
    no_reader();
    shared_offset(argc > 1 ? argv[1] : "/tmp");
    printf("pipe_two: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
