/*
 * memmap.h - normalising and checking a physical memory map in the boot-info
 * form (struct bootinfo_mmap_entry).
 *
 * Firmware maps come unsorted, overlapping and with types of their own. The
 * normal form the kernel relies on (docs/design.md, "The boot-info ABI"):
 *  - sorted by base, no two entries overlap, no zero-length entry;
 *  - neighbours of the same type that touch are merged;
 *  - types are BOOTINFO_MEM_*; anything else is RESERVED;
 *  - where entries overlap, the more restrictive type wins (bad > reserved >
 *    ACPI NVS > framebuffer > kernel > module > ACPI reclaimable >
 *    loader-reclaimable > usable);
 *  - usable ranges are shrunk inward to whole 4 KiB pages and never include
 *    page 0.
 * The UEFI loader uses this to convert the firmware's map and carve out what
 * it allocated (append an entry of the new type, normalise again); the kernel
 * uses memmap_check() to refuse a map that is not in normal form.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"

/*
 * Where entries overlap, the higher priority wins (the list above), index:
 * BOOTINFO_MEM_* type, 0 for none. bootloader-bios/mmap.asm sweeps with the
 * same table (generated into bootrules.inc), so both loaders resolve an
 * overlap alike: a loader-reclaimable range never beats a reserved one.
 */
#define MEMMAP_PRIORITY_INIT { \
    [BOOTINFO_MEM_USABLE] = 1, \
    [BOOTINFO_MEM_LOADER_RECLAIM] = 2, \
    [BOOTINFO_MEM_ACPI_RECLAIM] = 3, \
    [BOOTINFO_MEM_MODULE] = 4, \
    [BOOTINFO_MEM_KERNEL] = 5, \
    [BOOTINFO_MEM_FRAMEBUFFER] = 6, \
    [BOOTINFO_MEM_ACPI_NVS] = 7, \
    [BOOTINFO_MEM_RESERVED] = 8, \
    [BOOTINFO_MEM_BAD] = 9, \
}

/*
 * Normalise in[0..n) into out[0..cap). in and out must not overlap.
 * Returns the number of entries written, or -1 when cap is too small.
 */
int memmap_normalize(const struct bootinfo_mmap_entry *in, unsigned n,
                     struct bootinfo_mmap_entry *out, unsigned cap);

/* 0 when e[0..n) is in normal form, else -1 with *why set and *bad the entry. */
int memmap_check(const struct bootinfo_mmap_entry *e, unsigned n,
                 const char **why, unsigned *bad);

/* Total bytes of entries of the given type. */
uint64_t memmap_total(const struct bootinfo_mmap_entry *e, unsigned n, uint32_t type);

/* A short name for a type: "usable", "reserved", "ACPI reclaim", ... */
const char *memmap_type_name(uint32_t type);
