/*
 * elfcase.h - the base kernel ELF of the corpus (tests/rules/elf.txt) and
 * the field changes its rows make. Header-only: included by
 * tests/host/test_elf64.c (the host verdicts) and tests/rules/mkelf.c
 * (the files booted under QEMU), so both judge the same bytes.
 *
 * The base: an ELF64 header, four program headers (text R+X at file 0x1000
 * -> K+0x1000, 0x1000 bytes; rodata R at 0x2000 -> K+0x2000, 0x800; data
 * R+W at 0x3000 -> K+0x3000, 0x100 in the file, 0x5000 in memory; a
 * GNU_STACK header), then the body. Entry K+0x1010, in the text.
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf64.h"

#define ELFCASE_K ELF_KERNEL_VBASE

struct elfcase_image {
    struct elf64_ehdr eh;
    struct elf64_phdr ph[4];
    uint8_t body[0x4000];
};

static void elfcase_build(struct elfcase_image *img)
{
    memset(img, 0, sizeof *img);
    memcpy(img->eh.e_ident, "\x7F" "ELF", 4);
    img->eh.e_ident[4] = ELFCLASS64;
    img->eh.e_ident[5] = ELFDATA2LSB;
    img->eh.e_ident[6] = EV_CURRENT;
    img->eh.e_type = ET_EXEC;
    img->eh.e_machine = EM_X86_64;
    img->eh.e_version = EV_CURRENT;
    img->eh.e_entry = ELFCASE_K + 0x1010;
    img->eh.e_phoff = offsetof(struct elfcase_image, ph);
    img->eh.e_ehsize = sizeof img->eh;
    img->eh.e_phentsize = sizeof img->ph[0];
    img->eh.e_phnum = 4;
    img->ph[0] = (struct elf64_phdr){ PT_LOAD, PF_R | PF_X, 0x1000, ELFCASE_K + 0x1000, 0, 0x1000, 0x1000, 0x1000 };
    img->ph[1] = (struct elf64_phdr){ PT_LOAD, PF_R, 0x2000, ELFCASE_K + 0x2000, 0, 0x800, 0x800, 0x1000 };
    img->ph[2] = (struct elf64_phdr){ PT_LOAD, PF_R | PF_W, 0x3000, ELFCASE_K + 0x3000, 0, 0x100, 0x5000, 0x1000 };
    img->ph[3] = (struct elf64_phdr){ 0x6474e551, PF_R | PF_W, 0, 0, 0, 0, 0, 16 };  /* GNU_STACK */
}

/* "K+0x1000" -> ELFCASE_K + 0x1000; other values as strtoull base 0. */
static uint64_t elfcase_value(const char *v)
{
    if (v[0] == 'K' && v[1] == '+')
        return ELFCASE_K + strtoull(v + 2, NULL, 0);
    return strtoull(v, NULL, 0);
}

/* A program header field "phN.NAME": its address, or NULL. */
static uint64_t *elfcase_ph_field(struct elf64_phdr *ph, const char *name)
{
    static const struct { const char *name; size_t off; } f[] = {
        { "offset", offsetof(struct elf64_phdr, p_offset) },
        { "vaddr", offsetof(struct elf64_phdr, p_vaddr) },
        { "filesz", offsetof(struct elf64_phdr, p_filesz) },
        { "memsz", offsetof(struct elf64_phdr, p_memsz) },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strcmp(name, f[i].name) == 0)
            return (uint64_t *)((uint8_t *)ph + f[i].off);
    return NULL;
}

static int elfcase_set_ph(struct elfcase_image *img, const char *field, uint64_t v)
{
    unsigned n = (unsigned)(field[2] - '0');
    struct elf64_phdr *ph = &img->ph[n];
    uint64_t *p;

    if (n > 3 || field[3] != '.')
        return -1;
    if (strcmp(field + 4, "type") == 0)
        ph->p_type = (uint32_t)v;
    else if (strcmp(field + 4, "flags") == 0)
        ph->p_flags = (uint32_t)v;
    else if ((p = elfcase_ph_field(ph, field + 4)))
        *p = v;
    else
        return -1;
    return 0;
}

/* Apply one FIELD=VALUE to img (and *size, the file's length); -1 if unknown. */
static int elfcase_apply(struct elfcase_image *img, size_t *size, const char *change)
{
    char field[32];
    const char *eq = strchr(change, '=');
    uint64_t v;

    if (!eq || (size_t)(eq - change) >= sizeof field)
        return -1;
    memcpy(field, change, (size_t)(eq - change));
    field[eq - change] = '\0';
    v = elfcase_value(eq + 1);
    if (strcmp(field, "size") == 0)
        *size = v < sizeof *img ? (size_t)v : sizeof *img;
    else if (strncmp(field, "ident", 5) == 0 && atoi(field + 5) < 16)
        img->eh.e_ident[atoi(field + 5)] = (uint8_t)v;
    else if (strcmp(field, "e_type") == 0)
        img->eh.e_type = (uint16_t)v;
    else if (strcmp(field, "e_machine") == 0)
        img->eh.e_machine = (uint16_t)v;
    else if (strcmp(field, "e_version") == 0)
        img->eh.e_version = (uint32_t)v;
    else if (strcmp(field, "e_entry") == 0)
        img->eh.e_entry = v;
    else if (strcmp(field, "e_phoff") == 0)
        img->eh.e_phoff = v;
    else if (strcmp(field, "e_phentsize") == 0)
        img->eh.e_phentsize = (uint16_t)v;
    else if (strcmp(field, "e_phnum") == 0)
        img->eh.e_phnum = (uint16_t)v;
    else if (strncmp(field, "ph", 2) == 0)
        return elfcase_set_ph(img, field, v);
    else
        return -1;
    return 0;
}
