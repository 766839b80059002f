/*
 * test_bootcfg.c - host tests for the boot.cfg parser (common/bootcfg.c):
 * what a good file gives, and every row of the corpus tests/rules/cfg.txt
 * (the verdict, the rule's name and its line, as both loaders must give
 * them; tests/rules/boot.sh boots a sample of the same rows).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "../rules/table.h"

#define CORPUS "tests/rules/cfg.txt"
#define CORPUS_DIR "tests/rules/cfg/"

struct warnings {
    unsigned count;
    unsigned last_line;
    char last_key[32];
};

static void record_warning(void *ctx, unsigned line, const char *key, size_t key_len)
{
    struct warnings *w = ctx;

    if (!w)
        return;
    w->count++;
    w->last_line = line;
    snprintf(w->last_key, sizeof w->last_key, "%.*s", (int)key_len, key);
}

static int parse(const char *text, struct bootcfg *cfg, unsigned *line, struct warnings *w)
{
    return bootcfg_parse(text, strlen(text), cfg, line, record_warning, w);
}

static void test_full_file(void **state)
{
    struct bootcfg cfg;
    struct warnings w = { 0 };
    unsigned line;
    const char *text =
        "# Tessera\n"
        "\n"
        "cmdline=loglevel=debug test\n"
        "video=1024x768x32\n"
        "module=/boot/initrd.tar\n"
        "module = /boot/font.psf \n";

    (void)state;
    assert_int_equal(parse(text, &cfg, &line, &w), BOOTRULE_OK);
    assert_string_equal(cfg.cmdline, "loglevel=debug test");
    assert_int_equal(cfg.video_width, 1024);
    assert_int_equal(cfg.video_height, 768);
    assert_int_equal(cfg.video_bpp, 32);
    assert_int_equal(cfg.module_count, 2);
    assert_string_equal(cfg.modules[0], "/boot/initrd.tar");
    assert_string_equal(cfg.modules[1], "/boot/font.psf");
    assert_int_equal(w.count, 0);
    assert_int_equal(line, 0);
}

static void test_crlf_and_no_final_newline(void **state)
{
    struct bootcfg cfg;
    unsigned line;

    (void)state;
    assert_int_equal(parse("video=800X600x16\r\ncmdline=a b\r\n", &cfg, &line, NULL), BOOTRULE_OK);
    assert_string_equal(cfg.cmdline, "a b");
    assert_int_equal(cfg.video_bpp, 16);
    assert_int_equal(parse("cmdline=last", &cfg, &line, NULL), BOOTRULE_OK);
    assert_string_equal(cfg.cmdline, "last");
}

static void test_unknown_key_reported_and_ignored(void **state)
{
    struct bootcfg cfg;
    struct warnings w = { 0 };
    unsigned line;

    (void)state;
    assert_int_equal(parse("cmdline=x\ntimeout=5\n", &cfg, &line, &w), BOOTRULE_OK);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.last_line, 2);
    assert_string_equal(w.last_key, "timeout");
    assert_string_equal(cfg.cmdline, "x");
    assert_int_equal(line, 0);
}

/* A value at its limit is kept whole; one byte more refuses the file. */
static void test_limits_are_exact(void **state)
{
    static char text[BOOTCFG_CMDLINE_MAX + 32];
    struct bootcfg cfg;
    unsigned line;

    (void)state;
    memcpy(text, "cmdline=", 8);
    memset(text + 8, 'a', BOOTCFG_CMDLINE_MAX);
    text[8 + BOOTCFG_CMDLINE_MAX] = '\0';
    assert_int_equal(parse(text, &cfg, &line, NULL), BOOTRULE_OK);
    assert_int_equal(strlen(cfg.cmdline), BOOTCFG_CMDLINE_MAX);
    strcat(text, "a");
    assert_int_equal(parse(text, &cfg, &line, NULL), BOOTRULE_CFG_CMDLINE);
    assert_int_equal(line, 1);
    assert_string_equal(cfg.cmdline, "");           /* nothing half-set */
}

/* Every rule has a name and a text, and the texts name the limits. */
static void test_rule_words(void **state)
{
    (void)state;
    for (int r = BOOTRULE_CFG_SIZE; r < BOOTRULE_COUNT; r++) {
        assert_true(strlen(bootrule_name(r)) > 3);
        assert_true(strlen(bootrule_text(r)) > 3);
    }
    assert_non_null(strstr(bootrule_text(BOOTRULE_CFG_CMDLINE), "2047"));
    assert_non_null(strstr(bootrule_text(BOOTRULE_CFG_MODULES), "16"));
    assert_string_equal(bootrule_name(BOOTRULE_CFG_PATH_LENGTH), "cfg-path-length");
}

/* The file of a corpus row into a malloc'd buffer; *len its size. */
static char *read_case(const char *name, size_t *len)
{
    char path[256];
    FILE *f;
    char *buf = malloc(BOOTCFG_FILE_MAX * 2);

    snprintf(path, sizeof path, CORPUS_DIR "%s.cfg", name);
    f = fopen(path, "rb");
    assert_non_null(f);
    *len = fread(buf, 1, BOOTCFG_FILE_MAX * 2, f);
    fclose(f);
    return buf;
}

/* One row: NAME accept|refuse RULE LINE. 0 when the parser agrees. */
static int check_row(const struct table_row *row)
{
    struct bootcfg cfg;
    unsigned line;
    size_t len;
    char *text = read_case(row->field[0], &len);
    int rule = bootcfg_parse(text, len, &cfg, &line, NULL, NULL);
    int want_accept = strcmp(row->field[1], "accept") == 0;
    int ok = want_accept ? rule == BOOTRULE_OK
                         : strcmp(bootrule_name(rule), row->field[2]) == 0 &&
                               line == (unsigned)atoi(row->field[3]);

    if (!ok)
        fprintf(stderr, "cfg.txt: %s: want %s %s line %s, got %s line %u\n", row->field[0],
                row->field[1], row->field[2], row->field[3], bootrule_name(rule), line);
    free(text);
    return ok ? 0 : 1;
}

static void test_corpus(void **state)
{
    int rows;

    (void)state;
    assert_int_equal(table_run(CORPUS, check_row, BOOTRULE_CFG_SIZE, BOOTRULE_CFG_PATH_LENGTH, &rows), 0);
    assert_true(rows > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_crlf_and_no_final_newline),
        cmocka_unit_test(test_unknown_key_reported_and_ignored),
        cmocka_unit_test(test_limits_are_exact),
        cmocka_unit_test(test_rule_words),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests_name("bootcfg", tests, NULL, NULL);
}
