/*
 * bootinfo.h - the boot-info ABI: what a loader hands to the kernel.
 *
 * This header is the single source of truth for the structure. The BIOS
 * loader (NASM) includes build/gen/bootinfo.inc, which the build generates
 * from this file (common/gen_bootinfo_inc.c); the UEFI loader and the kernel
 * include it directly. The _Static_asserts at the end pin the layout, so a
 * change here that moves a field breaks the build instead of the boot.
 *
 * Rules:
 *  - explicit-width integers only, natural alignment, no pointers: every
 *    address in here is a *physical* address (u64);
 *  - the header comes first and never changes shape: magic, major, minor,
 *    size. A kernel accepts any minor version of its major and any size at
 *    least BOOTINFO_MIN_SIZE (an older, smaller structure); fields past
 *    `size` are treated as zero. A different major is refused;
 *  - new fields are only ever appended (minor bump); anything else is a
 *    major bump;
 *  - the memory map is sorted by base and non-overlapping, in 4 KiB
 *    granularity for usable memory, and never hands out page 0.
 */
#pragma once

#include <stdint.h>

#define BOOTINFO_MAGIC          0x4F464E4953534554ULL  /* "TESSINFO" in memory */
#define BOOTINFO_MAJOR          1
#define BOOTINFO_MINOR          0

/* bootinfo.firmware */
#define BOOTINFO_FW_BIOS        1
#define BOOTINFO_FW_UEFI        2

/*
 * Memory types, normalised across firmwares. 1 to 5 are the ACPI/E820 values
 * so the BIOS loader copies them through; anything a firmware reports that is
 * not 1 to 5 becomes RESERVED.
 */
#define BOOTINFO_MEM_USABLE         1
#define BOOTINFO_MEM_RESERVED       2
#define BOOTINFO_MEM_ACPI_RECLAIM   3
#define BOOTINFO_MEM_ACPI_NVS       4
#define BOOTINFO_MEM_BAD            5
#define BOOTINFO_MEM_LOADER_RECLAIM 6   /* boot info, loader page tables, stacks */
#define BOOTINFO_MEM_KERNEL         7   /* the kernel's loaded segments */
#define BOOTINFO_MEM_MODULE         8   /* files loaded for module= */
#define BOOTINFO_MEM_FRAMEBUFFER    9
#define BOOTINFO_MEM_TYPE_MAX       9

/* bootinfo_fb.type */
#define BOOTINFO_FB_NONE        0   /* no display the kernel can use */
#define BOOTINFO_FB_RGB         1   /* linear framebuffer, channels below */
#define BOOTINFO_FB_VGA_TEXT    2   /* 80x25 VGA text mode at 0xB8000 */

#define BOOTINFO_NAME_LEN       16
#define BOOTINFO_MODULE_NAME_LEN 48
#define BOOTINFO_STEP_NAME_LEN  24
#define BOOTINFO_MAX_STEPS      24

/* One memory-map entry: 24 bytes. */
struct bootinfo_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;          /* BOOTINFO_MEM_* */
    uint32_t reserved;      /* zero */
};

/* One file loaded for a module= line: 64 bytes. */
struct bootinfo_module {
    uint64_t addr;          /* physical, 4 KiB aligned */
    uint64_t size;          /* bytes */
    char     name[BOOTINFO_MODULE_NAME_LEN];  /* the path from boot.cfg, NUL-terminated */
};

/* One step of the loader's timeline: 32 bytes. */
struct bootinfo_step {
    uint64_t tsc;           /* rdtsc when the step finished */
    char     name[BOOTINFO_STEP_NAME_LEN];    /* "e820", "fat", ... NUL-terminated */
};

/* The display the loader left behind: 32 bytes. */
struct bootinfo_fb {
    uint64_t addr;          /* physical address of pixel (0,0), or 0xB8000 for text */
    uint32_t width;         /* pixels, or columns in text mode */
    uint32_t height;        /* pixels, or rows in text mode */
    uint32_t pitch;         /* bytes per line */
    uint8_t  bpp;           /* bits per pixel (16 in text mode: char + attribute) */
    uint8_t  type;          /* BOOTINFO_FB_* */
    uint8_t  red_pos, red_size;
    uint8_t  green_pos, green_size;
    uint8_t  blue_pos, blue_size;
    uint8_t  reserved[4];
};

/* Where the loader found the kernel, so the kernel can find its root. 48 bytes. */
struct bootinfo_bootdev {
    uint64_t part_lba;      /* first sector of the boot partition */
    uint64_t uefi_devpath_hash;     /* FNV-1a of the device path (UEFI), else 0 */
    uint8_t  gpt_part_guid[16];     /* GPT partition GUID, zero on MBR disks */
    uint32_t mbr_signature; /* MBR disk signature (bytes 440..443) */
    uint8_t  bios_drive;    /* INT 13h drive number (BIOS), else 0 */
    uint8_t  part_index;    /* 1-based partition number */
    uint8_t  part_scheme;   /* 1 = MBR, 2 = GPT */
    uint8_t  reserved[9];
};

struct bootinfo {
    /* header: never changes shape */
    uint64_t magic;                 /* BOOTINFO_MAGIC */
    uint16_t version_major;         /* BOOTINFO_MAJOR */
    uint16_t version_minor;         /* BOOTINFO_MINOR */
    uint32_t size;                  /* sizeof(struct bootinfo) as the loader knew it */

    /* who booted us */
    uint32_t firmware;              /* BOOTINFO_FW_* */
    uint32_t flags;                 /* zero for now */
    char     loader_name[BOOTINFO_NAME_LEN];     /* "tessera-bios" */
    char     loader_version[BOOTINFO_NAME_LEN];  /* "0.1" */

    /* kernel command line: NUL-terminated, physical address */
    uint64_t cmdline;
    uint32_t cmdline_len;           /* bytes, without the NUL */
    uint32_t reserved0;

    /* memory map: array of mmap_count entries of mmap_entry_size bytes */
    uint64_t mmap;
    uint32_t mmap_count;
    uint32_t mmap_entry_size;

    struct bootinfo_fb fb;

    /* firmware tables, physical addresses, 0 when absent */
    uint64_t acpi_rsdp;
    uint64_t smbios;
    uint64_t efi_system_table;

    /* the kernel image as loaded: its segments sit contiguously from here */
    uint64_t kernel_phys;
    uint64_t kernel_size;           /* bytes from kernel_phys, page aligned */
    uint64_t kernel_virt;           /* link address that kernel_phys maps to */

    /* module= files */
    uint64_t modules;               /* array of struct bootinfo_module */
    uint32_t module_count;
    uint32_t module_entry_size;

    struct bootinfo_bootdev bootdev;

    /* the loader's own log: every line it printed, NUL-terminated, so the
     * kernel can show them on a framebuffer the loader could not draw on */
    uint64_t loader_log;
    uint32_t loader_log_len;

    /* loader statistics */
    uint32_t disk_reads;            /* disk read calls (INT 13h or Block IO) */
    uint64_t disk_bytes;            /* bytes those calls read */

    /* boot timeline: TSC at the start of the loader, then one stamp per step */
    uint64_t tsc_start;
    uint32_t step_count;
    uint32_t reserved1;
    struct bootinfo_step steps[BOOTINFO_MAX_STEPS];
};

/* A kernel refuses a structure smaller than this (the header and the fields
 * every version has had). */
#define BOOTINFO_MIN_SIZE   (sizeof(struct bootinfo))

/*
 * Layout checks: these offsets are part of the ABI. NASM gets them from the
 * generated bootinfo.inc, so they can never disagree with C.
 */
#define BI_ASSERT_OFF(field, off) \
    _Static_assert(__builtin_offsetof(struct bootinfo, field) == (off), \
                   "bootinfo." #field " moved")
BI_ASSERT_OFF(magic, 0);
BI_ASSERT_OFF(version_major, 8);
BI_ASSERT_OFF(version_minor, 10);
BI_ASSERT_OFF(size, 12);
BI_ASSERT_OFF(firmware, 16);
BI_ASSERT_OFF(loader_name, 24);
BI_ASSERT_OFF(loader_version, 40);
BI_ASSERT_OFF(cmdline, 56);
BI_ASSERT_OFF(mmap, 72);
BI_ASSERT_OFF(fb, 88);
BI_ASSERT_OFF(acpi_rsdp, 120);
BI_ASSERT_OFF(kernel_phys, 144);
BI_ASSERT_OFF(modules, 168);
BI_ASSERT_OFF(bootdev, 184);
BI_ASSERT_OFF(loader_log, 232);
BI_ASSERT_OFF(disk_reads, 244);
BI_ASSERT_OFF(tsc_start, 256);
BI_ASSERT_OFF(steps, 272);
_Static_assert(sizeof(struct bootinfo_mmap_entry) == 24, "mmap entry is 24 bytes");
_Static_assert(sizeof(struct bootinfo_module) == 64, "module entry is 64 bytes");
_Static_assert(sizeof(struct bootinfo_step) == 32, "step entry is 32 bytes");
_Static_assert(sizeof(struct bootinfo_fb) == 32, "fb is 32 bytes");
_Static_assert(sizeof(struct bootinfo_bootdev) == 48, "bootdev is 48 bytes");
_Static_assert(sizeof(struct bootinfo) == 272 + 32 * BOOTINFO_MAX_STEPS, "bootinfo size");
