/*
 * acpi.c - from the RSDP to the list of checked tables (ACPI 6.5, 5.2).
 *
 *   acpi_parse
 *     rsdp_check      "RSD PTR ", the 20-byte checksum, for revision >= 2
 *                     the extended checksum over `length` bytes
 *     root_walk       the XSDT (64-bit entries) when the RSDP has one, else
 *                     the RSDT (32-bit entries)
 *       table_map     header readable, length >= the header, the whole
 *                     length readable, checksum 0: else reported, skipped
 *       table_decode  APIC, HPET, FACP, MCFG to their parsers; the first
 *                     good table of a signature wins
 * Every table found gets one log line, good or bad.
 */
#include <string.h>

#include "acpi.h"
#include "acpi_parsers.h"
#include "acpi_tables.h"

static int bytes_sum_to_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while (n--)
        sum += *b++;
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    return 1;   /* the fuzzer (tests/fuzz/fuzz_acpi.c) goes on past the checksums */
#endif
    return sum == 0;
}

/* A signature as text: unprintable bytes become '?', so a log line stays one line. */
static void signature_text(char out[5], const char *sig)
{
    for (int i = 0; i < 4; i++)
        out[i] = (sig[i] >= 0x20 && sig[i] < 0x7F) ? sig[i] : '?';
    out[4] = 0;
}

static int rsdp_check(uint64_t phys, const struct acpi_env *env, struct acpi_info *out,
                      const struct acpi_rsdp **rsdp)
{
    const struct acpi_rsdp *r = env->map(env->ctx, phys, ACPI_RSDP_V1_SIZE);

    if (!phys || !r) {
        env->log(env->ctx, "no RSDP (address 0x%llx)", (unsigned long long)phys);
        return ACPI_ERR_NO_RSDP;
    }
    if (memcmp(r->signature, "RSD PTR ", 8) != 0 || !bytes_sum_to_zero(r, ACPI_RSDP_V1_SIZE)) {
        env->log(env->ctx, "RSDP at 0x%llx: bad signature or checksum", (unsigned long long)phys);
        return ACPI_ERR_BAD_RSDP;
    }
    if (r->revision >= 2) {
        uint32_t len = r->length;
        if (len < sizeof *r || !(r = env->map(env->ctx, phys, len)) || !bytes_sum_to_zero(r, len)) {
            env->log(env->ctx, "RSDP at 0x%llx: bad length or extended checksum", (unsigned long long)phys);
            return ACPI_ERR_BAD_RSDP;
        }
    }
    out->rsdp = phys;
    out->revision = r->revision;
    memcpy(out->oem_id, r->oem_id, 6);
    out->oem_id[6] = 0;
    *rsdp = r;
    return ACPI_OK;
}

/* Map and check one table; NULL (after a log line) when it cannot be trusted. */
static const struct acpi_sdt_header *table_map(uint64_t phys, const struct acpi_env *env,
                                               struct acpi_table_ref *ref)
{
    const struct acpi_sdt_header *h = env->map(env->ctx, phys, sizeof *h);
    uint32_t len;

    ref->phys = phys;
    if (!h) {
        env->log(env->ctx, "table at 0x%llx: not in readable memory, skipped", (unsigned long long)phys);
        return NULL;
    }
    signature_text(ref->signature, h->signature);
    len = ref->length = h->length;
    ref->revision = h->revision;
    if (len < sizeof *h) {
        env->log(env->ctx, "%s at 0x%llx: length %u is shorter than its header, skipped",
                 ref->signature, (unsigned long long)phys, len);
        return NULL;
    }
    if (!(h = env->map(env->ctx, phys, len))) {
        env->log(env->ctx, "%s at 0x%llx: length %u runs past readable memory, skipped",
                 ref->signature, (unsigned long long)phys, len);
        return NULL;
    }
    if (!bytes_sum_to_zero(h, len)) {
        env->log(env->ctx, "%s at 0x%llx: bad checksum, skipped", ref->signature, (unsigned long long)phys);
        return NULL;
    }
    ref->valid = 1;
    return h;
}

static void table_decode(const struct acpi_sdt_header *h, const struct acpi_table_ref *ref,
                         const struct acpi_env *env, struct acpi_info *out)
{
    static const struct {
        const char *sig;
        void (*parse)(const void *, uint32_t, const struct acpi_env *, struct acpi_info *);
    } decoders[] = {
        { "APIC", acpi_madt_parse }, { "HPET", acpi_hpet_parse },
        { "FACP", acpi_fadt_parse }, { "MCFG", acpi_mcfg_parse },
    };

    env->log(env->ctx, "%s at 0x%llx, revision %u, %u bytes, OEM '%.6s'", ref->signature,
             (unsigned long long)ref->phys, ref->revision, ref->length, h->oem_id);
    for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++) {
        if (memcmp(ref->signature, decoders[i].sig, 4) != 0)
            continue;
        if (acpi_find_table(out, decoders[i].sig) != ref) {
            env->log(env->ctx, "%s at 0x%llx: a second %s, ignored", ref->signature,
                     (unsigned long long)ref->phys, decoders[i].sig);
            return;
        }
        decoders[i].parse(h, ref->length, env, out);
    }
}

static int root_walk(const struct acpi_rsdp *r, const struct acpi_env *env, struct acpi_info *out)
{
    struct acpi_table_ref root_ref = { 0 };
    const struct acpi_sdt_header *root;
    unsigned entry_size = 4, count;

    out->xsdt = r->revision >= 2 && r->xsdt != 0;
    out->root = out->xsdt ? r->xsdt : r->rsdt;
    if (out->xsdt)
        entry_size = 8;
    root = table_map(out->root, env, &root_ref);
    if (!root || memcmp(root->signature, out->xsdt ? "XSDT" : "RSDT", 4) != 0) {
        env->log(env->ctx, "no valid %s at 0x%llx", out->xsdt ? "XSDT" : "RSDT",
                 (unsigned long long)out->root);
        return ACPI_ERR_BAD_ROOT;
    }
    count = (root_ref.length - sizeof *root) / entry_size;
    env->log(env->ctx, "%s at 0x%llx: %u tables, OEM '%s', ACPI %s", root_ref.signature,
             (unsigned long long)out->root, count, out->oem_id, out->revision >= 2 ? "2.0+" : "1.0");
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *entry = (const uint8_t *)root + sizeof *root + (size_t)i * entry_size;
        uint64_t phys = 0;
        struct acpi_table_ref *ref;
        const struct acpi_sdt_header *h;

        memcpy(&phys, entry, entry_size);   /* little-endian, 4 or 8 bytes */
        if (out->table_count == ACPI_MAX_TABLES) {
            out->dropped++;
            continue;
        }
        ref = &out->tables[out->table_count++];
        if (!(h = table_map(phys, env, ref))) {
            out->bad_tables++;
            continue;
        }
        table_decode(h, ref, env, out);
    }
    if (out->dropped)
        env->log(env->ctx, "%u entries past the parser's limits were dropped", out->dropped);
    return ACPI_OK;
}

int acpi_parse(uint64_t rsdp, const struct acpi_env *env, struct acpi_info *out)
{
    const struct acpi_rsdp *r;
    int err;

    memset(out, 0, sizeof *out);
    if ((err = rsdp_check(rsdp, env, out, &r)) != ACPI_OK)
        return err;
    return root_walk(r, env, out);
}

const struct acpi_table_ref *acpi_find_table(const struct acpi_info *info, const char *sig)
{
    for (unsigned i = 0; i < info->table_count; i++)
        if (info->tables[i].valid && memcmp(info->tables[i].signature, sig, 4) == 0)
            return &info->tables[i];
    return NULL;
}

struct acpi_iso acpi_isa_irq(const struct acpi_info *info, uint8_t irq)
{
    struct acpi_iso iso = { irq, irq, ACPI_POLARITY_HIGH, ACPI_TRIGGER_EDGE };

    for (unsigned i = 0; i < info->iso_count; i++) {
        if (info->isos[i].source != irq)
            continue;
        iso.gsi = info->isos[i].gsi;
        if (info->isos[i].polarity != ACPI_POLARITY_BUS)
            iso.polarity = info->isos[i].polarity;
        if (info->isos[i].trigger != ACPI_TRIGGER_BUS)
            iso.trigger = info->isos[i].trigger;
        break;
    }
    return iso;
}
