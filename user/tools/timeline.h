/*
 * timeline.h - the rows of /proc/timeline parsed (timeline_rows.c), for
 * timeline and bootinfo. The kernel writes each row as
 *   timeline: NAME TICKS ticks US us  (at AT us)
 * (kernel/boot/report.c's report_timeline_format): the loader's steps, then
 * "kernel entry", then the kernel's phases.
 */
#pragma once

#include <stdint.h>

#define TIMELINE_NAME_MAX   48

struct timeline_row {
    char name[TIMELINE_NAME_MAX];
    uint64_t ticks, us, at_us;      /* the step's TSC ticks and microseconds, and since the loader's start */
};

/* Parse text (the whole file) into rows (malloc'd, *n of them); a line that is not a row
 * makes it fail with the line's number (tool_fail). */
struct timeline_row *timeline_parse(const char *text, unsigned *n);
/* The index of the "kernel entry" row, or n when there is none. */
unsigned timeline_kernel_entry(const struct timeline_row *rows, unsigned n);
