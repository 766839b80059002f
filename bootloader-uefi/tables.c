/*
 * tables.c - firmware tables from the system table's configuration table
 * (UEFI 2.10, 4.6 "EFI Configuration Table"): the ACPI RSDP (the ACPI 2.0
 * GUID first: its RSDP has the XSDT; the ACPI 1.0 GUID as the fallback),
 * the SMBIOS entry point (SMBIOS 3, 64-bit, first; SMBIOS 2 as the
 * fallback) and the system table's own address, so a kernel can reach the
 * runtime services later. None of them is fatal when missing.
 *
 * The RSDP is checked for its "RSD PTR " signature before it is trusted.
 */
#include <efi.h>

#include "format.h"
#include "loader.h"
#include <string.h>

#define RSDP_SIGNATURE  "RSD PTR "
#define RSDP_REVISION   15          /* byte offset of the revision in the RSDP */

/* The table registered under guid, or NULL. */
static void *config_table(struct loader *ld, EFI_GUID guid)
{
    for (UINTN i = 0; i < ld->st->NumberOfTableEntries; i++) {
        EFI_CONFIGURATION_TABLE *t = &ld->st->ConfigurationTable[i];

        if (memcmp(&t->VendorGuid, &guid, sizeof guid) == 0)
            return t->VendorTable;
    }
    return NULL;
}

static const char *find_rsdp(struct loader *ld)
{
    static const EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
    const uint8_t *rsdp = config_table(ld, acpi20);
    const char *which = "ACPI 2.0";

    if (!rsdp || memcmp(rsdp, RSDP_SIGNATURE, 8) != 0) {
        rsdp = config_table(ld, acpi10);
        which = "ACPI 1.0";
    }
    if (!rsdp || memcmp(rsdp, RSDP_SIGNATURE, 8) != 0)
        return NULL;
    ld->bi->acpi_rsdp = (uint64_t)(uintptr_t)rsdp;
    return which;
}

static const char *find_smbios(struct loader *ld)
{
    static const EFI_GUID smbios3 = SMBIOS3_TABLE_GUID, smbios2 = SMBIOS_TABLE_GUID;
    void *entry = config_table(ld, smbios3);

    if (entry) {
        ld->bi->smbios = (uint64_t)(uintptr_t)entry;
        return "SMBIOS 3";
    }
    entry = config_table(ld, smbios2);
    if (entry) {
        ld->bi->smbios = (uint64_t)(uintptr_t)entry;
        return "SMBIOS 2";
    }
    return NULL;
}

EFI_STATUS tables_find(struct loader *ld)
{
    const char *acpi = find_rsdp(ld), *smbios = find_smbios(ld);
    char rsdp_text[64] = "no RSDP", smbios_text[48] = "no SMBIOS";

    if (acpi)
        format_snprintf(rsdp_text, sizeof rsdp_text, "RSDP revision %u at 0x%llx (%s GUID)",
                        ((const uint8_t *)(uintptr_t)ld->bi->acpi_rsdp)[RSDP_REVISION],
                        (unsigned long long)ld->bi->acpi_rsdp, acpi);
    if (smbios)
        format_snprintf(smbios_text, sizeof smbios_text, "%s at 0x%llx", smbios,
                        (unsigned long long)ld->bi->smbios);
    say("acpi: %s, %s, system table at 0x%llx", rsdp_text, smbios_text,
        (unsigned long long)ld->bi->efi_system_table);
    step_done("acpi");
    return EFI_SUCCESS;
}
