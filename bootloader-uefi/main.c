/*
 * main.c - efi_main, the UEFI loader's flow (docs/boot-uefi.md walks it).
 *
 * gnu-efi's crt0 (_start) applies the image's relocations and calls
 * efi_main with our image handle and the system table. Then the steps, in
 * order; each prints one `uefi: STEP: ...` line and stamps the timeline
 * (before the first, debug.c may wait for gdb: make debug-uefi, make walk-uefi):
 *
 *   watchdog   the firmware's 5-minute watchdog off
 *   volume     the file system the loader was loaded from      file.c
 *   config     /boot/boot.cfg                                  config.c
 *   kernel     /boot/kernel.elf read; elf: checked and placed  kernel.c
 *   module     each module= file                               module.c
 *   gop        the framebuffer mode                            gop.c
 *   acpi       RSDP, SMBIOS, the system table                  tables.c
 *   bootdev    the partition we came from                      bootdev.c
 *   paging     the kernel's page tables                        paging.c
 *   mmap       the memory map buffers (and a first conversion) memmap.c
 *   exit       ExitBootServices and the jump                   exit.c
 *
 * A step that fails has printed its `uefi: STEP: error, ...` line; efi_main
 * then shows the whole log on the screens (console.c: a good boot leaves
 * them to the kernel), waits ERROR_PAUSE seconds so a person can read it, gives back every
 * page it allocated and returns the error to the firmware, whose boot
 * manager goes on with the next boot option.
 */
#include <efi.h>

#include "loader.h"

#define ERROR_PAUSE 3           /* seconds */

/* Not EFIAPI: gnu-efi's crt0 receives the firmware's ms_abi arguments and
 * calls efi_main as an ordinary System V function (RDI, RSI). */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
extern char ImageBase[];                /* gnu-efi's linker script: the image's first byte */

static struct loader loader;

static EFI_STATUS watchdog_off(struct loader *ld)
{
    EFI_STATUS status = ld->bs->SetWatchdogTimer(0, 0, 0, NULL);

    if (EFI_ERROR(status))
        say("watchdog: could not disable it (%s); going on", status_text(status));
    else
        say("watchdog: disabled");
    step_done("watchdog");
    return EFI_SUCCESS;
}

static EFI_STATUS (*const steps[])(struct loader *) = {
    watchdog_off, bootinfo_create, volume_open, config_load, kernel_load, modules_load,
    gop_setup, tables_find, bootdev_find, paging_build, memmap_prepare,
    exit_boot_services_and_jump,
};

static EFI_STATUS give_up(struct loader *ld, EFI_STATUS status)
{
    console_screens_live();             /* every step so far, then the error, on the screens */
    say("giving up (%s); returning to the firmware in %u seconds", status_text(status),
        ERROR_PAUSE);
    console_pause(ld, ERROR_PAUSE);
    alloc_free_all(ld);
    return status;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
    struct loader *ld = &loader;

    ld->image = image;
    ld->st = st;
    ld->bs = st->BootServices;
    console_init(ld);
    say(LOADER_NAME " " LOADER_VERSION ", image base 0x%llx",
        (unsigned long long)(uintptr_t)ImageBase);
    step_done("uefi");
    debug_wait_for_gdb(ld);             /* only with /boot/debug-uefi: make debug-uefi, walk-uefi */
    for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        EFI_STATUS status = steps[i](ld);

        if (EFI_ERROR(status))
            return give_up(ld, status);
    }
    return EFI_LOAD_ERROR;              /* not reached: the last step jumps */
}
