/*
 * bootinfo_view.c - checking and keeping the boot info (see boot/bootinfo_view.h).
 *
 * bootinfo_check is a pure function of the bytes it is given, so the
 * in-kernel tests feed it forged structures (good, wrong magic, wrong
 * major, too small). The loader's copy lives in loader-reclaimable memory,
 * which the kernel will reuse; hence the copy in bootinfo_adopt, and once
 * the heap runs, bootinfo_detach's copies of the tables it points to (the
 * memory map, the module list, the command line, the loader's log).
 */
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "format.h"
#include "mm/heap.h"
#include <string.h>

static struct bootinfo boot_info;
static uint64_t boot_info_phys;

/* Where the tables the boot info points to are read: the loader's memory
 * through the direct map until bootinfo_detach, then the kernel's copies. */
static const uint8_t *mmap_at, *modules_at;
static const char *cmdline_at, *loader_log_at;

enum bootinfo_status bootinfo_check(const struct bootinfo *bi, char *why, size_t whylen)
{
    if (bi->magic != BOOTINFO_MAGIC) {
        format_snprintf(why, whylen, "bootinfo: bad magic 0x%llx, expected 0x%llx (\"TESSINFO\")",
                        (unsigned long long)bi->magic, (unsigned long long)BOOTINFO_MAGIC);
        return BOOTINFO_BAD_MAGIC;
    }
    if (bi->version_major != BOOTINFO_MAJOR) {
        format_snprintf(why, whylen, "bootinfo: version %u.%u not supported, expected major %u",
                        bi->version_major, bi->version_minor, BOOTINFO_MAJOR);
        return BOOTINFO_BAD_MAJOR;
    }
    if (bi->size < BOOTINFO_MIN_SIZE) {
        format_snprintf(why, whylen, "bootinfo: size %u bytes too small, expected at least %zu",
                        bi->size, BOOTINFO_MIN_SIZE);
        return BOOTINFO_TOO_SMALL;
    }
    if (bi->mmap_count == 0 || bi->mmap_count > BOOTINFO_MMAP_MAX ||
        bi->mmap_entry_size < sizeof(struct bootinfo_mmap_entry)) {
        format_snprintf(why, whylen, "bootinfo: memory map of %u entries of %u bytes, "
                        "expected 1..%u entries of at least %zu bytes", bi->mmap_count,
                        bi->mmap_entry_size, BOOTINFO_MMAP_MAX, sizeof(struct bootinfo_mmap_entry));
        return BOOTINFO_BAD_MMAP;
    }
    format_snprintf(why, whylen, "bootinfo: ok");
    return BOOTINFO_OK;
}

void bootinfo_adopt(const struct bootinfo *bi)
{
    size_t n = bi->size < sizeof boot_info ? bi->size : sizeof boot_info;

    memset(&boot_info, 0, sizeof boot_info);
    memcpy(&boot_info, bi, n);
    boot_info.size = (uint32_t)n;
    if (boot_info.step_count > BOOTINFO_MAX_STEPS)
        boot_info.step_count = BOOTINFO_MAX_STEPS;
    if (boot_info.cmdline_len > BOOTINFO_CMDLINE_MAX)
        boot_info.cmdline_len = BOOTINFO_CMDLINE_MAX;
    if (!boot_info.modules || boot_info.module_entry_size < sizeof(struct bootinfo_module))
        boot_info.module_count = 0;
    if (boot_info.module_count > BOOTINFO_MODULES_MAX)
        boot_info.module_count = BOOTINFO_MODULES_MAX;
    boot_info_phys = arch_virt_to_phys_hhdm(bi);
    mmap_at = arch_phys_to_virt(boot_info.mmap);
    modules_at = boot_info.modules ? arch_phys_to_virt(boot_info.modules) : 0;
    cmdline_at = boot_info.cmdline ? arch_phys_to_virt(boot_info.cmdline) : "";
    loader_log_at = boot_info.loader_log ? arch_phys_to_virt(boot_info.loader_log) : 0;
    if (!boot_info.cmdline)
        boot_info.cmdline_len = 0;
    if (boot_info.loader_log_len > BOOTINFO_LOADER_LOG_MAX)
        boot_info.loader_log_len = BOOTINFO_LOADER_LOG_MAX;
}

/* A heap copy of n bytes at src, with a NUL after them; NULL when out of memory. */
static void *keep(const void *src, size_t n)
{
    uint8_t *p = src ? kmalloc(n + 1) : 0;

    if (p) {
        memcpy(p, src, n);
        p[n] = 0;
    }
    return p;
}

int bootinfo_detach(void)
{
    const uint8_t *m = keep(mmap_at, (size_t)boot_info.mmap_count * boot_info.mmap_entry_size);
    const uint8_t *mod = keep(modules_at, (size_t)boot_info.module_count * boot_info.module_entry_size);
    const char *c = keep(cmdline_at, boot_info.cmdline_len);
    const char *log = keep(loader_log_at, loader_log_at ? strnlen(loader_log_at, boot_info.loader_log_len) : 0);

    if (!m || (modules_at && !mod) || !c || (loader_log_at && !log))
        return -1;                      /* the pointers into loader memory stay */
    mmap_at = m, modules_at = mod, cmdline_at = c, loader_log_at = log;
    return 0;
}

const char *bootinfo_loader_log(size_t *len)
{
    *len = loader_log_at ? strnlen(loader_log_at, boot_info.loader_log_len) : 0;
    return loader_log_at ? loader_log_at : "";
}

const struct bootinfo *bootinfo_get(void)
{
    return &boot_info;
}

uint64_t bootinfo_phys(void)
{
    return boot_info_phys;
}

const struct bootinfo_mmap_entry *bootinfo_mmap_entry(unsigned i)
{
    return (const struct bootinfo_mmap_entry *)(mmap_at + (size_t)i * boot_info.mmap_entry_size);
}

const struct bootinfo_module *bootinfo_module(unsigned i)
{
    return (const struct bootinfo_module *)(modules_at + (size_t)i * boot_info.module_entry_size);
}

const char *bootinfo_cmdline(size_t *len)
{
    *len = boot_info.cmdline_len;
    return cmdline_at;
}
