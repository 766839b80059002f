/*
 * fat_host.h - what the FAT host tests (tests/host/test_fat*.c) share:
 * images made by mkfs.fat in a temporary folder, files put in with mtools,
 * the FAT core (kernel/fs/fat/) mounted over fsio_file, paths walked with
 * it, and the host's checkers (fsck.fat -n, mtype, mdir) run on the result.
 * Every function is static inline: each test file is one program.
 */
#pragma once

#define _GNU_SOURCE                 /* mkdtemp, popen, setenv, asprintf */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs/fat/fat.h"
#include "fsio_file.h"

/* One kind of volume the tests run on. */
struct fat_kind {
    const char *name;
    const char *mkfs;               /* mkfs.fat options */
    unsigned kib;                   /* image size */
    unsigned type;                  /* the FAT type the core must find */
};

struct fat_mounted {
    struct fsio_host h;
    struct fat_volume v;
};

static char fat_tmp[64];

static inline int64_t fat_test_now(void) { return 1764000000; }   /* 2025-11-24, fixed */

static inline void fat_tmp_make(void)
{
    if (!fat_tmp[0]) {
        strcpy(fat_tmp, "/tmp/tessera-fat-XXXXXX");
        if (!mkdtemp(fat_tmp))
            abort();
        setenv("LC_ALL", "C.UTF-8", 1);         /* mtools: UTF-8 names */
        setenv("MTOOLS_SKIP_CHECK", "1", 1);
    }
}

/* Run a shell command (printf-style): its exit status. */
static inline __attribute__((format(printf, 1, 2))) int fat_sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

/* A command's output (NUL-terminated, malloc'd), *len its bytes. */
static inline __attribute__((format(printf, 2, 3))) char *fat_capture(size_t *len, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    size_t cap = 4096, n = 0, r;
    char *buf = malloc(cap);

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    while (p && (r = fread(buf + n, 1, cap - n - 1, p)) > 0)
        if ((n += r) == cap - 1)
            buf = realloc(buf, cap *= 2);
    if (p)
        pclose(p);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* A fresh image of kind k at dir/name. */
static inline void fat_mkimage(char *path, size_t size, const struct fat_kind *k, const char *name)
{
    fat_tmp_make();
    snprintf(path, size, "%s/%s.img", fat_tmp, name);
    unlink(path);
    if (fat_sh("mkfs.fat -C %s '%s' %u >/dev/null", k->mkfs, path, k->kib))
        abort();
}

static inline int fat_mount_image(struct fat_mounted *m, const char *path, int read_only)
{
    int err = fsio_file_open(&m->h, path, 512, read_only), bps;

    if (err)
        return err;
    if ((bps = fat_sector_size(&m->h.io)) < 0)
        return bps;
    fsio_host_set_block_size(&m->h, (uint32_t)bps);
    err = fat_mount(&m->v, &m->h.io, "test", read_only);
    m->v.now = fat_test_now;
    return err;
}

static inline void fat_unmount(struct fat_mounted *m)
{
    fat_sync(&m->v);
    fsio_host_close(&m->h);
}

/* Walk path ("a/b/c", relative to the root) to its node. */
static inline int fat_walk(struct fat_volume *v, const char *path, struct fat_node *out)
{
    struct fat_node cur;
    const char *p = path;

    fat_root(v, &cur);
    while (*p) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) {
            int err = fat_lookup(v, &cur, p, len, &cur);
            if (err)
                return err;
        }
        p += len + (e != NULL);
    }
    *out = cur;
    return 0;
}

/* The parent folder of path and the last name in it. */
static inline int fat_walk_parent(struct fat_volume *v, const char *path, struct fat_node *dir,
                                  const char **name)
{
    const char *slash = strrchr(path, '/');
    char parent[1024];

    *name = slash ? slash + 1 : path;
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - path) : 0, path);
    return fat_walk(v, parent, dir);
}

/* Deterministic bytes for a file: seed decides them. */
static inline void fat_fill(uint8_t *buf, size_t len, uint32_t seed)
{
    for (size_t i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(seed >> 16);
    }
}

static inline int fat_fsck_clean(const char *img)
{
    return fat_sh("fsck.fat -n '%s' >/dev/null 2>&1", img) == 0;
}
