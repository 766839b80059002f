/*
 * test_bootcfg.c - host tests for the boot.cfg parser (common/bootcfg.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "bootcfg.h"

struct warnings {
    unsigned count;
    unsigned last_line;
    int last_why;
    char last_key[32];
};

static void record_warning(void *ctx, unsigned line, int why, const char *key, size_t key_len)
{
    struct warnings *w = ctx;

    if (!w)
        return;
    w->count++;
    w->last_line = line;
    w->last_why = why;
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
    assert_int_equal(parse(text, &cfg, &line, &w), BOOTCFG_OK);
    assert_string_equal(cfg.cmdline, "loglevel=debug test");
    assert_int_equal(cfg.video_width, 1024);
    assert_int_equal(cfg.video_height, 768);
    assert_int_equal(cfg.video_bpp, 32);
    assert_int_equal(cfg.module_count, 2);
    assert_string_equal(cfg.modules[0], "/boot/initrd.tar");
    assert_string_equal(cfg.modules[1], "/boot/font.psf");
    assert_int_equal(w.count, 0);
}

static void test_crlf_and_no_final_newline(void **state)
{
    struct bootcfg cfg;
    unsigned line;

    (void)state;
    assert_int_equal(parse("video=800x600x16\r\ncmdline=a b\r\n", &cfg, &line, NULL), BOOTCFG_OK);
    assert_string_equal(cfg.cmdline, "a b");
    assert_int_equal(cfg.video_bpp, 16);
    assert_int_equal(parse("cmdline=last", &cfg, &line, NULL), BOOTCFG_OK);
    assert_string_equal(cfg.cmdline, "last");
}

static void test_unknown_key_reported_and_ignored(void **state)
{
    struct bootcfg cfg;
    struct warnings w = { 0 };
    unsigned line;

    (void)state;
    assert_int_equal(parse("cmdline=x\ntimeout=5\n", &cfg, &line, &w), BOOTCFG_OK);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.last_line, 2);
    assert_int_equal(w.last_why, BOOTCFG_ERR_UNKNOWN_KEY);
    assert_string_equal(w.last_key, "timeout");
    assert_string_equal(cfg.cmdline, "x");
    assert_int_equal(line, 2);
}

static void test_empty_file(void **state)
{
    struct bootcfg cfg;
    unsigned line;

    (void)state;
    assert_int_equal(bootcfg_parse("", 0, &cfg, &line, NULL, NULL), BOOTCFG_OK);
    assert_string_equal(cfg.cmdline, "");
    assert_int_equal(cfg.video_width, 0);
    assert_int_equal(cfg.module_count, 0);
}

/* The line is reported with its reason and skipped; the file still parses. */
static void expect_error(const char *text, int err, unsigned err_line)
{
    struct bootcfg cfg;
    struct warnings w = { 0 };
    unsigned line;

    assert_int_equal(parse(text, &cfg, &line, &w), BOOTCFG_OK);
    assert_int_equal(line, err_line);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.last_line, err_line);
    assert_int_equal(w.last_why, err);
    assert_true(strlen(bootcfg_strerror(err)) > 0);
}

static void test_bad_video(void **state)
{
    (void)state;
    expect_error("video=1024x768\n", BOOTCFG_ERR_BAD_VIDEO, 1);
    expect_error("#\nvideo=axbxc\n", BOOTCFG_ERR_BAD_VIDEO, 2);
    expect_error("video=1024x768x31\n", BOOTCFG_ERR_BAD_VIDEO, 1);
    expect_error("video=0x768x32\n", BOOTCFG_ERR_BAD_VIDEO, 1);
    expect_error("video=99999999999x768x32\n", BOOTCFG_ERR_BAD_VIDEO, 1);
    expect_error("video=1024x768x32junk\n", BOOTCFG_ERR_BAD_VIDEO, 1);
}

static void test_malformed_lines(void **state)
{
    char big[BOOTCFG_LINE_MAX + 16];

    (void)state;
    expect_error("cmdline=a\nno equals here\n", BOOTCFG_ERR_NO_EQUALS, 2);
    {   /* the lines around a bad one still count */
        struct bootcfg cfg;
        unsigned line;
        assert_int_equal(parse("cmdline=a\nvideo=big\nmodule=/m\n", &cfg, &line, NULL), BOOTCFG_OK);
        assert_string_equal(cfg.cmdline, "a");
        assert_int_equal(cfg.video_width, 0);
        assert_int_equal(cfg.module_count, 1);
    }
    expect_error("module=relative/path\n", BOOTCFG_ERR_BAD_MODULE, 1);
    memset(big, 'a', sizeof big);
    memcpy(big, "cmdline=", 8);
    big[sizeof big - 1] = '\0';
    expect_error(big, BOOTCFG_ERR_LINE_TOO_LONG, 1);
    memset(big, 'a', BOOTCFG_CMDLINE_MAX + 20);
    memcpy(big, "cmdline=", 8);
    big[BOOTCFG_CMDLINE_MAX + 20] = '\0';
    expect_error(big, BOOTCFG_ERR_VALUE_TOO_LONG, 1);
}

static void test_too_many_modules(void **state)
{
    char text[1024] = "";

    (void)state;
    for (int i = 0; i <= BOOTCFG_MAX_MODULES; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "module=/m%d\n", i);
    expect_error(text, BOOTCFG_ERR_TOO_MANY_MODULES, BOOTCFG_MAX_MODULES + 1);
}

static void test_nul_byte_rejected(void **state)
{
    struct bootcfg cfg;
    unsigned line;

    (void)state;
    assert_int_equal(bootcfg_parse("cmdline=a\0b\n", 12, &cfg, &line, NULL, NULL), BOOTCFG_ERR_NUL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_crlf_and_no_final_newline),
        cmocka_unit_test(test_unknown_key_reported_and_ignored),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_bad_video),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_too_many_modules),
        cmocka_unit_test(test_nul_byte_rejected),
    };
    return cmocka_run_group_tests_name("bootcfg", tests, NULL, NULL);
}
