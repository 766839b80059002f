/*
 * test_vfs.h - helpers the VFS ktests share (kernel/test/test_vfs.c).
 */
#pragma once

#include <stddef.h>

/* Names of a directory as "a b c " (readdir order; those past text's size only counted). */
struct vt_names {
    char text[1024];
    size_t len;
    unsigned count;
};

struct ktest;

/* Run body with a fresh tmpfs mounted at /t_vfs, unmounted after (test_vfs.c). */
void vt_run(struct ktest *t, void (*body)(struct ktest *t));

/* Write text to path (created or truncated): bytes or -errno. */
long vt_put(const char *path, const char *text);
/* Read path into buf as a string: bytes or -errno. */
long vt_get(const char *path, char *buf, size_t size);
/* readdir of path into v: 0 or -errno. */
int vt_list(const char *path, struct vt_names *v);
int vt_has(const struct vt_names *v, const char *word);

#include <string.h>

/* The kernel's string.h has no strcpy/strcat (on purpose: unbounded); the tests' own. */
static inline char *vt_strcpy(char *dst, const char *src)
{
    memcpy(dst, src, strlen(src) + 1);
    return dst;
}

static inline char *vt_strcat(char *dst, const char *src)
{
    vt_strcpy(dst + strlen(dst), src);
    return dst;
}
