/*
 * procfs_maps.c - /proc/N/maps: a line per VMA of the process's space, in
 * Linux's format (fs/proc/task_mmu.c, show_map_vma):
 *
 *   start-end perms offset major:minor inode   name
 *
 * addresses at least 8 hex digits, perms r w x and p (private) or s
 * (shared), the file offset of `start` (8 hex digits), the file's device
 * and inode (00:00 0 for anonymous memory), and a name padded to column
 * 73: a mapped file's path, the program's path for its segments (Linux
 * maps them from the file; here their bytes were copied in at exec, and
 * exec.h's exec_segments says which file pages they are), [heap] for brk,
 * [stack]. A line without a name ends with a space after the inode, as
 * Linux's.
 *
 * The VMAs are copied under the space's lock (each file referenced), then
 * printed: the printing allocates and a path name takes the dcache's lock.
 */
#include <stdint.h>
#include <string.h>

#include "errno.h"
#include "format.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mm/uobj.h"
#include "mm/uspace.h"
#include "proc/proc.h"
#include "proc/procfs_pid.h"

#define MAPS_NAME_COLUMN    73          /* Linux: seq_setwidth(25 + 6 * sizeof(void *) - 1), then a space */

/* One VMA as copied. */
struct map_line {
    uint64_t start, end, pgoff;         /* a file's page at start */
    unsigned prot;
    int shared;
    enum uspace_kind kind;
    struct file *file;                  /* a reference, or NULL */
};

/* Up to max lines of us's VMAs into out: how many there are (more than max: call again). */
static unsigned copy_vmas(struct uspace *us, struct map_line *out, unsigned max)
{
    unsigned n = 0;

    spin_lock(&us->lock);
    for (struct uvma *v = us->vmas; v; v = v->next, n++) {
        if (n >= max)
            continue;
        out[n] = (struct map_line){ v->start, v->end, v->pgoff, v->prot, v->shared, v->kind, NULL };
        if (v->obj && v->obj->file) {
            out[n].pgoff += v->obj->file_pgoff;        /* the VMA's page in the object, the object's in the file */
            out[n].file = v->obj->file;
            file_get(out[n].file);
        }
    }
    spin_unlock(&us->lock);
    return n;
}

/* The index of the program segment holding start, or -1. */
static int segment_of(const struct exec_segments *s, uint64_t start)
{
    for (unsigned i = 0; i < s->n; i++)
        if (start >= s->seg[i].start && start < s->seg[i].end)
            return (int)i;
    return -1;
}

static void show_line(struct procfs_text *t, const struct map_line *m, const struct exec_segments *segs,
                      const char *exe, char *name)
{
    uint64_t off = 0, dev = 0, ino = 0;
    struct vfs_stat st;
    int seg, col;
    char prefix[96];

    name[0] = 0;
    if (m->file) {
        off = m->pgoff * 4096;
        if (vfs_fstat(m->file, &st) == 0) {
            dev = st.dev;
            ino = st.ino;
        }
        if (fd_path_name(&m->file->path, name, PATH_MAX) < 0)
            name[0] = 0;
    } else if (m->kind == USPACE_ELF && (seg = segment_of(segs, m->start)) >= 0) {
        off = segs->seg[seg].offset + (m->start - segs->seg[seg].start);
        dev = segs->dev;
        ino = segs->ino;
        format_snprintf(name, PATH_MAX, "%s", exe);
    } else if (m->kind == USPACE_BRK) {
        format_snprintf(name, PATH_MAX, "[heap]");
    } else if (m->kind == USPACE_STACK) {
        format_snprintf(name, PATH_MAX, "[stack]");
    }
    col = format_snprintf(prefix, sizeof prefix, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
                          (unsigned long long)m->start, (unsigned long long)m->end,
                          m->prot & USPACE_R ? 'r' : '-', m->prot & USPACE_W ? 'w' : '-',
                          m->prot & USPACE_X ? 'x' : '-', m->shared ? 's' : 'p', (unsigned long long)off,
                          fd_dev_major(dev), fd_dev_minor(dev), (unsigned long long)ino);
    procfs_printf(t, "%s", prefix);
    if (name[0]) {
        for (; col < MAPS_NAME_COLUMN; col++)
            procfs_printf(t, " ");
        procfs_printf(t, "%s", name);
    }
    procfs_printf(t, "\n");
}

/* p's space (a reference) and what names its segments, under proc_lock; NULL when gone. */
static struct uspace *space_of(int pid, struct exec_segments *segs, char exe[PROC_EXE_MAX])
{
    struct uspace *us = NULL;
    struct proc *p;

    spin_lock(&proc_lock);
    if ((p = proc_find_locked(pid)) && (us = p->us)) {
        uspace_get(us);
        *segs = p->segs;
        memcpy(exe, p->exe, PROC_EXE_MAX);
    }
    spin_unlock(&proc_lock);
    return us;
}

int procfs_show_maps(struct procfs_text *t, int pid)
{
    struct exec_segments *segs = kmalloc(sizeof *segs);
    char *exe = kmalloc(PROC_EXE_MAX), *name = kmalloc(PATH_MAX);
    struct map_line *lines = NULL;
    unsigned n = 0, max = 0;
    struct uspace *us = segs && exe && name ? space_of(pid, segs, exe) : NULL;
    int err = !segs || !exe || !name ? -ENOMEM : !us ? -ESRCH : 0;

    while (!err && (n = copy_vmas(us, lines, max)) > max) {
        for (unsigned i = 0; i < max; i++)
            if (lines[i].file)
                file_put(lines[i].file);
        kfree(lines);
        max = n + 8;                    /* room for a few more made meanwhile */
        if (!(lines = kmalloc(max * sizeof *lines)))
            err = -ENOMEM;
    }
    for (unsigned i = 0; !err && i < n; i++)
        show_line(t, &lines[i], segs, exe, name);
    for (unsigned i = 0; !err && i < n; i++)
        if (lines[i].file)
            file_put(lines[i].file);
    if (us)
        uspace_put(us);
    kfree(lines);
    kfree(segs);
    kfree(exe);
    kfree(name);
    return err;
}
