/*
 * exec_file.c - where exec reads a program from (see exec.h): a file of
 * the VFS (a relative path from the caller's working directory), or, when
 * the VFS has no such file, a boot module whose name is the path
 * (module=/boot/hello in boot.cfg gives /boot/hello). The module path is a
 * stop-gap for tests until the initramfs (kernel/fs/cpio/)
 * unpacks modules into the VFS; it reads the module's bytes in place.
 */
#include <string.h>

#include "arch.h"
#include "boot/bootinfo_view.h"
#include "errno.h"
#include "fs/vfs.h"
#include "proc/exec.h"
#include "proc/fd.h"

static const struct bootinfo_module *find_module(const char *path)
{
    for (unsigned i = 0; i < bootinfo_get()->module_count; i++) {
        const struct bootinfo_module *m = bootinfo_module(i);
        if (m && strcmp(m->name, path) == 0)
            return m;
    }
    return NULL;
}

int exec_file_open(const char *path, struct exec_file *out)
{
    struct vfs_stat st;
    const struct bootinfo_module *m;
    int err = vfs_open(path[0] == '/' ? NULL : proc_cwd(), path, O_RDONLY, 0, &out->file);

    out->path = path;
    out->bytes = NULL;
    if (err == 0) {
        if ((err = vfs_fstat(out->file, &st)) == 0 && !S_ISREG(st.mode))
            err = -EACCES;
        if (err) {
            file_put(out->file);
            return err;
        }
        out->size = st.size;
        return 0;
    }
    out->file = NULL;
    if (err != -ENOENT || !(m = find_module(path)))
        return err;
    out->bytes = arch_phys_to_virt(m->addr);
    out->size = m->size;
    return 0;
}

long exec_file_read(const struct exec_file *f, uint64_t off, void *buf, size_t n)
{
    long got;

    if (off > f->size || n > f->size - off)
        return -EIO;
    if (f->bytes) {
        memcpy(buf, f->bytes + off, n);
        return (long)n;
    }
    got = vfs_pread(f->file, buf, n, off);
    return got == (long)n ? got : -EIO;
}

void exec_file_close(struct exec_file *f)
{
    if (f->file)
        file_put(f->file);
    f->file = NULL;
}

void exec_file_name(const struct exec_file *f, char *buf, size_t size)
{
    if (f->file && fd_path_name(&f->file->path, buf, size) >= 0)
        return;
    size_t n = strnlen(f->path, size - 1);

    memcpy(buf, f->path, n);
    buf[n] = 0;
}

void exec_file_memory(const char *path, const void *bytes, uint64_t size, struct exec_file *f)
{
    *f = (struct exec_file){ path, size, NULL, bytes };
}
