/*
 * boot/report.h - what the kernel prints about its boot, from the boot info:
 *   report_summary     the one machine-readable "bootinfo: ..." line (the
 *                      boot tests match it with a fixed regular expression;
 *                      change its form only together with tests/qemu/)
 *   report_memmap      the memory map as a table
 *   report_timeline    the loader's steps with the duration of each, the
 *                      hand-off ("kernel entry"), then the kernel's phases so
 *                      far (boot/phases.h), as "timeline: NAME N ticks N us
 *                      (at N us)" rows; tests/chart/ and tests/bench/ parse
 *                      that form
 *   report_timeline_row  one such row
 *   report_replay_loader_log  the loader's own lines, onto the screen console
 *                      (its scrollback keeps them: kernel/console.c)
 * All read bootinfo_get(); call after bootinfo_adopt.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

void report_summary(void);
void report_memmap(void);
/* kernel_entry_tsc: rdtsc at kmain, to show the hand-off as a last step. */
void report_timeline(uint64_t kernel_entry_tsc);
/* From prev to now (TSC); "at" counts from the loader's start. Call after clock_init. */
void report_timeline_row(const char *name, int name_len, uint64_t prev, uint64_t now);
void report_replay_loader_log(void);

/* The texts of the summary line and of a timeline row, as printed (no newline; the monitor's
 * bootinfo and timeline): format_snprintf's count. */
int report_summary_format(char *buf, size_t size);
int report_timeline_format(char *buf, size_t size, const char *name, int name_len, uint64_t prev,
                           uint64_t now);
/* Every row of the timeline so far (after report_timeline): the loader's steps, the hand-off,
 * the kernel's phases, each as fn(ctx, name, name_len, prev, now). */
typedef void report_row_fn(void *ctx, const char *name, int name_len, uint64_t prev, uint64_t now);
void report_timeline_rows(report_row_fn *fn, void *ctx);
