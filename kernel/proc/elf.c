/*
 * elf.c - loading a static ELF64 program (see exec.h; System V ABI,
 * "Program Loading", and the x86-64 psABI).
 *
 * Everything in the file is untrusted: each check below names what it
 * refused in one "[exec]" line, and the caller gets -ENOEXEC. The checks:
 * the identification (magic, 64-bit, little-endian, version), x86-64,
 * ET_EXEC or ET_DYN, program headers of 56 bytes, 1..ELF_PHNUM_MAX of
 * them inside the file; no PT_INTERP (no dynamic linker here); each
 * PT_LOAD with filesz <= memsz, its file bytes inside the file, its
 * address and offset congruent modulo the page size, its range inside
 * the user area without wrapping, and no two PT_LOADs on one page (the
 * VMAs would overlap); the entry inside an executable PT_LOAD.
 *
 * ET_DYN (static-pie) is loaded at a bias putting its lowest segment at
 * USPACE_PIE_BASE; the program relocates itself (it has no interpreter).
 */
#include <stdint.h>

#include "elf64.h"
#include "errno.h"
#include "mm/heap.h"
#include "mutant.h"
#include "mm/uspace.h"
#include "printk.h"
#include "proc/exec.h"

#define ET_DYN          3
#define PT_INTERP       3
#define PT_PHDR         6
#define ELF_PHNUM_MAX   64
#define PAGE            4096ULL
#define PAGE_DOWN(a)    ((a) & ~(PAGE - 1))
#define PAGE_UP(a)      (((a) + PAGE - 1) & ~(PAGE - 1))

static int refuse(const struct exec_file *f, const char *why, uint64_t what)
{
    printk(LOG_WARN, "[exec] %s: not a program this kernel runs: %s (0x%llx)\n", f->path, why,
           (unsigned long long)what);
    return -ENOEXEC;
}

static int check_header(const struct exec_file *f, const struct elf64_ehdr *h)
{
    const uint8_t *id = h->e_ident;

    if (id[0] != 0x7F || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
        return refuse(f, "no ELF magic", id[0]);
    if (id[4] != ELFCLASS64 || id[5] != ELFDATA2LSB || id[6] != EV_CURRENT)
        return refuse(f, "not 64-bit little-endian ELF version 1", id[4]);
    if (h->e_machine != EM_X86_64)
        return refuse(f, "not x86-64", h->e_machine);
    if (h->e_type != ET_EXEC && h->e_type != ET_DYN)
        return refuse(f, "neither ET_EXEC nor ET_DYN", h->e_type);
    if (h->e_phentsize != sizeof(struct elf64_phdr))
        return refuse(f, "program header size is not 56", h->e_phentsize);
    if (h->e_phnum == 0 || h->e_phnum > ELF_PHNUM_MAX)
        return refuse(f, "program header count out of range", h->e_phnum);
    if (h->e_phoff > f->size || (uint64_t)h->e_phnum * sizeof(struct elf64_phdr) > f->size - h->e_phoff)
        return refuse(f, "program headers past the end of the file", h->e_phoff);
    return 0;
}

/* One PT_LOAD, biased: inside the file and the user area, congruent. */
static int check_load(const struct exec_file *f, const struct elf64_phdr *p, uint64_t bias)
{
    uint64_t start = p->p_vaddr + bias, end = start + p->p_memsz;

    if (MUTANT_ENABLED(elf_checks))
        return 0;

    if (p->p_filesz > p->p_memsz)
        return refuse(f, "segment with filesz > memsz", p->p_vaddr);
    if (p->p_offset > f->size || p->p_filesz > f->size - p->p_offset)
        return refuse(f, "segment past the end of the file", p->p_offset);
    if ((p->p_vaddr - p->p_offset) % PAGE)
        return refuse(f, "segment address and offset differ modulo the page size", p->p_vaddr);
    if (start < p->p_vaddr || end < start || start < USPACE_MIN || PAGE_UP(end) > USPACE_MMAP_TOP)
        return refuse(f, "segment outside the user area", start);
    return 0;
}

/* The lowest PT_LOAD address: an ET_DYN's bias puts it at USPACE_PIE_BASE. */
static uint64_t load_bias(const struct elf64_ehdr *h, const struct elf64_phdr *ph)
{
    uint64_t lo = UINT64_MAX;

    if (h->e_type != ET_DYN)
        return 0;
    for (unsigned i = 0; i < h->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && ph[i].p_memsz && ph[i].p_vaddr < lo)
            lo = ph[i].p_vaddr;
    return USPACE_PIE_BASE - PAGE_DOWN(lo);
}

static unsigned prot_of(uint32_t flags)
{
    return (flags & PF_R ? USPACE_R : 0) | (flags & PF_W ? USPACE_W : 0) | (flags & PF_X ? USPACE_X : 0);
}

/* The file's bytes of one segment, a page at a time through buf. */
static int copy_segment(struct uspace *us, const struct exec_file *f, const struct elf64_phdr *p,
                        uint64_t bias, uint8_t *buf)
{
    for (uint64_t done = 0; done < p->p_filesz;) {
        uint64_t n = p->p_filesz - done < PAGE ? p->p_filesz - done : PAGE;
        long got = exec_file_read(f, p->p_offset + done, buf, n);
        int err;
        if (got < 0)
            return (int)got;
        if ((err = uspace_write(us, p->p_vaddr + bias + done, buf, n)) != 0)
            return err;
        done += n;
    }
    return 0;
}

/* Map and fill one PT_LOAD. */
static int load_segment(struct uspace *us, const struct exec_file *f, const struct elf64_phdr *p,
                        uint64_t bias, uint8_t *buf)
{
    uint64_t start = PAGE_DOWN(p->p_vaddr + bias), end = PAGE_UP(p->p_vaddr + bias + p->p_memsz);
    int err = uspace_map(us, start, end - start, prot_of(p->p_flags), USPACE_ELF);

    if (err == -EEXIST)
        return refuse(f, "two segments share a page", p->p_vaddr);
    return err ? err : copy_segment(us, f, p, bias, buf);
}

/* Remember where a PT_LOAD went (its pages, the file offset of the first), for /proc/N/maps. */
static void note_segment(struct exec_segments *s, const struct elf64_phdr *p, uint64_t bias)
{
    if (s->n == EXEC_SEGS_MAX)
        return;
    s->seg[s->n].start = PAGE_DOWN(p->p_vaddr + bias);
    s->seg[s->n].end = PAGE_UP(p->p_vaddr + bias + p->p_memsz);
    s->seg[s->n].offset = PAGE_DOWN(p->p_offset);
    s->n++;
}

/* Where the program headers are in memory: PT_PHDR, else inside the PT_LOAD holding e_phoff. */
static uint64_t phdr_address(const struct elf64_ehdr *h, const struct elf64_phdr *ph, uint64_t bias)
{
    for (unsigned i = 0; i < h->e_phnum; i++)
        if (ph[i].p_type == PT_PHDR)
            return ph[i].p_vaddr + bias;
    for (unsigned i = 0; i < h->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && h->e_phoff >= ph[i].p_offset &&
            h->e_phoff < ph[i].p_offset + ph[i].p_filesz)
            return ph[i].p_vaddr - ph[i].p_offset + h->e_phoff + bias;
    return 0;
}

/* Every program header checked; the entry inside an executable segment; the image's addresses. */
static int check_program(const struct exec_file *f, const struct elf64_ehdr *h, const struct elf64_phdr *ph,
                         struct exec_image *img)
{
    int entry_ok = 0, loads = 0, err;

    img->bias = load_bias(h, ph);
    img->brk = 0;
    img->segs = (struct exec_segments){ 0 };
    for (unsigned i = 0; i < h->e_phnum; i++) {
        const struct elf64_phdr *p = &ph[i];
        if (p->p_type == PT_INTERP)
            return refuse(f, "dynamically linked (PT_INTERP): no dynamic linker here", p->p_offset);
        if (p->p_type != PT_LOAD || !p->p_memsz)
            continue;
        if ((err = check_load(f, p, img->bias)) != 0)
            return err;
        loads++;
        if ((p->p_flags & PF_X) && h->e_entry >= p->p_vaddr && h->e_entry - p->p_vaddr < p->p_memsz)
            entry_ok = 1;
        if (PAGE_UP(p->p_vaddr + img->bias + p->p_memsz) > img->brk)
            img->brk = PAGE_UP(p->p_vaddr + img->bias + p->p_memsz);
    }
    if (!loads)
        return refuse(f, "no loadable segment", h->e_phnum);
    if (!entry_ok)
        return refuse(f, "entry point outside every executable segment", h->e_entry);
    img->entry = h->e_entry + img->bias;
    img->phnum = h->e_phnum;
    img->phdr = phdr_address(h, ph, img->bias);
    return 0;
}

int elf_load(struct uspace *us, const struct exec_file *f, struct exec_image *img)
{
    struct elf64_ehdr h;
    struct elf64_phdr *ph = NULL;
    uint8_t *buf = NULL;
    long got = f->size < sizeof h ? -1 : exec_file_read(f, 0, &h, sizeof h);
    int err;

    if (got < 0)
        return got == -1 ? refuse(f, "shorter than an ELF header", f->size) : (int)got;
    if ((err = check_header(f, &h)) != 0)
        return err;
    ph = kmalloc(h.e_phnum * sizeof *ph);
    buf = kmalloc(PAGE);
    if (!ph || !buf) {
        err = -ENOMEM;
        goto out;
    }
    if ((got = exec_file_read(f, h.e_phoff, ph, h.e_phnum * sizeof *ph)) < 0) {
        err = (int)got;
        goto out;
    }
    if ((err = check_program(f, &h, ph, img)) != 0)
        goto out;
    for (unsigned i = 0; i < h.e_phnum && !err; i++)
        if (ph[i].p_type == PT_LOAD && ph[i].p_memsz) {
            err = load_segment(us, f, &ph[i], img->bias, buf);
            note_segment(&img->segs, &ph[i], img->bias);
        }
out:
    kfree(ph);
    kfree(buf);
    return err;
}
