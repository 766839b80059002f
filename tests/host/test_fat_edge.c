/*
 * test_fat_edge.c - the FAT core (kernel/fs/fat/) at its edges: names
 * (short-name generation with ~N tails, checksums, UTF-8 that FAT cannot
 * hold, characters past U+FFFF as surrogate pairs), a full disk (ENOSPC
 * with nothing corrupted, the free count and FSInfo right: fsck.fat -n
 * checks both), and damaged volumes: boot sectors that must be refused,
 * and chains that loop or leave the volume, which must give -EIO, turn the
 * volume read-only and name the damage, never crash.
 */
#include "fat_host.h"

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "errno.h"
#include "fs/fat/fat_layout.h"

static const struct fat_kind fat12 = {"fat12", "-F 12 -S 512 -s 1", 1440, 12};
static const struct fat_kind fat16 = {"fat16", "-F 16 -S 512 -s 4", 20000, 16};
static const struct fat_kind fat32 = {"fat32", "-F 32 -S 512 -s 1", 34000, 32};

static uint8_t *load(const char *img, size_t *size);

static void basis(const char *name, const char *want, int exact)
{
    uint16_t u[256];
    uint8_t out[11], nt;
    int n = fat_utf8_to_16(name, strlen(name), u, 255);

    assert_true(n > 0);
    assert_int_equal(fat_short_basis(u, (unsigned)n, out, &nt), exact);
    assert_memory_equal(out, want, 11);
}

static void test_short_names(void **state)
{
    uint8_t name[11];

    (void)state;
    basis("README.TXT", "README  TXT", 1);
    basis("readme.txt", "README  TXT", 1);        /* NTRes keeps the case */
    basis("ReadMe.txt", "README  TXT", 0);        /* mixed case: a long name */
    basis("a long name.html", "ALONGNAMHTM", 0);
    basis(".bashrc", "BASHRC     ", 0);
    basis("x+y=z.c", "X_Y_Z   C  ", 0);
    basis("a.b.c", "AB      C  ", 0);
    basis("Ünï.txt", "_N_     TXT", 0);
    memcpy(name, "ALONGNAMHTM", 11);
    fat_short_with_tail(name, 1);
    assert_memory_equal(name, "ALONGN~1HTM", 11);
    memcpy(name, "AB      C  ", 11);
    fat_short_with_tail(name, 123);
    assert_memory_equal(name, "AB~123  C  ", 11);
}

/* The checksum (section 7.2) and the short name of a long name, as mtools writes them. */
static void test_checksum_as_mtools(void **state)
{
    char img[128], src[160];
    size_t size;

    (void)state;
    fat_mkimage(img, sizeof img, &fat12, "chk");
    snprintf(src, sizeof src, "%s/a long name.html", fat_tmp);
    assert_int_equal(fat_sh("echo x > '%s' && mcopy -i '%s' '%s' ::", src, img, src), 0);
    uint8_t *mem = load(img, &size);
    const uint8_t *root = mem + 512 * (1 + 2 * fat_rd16(mem + BPB_FATSz16));
    assert_int_equal(root[LDIR_Ord], 0x42);                             /* two long entries... */
    assert_int_equal(root[32 + LDIR_Ord], 0x01);
    assert_memory_equal(root + 64, "ALONGN~1HTM", 11);                 /* ...then the short one */
    assert_int_equal(fat_checksum(root + 64), root[LDIR_Chksum]);
    assert_int_equal(fat_checksum(root + 64), root[32 + LDIR_Chksum]);
    free(mem);
}

static void test_utf8_names(void **state)
{
    uint16_t u[300];
    char out[800], long_name[300];

    (void)state;
    assert_int_equal(fat_utf8_to_16("\xC3\x28", 2, u, 255), -EINVAL);         /* bad UTF-8 */
    assert_int_equal(fat_utf8_to_16("\xC0\xAF", 2, u, 255), -EINVAL);         /* overlong '/' */
    assert_int_equal(fat_utf8_to_16("\xED\xA0\x80", 3, u, 255), -EINVAL);     /* a surrogate */
    assert_int_equal(fat_utf8_to_16("a:b", 3, u, 255), -EINVAL);              /* forbidden by section 7 */
    memset(long_name, 'x', 256);
    assert_int_equal(fat_utf8_to_16(long_name, 255, u, 255), 255);
    assert_int_equal(fat_utf8_to_16(long_name, 256, u, 255), -ENAMETOOLONG);
    assert_int_equal(fat_utf8_to_16("😀", 4, u, 255), 2);
    assert_int_equal(u[0], 0xD83D);
    assert_int_equal(u[1], 0xDE00);
    assert_int_equal(fat_utf16_to_8(u, 2, out, sizeof out), 4);
    assert_string_equal(out, "😀");
    u[0] = 0xDC00;                                                            /* unpaired */
    assert_int_equal(fat_utf16_to_8(u, 1, out, sizeof out), 3);
    assert_string_equal(out, "\xEF\xBF\xBD");
}

static int count(void *ctx, const char *name, size_t len, uint64_t ino, int is_dir)
{
    (void)name, (void)len, (void)ino, (void)is_dir;
    ++*(unsigned *)ctx;
    return 0;
}

/* Names the core writes and reads itself: past U+FFFF, 255 units, many with one basis. */
static void test_names_round_trip(void **state)
{
    char img[128], name[300];
    struct fat_mounted m;
    struct fat_node root, n;
    unsigned entries = 0;

    (void)state;
    fat_mkimage(img, sizeof img, &fat16, "names");
    assert_int_equal(fat_mount_image(&m, img, 0), 0);
    fat_root(&m.v, &root);
    assert_int_equal(fat_create(&m.v, &root, "emoji 😀 name.txt", 19, 0, &n), 0);
    assert_int_equal(fat_walk(&m.v, "EMOJI 😀 NAME.TXT", &n), 0);
    memset(name, 'y', 256);
    assert_int_equal(fat_create(&m.v, &root, name, 255, 0, &n), 0);
    assert_int_equal(fat_create(&m.v, &root, name, 256, 0, &n), -ENAMETOOLONG);
    assert_int_equal(fat_create(&m.v, &root, "bad?name", 8, 0, &n), -EINVAL);
    assert_int_equal(fat_create(&m.v, &root, "trailing.", 9, 0, &n), -EINVAL);
    for (int i = 0; i < 120; i++) {                /* one basis, ~1 .. ~120 */
        snprintf(name, sizeof name, "same prefix %d.txt", i);
        assert_int_equal(fat_create(&m.v, &root, name, strlen(name), 0, &n), 0);
    }
    uint64_t cookie = 0;
    assert_int_equal(fat_readdir(&m.v, &root, &cookie, count, &entries), 0);
    assert_int_equal(entries, 2 + 2 + 120);
    fat_unmount(&m);
    assert_true(fat_fsck_clean(img));
    char *listing = fat_capture(NULL, "mdir -i '%s' :: | grep -c '^SAME.*~'", img);
    assert_int_equal(atoi(listing), 120);          /* every short name unique, as fsck.fat checked */
    free(listing);
}

/* Fill the volume: ENOSPC, nothing corrupted, free count 0; free one file and write again. */
static void full_disk(const struct fat_kind *k)
{
    char img[128], name[64];
    struct fat_mounted m;
    struct fat_node root, dir, n;
    static uint8_t chunk[50000];
    long r = 0;
    int files = 0;

    fat_mkimage(img, sizeof img, k, k->name);
    assert_int_equal(fat_mount_image(&m, img, 0), 0);
    fat_root(&m.v, &root);
    assert_int_equal(fat_create(&m.v, &root, "fill", 4, 1, &dir), 0);
    fat_fill(chunk, sizeof chunk, 3);
    while (r >= 0) {
        snprintf(name, sizeof name, "fill file %d.bin", files++);
        if ((r = fat_create(&m.v, &dir, name, strlen(name), 0, &n)) != 0)
            break;
        r = fat_write(&m.v, &n, chunk, sizeof chunk, 0);
        if (r != (long)sizeof chunk)
            break;
    }
    assert_true(r == -ENOSPC || (r >= 0 && r < (long)sizeof chunk));
    assert_int_equal(m.v.free_count, 0);
    assert_int_equal(fat_write(&m.v, &n, chunk, 1, n.size), -ENOSPC);
    assert_int_equal(fat_create(&m.v, &root, "newdir", 6, 1, &n), -ENOSPC);
    fat_unmount(&m);
    if (!fat_fsck_clean(img))
        fail_msg("fsck.fat -n: %s", fat_capture(NULL, "fsck.fat -n '%s' 2>&1", img));
    /* the partly written last file holds what its size says */
    size_t len;
    snprintf(name, sizeof name, "fill file %d.bin", files - 1);
    char *bytes = fat_capture(&len, "mtype -i '%s' '::fill/%s'", img, name);
    assert_true(len < sizeof chunk);
    assert_memory_equal(bytes, chunk, len);
    free(bytes);
    /* room again after an unlink */
    assert_int_equal(fat_mount_image(&m, img, 0), 0);
    assert_int_equal(m.v.free_count, 0);
    assert_int_equal(fat_walk(&m.v, "fill", &dir), 0);
    assert_int_equal(fat_unlink(&m.v, &dir, "fill file 0.bin", 15, 1), 0);
    assert_true(m.v.free_count > 0);
    assert_int_equal(fat_create(&m.v, &dir, "after", 5, 0, &n), 0);
    assert_int_equal(fat_write(&m.v, &n, chunk, 1000, 0), 1000);
    fat_unmount(&m);
    assert_true(fat_fsck_clean(img));
}

static void test_full_disk_fat12(void **state) { (void)state; full_disk(&fat12); }
static void test_full_disk_fat16(void **state) { (void)state; full_disk(&fat16); }
static void test_full_disk_fat32(void **state) { (void)state; full_disk(&fat32); }

/* An image in memory, changed by `poke`, must be refused with a warning. */
static uint8_t *load(const char *img, size_t *size)
{
    FILE *f = fopen(img, "rb");
    uint8_t *mem;

    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    mem = malloc(*size);
    assert_int_equal(fread(mem, 1, *size, f), *size);
    fclose(f);
    return mem;
}

static int mount_mem(struct fat_mounted *m, uint8_t *mem, size_t size)
{
    fsio_mem_open(&m->h, mem, size, 512);
    return fat_mount(&m->v, &m->h.io, "mem", 0);
}

struct poke {
    const char *what;
    unsigned off, bytes;
    uint32_t value;
};

static void refused(const struct fat_kind *k, const struct poke *p, unsigned n)
{
    char img[128];
    size_t size;
    struct fat_mounted m;

    fat_mkimage(img, sizeof img, k, "bad");
    uint8_t *orig = load(img, &size), *mem = malloc(size);
    memcpy(mem, orig, size);
    assert_int_equal(mount_mem(&m, mem, size), 0);
    for (unsigned i = 0; i < n; i++) {
        memcpy(mem, orig, 4096);
        for (unsigned b = 0; b < p[i].bytes; b++)
            mem[p[i].off + b] = (uint8_t)(p[i].value >> (8 * b));
        int err = mount_mem(&m, mem, size);
        if (err == 0 || m.v.warning[0] == '\0')
            fail_msg("%s: mounted (%d)", p[i].what, err);
        print_message("    %s: %d [fat] mem: %s\n", p[i].what, err, m.v.warning);
    }
    free(mem);
    free(orig);
}

static void test_bad_boot_sectors_refused(void **state)
{
    static const struct poke common[] = {
        {"no signature", BS_Signature, 2, 0},
        {"sector size 1000", BPB_BytsPerSec, 2, 1000},
        {"sector size 1024 on 512-byte I/O", BPB_BytsPerSec, 2, 1024},
        {"3 sectors per cluster", BPB_SecPerClus, 1, 3},
        {"0 sectors per cluster", BPB_SecPerClus, 1, 0},
        {"no reserved sector", BPB_RsvdSecCnt, 2, 0},
        {"no FAT", BPB_NumFATs, 1, 0},
        {"200 FATs", BPB_NumFATs, 1, 200},
        {"volume past the device", BPB_TotSec16, 2, 0xFFFF},
        {"FAT of 1 sector", BPB_FATSz16, 2, 1},
        {"reserved area over everything", BPB_RsvdSecCnt, 2, 0xFFFF},
    };
    static const struct poke fat32_only[] = {
        {"root cluster 0", BPB_RootClus, 4, 0},
        {"root cluster past the end", BPB_RootClus, 4, 0x0FFFFFF0},
        {"FAT32 version 1", BPB_FSVer, 2, 1},
        {"root entries on FAT32", BPB_RootEntCnt, 2, 512},
        {"active FAT 3 of 2", BPB_ExtFlags, 2, 0x83},
    };
    struct poke fat16_tot[] = {{"FAT16 with 0 root entries", BPB_RootEntCnt, 2, 0}};

    (void)state;
    refused(&fat12, common, sizeof common / sizeof common[0]);
    refused(&fat16, fat16_tot, 1);
    refused(&fat32, fat32_only, sizeof fat32_only / sizeof fat32_only[0]);
}

/* Damage past mount: a chain that loops, a cluster outside the volume, a bad directory. */
static void test_damaged_chains(void **state)
{
    char img[128], src[160];
    size_t size;
    struct fat_mounted m;
    struct fat_node n;
    uint8_t buf[8192];

    (void)state;
    fat_mkimage(img, sizeof img, &fat16, "chain");
    snprintf(src, sizeof src, "%s/six.bin", fat_tmp);
    assert_int_equal(fat_sh("head -c 12000 /dev/zero > '%s' && mcopy -i '%s' '%s' ::six.bin && mmd -i '%s' ::d",
                            src, img, src, img), 0);
    uint8_t *mem = load(img, &size);
    assert_int_equal(mount_mem(&m, mem, size), 0);
    assert_int_equal(fat_walk(&m.v, "six.bin", &n), 0);
    uint32_t first = n.first_cluster, second;
    assert_int_equal(fat_get(&m.v, first, &second), 0);
    /* the second cluster points back at the first: a loop */
    assert_int_equal(fat_set(&m.v, second, first), 0);
    assert_int_equal(fat_read(&m.v, &n, buf, sizeof buf, 0), sizeof buf);     /* inside: fine */
    long r = 0;
    for (uint64_t pos = 0; r >= 0 && pos < 12000; pos += sizeof buf)
        r = fat_read(&m.v, &n, buf, sizeof buf, pos);
    assert_true(r >= 0);            /* the size bounds the walk: a loop is only read round */
    n.size = 0xFFFFFFF0;            /* a size the chain cannot hold: the walk must stop */
    m.v.read_only = 0;
    r = 0;
    for (uint64_t pos = 0; r >= 0 && pos < n.size; pos += sizeof buf)
        r = fat_read(&m.v, &n, buf, sizeof buf, pos);
    assert_int_equal(r, -EIO);
    assert_true(m.v.read_only);
    assert_non_null(strstr(m.v.warning, "loops"));
    print_message("    [fat] mem: %s\n", m.v.warning);
    /* a link out of the volume */
    assert_int_equal(mount_mem(&m, mem, size), 0);
    assert_int_equal(fat_set(&m.v, first, m.v.clusters + 10), 0);
    assert_int_equal(fat_walk(&m.v, "six.bin", &n), 0);
    assert_int_equal(fat_read(&m.v, &n, buf, sizeof buf, 0), 2048);    /* the first cluster */
    assert_int_equal(fat_read(&m.v, &n, buf, sizeof buf, 2048), -EIO);
    assert_true(m.v.read_only);
    assert_int_equal(fat_truncate(&m.v, &n, 0), -EROFS);
    print_message("    [fat] mem: %s\n", m.v.warning);
    /* a directory whose first cluster is outside the volume */
    assert_int_equal(mount_mem(&m, mem, size), 0);
    assert_int_equal(fat_walk(&m.v, "d", &n), 0);
    n.first_cluster = m.v.clusters + 5;
    assert_int_equal(fat_lookup(&m.v, &n, "x", 1, &n), -EIO);
    free(mem);
}

/* FSInfo: the free count and the hint written at sync, a damaged one left alone. */
static void test_fsinfo_kept(void **state)
{
    char img[128];
    struct fat_mounted m;
    struct fat_node root, n;
    static uint8_t data[20000];

    (void)state;
    fat_mkimage(img, sizeof img, &fat32, "fsinfo");
    assert_int_equal(fat_mount_image(&m, img, 0), 0);
    uint32_t before = m.v.free_count;
    fat_root(&m.v, &root);
    assert_int_equal(fat_create(&m.v, &root, "f", 1, 0, &n), 0);
    assert_int_equal(fat_write(&m.v, &n, data, sizeof data, 0), sizeof data);
    assert_int_equal(m.v.free_count, before - 40);    /* 20000 bytes in 512-byte clusters */
    fat_unmount(&m);
    assert_true(fat_fsck_clean(img));                 /* fsck.fat compares FSInfo's count */
    size_t size;
    uint8_t *mem = load(img, &size);
    assert_int_equal(fat_rd32(mem + 512 + FSI_Free_Count), before - 40);
    mem[512 + FSI_StrucSig] ^= 1;                     /* damaged: mounts, warns, never written */
    assert_int_equal(mount_mem(&m, mem, size), 0);
    assert_non_null(strstr(m.v.warning, "FSInfo"));
    assert_int_equal(m.v.fsinfo_sector, 0);
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_names),
        cmocka_unit_test(test_checksum_as_mtools),
        cmocka_unit_test(test_utf8_names),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_full_disk_fat12),
        cmocka_unit_test(test_full_disk_fat16),
        cmocka_unit_test(test_full_disk_fat32),
        cmocka_unit_test(test_bad_boot_sectors_refused),
        cmocka_unit_test(test_damaged_chains),
        cmocka_unit_test(test_fsinfo_kept),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    fat_sh("rm -rf '%s'", fat_tmp);
    return r;
}
