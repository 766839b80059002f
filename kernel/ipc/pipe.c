/*
 * pipe.c - pipes (see pipe.h).
 *
 * The queue is a ring of PIPE_SIZE bytes, allocated with the pipe. Each
 * end is a file made here (not through vfs_open: a pipe has no name) on
 * the pipe's inode, an inode of the pipe file system, which exists only
 * to give the inodes a super_block (fstat's st_dev, statfs's PIPEFS_MAGIC).
 * The last end's release frees the pipe; the inode goes with the last
 * file's iput.
 *
 * A blocked reader or writer sleeps with waitq_wait; the signals helper's
 * waitq_wait_intr (-EINTR, restart per SA_RESTART) replaces it once on main.
 */
#include <string.h>

#include "errno.h"
#include "fs/vfs_impl.h"
#include "ipc/pipe.h"
#include "ipc/pollwait.h"
#include "mm/heap.h"
#include "mutant.h"
#include "proc/proc.h"
#include "sched/waitq.h"
#include "sync/spinlock.h"

#define PIPEFS_MAGIC    0x50495045  /* Linux's, <linux/magic.h> */
#define SIGPIPE         13

/* The signals helper's call (signal.h); a weak stand-in until it is on main (signal_stub.c). */
int signal_send_thread(struct uthread *u, int sig);

struct pipe {
    struct spinlock lock;       /* guards everything below */
    struct waitq readers;       /* waiting for bytes or the last writer's close */
    struct waitq writers;       /* waiting for room or the last reader's close */
    char *buf;                  /* PIPE_SIZE bytes, a ring */
    size_t head, count;         /* first unread byte, bytes unread */
    unsigned nreaders, nwriters;    /* open ends */
};

static const struct file_ops pipe_read_fops, pipe_write_fops;
static struct super_block *pipe_sb;
static uint64_t next_ino = 1;

static int pipefs_write_inode(struct inode *inode)
{
    (void)inode;                /* nothing kept anywhere */
    return 0;
}

static int pipefs_statfs(struct super_block *sb, struct vfs_statfs *out)
{
    (void)sb;
    memset(out, 0, sizeof *out);
    out->magic = PIPEFS_MAGIC;
    out->bsize = 4096;
    out->namelen = NAME_MAX;
    return 0;
}

static const struct super_ops pipefs_ops = {
    .write_inode = pipefs_write_inode,
    .statfs = pipefs_statfs,
};
static struct fs_type pipefs_type = { .name = "pipefs" };

/* The pipe file system's super_block, made at the first pipe. */
static struct super_block *pipefs(void)
{
    struct super_block *sb = __atomic_load_n(&pipe_sb, __ATOMIC_ACQUIRE), *none = NULL;

    if (sb)
        return sb;
    if (!(sb = vfs_new_super(&pipefs_type, NULL)))
        return NULL;
    sb->ops = &pipefs_ops;
    if (!__atomic_compare_exchange_n(&pipe_sb, &none, sb, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        vfs_free_super(sb);         /* another CPU made it first */
        return none;
    }
    return sb;
}

static struct inode *pipe_inode(struct pipe *p)
{
    struct super_block *sb = pipefs();
    struct inode *inode = sb ? vfs_new_inode(sb, __atomic_fetch_add(&next_ino, 1, __ATOMIC_RELAXED)) : NULL;

    if (!inode)
        return NULL;
    inode->mode = S_IFIFO | 0600;
    inode->nlink = 1;
    inode->uid = vfs_current_cred()->uid;
    inode->gid = vfs_current_cred()->gid;
    inode->atime = inode->mtime = inode->ctime = vfs_now();
    inode->priv = p;
    return inode;
}

/* A file on inode (the caller's reference moves in). */
static struct file *pipe_file(struct inode *inode, const struct file_ops *ops, unsigned flags)
{
    struct file *f = kcalloc(1, sizeof *f);

    if (!f)
        return NULL;
    f->inode = inode;
    f->ops = ops;
    f->flags = flags;
    f->priv = inode->priv;
    mutex_init(&f->pos_lock, "pipe pos");
    f->refs = 1;
    return f;
}

int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
    struct pipe *p = kcalloc(1, sizeof *p);
    struct inode *inode = NULL;

    if (!p || !(p->buf = kmalloc(PIPE_SIZE)) || !(inode = pipe_inode(p))) {
        if (p)
            kfree(p->buf);
        kfree(p);
        return -ENOMEM;
    }
    spin_init(&p->lock, "pipe");
    waitq_init(&p->readers);
    waitq_init(&p->writers);
    p->nreaders = p->nwriters = 1;
    ipin(inode);                                /* one reference per end */
    *rd = pipe_file(inode, &pipe_read_fops, O_RDONLY | (flags & O_NONBLOCK));
    *wr = pipe_file(inode, &pipe_write_fops, O_WRONLY | (flags & O_NONBLOCK));
    if (!*rd || !*wr) {
        kfree(*rd);
        kfree(*wr);
        iput(inode);
        iput(inode);
        kfree(p->buf);
        kfree(p);
        return -ENOMEM;
    }
    return 0;
}

int file_is_pipe(const struct file *f)
{
    return f->ops == &pipe_read_fops || f->ops == &pipe_write_fops;
}

long pipe_unread(struct file *f)
{
    struct pipe *p = f->priv;
    long n;

    spin_lock(&p->lock);
    n = (long)p->count;
    spin_unlock(&p->lock);
    return n;
}

/* Caller holds p->lock: n bytes out of the ring into buf. */
static void ring_take(struct pipe *p, char *buf, size_t n)
{
    size_t first = PIPE_SIZE - p->head < n ? PIPE_SIZE - p->head : n;

    memcpy(buf, p->buf + p->head, first);
    memcpy(buf + first, p->buf, n - first);
    p->head = (p->head + n) % PIPE_SIZE;
    p->count -= n;
}

/* Caller holds p->lock: n bytes from buf onto the ring's tail (room checked). */
static void ring_put(struct pipe *p, const char *buf, size_t n)
{
    size_t tail = (p->head + p->count) % PIPE_SIZE;
    size_t first = PIPE_SIZE - tail < n ? PIPE_SIZE - tail : n;

    memcpy(p->buf + tail, buf, first);
    memcpy(p->buf, buf + first, n - first);
    p->count += n;
}

static long pipe_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    struct pipe *p = f->priv;
    long n;

    (void)pos;
    if (len == 0)
        return 0;
    spin_lock(&p->lock);
    while (p->count == 0) {
        if (p->nwriters == 0) {
            spin_unlock(&p->lock);
            return 0;                           /* end of file */
        }
        if (f->flags & O_NONBLOCK) {
            spin_unlock(&p->lock);
            return -EAGAIN;
        }
        waitq_wait(&p->readers, &p->lock);
    }
    n = (long)(len < p->count ? len : p->count);
    ring_take(p, buf, (size_t)n);
    waitq_wake_all(&p->writers);
    spin_unlock(&p->lock);
    pollwait_notify();
    return n;
}

/* Caller holds p->lock: how many of the `left` bytes go now (0: wait), or -EPIPE. */
static long room_for(struct pipe *p, size_t left, size_t len)
{
    size_t room = PIPE_SIZE - p->count;

    if (p->nreaders == 0)
        return -EPIPE;
    if (len <= PIPE_BUF && !MUTANT_ENABLED(pipe_atomic))
        return room >= left ? (long)left : 0;   /* atomic: all at once */
    return (long)(room < left ? room : left);
}

static long pipe_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    struct pipe *p = f->priv;
    size_t done = 0;
    long n = 0;

    (void)pos;
    spin_lock(&p->lock);
    while (done < len) {
        if ((n = room_for(p, len - done, len)) < 0)
            break;
        if (n == 0) {
            if (f->flags & O_NONBLOCK)
                break;
            waitq_wait(&p->writers, &p->lock);
            continue;
        }
        ring_put(p, (const char *)buf + done, (size_t)n);
        done += (size_t)n;
        waitq_wake_all(&p->readers);
    }
    spin_unlock(&p->lock);
    if (done)
        pollwait_notify();
    if (n == -EPIPE && !done)
        signal_send_thread(uthread_current(), SIGPIPE);
    if (done || len == 0)
        return (long)done;
    return n < 0 ? n : -EAGAIN;
}

static unsigned pipe_poll_read(struct file *f)
{
    struct pipe *p = f->priv;
    unsigned r = 0;

    spin_lock(&p->lock);
    if (p->count)
        r |= POLLIN | POLLRDNORM;
    if (p->nwriters == 0)
        r |= POLLHUP;
    spin_unlock(&p->lock);
    return r;
}

static unsigned pipe_poll_write(struct file *f)
{
    struct pipe *p = f->priv;
    unsigned r = 0;

    spin_lock(&p->lock);
    if (PIPE_SIZE - p->count >= PIPE_BUF)
        r |= POLLOUT | POLLWRNORM;
    if (p->nreaders == 0)
        r |= POLLERR;
    spin_unlock(&p->lock);
    return r;
}

/* An end's last file closed: the other side wakes (EOF, EPIPE); the last end frees the pipe. */
static void pipe_release(struct file *f)
{
    struct pipe *p = f->priv;
    int last;

    spin_lock(&p->lock);
    if (f->ops == &pipe_read_fops)
        p->nreaders--;
    else
        p->nwriters--;
    last = p->nreaders == 0 && p->nwriters == 0;
    waitq_wake_all(&p->readers);
    waitq_wake_all(&p->writers);
    spin_unlock(&p->lock);
    pollwait_notify();
    if (last) {
        kfree(p->buf);
        kfree(p);
    }
}

static const struct file_ops pipe_read_fops = {
    .release = pipe_release,
    .read = pipe_read,
    .poll = pipe_poll_read,
};

static const struct file_ops pipe_write_fops = {
    .release = pipe_release,
    .write = pipe_write,
    .poll = pipe_poll_write,
};
