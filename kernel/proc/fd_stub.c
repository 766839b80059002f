/*
 * fd_stub.c - proc_fs_current until struct proc has its `fs` (issue 16's
 * contract: the integrator adds `struct proc_fs fs` to proc.h, fork copies
 * it with proc_fs_copy, exit releases it with proc_fs_release). Meanwhile
 * each process's proc_fs lives here, found by (process, pid), made on the
 * first use; the oldest slot is reused when all are taken. Deleted once
 * proc.h has the field: proc_fs_current becomes &proc_current()->fs.
 */
#include "proc/fd.h"
#include "proc/proc.h"
#include "sync/spinlock.h"

#define FS_STUB_SLOTS   64

static struct {
    const struct proc *p;
    int pid;
    struct proc_fs fs;
} slots[FS_STUB_SLOTS];
static unsigned next_slot;
static struct spinlock stub_lock = SPINLOCK_INIT("proc_fs stub");

struct proc_fs *proc_fs_current(void)
{
    struct proc *p = proc_current();
    struct proc_fs *fs = NULL;
    unsigned i;

    if (!p)
        return NULL;
    spin_lock(&stub_lock);
    for (i = 0; i < FS_STUB_SLOTS && !fs; i++)
        if (slots[i].p == p && slots[i].pid == p->pid)
            fs = &slots[i].fs;
    if (!fs) {
        i = next_slot++ % FS_STUB_SLOTS;
        slots[i].p = p;
        slots[i].pid = p->pid;
        fs = &slots[i].fs;
        proc_fs_init(fs);           /* an old slot's cwd reference is dropped by nobody: a stub */
    }
    spin_unlock(&stub_lock);
    return fs;
}
