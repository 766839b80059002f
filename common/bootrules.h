/*
 * bootrules.h - the one list of what both loaders accept in /boot/boot.cfg
 * and /boot/kernel.elf: every limit and every rule, written once.
 *
 * The UEFI loader applies them through common/bootcfg.c and common/elf64.c;
 * the BIOS loader (bootloader-bios/config.asm, elf.asm) reads the same
 * numbers and the same message texts from build/gen/bootrules.inc, which
 * common/gen_bootrules_inc.c prints from this header at build time. So a
 * limit changed here changes both loaders, and both refuse a file with the
 * same words (docs/boot-compare.md, "One rule list"):
 *
 *   config: error, /boot/boot.cfg line 3: cmdline= longer than 2047 bytes (rule cfg-cmdline-length)
 *   elf: error, /boot/kernel.elf: program header 2: PT_LOAD outside the file (rule elf-load-file)
 *
 * Rules:
 *  - A file is checked in the order of the lists below and refused at the
 *    first rule it breaks; nothing is cut or guessed. The one exception is
 *    an unknown boot.cfg key: said on its own line and skipped (a newer
 *    boot.cfg may carry keys an older loader does not know).
 *  - Each rule has a name (tests/rules/ names the verdicts by it) and a
 *    text; a number in a text is the limit itself, stringified.
 */
#pragma once

#include "bootinfo.h"

/* --- limits ------------------------------------------------------------ */
#define BOOTCFG_FILE_MAX        16384   /* bytes of boot.cfg */
#define BOOTCFG_CMDLINE_MAX     2047    /* bytes of cmdline=, without the NUL (Linux's x86 limit) */
#define BOOTCFG_MODULES_MAX     16      /* module= lines */
#define BOOTCFG_PATH_MAX        47      /* bytes of a module= path, without the NUL */
#define BOOTCFG_VIDEO_DIM_MAX   16384   /* video= width and height */
#define BOOTCFG_VIDEO_BPP_MAX   32      /* video= bits per pixel: 8, 15, 16, 24 or 32 */
#define ELF_KERNEL_VBASE        0xFFFFFFFF80000000ULL   /* -mcmodel=kernel: the top 2 GiB */
#define ELF_KERNEL_MAX_SPAN     0x40000000ULL           /* 1 GiB: PDPT entries 510, the window */
#define ELF_PHNUM_MAX           64      /* program headers */

_Static_assert(BOOTCFG_PATH_MAX == BOOTINFO_MODULE_NAME_LEN - 1,
               "a module= path fills bootinfo_module.name with its NUL");
_Static_assert(ELF_KERNEL_MAX_SPAN == 1ULL << 30, "the elf-load-window text says 1 GiB");
_Static_assert(BOOTCFG_FILE_MAX <= 65536, "the BIOS loader's boot.cfg buffer is below 64 KiB");

/* A limit's value in a rule's text: the text cannot disagree with the limit. */
#define BOOTRULE_STR_(x) #x
#define BOOTRULE_STR(x) BOOTRULE_STR_(x)

/*
 * X(ID, "name", "text"): boot.cfg rules in the order they are checked.
 * cfg-size and cfg-nul judge the whole file (cfg-nul names the NUL's line),
 * the others each line in turn.
 */
#define BOOTRULES_CFG(X) \
    X(CFG_SIZE,        "cfg-size",           "larger than " BOOTRULE_STR(BOOTCFG_FILE_MAX) " bytes") \
    X(CFG_NUL,         "cfg-nul",            "a NUL byte: not a text file") \
    X(CFG_KEY_VALUE,   "cfg-key-value",      "line is not key=value") \
    X(CFG_CMDLINE,     "cfg-cmdline-length", "cmdline= longer than " BOOTRULE_STR(BOOTCFG_CMDLINE_MAX) " bytes") \
    X(CFG_VIDEO,       "cfg-video",          "video= is not WxHxBPP with W, H 1 to " BOOTRULE_STR(BOOTCFG_VIDEO_DIM_MAX) " and BPP 8, 15, 16, 24 or 32") \
    X(CFG_MODULES,     "cfg-module-count",   "more than " BOOTRULE_STR(BOOTCFG_MODULES_MAX) " module= lines") \
    X(CFG_MODULE_PATH, "cfg-module-path",    "module= path is not absolute (/dir/file)") \
    X(CFG_PATH_LENGTH, "cfg-path-length",    "module= path longer than " BOOTRULE_STR(BOOTCFG_PATH_MAX) " bytes")

/* X(ID, "name", "text"): kernel ELF rules, header first, then each PT_LOAD. */
#define BOOTRULES_ELF(X) \
    X(ELF_SIZE,        "elf-size",           "file too small for an ELF header") \
    X(ELF_MAGIC,       "elf-magic",          "not an ELF file") \
    X(ELF_CLASS,       "elf-class",          "not ELF64 (EI_CLASS)") \
    X(ELF_DATA,        "elf-endian",         "not little-endian (EI_DATA)") \
    X(ELF_TYPE,        "elf-type",           "not an executable (e_type)") \
    X(ELF_MACHINE,     "elf-machine",        "not x86-64 (e_machine)") \
    X(ELF_VERSION,     "elf-version",        "bad e_version") \
    X(ELF_PHENTSIZE,   "elf-phentsize",      "e_phentsize is not 56") \
    X(ELF_PHNUM,       "elf-phnum",          "no program headers or more than " BOOTRULE_STR(ELF_PHNUM_MAX)) \
    X(ELF_PHDRS,       "elf-phdrs",          "program headers outside the file or misaligned") \
    X(ELF_LOAD_FILESZ, "elf-load-filesz",    "PT_LOAD p_filesz above p_memsz") \
    X(ELF_LOAD_FILE,   "elf-load-file",      "PT_LOAD outside the file") \
    X(ELF_LOAD_WINDOW, "elf-load-window",    "PT_LOAD outside 0xffffffff80000000 + 1 GiB") \
    X(ELF_LOAD_ALIGN,  "elf-load-congruent", "PT_LOAD p_offset and p_vaddr differ modulo 4 KiB") \
    X(ELF_LOAD_OVERLAP,"elf-load-overlap",   "PT_LOAD shares a page with an earlier one") \
    X(ELF_NO_LOAD,     "elf-no-load",        "no PT_LOAD segment") \
    X(ELF_ENTRY,       "elf-entry",          "entry point not in the file bytes of an executable PT_LOAD")

/* The rules' numbers: 0 is "no rule broken". */
enum bootrule {
    BOOTRULE_OK = 0,
#define BOOTRULE_ENUM(id, name, text) BOOTRULE_##id,
    BOOTRULES_CFG(BOOTRULE_ENUM)
    BOOTRULES_ELF(BOOTRULE_ENUM)
#undef BOOTRULE_ENUM
    BOOTRULE_COUNT
};

/* The unknown-key warning: not a refusal, said the same way by both loaders. */
#define BOOTRULE_UNKNOWN_KEY_TEXT "unknown key, ignored"

/* "cfg-size", ...; "ok" for BOOTRULE_OK, "?" outside the list. */
const char *bootrule_name(int rule);
/* "larger than " BOOTRULE_STR(BOOTCFG_FILE_MAX) " bytes", ... */
const char *bootrule_text(int rule);
