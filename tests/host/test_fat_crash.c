/*
 * test_fat_crash.c - what a crash leaves on a FAT volume (docs/files-fat.md,
 * "What a crash may leave"), checked against fsck.fat.
 *
 * Each operation (create with a long name and data, mkdir, unlink, rmdir,
 * rename across folders, truncate down and up) runs again and again on a
 * fresh copy of one image, with a disk that stops writing after its first
 * n block writes (n = 0, 1, 2, ...: every point the operation can be cut
 * at), as power lost after n writes would. Then `fsck.fat -n` may report
 * only what the chapter's table allows: lost clusters, a stale FSInfo free
 * count, a chain longer than a file's size, two entries sharing a chain
 * (rename's window); never an orphaned long name, a cross-linked or
 * truncated chain, a bad "..". Once n covers every write, fsck.fat must
 * find nothing at all.
 */
#include "fat_host.h"

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "errno.h"

static unsigned bad;

static const struct fat_kind fat16 = {"fat16", "-F 16 -S 512 -s 4", 20000, 16};

/* A disk that stops writing: block writes beyond the budget are dropped. */
struct crash_io {
    struct fs_io io;
    struct fs_io *inner;
    long budget, writes;
};

static struct fs_buf *c_get(struct fs_io *io, uint64_t block, int read)
{
    struct crash_io *c = io->priv;
    return c->inner->ops->get(c->inner, block, read);
}

static void c_dirty(struct fs_io *io, struct fs_buf *b)
{
    struct crash_io *c = io->priv;

    c->writes++;
    if (c->budget-- > 0)
        c->inner->ops->dirty(c->inner, b);
}

static void c_put(struct fs_io *io, struct fs_buf *b)
{
    struct crash_io *c = io->priv;
    c->inner->ops->put(c->inner, b);
}

static void c_forget(struct fs_io *io, uint64_t block)
{
    (void)io, (void)block;
}

static int c_read(struct fs_io *io, uint64_t block, uint32_t count, void *buf)
{
    struct crash_io *c = io->priv;
    return c->inner->ops->read(c->inner, block, count, buf);
}

static int c_write(struct fs_io *io, uint64_t block, uint32_t count, const void *buf)
{
    struct crash_io *c = io->priv;

    c->writes++;
    return c->budget-- > 0 ? c->inner->ops->write(c->inner, block, count, buf) : 0;
}

static int c_sync(struct fs_io *io)
{
    (void)io;
    return 0;
}

static const struct fs_io_ops crash_ops = {c_get, c_dirty, c_put, c_forget, c_read, c_write, c_sync, NULL, NULL};

enum op { OP_CREATE, OP_MKDIR, OP_UNLINK, OP_RMDIR, OP_RENAME, OP_TRUNC_DOWN, OP_TRUNC_UP, OP_COUNT };
static const char *const op_name[] = {"create", "mkdir", "unlink", "rmdir", "rename", "truncate down",
                                      "truncate up"};

/* Is this line of fsck.fat's output one the chapter allows after a crash in op? */
static int line_allowed(const char *line, enum op op)
{
    static const char *const always[] = {
        "fsck.fat ", "Leaving filesystem unchanged", "files,",
        "Free cluster summary wrong",           /* FSInfo: written at sync only */
        "FATs differ but appear to be intact",  /* cut between the two copies of one FAT change */
        "Using first FAT",
        "unused cluster",                       /* lost clusters: used, reached by nothing */
        "cluster chain length is > ",           /* a chain longer than its file's size */
        "Truncating file to ",                  /* ...which fsck.fat trims */
    };
    static const char *const renaming[] = {     /* rename's window: two names, one chain */
        "share clusters", "Truncating second to 0 bytes", "cluster chain length is 0 bytes",
    };

    if (line[0] == '/' || line[0] == '\0')
        return 1;                               /* the file a message is about */
    for (unsigned i = 0; i < sizeof always / sizeof always[0]; i++)
        if (strstr(line, always[i]))
            return 1;
    for (unsigned i = 0; op == OP_RENAME && i < sizeof renaming / sizeof renaming[0]; i++)
        if (strstr(line, renaming[i]))
            return 1;
    return 0;
}

static void run_op(struct fat_volume *v, enum op op)
{
    static uint8_t data[9000];
    struct fat_node root, a, b, n;
    const char *name;

    fat_fill(data, sizeof data, 77);
    fat_root(v, &root);
    fat_walk(v, "a", &a);
    fat_walk(v, "b", &b);
    switch (op) {
    case OP_CREATE:
        if (fat_create(v, &a, "a new file with a long name.txt", 31, 0, &n) == 0)
            fat_write(v, &n, data, sizeof data, 0);
        break;
    case OP_MKDIR:
        fat_create(v, &a, "a new folder with a long name", 29, 1, &n);
        break;
    case OP_UNLINK:
        fat_unlink(v, &a, "the old file with a long name.bin", 33, 1);
        break;
    case OP_RMDIR:
        fat_rmdir(v, &a, "empty folder", 12, 1);
        break;
    case OP_RENAME:
        fat_rename(v, &a, "the old file with a long name.bin", 33, &b, "moved here.bin", 14, 1, &n);
        break;
    case OP_TRUNC_DOWN:
    case OP_TRUNC_UP:
        name = "the old file with a long name.bin";
        if (fat_lookup(v, &a, name, strlen(name), &n) == 0)
            fat_truncate(v, &n, op == OP_TRUNC_DOWN ? 1000 : 30000);
        break;
    default:
        break;
    }
    fat_sync(v);
}

/* One crash point: 1 when the operation wrote fewer blocks than the budget (it was not cut). */
static int crash_at(const char *base, const char *img, enum op op, long budget)
{
    struct fat_mounted m;
    struct crash_io c;

    assert_int_equal(fat_sh("cp '%s' '%s'", base, img), 0);
    assert_int_equal(fsio_file_open(&m.h, img, 512, 0), 0);
    c.io = m.h.io;
    c.io.ops = &crash_ops;
    c.io.priv = &c;
    c.inner = &m.h.io;
    c.budget = budget;
    c.writes = 0;
    assert_int_equal(fat_mount(&m.v, &c.io, "crash", 0), 0);
    m.v.now = fat_test_now;
    run_op(&m.v, op);
    fsio_host_close(&m.h);
    char *out = fat_capture(NULL, "fsck.fat -n '%s' 2>&1", img), *save = NULL;
    if (getenv("FAT_CRASH_DEBUG")) print_message("--- %s %ld:\n%s", op_name[op], budget, out);
    int whole = c.writes <= budget, clean = 1;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!line_allowed(line, op)) {
            print_error("%s cut after %ld of its writes: fsck.fat: %s\n", op_name[op], budget, line);
            bad++;
        }
        if ((line[0] == '/' && !strstr(line, " files, ")) || strstr(line, "unused cluster") || strstr(line, "summary wrong") ||
            strstr(line, "FATs differ"))
            clean = 0;
    }
    if (whole && !clean)
        fail_msg("%s, all %ld writes done: fsck.fat is not clean", op_name[op], c.writes);
    free(out);
    return whole;
}

static void test_every_crash_point(void **state)
{
    char base[128], img[160], src[200];
    unsigned points = 0;

    (void)state;
    fat_mkimage(base, sizeof base, &fat16, "crash-base");
    snprintf(src, sizeof src, "%s/old.bin", fat_tmp);
    assert_int_equal(fat_sh("head -c 20000 /dev/urandom > '%s' && mmd -i '%s' ::a ::b '::a/empty folder' && "
                            "mcopy -i '%s' '%s' '::a/the old file with a long name.bin'",
                            src, base, base, src), 0);
    snprintf(img, sizeof img, "%s/crash.img", fat_tmp);
    for (enum op op = 0; op < OP_COUNT; op++) {
        long n = 0;
        while (!crash_at(base, img, op, n))
            n++, points++;
        print_message("    %s: %ld block writes, each crash point checked\n", op_name[op], n);
    }
    assert_true(points > 20);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_crash_point),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    fat_sh("rm -rf '%s'", fat_tmp);
    return r;
}
