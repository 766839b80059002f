/*
 * madt.c - the Multiple APIC Description Table ("APIC", ACPI 6.5 5.2.12):
 * the local APIC address, the CPUs, the IOAPICs, how ISA IRQs reach them
 * (interrupt source overrides) and which LINT pins carry NMIs.
 *
 * The entries follow the 44-byte header back to back, each starting with
 * its type and length. An entry shorter than its type's layout, of length
 * 0 or 1, or running past the table ends the walk with a log line (the
 * rest cannot be located); unknown types are stepped over by their length.
 */
#include <string.h>

#include "acpi_parsers.h"
#include "acpi_tables.h"

/* The smallest length each known entry type must have. */
static uint8_t entry_min_length(uint8_t type)
{
    switch (type) {
    case ACPI_MADT_LAPIC:           return sizeof(struct acpi_madt_lapic);
    case ACPI_MADT_IOAPIC:          return sizeof(struct acpi_madt_ioapic);
    case ACPI_MADT_ISO:             return sizeof(struct acpi_madt_iso);
    case ACPI_MADT_NMI_SOURCE:      return sizeof(struct acpi_madt_nmi_source);
    case ACPI_MADT_LAPIC_NMI:       return sizeof(struct acpi_madt_lapic_nmi);
    case ACPI_MADT_LAPIC_OVERRIDE:  return sizeof(struct acpi_madt_lapic_override);
    case ACPI_MADT_X2APIC:          return sizeof(struct acpi_madt_x2apic);
    case ACPI_MADT_X2APIC_NMI:      return sizeof(struct acpi_madt_x2apic_nmi);
    default:                        return sizeof(struct acpi_madt_entry);
    }
}

static void add_cpu(struct acpi_info *out, uint32_t apic_id, uint32_t uid, uint32_t flags, bool x2)
{
    enum { ENABLED = 1, ONLINE_CAPABLE = 2 };

    if (!(flags & (ENABLED | ONLINE_CAPABLE)))
        return;                     /* not present, never will be */
    if (out->cpu_count == ACPI_MAX_CPUS) {
        out->dropped++;
        return;
    }
    out->cpus[out->cpu_count++] = (struct acpi_cpu){ apic_id, uid, (flags & ENABLED) != 0, x2 };
}

static void add_nmi(struct acpi_info *out, uint32_t uid, uint8_t lint, uint16_t flags)
{
    if (out->nmi_count == ACPI_MAX_NMIS) {
        out->dropped++;
        return;
    }
    out->nmis[out->nmi_count++] = (struct acpi_nmi){ uid, lint, acpi_inti_polarity(flags),
                                                     acpi_inti_trigger(flags) };
}

static void add_ioapic(struct acpi_info *out, const struct acpi_madt_ioapic *e)
{
    if (out->ioapic_count == ACPI_MAX_IOAPICS) {
        out->dropped++;
        return;
    }
    out->ioapics[out->ioapic_count++] = (struct acpi_ioapic){ e->id, e->addr, e->gsi_base };
}

static void add_iso(struct acpi_info *out, const struct acpi_madt_iso *e)
{
    if (out->iso_count == ACPI_MAX_ISOS) {
        out->dropped++;
        return;
    }
    out->isos[out->iso_count++] = (struct acpi_iso){ e->source, e->gsi, acpi_inti_polarity(e->flags),
                                                     acpi_inti_trigger(e->flags) };
}

static void entry_decode(const struct acpi_madt_entry *e, struct acpi_info *out)
{
    switch (e->type) {
    case ACPI_MADT_LAPIC: {
        const struct acpi_madt_lapic *l = (const void *)e;
        add_cpu(out, l->apic_id, l->uid, l->flags, false);
        break;
    }
    case ACPI_MADT_X2APIC: {
        const struct acpi_madt_x2apic *x = (const void *)e;
        add_cpu(out, x->x2apic_id, x->uid, x->flags, true);
        break;
    }
    case ACPI_MADT_IOAPIC:
        add_ioapic(out, (const void *)e);
        break;
    case ACPI_MADT_ISO:
        add_iso(out, (const void *)e);
        break;
    case ACPI_MADT_LAPIC_NMI: {
        const struct acpi_madt_lapic_nmi *n = (const void *)e;
        add_nmi(out, n->uid == 0xFF ? 0xFFFFFFFFu : n->uid, n->lint, n->flags);
        break;
    }
    case ACPI_MADT_X2APIC_NMI: {
        const struct acpi_madt_x2apic_nmi *n = (const void *)e;
        add_nmi(out, n->uid, n->lint, n->flags);
        break;
    }
    case ACPI_MADT_LAPIC_OVERRIDE:
        out->lapic_addr = ((const struct acpi_madt_lapic_override *)(const void *)e)->addr;
        break;
    default:                        /* NMI sources, GIC, ...: not used here */
        break;
    }
}

void acpi_madt_parse(const void *t, uint32_t len, const struct acpi_env *env, struct acpi_info *out)
{
    const struct acpi_madt *madt = t;
    const uint8_t *p = (const uint8_t *)t + sizeof *madt;
    const uint8_t *end = (const uint8_t *)t + len;

    if (len < sizeof *madt) {
        env->log(env->ctx, "MADT: %u bytes, shorter than its header; ignored", len);
        return;
    }
    out->has_madt = true;
    out->lapic_addr = madt->lapic_addr;
    out->pcat_compat = madt->flags & 1;
    while (p < end) {
        const struct acpi_madt_entry *e = (const void *)p;
        if (end - p < (long)sizeof *e || e->length < entry_min_length(e->type) || e->length > end - p) {
            env->log(env->ctx, "MADT: entry at offset %u (type %u) is malformed; the rest is ignored",
                     (unsigned)(p - (const uint8_t *)t), end - p >= 1 ? p[0] : 0);
            break;
        }
        entry_decode(e, out);
        p += e->length;
    }
    env->log(env->ctx, "MADT: %u CPUs, %u IOAPICs, %u overrides, %u NMIs, local APIC at 0x%llx%s",
             out->cpu_count, out->ioapic_count, out->iso_count, out->nmi_count,
             (unsigned long long)out->lapic_addr, out->pcat_compat ? ", 8259 PICs present" : "");
}
