/*
 * fd.c - a process's file descriptors (see fd.h).
 */
#include "errno.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "proc/fd.h"

int fd_install(struct fd_table *t, struct fd_entry e)
{
    for (int i = 0; i < FD_MAX; i++) {
        if (!t->fd[i].file && !t->fd[i].tty) {
            t->fd[i] = e;
            return i;
        }
    }
    return -EMFILE;
}

struct fd_entry *fd_get(struct fd_table *t, long fd)
{
    if (fd < 0 || fd >= FD_MAX || (!t->fd[fd].file && !t->fd[fd].tty))
        return 0;
    return &t->fd[fd];
}

int fd_close(struct fd_table *t, long fd)
{
    struct fd_entry *e = fd_get(t, fd);

    if (!e)
        return -EBADF;
    if (e->file)
        file_put(e->file);
    *e = (struct fd_entry){ 0, 0 };
    return 0;
}

void fd_close_all(struct fd_table *t)
{
    for (int i = 0; i < FD_MAX; i++)
        if (t->fd[i].file || t->fd[i].tty)
            fd_close(t, i);
}

struct fd_table *fd_table_create(void)
{
    struct fd_table *t = kcalloc(1, sizeof *t);

    if (t)
        t->refs = 1;
    return t;
}

void fd_table_put(struct fd_table *t)
{
    if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    fd_close_all(t);
    kfree(t);
}
