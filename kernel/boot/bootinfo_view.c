/*
 * bootinfo_view.c - checking and keeping the boot info (see boot/bootinfo_view.h).
 *
 * bootinfo_check is a pure function of the bytes it is given, so the
 * in-kernel tests feed it forged structures (good, wrong magic, wrong
 * major, too small). The loader's copy lives in loader-reclaimable memory,
 * which the kernel will reuse; hence the copy in bootinfo_adopt.
 */
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "format.h"
#include <string.h>

static struct bootinfo boot_info;
static uint64_t boot_info_phys;

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
    const uint8_t *base = arch_phys_to_virt(boot_info.mmap);

    return (const struct bootinfo_mmap_entry *)(base + (size_t)i * boot_info.mmap_entry_size);
}

const struct bootinfo_module *bootinfo_module(unsigned i)
{
    const uint8_t *base = arch_phys_to_virt(boot_info.modules);

    return (const struct bootinfo_module *)(base + (size_t)i * boot_info.module_entry_size);
}

const char *bootinfo_cmdline(size_t *len)
{
    if (!boot_info.cmdline) {
        *len = 0;
        return "";
    }
    *len = boot_info.cmdline_len;
    return arch_phys_to_virt(boot_info.cmdline);
}
