/*
 * debug.c - waiting for gdb (`make debug-uefi`, `make walk-uefi`,
 * tests/qemu/debug-uefi.sh).
 *
 * The firmware places BOOTX64.EFI wherever it likes, so gdb can only load
 * the loader's symbols once it knows the image base, which the first line
 * prints. When the volume holds the file DEBUG_FLAG_PATH, efi_main then
 * waits, before its first step (the watchdog), and spins on
 * uefi_debug_wait until gdb clears it:
 *     (gdb) set var uefi_debug_wait = 0
 * The script that starts gdb polls the serial log for the base, attaches,
 * loads build/uefi/bootx64.so at that base (add-symbol-file -o) and clears
 * the variable; the walk (tests/walk/walk.py) then stops where
 * debug_wait_for_gdb returns into efi_main and at every step after it.
 *
 * Rules: the check runs before the volume step, so it opens the volume
 * itself (volume_root, file.c) and closes it again; it prints nothing
 * unless the file is there: an error here is the volume step's to report.
 * Without the file the check costs one OpenVolume and one Open call.
 */
#include <efi.h>

#include "loader.h"

#define DEBUG_FLAG_PATH "/boot/debug-uefi"

volatile int uefi_debug_wait;

static int debug_flag_present(struct loader *ld)
{
    const char *what;
    int present;

    if (EFI_ERROR(volume_root(ld, &what)))
        return 0;
    present = file_exists(ld, DEBUG_FLAG_PATH);
    ld->root->Close(ld->root);
    ld->root = NULL;
    return present;
}

void debug_wait_for_gdb(struct loader *ld)
{
    if (!debug_flag_present(ld))
        return;
    uefi_debug_wait = 1;
    console_screens_live();             /* a student at a breakpoint sees the lines */
    say("debug: " DEBUG_FLAG_PATH " found: waiting for gdb (set var uefi_debug_wait = 0)");
    while (uefi_debug_wait)
        __asm__ volatile("pause" ::: "memory");
    say("debug: gdb attached, going on");
}
