/*
 * boot/bootinfo_view.h - the kernel's view of the boot-info ABI (common/bootinfo.h):
 * check what the loader handed over, keep a copy, reach the tables it
 * points to.
 *
 * Order of use (kmain): bootinfo_check on the loader's structure; if it
 * passes, bootinfo_adopt copies it into kernel memory (zero-extending an
 * older, smaller structure: fields past `size` read as zero); from then on
 * bootinfo_get() is the kernel's view. Every address inside is physical; the
 * accessors below turn them into HHDM pointers.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"

enum bootinfo_status {
    BOOTINFO_OK = 0,
    BOOTINFO_BAD_MAGIC,
    BOOTINFO_BAD_MAJOR,
    BOOTINFO_TOO_SMALL,
    BOOTINFO_BAD_MMAP,
};

#define BOOTINFO_MMAP_MAX   4096        /* more entries than any firmware gives */
#define BOOTINFO_CMDLINE_MAX 4096
#define BOOTINFO_MODULES_MAX 64         /* adopt() clamps module_count to this */
#define BOOTINFO_LOADER_LOG_MAX (64 * 1024)

/*
 * Pure check of a structure in memory; on failure writes a one-line reason
 * naming what was expected and what was found into why[0..whylen).
 */
enum bootinfo_status bootinfo_check(const struct bootinfo *bi, char *why, size_t whylen);

/* Keep a copy of the checked structure the loader left at HHDM address bi. */
void bootinfo_adopt(const struct bootinfo *bi);
const struct bootinfo *bootinfo_get(void);
/* Physical address of the loader's structure (for the memory-map test). */
uint64_t bootinfo_phys(void);

const struct bootinfo_mmap_entry *bootinfo_mmap_entry(unsigned i);
/* Module i < bootinfo_get()->module_count (adopt() checked the entry size). */
const struct bootinfo_module *bootinfo_module(unsigned i);
/* The command line (NUL-terminated within *len + 1 bytes). */
const char *bootinfo_cmdline(size_t *len);
/* The loader's own log: every line it printed ("" when it kept none). */
const char *bootinfo_loader_log(size_t *len);

/*
 * Copy the memory map, module list, command line and loader log into the
 * heap, so the loader-reclaimable memory can be given back; the accessors
 * above read the copies from then on. 0, or -1 (out of memory: nothing
 * changes, and the loader memory must be kept).
 */
int bootinfo_detach(void);
