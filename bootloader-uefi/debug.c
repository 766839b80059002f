/*
 * debug.c - waiting for gdb (`make debug-uefi`, tests/qemu/debug-uefi.sh).
 *
 * The firmware places BOOTX64.EFI wherever it likes, so gdb can only load
 * the loader's symbols once it knows the image base, which the first line
 * prints. When the volume holds the file DEBUG_FLAG_PATH, the loader then
 * says it waits and spins on uefi_debug_wait until gdb clears it:
 *     (gdb) set var uefi_debug_wait = 0
 * The script that starts gdb polls the serial log for the base, attaches,
 * loads build/uefi/bootx64.so at that base (add-symbol-file -o) and clears
 * the variable. Without the file the check costs one Open call.
 */
#include <efi.h>

#include "loader.h"

#define DEBUG_FLAG_PATH "/boot/debug-uefi"

volatile int uefi_debug_wait;

void debug_wait_for_gdb(struct loader *ld)
{
    if (!file_exists(ld, DEBUG_FLAG_PATH))
        return;
    uefi_debug_wait = 1;
    say("debug: " DEBUG_FLAG_PATH " found: waiting for gdb (set var uefi_debug_wait = 0)");
    while (uefi_debug_wait)
        __asm__ volatile("pause" ::: "memory");
    say("debug: gdb attached, going on");
}
