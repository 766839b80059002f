/*
 * lsblk.c - lsblk: the block devices and their partitions with sizes, from
 * /proc/partitions (Linux's format: major, minor, size in 1 KiB blocks,
 * name), and where each is mounted, from /proc/mounts (whose source is
 * the device's name, or /dev/ and its name) (docs/tools.md):
 *   NAME      MAJ:MIN   SIZE TYPE MOUNTPOINT
 *   sda         8:0     128M disk
 *   |-sda1      8:1      63M part /boot
 *   `-sda2      8:2      64M part /
 * A partition is a row named after an earlier disk row plus its number
 * (sda1, nvme0n1p1). -b gives sizes in bytes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

#define USAGE "usage: lsblk [-b]\n  -b  sizes in bytes\n"

#define NAME_MAX_LEN    32

struct dev_row {
    unsigned major, minor;
    unsigned long long kib;
    char name[NAME_MAX_LEN];
    int disk;                       /* the index of its disk's row, -1 for a disk */
};

/* Is name disk's partition: disk's name, an optional 'p', then only digits? */
static int is_partition_of(const char *name, const char *disk)
{
    size_t len = strlen(disk);

    if (strncmp(name, disk, len) != 0 || !name[len])
        return 0;
    name += len;
    if (*name == 'p' && isdigit((unsigned char)disk[len - 1]))
        name++;
    if (!*name)
        return 0;
    for (; *name; name++)
        if (!isdigit((unsigned char)*name))
            return 0;
    return 1;
}

/* The rows of /proc/partitions after its heading and blank line. */
static struct dev_row *read_rows(unsigned *n)
{
    char *text = tool_read_proc_or_fail("partitions", NULL), *line, *save = NULL;
    struct dev_row *rows = NULL;
    unsigned count = 0, line_no = 0;

    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct dev_row r = { .disk = -1 };
        if (++line_no == 1 && strncmp(line, "major", 5) == 0)
            continue;
        if (sscanf(line, " %u %u %llu %31s", &r.major, &r.minor, &r.kib, r.name) != 4)
            tool_fail("%s/partitions: line \"%s\" is not MAJOR MINOR BLOCKS NAME", tool_proc_root(), line);
        for (unsigned i = 0; i < count; i++)
            if (rows[i].disk < 0 && is_partition_of(r.name, rows[i].name))
                r.disk = (int)i;
        if (!(rows = realloc(rows, (count + 1) * sizeof *rows)))
            tool_fail("out of memory");
        rows[count++] = r;
    }
    free(text);
    *n = count;
    return rows;
}

/* Where NAME is mounted (the first line of /proc/mounts whose source is NAME or /dev/NAME), into out, or "". */
static void mount_point(const char *mounts, const char *name, char *out, size_t size)
{
    char source[64], path[256];

    out[0] = 0;
    for (const char *line = mounts; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (sscanf(line, "%63s %255s", source, path) == 2 &&
            strcmp(strncmp(source, "/dev/", 5) == 0 ? source + 5 : source, name) == 0) {
            snprintf(out, size, "%s", path);
            return;
        }
}

static void print_row(const struct dev_row *r, const char *branch, const char *mounts, int bytes)
{
    char label[NAME_MAX_LEN + 4], size[32], majmin[16], where[256];

    snprintf(label, sizeof label, "%s%s", branch, r->name);
    snprintf(majmin, sizeof majmin, "%u:%u", r->major, r->minor);
    if (bytes)
        snprintf(size, sizeof size, "%llu", r->kib * 1024);
    else
        tool_size_text(r->kib * 1024, size, sizeof size);
    mount_point(mounts, r->name, where, sizeof where);
    printf("%-12s %7s %*s %s%s%s\n", label, majmin, bytes ? 12 : 6, size, r->disk < 0 ? "disk" : "part",
           where[0] ? " " : "", where);
}

int main(int argc, char **argv)
{
    int bytes;
    unsigned n;
    struct dev_row *rows;
    char *mounts;

    tool_name = "lsblk";
    bytes = tool_only_flag(argc, argv, 'b', USAGE);
    rows = read_rows(&n);
    mounts = tool_read_proc("mounts", NULL);
    printf("%-12s %7s %*s %-4s %s\n", "NAME", "MAJ:MIN", bytes ? 12 : 6, "SIZE", "TYPE", "MOUNTPOINT");
    for (unsigned d = 0; d < n; d++) {
        int last = -1;
        if (rows[d].disk >= 0)
            continue;
        print_row(&rows[d], "", mounts, bytes);
        for (unsigned p = d + 1; p < n; p++)
            if (rows[p].disk == (int)d)
                last = (int)p;
        for (unsigned p = d + 1; p < n; p++)
            if (rows[p].disk == (int)d)
                print_row(&rows[p], (int)p == last ? "`-" : "|-", mounts ? mounts : "", bytes);
    }
    free(rows);
    free(mounts);
    return 0;
}
