/*
 * elf64.h - ELF64 on-disk definitions (System V gABI, x86_64 psABI) and the
 * kernel-image check shared by the UEFI loader, the kernel's tests and the
 * host tests. (The BIOS loader makes the same checks in NASM,
 * bootloader-bios/elf.asm.)
 *
 * elf64_check_kernel() decides whether a file is a kernel a Tessera loader
 * may load: it trusts nothing in the file and reports the first rule of
 * common/bootrules.h (BOOTRULES_ELF, in that order) the file breaks. Where a
 * kernel may live (ELF_KERNEL_VBASE, ELF_KERNEL_MAX_SPAN) is there too.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootrules.h"

#define ELF_MAGIC       0x464C457FU /* "\x7F" "ELF" read as little-endian u32 */
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define ET_EXEC         2
#define EM_X86_64       62
#define PT_NULL         0
#define PT_LOAD         1
#define PF_X            1
#define PF_W            2
#define PF_R            4

struct elf64_ehdr {
    uint8_t  e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};

struct elf64_phdr {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");


/* What the check learned about a good kernel. */
struct elf64_kernel_info {
    uint64_t entry;
    uint64_t vaddr_lo;      /* lowest PT_LOAD address, page aligned down */
    uint64_t vaddr_hi;      /* end of the highest PT_LOAD, page aligned up */
    unsigned load_count;    /* number of PT_LOAD segments */
};

/*
 * Check `size` bytes at `file`. Returns BOOTRULE_OK and fills *info, or the
 * BOOTRULE_ELF_* rule broken (bootrule_text() words it); *bad_index is the
 * program header at fault, or -1.
 */
int elf64_check_kernel(const void *file, size_t size, struct elf64_kernel_info *info,
                       int *bad_index);
