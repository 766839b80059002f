/*
 * acpi_parsers.h - the decoders of single tables, called by acpi.c once a
 * table has passed its checksum and length checks. Each reads only the
 * `len` bytes at `t` and fills its part of struct acpi_info.
 */
#pragma once

#include "acpi.h"

void acpi_madt_parse(const void *t, uint32_t len, const struct acpi_env *env, struct acpi_info *out);
void acpi_hpet_parse(const void *t, uint32_t len, const struct acpi_env *env, struct acpi_info *out);
void acpi_fadt_parse(const void *t, uint32_t len, const struct acpi_env *env, struct acpi_info *out);
void acpi_mcfg_parse(const void *t, uint32_t len, const struct acpi_env *env, struct acpi_info *out);

/* The MPS INTI flags of MADT entries: polarity bits 0-1, trigger bits 2-3. */
static inline uint8_t acpi_inti_polarity(uint16_t flags) { return flags & 3; }
static inline uint8_t acpi_inti_trigger(uint16_t flags) { return (flags >> 2) & 3; }
