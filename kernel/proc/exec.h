/*
 * exec.h - loading a program into an address space: the file it comes
 * from (exec_file.c), its ELF segments (elf.c) and the initial stack the
 * process starts on (exec_stack.c). docs/processes.md draws the result.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct uspace;
struct file;

/* A program's bytes: a VFS file, or (until the initramfs lands) a boot module. */
struct exec_file {
    const char *path;
    uint64_t size;
    struct file *file;          /* the VFS's, or NULL */
    const uint8_t *bytes;       /* a module's, in the direct map, or NULL */
};

/* Open path for exec: the VFS first, then a boot module of exactly that name. 0 or -errno. */
int exec_file_open(const char *path, struct exec_file *out);
/* Read n bytes at off: n, or -EIO when the file is shorter or a read failed. */
long exec_file_read(const struct exec_file *f, uint64_t off, void *buf, size_t n);
void exec_file_close(struct exec_file *f);
/* The absolute name of the opened program, as /proc/N/exe shows it (Linux's: glibc's static start
 * asserts it begins with '/'): its file's name in the VFS, else the path it was opened by (a boot
 * module's, absolute). Cut to size - 1 bytes. */
void exec_file_name(const struct exec_file *f, char *buf, size_t size);

/* Where a program's file went in memory, for /proc/N/maps (procfs_maps.c), which names the
 * segments' VMAs after the program as Linux does: each PT_LOAD's pages and the file offset of
 * the first; the file's st_dev and st_ino (0 for a boot module). */
#define EXEC_SEGS_MAX   8
struct exec_segments {
    unsigned n;
    struct {
        uint64_t start, end, offset;
    } seg[EXEC_SEGS_MAX];
    uint64_t dev, ino;
};

/* What the loader learned, for the stack's auxv and the first entry. */
struct exec_image {
    uint64_t entry;             /* AT_ENTRY: where the process starts */
    uint64_t phdr;              /* AT_PHDR: the program headers in the process's memory */
    uint64_t phnum;             /* AT_PHNUM */
    uint64_t bias;              /* the load offset: 0 for ET_EXEC, else where ET_DYN went */
    uint64_t brk;               /* the first page past the highest segment */
    struct exec_segments segs;  /* where the segments went */
};

/*
 * Check the ELF header and program headers of f, map a VMA per PT_LOAD
 * and copy the file's bytes in (the rest of each segment is demand-zero).
 * Static programs only: ET_EXEC, or ET_DYN without PT_INTERP (static-pie,
 * at USPACE_PIE_BASE). 0, -ENOEXEC with one log line saying what is
 * wrong, -ENOMEM, -EIO.
 */
int elf_load(struct uspace *us, const struct exec_file *f, struct exec_image *img);

/*
 * Map the stack and write the initial one (argc, argv, envp, auxv and
 * their strings; docs/processes.md): *sp is the RSP to start with,
 * 16-byte aligned at argc. argv and envp are NULL-terminated kernel
 * arrays. 0, -E2BIG, -ENOMEM.
 */
int exec_stack(struct uspace *us, const struct exec_image *img, char *const argv[], char *const envp[],
               const char *execfn, uint64_t *sp);

/* A program already in kernel memory (tests): f reads bytes[0..size). */
void exec_file_memory(const char *path, const void *bytes, uint64_t size, struct exec_file *f);

/* Both: load f into us, build the stack; *segs (if not NULL) says where the segments went.
 * 0 or -errno. */
int exec_load(struct uspace *us, const struct exec_file *f, char *const argv[], char *const envp[],
              uint64_t *entry, uint64_t *sp, struct exec_segments *segs);
