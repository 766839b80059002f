/*
 * bootcfg.h - the /boot/boot.cfg format, shared by the UEFI loader, the
 * fuzzer and the host tests (the BIOS loader parses the same format in
 * NASM, bootloader-bios/config.asm, under the same rules).
 *
 * The format: `key=value` lines; `#` starts a comment line; blank lines are
 * skipped; LF or CRLF endings; blanks (space, tab, CR) around key and value
 * are trimmed.
 *   cmdline=TEXT      the kernel command line (the last one wins)
 *   video=WxHxBPP     preferred framebuffer mode (the last one wins)
 *   module=/PATH      a file the loader loads and lists in the boot info;
 *                     repeatable, up to BOOTCFG_MODULES_MAX
 * The limits and rules are common/bootrules.h's (BOOTRULES_CFG): the first
 * rule the file breaks refuses it, with the line, and the loader stops; a
 * value too long is refused, never cut. An unknown key is the one line that
 * is only said (through the warn callback) and skipped.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"
#include "bootrules.h"

struct bootcfg {
    char     cmdline[BOOTCFG_CMDLINE_MAX + 1];
    uint32_t video_width;       /* 0 when no video= line */
    uint32_t video_height;
    uint32_t video_bpp;
    uint32_t module_count;
    char     modules[BOOTCFG_MODULES_MAX][BOOTCFG_PATH_MAX + 1];
};

/* Called for each line with an unknown key: its number and the key. */
typedef void bootcfg_warn_fn(void *ctx, unsigned line, const char *key, size_t key_len);

/*
 * Parse `len` bytes into *out (zeroed first, so never half-set). Returns
 * BOOTRULE_OK, or the BOOTRULE_CFG_* rule broken with *err_line its line
 * (0 for cfg-size, which judges the whole file).
 */
int bootcfg_parse(const char *text, size_t len, struct bootcfg *out,
                  unsigned *err_line, bootcfg_warn_fn *warn, void *warn_ctx);
