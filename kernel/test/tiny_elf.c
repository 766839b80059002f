/*
 * tiny_elf.c - building and running the hand-assembled programs of
 * tiny_elf.h.
 */
#include <stdint.h>
#include <string.h>

#include "proc/exec.h"
#include "proc/proc.h"
#include "test/tiny_elf.h"

/* A program: the headers, then code at TINY_CODE, all in one R+X segment. */
void tiny_build(struct tiny *p, const uint8_t *code, uint64_t n)
{
    struct elf64_ehdr *h = (struct elf64_ehdr *)p->bytes;
    struct elf64_phdr *ph = (struct elf64_phdr *)(p->bytes + sizeof *h);

    memset(p, 0, sizeof *p);
    memcpy(h->e_ident, "\x7F" "ELF\x02\x01\x01", 7);
    h->e_type = ET_EXEC;
    h->e_machine = EM_X86_64;
    h->e_version = 1;
    h->e_entry = TINY_BASE + TINY_CODE;
    h->e_phoff = sizeof *h;
    h->e_ehsize = sizeof *h;
    h->e_phentsize = sizeof *ph;
    h->e_phnum = 1;
    ph->p_type = PT_LOAD;
    ph->p_flags = PF_R | PF_X;
    ph->p_vaddr = ph->p_paddr = TINY_BASE;
    ph->p_filesz = ph->p_memsz = TINY_CODE + n;
    ph->p_align = 4096;
    memcpy(p->bytes + TINY_CODE, code, n);
    p->size = TINY_CODE + n;
}

int tiny_run(struct tiny *p, const char *name)
{
    static char *const argv[] = { "tiny", NULL }, *const envp[] = { NULL };
    struct exec_file f;
    struct proc *pr;
    int err;

    exec_file_memory(name, p->bytes, p->size, &f);
    if ((err = proc_spawn_file(&f, argv, envp, "ttyS0", &pr)) != 0)
        return err;
    return proc_wait(pr);
}

