/*
 * free.c - free: memory in use and free, from /proc/meminfo, in procps's
 * columns (docs/tools.md):
 *                  total        used        free      shared  buff/cache   available
 *   Mem:          253976       12345      200000           0       40000      230000
 *   Swap:              0           0           0
 * used = total - free - buffers - cached, as procps 4 counts it. Sizes in
 * KiB, or -m MiB, -b bytes, -h for people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools.h"

enum unit { UNIT_KIB, UNIT_MIB, UNIT_BYTES, UNIT_HUMAN };

static void usage(void)
{
    fprintf(stderr, "usage: free [-b|-k|-m|-h]\n");
    exit(2);
}

/* The kB value of "Name:" in meminfo, or fail when it is missing. */
static uint64_t field(const char *text, const char *name)
{
    size_t len = strlen(name);
    unsigned long long kb;

    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, name, len) == 0 && line[len] == ':') {
            if (sscanf(line + len + 1, " %llu", &kb) != 1)
                tool_fail("%s/meminfo: %s has no number", tool_proc_root(), name);
            return kb;
        }
    tool_fail("%s/meminfo has no %s", tool_proc_root(), name);
}

static void cell(uint64_t kib, enum unit unit)
{
    char text[32];

    if (unit == UNIT_HUMAN) {
        tool_size_text(kib * 1024, text, sizeof text);
        printf(" %11s", text);
    } else {
        printf(" %11llu", (unsigned long long)(unit == UNIT_MIB ? kib / 1024 : unit == UNIT_BYTES ? kib * 1024 : kib));
    }
}

int main(int argc, char **argv)
{
    enum unit unit = UNIT_KIB;
    char *text;
    uint64_t total, free_kb, avail, buffers, cached, shmem, swap_total, swap_free, used;
    int opt;

    tool_name = "free";
    while ((opt = getopt(argc, argv, "bkmh")) != -1)
        unit = opt == 'b' ? UNIT_BYTES : opt == 'k' ? UNIT_KIB : opt == 'm' ? UNIT_MIB : opt == 'h' ? UNIT_HUMAN
                                                                                           : (usage(), UNIT_KIB);
    if (optind != argc)
        usage();
    text = tool_read_proc_or_fail("meminfo", NULL);
    total = field(text, "MemTotal");
    free_kb = field(text, "MemFree");
    avail = field(text, "MemAvailable");
    buffers = field(text, "Buffers");
    cached = field(text, "Cached");
    shmem = field(text, "Shmem");
    swap_total = field(text, "SwapTotal");
    swap_free = field(text, "SwapFree");
    used = total > free_kb + buffers + cached ? total - free_kb - buffers - cached : 0;
    printf("%5s %11s %11s %11s %11s %11s %11s\n", "", "total", "used", "free", "shared", "buff/cache", "available");
    printf("%-5s", "Mem:");
    cell(total, unit), cell(used, unit), cell(free_kb, unit), cell(shmem, unit), cell(buffers + cached, unit);
    cell(avail, unit);
    printf("\n%-5s", "Swap:");
    cell(swap_total, unit), cell(swap_total - swap_free, unit), cell(swap_free, unit);
    putchar('\n');
    free(text);
    return 0;
}
