/*
 * test_ata_identify.c - host unit tests for drivers/ata/ata_identify.c:
 * IDENTIFY DEVICE blocks made by hand, word by word as ACS-3 section
 * 7.12.7 lays them out, and what the parser must make of them (the
 * expected values are the spec's, written here, not the parser's).
 */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <string.h>

#include "ata/ata_identify.h"

static uint16_t w[ATA_IDENTIFY_WORDS];

/* An ATA string as a device stores it: two characters a word, the first in the high byte, space-padded. */
static void put_string(unsigned first, unsigned nwords, const char *s)
{
    size_t len = strlen(s);

    for (unsigned i = 0; i < nwords; i++) {
        unsigned char hi = 2 * i < len ? (unsigned char)s[2 * i] : ' ';
        unsigned char lo = 2 * i + 1 < len ? (unsigned char)s[2 * i + 1] : ' ';
        w[first + i] = (uint16_t)(hi << 8 | lo);
    }
}

/* Sign the block: word 255 = checksum << 8 | 0xA5, all 512 bytes summing to 0. */
static void sign(void)
{
    uint8_t sum = 0xA5;

    for (unsigned i = 0; i < 255; i++)
        sum = (uint8_t)(sum + (w[i] & 0xFF) + (w[i] >> 8));
    w[255] = (uint16_t)((uint8_t)(0 - sum) << 8 | 0xA5);
}

/* A SATA disk like QEMU's ide-hd: LBA48, 2^33 + 5 sectors, write cache on, NCQ depth 32. */
static void sata_disk(void)
{
    memset(w, 0, sizeof w);
    w[0] = 0x0040;                              /* fixed device, ATA */
    put_string(10, 10, "QM00001");
    put_string(23, 4, "2.5+");
    put_string(27, 20, "QEMU HARDDISK");
    w[49] = 1u << 9 | 1u << 8;                  /* LBA, DMA */
    w[60] = 0xFFFF; w[61] = 0x0FFF;             /* LBA28 capacity: saturated */
    w[75] = 31;                                 /* queue depth 32 */
    w[76] = 1u << 8;                            /* NCQ */
    w[82] = 1u << 5; w[85] = 1u << 5;           /* write cache supported, enabled */
    w[83] = 1u << 14 | 1u << 13 | 1u << 10;     /* FLUSH CACHE EXT, LBA48 */
    w[100] = 0x0005; w[101] = 0x0000; w[102] = 0x0002; w[103] = 0x0000;
}

static struct ata_identity parse_ok(void)
{
    struct ata_identity id;
    const char *why = "";
    int rc = ata_identify_parse(w, &id, &why);

    if (rc != 0)
        fail_msg("refused: %s", why);
    return id;
}

static const char *parse_refused(void)
{
    struct ata_identity id;
    const char *why = 0;

    assert_int_equal(ata_identify_parse(w, &id, &why), -1);
    assert_non_null(why);
    return why;
}

static void test_sata_disk(void **state)
{
    (void)state;
    sata_disk();
    struct ata_identity id = parse_ok();
    assert_string_equal(id.model, "QEMU HARDDISK");
    assert_string_equal(id.serial, "QM00001");
    assert_string_equal(id.firmware, "2.5+");
    assert_true(id.sectors == (2ULL << 32 | 5));
    assert_int_equal(id.logical_size, 512);
    assert_int_equal(id.physical_size, 512);
    assert_true(id.lba48 && id.flush_ext && id.write_cache && id.ncq);
    assert_int_equal(id.ncq_depth, 32);
}

static void test_signed_block_checked(void **state)
{
    (void)state;
    sata_disk();
    sign();
    parse_ok();
    w[27] ^= 0x0100;                            /* one bit of the model changed after signing */
    assert_non_null(strstr(parse_refused(), "integrity"));
}

/* 512-byte logical sectors, eight to a 4096-byte physical one (word 106 = 0x6003). */
static void test_512e_physical_4k(void **state)
{
    (void)state;
    sata_disk();
    w[106] = 0x4000 | 1u << 13 | 3;
    struct ata_identity id = parse_ok();
    assert_int_equal(id.logical_size, 512);
    assert_int_equal(id.physical_size, 4096);
}

/* 4096-byte logical sectors: word 106 bit 12, words 117-118 = 2048 words. */
static void test_4kn_logical(void **state)
{
    (void)state;
    sata_disk();
    w[106] = 0x4000 | 1u << 12;
    w[117] = 2048; w[118] = 0;
    struct ata_identity id = parse_ok();
    assert_int_equal(id.logical_size, 4096);
    assert_int_equal(id.physical_size, 4096);
}

/* Word 106 without its validity pattern (bit 14 set, 15 clear) says nothing: 512 both. */
static void test_sector_word_not_valid(void **state)
{
    (void)state;
    sata_disk();
    w[106] = 0x8000 | 1u << 13 | 3;
    struct ata_identity id = parse_ok();
    assert_int_equal(id.physical_size, 512);
}

static void test_impossible_logical_size(void **state)
{
    (void)state;
    sata_disk();
    w[106] = 0x4000 | 1u << 12;
    w[117] = 100; w[118] = 0;                   /* 200 bytes: not a sector size */
    assert_non_null(strstr(parse_refused(), "sector size"));
}

/* No LBA48: the capacity of words 60-61, no FLUSH CACHE EXT even if word 83 bit 13 says so. */
static void test_lba28_only(void **state)
{
    (void)state;
    sata_disk();
    w[83] = 1u << 14 | 1u << 13;
    w[60] = 0x5678; w[61] = 0x0123;
    struct ata_identity id = parse_ok();
    assert_false(id.lba48);
    assert_false(id.flush_ext);
    assert_true(id.sectors == 0x01235678);
}

/* NCQ needs word 76 bit 8 in a filled word: 0xFFFF is an unfilled word, not "everything". */
static void test_ncq_absent(void **state)
{
    (void)state;
    sata_disk();
    w[76] = 0;
    struct ata_identity id = parse_ok();
    assert_false(id.ncq);
    assert_int_equal(id.ncq_depth, 0);
    w[76] = 0xFFFF;
    id = parse_ok();
    assert_false(id.ncq);
    w[76] = 1u << 8;
    w[75] = 3;
    id = parse_ok();
    assert_int_equal(id.ncq_depth, 4);
}

static void test_write_cache_disabled(void **state)
{
    (void)state;
    sata_disk();
    w[85] = 0;
    assert_false(parse_ok().write_cache);
}

static void test_refusals(void **state)
{
    (void)state;
    sata_disk();
    w[0] = 0x8580;                              /* an ATAPI CD-ROM's word 0 */
    assert_non_null(strstr(parse_refused(), "ATAPI"));
    sata_disk();
    w[49] = 0;
    assert_non_null(strstr(parse_refused(), "LBA"));
    sata_disk();
    memset(&w[100], 0, 8);
    assert_non_null(strstr(parse_refused(), "capacity"));
}

/* Strings: byte-swapped, trimmed at both ends, NULs as spaces, the unprintable as '?'. */
static void test_strings(void **state)
{
    char out[ATA_MODEL_LEN + 1];

    (void)state;
    memset(w, 0, sizeof w);
    put_string(27, 20, "   WDC WD10EZEX-00B");
    ata_identify_string(w, 27, 20, out);
    assert_string_equal(out, "WDC WD10EZEX-00B");
    w[27] = 0x4101;                             /* 'A', then a control character */
    w[28] = 0x0000;
    ata_identify_string(w, 27, 2, out);
    assert_string_equal(out, "A?");
    memset(w, 0, sizeof w);
    ata_identify_string(w, 27, 20, out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sata_disk),
        cmocka_unit_test(test_signed_block_checked),
        cmocka_unit_test(test_512e_physical_4k),
        cmocka_unit_test(test_4kn_logical),
        cmocka_unit_test(test_sector_word_not_valid),
        cmocka_unit_test(test_impossible_logical_size),
        cmocka_unit_test(test_lba28_only),
        cmocka_unit_test(test_ncq_absent),
        cmocka_unit_test(test_write_cache_disabled),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
