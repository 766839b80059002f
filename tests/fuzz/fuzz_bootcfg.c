/*
 * fuzz_bootcfg.c - libFuzzer target for the boot.cfg parser: any byte string
 * must parse or fail cleanly (only a NUL byte refuses the file), a parse
 * leaves NUL-terminated, in-bounds fields, and every skipped line is
 * reported with a reason and a line number inside the text.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_warning(void *ctx, unsigned line, int why, const char *key, size_t key_len)
{
    const size_t *size = ctx;

    if (line == 0 || line > *size + 1 || why <= BOOTCFG_OK || why >= BOOTCFG_ERR_NUL || key_len > *size)
        __builtin_trap();
    (void)key;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bootcfg cfg;
    unsigned line;
    int err = bootcfg_parse((const char *)data, size, &cfg, &line, check_warning, &size);

    if (err == BOOTCFG_OK) {
        if (!memchr(cfg.cmdline, 0, sizeof cfg.cmdline))
            __builtin_trap();
        if (cfg.module_count > BOOTCFG_MAX_MODULES)
            __builtin_trap();
        for (unsigned i = 0; i < cfg.module_count; i++)
            if (cfg.modules[i][0] != '/')
                __builtin_trap();
    } else if (err != BOOTCFG_ERR_NUL || line == 0) {
        __builtin_trap();   /* only a NUL byte refuses the file, and it names its line */
    }
    return 0;
}
