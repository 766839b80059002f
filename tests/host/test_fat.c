/*
 * test_fat.c - the FAT core (kernel/fs/fat/) against the host's own FAT
 * tools, on FAT12, FAT16 and FAT32 with 512-byte and 4 KiB clusters (and a
 * FAT32 with 4 KiB sectors).
 *
 * Reading: mkfs.fat makes the image, mmd and mcopy put files in (short,
 * long, mixed-case and Unicode names (mtools keeps only the BMP: a
 * character past U+FFFF is tested in test_fat_edge.c), empty to 300 KB, deep folders); the
 * core must read every byte, list every name as written, and find each
 * name in any case.
 *
 * Writing: the core makes 300 files in one folder, a folder 20 deep, long
 * and Unicode names, a big file written in odd pieces, a write past the
 * end (the gap reads as zeros), renames across folders (a folder too, so
 * its ".." must change), a rename over an existing file, truncates down
 * and up, unlinks and rmdirs. Then fsck.fat -n must find nothing, mtype
 * must read back every byte, and mdir must list exactly the names the
 * test expects: the expected values come from the host's tools, not from
 * the code under test.
 */
#include "fat_host.h"

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "errno.h"

static const struct fat_kind kinds[] = {
    {"fat12", "-F 12 -S 512 -s 1", 1440, 12},
    {"fat12-4k", "-F 12 -S 512 -s 8", 8000, 12},
    {"fat16", "-F 16 -S 512 -s 1", 20000, 16},
    {"fat16-4k", "-F 16 -S 512 -s 8", 70000, 16},
    {"fat32", "-F 32 -S 512 -s 1", 40000, 32},
    {"fat32-4k", "-F 32 -S 512 -s 8", 280000, 32},
    {"fat32-4ksec", "-F 32 -S 4096 -s 1", 300000, 32},
};

/* What the test expects on the volume. */
struct mfile {
    char path[600];
    uint8_t *data;
    size_t len;
    int is_dir, gone;
};

static struct mfile model[512];
static unsigned nmodel;

static struct mfile *model_add(const char *path, size_t len, uint32_t seed, int is_dir)
{
    struct mfile *f = &model[nmodel++];

    assert_true(nmodel <= 512);
    snprintf(f->path, sizeof f->path, "%s", path);
    f->len = len;
    f->is_dir = is_dir;
    f->gone = 0;
    f->data = malloc(len + 1);
    fat_fill(f->data, len, seed);
    return f;
}

static void model_clear(void)
{
    for (unsigned i = 0; i < nmodel; i++)
        free(model[i].data);
    nmodel = 0;
}

static struct mfile *model_find(const char *path)
{
    for (unsigned i = 0; i < nmodel; i++)
        if (!model[i].gone && strcmp(model[i].path, path) == 0)
            return &model[i];
    return NULL;
}

/* Read node's bytes with the core and compare with f. */
static void check_read(struct fat_volume *v, struct mfile *f)
{
    struct fat_node n;
    uint8_t *buf = malloc(f->len + 1);

    int err = fat_walk(v, f->path, &n);
    if (err)
        fail_msg("%s: %d (%s)", f->path, err, v->warning);
    assert_int_equal(n.size, f->len);
    assert_int_equal(fat_read(v, &n, buf, f->len + 1, 0), (long)f->len);
    assert_memory_equal(buf, f->data, f->len);
    free(buf);
}

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, int is_dir)
{
    char *list = ctx;

    (void)ino, (void)is_dir;
    strncat(list, name, len);
    strcat(list, "|");
    return 0;
}

/* ---- reading what mtools wrote ---- */

static const struct {
    const char *path;
    size_t len;
} host_files[] = {
    {"short.txt", 1}, {"UPPER.TXT", 511}, {"MiXeD.Txt", 512}, {"empty", 0},
    {"A long file name with spaces.data", 513}, {"Ünïcödé ñame – 日本語.txt", 4097},
    {"Ελληνικά και кириллица.txt", 13}, {"deep/er/and/deeper/file.bin", 70000}, {"deep/er/big.bin", 300000},
};

static void test_reads_what_mtools_wrote(void **state)
{
    const struct fat_kind *k = *state;
    char img[128], src[128], list[4096] = "";
    struct fat_mounted m;
    struct fat_node n;

    model_clear();
    fat_mkimage(img, sizeof img, k, k->name);
    assert_int_equal(fat_sh("mmd -i '%s' ::deep ::deep/er ::deep/er/and ::deep/er/and/deeper", img), 0);
    for (unsigned i = 0; i < sizeof host_files / sizeof host_files[0]; i++) {
        struct mfile *f = model_add(host_files[i].path, host_files[i].len, i + 1, 0);
        snprintf(src, sizeof src, "%s/src.bin", fat_tmp);
        FILE *fp = fopen(src, "wb");
        fwrite(f->data, 1, f->len, fp);
        fclose(fp);
        assert_int_equal(fat_sh("mcopy -i '%s' '%s' '::%s'", img, src, f->path), 0);
    }
    assert_int_equal(fat_mount_image(&m, img, 1), 0);
    assert_int_equal(m.v.type, k->type);
    for (unsigned i = 0; i < nmodel; i++)
        check_read(&m.v, &model[i]);
    /* any case finds a name; the listing keeps the case written */
    assert_int_equal(fat_walk(&m.v, "SHORT.TXT", &n), 0);
    assert_int_equal(fat_walk(&m.v, "upper.txt", &n), 0);
    assert_int_equal(fat_walk(&m.v, "a LONG file NAME with SPACES.DATA", &n), 0);
    assert_int_equal(fat_walk(&m.v, "ÜNÏCÖDÉ ÑAME – 日本語.TXT", &n), 0);
    assert_int_equal(fat_walk(&m.v, "ΕΛΛΗΝΙΚΆ ΚΑΙ КИРИЛЛИЦА.TXT", &n), 0);
    assert_int_equal(fat_walk(&m.v, "DEEP/ER/AND/Deeper/FILE.BIN", &n), 0);
    assert_int_equal(fat_walk(&m.v, "not there", &n), -ENOENT);
    fat_root(&m.v, &n);
    uint64_t cookie = 0;
    assert_int_equal(fat_readdir(&m.v, &n, &cookie, collect, list), 0);
    assert_string_equal(list, ".|..|deep|short.txt|UPPER.TXT|MiXeD.Txt|empty|A long file name with spaces.data|"
                              "Ünïcödé ñame – 日本語.txt|Ελληνικά και кириллица.txt|");
    list[0] = '\0';
    cookie = 0;
    assert_int_equal(fat_walk(&m.v, "deep/er", &n), 0);
    assert_int_equal(fat_readdir(&m.v, &n, &cookie, collect, list), 0);
    assert_string_equal(list, ".|..|and|big.bin|");
    assert_int_equal(m.h.held, 0);
    fat_unmount(&m);
    model_clear();
}

/* ---- writing what mtools and fsck.fat read ---- */

static struct fat_mounted wm;

static struct mfile *write_new(const char *path, size_t len, uint32_t seed)
{
    struct fat_node dir, n;
    const char *name;
    struct mfile *f = model_add(path, len, seed, 0);

    assert_int_equal(fat_walk_parent(&wm.v, path, &dir, &name), 0);
    assert_int_equal(fat_create(&wm.v, &dir, name, strlen(name), 0, &n), 0);
    for (size_t done = 0, piece = 777; done < len; done += piece, piece = piece * 3 % 10007 + 1) {
        if (piece > len - done)
            piece = len - done;
        assert_int_equal(fat_write(&wm.v, &n, f->data + done, piece, done), (long)piece);
    }
    return f;
}

static void make_dir(const char *path)
{
    struct fat_node dir, n;
    const char *name;

    model_add(path, 0, 0, 1);
    assert_int_equal(fat_walk_parent(&wm.v, path, &dir, &name), 0);
    assert_int_equal(fat_create(&wm.v, &dir, name, strlen(name), 1, &n), 0);
}

static void do_rename(const char *from, const char *to)
{
    struct fat_node od, nd, moved;
    const char *on, *nn;
    struct mfile *f = model_find(from), *victim = model_find(to);

    assert_int_equal(fat_walk_parent(&wm.v, from, &od, &on), 0);
    assert_int_equal(fat_walk_parent(&wm.v, to, &nd, &nn), 0);
    assert_int_equal(fat_rename(&wm.v, &od, on, strlen(on), &nd, nn, strlen(nn), 1, &moved), 0);
    if (victim)
        victim->gone = 1;
    size_t flen = strlen(from);
    for (unsigned i = 0; i < nmodel; i++)       /* the path and everything under it */
        if (!model[i].gone && strncmp(model[i].path, from, flen) == 0 &&
            (model[i].path[flen] == '\0' || model[i].path[flen] == '/')) {
            char rest[600];
            snprintf(rest, sizeof rest, "%s", model[i].path + flen);
            snprintf(model[i].path, sizeof model[i].path, "%s%s", to, rest);
        }
    (void)f;
}

static void do_unlink(const char *path)
{
    struct fat_node dir;
    const char *name;

    assert_int_equal(fat_walk_parent(&wm.v, path, &dir, &name), 0);
    assert_int_equal(fat_unlink(&wm.v, &dir, name, strlen(name), 1), 0);
    model_find(path)->gone = 1;
}

static void do_truncate(const char *path, size_t size)
{
    struct fat_node n;
    struct mfile *f = model_find(path);

    assert_int_equal(fat_walk(&wm.v, path, &n), 0);
    assert_int_equal(fat_truncate(&wm.v, &n, size), 0);
    f->data = realloc(f->data, size + 1);
    if (size > f->len)
        memset(f->data + f->len, 0, size - f->len);
    f->len = size;
}

/* mtype and mdir read back exactly the model. */
static void check_with_mtools(const char *img)
{
    char *listing = fat_capture(NULL, "mdir -i '%s' -/ -b ::", img), line[700];
    unsigned lines = 0, expected = 0;

    for (char *p = listing; *p; p++)
        lines += *p == '\n';
    for (unsigned i = 0; i < nmodel; i++) {
        struct mfile *f = &model[i];
        if (f->gone)
            continue;
        expected++;
        snprintf(line, sizeof line, "\n::/%s%s\n", f->path, f->is_dir ? "/" : "");
        char *hit = strstr(listing, line);
        if (!hit && strncmp(listing, line + 1, strlen(line + 1)) != 0)
            fail_msg("mdir does not list %s", f->path);
        if (f->is_dir)
            continue;
        size_t len;
        char *bytes = fat_capture(&len, "mtype -i '%s' '::%s'", img, f->path);
        if (len != f->len || memcmp(bytes, f->data, len) != 0)
            fail_msg("mtype reads %zu bytes of %s, expected %zu", len, f->path, f->len);
        free(bytes);
    }
    assert_int_equal(lines, expected);
    free(listing);
}

static void test_writes_read_by_mtools(void **state)
{
    const struct fat_kind *k = *state;
    char img[128], path[600];
    struct fat_node dir, n;
    size_t big = k->kib * 1024 / 4 > 3000000 ? 3000000 : k->kib * 1024 / 4;

    model_clear();
    fat_mkimage(img, sizeof img, k, k->name);
    assert_int_equal(fat_mount_image(&wm, img, 0), 0);
    make_dir("many");
    for (int i = 0; i < 300; i++) {
        snprintf(path, sizeof path, "many/file number %03d with a long name.txt", i);
        write_new(path, (size_t)i * 7, (uint32_t)i + 100);
    }
    path[0] = '\0';
    for (int i = 0; i < 20; i++) {
        snprintf(path + strlen(path), sizeof path - strlen(path), "%slevel %02d", i ? "/" : "", i);
        make_dir(path);
    }
    strcat(path, "/bottom.txt");
    write_new(path, 1234, 7);
    write_new("Ünïcödé ñame – 日本語.txt", 4097, 8);
    write_new("Ελληνικά και кириллица.txt", 13, 9);
    write_new("lower.txt", 10, 10);
    write_new("UPPER.TXT", 11, 11);
    write_new("MiXeD.Txt", 12, 12);
    write_new("big.bin", big, 13);
    /* case-insensitive: the same name in another case exists */
    fat_root(&wm.v, &dir);
    assert_int_equal(fat_create(&wm.v, &dir, "LOWER.TXT", 9, 0, &n), -EEXIST);
    assert_int_equal(fat_create(&wm.v, &dir, "mixed.txt", 9, 0, &n), -EEXIST);
    /* a write past the end: the gap reads as zeros */
    struct mfile *gap = write_new("gap.bin", 100, 14);
    gap->data = realloc(gap->data, 5100);
    memset(gap->data + 100, 0, 4900);
    fat_fill(gap->data + 5000, 100, 15);
    gap->len = 5100;
    assert_int_equal(fat_walk(&wm.v, "gap.bin", &n), 0);
    assert_int_equal(fat_write(&wm.v, &n, gap->data + 5000, 100, 5000), 100);
    /* renames: a file across folders, a folder (its ".." changes), over an existing file */
    make_dir("a");
    make_dir("b");
    make_dir("a/sub");
    write_new("a/src name.txt", 3000, 16);
    write_new("a/sub/inner.txt", 300, 17);
    write_new("b/victim.txt", 5000, 18);
    do_rename("a/src name.txt", "b/renamed file.txt");
    do_rename("a/sub", "b/sub moved");
    do_rename("lower.txt", "b/victim.txt");
    do_rename("UPPER.TXT", "upper.txt");
    /* truncates down and up */
    write_new("trunc.bin", 10000, 19);
    do_truncate("trunc.bin", 3000);
    do_truncate("trunc.bin", 6000);
    write_new("gone.bin", 2000, 20);
    do_truncate("gone.bin", 0);
    /* unlink and rmdir */
    for (int i = 0; i < 300; i += 7) {
        snprintf(path, sizeof path, "many/file number %03d with a long name.txt", i);
        do_unlink(path);
    }
    assert_int_equal(fat_walk(&wm.v, "b", &dir), 0);
    assert_int_equal(fat_rmdir(&wm.v, &dir, "sub moved", 9, 1), -ENOTEMPTY);
    fat_root(&wm.v, &dir);
    assert_int_equal(fat_rmdir(&wm.v, &dir, "a", 1, 1), 0);
    model_find("a")->gone = 1;
    for (unsigned i = 0; i < nmodel; i++)
        if (!model[i].gone && !model[i].is_dir)
            check_read(&wm.v, &model[i]);
    assert_int_equal(wm.h.held, 0);
    fat_unmount(&wm);
    if (!fat_fsck_clean(img))
        fail_msg("fsck.fat -n: %s", fat_capture(NULL, "fsck.fat -n '%s' 2>&1", img));
    check_with_mtools(img);
    model_clear();
}

int main(void)
{
    struct CMUnitTest tests[2 * sizeof kinds / sizeof kinds[0]];
    char names[2 * sizeof kinds / sizeof kinds[0]][64];
    unsigned n = 0;

    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        snprintf(names[n], sizeof names[n], "reads_what_mtools_wrote/%s", kinds[i].name);
        tests[n] = (struct CMUnitTest){names[n], test_reads_what_mtools_wrote, NULL, NULL, (void *)&kinds[i]};
        n++;
        snprintf(names[n], sizeof names[n], "writes_read_by_mtools/%s", kinds[i].name);
        tests[n] = (struct CMUnitTest){names[n], test_writes_read_by_mtools, NULL, NULL, (void *)&kinds[i]};
        n++;
    }
    int r = _cmocka_run_group_tests("test_fat", tests, n, NULL, NULL);
    fat_sh("rm -rf '%s'", fat_tmp);
    return r;
}
