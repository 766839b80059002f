/*
 * fuzz_bootcfg.c - libFuzzer target for the boot.cfg parser: any byte string
 * must parse or fail cleanly, and a successful parse leaves NUL-terminated,
 * in-bounds fields.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bootcfg cfg;
    unsigned line;

    if (bootcfg_parse((const char *)data, size, &cfg, &line, NULL, NULL) == BOOTCFG_OK) {
        if (!memchr(cfg.cmdline, 0, sizeof cfg.cmdline))
            __builtin_trap();
        if (cfg.module_count > BOOTCFG_MAX_MODULES)
            __builtin_trap();
        for (unsigned i = 0; i < cfg.module_count; i++)
            if (cfg.modules[i][0] != '/')
                __builtin_trap();
    } else if (line == 0) {
        __builtin_trap();   /* an error always names its line */
    }
    return 0;
}
