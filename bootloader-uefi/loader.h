/*
 * loader.h - the UEFI loader's shared state and the functions each file
 * offers the flow in main.c.
 *
 * The loader is a gnu-efi application (BOOTX64.EFI). main.c runs the steps
 * of docs/boot-uefi.md in order; each step is one function here, prints one
 * `uefi: STEP: ...` line (console.c) and stamps the boot timeline. A step
 * that fails prints `uefi: STEP: error, ...` itself and returns an error
 * status; main.c then waits, frees every page the loader took (alloc.c) and
 * returns the status to the firmware's boot manager.
 *
 * Rules for all files:
 *  - boot services are used only through ld->bs, and only before
 *    exit_boot_services_and_jump() calls ExitBootServices; after that only
 *    port I/O (COM1) and plain memory writes;
 *  - every page that outlives the loader comes from alloc_pages() with the
 *    boot-info memory type it must have in the kernel's map;
 *  - everything read from the disk is untrusted (the checks live in
 *    common/: bootcfg.c, elf64.c).
 */
#pragma once

#include <efi.h>
#include <stddef.h>
#include <stdint.h>

#include "bootcfg.h"
#include "bootinfo.h"
#include "elf64.h"

#define LOADER_NAME     "tessera-uefi"
#define LOADER_VERSION  "0.1"

#define PAGE_SIZE       4096ULL
#define HHDM_BASE       0xFFFF800000000000ULL   /* docs/design.md: the direct map */
#define KERNEL_SEGS_MAX ELF_PHNUM_MAX           /* PT_LOAD segments: at most one per header */
#define LOADER_LOG_MAX  (16 * 1024)             /* bytes of `uefi:` lines kept */
#define HANDOFF_STACK   (16 * 1024)             /* RSP at the kernel's entry */

/* A PT_LOAD segment as paging.c maps it (copied from the file by kernel.c). */
struct kernel_seg {
    uint64_t vaddr;
    uint64_t memsz;
    uint32_t flags;         /* PF_R | PF_W | PF_X */
};

/*
 * The pages the kernel receives the boot info in: one allocation, typed
 * LOADER_RECLAIM in the memory map. The GDT and the hand-off stack live here
 * too, so nothing the kernel still uses sits in the loader's own image
 * (EfiLoaderCode, which the map hands out as usable).
 */
struct boot_block {
    struct bootinfo bi;
    char cmdline[BOOTCFG_CMDLINE_MAX + 1];
    struct bootinfo_module modules[BOOTCFG_MODULES_MAX];
    uint64_t gdt[3];                            /* null, 64-bit code 0x08, data 0x10 */
    uint8_t gdtr[10];                           /* limit (u16), base (u64) */
    char log[LOADER_LOG_MAX];
    uint8_t stack[HANDOFF_STACK] __attribute__((aligned(16)));
};

/* The firmware's memory map and the arrays converting it (memmap.c). */
struct mmap_buffers {
    EFI_MEMORY_DESCRIPTOR *efi;     /* GetMemoryMap's buffer */
    UINTN efi_cap;                  /* its size in bytes (with slack) */
    UINTN efi_size, key, desc_size;
    UINT32 desc_version;
    struct bootinfo_mmap_entry *raw;    /* converted, with carve-outs */
    unsigned raw_cap;
    struct bootinfo_mmap_entry *out;    /* normalised: bootinfo.mmap */
    unsigned out_cap;
};

struct loader {
    EFI_HANDLE image;
    EFI_SYSTEM_TABLE *st;
    EFI_BOOT_SERVICES *bs;
    EFI_LOADED_IMAGE *loaded_image;
    EFI_FILE_PROTOCOL *root;            /* the volume the loader came from */

    struct boot_block *block;           /* bi, cmdline, modules, GDT, log, stack */
    struct bootinfo *bi;                /* &block->bi */
    struct bootcfg cfg;

    /* the kernel as elf64_check_kernel and kernel_load saw it */
    struct elf64_kernel_info kernel;
    struct kernel_seg segs[KERNEL_SEGS_MAX];
    unsigned seg_count;

    uint64_t fb_size;                   /* bytes of the GOP framebuffer, 0 without */
    int cpu_has_nx;
    uint64_t pml4;                      /* paging.c: physical address of the PML4 */
    struct mmap_buffers map;
};

/* console.c: lines on COM1, the screen consoles and in the loader log */
void console_init(struct loader *ld);
/* Show the log so far on the screens, and every line after it (console.c says when). */
void console_screens_live(void);
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void say_serial_only(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void step_done(const char *name);
uint64_t timeline_start(void);
void timeline_copy(struct bootinfo *bi);
size_t console_log_copy(char *dst, size_t cap);
const char *status_text(EFI_STATUS status);
void console_pause(struct loader *ld, unsigned seconds);

/* alloc.c: page allocations, remembered with their boot-info type */
EFI_STATUS alloc_pages(struct loader *ld, uint64_t bytes, uint32_t type, uint64_t *phys);
void alloc_free(struct loader *ld, uint64_t phys);
void alloc_free_all(struct loader *ld);
unsigned alloc_carve_outs(struct bootinfo_mmap_entry *out, unsigned cap);
unsigned alloc_max_records(void);

/* file.c: the volume, whole-file reads and reads of parts of a file */
EFI_STATUS volume_root(struct loader *ld, const char **what);
EFI_STATUS volume_open(struct loader *ld);
EFI_STATUS file_read(struct loader *ld, const char *path, uint32_t type,
                     uint64_t *phys, uint64_t *size);
EFI_STATUS file_open(struct loader *ld, const char *path, EFI_FILE_PROTOCOL **file,
                     uint64_t *size);
EFI_STATUS file_read_at(struct loader *ld, EFI_FILE_PROTOCOL *file, uint64_t offset,
                        void *dst, uint64_t len);
int file_exists(struct loader *ld, const char *path);

/* bootinfo fill-in, one function per step */
EFI_STATUS bootinfo_create(struct loader *ld);
EFI_STATUS config_load(struct loader *ld);
EFI_STATUS kernel_load(struct loader *ld);
EFI_STATUS modules_load(struct loader *ld);
EFI_STATUS gop_setup(struct loader *ld);
EFI_STATUS tables_find(struct loader *ld);
EFI_STATUS bootdev_find(struct loader *ld);
EFI_STATUS paging_build(struct loader *ld);
EFI_STATUS memmap_prepare(struct loader *ld);
EFI_STATUS memmap_fetch(struct loader *ld);
int memmap_convert(struct loader *ld);
uint64_t memmap_ram_top(struct loader *ld);
EFI_STATUS exit_boot_services_and_jump(struct loader *ld);

/* bootdev.c: a device path as ASCII text in buf (returns buf) */
const char *devpath_text(struct loader *ld, EFI_DEVICE_PATH *dp, char *buf, size_t size);

/* debug.c: wait for gdb at the start of efi_main when the volume has /boot/debug-uefi */
void debug_wait_for_gdb(struct loader *ld);
