/*
 * bootinfo.c - bootinfo: the boot record the loader handed the kernel,
 * from /proc/bootinfo (the kernel's "bootinfo: key=value ..." line), with
 * a summary of /proc/timeline (docs/tools.md):
 *   firmware      bios
 *   loader        tessera-bios 0.1
 *   memory        254.4 MiB usable (260456 KiB), 12 map entries
 *   ...
 * A key this tool does not know is shown under its own name. -r prints the
 * line as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"
#include "tools.h"

#define USAGE "usage: bootinfo [-r]\n  -r  the raw line of /proc/bootinfo\n"

#define PREFIX "bootinfo: "

/* One key=value pair shown for people. */
static void show_pair(const char *key, const char *value)
{
    long kib;
    const char *slash;

    if (strcmp(key, "firmware") == 0)
        printf("%-14s%s\n", "firmware", value);
    else if (strcmp(key, "loader") == 0 && (slash = strchr(value, '/')))
        printf("%-14s%.*s %s\n", "loader", (int)(slash - value), value, slash + 1);
    else if (strcmp(key, "mem_usable_kib") == 0 && tool_parse_number(value, &kib) == 0)
        printf("%-14s%.1f MiB usable (%ld KiB)\n", "memory", kib / 1024.0, kib);
    else if (strcmp(key, "mem_entries") == 0)
        printf("%-14s%s entries\n", "memory map", value);
    else if (strcmp(key, "fb") == 0)
        printf("%-14s%s\n", "framebuffer", value);
    else if (strcmp(key, "rsdp") == 0)
        printf("%-14s%s\n", "ACPI RSDP", value);
    else if (strcmp(key, "kernel_phys") == 0)
        printf("%-14sloaded at physical %s\n", "kernel", value);
    else if (strcmp(key, "cmdline") == 0)
        printf("%-14s%s\n", "command line", value);
    else
        printf("%-14s%s\n", key, value);
}

/* Walk "key=value key=value cmdline="..."": a value in quotes runs to its closing quote. */
static void show_line(char *p)
{
    while (*p) {
        char *key = p, *value, *eq = strchr(p, '=');

        if (!eq)
            tool_fail("\"%s\" in %s/bootinfo is not key=value", p, tool_proc_root());
        *eq = 0;
        value = eq + 1;
        if (*value == '"') {
            char *close = strrchr(++value, '"');
            if (!close)
                tool_fail("%s=\"... in %s/bootinfo has no closing quote", key, tool_proc_root());
            *close = 0;
            p = close + 1;
        } else {
            p = value + strcspn(value, " ");
        }
        if (*p)
            *p++ = 0;
        while (*p == ' ')
            p++;
        show_pair(key, value);
    }
}

/* The loader's share and the kernel's, from /proc/timeline when it is there. */
static void show_timeline(void)
{
    char *text = tool_read_proc("timeline", NULL);
    struct timeline_row *rows;
    unsigned n, entry;

    if (!text)
        return;
    rows = timeline_parse(text, &n);
    entry = timeline_kernel_entry(rows, n);
    if (entry < n)
        printf("%-14s%u loader step%s, kernel entry at %.3f ms\n", "boot", entry, entry == 1 ? "" : "s",
               rows[entry].at_us / 1000.0);
    if (n && entry + 1 < n)
        printf("%-14s%u kernel phase%s, the last at %.3f ms (timeline shows each)\n", "", n - entry - 1,
               n - entry - 1 == 1 ? "" : "s", rows[n - 1].at_us / 1000.0);
    free(rows);
    free(text);
}

int main(int argc, char **argv)
{
    int raw;
    char *text, *nl;

    tool_name = "bootinfo";
    raw = tool_only_flag(argc, argv, 'r', USAGE);
    text = tool_read_proc_or_fail("bootinfo", NULL);
    if (raw) {
        fputs(text, stdout);
        return 0;
    }
    if ((nl = strchr(text, '\n')))
        *nl = 0;
    if (strncmp(text, PREFIX, strlen(PREFIX)) != 0)
        tool_fail("%s/bootinfo does not begin with \"%s\"", tool_proc_root(), PREFIX);
    show_line(text + strlen(PREFIX));
    show_timeline();
    free(text);
    return 0;
}
