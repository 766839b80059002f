/*
 * boot/phases.h - the kernel's own boot timeline: the end of each phase of
 * kmain (memory, console, acpi, clock, ...) stamped with the TSC, printed
 * as "timeline: kernel NAME ..." rows in the form of the loader's steps
 * (kernel/boot/report.c), so the boot chart (make chart, docs/boot-chart.md)
 * reads one timeline from the loader's start to the kernel's idle.
 *
 * Rules: kmain calls boot_phase_done(NAME) once at the end of each phase,
 * on the boot CPU, in boot order; NAME is a string literal of at most
 * BOOT_PHASE_NAME_MAX characters, a phase's one word. Until the TSC's rate
 * is known the stamps are only kept: report_timeline prints the ones so far
 * (boot_phases_report), and from then on each phase prints its row as it
 * ends.
 */
#pragma once

#include <stdint.h>

#define BOOT_PHASES_MAX     24
#define BOOT_PHASE_NAME_MAX 16

void boot_phase_done(const char *name);
/* The phases so far as rows (the first one's duration counted from
 * kernel_entry_tsc); every later boot_phase_done prints its own row. */
void boot_phases_report(uint64_t kernel_entry_tsc);
