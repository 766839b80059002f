/*
 * entries_fs.c - /proc entries about file systems, in Linux's formats:
 *   mounts       "SOURCE PATH TYPE rw|ro 0 0" per mount, in mount order (what
 *                df and mount read; fs/proc_namespace.c's show_vfsmnt)
 *   filesystems  "nodev\tNAME" for a type without a device, "\tNAME" for one
 *                that needs one (fs/filesystems.c)
 */
#include "fs/procfs/procfs.h"
#include "mutant.h"

void procfs_show_mounts(struct procfs_text *t)
{
    for (struct mount *m = vfs_mounts(); m; m = m->next)
        if (!MUTANT_ENABLED(proc_mounts) || m != vfs_mounts())      /* the mutant: the first left out */
            procfs_printf(t, "%s %s %s %s 0 0\n", m->source, m->path, m->sb->type->name,
                      m->sb->flags & MS_RDONLY ? "ro" : "rw");
}

void procfs_show_filesystems(struct procfs_text *t)
{
    for (const struct fs_type *f = procfs_fs_types(); f; f = f->next)
        procfs_printf(t, "%s\t%s\n", f->needs_device ? "" : "nodev", f->name);
}
