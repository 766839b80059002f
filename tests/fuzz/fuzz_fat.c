/*
 * fuzz_fat.c - libFuzzer target for the FAT core (kernel/fs/fat/, as the
 * kernel runs it) over an image in memory (tests/host/fsio_file.c's
 * fsio_mem_open).
 *
 * Input: a sparse image, so a seed of a few KiB can describe a FAT32
 * volume of 34 MiB: bytes 0-3 the volume's size in sectors (little-endian,
 * at most FUZZ_MAX_BYTES in all), byte 4 the sector size (512 << (b & 3)),
 * then records of a 4-byte sector number and that sector's bytes; sectors
 * no record names read as zeros. The seeds (tests/fuzz/corpus/fat/) are
 * images mkfs.fat and mcopy made, turned into records by
 * tests/fuzz/mkseed-fat.py.
 *
 * What runs: mount; then every folder walked (readdir; each name looked up
 * again and its inode read back by number) and every file read, bounded;
 * then, on a volume that mounted writable, creates, writes, truncates, a
 * rename across folders, unlinks and rmdirs. Besides ASan and UBSan: no
 * block may stay held after any call (fsio_host's count).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fat/fat.h"
#include "fsio_file.h"

#define FUZZ_MAX_BYTES  (40u << 20)     /* FAT32's smallest volume with 512-byte clusters fits */
#define MAX_DEPTH       6
#define MAX_NODES       400
#define READ_MAX        (64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fsio_host host;
static struct fat_volume vol;
static unsigned nodes;

static void check_held(void)
{
    if (host.held != 0)
        abort();                        /* a block got and never put */
}

struct walk_ctx {
    struct fat_node dir;
    unsigned depth;
};

static void walk(const struct fat_node *dir, unsigned depth);

static int visit(void *vc, const char *name, size_t len, uint64_t ino, int is_dir)
{
    struct walk_ctx *c = vc;
    struct fat_node n, again;
    static uint8_t buf[4096];

    if (++nodes > MAX_NODES)
        return 1;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    if (fat_lookup(&vol, &c->dir, name, len, &n) == 0) {
        fat_node_read(&vol, ino, &again);
        if (is_dir && fat_is_dir(&n) && c->depth < MAX_DEPTH)
            walk(&n, c->depth + 1);
        else
            for (uint64_t pos = 0; pos < n.size && pos < READ_MAX; pos += sizeof buf)
                if (fat_read(&vol, &n, buf, sizeof buf, pos) <= 0)
                    break;
    }
    check_held();
    return 0;
}

static void walk(const struct fat_node *dir, unsigned depth)
{
    struct walk_ctx c = {*dir, depth};
    uint64_t cookie = 0;

    fat_readdir(&vol, dir, &cookie, visit, &c);
    check_held();
}

/* Changes on a volume that mounted writable: every error is fine, a crash or a leak is not. */
static void change(void)
{
    static uint8_t buf[5000];
    struct fat_node root, f, d, x, moved;

    fat_root(&vol, &root);
    memset(buf, 0xA5, sizeof buf);
    if (fat_create(&vol, &root, "fuzz file.txt", 13, 0, &f) == 0) {
        fat_write(&vol, &f, buf, sizeof buf, 0);
        fat_truncate(&vol, &f, 100);
    }
    if (fat_create(&vol, &root, "FD", 2, 1, &d) == 0) {
        fat_create(&vol, &d, "x", 1, 0, &x);
        fat_rename(&vol, &root, "fuzz file.txt", 13, &d, "y", 1, 1, &moved);
        fat_unlink(&vol, &d, "y", 1, 1);
        fat_rmdir(&vol, &root, "fd", 2, 1);
        fat_unlink(&vol, &d, "X", 1, 1);
        fat_rmdir(&vol, &root, "fd", 2, 1);
    }
    fat_sync(&vol);
    check_held();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fat_node root;

    if (size < 5)
        return 0;
    uint32_t ss = 512u << (data[4] & 3);
    uint64_t sectors = (uint64_t)data[0] | (uint64_t)data[1] << 8 | (uint64_t)data[2] << 16 |
                       (uint64_t)data[3] << 24;
    if (sectors == 0 || sectors * ss > FUZZ_MAX_BYTES)
        return 0;
    uint8_t *mem = calloc(sectors, ss);
    for (size_t off = 5; off + 4 + ss <= size; off += 4 + ss) {
        uint32_t s = (uint32_t)data[off] | (uint32_t)data[off + 1] << 8 | (uint32_t)data[off + 2] << 16 |
                     (uint32_t)data[off + 3] << 24;
        if (s < sectors)
            memcpy(mem + (uint64_t)s * ss, data + off + 4, ss);
    }
    fsio_mem_open(&host, mem, sectors * ss, 512);
    int bps = fat_sector_size(&host.io);
    if (bps > 0) {
        fsio_host_set_block_size(&host, (uint32_t)bps);
        if (fat_mount(&vol, &host.io, "fuzz", 0) == 0) {
            nodes = 0;
            fat_root(&vol, &root);
            walk(&root, 0);
            if (!vol.read_only)
                change();
        }
    }
    check_held();
    free(mem);
    return 0;
}
