/*
 * ksyms.h - the kernel's own symbol table, for backtraces (ksyms.c).
 *
 * The build links the kernel twice: the first link's function symbols
 * (nm) become a table (build/kernel/ksyms.asm, made by kernel/ksyms.awk)
 * that the second link places in its own section at the end of .rodata,
 * so no function moves between the two links (kernel/build.mk checks it).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The function containing addr and addr's offset in it, or NULL. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

/* "name+0x1f" or "0xffffffff80001234" (unknown) into buf. */
void ksyms_describe(uint64_t addr, char *buf, size_t size);

/* The address of a function by name, 0 if unknown (tests). */
uint64_t ksyms_address(const char *name);

/* How many symbols the table holds. */
uint64_t ksyms_count(void);
