/*
 * fuzz_exec.c - libFuzzer target for the ELF loader's checks
 * (kernel/proc/elf.c, as the kernel runs it): the input is a program
 * file; elf_load checks it and maps its segments into a stand-in address
 * space that records each VMA. Besides ASan and UBSan: every VMA lies in
 * the user area below the mmap area, no two overlap, every write lands
 * inside a VMA, and a load that succeeds has its entry inside an
 * executable VMA; whatever the file says, elf_load returns 0, -ENOEXEC
 * or -EIO.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errno.h"
#include "mm/uspace.h"
#include "proc/exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void *kmalloc(size_t size);
void kfree(void *ptr);
void printk(int level, const char *fmt, ...);

void *kmalloc(size_t size) { return malloc(size); }
void kfree(void *ptr) { free(ptr); }
void printk(int level, const char *fmt, ...) { (void)level; (void)fmt; }

#define VMAS_MAX 64
static struct { uint64_t start, end; unsigned prot; } vmas[VMAS_MAX];
static unsigned nvmas;

int uspace_map(struct uspace *us, uint64_t start, uint64_t len, unsigned prot, enum uspace_kind kind)
{
    (void)us;
    (void)kind;
    if (start % 4096 || len % 4096 || !len || start < USPACE_MIN || start + len > USPACE_MMAP_TOP ||
        start + len < start)
        abort();                        /* elf.c must have refused this range */
    for (unsigned i = 0; i < nvmas; i++)
        if (start < vmas[i].end && vmas[i].start < start + len)
            return -EEXIST;
    if (nvmas == VMAS_MAX)
        abort();
    vmas[nvmas].start = start;
    vmas[nvmas].end = start + len;
    vmas[nvmas++].prot = prot;
    return 0;
}

int uspace_write(struct uspace *us, uint64_t va, const void *src, uint64_t n)
{
    (void)us;
    (void)src;
    for (unsigned i = 0; i < nvmas; i++)
        if (va >= vmas[i].start && va + n <= vmas[i].end && va + n >= va)
            return 0;
    abort();                            /* a write outside every VMA */
}

long exec_file_read(const struct exec_file *f, uint64_t off, void *buf, size_t n)
{
    if (off > f->size || n > f->size - off)
        return -EIO;
    memcpy(buf, f->bytes + off, n);
    return (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct exec_file f = { "fuzz", size, NULL, data };
    struct exec_image img;
    int r, entry_ok = 0;

    nvmas = 0;
    r = elf_load((struct uspace *)&f, &f, &img);
    if (r != 0 && r != -ENOEXEC && r != -EIO && r != -EEXIST)
        abort();
    for (unsigned i = 0; r == 0 && i < nvmas; i++)
        entry_ok |= img.entry >= vmas[i].start && img.entry < vmas[i].end && (vmas[i].prot & USPACE_X);
    if (r == 0 && !entry_ok)
        abort();
    return 0;
}
