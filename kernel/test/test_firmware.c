/*
 * test_firmware.c - ktests on what the loader found in the firmware, aware
 * of which firmware it was: each test checks the facts that hold on both
 * (the loader's name matches bootinfo.firmware, the RSDP and SMBIOS
 * anchors are real, the timeline is ordered) and the facts of the firmware
 * that booted us:
 *   BIOS: no EFI system table, a BIOS drive number 0x80..0x8F, no device
 *         path hash; the loader's log begins with "stage2: ";
 *   UEFI: the EFI system table with its signature, the GPT partition the
 *         loader came from (partition GUID, start LBA, device path hash),
 *         an RSDP (every UEFI PC has ACPI), no VGA text mode; the log
 *         begins with "uefi: tessera-uefi".
 */
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "test/ktest.h"
#include <string.h>

#define EFI_SYSTEM_TABLE_SIGNATURE  0x5453595320494249ULL  /* "IBI SYST", UEFI 2.10, 4.3.1 */
#define RSDP_CHECKSUM_LEN           20                     /* ACPI 1.0 part, ACPI 6.5, 5.2.5.3 */
#define PART_SCHEME_MBR             1
#define PART_SCHEME_GPT             2
#define GPT_FIRST_USABLE_LBA        34                     /* after the header and 128 entries */

static int is_uefi(void)
{
    return bootinfo_get()->firmware == BOOTINFO_FW_UEFI;
}

void ktest_firmware_matches_loader(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();

    if (!KTEST_ASSERT(t, bi->firmware == BOOTINFO_FW_BIOS || bi->firmware == BOOTINFO_FW_UEFI))
        return;
    KTEST_ASSERT_STR_EQ(t, bi->loader_name, is_uefi() ? "tessera-uefi" : "tessera-bios");
}

void ktest_firmware_efi_system_table(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();

    if (!is_uefi()) {
        KTEST_ASSERT_EQ(t, bi->efi_system_table, 0);
        return;
    }
    if (!KTEST_ASSERT(t, bi->efi_system_table != 0))
        return;
    KTEST_ASSERT_EQ(t, *(const uint64_t *)arch_phys_to_virt(bi->efi_system_table),
                    EFI_SYSTEM_TABLE_SIGNATURE);
}

void ktest_firmware_boot_device(struct ktest *t)
{
    const struct bootinfo_bootdev *bd = &bootinfo_get()->bootdev;
    static const uint8_t zero[16];

    KTEST_ASSERT(t, bd->part_index >= 1);
    KTEST_ASSERT(t, bd->part_scheme == PART_SCHEME_MBR || bd->part_scheme == PART_SCHEME_GPT);
    if (!is_uefi()) {
        KTEST_ASSERT(t, bd->bios_drive >= 0x80 && bd->bios_drive <= 0x8F);
        KTEST_ASSERT_EQ(t, bd->uefi_devpath_hash, 0);
        return;
    }
    KTEST_ASSERT_EQ(t, bd->bios_drive, 0);
    KTEST_ASSERT(t, bd->uefi_devpath_hash != 0);
    KTEST_ASSERT_EQ(t, bd->part_scheme, PART_SCHEME_GPT);     /* Tessera's UEFI images are GPT */
    KTEST_ASSERT(t, memcmp(bd->gpt_part_guid, zero, sizeof zero) != 0);
    KTEST_ASSERT(t, bd->part_lba >= GPT_FIRST_USABLE_LBA);
}

void ktest_firmware_acpi_rsdp(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();
    const uint8_t *rsdp;
    uint8_t sum = 0;

    if (is_uefi())
        KTEST_ASSERT(t, bi->acpi_rsdp != 0);
    if (!bi->acpi_rsdp) {
        KTEST_SKIP(t, "no ACPI: the firmware gave no RSDP");
        return;
    }
    rsdp = arch_phys_to_virt(bi->acpi_rsdp);
    KTEST_ASSERT(t, memcmp(rsdp, "RSD PTR ", 8) == 0);
    for (unsigned i = 0; i < RSDP_CHECKSUM_LEN; i++)
        sum = (uint8_t)(sum + rsdp[i]);
    KTEST_ASSERT_EQ(t, sum, 0);
}

void ktest_firmware_smbios_anchor(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();
    const char *anchor;

    if (!bi->smbios) {
        KTEST_SKIP(t, "no SMBIOS anchor from the firmware");
        return;
    }
    anchor = arch_phys_to_virt(bi->smbios);
    KTEST_ASSERT(t, memcmp(anchor, "_SM3_", 5) == 0 || memcmp(anchor, "_SM_", 4) == 0);
}

void ktest_firmware_display(struct ktest *t)
{
    const struct bootinfo_fb *fb = &bootinfo_get()->fb;

    if (is_uefi())
        KTEST_ASSERT(t, fb->type != BOOTINFO_FB_VGA_TEXT);     /* GOP or nothing */
    if (fb->type != BOOTINFO_FB_RGB) {
        KTEST_SKIP(t, "no framebuffer (%s)", fb->type == BOOTINFO_FB_VGA_TEXT ? "VGA text mode" : "none");
        return;
    }
    KTEST_ASSERT(t, fb->addr != 0);
    KTEST_ASSERT(t, fb->pitch >= fb->width * (fb->bpp / 8));
    KTEST_ASSERT(t, fb->red_size > 0 && fb->green_size > 0 && fb->blue_size > 0);
}

void ktest_loader_log_and_timeline(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();
    const char *prefix = is_uefi() ? "uefi: tessera-uefi" : "stage2: ";
    uint64_t prev = bi->tsc_start;

    size_t len;
    const char *log = bootinfo_loader_log(&len);

    if (KTEST_ASSERT(t, bi->loader_log != 0 && len > 0))
        KTEST_ASSERT(t, strncmp(log, prefix, strlen(prefix)) == 0);
    KTEST_ASSERT(t, bi->step_count >= 5);
    for (unsigned i = 0; i < bi->step_count; i++) {
        KTEST_ASSERT(t, bi->steps[i].tsc >= prev);
        KTEST_ASSERT(t, bi->steps[i].name[0] != '\0');
        prev = bi->steps[i].tsc;
    }
}
