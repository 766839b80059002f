/*
 * fork_stub.c - first versions of two calls fork needs from the files and
 * memory parts of issue 16, until their own land (fd.c, uspace.c):
 * fd_table_clone copies the table; uspace_fork copies every mapped page
 * at once (no copy-on-write yet).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mm/uspace.h"
#include "proc/fd.h"
#include "proc/proc_impl.h"

#define PAGE    4096ULL

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

struct uspace *uspace_fork(struct uspace *src)
{
    struct uspace *us = uspace_create();

    if (!us)
        return NULL;
    us->brk_start = src->brk_start;
    us->brk = src->brk;
    for (struct uvma *v = src->vmas; v; v = v->next) {
        if (uspace_map(us, v->start, v->end - v->start, v->prot, v->kind) != 0)
            goto fail;
        for (uint64_t va = v->start; va < v->end; va += PAGE) {
            uint64_t pa = vmm_translate(src->vm, va);
            if (pa && uspace_write(us, va, arch_phys_to_virt(pa & ~(PAGE - 1)), PAGE) != 0)
                goto fail;
        }
    }
    return us;
fail:
    uspace_destroy(us);
    return NULL;
}
