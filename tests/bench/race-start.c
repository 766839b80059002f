/*
 * race-start.c - the start marker of the UEFI race under -icount
 * (tests/bench/uefi-bench.sh): an EFI application that starts the loader
 * under test and prints the guest time as it does.
 *
 * uefi-bench.sh puts it on a copy of each race image as
 * \EFI\BOOT\BOOTX64.EFI and moves the loader (ours or GRUB's) to
 * \EFI\BOOT\LOADER.EFI. This program loads that file (LoadImage with a
 * file device path on our own volume, UEFI 2.10, 7.4 "Image Services"),
 * prints the TSC line of tests/bench/race-tsc.inc ("tsc=" and 16 hex
 * digits) on COM1, and starts it (StartImage): the same point as the
 * firmware's "BdsDxe: starting" line, after the loader is in memory and
 * before its first instruction. The race kernel prints the same line at
 * its entry, in the same boot, so the difference is the loader's cost in
 * guest instructions (-icount shift=0,sleep=off), with none of the
 * variation of the firmware's own start between boots.
 *
 * The loader sees itself loaded from the same partition
 * (LoadedImage.DeviceHandle), as when the boot manager starts it. Built
 * with the loader's flags and gnu-efi, with its libefi for
 * FileDevicePath (tests/bench/build.mk).
 */
#include <efi.h>
#include <efilib.h>

#include <stdint.h>

#define COM1 0x3f8              /* 8250 UART data register */

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

static inline uint64_t read_tsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static inline void com1_put(char c)
{
    __asm__ volatile("outb %0, %1" : : "a"(c), "Nd"((uint16_t)COM1));
}

static void com1_say(const char *s)
{
    while (*s)
        com1_put(*s++);
}

/* "tsc=%016llx\r\n", as RACE_TSC_LINE writes it. */
static void say_tsc(void)
{
    uint64_t tsc = read_tsc();

    com1_say("tsc=");
    for (int shift = 60; shift >= 0; shift -= 4)
        com1_put("0123456789abcdef"[(tsc >> shift) & 0xf]);
    com1_say("\r\n");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
    EFI_GUID image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
    EFI_LOADED_IMAGE *self;
    EFI_DEVICE_PATH *path;
    EFI_HANDLE loader;
    EFI_STATUS status;

    InitializeLib(image, st);
    status = st->BootServices->HandleProtocol(image, &image_guid, (void **)&self);
    if (EFI_ERROR(status)) {
        com1_say("race-start: no LoadedImage protocol\r\n");
        return status;
    }
    path = FileDevicePath(self->DeviceHandle, L"\\EFI\\BOOT\\LOADER.EFI");
    status = st->BootServices->LoadImage(FALSE, image, path, NULL, 0, &loader);
    if (EFI_ERROR(status)) {
        com1_say("race-start: cannot load \\EFI\\BOOT\\LOADER.EFI\r\n");
        return status;
    }
    say_tsc();
    return st->BootServices->StartImage(loader, NULL, NULL);
}
