/*
 * power.c - restart, power off and halt (power.h).
 */
#include <stdint.h>
#include <string.h>

#include "acpi/acpi_kernel.h"
#include "acpi/acpi_tables.h"
#include "arch.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "mm/vmm.h"
#include "panic.h"
#include "power.h"
#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define POWER_WAIT_NS       (100 * NS_PER_MS)
#define KBC_STATUS          0x64        /* 8042 status register (read) */
#define KBC_COMMAND         0x64        /* 8042 command register (write) */
#define KBC_INPUT_FULL      0x02        /* status: the controller has not taken the last byte */
#define KBC_PULSE_RESET     0xFE        /* pulse output line 0 (the CPU's reset) */
#define KBC_WAIT_TRIES      100000

#define AML_NAME_OP         0x08        /* ACPI 6.5, 20.2.5.1 NameOp */
#define AML_ROOT_CHAR       0x5C        /* '\' */
#define AML_PACKAGE_OP      0x12        /* 20.2.5.4 DefPackage */
#define AML_ZERO_OP         0x00
#define AML_ONE_OP          0x01
#define AML_BYTE_PREFIX     0x0A
#define SDT_HEADER_LEN      36          /* ACPI 6.5, 5.2.6: the AML follows the header */
#define PM1_SCI_EN          (1u << 0)   /* 4.8.3.2.1, PM1 control register bits */
#define PM1_SLP_TYP_SHIFT   10
#define PM1_SLP_EN          (1u << 13)
#define ACPI_ENABLE_TRIES   300         /* 1 ms each: Linux waits up to 3 s, 300 ms is plenty under QEMU */

const char *const power_reset_way_names[POWER_RESET_WAYS] = { "acpi", "8042", "triple" };

/* The reset register, if the FADT has one: 0 after trying it, -1 when there is none. */
static int reset_acpi(const char *who)
{
    const struct acpi_info *a = acpi_get();
    int io;

    if (!a || !a->has_reset_reg) {
        printk(LOG_INFO, "[%s] reboot: no ACPI reset register (no FADT, or it names none)\n", who);
        return -1;
    }
    io = a->reset_space == ACPI_GAS_IO;
    printk(LOG_INFO, "[%s] reboot: ACPI reset register, %s 0x%llx <- 0x%02x\n", who, io ? "port" : "memory",
           (unsigned long long)a->reset_addr, a->reset_value);
    if (io) {
        arch_outb((uint16_t)a->reset_addr, a->reset_value);
    } else {
        uint64_t page = kva_map_mmio(a->reset_addr & ~0xFFFull, 4096, VMM_UNCACHED, "acpi reset");

        if (!page)
            return -1;
        *(volatile uint8_t *)(uintptr_t)(page + (a->reset_addr & 0xFFF)) = a->reset_value;
    }
    return 0;
}

static int reset_8042(const char *who)
{
    for (unsigned i = 0; i < KBC_WAIT_TRIES && (arch_inb(KBC_STATUS) & KBC_INPUT_FULL); i++)
        arch_cpu_relax();
    printk(LOG_INFO, "[%s] reboot: 8042 reset pulse, 0x%02x to port 0x%02x\n", who, KBC_PULSE_RESET, KBC_COMMAND);
    arch_outb(KBC_COMMAND, KBC_PULSE_RESET);
    return 0;
}

void power_restart(enum power_reset_way first, const char *who)
{
    for (enum power_reset_way w = first; w < POWER_RESET_TRIPLE; w++) {
        if ((w == POWER_RESET_ACPI ? reset_acpi(who) : reset_8042(who)) != 0)
            continue;
        sched_sleep_ns(POWER_WAIT_NS);
        printk(LOG_WARN, "[%s] reboot: still running %llu ms after the %s way\n", who,
               (unsigned long long)(POWER_WAIT_NS / NS_PER_MS), power_reset_way_names[w]);
    }
    printk(LOG_INFO, "[%s] reboot: triple fault\n", who);
    arch_triple_fault();
}

void power_halt(const char *who)
{
    printk(LOG_INFO, "[%s] halt: every CPU stops\n", who);
    panic_begin();
    arch_halt_forever();
}

/* An integer constant at aml[*at]: ZeroOp, OneOp or BytePrefix n. 0, or -1. */
static int aml_byte_const(const uint8_t *aml, uint64_t len, uint64_t *at, uint8_t *out)
{
    if (*at >= len)
        return -1;
    if (aml[*at] == AML_ZERO_OP || aml[*at] == AML_ONE_OP) {
        *out = aml[(*at)++];
        return 0;
    }
    if (aml[*at] != AML_BYTE_PREFIX || *at + 1 >= len)
        return -1;
    *out = aml[*at + 1];
    *at += 2;
    return 0;
}

int power_s5_types(const uint8_t *aml, uint64_t len, uint8_t *typa, uint8_t *typb)
{
    for (uint64_t i = 1; i + 4 < len; i++) {
        uint64_t at = i + 4;

        if (memcmp(aml + i, "_S5_", 4) != 0)
            continue;
        if (aml[i - 1] != AML_NAME_OP && !(aml[i - 1] == AML_ROOT_CHAR && i >= 2 && aml[i - 2] == AML_NAME_OP))
            continue;                           /* a use of \_S5, not its definition */
        if (aml[at++] != AML_PACKAGE_OP || at >= len)
            continue;
        at += 1 + ((aml[at] >> 6) & 3);         /* PkgLength: its lead byte says how many follow */
        at++;                                   /* NumElements */
        if (aml_byte_const(aml, len, &at, typa) == 0 && aml_byte_const(aml, len, &at, typb) == 0)
            return 0;
    }
    return -1;
}

/* The first and last byte of [p, p + len) are mapped (the direct map is contiguous between). */
static int mapped(const uint8_t *p, uint64_t len)
{
    return vmm_translate(vmm_kernel_space(), (uint64_t)(uintptr_t)p) != 0 &&
           vmm_translate(vmm_kernel_space(), (uint64_t)(uintptr_t)(p + len - 1)) != 0;
}

int power_s5_of_dsdt(uint8_t *typa, uint8_t *typb)
{
    const struct acpi_info *a = acpi_get();
    const uint8_t *dsdt;
    uint32_t len;

    if (!a || !a->has_fadt || !a->dsdt || a->dsdt >= ARCH_HHDM_SIZE_MAX)
        return -1;
    dsdt = arch_phys_to_virt(a->dsdt);          /* ACPI tables lie in the direct map (acpi_kernel.c) */
    if (!mapped(dsdt, SDT_HEADER_LEN))
        return -1;
    memcpy(&len, dsdt + 4, sizeof len);
    if (memcmp(dsdt, "DSDT", 4) != 0 || len <= SDT_HEADER_LEN || a->dsdt + len > ARCH_HHDM_SIZE_MAX ||
        !mapped(dsdt, len))
        return -1;
    return power_s5_types(dsdt + SDT_HEADER_LEN, len - SDT_HEADER_LEN, typa, typb);
}

/* The firmware left the machine in legacy mode: ask it for ACPI mode (ACPI 6.5, 16.3.1). */
static void acpi_mode_on(const struct acpi_info *a, const char *who)
{
    if (arch_inw(a->pm1a_cnt) & PM1_SCI_EN)
        return;
    if (!a->smi_cmd || !a->acpi_enable)
        return;
    printk(LOG_INFO, "[%s] power off: ACPI mode through SMI_CMD 0x%x <- 0x%02x\n", who, a->smi_cmd, a->acpi_enable);
    arch_outb((uint16_t)a->smi_cmd, a->acpi_enable);
    for (int i = 0; i < ACPI_ENABLE_TRIES && !(arch_inw(a->pm1a_cnt) & PM1_SCI_EN); i++)
        clock_spin_ns(NS_PER_MS);
}

void power_off(const char *who)
{
    const struct acpi_info *a = acpi_get();
    uint8_t typa, typb;

    if (!a || !a->pm1a_cnt || power_s5_of_dsdt(&typa, &typb) != 0) {
        printk(LOG_WARN, "[%s] power off: no ACPI S5 here (%s): halting instead\n", who,
               !a || !a->pm1a_cnt ? "no FADT PM1a control register" : "no \\_S5 in the DSDT");
        power_halt(who);
    }
    acpi_mode_on(a, who);
    printk(LOG_INFO, "[%s] power off: ACPI S5, SLP_TYPa %u SLP_TYPb %u, PM1a_CNT 0x%x <- 0x%04x\n", who, typa, typb,
           a->pm1a_cnt, (unsigned)(arch_inw(a->pm1a_cnt) & PM1_SCI_EN) | typa << PM1_SLP_TYP_SHIFT | PM1_SLP_EN);
    arch_irq_disable();
    arch_outw(a->pm1a_cnt, (uint16_t)((arch_inw(a->pm1a_cnt) & PM1_SCI_EN) | typa << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
    if (a->pm1b_cnt)
        arch_outw(a->pm1b_cnt,
                  (uint16_t)((arch_inw(a->pm1b_cnt) & PM1_SCI_EN) | typb << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
    clock_spin_ns(POWER_WAIT_NS);
    printk(LOG_WARN, "[%s] power off: still running %llu ms after S5: halting instead\n", who,
           (unsigned long long)(POWER_WAIT_NS / NS_PER_MS));
    power_halt(who);
}
