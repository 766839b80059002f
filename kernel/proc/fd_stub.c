/*
 * fd_stub.c - proc_fs_current until struct proc has its `fs` (issue 16's
 * contract: the integrator adds `struct proc_fs fs` to proc.h, fork copies
 * it with proc_fs_copy, exit releases it with proc_fs_release; its
 * proc_fs_current is on the way in proc.c, so this one is weak and yields
 * to it, and the file goes at that merge). Meanwhile
 * each process's proc_fs lives here, found by (process, pid), made on the
 * first use from its parent's; the oldest slot is reused when all are taken. Deleted once
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

/* Caller holds stub_lock: the slot of (p, pid), or NULL. */
static struct proc_fs *find_locked(const struct proc *p, int pid)
{
    for (unsigned i = 0; i < FS_STUB_SLOTS; i++)
        if (slots[i].p == p && slots[i].pid == pid)
            return &slots[i].fs;
    return NULL;
}

/*
 * A process's first use makes its slot, a copy of its parent's when the
 * parent has one (fork copies cwd and umask: here at the child's first
 * use rather than at fork, so a chdir of the parent in between is seen).
 * The parent is only compared by address under stub_lock, never followed.
 */
__attribute__((weak)) struct proc_fs *proc_fs_current(void)
{
    struct proc *p = proc_current();
    const struct proc *parent;
    struct proc_fs *fs, *from;
    int parent_pid;
    unsigned i;

    if (!p)
        return NULL;
    spin_lock(&proc_lock);
    parent = p->parent;
    parent_pid = parent ? parent->pid : 0;
    spin_unlock(&proc_lock);
    spin_lock(&stub_lock);
    if (!(fs = find_locked(p, p->pid))) {
        i = next_slot++ % FS_STUB_SLOTS;
        slots[i].p = p;
        slots[i].pid = p->pid;
        fs = &slots[i].fs;
        if (parent && (from = find_locked(parent, parent_pid)))
            proc_fs_copy(fs, from);     /* an old slot's cwd reference is dropped by nobody: a stub */
        else
            proc_fs_init(fs);
    }
    spin_unlock(&stub_lock);
    return fs;
}
