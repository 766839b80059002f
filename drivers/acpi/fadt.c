/*
 * fadt.c - the Fixed ACPI Description Table ("FACP", ACPI 6.5 5.2.9): the
 * fixed hardware later parts use: the PM timer (a clock of 3.579545 MHz
 * for calibration), the SCI, the PM1 control blocks (power-off), the reset
 * register, the CMOS century index and the IA-PC boot flags (is there an
 * 8042, a VGA, MSI).
 *
 * The FADT grew with each ACPI version (116 bytes in 1.0, 244 in 2.0, 276
 * in 6.x) and firmware ship every size, so each field is read by offset
 * and only when the table holds it; an absent field reads as 0. The 64-bit
 * X_ fields win over the 32-bit ones when they are set.
 */
#include <string.h>

#include "acpi_parsers.h"
#include "acpi_tables.h"

/* Read `size` bytes at `off`, little-endian, or 0 when the table is shorter. */
static uint64_t field(const void *t, uint32_t len, uint32_t off, uint32_t size)
{
    uint64_t v = 0;

    if (off + size <= len)
        memcpy(&v, (const uint8_t *)t + off, size);
    return v;
}

/* A Generic Address Structure at `off`, zeroed when the table is shorter. */
static struct acpi_gas gas(const void *t, uint32_t len, uint32_t off)
{
    struct acpi_gas g = { 0 };

    if (off + sizeof g <= len)
        memcpy(&g, (const uint8_t *)t + off, sizeof g);
    return g;
}

static void pm_timer(const void *t, uint32_t len, struct acpi_info *out)
{
    struct acpi_gas x = gas(t, len, FADT_X_PM_TMR_BLK);

    out->pm_timer_port = (uint16_t)field(t, len, FADT_PM_TMR_BLK, 4);
    if (x.address && x.space_id == ACPI_GAS_IO)
        out->pm_timer_port = (uint16_t)x.address;
    if (field(t, len, FADT_PM_TMR_LEN, 1) < 4)
        out->pm_timer_port = 0;     /* no PM timer (or hardware-reduced) */
    out->pm_timer_32bit = (out->fadt_flags & ACPI_FADT_TMR_VAL_EXT) != 0;
}

static void reset_register(const void *t, uint32_t len, struct acpi_info *out)
{
    struct acpi_gas r = gas(t, len, FADT_RESET_REG);

    if (!(out->fadt_flags & ACPI_FADT_RESET_REG_SUP) || !r.address)
        return;
    if (r.space_id != ACPI_GAS_IO && r.space_id != ACPI_GAS_MEMORY)
        return;                     /* PCI config space resets: not handled */
    out->has_reset_reg = true;
    out->reset_space = r.space_id;
    out->reset_addr = r.address;
    out->reset_value = (uint8_t)field(t, len, FADT_RESET_VALUE, 1);
}

void acpi_fadt_parse(const void *t, uint32_t len, const struct acpi_env *env, struct acpi_info *out)
{
    uint64_t x_dsdt = field(t, len, FADT_X_DSDT, 8);

    out->has_fadt = true;
    out->fadt_revision = ((const struct acpi_sdt_header *)t)->revision;
    out->dsdt = x_dsdt ? x_dsdt : field(t, len, FADT_DSDT, 4);
    out->sci_irq = (uint16_t)field(t, len, FADT_SCI_INT, 2);
    out->smi_cmd = (uint32_t)field(t, len, FADT_SMI_CMD, 4);
    out->acpi_enable = (uint8_t)field(t, len, FADT_ACPI_ENABLE, 1);
    out->pm1a_cnt = (uint16_t)field(t, len, FADT_PM1A_CNT_BLK, 4);
    out->pm1b_cnt = (uint16_t)field(t, len, FADT_PM1B_CNT_BLK, 4);
    out->century_index = (uint8_t)field(t, len, FADT_CENTURY, 1);
    /* IAPC_BOOT_ARCH exists from revision 3 (ACPI 2.0); before, assume a PC. */
    out->boot_arch = out->fadt_revision >= 3 ? (uint16_t)field(t, len, FADT_IAPC_BOOT_ARCH, 2)
                                             : ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_8042;
    out->fadt_flags = (uint32_t)field(t, len, FADT_FLAGS, 4);
    pm_timer(t, len, out);
    reset_register(t, len, out);
    env->log(env->ctx, "FADT: revision %u, SCI IRQ %u, PM timer %s0x%x (%s), PM1a control 0x%x, "
             "reset %s 0x%llx, century %u, %s8042",
             out->fadt_revision, out->sci_irq, out->pm_timer_port ? "at port " : "none ",
             out->pm_timer_port, out->pm_timer_32bit ? "32-bit" : "24-bit", out->pm1a_cnt,
             out->has_reset_reg ? (out->reset_space == ACPI_GAS_IO ? "port" : "MMIO") : "none",
             (unsigned long long)out->reset_addr, out->century_index,
             (out->boot_arch & ACPI_BOOT_8042) ? "" : "no ");
}
