/*
 * test_ext2_write.c - host tests of ext2's on-disk core writing (kernel/fs/ext2/):
 * every change is made twice, by the core on an image made by mke2fs -d and
 * by the host's own calls on a copy of the folder (the expected tree); after
 * umount, `e2fsck -fn` must find nothing and `debugfs rdump` of the image
 * must equal the expected tree (diff -r). Operations: create, write, extend
 * with a hole, truncate, unlink, rename within and across directories
 * (files and directories, over an existing name), mkdir, rmdir, fast and
 * slow symlinks, hard links, a directory of 600 entries (past its 12 direct
 * blocks) half removed, a hashed directory (e2fsck -D) changed.
 * Then a full volume (blocks, then inodes): -ENOSPC, partial writes kept,
 * nothing corrupted; a sparse file past 4 GiB (its last block found with
 * debugfs bmap and read from the image); truncating a triple-indirect file
 * gives back every block.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext2_host.h"

static struct vol V;
static char expect_dir[128];

static void expect_path(char *out, size_t size, const char *path)
{
    snprintf(out, size, "%s%s", expect_dir, path);
}

/* Create path (a regular file) with len pattern bytes at offset at, in both trees. */
static void w_write(const char *path, uint64_t at, size_t len, unsigned seed)
{
    struct ext2_node dir, n;
    const char *name;
    char host[512];
    uint8_t *buf = malloc(len + 1);

    pattern(buf, len, seed, at);
    assert_int_equal(walk_parent(&V.fs, path, &dir, &name), 0);
    if (walk(&V.fs, path, &n) == -ENOENT)
        assert_int_equal(ext2_create(&V.fs, &dir, name, strlen(name), EXT2_S_IFREG | 0644, 0, &n), 0);
    assert_int_equal(ext2_write(&V.fs, &n, buf, len, at), (long)len);
    expect_path(host, sizeof host, path);
    FILE *f = fopen(host, "r+b");
    if (!f)
        f = fopen(host, "wb");
    fseek(f, (long)at, SEEK_SET);
    fwrite(buf, 1, len, f);
    fclose(f);
    free(buf);
}

static void w_truncate(const char *path, uint64_t size)
{
    struct ext2_node n;
    char host[512];

    assert_int_equal(walk(&V.fs, path, &n), 0);
    assert_int_equal(ext2_truncate(&V.fs, &n, size), 0);
    expect_path(host, sizeof host, path);
    assert_int_equal(truncate(host, (off_t)size), 0);
}

static void w_unlink(const char *path)
{
    struct ext2_node dir, n;
    const char *name;
    char host[512];

    assert_int_equal(walk_parent(&V.fs, path, &dir, &name), 0);
    assert_int_equal(walk(&V.fs, path, &n), 0);
    assert_int_equal(ext2_unlink(&V.fs, &dir, name, strlen(name), &n), 0);
    if (n.raw.i_links_count == 0)
        assert_int_equal(ext2_evict_node(&V.fs, &n), 0);
    expect_path(host, sizeof host, path);
    assert_int_equal(unlink(host), 0);
}

static void w_mkdir(const char *path)
{
    struct ext2_node dir, n;
    const char *name;
    char host[512];

    assert_int_equal(walk_parent(&V.fs, path, &dir, &name), 0);
    assert_int_equal(ext2_mkdir(&V.fs, &dir, name, strlen(name), 0755, &n), 0);
    expect_path(host, sizeof host, path);
    assert_int_equal(mkdir(host, 0755), 0);
}

static void w_rmdir(const char *path)
{
    struct ext2_node dir, n;
    const char *name;
    char host[512];

    assert_int_equal(walk_parent(&V.fs, path, &dir, &name), 0);
    assert_int_equal(walk(&V.fs, path, &n), 0);
    assert_int_equal(ext2_rmdir(&V.fs, &dir, name, strlen(name), &n), 0);
    assert_int_equal(ext2_evict_node(&V.fs, &n), 0);
    expect_path(host, sizeof host, path);
    assert_int_equal(rmdir(host), 0);
}

static void w_symlink(const char *target, const char *path)
{
    struct ext2_node dir, n;
    const char *name;
    char host[512];

    assert_int_equal(walk_parent(&V.fs, path, &dir, &name), 0);
    assert_int_equal(ext2_symlink(&V.fs, &dir, name, strlen(name), target, &n), 0);
    expect_path(host, sizeof host, path);
    assert_int_equal(symlink(target, host), 0);
}

static void w_link(const char *old, const char *path)
{
    struct ext2_node dir, n;
    const char *name;
    char host_old[512], host[512];

    assert_int_equal(walk(&V.fs, old, &n), 0);
    assert_int_equal(walk_parent(&V.fs, path, &dir, &name), 0);
    assert_int_equal(ext2_link(&V.fs, &dir, name, strlen(name), &n), 0);
    expect_path(host_old, sizeof host_old, old);
    expect_path(host, sizeof host, path);
    assert_int_equal(link(host_old, host), 0);
}

static void w_rename(const char *old, const char *path)
{
    struct ext2_node odir, ndir, n, victim;
    const char *oname, *nname;
    char host_old[512], host[512];

    assert_int_equal(walk(&V.fs, old, &n), 0);
    int has_victim = walk(&V.fs, path, &victim) == 0;
    assert_int_equal(walk_parent(&V.fs, old, &odir, &oname), 0);
    assert_int_equal(walk_parent(&V.fs, path, &ndir, &nname), 0);
    /* one directory named twice: the same node, as the VFS gives the same inode */
    struct ext2_node *nd = odir.ino == ndir.ino ? &odir : &ndir;
    assert_int_equal(ext2_rename(&V.fs, &odir, oname, strlen(oname), nd, nname, strlen(nname), &n,
                                 has_victim ? &victim : NULL), 0);
    if (has_victim && victim.raw.i_links_count == 0)
        assert_int_equal(ext2_evict_node(&V.fs, &victim), 0);
    expect_path(host_old, sizeof host_old, old);
    expect_path(host, sizeof host, path);
    assert_int_equal(rename(host_old, host), 0);
}

static void start(unsigned bs, unsigned size_kib, const char *extra)
{
    vol_prepare(&V);
    sh("mkdir -p %s/a/sub/inner %s/b", V.dir, V.dir);
    vol_put_file(&V, "a/old.txt", 3000, 11);
    vol_put_file(&V, "a/sub/inner/deep.txt", 70000, 12);
    vol_put_file(&V, "b/victim.txt", 100, 13);
    vol_mkfs(&V, bs, size_kib, extra);
    snprintf(expect_dir, sizeof expect_dir, "%s.expect", V.dir);
    sh("rm -rf %s && cp -a %s %s", expect_dir, V.dir, expect_dir);
    assert_int_equal(vol_mount(&V, 0), 0);
}

/* umount, e2fsck -fn clean, rdump equals the expected tree. */
static void finish(void)
{
    assert_int_equal(V.h.held, 0);
    vol_umount(&V);
    assert_int_equal(vol_fsck(&V), 0);
    assert_int_equal(sh("rm -rf %s.rd && mkdir %s.rd && debugfs -R 'rdump / %s.rd' %s >/dev/null 2>&1",
                        V.dir, V.dir, V.dir, V.img), 0);
    assert_int_equal(sh("diff -r --no-dereference -x lost+found %s %s.rd", expect_dir, V.dir), 0);
    sh("rm -rf %s %s.rd", expect_dir, V.dir);
    vol_cleanup(&V);
}

static void operations(unsigned bs, unsigned size_kib, const char *extra)
{
    char path[64];
    uint8_t *buf;

    start(bs, size_kib, extra);
    w_write("/a/new.txt", 0, 100000, 1);
    struct ext2_node a, n;                          /* a name that exists: refused, nothing left */
    assert_int_equal(walk(&V.fs, "/a", &a), 0);
    assert_int_equal(ext2_create(&V.fs, &a, "new.txt", 7, EXT2_S_IFREG | 0644, 0, &n), -EEXIST);
    assert_int_equal(ext2_mkdir(&V.fs, &a, "new.txt", 7, 0755, &n), -EEXIST);
    assert_int_equal(ext2_symlink(&V.fs, &a, "new.txt", 7, "x", &n), -EEXIST);
    w_write("/a/new.txt", 300000, 5000, 2);         /* extend past a hole */
    w_truncate("/a/new.txt", 50001);
    w_write("/a/new.txt", 60000, 10, 3);            /* the truncated tail reads as zeros */
    w_write("/a/old.txt", 1000, 10, 4);             /* overwrite in the middle */
    w_write("/b/gone", 0, 5000, 5);
    w_unlink("/b/gone");
    w_mkdir("/c");
    w_mkdir("/c/d");
    w_write("/c/d/x", 0, 10, 6);
    w_unlink("/c/d/x");
    w_rmdir("/c/d");
    w_rename("/a/new.txt", "/b/moved.txt");         /* a file across directories */
    w_rename("/a/sub", "/c/sub");                   /* a directory across directories */
    w_rename("/a/old.txt", "/b/victim.txt");        /* over an existing name */
    w_rename("/b/moved.txt", "/b/renamed.txt");     /* within a directory */
    w_symlink("../b/renamed.txt", "/c/fast");
    memset(path, 'p', 63);
    path[0] = '/';
    path[63] = 0;
    w_symlink(path, "/c/slow");
    w_link("/b/renamed.txt", "/c/hard");
    w_mkdir("/many");
    for (int i = 0; i < 600; i++) {                 /* past 12 blocks of 1 KiB: an indirect block */
        snprintf(path, sizeof path, "/many/entry-number-%d-of-many", i);
        w_write(path, 0, (size_t)i % 50, (unsigned)i);
    }
    for (int i = 0; i < 600; i += 2) {
        snprintf(path, sizeof path, "/many/entry-number-%d-of-many", i);
        w_unlink(path);
    }
    w_write("/many/after-removals-a-rather-long-name-to-fill-merged-space", 0, 10, 7);
    /* the core reads back what it wrote */
    assert_int_equal(read_all(&V.fs, "/c/hard", &buf), 60010);
    free(buf);
    finish();
}

static void operations_1k(void **state) { (void)state; operations(1024, 8192, "-g 1024"); }
static void operations_4k(void **state) { (void)state; operations(4096, 32768, "-g 2048"); }
static void operations_128_byte_inodes(void **state)
{
    (void)state;
    operations(1024, 8192, "-g 1024 -I 128");
}

/* Directory entries without file types (name_len 16 bits), every group with a superblock copy. */
static void operations_old_features(void **state)
{
    (void)state;
    operations(1024, 8192, "-g 1024 -O ^filetype,^sparse_super,^dir_index,^resize_inode");
}

/* Revision 0: 128-byte inodes, first inode 11, no feature flags at all. */
static void operations_revision_0(void **state)
{
    (void)state;
    operations(1024, 8192, "-g 1024 -r 0");
}

/* A hashed directory (e2fsck -D builds one) read, then changed: it becomes a linear one. */
static void hashed_directory(void **state)
{
    (void)state;
    char path[64];
    struct ext2_node d;

    vol_prepare(&V);
    sh("mkdir %s/big && for i in $(seq 1 400); do : > %s/big/a-fairly-long-file-name-$i; done", V.dir, V.dir);
    vol_mkfs(&V, 1024, 8192, "-g 1024");
    sh("e2fsck -fyD %s >/dev/null 2>&1", V.img);
    assert_int_equal(sh("debugfs -R 'stat /big' %s 2>/dev/null | grep -q 'Flags: 0x1000'", V.img), 0);
    snprintf(expect_dir, sizeof expect_dir, "%s.expect", V.dir);
    sh("rm -rf %s && cp -a %s %s", expect_dir, V.dir, expect_dir);
    assert_int_equal(vol_mount(&V, 0), 0);
    assert_int_equal(walk(&V.fs, "/big/a-fairly-long-file-name-400", &d), 0);
    w_unlink("/big/a-fairly-long-file-name-7");
    for (int i = 0; i < 50; i++) {
        snprintf(path, sizeof path, "/big/new-%d", i);
        w_write(path, 0, 10, (unsigned)i);
    }
    assert_int_equal(walk(&V.fs, "/big", &d), 0);
    assert_int_equal(d.raw.i_flags & EXT2_INDEX_FL, 0);
    finish();
}

/* ---- a full volume ---- */

static void full_volume(void **state)
{
    (void)state;
    struct ext2_node root, n;
    uint8_t *buf = malloc(65536), *back;
    uint64_t at = 0, blocks, bfree, bavail, files, ffree, bfree0;
    long got;

    start(1024, 2048, "-g 1024 -N 64");
    ext2_statfs(&V.fs, &blocks, &bfree0, &bavail, &files, &ffree);
    assert_int_equal(walk(&V.fs, "/", &root), 0);
    assert_int_equal(ext2_create(&V.fs, &root, "fill", 4, EXT2_S_IFREG | 0644, 0, &n), 0);
    do {
        pattern(buf, 65536, 77, at);
        got = ext2_write(&V.fs, &n, buf, 65536, at);
        at += got > 0 ? (uint64_t)got : 0;
    } while (got == 65536);
    assert_true(got >= 0);                           /* the last one partial */
    assert_int_equal(ext2_write(&V.fs, &n, buf, 1024, at), -ENOSPC);
    ext2_statfs(&V.fs, &blocks, &bfree, &bavail, &files, &ffree);
    assert_int_equal(bfree, 0);
    assert_int_equal(ext2_node_size(&n), at);
    /* a new directory needs a block: refused, nothing left half made */
    assert_int_equal(ext2_mkdir(&V.fs, &root, "d", 1, 0755, &n), -ENOSPC);
    vol_umount(&V);
    assert_int_equal(vol_fsck(&V), 0);
    assert_int_equal(debugfs_cat(&V, "/fill", &back), (long)at);
    for (uint64_t off = 0; off < at; off += 65536) {
        size_t len = at - off < 65536 ? (size_t)(at - off) : 65536;
        pattern(buf, len, 77, off);
        assert_memory_equal(back + off, buf, len);
    }
    free(back);
    /* give it all back: the free count is what it was */
    assert_int_equal(vol_mount(&V, 0), 0);
    assert_int_equal(walk(&V.fs, "/", &root), 0);
    assert_int_equal(walk(&V.fs, "/fill", &n), 0);
    assert_int_equal(ext2_unlink(&V.fs, &root, "fill", 4, &n), 0);
    assert_int_equal(ext2_evict_node(&V.fs, &n), 0);
    ext2_statfs(&V.fs, &blocks, &bfree, &bavail, &files, &ffree);
    assert_int_equal(bfree, bfree0);
    /* now the inodes: empty files until none is left */
    int made = 0, err;
    char name[16];
    do {
        snprintf(name, sizeof name, "i%d", made);
        err = ext2_create(&V.fs, &root, name, strlen(name), EXT2_S_IFREG | 0644, 0, &n);
        made += err == 0;
    } while (err == 0);
    assert_int_equal(err, -ENOSPC);
    assert_int_equal((uint64_t)made, ffree);
    vol_umount(&V);
    assert_int_equal(vol_fsck(&V), 0);
    free(buf);
    sh("rm -rf %s", expect_dir);
    vol_cleanup(&V);
}

/* ---- large files ---- */

static void over_4gib(void **state)
{
    (void)state;
    struct ext2_node root, n;
    uint64_t at = 5ull << 30, blocks, bfree0, bfree, bavail, files, ffree;
    char cmd_out[128];
    uint8_t want[100], got[100];

    start(4096, 32768, "-g 2048");
    /* mke2fs always sets LARGE_FILE now: clear it in every copy (debugfs), the core must set it again */
    vol_umount(&V);
    assert_int_equal(sh("debugfs -w -R 'feature -large_file' %s >/dev/null 2>&1", V.img), 0);
    assert_int_equal(vol_mount(&V, 0), 0);
    assert_false(V.fs.sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
    ext2_statfs(&V.fs, &blocks, &bfree0, &bavail, &files, &ffree);
    assert_int_equal(walk(&V.fs, "/", &root), 0);
    assert_int_equal(ext2_create(&V.fs, &root, "big", 3, EXT2_S_IFREG | 0644, 0, &n), 0);
    pattern(want, sizeof want, 5, at);
    assert_int_equal(ext2_write(&V.fs, &n, want, sizeof want, at - 50), (long)sizeof want);
    assert_int_equal(ext2_node_size(&n), at + 50);
    assert_true(V.fs.sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
    vol_umount(&V);
    assert_int_equal(vol_fsck(&V), 0);
    /* debugfs: the size, and where the last block is; the bytes read from the image there */
    snprintf(cmd_out, sizeof cmd_out, "%s.out", V.img);
    assert_int_equal(sh("debugfs -R 'stat /big' %s 2>/dev/null | grep -q 'Size: %llu'", V.img,
                        (unsigned long long)(at + 50)), 0);
    assert_int_equal(sh("debugfs -R 'bmap /big %llu' %s 2>/dev/null > %s", (unsigned long long)(at / 4096),
                        V.img, cmd_out), 0);
    FILE *f = fopen(cmd_out, "r");
    unsigned long long pblock = 0;
    assert_int_equal(fscanf(f, "%llu", &pblock), 1);
    fclose(f);
    f = fopen(V.img, "rb");
    fseek(f, (long)(pblock * 4096), SEEK_SET);
    assert_int_equal(fread(got, 1, 50, f), 50);
    fclose(f);
    assert_memory_equal(got, want + 50, 50);
    /* truncated back below 4 GiB: every block returns */
    assert_int_equal(vol_mount(&V, 0), 0);
    assert_int_equal(walk(&V.fs, "/big", &n), 0);
    assert_int_equal(ext2_truncate(&V.fs, &n, 1000), 0);
    assert_int_equal(n.raw.i_size_high, 0);
    assert_int_equal(n.raw.i_blocks, 0);
    ext2_statfs(&V.fs, &blocks, &bfree, &bavail, &files, &ffree);
    assert_int_equal(bfree, bfree0);                 /* block 0 is a hole: nothing is kept */
    vol_umount(&V);
    assert_int_equal(vol_fsck(&V), 0);
    sh("rm -rf %s", expect_dir);
    vol_cleanup(&V);
}

static void triple_indirect_truncate(void **state)
{
    (void)state;
    uint64_t blocks, bfree0, bfree, bavail, files, ffree;

    start(1024, 8192, "-g 1024");
    ext2_statfs(&V.fs, &blocks, &bfree0, &bavail, &files, &ffree);
    w_write("/t", 70ull << 20, 3000, 9);            /* past 12 + 256 + 65536 blocks */
    w_write("/t", 0, 300000, 10);                   /* direct, single and double indirect */
    struct ext2_node n;
    assert_int_equal(walk(&V.fs, "/t", &n), 0);
    assert_true(n.raw.i_block[EXT2_TIND_BLOCK] != 0);
    w_truncate("/t", 100000);
    assert_int_equal(walk(&V.fs, "/t", &n), 0);
    assert_int_equal(n.raw.i_block[EXT2_TIND_BLOCK], 0);
    assert_int_equal(n.raw.i_block[EXT2_DIND_BLOCK], 0);
    w_truncate("/t", 0);
    ext2_statfs(&V.fs, &blocks, &bfree, &bavail, &files, &ffree);
    assert_int_equal(bfree, bfree0);
    finish();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operations_1k),
        cmocka_unit_test(operations_4k),
        cmocka_unit_test(operations_128_byte_inodes),
        cmocka_unit_test(operations_old_features),
        cmocka_unit_test(operations_revision_0),
        cmocka_unit_test(hashed_directory),
        cmocka_unit_test(full_volume),
        cmocka_unit_test(over_4gib),
        cmocka_unit_test(triple_indirect_truncate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
