/*
 * acpi_kernel.c - the ACPI parsers (acpi.c and the table decoders, shared
 * with the host tests) run once at boot over the kernel's memory, and the
 * result kept for later parts: interrupt controllers, timers, SMP, PCI.
 *
 * Tables are read through the direct map. A range is handed to the parser
 * only when both of its ends are mapped (the loader's direct map covers at
 * least the first 4 GiB, where firmware keeps its tables); anything else is
 * "not readable" and the parser reports and skips it.
 */
#include <stdarg.h>
#include <stdint.h>

#include "acpi/acpi.h"
#include "acpi/acpi_kernel.h"
#include "arch.h"
#include "format.h"
#include "printk.h"

static struct acpi_info info;
static int parsed;

static const void *hhdm_map(void *ctx, uint64_t phys, uint64_t len)
{
    struct page_mapping m;
    uint64_t last = phys + len - 1;

    (void)ctx;
    if (len == 0 || last < phys || last >= ARCH_HHDM_SIZE_MAX)
        return NULL;
    if (pagewalk((uint64_t)(uintptr_t)arch_phys_to_virt(phys), &m) != 0 ||
        pagewalk((uint64_t)(uintptr_t)arch_phys_to_virt(last), &m) != 0)
        return NULL;
    return arch_phys_to_virt(phys);
}

static void log_line(void *ctx, const char *fmt, ...)
{
    char line[160];
    va_list ap;

    (void)ctx;
    va_start(ap, fmt);
    format_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printk(LOG_INFO, "[acpi] %s\n", line);
}

int acpi_init(uint64_t rsdp)
{
    static const struct acpi_env env = { hhdm_map, log_line, 0 };
    int err = acpi_parse(rsdp, &env, &info);

    parsed = err == ACPI_OK;
    if (!parsed)
        printk(LOG_WARN, "[acpi] no usable tables (error %d): no MADT, HPET, FADT or MCFG\n", err);
    return err;
}

const struct acpi_info *acpi_get(void)
{
    return parsed ? &info : 0;
}
