/*
 * acpi_kernel.h - the ACPI tables as the running kernel sees them
 * (acpi_kernel.c): parsed once at boot from the loader's RSDP.
 */
#pragma once

#include <stdint.h>

#include "acpi/acpi.h"

/* Parse the tables under the RSDP at physical `rsdp`; ACPI_OK or ACPI_ERR_*. */
int acpi_init(uint64_t rsdp);

/* The parsed tables, or NULL when there were none (then: PIC and PIT only). */
const struct acpi_info *acpi_get(void);
