/*
 * fuzz_bootcfg.c - libFuzzer target for the boot.cfg parser: any byte string
 * must parse or be refused cleanly by one rule of BOOTRULES_CFG with a line
 * inside the text (none for cfg-size only); a parse leaves NUL-terminated,
 * in-bounds fields; every unknown key reported has a line inside the text.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_warning(void *ctx, unsigned line, const char *key, size_t key_len)
{
    const size_t *size = ctx;

    if (line == 0 || line > *size + 1 || key_len == 0 || key_len > *size)
        __builtin_trap();
    (void)key;
}

static int is_cfg_rule(int rule)
{
    return rule >= BOOTRULE_CFG_SIZE && rule <= BOOTRULE_CFG_PATH_LENGTH;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bootcfg cfg;
    unsigned line;
    int rule = bootcfg_parse((const char *)data, size, &cfg, &line, check_warning, &size);

    if (rule == BOOTRULE_OK) {
        if (!memchr(cfg.cmdline, 0, sizeof cfg.cmdline))
            __builtin_trap();
        if (cfg.module_count > BOOTCFG_MODULES_MAX)
            __builtin_trap();
        for (unsigned i = 0; i < cfg.module_count; i++)
            if (cfg.modules[i][0] != '/' || !memchr(cfg.modules[i], 0, sizeof cfg.modules[i]))
                __builtin_trap();
    } else if (!is_cfg_rule(rule) || (line == 0) != (rule == BOOTRULE_CFG_SIZE) ||
               line > size + 1) {
        __builtin_trap();
    }
    return 0;
}
