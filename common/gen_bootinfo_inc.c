/*
 * gen_bootinfo_inc.c - writes build/gen/bootinfo.inc for the NASM loader.
 *
 * Built and run on the host at build time. It prints one `%define` per field
 * of the boot-info ABI, taken with offsetof() from common/bootinfo.h, so the
 * assembly never carries a hand-copied offset. Host and target are both
 * x86_64 System V, so the host compiler lays the structure out exactly as
 * the kernel's compiler does (and bootinfo.h asserts the layout anyway).
 */
#include <stddef.h>
#include <stdio.h>

#include "bootinfo.h"

#define OFF(name, type, field) \
    printf("%%define %-28s %zu\n", name, offsetof(type, field))
#define SIZE(name, type) \
    printf("%%define %-28s %zu\n", name, sizeof(type))
#define CONST(name) \
    printf("%%define %-28s 0x%llx\n", #name, (unsigned long long)(name))

int main(void)
{
    printf("; bootinfo.inc - generated from common/bootinfo.h by "
           "common/gen_bootinfo_inc.c; do not edit.\n");

    CONST(BOOTINFO_MAGIC);
    CONST(BOOTINFO_MAJOR);
    CONST(BOOTINFO_MINOR);
    CONST(BOOTINFO_FW_BIOS);
    CONST(BOOTINFO_FW_UEFI);
    CONST(BOOTINFO_MEM_USABLE);
    CONST(BOOTINFO_MEM_RESERVED);
    CONST(BOOTINFO_MEM_ACPI_RECLAIM);
    CONST(BOOTINFO_MEM_ACPI_NVS);
    CONST(BOOTINFO_MEM_BAD);
    CONST(BOOTINFO_MEM_LOADER_RECLAIM);
    CONST(BOOTINFO_MEM_KERNEL);
    CONST(BOOTINFO_MEM_MODULE);
    CONST(BOOTINFO_MEM_FRAMEBUFFER);
    CONST(BOOTINFO_FB_NONE);
    CONST(BOOTINFO_FB_RGB);
    CONST(BOOTINFO_FB_VGA_TEXT);
    CONST(BOOTINFO_NAME_LEN);
    CONST(BOOTINFO_MODULE_NAME_LEN);
    CONST(BOOTINFO_STEP_NAME_LEN);
    CONST(BOOTINFO_MAX_STEPS);

    SIZE("BI_SIZE", struct bootinfo);
    OFF("BI_MAGIC", struct bootinfo, magic);
    OFF("BI_VERSION_MAJOR", struct bootinfo, version_major);
    OFF("BI_VERSION_MINOR", struct bootinfo, version_minor);
    OFF("BI_STRUCT_SIZE", struct bootinfo, size);
    OFF("BI_FIRMWARE", struct bootinfo, firmware);
    OFF("BI_FLAGS", struct bootinfo, flags);
    OFF("BI_LOADER_NAME", struct bootinfo, loader_name);
    OFF("BI_LOADER_VERSION", struct bootinfo, loader_version);
    OFF("BI_CMDLINE", struct bootinfo, cmdline);
    OFF("BI_CMDLINE_LEN", struct bootinfo, cmdline_len);
    OFF("BI_MMAP", struct bootinfo, mmap);
    OFF("BI_MMAP_COUNT", struct bootinfo, mmap_count);
    OFF("BI_MMAP_ENTRY_SIZE", struct bootinfo, mmap_entry_size);
    OFF("BI_FB_ADDR", struct bootinfo, fb.addr);
    OFF("BI_FB_WIDTH", struct bootinfo, fb.width);
    OFF("BI_FB_HEIGHT", struct bootinfo, fb.height);
    OFF("BI_FB_PITCH", struct bootinfo, fb.pitch);
    OFF("BI_FB_BPP", struct bootinfo, fb.bpp);
    OFF("BI_FB_TYPE", struct bootinfo, fb.type);
    OFF("BI_FB_RED_POS", struct bootinfo, fb.red_pos);
    OFF("BI_FB_RED_SIZE", struct bootinfo, fb.red_size);
    OFF("BI_FB_GREEN_POS", struct bootinfo, fb.green_pos);
    OFF("BI_FB_GREEN_SIZE", struct bootinfo, fb.green_size);
    OFF("BI_FB_BLUE_POS", struct bootinfo, fb.blue_pos);
    OFF("BI_FB_BLUE_SIZE", struct bootinfo, fb.blue_size);
    OFF("BI_ACPI_RSDP", struct bootinfo, acpi_rsdp);
    OFF("BI_SMBIOS", struct bootinfo, smbios);
    OFF("BI_EFI_SYSTEM_TABLE", struct bootinfo, efi_system_table);
    OFF("BI_KERNEL_PHYS", struct bootinfo, kernel_phys);
    OFF("BI_KERNEL_SIZE", struct bootinfo, kernel_size);
    OFF("BI_KERNEL_VIRT", struct bootinfo, kernel_virt);
    OFF("BI_MODULES", struct bootinfo, modules);
    OFF("BI_MODULE_COUNT", struct bootinfo, module_count);
    OFF("BI_MODULE_ENTRY_SIZE", struct bootinfo, module_entry_size);
    OFF("BI_BOOT_PART_LBA", struct bootinfo, bootdev.part_lba);
    OFF("BI_BOOT_GPT_GUID", struct bootinfo, bootdev.gpt_part_guid);
    OFF("BI_BOOT_MBR_SIGNATURE", struct bootinfo, bootdev.mbr_signature);
    OFF("BI_BOOT_BIOS_DRIVE", struct bootinfo, bootdev.bios_drive);
    OFF("BI_BOOT_PART_INDEX", struct bootinfo, bootdev.part_index);
    OFF("BI_BOOT_PART_SCHEME", struct bootinfo, bootdev.part_scheme);
    OFF("BI_LOADER_LOG", struct bootinfo, loader_log);
    OFF("BI_LOADER_LOG_LEN", struct bootinfo, loader_log_len);
    OFF("BI_DISK_READS", struct bootinfo, disk_reads);
    OFF("BI_DISK_BYTES", struct bootinfo, disk_bytes);
    OFF("BI_TSC_START", struct bootinfo, tsc_start);
    OFF("BI_STEP_COUNT", struct bootinfo, step_count);
    OFF("BI_STEPS", struct bootinfo, steps);

    SIZE("BI_MMAP_ENTRY_SIZEOF", struct bootinfo_mmap_entry);
    OFF("MMAP_BASE", struct bootinfo_mmap_entry, base);
    OFF("MMAP_LENGTH", struct bootinfo_mmap_entry, length);
    OFF("MMAP_TYPE", struct bootinfo_mmap_entry, type);
    SIZE("BI_MODULE_SIZEOF", struct bootinfo_module);
    OFF("MODULE_ADDR", struct bootinfo_module, addr);
    OFF("MODULE_SIZE", struct bootinfo_module, size);
    OFF("MODULE_NAME", struct bootinfo_module, name);
    SIZE("BI_STEP_SIZEOF", struct bootinfo_step);
    OFF("STEP_TSC", struct bootinfo_step, tsc);
    OFF("STEP_NAME", struct bootinfo_step, name);
    return 0;
}
