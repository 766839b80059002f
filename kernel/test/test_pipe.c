/*
 * test_pipe.c - ktests of pipes (kernel/ipc/pipe.c) and fd tables
 * (kernel/proc/fd.c) below the system calls: what a process sees of them
 * is the differential tests' (tests/user/pipe_one.c, file_fd.c); these
 * add what one process cannot show before fork: a reader blocked in one
 * thread woken by a writer in another, in order, to the last byte and the
 * end of file; PIPE_BUF atomicity at the byte where it matters; a table
 * cloned for fork sharing its files, and close-on-exec closing only the
 * marked descriptors of the clone; a poller woken by a write, or by its
 * deadline and never before.
 */
#include "errno.h"
#include "fs/vfs.h"
#include "ipc/pipe.h"
#include "ipc/pollwait.h"
#include "proc/fd.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define WRITER_BYTES    (3 * PIPE_SIZE + 123)

static int make_pipe(struct ktest *t, unsigned flags, struct file **rd, struct file **wr)
{
    return KTEST_ASSERT_EQ(t, pipe_create(flags, rd, wr), 0);
}

/* Bytes in, EOF once the write end is gone; EPIPE once the read end is. */
void ktest_pipe_bytes_eof_epipe(struct ktest *t)
{
    struct file *rd, *wr;
    char buf[8];

    if (!make_pipe(t, 0, &rd, &wr))
        return;
    KTEST_ASSERT_EQ(t, vfs_write(wr, "abc", 3), 3);
    KTEST_ASSERT_EQ(t, pipe_unread(rd), 3);
    KTEST_ASSERT_EQ(t, vfs_read(rd, buf, sizeof buf), 3);
    KTEST_ASSERT(t, (rd->inode->mode & S_IFMT) == S_IFIFO && rd->inode == wr->inode);
    file_put(wr);
    KTEST_ASSERT_EQ(t, vfs_read(rd, buf, sizeof buf), 0);
    file_put(rd);

    if (!make_pipe(t, 0, &rd, &wr))
        return;
    file_put(rd);
    KTEST_ASSERT_EQ(t, vfs_write(wr, "x", 1), -EPIPE);
    file_put(wr);
}

/* A write of at most PIPE_BUF goes whole or not at all: 96 bytes of room refuse 4096. */
void ktest_pipe_write_atomic(struct ktest *t)
{
    static char page[PIPE_BUF];
    struct file *rd, *wr;
    long n = 0;

    if (!make_pipe(t, O_NONBLOCK, &rd, &wr))
        return;
    while (n < PIPE_SIZE - 96)
        n += vfs_write(wr, page, (size_t)(PIPE_SIZE - 96 - n) < sizeof page ? (size_t)(PIPE_SIZE - 96 - n)
                                                                             : sizeof page);
    KTEST_ASSERT_EQ(t, n, PIPE_SIZE - 96);
    KTEST_ASSERT_EQ(t, vfs_write(wr, page, PIPE_BUF), -EAGAIN);
    KTEST_ASSERT_EQ(t, pipe_unread(rd), PIPE_SIZE - 96);
    KTEST_ASSERT_EQ(t, vfs_write(wr, page, 96), 96);
    KTEST_ASSERT_EQ(t, vfs_write(wr, page, 1), -EAGAIN);
    file_put(rd);
    file_put(wr);
}

struct writer {
    struct file *wr;
    long written;
};

static void writer_thread(void *arg)
{
    struct writer *w = arg;
    unsigned char buf[1000];

    while (w->written < WRITER_BYTES) {
        size_t n = WRITER_BYTES - w->written < (long)sizeof buf ? (size_t)(WRITER_BYTES - w->written) : sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = (unsigned char)((w->written + (long)i) % 251);
        long r = vfs_write(w->wr, buf, n);
        if (r <= 0)
            break;
        w->written += r;
    }
    file_put(w->wr);                    /* the reader sees the end of file */
}

/* A reader blocked on an empty pipe is woken by a writer thread; bytes in order; then EOF. */
void ktest_pipe_reader_blocks(struct ktest *t)
{
    static struct writer w;
    struct file *rd;
    struct thread *th;
    unsigned char buf[777];
    long got = 0, r, wrong = -1;

    if (!make_pipe(t, 0, &rd, &w.wr))
        return;
    w.written = 0;
    if (!KTEST_ASSERT(t, (th = thread_create("pipe writer", writer_thread, &w, SCHED_PRIO_DEFAULT)) != NULL)) {
        file_put(w.wr);
        file_put(rd);
        return;
    }
    while ((r = vfs_read(rd, buf, sizeof buf)) > 0) {
        for (long i = 0; i < r && wrong < 0; i++)
            if (buf[i] != (unsigned char)((got + i) % 251))
                wrong = got + i;
        got += r;
    }
    thread_join(th);
    KTEST_ASSERT_EQ(t, r, 0);
    KTEST_ASSERT_EQ(t, got, WRITER_BYTES);
    KTEST_ASSERT_EQ(t, w.written, WRITER_BYTES);
    KTEST_ASSERT_EQ(t, wrong, -1);
    file_put(rd);
}

/* fork's copy holds the same files (one more reference each); exec closes the marked only. */
void ktest_fd_table_clone_cloexec(struct ktest *t)
{
    struct fd_table *a = fd_table_create(), *b;
    struct file *rd, *wr, *f;

    if (!KTEST_ASSERT(t, a != NULL) || !make_pipe(t, 0, &rd, &wr)) {
        if (a)
            fd_table_put(a);
        return;
    }
    KTEST_ASSERT_EQ(t, fd_install_from(a, rd, 0, 0), 0);
    KTEST_ASSERT_EQ(t, fd_install_from(a, wr, FD_CLOEXEC, 0), 1);
    KTEST_ASSERT_EQ(t, fd_get_flags(a, 1), FD_CLOEXEC);
    if (!KTEST_ASSERT(t, (b = fd_table_clone(a)) != NULL)) {
        fd_table_put(a);
        return;
    }
    KTEST_ASSERT_EQ(t, rd->refs, 2);
    KTEST_ASSERT_EQ(t, fd_get_flags(b, 1), FD_CLOEXEC);
    fd_close_on_exec(b);
    KTEST_ASSERT(t, (f = fd_file(b, 1)) == NULL);
    KTEST_ASSERT(t, (f = fd_file(b, 0)) == rd);
    if (f)
        file_put(f);
    KTEST_ASSERT_EQ(t, wr->refs, 1);
    KTEST_ASSERT(t, (f = fd_file(a, 1)) == wr);
    if (f)
        file_put(f);
    file_get(rd);
    KTEST_ASSERT_EQ(t, fd_replace(a, 5, rd, 0), 5);    /* rd: a's 0 and 5, b's 0 */
    KTEST_ASSERT_EQ(t, rd->refs, 3);
    KTEST_ASSERT(t, fd_table_get(b) == b);
    fd_table_put(b);                    /* one of two references: b stays */
    KTEST_ASSERT_EQ(t, rd->refs, 3);
    fd_table_put(b);                    /* the last: b's files closed */
    KTEST_ASSERT_EQ(t, rd->refs, 2);
    KTEST_ASSERT_EQ(t, fd_close(a, 5), 0);
    KTEST_ASSERT_EQ(t, fd_close(a, 5), -EBADF);
    KTEST_ASSERT_EQ(t, rd->refs, 1);
    for (int i = 0; i < 40; i++) {      /* more than one batch of close_matching */
        file_get(rd);
        KTEST_ASSERT_EQ(t, fd_install_from(a, rd, i & 1 ? FD_CLOEXEC : 0, 100), 100 + i);
    }
    KTEST_ASSERT_EQ(t, rd->refs, 41);
    fd_close_on_exec(a);
    KTEST_ASSERT_EQ(t, rd->refs, 21);
    fd_table_put(a);
}

static void late_writer(void *arg)
{
    sched_sleep_ns(20 * NS_PER_MS);
    vfs_write(arg, "p", 1);
}

/* A poller asleep on an empty pipe is woken by a write from another thread, not by its
 * deadline; with nothing written, the deadline ends the sleep, never early. */
void ktest_pipe_poll_wakes(struct ktest *t)
{
    struct file *rd, *wr;
    struct thread *th;
    uint64_t gen, start;
    int r = 0;

    if (!make_pipe(t, 0, &rd, &wr))
        return;
    KTEST_ASSERT_EQ(t, rd->ops->poll(rd), 0u);
    KTEST_ASSERT_EQ(t, wr->ops->poll(wr), (unsigned)(POLLOUT | POLLWRNORM));
    gen = pollwait_generation();
    start = clock_ns();
    if (KTEST_ASSERT(t, (th = thread_create("late writer", late_writer, wr, SCHED_PRIO_DEFAULT)) != NULL)) {
        while (!(rd->ops->poll(rd) & POLLIN) && r == 0) {
            r = pollwait_sleep(gen, start + 5 * NS_PER_SEC);
            gen = pollwait_generation();
        }
        thread_join(th);
        KTEST_ASSERT_EQ(t, r, 0);
        KTEST_ASSERT(t, rd->ops->poll(rd) & POLLIN);
        KTEST_ASSERT(t, clock_ns() - start < 5 * NS_PER_SEC);
    }
    gen = pollwait_generation();
    start = clock_ns();
    KTEST_ASSERT_EQ(t, pollwait_sleep(gen, start + 30 * NS_PER_MS), -ETIMEDOUT);
    KTEST_ASSERT(t, clock_ns() - start >= 30 * NS_PER_MS);
    file_put(wr);
    KTEST_ASSERT(t, rd->ops->poll(rd) & POLLHUP);
    file_put(rd);
}
