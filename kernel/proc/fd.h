/*
 * fd.h - a process's file descriptors (fd.c): small integers naming an
 * open file of the VFS or, until devfs gives terminals a file of their
 * own, a terminal directly.
 *
 * Only the process's own thread touches its table (one thread per
 * process today); fd_close_all runs as it exits.
 */
#pragma once

#include <stdint.h>

struct file;
struct tty;

#define FD_MAX  64

struct fd_entry {
    struct file *file;          /* a VFS file (a reference), or NULL */
    struct tty *tty;            /* a terminal, or NULL */
};

struct fd_table {
    unsigned refs;              /* atomic: processes sharing it (CLONE_FILES) */
    struct fd_entry fd[FD_MAX];
};

/* A new, empty table with one reference; NULL when memory is out. */
struct fd_table *fd_table_create(void);
/* Drop a reference: the last closes every descriptor and frees the table. */
void fd_table_put(struct fd_table *t);

/* The lowest free descriptor given `e` (its reference moves in); -EMFILE when full. */
int fd_install(struct fd_table *t, struct fd_entry e);
/* The entry of fd, or NULL (-EBADF for the caller) when fd is not open. */
struct fd_entry *fd_get(struct fd_table *t, long fd);
int fd_close(struct fd_table *t, long fd);
void fd_close_all(struct fd_table *t);
