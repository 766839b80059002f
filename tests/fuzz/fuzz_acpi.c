/*
 * fuzz_acpi.c - libFuzzer target for the ACPI table parsers (drivers/acpi/):
 * the input is a window of "physical memory" from address 0, with the RSDP
 * at 0; every table pointer, length and entry in it is the fuzzer's. The
 * parsers are built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, which
 * accepts any checksum, so the fuzzer reaches the table decoders instead of
 * stopping at the first checksum. Besides ASan and UBSan finding a read
 * outside the window, the decoded counts must stay inside their arrays and
 * every table the parser calls valid must lie inside the window.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "acpi/acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct window {
    const uint8_t *data;
    size_t size;
};

static const void *window_map(void *ctx, uint64_t phys, uint64_t len)
{
    const struct window *w = ctx;

    if (phys >= w->size || len > w->size - phys)
        return NULL;
    return w->data + phys;
}

static void quiet_log(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct acpi_info info;
    struct window w = { data, size };
    const struct acpi_env env = { window_map, quiet_log, &w };

    if (acpi_parse(0x0, &env, &info) != ACPI_OK && info.table_count != 0)
        abort();                    /* a failed parse lists no table */
    if (info.table_count > ACPI_MAX_TABLES || info.cpu_count > ACPI_MAX_CPUS ||
        info.ioapic_count > ACPI_MAX_IOAPICS || info.iso_count > ACPI_MAX_ISOS ||
        info.nmi_count > ACPI_MAX_NMIS || info.mcfg_count > ACPI_MAX_MCFG)
        abort();
    for (unsigned i = 0; i < info.table_count; i++) {
        const struct acpi_table_ref *t = &info.tables[i];
        if (t->valid && (t->phys >= size || t->length > size - t->phys))
            abort();
    }
    for (unsigned irq = 0; irq < 16; irq++)
        (void)acpi_isa_irq(&info, (uint8_t)irq);
    return 0;
}
