/*
 * test_ext2.c - host tests of ext2's on-disk core reading (kernel/fs/ext2/,
 * the code the kernel runs) over images made at test time by
 * `mke2fs -t ext2 -d DIR` with 1 KiB and 4 KiB blocks and several groups:
 * files read byte for byte against the host's copies (small, indirect,
 * sparse with a triple-indirect block, empty), deep trees, 255-byte names,
 * a directory of many blocks, fast and slow symlinks against readlink(2),
 * hard links. Then volumes the core must refuse or mount read-only, with
 * one log line: no magic, an unknown incompatible feature, an unknown
 * read-only feature, a block size of 8 KiB, descriptors pointing outside
 * the volume, and an inode pointing outside the volume (-EIO, no crash).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext2_host.h"

#define DEPTH 20
#define MANY 300

static struct vol V;

/* The tree every read test reads: made once per block size. */
static void make_tree(struct vol *v, unsigned bs, unsigned size_kib, unsigned per_group)
{
    char path[1024], name[256], extra[64];

    vol_prepare(v);
    vol_put_file(v, "hello.txt", 13, 1);
    vol_put_file(v, "big.bin", 1 << 20, 2);
    vol_put_file(v, "empty", 0, 3);
    memset(name, 'n', 255);
    name[255] = 0;
    vol_put_file(v, name, 777, 4);
    snprintf(path, sizeof path, "%s/deep", v->dir);
    for (int i = 0; i < DEPTH; i++) {
        mkdir(path, 0755);
        strcat(path, "/d");
    }
    vol_put_file(v, "deep/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/leaf.txt", 5000, 5);
    sh("mkdir %s/many && for i in $(seq 1 %d); do echo $i > %s/many/file-with-a-longish-name-$i; done",
       v->dir, MANY, v->dir);
    sh("cd %s && ln -s hello.txt link-fast && ln -s $(printf 'x%%.0s' $(seq 1 200))/target link-slow"
       " && ln big.bin hardlink", v->dir);
    /* sparse: data at 0, 5 MiB and 70 MiB (past 12 + 256 + 65536 KiB: triple indirect with 1 KiB blocks) */
    sh("cd %s && truncate -s 80M sparse.bin && for at in 0 5120 71680; do"
       " head -c 3000 big.bin | dd of=sparse.bin bs=1024 seek=$at conv=notrunc status=none; done", v->dir);
    snprintf(extra, sizeof extra, "-g %u", per_group);
    vol_mkfs(v, bs, size_kib, extra);
}

static void compare_file(struct vol *v, const char *rel)
{
    char host_path[1024], path[1024];
    uint8_t *got;
    struct stat st;

    snprintf(host_path, sizeof host_path, "%s/%s", v->dir, rel);
    snprintf(path, sizeof path, "/%s", rel);
    assert_int_equal(stat(host_path, &st), 0);
    long n = read_all(&v->fs, path, &got);
    assert_int_equal(n, st.st_size);
    uint8_t *want = malloc((size_t)st.st_size + 1);
    FILE *f = fopen(host_path, "rb");
    assert_int_equal(fread(want, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    assert_memory_equal(got, want, (size_t)st.st_size);
    free(got);
    free(want);
}

static int count_entry(void *ctx, const char *name, size_t len, uint32_t ino, unsigned ftype)
{
    (void)name;
    (void)len;
    (void)ino;
    (void)ftype;
    ++*(int *)ctx;
    return 0;
}

static void read_everything(unsigned bs, unsigned size_kib, unsigned per_group)
{
    char name[300], link[300], want[300];
    struct ext2_node a, b;

    make_tree(&V, bs, size_kib, per_group);
    assert_int_equal(vol_mount(&V, 1), 0);
    assert_int_equal(V.fs.block_size, bs);
    assert_true(V.fs.groups > 1);
    compare_file(&V, "hello.txt");
    compare_file(&V, "big.bin");
    compare_file(&V, "empty");
    compare_file(&V, "sparse.bin");
    compare_file(&V, "deep/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/leaf.txt");
    memset(name, 'n', 255);
    name[255] = 0;
    compare_file(&V, name);
    compare_file(&V, "many/file-with-a-longish-name-1");
    compare_file(&V, "many/file-with-a-longish-name-300");
    /* the sparse file has holes: far fewer blocks than its size */
    assert_int_equal(walk(&V.fs, "/sparse.bin", &a), 0);
    assert_true(a.raw.i_blocks * 512ull < 1ull << 20);
    assert_true(a.raw.i_block[EXT2_TIND_BLOCK] != 0 || bs != 1024);
    /* readdir: every name, "." and ".." included */
    int count = 0;
    uint64_t pos = 0;
    assert_int_equal(walk(&V.fs, "/many", &a), 0);
    assert_true(ext2_node_size(&a) > bs);
    assert_int_equal(ext2_dir_iterate(&V.fs, &a, &pos, count_entry, &count), 0);
    assert_int_equal(count, MANY + 2);
    /* symlinks, fast and slow, against the host's readlink */
    const char *links[] = { "link-fast", "link-slow" };
    for (int i = 0; i < 2; i++) {
        snprintf(name, sizeof name, "%s/%s", V.dir, links[i]);
        ssize_t wn = readlink(name, want, sizeof want);
        snprintf(name, sizeof name, "/%s", links[i]);
        assert_int_equal(walk(&V.fs, name, &a), 0);
        assert_int_equal(ext2_node_is_fast_symlink(&V.fs, &a), i == 0);
        assert_int_equal(ext2_readlink(&V.fs, &a, link, sizeof link), wn);
        assert_memory_equal(link, want, (size_t)wn);
    }
    /* a hard link: one inode, two names */
    assert_int_equal(walk(&V.fs, "/big.bin", &a), 0);
    assert_int_equal(walk(&V.fs, "/hardlink", &b), 0);
    assert_int_equal(a.ino, b.ino);
    assert_int_equal(a.raw.i_links_count, 2);
    assert_int_equal(walk(&V.fs, "/nope", &a), -ENOENT);
    assert_int_equal(V.h.held, 0);
    vol_umount(&V);
    vol_cleanup(&V);
}

static void read_1k(void **state) { (void)state; read_everything(1024, 16384, 2048); }
static void read_4k(void **state) { (void)state; read_everything(4096, 65536, 4096); }

/* ---- corrupt volumes ---- */

static void poke(struct vol *v, uint64_t off, const void *bytes, size_t len)
{
    FILE *f = fopen(v->img, "r+b");
    fseek(f, (long)off, SEEK_SET);
    fwrite(bytes, 1, len, f);
    fclose(f);
}

static uint32_t peek32(struct vol *v, uint64_t off)
{
    uint32_t x = 0;
    FILE *f = fopen(v->img, "rb");
    fseek(f, (long)off, SEEK_SET);
    assert_int_equal(fread(&x, 4, 1, f), 1);
    fclose(f);
    return x;
}

static void small_volume(struct vol *v)
{
    vol_prepare(v);
    vol_put_file(v, "file", 20000, 9);
    vol_mkfs(v, 1024, 4096, "-g 1024");
}

/* Mount must fail with -EINVAL and one log line containing what. */
static void expect_refused(struct vol *v, const char *what)
{
    unsigned before = ext2_log_lines;
    assert_int_equal(vol_mount(v, 0), -EINVAL);
    assert_int_equal(ext2_log_lines, before + 1);
    assert_non_null(strstr(ext2_last_log, "[ext2] test: "));
    assert_non_null(strstr(ext2_last_log, what));
    fsio_host_close(&v->h);
}

static void refuses_bad_superblocks(void **state)
{
    (void)state;
    uint16_t zero16 = 0;
    uint32_t x;

    small_volume(&V);
    poke(&V, 1024 + 56, &zero16, 2);
    expect_refused(&V, "magic");
    vol_mkfs(&V, 1024, 4096, "-g 1024");
    x = peek32(&V, 1024 + 96) | 0x40;             /* INCOMPAT_EXTENTS */
    poke(&V, 1024 + 96, &x, 4);
    expect_refused(&V, "incompatible");
    vol_mkfs(&V, 1024, 4096, "-g 1024");
    x = 3;                                        /* 8 KiB blocks */
    poke(&V, 1024 + 24, &x, 4);
    expect_refused(&V, "block size");
    vol_mkfs(&V, 1024, 4096, "-g 1024");
    x = 0x7FFFFFF0;                               /* group 1's block bitmap */
    poke(&V, 2048 + 32, &x, 4);
    expect_refused(&V, "outside");
    vol_mkfs(&V, 1024, 4096, "-g 1024");
    x = peek32(&V, 1024 + 40) + 1;                /* inodes per group disagrees with the count */
    poke(&V, 1024 + 40, &x, 4);
    expect_refused(&V, "inode");
    vol_cleanup(&V);
}

static void unknown_ro_compat_mounts_read_only(void **state)
{
    (void)state;
    struct ext2_node root, n;
    uint32_t x;

    small_volume(&V);
    x = peek32(&V, 1024 + 100) | 0x400;           /* RO_COMPAT_METADATA_CSUM */
    poke(&V, 1024 + 100, &x, 4);
    unsigned before = ext2_log_lines;
    assert_int_equal(vol_mount(&V, 0), 0);
    assert_int_equal(ext2_log_lines, before + 1);
    assert_non_null(strstr(ext2_last_log, "read-only"));
    assert_true(V.fs.read_only);
    assert_int_equal(walk(&V.fs, "/", &root), 0);
    assert_int_equal(ext2_create(&V.fs, &root, "new", 3, EXT2_S_IFREG | 0644, 0, &n), -EROFS);
    compare_file(&V, "file");
    vol_umount(&V);
    vol_cleanup(&V);
}

static void bad_block_pointer_is_eio(void **state)
{
    (void)state;
    struct ext2_node n;
    uint8_t *buf;

    small_volume(&V);
    assert_int_equal(vol_mount(&V, 1), 0);
    assert_int_equal(walk(&V.fs, "/file", &n), 0);
    uint32_t itable = V.fs.gd[ext2_group_of_ino(&V.fs, n.ino)].bg_inode_table;
    uint64_t at = (uint64_t)itable * 1024 + (uint64_t)((n.ino - 1) % V.fs.inodes_per_group) * V.fs.inode_size;
    vol_umount(&V);
    uint32_t bad = 0x00FFFFFF;
    poke(&V, at + 40 + 4 * EXT2_IND_BLOCK, &bad, 4); /* the single indirect pointer */
    assert_int_equal(vol_mount(&V, 1), 0);
    unsigned before = ext2_log_lines;
    assert_int_equal(read_all(&V.fs, "/file", &buf), 12 * 1024);  /* the direct blocks, then -EIO */
    free(buf);
    assert_int_equal(ext2_log_lines, before + 1);
    assert_non_null(strstr(ext2_last_log, "outside the volume"));
    vol_umount(&V);
    vol_cleanup(&V);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(read_1k),
        cmocka_unit_test(read_4k),
        cmocka_unit_test(refuses_bad_superblocks),
        cmocka_unit_test(unknown_ro_compat_mounts_read_only),
        cmocka_unit_test(bad_block_pointer_is_eio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
