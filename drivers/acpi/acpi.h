/*
 * acpi.h - what the kernel learns from the firmware's ACPI tables.
 *
 * acpi_parse() starts at the RSDP the loader found (bootinfo.acpi_rsdp),
 * follows the XSDT (the RSDT when there is no XSDT), checks every table's
 * checksum and length, and decodes the four tables later parts need into
 * struct acpi_info:
 *   MADT  the CPUs (local APIC ids), IOAPICs, interrupt source overrides and
 *         NMI wiring: interrupt controllers and SMP;
 *   HPET  the event timer block: timers;
 *   FADT  the PM timer, the SCI, the reset register, the century index:
 *         timers, power-off and reset;
 *   MCFG  the PCI Express configuration space: PCI.
 *
 * Tables are firmware data: untrusted. A table whose checksum fails, whose
 * length is shorter than its header or runs past the memory the caller can
 * map, is reported through env->log and skipped, never read. An entry that
 * runs past its table ends that table's walk. Limits below are generous
 * for real machines; what does not fit is counted in `dropped` and reported.
 *
 * The parser is plain C over a mapping callback, so the same files run in
 * the kernel (through the direct map) and in the host unit tests and the
 * fuzzer (over a buffer that plays physical memory).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_TABLES     64
#define ACPI_MAX_CPUS       256
#define ACPI_MAX_IOAPICS    16
#define ACPI_MAX_ISOS       48
#define ACPI_MAX_NMIS       32
#define ACPI_MAX_MCFG       16

/*
 * What the parser needs from its caller: `map` returns a pointer to `len`
 * bytes of physical memory at `phys`, or NULL when that range is not
 * readable (outside RAM, past the end); `log` takes one line without its
 * newline. `ctx` is passed back to both.
 */
struct acpi_env {
    const void *(*map)(void *ctx, uint64_t phys, uint64_t len);
    void (*log)(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
    void *ctx;
};

/* One table the root table lists, good or not. */
struct acpi_table_ref {
    char     signature[5];      /* NUL-terminated */
    bool     valid;             /* checksum and length good */
    uint8_t  revision;
    uint32_t length;
    uint64_t phys;
};

struct acpi_cpu {
    uint32_t apic_id;           /* local APIC (or x2APIC) id */
    uint32_t uid;               /* ACPI processor UID */
    bool     enabled;           /* usable now (else online-capable only) */
    bool     x2apic;            /* from an x2APIC entry */
};

struct acpi_ioapic {
    uint8_t  id;
    uint32_t addr;              /* MMIO base */
    uint32_t gsi_base;          /* first global system interrupt it serves */
};

/* An ISA IRQ that reaches the IOAPIC as another GSI or with other wiring. */
struct acpi_iso {
    uint8_t  source;            /* ISA IRQ */
    uint32_t gsi;
    uint8_t  polarity;          /* ACPI_POLARITY_* */
    uint8_t  trigger;           /* ACPI_TRIGGER_* */
};
/* MPS INTI flags (MADT 5.2.12.5): 0 = as the bus says */
#define ACPI_POLARITY_BUS   0
#define ACPI_POLARITY_HIGH  1
#define ACPI_POLARITY_LOW   3
#define ACPI_TRIGGER_BUS    0
#define ACPI_TRIGGER_EDGE   1
#define ACPI_TRIGGER_LEVEL  3

/* A local APIC LINT pin wired to NMI. */
struct acpi_nmi {
    uint32_t uid;               /* processor UID, 0xFFFFFFFF for all */
    uint8_t  lint;              /* 0 or 1 */
    uint8_t  polarity, trigger;
};

struct acpi_mcfg_region {
    uint64_t base;
    uint16_t segment;
    uint8_t  bus_start, bus_end;
};

struct acpi_info {
    uint64_t rsdp;
    uint8_t  revision;          /* RSDP revision: 0 = ACPI 1.0, 2 = 2.0+ */
    char     oem_id[7];
    bool     xsdt;              /* the root table was the XSDT */
    uint64_t root;              /* its physical address */
    unsigned table_count;
    struct acpi_table_ref tables[ACPI_MAX_TABLES];

    /* MADT */
    bool     has_madt;
    uint64_t lapic_addr;        /* after a type 5 override */
    bool     pcat_compat;       /* 8259 PICs present */
    unsigned cpu_count;
    struct acpi_cpu cpus[ACPI_MAX_CPUS];
    unsigned ioapic_count;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    unsigned iso_count;
    struct acpi_iso isos[ACPI_MAX_ISOS];
    unsigned nmi_count;
    struct acpi_nmi nmis[ACPI_MAX_NMIS];

    /* HPET */
    bool     has_hpet;
    uint64_t hpet_addr;
    uint8_t  hpet_number;
    uint8_t  hpet_comparators;
    uint16_t hpet_min_tick;

    /* FADT */
    bool     has_fadt;
    uint8_t  fadt_revision;
    uint64_t dsdt;
    uint16_t sci_irq;
    uint32_t smi_cmd;
    uint8_t  acpi_enable;
    uint16_t pm1a_cnt;          /* I/O port, 0 if none */
    uint16_t pm1b_cnt;
    uint16_t pm_timer_port;     /* I/O port of the PM timer, 0 if none */
    bool     pm_timer_32bit;
    uint8_t  century_index;     /* CMOS register, 0 if none */
    uint16_t boot_arch;         /* IAPC_BOOT_ARCH: ACPI_BOOT_* */
    uint32_t fadt_flags;
    bool     has_reset_reg;
    uint8_t  reset_space;       /* ACPI_GAS_IO or ACPI_GAS_MEMORY */
    uint64_t reset_addr;
    uint8_t  reset_value;

    /* MCFG */
    unsigned mcfg_count;
    struct acpi_mcfg_region mcfg[ACPI_MAX_MCFG];

    unsigned bad_tables;        /* skipped: checksum, length, unmappable */
    unsigned dropped;           /* entries past the limits above */
};

/* FADT IAPC_BOOT_ARCH bits (5.2.9.3) */
#define ACPI_BOOT_LEGACY_DEVICES    (1u << 0)
#define ACPI_BOOT_8042              (1u << 1)
#define ACPI_BOOT_NO_VGA            (1u << 2)
#define ACPI_BOOT_NO_MSI            (1u << 3)
/* FADT flags (5.2.9, table 5.10) */
#define ACPI_FADT_TMR_VAL_EXT       (1u << 8)
#define ACPI_FADT_RESET_REG_SUP     (1u << 10)
#define ACPI_FADT_HW_REDUCED        (1u << 20)

/* acpi_parse results */
#define ACPI_OK             0
#define ACPI_ERR_NO_RSDP    (-1)    /* rsdp == 0 or unmappable */
#define ACPI_ERR_BAD_RSDP   (-2)    /* signature or checksum */
#define ACPI_ERR_BAD_ROOT   (-3)    /* no usable RSDT/XSDT */

/*
 * Parse everything reachable from the RSDP at `rsdp` into *out (zeroed
 * first). Returns ACPI_OK, even when single tables were skipped (see
 * out->bad_tables), or an ACPI_ERR_* when there is nothing to read at all.
 */
int acpi_parse(uint64_t rsdp, const struct acpi_env *env, struct acpi_info *out);

/* The table with this signature ("APIC", "HPET", ...) that passed its
 * checks, or NULL. */
const struct acpi_table_ref *acpi_find_table(const struct acpi_info *info, const char *sig);

/* Where ISA IRQ `irq` arrives: its override when the MADT has one, else
 * the same number, edge-triggered, active high (ISA's wiring). */
struct acpi_iso acpi_isa_irq(const struct acpi_info *info, uint8_t irq);
