/*
 * pipe.h - pipes (pipe.c): a byte queue of PIPE_SIZE between a read end
 * and a write end, each a struct file of the VFS on one inode of the pipe
 * file system (S_IFIFO, as fstat reports it), so a descriptor of a pipe is
 * an ordinary fd entry and dup, fork, poll and close treat it as any file.
 *
 * POSIX (XSH write(), "Pipes and FIFOs") and Linux pipe(7):
 *   - a write of at most PIPE_BUF bytes is atomic: it waits for room for
 *     all of it, never interleaved with another writer's bytes; a longer
 *     one may be split, and returns once all went (or, non-blocking, what
 *     fitted: -EAGAIN when nothing did);
 *   - a read waits while the pipe is empty and a writer is open; empty
 *     with no writer is end of file (0); non-blocking, -EAGAIN;
 *   - a write with no reader left is -EPIPE, and SIGPIPE to the writer.
 * O_NONBLOCK is read from the file's flags at each call (fcntl F_SETFL).
 *
 * Locking: the pipe's spinlock guards the queue and the counts of open
 * ends; readers and writers wait on their own queue under it.
 */
#pragma once

#include "fs/vfs.h"

#define PIPE_BUF    4096        /* bytes a write delivers whole (Linux's, <linux/limits.h>) */
#define PIPE_SIZE   65536       /* the queue: Linux's default capacity, 16 pages */

/* Two files on a new pipe: *rd (O_RDONLY) and *wr (O_WRONLY), each with
 * `flags`' O_NONBLOCK. 0, or -ENOMEM. */
int pipe_create(unsigned flags, struct file **rd, struct file **wr);
/* 1 when f is an end of a pipe. */
int file_is_pipe(const struct file *f);
/* Bytes waiting in f's pipe (FIONREAD). */
long pipe_unread(struct file *f);
