/*
 * tiny_elf.h - tiny programs assembled by hand, for the process tests and
 * benchmarks (test_proc.c, bench_proc.c; tiny_elf.c): one PT_LOAD (R+X)
 * at TINY_BASE holding the ELF header, the program header and the code,
 * which starts at TINY_CODE. The macros below are the instructions they
 * are made of.
 */
#pragma once

#include <stdint.h>

#include "elf64.h"

#define TINY_BASE   0x400000ULL
#define TINY_CODE   (sizeof(struct elf64_ehdr) + sizeof(struct elf64_phdr))
#define TINY_MAX    256

struct tiny {
    uint8_t bytes[TINY_MAX];
    uint64_t size;
};

/* x86-64 code: the programs' building blocks. */
#define MOV_EDI(v)  0xBF, (v) & 0xFF, ((v) >> 8) & 0xFF, 0, 0
#define MOV_EAX(v)  0xB8, (v) & 0xFF, ((v) >> 8) & 0xFF, 0, 0
#define SYSCALL     0x0F, 0x05
#define EXIT_WITH_EAX 0x89, 0xC7, MOV_EAX(60), SYSCALL      /* mov edi, eax; exit(eax) */

/* Make p the program running code[0..n). */
void tiny_build(struct tiny *p, const uint8_t *code, uint64_t n);
/* Run p as a process (files 0..2 on ttyS0): its wait status, or a negative errno from spawning it. */
int tiny_run(struct tiny *p, const char *name);
