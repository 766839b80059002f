/*
 * mounts.c - the file systems of /etc/fstab: at start, each entry that
 * /proc/mounts does not list yet is mounted (the kernel mounts /, /dev,
 * /proc and /boot itself, kernel/fs/root.c; init adds /tmp, and any of
 * those the kernel could not mount); at the end, every mount but / is
 * unmounted, the last mounted first.
 *
 * fstab's fields are Linux's: device, mount point, type, options (only
 * "ro" is used), dump and pass (ignored). The device is the kernel's name
 * for it (sda1), or any word for a file system without one (tmpfs, proc).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "init.h"

#define MOUNTS_MAX  32
#define FIELD_MAX   128

struct mount_entry {
    char device[FIELD_MAX];
    char dir[FIELD_MAX];
    char type[FIELD_MAX];
    char options[FIELD_MAX];
};

/* Read a table of "device dir type options ..." lines; the number of entries. */
static int read_table(const char *path, struct mount_entry *e, int max)
{
    char line[512];
    FILE *f = fopen(path, "r");
    int n = 0;

    if (!f)
        return -1;
    while (n < max && fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        if (sscanf(line, "%127s %127s %127s %127s", e[n].device, e[n].dir, e[n].type, e[n].options) >= 3)
            n++;
    }
    fclose(f);
    return n;
}

static int is_mounted(const char *dir, const struct mount_entry *now, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(now[i].dir, dir) == 0)
            return 1;
    return 0;
}

static int has_option(const char *options, const char *word)
{
    size_t len = strlen(word);

    for (const char *p = options; (p = strstr(p, word)) != NULL; p += len)
        if ((p == options || p[-1] == ',') && (p[len] == 0 || p[len] == ','))
            return 1;
    return 0;
}

static void mount_one(const struct mount_entry *e)
{
    unsigned long flags = has_option(e->options, "ro") ? MS_RDONLY : 0;

    if (mount(e->device, e->dir, e->type, flags, NULL) != 0)
        init_log("mount %s (%s) on %s: %s", e->device, e->type, e->dir, strerror(errno));
    else
        init_log("mounted %s (%s) on %s", e->device, e->type, e->dir);
}

void mounts_mount_missing(void)
{
    static struct mount_entry want[MOUNTS_MAX], now[MOUNTS_MAX];
    int n_want, n_now = read_table("/proc/mounts", now, MOUNTS_MAX);

    if (n_now < 0) {                    /* no /proc yet: it is how init sees the rest */
        struct mount_entry proc = { "proc", "/proc", "proc", "rw" };
        mount_one(&proc);
        n_now = read_table("/proc/mounts", now, MOUNTS_MAX);
    }
    n_want = read_table("/etc/fstab", want, MOUNTS_MAX);
    if (n_want < 0) {
        init_log("/etc/fstab: %s; nothing more mounted", strerror(errno));
        return;
    }
    for (int i = 0; i < n_want; i++)
        if (strcmp(want[i].dir, "/") != 0 && !is_mounted(want[i].dir, now, n_now > 0 ? n_now : 0))
            mount_one(&want[i]);
}

void mounts_unmount_all(void)
{
    static struct mount_entry now[MOUNTS_MAX];
    int n = read_table("/proc/mounts", now, MOUNTS_MAX);

    for (int i = n - 1; i >= 0; i--)
        if (strcmp(now[i].dir, "/") != 0 && umount(now[i].dir) != 0)
            init_log("umount %s: %s", now[i].dir, strerror(errno));
}
