/*
 * module.c - the module= files of boot.cfg: each read whole into pages of
 * its own (4 KiB aligned, typed MODULE in the memory map) and listed in
 * bootinfo.modules with its address, size and path. One line per module,
 * none without modules; a missing module stops the boot, as on BIOS.
 */
#include <efi.h>

#include "loader.h"
#include <string.h>

static EFI_STATUS load_one(struct loader *ld, const char *path, struct bootinfo_module *m)
{
    uint64_t phys = 0, size = 0;
    EFI_STATUS status = file_read(ld, path, BOOTINFO_MEM_MODULE, &phys, &size);

    if (status == EFI_NOT_FOUND)
        say("module: error, %s not found", path);
    else if (EFI_ERROR(status))
        say("module: error, cannot read %s (%s)", path, status_text(status));
    if (EFI_ERROR(status))
        return status;
    m->addr = phys;
    m->size = size;
    memcpy(m->name, path, sizeof m->name);
    say("module: %s, %llu bytes at 0x%llx", path, (unsigned long long)size,
        (unsigned long long)phys);
    return EFI_SUCCESS;
}

EFI_STATUS modules_load(struct loader *ld)
{
    for (unsigned i = 0; i < ld->cfg.module_count; i++) {
        EFI_STATUS status = load_one(ld, ld->cfg.modules[i], &ld->block->modules[i]);

        if (EFI_ERROR(status))
            return status;
        ld->bi->module_count = i + 1;
    }
    if (ld->cfg.module_count)
        step_done("modules");
    return EFI_SUCCESS;
}
