/*
 * ext2_host.c - the helpers of the ext2 host tests (ext2_host.h): the
 * kernel's kmalloc and printk for the core, images made by mke2fs, and the
 * host's checkers. Expected values come from the host's tools and files,
 * never from the code under test.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext2_host.h"

char ext2_last_log[512];
unsigned ext2_log_lines;

void *kmalloc(size_t size);
void *kcalloc(size_t n, size_t size);
void kfree(void *ptr);
void printk(int level, const char *fmt, ...);

void *kmalloc(size_t size) { return malloc(size); }
void *kcalloc(size_t n, size_t size) { return calloc(n, size); }
void kfree(void *ptr) { free(ptr); }

void printk(int level, const char *fmt, ...)
{
    va_list ap;

    (void)level;
    va_start(ap, fmt);
    vsnprintf(ext2_last_log, sizeof ext2_last_log, fmt, ap);
    va_end(ap);
    ext2_log_lines++;
    if (getenv("EXT2_TEST_VERBOSE"))
        fputs(ext2_last_log, stderr);
}

int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void vol_prepare(struct vol *v)
{
    memset(v, 0, sizeof *v);
    strcpy(v->dir, "/tmp/ext2test.XXXXXX");
    if (!mkdtemp(v->dir))
        abort();
    snprintf(v->img, sizeof v->img, "%s.img", v->dir);
    v->h.fd = -1;
}

void pattern(uint8_t *buf, size_t len, unsigned seed, uint64_t at)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t x = (at + i) * 2654435761u + seed * 40503u;
        buf[i] = (uint8_t)(x >> 13 ^ x >> 5);
    }
}

void vol_put_file(struct vol *v, const char *rel, size_t len, unsigned seed)
{
    char path[512];
    uint8_t *buf = malloc(len + 1);

    snprintf(path, sizeof path, "%s/%s", v->dir, rel);
    pattern(buf, len, seed, 0);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len)
        abort();
    fclose(f);
    free(buf);
}

static uint32_t now_fixed(void) { return 1700000000u; }

static int set_bs(struct fs_io *io, uint32_t block_size)
{
    fsio_host_set_block_size(io->priv, block_size);
    return 0;
}

void vol_mkfs(struct vol *v, unsigned bs, unsigned size_kib, const char *extra)
{
    if (sh("mke2fs -q -F -t ext2 -b %u %s -d %s %s %u >/dev/null", bs, extra ? extra : "",
           v->dir, v->img, size_kib))
        abort();
}

int vol_mount(struct vol *v, int read_only)
{
    int err = fsio_file_open(&v->h, v->img, 1024, read_only);
    if (err)
        return err;
    v->fs.now = now_fixed;
    return ext2_mount(&v->fs, &v->h.io, "test", read_only, set_bs);
}

void vol_umount(struct vol *v)
{
    ext2_umount(&v->fs);
    fsio_host_close(&v->h);
}

int vol_fsck(struct vol *v)
{
    return sh("e2fsck -fn %s > %s.fsck 2>&1 || { cat %s.fsck; exit 1; }", v->img, v->img, v->img);
}

void vol_cleanup(struct vol *v)
{
    sh("rm -rf %s %s %s.fsck %s.out", v->dir, v->img, v->img, v->img);
}

int walk(struct ext2_fs *fs, const char *path, struct ext2_node *out)
{
    int err = ext2_read_node(fs, EXT2_ROOT_INO, out);

    while (!err && *path) {
        while (*path == '/')
            path++;
        size_t len = strcspn(path, "/");
        uint32_t ino;
        if (len == 0)
            break;
        if ((err = ext2_dir_lookup(fs, out, path, len, &ino)) == 0)
            err = ext2_read_node(fs, ino, out);
        path += len;
    }
    return err;
}

int walk_parent(struct ext2_fs *fs, const char *path, struct ext2_node *dir, const char **name)
{
    static char parent[4096];
    const char *slash = strrchr(path, '/');

    memcpy(parent, path, (size_t)(slash - path));
    parent[slash - path] = 0;
    *name = slash + 1;
    return walk(fs, parent, dir);
}

long read_all(struct ext2_fs *fs, const char *path, uint8_t **out)
{
    struct ext2_node n;
    int err = walk(fs, path, &n);

    if (err)
        return err;
    uint64_t size = ext2_node_size(&n);
    *out = malloc(size + 1);
    long got = ext2_read(fs, &n, *out, size, 0);
    return got;
}

long debugfs_cat(struct vol *v, const char *path, uint8_t **out)
{
    char out_path[128];
    struct stat st;

    snprintf(out_path, sizeof out_path, "%s.out", v->img);
    if (sh("debugfs -R 'cat %s' %s > %s 2>/dev/null", path, v->img, out_path) || stat(out_path, &st))
        return -1;
    FILE *f = fopen(out_path, "rb");
    *out = malloc((size_t)st.st_size + 1);
    long n = (long)fread(*out, 1, (size_t)st.st_size, f);
    fclose(f);
    return n;
}
