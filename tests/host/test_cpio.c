/*
 * test_cpio.c - host tests for the newc cpio reader (kernel/fs/cpio/cpio.c,
 * the same file the kernel's initramfs runs).
 *
 * Archives are made at test time by the host's `cpio -o -H newc` (and
 * `-H crc` for the checksummed form) from a tree this test writes: files of
 * sizes around the 4-byte padding, an empty one, a large one, a symbolic
 * link, two hard links, a name with spaces and UTF-8, modes with set-id
 * bits. What each entry must hold comes from lstat and readlink on the
 * host's files, not from the reader. Then the same archive cut at every
 * length (each cut copied into a buffer of exactly that size, so ASan sees
 * any read past the end) and damaged in each part of a header: each must
 * give an error naming the entry.
 */
#define _GNU_SOURCE                 /* mkdtemp, symlink, readlink, memmem */

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

#include "fs/cpio/cpio.h"

static char dir[64];                /* the tree */
static char archive_path[96];

static void write_file(const char *name, size_t size, unsigned seed, mode_t mode)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < size; i++)
        fputc((int)((i * 131 + seed) % 251), f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

static void make_tree(void)
{
    char path[256];

    strcpy(dir, "/tmp/test_cpio.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(mkdir(path, 0750), 0);
    snprintf(path, sizeof path, "%s/sub/deeper", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    write_file("empty", 0, 0, 0644);
    write_file("one", 1, 1, 0600);
    write_file("three", 3, 2, 0644);
    write_file("four", 4, 3, 0644);
    write_file("five", 5, 4, 04755);
    write_file("sub/big.bin", 70001, 5, 0644);
    write_file("sub/deeper/a name with spaces \xc3\xa9", 17, 6, 02711);
    write_file("linked", 1234, 7, 0644);
    snprintf(path, sizeof path, "%s/sub/hardlink", dir);
    {
        char old[256];

        snprintf(old, sizeof old, "%s/linked", dir);
        assert_int_equal(link(old, path), 0);
    }
    snprintf(path, sizeof path, "%s/sub/symlink", dir);
    assert_int_equal(symlink("../five", path), 0);
}

static uint8_t *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n ? (size_t)n : 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The archive of the tree in format fmt ("newc" or "crc"): its bytes, malloc'd to its exact size. */
static uint8_t *make_archive(const char *fmt, size_t *len)
{
    char cmd[256];

    snprintf(archive_path, sizeof archive_path, "%s.%s.cpio", dir, fmt);
    snprintf(cmd, sizeof cmd, "cd %s && find . | LC_ALL=C sort | cpio -o -H %s --quiet > %s", dir, fmt,
             archive_path);
    assert_int_equal(system(cmd), 0);
    return read_whole(archive_path, len);
}

static int setup(void **state)
{
    (void)state;
    make_tree();
    return 0;
}

static int teardown(void **state)
{
    char cmd[256];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s %s.*.cpio", dir, dir);
    return system(cmd);
}

/* One entry against the host's file it was made from. */
static void check_entry(const struct cpio_entry *e)
{
    char path[512], target[256];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, e->name);
    assert_int_equal(lstat(path, &st), 0);
    assert_int_equal(e->mode, st.st_mode);
    assert_int_equal(e->mtime, (uint32_t)st.st_mtime);
    assert_int_equal(e->uid, st.st_uid);
    assert_int_equal(e->nlink, st.st_nlink);
    assert_int_equal(e->ino, (uint32_t)st.st_ino);
    if (S_ISLNK(st.st_mode)) {
        ssize_t n = readlink(path, target, sizeof target);

        assert_int_equal(e->size, n);
        assert_memory_equal(e->data, target, (size_t)n);
    } else if (S_ISREG(st.st_mode) && e->size) {
        size_t n;
        uint8_t *want = read_whole(path, &n);

        assert_int_equal(e->size, n);
        assert_memory_equal(e->data, want, n);
        free(want);
    } else if (S_ISREG(st.st_mode)) {
        /* GNU cpio writes a hard link's data with its last name only */
        assert_true(st.st_size == 0 || st.st_nlink > 1);
    }
}

static unsigned count_tree(void)
{
    char cmd[128];
    unsigned n = 0;
    FILE *p;
    int c;

    snprintf(cmd, sizeof cmd, "cd %s && find . | wc -l", dir);
    p = popen(cmd, "r");
    assert_non_null(p);
    c = fscanf(p, "%u", &n);
    assert_int_equal(c, 1);
    pclose(p);
    return n;
}

static void read_all_and_check(const char *fmt)
{
    size_t len;
    uint8_t *a = make_archive(fmt, &len);
    struct cpio_reader r;
    struct cpio_entry e;
    unsigned n = 0;
    int rc;

    cpio_reader_init(&r, a, len);
    while ((rc = cpio_next(&r, &e)) == 1) {
        check_entry(&e);
        n++;
    }
    assert_string_equal(r.error, "");
    assert_int_equal(rc, 0);
    assert_int_equal(n, count_tree());
    assert_int_equal(cpio_next(&r, &e), 0);         /* the end stays the end */
    free(a);
}

static void test_newc_entries_match_host(void **state)
{
    (void)state;
    read_all_and_check("newc");
}

static void test_crc_entries_match_host(void **state)
{
    (void)state;
    read_all_and_check("crc");
}

/* Where the trailer entry ends: cuts before it are errors, after it only padding is lost. */
static size_t trailer_end(const uint8_t *a, size_t len)
{
    const uint8_t *t = memmem(a, len, "TRAILER!!!", 11);

    assert_non_null(t);
    return ((size_t)(t - a) + 11 + 3) & ~(size_t)3;
}

/* Read every byte of an entry's name and data (ASan: nothing past the buffer). */
static unsigned touch(const struct cpio_entry *e)
{
    unsigned sum = (unsigned)strlen(e->name);

    for (uint32_t i = 0; i < e->size; i++)
        sum += e->data[i];
    return sum;
}

static void test_every_truncation_is_an_error(void **state)
{
    unsigned sum = 0;
    size_t len, end;
    uint8_t *a = make_archive("newc", &len);
    struct cpio_reader r;
    struct cpio_entry e;

    (void)state;
    end = trailer_end(a, len);
    for (size_t cut = 0; cut <= len; cut++) {
        uint8_t *b = malloc(cut ? cut : 1);
        int rc;

        memcpy(b, a, cut);
        cpio_reader_init(&r, b, cut);
        while ((rc = cpio_next(&r, &e)) == 1)
            sum += touch(&e);
        if (cut < end) {
            assert_int_equal(rc, -22);
            assert_non_null(strstr(r.error, "entry "));
        } else {
            assert_int_equal(rc, 0);
        }
        free(b);
    }
    assert_true(sum > 0);
    free(a);
}

/* The reader's error after the whole of a[0..len). */
static int read_to_error(const uint8_t *a, size_t len, struct cpio_reader *r)
{
    struct cpio_entry e;
    int rc;

    cpio_reader_init(r, a, len);
    while ((rc = cpio_next(r, &e)) == 1)
        ;
    return rc;
}

/* The offset of the header of the entry named name. */
static size_t header_of(const uint8_t *a, size_t len, const char *name)
{
    struct cpio_reader r;
    struct cpio_entry e;

    cpio_reader_init(&r, a, len);
    for (;;) {
        size_t at = r.off;

        assert_int_equal(cpio_next(&r, &e), 1);
        if (strcmp(e.name, name) == 0)
            return at;
    }
}

static void test_cut_in_data_names_entry(void **state)
{
    size_t len, at;
    uint8_t *a = make_archive("newc", &len);
    struct cpio_reader r;

    (void)state;
    at = header_of(a, len, "sub/big.bin");
    assert_int_equal(read_to_error(a, at + 110 + 12 + 5000, &r), -22);
    assert_non_null(strstr(r.error, "\"sub/big.bin\""));
    assert_non_null(strstr(r.error, "data runs past the end"));
    free(a);
}

static void test_bad_header_fields(void **state)
{
    size_t len, at;
    uint8_t *a = make_archive("newc", &len), *b = malloc(len);
    struct cpio_reader r;
    char want[64];

    (void)state;
    at = header_of(a, len, "four");
    snprintf(want, sizeof want, "at byte %zu: ", at);
    /* the magic */
    memcpy(b, a, len);
    b[at + 3] = '9';
    assert_int_equal(read_to_error(b, len, &r), -22);
    assert_non_null(strstr(r.error, want));
    assert_non_null(strstr(r.error, "magic"));
    /* a digit of the file size */
    memcpy(b, a, len);
    b[at + 6 + 6 * 8 + 2] = 'x';
    assert_int_equal(read_to_error(b, len, &r), -22);
    assert_non_null(strstr(r.error, "hexadecimal"));
    /* a file size of 4 GiB - 1 */
    memcpy(b, a, len);
    memcpy(b + at + 6 + 6 * 8, "FFFFFFFF", 8);
    assert_int_equal(read_to_error(b, len, &r), -22);
    assert_non_null(strstr(r.error, "\"four\""));
    /* a name size that misses the NUL, then one of 0, then one past the end */
    memcpy(b, a, len);
    memcpy(b + at + 6 + 11 * 8, "00000004", 8);
    assert_int_equal(read_to_error(b, len, &r), -22);
    assert_non_null(strstr(r.error, "NUL"));
    memcpy(b + at + 6 + 11 * 8, "00000000", 8);
    assert_int_equal(read_to_error(b, len, &r), -22);
    assert_non_null(strstr(r.error, "empty name"));
    memcpy(b + at + 6 + 11 * 8, "7FFFFFFF", 8);
    assert_int_equal(read_to_error(b, len, &r), -22);
    assert_non_null(strstr(r.error, "name runs past"));
    free(a);
    free(b);
}

static void test_crc_mismatch_names_entry(void **state)
{
    size_t len, at;
    uint8_t *a = make_archive("crc", &len);
    struct cpio_reader r;

    (void)state;
    at = header_of(a, len, "three");       /* cpio writes names without "./" */
    a[at + 110 + 6] ^= 1;           /* its first data byte: "three" and its NUL end at 116 */
    assert_int_equal(read_to_error(a, len, &r), -22);
    assert_non_null(strstr(r.error, "\"three\""));
    assert_non_null(strstr(r.error, "checksum"));
    free(a);
}

/* Two archives end to end, with zeros between (as Linux's initramfs takes them). */
static void test_concatenated_archives(void **state)
{
    size_t len;
    uint8_t *a = make_archive("newc", &len), *b = calloc(1, 2 * len + 64);
    struct cpio_reader r;
    struct cpio_entry e;
    unsigned n = 0;
    int rc;

    (void)state;
    memcpy(b, a, len);
    memcpy(b + len + 64, a, len);
    cpio_reader_init(&r, b, 2 * len + 64);
    while ((rc = cpio_next(&r, &e)) == 1)
        n++;
    assert_int_equal(rc, 0);
    assert_int_equal(n, 2 * count_tree());
    /* junk after the trailer is an error, not silently ignored */
    b[len + 64] = 'X';
    assert_int_equal(read_to_error(b, 2 * len + 64, &r), -22);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newc_entries_match_host),
        cmocka_unit_test(test_crc_entries_match_host),
        cmocka_unit_test(test_every_truncation_is_an_error),
        cmocka_unit_test(test_cut_in_data_names_entry),
        cmocka_unit_test(test_bad_header_fields),
        cmocka_unit_test(test_crc_mismatch_names_entry),
        cmocka_unit_test(test_concatenated_archives),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
