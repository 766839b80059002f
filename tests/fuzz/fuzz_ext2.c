/*
 * fuzz_ext2.c - libFuzzer target for ext2's on-disk core (kernel/fs/ext2/,
 * as the kernel runs it) over an image in memory (fsio_mem_open).
 *
 * Input: the volume's bytes (the seeds in tests/fuzz/corpus/ext2 are small
 * images made by mke2fs -d, 1 KiB and 4 KiB blocks). The target mounts it,
 * walks every directory (depth and entries bounded), reads every file and
 * symbolic link, then, when the volume mounted read-write, creates,
 * writes, renames and removes files and a directory of its own, and
 * unmounts. Besides ASan and UBSan: no block may stay held (fsio's count of
 * gets not put), whatever the image says.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs/ext2/ext2.h"
#include "fsio_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void *kmalloc(size_t size);
void *kcalloc(size_t n, size_t size);
void kfree(void *ptr);
void printk(int level, const char *fmt, ...);

void *kmalloc(size_t size) { return malloc(size); }
void *kcalloc(size_t n, size_t size) { return calloc(n, size); }
void kfree(void *ptr) { free(ptr); }
void printk(int level, const char *fmt, ...) { (void)level; (void)fmt; }

#define MAX_DEPTH   6
#define MAX_VISITS  200
#define MAX_READ    (256 * 1024)

static struct ext2_fs fs;
static unsigned visits;
static uint8_t chunk[8192];

static int set_bs(struct fs_io *io, uint32_t block_size)
{
    fsio_host_set_block_size(io->priv, block_size);
    return 0;
}

static void visit(uint32_t ino, int depth);

struct walk_ctx {
    uint32_t inos[64];
    unsigned n;
};

static int collect(void *ctx, const char *name, size_t len, uint32_t ino, unsigned ftype)
{
    struct walk_ctx *w = ctx;

    (void)ftype;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    if (w->n < 64)
        w->inos[w->n++] = ino;
    return 0;
}

static void visit(uint32_t ino, int depth)
{
    struct ext2_node node;
    char link[4096];

    if (visits++ >= MAX_VISITS || ext2_read_node(&fs, ino, &node))
        return;
    if (EXT2_ISDIR(node.raw.i_mode) && depth < MAX_DEPTH) {
        struct walk_ctx w = { .n = 0 };
        uint64_t pos = 0;
        ext2_dir_iterate(&fs, &node, &pos, collect, &w);
        for (unsigned i = 0; i < w.n; i++)
            visit(w.inos[i], depth + 1);
    } else if (EXT2_ISREG(node.raw.i_mode)) {
        for (uint64_t pos = 0; pos < MAX_READ;) {
            long n = ext2_read(&fs, &node, chunk, sizeof chunk, pos);
            if (n <= 0)
                break;
            pos += (uint64_t)n;
        }
    } else if (EXT2_ISLNK(node.raw.i_mode)) {
        ext2_readlink(&fs, &node, link, sizeof link);
    }
}

/* Changes of our own on a volume that mounted read-write. */
static void change(void)
{
    struct ext2_node root, file, dir, again;

    if (ext2_read_node(&fs, EXT2_ROOT_INO, &root) || !EXT2_ISDIR(root.raw.i_mode))
        return;
    memset(chunk, 0xA5, sizeof chunk);
    if (ext2_create(&fs, &root, "fuzz-file", 9, EXT2_S_IFREG | 0644, 0, &file) == 0) {
        ext2_write(&fs, &file, chunk, sizeof chunk, 0);
        ext2_write(&fs, &file, chunk, 100, 300000);
        ext2_truncate(&fs, &file, 5000);
        if (ext2_mkdir(&fs, &root, "fuzz-dir", 8, 0755, &dir) == 0 &&
            ext2_rename(&fs, &root, "fuzz-file", 9, &dir, "moved", 5, &file, NULL) == 0 &&
            ext2_unlink(&fs, &dir, "moved", 5, &file) == 0)
            ext2_evict_node(&fs, &file);
        if (ext2_read_node(&fs, dir.ino, &again) == 0 && ext2_rmdir(&fs, &root, "fuzz-dir", 8, &again) == 0)
            ext2_evict_node(&fs, &again);
    }
    ext2_symlink(&fs, &root, "fuzz-link", 9, "a/target/of/some/length/past/sixty/bytes/so/it/needs/a/block",
                 &file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fsio_host h;

    if (size < 2048 || size > (4u << 20))
        return 0;
    uint8_t *image = malloc(size);
    memcpy(image, data, size);
    fsio_mem_open(&h, image, size, 1024);
    fs.now = NULL;
    if (ext2_mount(&fs, &h.io, "fuzz", 0, set_bs) == 0) {
        visits = 0;
        visit(EXT2_ROOT_INO, 0);
        if (!fs.read_only)
            change();
        ext2_umount(&fs);
    }
    if (h.held != 0)
        abort();                            /* a block got and never put */
    free(image);
    return 0;
}
