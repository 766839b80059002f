/*
 * mcfg.c - the PCI Express memory-mapped configuration table (PCI Firmware
 * 3.2, 4.1.2): one ECAM region per PCI segment and bus range. A region with
 * its end bus below its start bus is reported and skipped.
 */
#include <string.h>

#include "acpi_parsers.h"
#include "acpi_tables.h"

void acpi_mcfg_parse(const void *t, uint32_t len, const struct acpi_env *env, struct acpi_info *out)
{
    const uint8_t *p = (const uint8_t *)t + sizeof(struct acpi_mcfg);
    unsigned n = len < sizeof(struct acpi_mcfg) ? 0
               : (len - sizeof(struct acpi_mcfg)) / sizeof(struct acpi_mcfg_alloc);

    for (unsigned i = 0; i < n; i++, p += sizeof(struct acpi_mcfg_alloc)) {
        const struct acpi_mcfg_alloc *a = (const void *)p;
        if (a->bus_end < a->bus_start || a->base == 0) {
            env->log(env->ctx, "MCFG: region %u (segment %u, buses %u-%u) is malformed; skipped",
                     i, a->segment, a->bus_start, a->bus_end);
            continue;
        }
        if (out->mcfg_count == ACPI_MAX_MCFG) {
            out->dropped++;
            continue;
        }
        out->mcfg[out->mcfg_count++] = (struct acpi_mcfg_region){ a->base, a->segment, a->bus_start,
                                                                  a->bus_end };
    }
    env->log(env->ctx, "MCFG: %u ECAM regions%s", out->mcfg_count, out->mcfg_count ? "" : " (no PCIe)");
    for (unsigned i = 0; i < out->mcfg_count; i++)
        env->log(env->ctx, "MCFG: segment %u, buses %u-%u at 0x%llx", out->mcfg[i].segment,
                 out->mcfg[i].bus_start, out->mcfg[i].bus_end, (unsigned long long)out->mcfg[i].base);
}
