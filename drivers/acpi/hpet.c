/*
 * hpet.c - the HPET description table (IA-PC HPET 1.0a, 3.2.4): where the
 * event timer block's registers are, its number and how many comparators
 * it has. A block that is not in system memory is reported and ignored (the
 * HPET registers are always memory-mapped on PCs).
 */
#include "acpi_parsers.h"
#include "acpi_tables.h"

void acpi_hpet_parse(const void *t, uint32_t len, const struct acpi_env *env, struct acpi_info *out)
{
    const struct acpi_hpet *h = t;

    if (len < sizeof *h) {
        env->log(env->ctx, "HPET: %u bytes, shorter than its %u-byte layout; ignored", len,
                 (unsigned)sizeof *h);
        return;
    }
    if (h->base.space_id != ACPI_GAS_MEMORY || h->base.address == 0) {
        env->log(env->ctx, "HPET: block not in system memory (space %u, address 0x%llx); ignored",
                 h->base.space_id, (unsigned long long)h->base.address);
        return;
    }
    out->has_hpet = true;
    out->hpet_addr = h->base.address;
    out->hpet_number = h->number;
    out->hpet_comparators = ((h->event_timer_block_id >> 8) & 0x1F) + 1;
    out->hpet_min_tick = h->min_tick;
    env->log(env->ctx, "HPET: block %u at 0x%llx, %u comparators, minimum tick %u",
             out->hpet_number, (unsigned long long)out->hpet_addr, out->hpet_comparators,
             out->hpet_min_tick);
}
