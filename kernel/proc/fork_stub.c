/*
 * fork_stub.c - the first version of a call fork needs from the files
 * part of issue 16, until its own lands (fd.c): fd_table_clone copies the
 * table. (uspace_fork, copy-on-write, is kernel/mm/uspace.c's now.)
 */
#include <stdint.h>
#include <string.h>

#include "fs/vfs.h"
#include "proc/fd.h"
#include "proc/proc_impl.h"

struct fd_table *fd_table_clone(struct fd_table *t)
{
    struct fd_table *c = fd_table_create();

    if (!c)
        return NULL;
    for (int i = 0; i < FD_MAX; i++) {
        c->fd[i] = t->fd[i];
        if (c->fd[i].file)
            file_get(c->fd[i].file);
    }
    return c;
}
