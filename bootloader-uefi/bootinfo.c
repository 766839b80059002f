/*
 * bootinfo.c - the boot block: the pages the kernel receives its boot info
 * in (struct boot_block in loader.h), and the header every kernel checks.
 *
 * Allocated once, before the first step that records anything, typed
 * LOADER_RECLAIM: the kernel copies what it needs and may reuse the pages.
 * Every address written into the boot info is physical (common/bootinfo.h).
 */
#include <efi.h>

#include "loader.h"
#include <string.h>

EFI_STATUS bootinfo_create(struct loader *ld)
{
    uint64_t phys;
    EFI_STATUS status = alloc_pages(ld, sizeof *ld->block, BOOTINFO_MEM_LOADER_RECLAIM, &phys);
    struct bootinfo *bi;

    if (EFI_ERROR(status)) {
        say("bootinfo: error, no memory for the boot info (%s)", status_text(status));
        return status;
    }
    ld->block = (struct boot_block *)(uintptr_t)phys;
    bi = ld->bi = &ld->block->bi;
    bi->magic = BOOTINFO_MAGIC;
    bi->version_major = BOOTINFO_MAJOR;
    bi->version_minor = BOOTINFO_MINOR;
    bi->size = sizeof *bi;
    bi->firmware = BOOTINFO_FW_UEFI;
    memcpy(bi->loader_name, LOADER_NAME, sizeof LOADER_NAME);
    memcpy(bi->loader_version, LOADER_VERSION, sizeof LOADER_VERSION);
    bi->cmdline = (uint64_t)(uintptr_t)ld->block->cmdline;
    bi->modules = (uint64_t)(uintptr_t)ld->block->modules;
    bi->module_entry_size = sizeof(struct bootinfo_module);
    bi->efi_system_table = (uint64_t)(uintptr_t)ld->st;
    return EFI_SUCCESS;
}
