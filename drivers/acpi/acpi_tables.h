/*
 * acpi_tables.h - the in-memory layouts of the ACPI tables Tessera reads
 * (ACPI 6.5: 5.2.5 RSDP, 5.2.6 the system description header, 5.2.7 RSDT,
 * 5.2.8 XSDT, 5.2.9 FADT, 5.2.12 MADT; IA-PC HPET 1.0a, 3.2.4; PCI Firmware
 * 3.2, 4.1.2 MCFG).
 *
 * Firmware places tables at any byte address, so every structure is packed
 * and read through its members (the compiler then emits unaligned-safe
 * loads); the sizes are part of the specifications and checked below.
 * Only the parsers in drivers/acpi/ include this file; the rest of the
 * kernel sees the decoded struct acpi_info of acpi.h.
 */
#pragma once

#include <stdint.h>

#define ACPI_PACKED __attribute__((packed))

/* 5.2.5.3: the Root System Description Pointer. 20 bytes in ACPI 1.0
 * (revision 0), 36 from ACPI 2.0 (revision 2) on. */
struct acpi_rsdp {
    char     signature[8];      /* "RSD PTR " */
    uint8_t  checksum;          /* bytes 0..19 sum to 0 */
    char     oem_id[6];
    uint8_t  revision;
    uint32_t rsdt;
    uint32_t length;            /* revision >= 2: the whole structure */
    uint64_t xsdt;
    uint8_t  ext_checksum;      /* all `length` bytes sum to 0 */
    uint8_t  reserved[3];
} ACPI_PACKED;
#define ACPI_RSDP_V1_SIZE   20

/* 5.2.6: the header every table starts with. */
struct acpi_sdt_header {
    char     signature[4];
    uint32_t length;            /* the whole table, header included */
    uint8_t  revision;
    uint8_t  checksum;          /* all `length` bytes sum to 0 */
    char     oem_id[6];
    char     oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} ACPI_PACKED;

/* 5.2.3.2: Generic Address Structure. */
struct acpi_gas {
    uint8_t  space_id;          /* ACPI_GAS_* */
    uint8_t  bit_width;
    uint8_t  bit_offset;
    uint8_t  access_size;
    uint64_t address;
} ACPI_PACKED;
#define ACPI_GAS_MEMORY     0
#define ACPI_GAS_IO         1

/* 5.2.12: MADT ("APIC"), then variable-length entries. */
struct acpi_madt {
    struct acpi_sdt_header hdr;
    uint32_t lapic_addr;
    uint32_t flags;             /* bit 0: PCAT_COMPAT, 8259 PICs present */
} ACPI_PACKED;

struct acpi_madt_entry {
    uint8_t type;               /* ACPI_MADT_* */
    uint8_t length;
} ACPI_PACKED;

#define ACPI_MADT_LAPIC             0
#define ACPI_MADT_IOAPIC            1
#define ACPI_MADT_ISO               2   /* interrupt source override */
#define ACPI_MADT_NMI_SOURCE        3
#define ACPI_MADT_LAPIC_NMI         4
#define ACPI_MADT_LAPIC_OVERRIDE    5   /* 64-bit local APIC address */
#define ACPI_MADT_X2APIC            9
#define ACPI_MADT_X2APIC_NMI        10

struct acpi_madt_lapic {        /* type 0, 8 bytes */
    struct acpi_madt_entry e;
    uint8_t  uid;
    uint8_t  apic_id;
    uint32_t flags;             /* bit 0 enabled, bit 1 online capable */
} ACPI_PACKED;

struct acpi_madt_ioapic {       /* type 1, 12 bytes */
    struct acpi_madt_entry e;
    uint8_t  id;
    uint8_t  reserved;
    uint32_t addr;
    uint32_t gsi_base;
} ACPI_PACKED;

struct acpi_madt_iso {          /* type 2, 10 bytes */
    struct acpi_madt_entry e;
    uint8_t  bus;               /* 0: ISA */
    uint8_t  source;            /* the ISA IRQ */
    uint32_t gsi;
    uint16_t flags;             /* MPS INTI flags: polarity bits 0-1, trigger bits 2-3 */
} ACPI_PACKED;

struct acpi_madt_nmi_source {   /* type 3, 8 bytes */
    struct acpi_madt_entry e;
    uint16_t flags;
    uint32_t gsi;
} ACPI_PACKED;

struct acpi_madt_lapic_nmi {    /* type 4, 6 bytes */
    struct acpi_madt_entry e;
    uint8_t  uid;               /* 0xFF: every processor */
    uint16_t flags;
    uint8_t  lint;              /* LINT0 or LINT1 */
} ACPI_PACKED;

struct acpi_madt_lapic_override {   /* type 5, 12 bytes */
    struct acpi_madt_entry e;
    uint16_t reserved;
    uint64_t addr;
} ACPI_PACKED;

struct acpi_madt_x2apic {       /* type 9, 16 bytes */
    struct acpi_madt_entry e;
    uint16_t reserved;
    uint32_t x2apic_id;
    uint32_t flags;
    uint32_t uid;
} ACPI_PACKED;

struct acpi_madt_x2apic_nmi {   /* type 10, 12 bytes */
    struct acpi_madt_entry e;
    uint16_t flags;
    uint32_t uid;               /* 0xFFFFFFFF: every processor */
    uint8_t  lint;
    uint8_t  reserved[3];
} ACPI_PACKED;

/* IA-PC HPET 1.0a, 3.2.4: the "HPET" table. */
struct acpi_hpet {
    struct acpi_sdt_header hdr;
    uint32_t event_timer_block_id;  /* bits 8-12: comparators - 1 */
    struct acpi_gas base;           /* must be system memory */
    uint8_t  number;
    uint16_t min_tick;
    uint8_t  page_protection;
} ACPI_PACKED;

/* PCI Firmware 3.2, 4.1.2: "MCFG", then 16-byte allocations. */
struct acpi_mcfg {
    struct acpi_sdt_header hdr;
    uint64_t reserved;
} ACPI_PACKED;

struct acpi_mcfg_alloc {
    uint64_t base;              /* ECAM base of bus 0 of this segment */
    uint16_t segment;
    uint8_t  bus_start;
    uint8_t  bus_end;
    uint32_t reserved;
} ACPI_PACKED;

/*
 * 5.2.9: the FADT ("FACP") grew with every revision (116 bytes in ACPI 1.0,
 * 244 in 2.0, 276 in 6.x), so it is read by offset, each field only when
 * the table is long enough to hold it (fadt.c).
 */
#define FADT_DSDT               40  /* u32 */
#define FADT_SCI_INT            46  /* u16 */
#define FADT_SMI_CMD            48  /* u32, I/O port */
#define FADT_ACPI_ENABLE        52  /* u8 */
#define FADT_ACPI_DISABLE       53  /* u8 */
#define FADT_PM1A_EVT_BLK       56  /* u32, I/O port */
#define FADT_PM1A_CNT_BLK       64  /* u32, I/O port */
#define FADT_PM1B_CNT_BLK       68  /* u32, I/O port */
#define FADT_PM_TMR_BLK         76  /* u32, I/O port */
#define FADT_PM_TMR_LEN         91  /* u8, 4 when there is a PM timer */
#define FADT_CENTURY            108 /* u8, CMOS index of the century, 0 if none */
#define FADT_IAPC_BOOT_ARCH     109 /* u16, from ACPI 2.0 */
#define FADT_FLAGS              112 /* u32 */
#define FADT_RESET_REG          116 /* GAS, from ACPI 2.0 */
#define FADT_RESET_VALUE        128 /* u8 */
#define FADT_X_DSDT             140 /* u64 */
#define FADT_X_PM_TMR_BLK       208 /* GAS */

_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header is 36 bytes");
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS is 12 bytes");
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT header is 44 bytes");
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT LAPIC is 8 bytes");
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT IOAPIC is 12 bytes");
_Static_assert(sizeof(struct acpi_madt_iso) == 10, "MADT ISO is 10 bytes");
_Static_assert(sizeof(struct acpi_madt_nmi_source) == 8, "MADT NMI source is 8 bytes");
_Static_assert(sizeof(struct acpi_madt_lapic_nmi) == 6, "MADT LAPIC NMI is 6 bytes");
_Static_assert(sizeof(struct acpi_madt_lapic_override) == 12, "MADT LAPIC override is 12 bytes");
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT x2APIC is 16 bytes");
_Static_assert(sizeof(struct acpi_madt_x2apic_nmi) == 12, "MADT x2APIC NMI is 12 bytes");
_Static_assert(sizeof(struct acpi_hpet) == 56, "HPET table is 56 bytes");
_Static_assert(sizeof(struct acpi_mcfg) == 44, "MCFG header is 44 bytes");
_Static_assert(sizeof(struct acpi_mcfg_alloc) == 16, "MCFG allocation is 16 bytes");
