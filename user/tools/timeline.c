/*
 * timeline.c - timeline: /proc/timeline, the boot's steps with their times,
 * as a table with a bar per step (docs/tools.md):
 *   STEP                        TOOK ms      AT ms
 *   loader
 *     stage2                      0.412      0.412  ##
 * the loader's steps, the hand-off ("kernel entry"), then the kernel's
 * phases; TOOK is the step's own time, AT the time since the loader's start,
 * the bar the step's share of the longest step. -r prints the file as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"
#include "tools.h"

#define USAGE "usage: timeline [-r]\n  -r  the raw rows of /proc/timeline\n"

#define BAR_WIDTH   40

static void print_bar(uint64_t us, uint64_t longest)
{
    int width = longest ? (int)(us * BAR_WIDTH / longest) : 0;

    if (width == 0 && us > 0)
        width = 1;
    for (int i = 0; i < width; i++)
        putchar('#');
}

static void print_rows(const struct timeline_row *rows, unsigned n)
{
    unsigned entry = timeline_kernel_entry(rows, n);
    uint64_t longest = 0;

    for (unsigned i = 0; i < n; i++)
        if (rows[i].us > longest)
            longest = rows[i].us;
    printf("%-26s %10s %10s\n", "STEP", "TOOK ms", "AT ms");
    for (unsigned i = 0; i < n; i++) {
        if (i == 0 && entry > 0)
            printf("loader\n");
        if (i == entry + 1)
            printf("kernel\n");
        printf("  %-24s %10.3f %10.3f  ", rows[i].name, rows[i].us / 1000.0, rows[i].at_us / 1000.0);
        print_bar(rows[i].us, longest);
        putchar('\n');
    }
    if (n)
        printf("%u steps, %.3f ms from the loader's start to the last\n", n, rows[n - 1].at_us / 1000.0);
}

int main(int argc, char **argv)
{
    int raw;
    unsigned n;
    char *text;
    struct timeline_row *rows;

    tool_name = "timeline";
    raw = tool_only_flag(argc, argv, 'r', USAGE);
    text = tool_read_proc_or_fail("timeline", NULL);
    if (raw) {
        fputs(text, stdout);
        return 0;
    }
    rows = timeline_parse(text, &n);
    if (n == 0)
        tool_fail("%s/timeline holds no rows", tool_proc_root());
    print_rows(rows, n);
    free(rows);
    free(text);
    return 0;
}
