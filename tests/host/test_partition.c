/*
 * test_partition.c - host tests for the partition table parser
 * (drivers/block/partition.c, the same file the kernel runs) and its
 * CRC-32 (drivers/block/crc32.c).
 *
 * Disks made by the host's tools on temporary files (sfdisk for MBR with an
 * extended partition, sgdisk for GPT), their expected partitions read back
 * with `sfdisk -d` (start, size, type, GUID): the expected values come from
 * outside the parser. Then the same GPT with its primary header or its
 * entry array damaged (the backup must be used, with a warning), both
 * copies damaged, and tables made by hand that no tool writes: extended
 * chains that loop or run outside their partition, partitions beyond the
 * end of the disk, a GPT on 4096-byte blocks, a disk whose reads fail.
 */
#define _POSIX_C_SOURCE 200809L     /* popen, mkstemp, ftruncate */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/crc32.h"
#include "block/partition.h"

#define MIB (1024 * 1024)

/* A disk in memory: the image's bytes, and a block whose read fails (or ~0). */
struct disk {
    uint8_t *data;
    uint32_t bs;
    uint64_t blocks;
    uint64_t fail_block;
    unsigned reads;
};

static int disk_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
    struct disk *d = ctx;

    d->reads++;
    if (block + count > d->blocks || block + count < block)
        return -22;
    if (d->fail_block >= block && d->fail_block < block + count)
        return -5;
    memcpy(buf, d->data + block * d->bs, (size_t)count * d->bs);
    return 0;
}

static struct part_table table;

static int parse(struct disk *d)
{
    return part_parse(&table, disk_read, d, d->bs, d->blocks);
}

/* ---- images made by the host tools ---- */

static char img_path[64];

static void sh(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static void new_image(unsigned mib)
{
    int fd;

    strcpy(img_path, "/tmp/test_partition.XXXXXX");
    fd = mkstemp(img_path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)mib * MIB), 0);
    close(fd);
}

static void load_image(struct disk *d)
{
    FILE *f = fopen(img_path, "rb");
    long size;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    d->data = malloc((size_t)size);
    assert_non_null(d->data);
    assert_int_equal(fread(d->data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    d->bs = 512;
    d->blocks = (uint64_t)size / 512;
    d->fail_block = ~0ULL;
    d->reads = 0;
}

/* A GUID as sfdisk prints it into the on-disk order (the first three fields little-endian). */
static void guid_from_text(const char *s, uint8_t g[16])
{
    static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
    unsigned v[16];

    assert_int_equal(sscanf(s, "%2x%2x%2x%2x-%2x%2x-%2x%2x-%2x%2x-%2x%2x%2x%2x%2x%2x", &v[0], &v[1],
                            &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
                            &v[12], &v[13], &v[14], &v[15]), 16);
    for (int i = 0; i < 16; i++)
        g[order[i]] = (uint8_t)v[i];
}

/*
 * Compare the table with `sfdisk -d` of the image: every partition sfdisk
 * lists (but extended containers) with its number, start, size, MBR type or
 * GPT GUIDs; the MBR disk signature from label-id.
 */
static void expect_sfdisk(void)
{
    char cmd[128], line[512];
    unsigned n = 0;
    FILE *p;

    snprintf(cmd, sizeof cmd, "sfdisk -d %s", img_path);
    p = popen(cmd, "r");
    assert_non_null(p);
    while (fgets(line, sizeof line, p)) {
        unsigned idx, mbr_id;
        unsigned long long start, size;
        char type[64] = "", *uuid = strstr(line, "uuid="), *pos = strstr(line, " : start=");

        if (sscanf(line, "label-id: 0x%x", &mbr_id) == 1)
            assert_int_equal(table.mbr_signature, mbr_id);
        if (!pos || sscanf(pos, " : start= %llu, size= %llu, type=%63[^,\n]", &start, &size, type) != 3)
            continue;
        while (pos > line && pos[-1] >= '0' && pos[-1] <= '9')
            pos--;
        idx = (unsigned)strtoul(pos, NULL, 10);
        if (strcmp(type, "5") == 0 || strcmp(type, "f") == 0)
            continue;                   /* an extended container: no partition of its own */
        assert_true(n < table.count);
        assert_int_equal(table.part[n].index, idx);
        assert_int_equal(table.part[n].first, start);
        assert_int_equal(table.part[n].count, size);
        if (uuid) {
            uint8_t g[16];
            guid_from_text(uuid + 5, g);
            assert_memory_equal(table.part[n].guid, g, 16);
            guid_from_text(type, g);
            assert_memory_equal(table.part[n].type_guid, g, 16);
        } else {
            assert_int_equal(table.part[n].mbr_type, strtoul(type, NULL, 16));
        }
        n++;
    }
    pclose(p);
    assert_true(n > 0);
    assert_int_equal(n, table.count);
}

static void test_crc32_known_values(void **state)
{
    (void)state;
    assert_int_equal(crc32_update(0, "123456789", 9), 0xCBF43926);   /* the check value of CRC-32/ISO-HDLC */
    assert_int_equal(crc32_update(0, "", 0), 0);
    assert_int_equal(crc32_update(crc32_update(0, "1234", 4), "56789", 5), 0xCBF43926);
}

static void test_mbr_extended_from_sfdisk(void **state)
{
    struct disk d;

    (void)state;
    new_image(16);
    sh("printf 'label: dos\\nstart=2048, size=4096, type=83\\nstart=8192, size=2048, type=c\\n"
       "start=12288, size=16384, type=5\\nstart=28672, size=2048, type=83\\n"
       "start=14336, size=2048, type=83\\nstart=18432, size=4096, type=7\\n"
       "start=24576, size=1024, type=82\\n' | sfdisk -q %s", img_path);
    load_image(&d);
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.scheme, PART_MBR);
    assert_int_equal(table.count, 6);           /* 1, 2, 4 and the logical 5, 6, 7 */
    assert_int_equal(table.warnings, 0);
    expect_sfdisk();
    free(d.data);
    unlink(img_path);
}

/* A GPT made by sgdisk: entries 1, 2 and 4 in use, 3 empty. */
static void make_gpt(struct disk *d)
{
    new_image(16);
    sh("sgdisk -n 1:2048:+1M -t 1:ef00 -n 2:0:+2M -t 2:8300 -n 4:0:+3M -t 4:0700 %s >/dev/null",
       img_path);
    load_image(d);
}

static void test_gpt_from_sgdisk(void **state)
{
    struct disk d;

    (void)state;
    make_gpt(&d);
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.scheme, PART_GPT);
    assert_int_equal(table.gpt_backup_used, 0);
    assert_int_equal(table.warnings, 0);
    assert_int_equal(table.count, 3);
    assert_int_equal(table.part[2].index, 4);
    expect_sfdisk();
    free(d.data);
    unlink(img_path);
}

/* Damage one byte of block `block` at `off`, then parse: the backup must give the same partitions. */
static void gpt_damaged(uint64_t block, unsigned off, const char *why)
{
    struct disk d;

    make_gpt(&d);
    d.data[block * 512 + off] ^= 0x40;
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.scheme, PART_GPT);
    assert_int_equal(table.gpt_backup_used, 1);
    assert_int_equal(table.count, 3);
    assert_non_null(strstr(table.warning, why));
    assert_non_null(strstr(table.warning, "using the backup at block 32767"));
    expect_sfdisk();                    /* sfdisk reads the undamaged image file */
    free(d.data);
    unlink(img_path);
}

static void test_gpt_primary_header_damaged(void **state)
{
    (void)state;
    gpt_damaged(1, 60, "header CRC");                   /* a byte of the disk GUID */
}

static void test_gpt_primary_entries_damaged(void **state)
{
    (void)state;
    gpt_damaged(2, 200, "entry array CRC");             /* entry 2's unique GUID */
}

static void test_gpt_both_damaged(void **state)
{
    struct disk d;

    (void)state;
    make_gpt(&d);
    d.data[512 + 60] ^= 1;
    d.data[(d.blocks - 1) * 512 + 60] ^= 1;
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.scheme, PART_GPT);
    assert_int_equal(table.count, 0);
    assert_non_null(strstr(table.warning, "both damaged"));
    free(d.data);
    unlink(img_path);
}

/* ---- tables made by hand ---- */

static void put32(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v);
    put32(p + 4, v >> 32);
}

static struct disk mem_disk(uint32_t bs, uint64_t blocks)
{
    struct disk d = { calloc(blocks, bs), bs, blocks, ~0ULL, 0 };

    assert_non_null(d.data);
    return d;
}

/* An MBR-style entry i of the record at block `at`. */
static void mbr_set(struct disk *d, uint64_t at, unsigned i, uint8_t type, uint64_t first, uint64_t count)
{
    uint8_t *b = d->data + at * d->bs, *e = b + 446 + 16 * i;

    e[4] = type;
    put32(e + 8, first);
    put32(e + 12, count);
    b[510] = 0x55;
    b[511] = 0xAA;
}

static void test_no_table(void **state)
{
    struct disk d = mem_disk(512, 2048);

    (void)state;
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.scheme, PART_NONE);
    assert_int_equal(table.count, 0);
    d.data[510] = 0x55;
    d.data[511] = 0xAA;                 /* a signature, no entries: an MBR without partitions */
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.scheme, PART_MBR);
    assert_int_equal(table.count, 0);
    free(d.data);
}

/* EBR at 100 -> 150 -> 150 again: two logical partitions, then the loop is seen. */
static void test_mbr_extended_loop(void **state)
{
    struct disk d = mem_disk(512, 2048);

    (void)state;
    mbr_set(&d, 0, 0, 0x83, 10, 50);
    mbr_set(&d, 0, 1, 0x05, 100, 1000);
    mbr_set(&d, 100, 0, 0x83, 1, 20);
    mbr_set(&d, 100, 1, 0x05, 50, 100);
    mbr_set(&d, 150, 0, 0x07, 2, 30);
    mbr_set(&d, 150, 1, 0x05, 50, 100);
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.count, 3);
    assert_int_equal(table.part[1].index, 5);
    assert_int_equal(table.part[1].first, 101);
    assert_int_equal(table.part[2].index, 6);
    assert_int_equal(table.part[2].first, 152);
    assert_int_equal(table.part[2].mbr_type, 0x07);
    assert_non_null(strstr(table.warning, "loops back to block 150"));
    assert_int_equal(d.reads, 3);
    free(d.data);
}

/* A chain of 100 records, each to the next: followed PART_EBR_MAX links, partitions capped. */
static void test_mbr_extended_long_chain(void **state)
{
    struct disk d = mem_disk(512, 4096);

    (void)state;
    mbr_set(&d, 0, 0, 0x05, 1000, 3000);
    for (unsigned i = 0; i < 100; i++) {
        mbr_set(&d, 1000 + 10 * i, 0, 0x83, 1, 5);
        mbr_set(&d, 1000 + 10 * i, 1, 0x05, 10 * (i + 1), 10);
    }
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.count, PART_MAX);
    assert_int_equal(table.part[PART_MAX - 1].index, 4 + PART_MAX);
    assert_int_equal(d.reads, 1 + PART_EBR_MAX);
    assert_int_equal(table.warnings, PART_EBR_MAX - PART_MAX + 1);
    free(d.data);
}

/* Partitions and links outside the disk or their extended partition are left out. */
static void test_mbr_outside(void **state)
{
    struct disk d = mem_disk(512, 2048);

    (void)state;
    mbr_set(&d, 0, 0, 0x83, 2000, 100);          /* past the end */
    mbr_set(&d, 0, 1, 0x83, 0, 10);              /* over the MBR itself */
    mbr_set(&d, 0, 2, 0x0c, 64, 64);
    mbr_set(&d, 0, 3, 0x0f, 500, 100);
    mbr_set(&d, 500, 0, 0x83, 10, 200);          /* beyond its extended partition */
    mbr_set(&d, 500, 1, 0x05, 100, 10);          /* a link past its extended partition */
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.count, 1);
    assert_int_equal(table.part[0].index, 3);
    assert_int_equal(table.warnings, 4);
    assert_non_null(strstr(table.warning, "partition 1 (first block 2000) is not inside"));
    free(d.data);
}

/* A GPT on 4096-byte blocks, written here: protective MBR, header at 1, entries at 2. */
static void test_gpt_4096(void **state)
{
    struct disk d = mem_disk(4096, 1024);
    uint8_t *h = d.data + 4096, *e = d.data + 2 * 4096;

    (void)state;
    mbr_set(&d, 0, 0, 0xEE, 1, 1023);
    memset(e, 0x11, 16);                         /* type GUID */
    memset(e + 16, 0x22, 16);                    /* unique GUID */
    put64(e + 32, 256);
    put64(e + 40, 511);
    memcpy(h, "EFI PART", 8);
    put32(h + 8, 0x10000);
    put32(h + 12, 92);
    put64(h + 24, 1);
    put64(h + 32, 1023);
    put64(h + 40, 6);
    put64(h + 48, 1018);
    put64(h + 72, 2);
    put32(h + 80, 128);
    put32(h + 84, 128);
    put32(h + 88, crc32_update(0, e, 128 * 128));
    put32(h + 16, crc32_update(0, h, 92));
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.scheme, PART_GPT);
    assert_int_equal(table.count, 1);
    assert_int_equal(table.part[0].first, 256);
    assert_int_equal(table.part[0].count, 256);
    assert_int_equal(table.part[0].guid[0], 0x22);
    h[8] ^= 1;                                   /* now no good header anywhere */
    assert_int_equal(parse(&d), 0);
    assert_int_equal(table.count, 0);
    free(d.data);
}

/* A read error at any block the parser reads is returned, not taken for "no table". */
static void test_read_errors(void **state)
{
    struct disk d;

    (void)state;
    make_gpt(&d);
    for (uint64_t b = 0; b < 4; b++) {
        d.fail_block = b;
        assert_int_equal(parse(&d), -5);
    }
    d.fail_block = d.blocks - 1;
    assert_int_equal(parse(&d), 0);      /* a good primary: the backup is never read */
    assert_int_equal(table.count, 3);
    free(d.data);
    unlink(img_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_known_values),
        cmocka_unit_test(test_mbr_extended_from_sfdisk),
        cmocka_unit_test(test_gpt_from_sgdisk),
        cmocka_unit_test(test_gpt_primary_header_damaged),
        cmocka_unit_test(test_gpt_primary_entries_damaged),
        cmocka_unit_test(test_gpt_both_damaged),
        cmocka_unit_test(test_no_table),
        cmocka_unit_test(test_mbr_extended_loop),
        cmocka_unit_test(test_mbr_extended_long_chain),
        cmocka_unit_test(test_mbr_outside),
        cmocka_unit_test(test_gpt_4096),
        cmocka_unit_test(test_read_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
