/*
 * test_ext2_crash.c - the metadata order of ext2's core (docs/files-ext2.md,
 * "Metadata order") checked by crashing: each operation runs again and
 * again on a fresh copy of an image, the n-th write and all after it lost
 * (a crash after n writes, n = 0, 1, 2, ... until the operation completes),
 * and every such image must be repaired by `e2fsck -fp` without asking
 * (exit 0 or 1, not 4), then be clean for `e2fsck -fn`. The one window
 * documented (a directory moved across directories has two names for a
 * few writes: the new entry, its directory's inode, the parent's count,
 * "..", the moved directory's inode) may ask there, and `e2fsck -fy` must
 * then repair it.
 *
 * The crash is an fs_io between the core and the image (crash_io) that
 * passes the first n writes of dirty blocks (and of file data) down and
 * drops the rest, as a power cut after n block writes would.
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
#include <unistd.h>

#include "ext2_host.h"

/* ---- an fs_io that loses every write after the first `budget` ---- */

struct crash_io {
    struct fs_io io;
    struct fs_io *lower;
    long budget;                    /* writes still allowed; < 0: no limit */
    long writes;                    /* writes passed down */
    struct fs_buf *dirty[32];       /* buffers dirtied and not yet put */
};

static struct crash_io C;

static int allow(void)
{
    if (C.budget == 0)
        return 0;
    if (C.budget > 0)
        C.budget--;
    C.writes++;
    return 1;
}

static struct fs_buf *c_get(struct fs_io *io, uint64_t block, int read)
{
    (void)io;
    return C.lower->ops->get(C.lower, block, read);
}

static void c_dirty(struct fs_io *io, struct fs_buf *b)
{
    (void)io;
    for (int i = 0; i < 32; i++)
        if (C.dirty[i] == b || !C.dirty[i]) {
            C.dirty[i] = b;
            return;
        }
    abort();
}

static void c_put(struct fs_io *io, struct fs_buf *b)
{
    (void)io;
    for (int i = 0; i < 32; i++)
        if (C.dirty[i] == b) {
            C.dirty[i] = NULL;
            if (allow())
                C.lower->ops->dirty(C.lower, b);
        }
    C.lower->ops->put(C.lower, b);
}

static void c_forget(struct fs_io *io, uint64_t block)
{
    (void)io;
    C.lower->ops->forget(C.lower, block);
}

static int c_read(struct fs_io *io, uint64_t block, uint32_t count, void *buf)
{
    (void)io;
    return C.lower->ops->read(C.lower, block, count, buf);
}

static int c_write(struct fs_io *io, uint64_t block, uint32_t count, const void *buf)
{
    (void)io;
    return allow() ? C.lower->ops->write(C.lower, block, count, buf) : 0;
}

static int c_sync(struct fs_io *io)
{
    (void)io;
    return 0;
}

static const struct fs_io_ops crash_ops = { c_get, c_dirty, c_put, c_forget, c_read, c_write, c_sync, NULL, NULL };

static int c_set_bs(struct fs_io *io, uint32_t bs)
{
    fsio_host_set_block_size(C.lower->priv, bs);
    io->block_size = bs;
    io->blocks = C.lower->blocks;
    return 0;
}

/* ---- the operations crashed ---- */

static struct vol V;
static char base[128];

typedef void op_fn(struct ext2_fs *fs);

static void get(struct ext2_fs *fs, const char *path, struct ext2_node *n)
{
    assert_int_equal(walk(fs, path, n), 0);
}

static void op_create_write(struct ext2_fs *fs)
{
    static uint8_t buf[40000];
    struct ext2_node d, n;

    get(fs, "/a", &d);
    if (ext2_create(fs, &d, "new", 3, EXT2_S_IFREG | 0644, 0, &n) == 0)
        ext2_write(fs, &n, buf, sizeof buf, 0);
}

static void op_mkdir(struct ext2_fs *fs)
{
    struct ext2_node d, n;

    get(fs, "/a", &d);
    ext2_mkdir(fs, &d, "dir", 3, 0755, &n);
}

static void op_unlink_big(struct ext2_fs *fs)
{
    struct ext2_node d, n;

    get(fs, "/a", &d);
    get(fs, "/a/big", &n);
    if (ext2_unlink(fs, &d, "big", 3, &n) == 0)
        ext2_evict_node(fs, &n);
}

static void op_truncate_big(struct ext2_fs *fs)
{
    struct ext2_node n;

    get(fs, "/a/big", &n);
    ext2_truncate(fs, &n, 5000);
}

static void op_rmdir(struct ext2_fs *fs)
{
    struct ext2_node d, n;

    get(fs, "/b", &d);
    get(fs, "/b/empty", &n);
    if (ext2_rmdir(fs, &d, "empty", 5, &n) == 0)
        ext2_evict_node(fs, &n);
}

static void op_rename_file(struct ext2_fs *fs)
{
    struct ext2_node a, b, n;

    get(fs, "/a", &a);
    get(fs, "/b", &b);
    get(fs, "/a/small", &n);
    ext2_rename(fs, &a, "small", 5, &b, "moved", 5, &n, NULL);
}

static void op_rename_dir(struct ext2_fs *fs)
{
    struct ext2_node a, b, n;

    get(fs, "/a", &a);
    get(fs, "/b", &b);
    get(fs, "/b/empty", &n);
    ext2_rename(fs, &b, "empty", 5, &a, "moved-dir", 9, &n, NULL);
}

static void op_rename_dir_here(struct ext2_fs *fs)
{
    struct ext2_node b, n;

    get(fs, "/b", &b);
    get(fs, "/b/empty", &n);
    ext2_rename(fs, &b, "empty", 5, &b, "renamed", 7, &n, NULL);
}

static void op_symlink_link(struct ext2_fs *fs)
{
    static char target[300];
    struct ext2_node d, n;

    memset(target, 't', 299);
    get(fs, "/b", &d);
    ext2_symlink(fs, &d, "slow", 4, target, &n);
    get(fs, "/a/small", &n);
    ext2_link(fs, &d, "hard", 4, &n);
}

/* Run op with budget writes allowed on a fresh copy: whether the op finished within it. */
static int crash_run(op_fn *op, long budget)
{
    assert_int_equal(sh("cp %s %s", base, V.img), 0);
    assert_int_equal(fsio_file_open(&V.h, V.img, 1024, 0), 0);
    memset(&C, 0, sizeof C);
    C.lower = &V.h.io;
    C.budget = -1;
    C.io = (struct fs_io){ &crash_ops, 1024, V.h.io.blocks, 0, NULL };
    assert_int_equal(ext2_mount(&V.fs, &C.io, "crash", 0, c_set_bs), 0);
    C.budget = budget;
    C.writes = 0;
    op(&V.fs);
    int finished = C.budget != 0;            /* writes left over: nothing was lost */
    ext2_ind_free(&V.fs);                   /* no umount: the power went; only the memory goes */
    free(V.fs.gd);
    fsio_host_close(&V.h);
    return finished;
}

/* Crash op after every write; at most `asking` crash points may need e2fsck to ask
 * (then e2fsck -fy must repair them). */
static void crash_everywhere(op_fn *op, const char *what, int asking)
{
    long n = 0;
    int asked = 0;

    for (;; n++) {
        int finished = crash_run(op, n);
        int rc = sh("e2fsck -fp %s > %s.fsck 2>&1", V.img, V.img);
        if (rc > 1 && asked++ < asking)
            rc = sh("e2fsck -fy %s > %s.fsck 2>&1", V.img, V.img);
        if (rc > 1) {
            sh("cat %s.fsck", V.img);
            fail_msg("%s crashed after %ld writes: e2fsck exit %d", what, n, rc);
        }
        assert_int_equal(vol_fsck(&V), 0);
        if (finished)
            break;
    }
    print_message("%s: %ld crash points repaired, %d asking\n", what, n + 1, asked);
}

static int setup(void **state)
{
    (void)state;
    vol_prepare(&V);
    sh("mkdir -p %s/a %s/b/empty", V.dir, V.dir);
    vol_put_file(&V, "a/big", 120000, 1);    /* single and double indirect blocks */
    vol_put_file(&V, "a/small", 100, 2);
    vol_mkfs(&V, 1024, 4096, "-g 1024");
    snprintf(base, sizeof base, "%s.base", V.img);
    sh("cp %s %s", V.img, base);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sh("rm -f %s", base);
    vol_cleanup(&V);
    return 0;
}

static void crash_create_write(void **s) { (void)s; crash_everywhere(op_create_write, "create+write", 0); }
static void crash_mkdir(void **s) { (void)s; crash_everywhere(op_mkdir, "mkdir", 0); }
static void crash_unlink(void **s) { (void)s; crash_everywhere(op_unlink_big, "unlink", 0); }
static void crash_truncate(void **s) { (void)s; crash_everywhere(op_truncate_big, "truncate", 0); }
static void crash_rmdir(void **s) { (void)s; crash_everywhere(op_rmdir, "rmdir", 0); }
static void crash_rename_file(void **s) { (void)s; crash_everywhere(op_rename_file, "rename file", 0); }
static void crash_rename_dir(void **s) { (void)s; crash_everywhere(op_rename_dir, "rename dir", 5); }
static void crash_rename_dir_here(void **s) { (void)s; crash_everywhere(op_rename_dir_here, "rename dir in place", 0); }
static void crash_symlink_link(void **s) { (void)s; crash_everywhere(op_symlink_link, "symlink+link", 0); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crash_create_write),
        cmocka_unit_test(crash_mkdir),
        cmocka_unit_test(crash_unlink),
        cmocka_unit_test(crash_truncate),
        cmocka_unit_test(crash_rmdir),
        cmocka_unit_test(crash_rename_file),
        cmocka_unit_test(crash_rename_dir),
        cmocka_unit_test(crash_rename_dir_here),
        cmocka_unit_test(crash_symlink_link),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
