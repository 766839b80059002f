/*
 * bootcfg.h - the /boot/boot.cfg format, shared by the UEFI loader, the
 * kernel's tests and the host tests (the BIOS loader parses the same format
 * in NASM, bootloader-bios/config.asm).
 *
 * The format: `key=value` lines; `#` starts a comment line; blank lines are
 * skipped; LF or CRLF endings; spaces around key and value are trimmed.
 *   cmdline=TEXT      the kernel command line (the last one wins)
 *   video=WxHxBPP     preferred framebuffer mode
 *   module=/PATH      a file the loader loads and lists in the boot info;
 *                     repeatable, up to BOOTCFG_MAX_MODULES
 * A line the parser cannot use (an unknown key, a line without '=', a bad
 * video= value, a relative module path, a value or line too long, one
 * module= too many) is reported through the warn callback with the reason
 * and skipped, the rest of the file still counts: both loaders behave so
 * (the BIOS loader's config.asm says "... ignored" for the same lines).
 * Only a NUL byte, which no text file holds, makes the whole file refused.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"

#define BOOTCFG_CMDLINE_MAX 256
#define BOOTCFG_MAX_MODULES 8
#define BOOTCFG_LINE_MAX    512

struct bootcfg {
    char     cmdline[BOOTCFG_CMDLINE_MAX];
    uint32_t video_width;       /* 0 when no video= line */
    uint32_t video_height;
    uint32_t video_bpp;
    uint32_t module_count;
    char     modules[BOOTCFG_MAX_MODULES][BOOTINFO_MODULE_NAME_LEN];
};

/* Called for each line that is reported and skipped: its number, why
 * (a BOOTCFG_ERR_* code), and its key (empty when it has none). */
typedef void bootcfg_warn_fn(void *ctx, unsigned line, int why, const char *key, size_t key_len);

/* The reasons a line is skipped; BOOTCFG_ERR_NUL refuses the file. */
enum bootcfg_error {
    BOOTCFG_OK = 0,
    BOOTCFG_ERR_UNKNOWN_KEY,    /* not cmdline=, video= or module= */
    BOOTCFG_ERR_NO_EQUALS,      /* a line without '=' */
    BOOTCFG_ERR_LINE_TOO_LONG,
    BOOTCFG_ERR_VALUE_TOO_LONG, /* cmdline or module path does not fit */
    BOOTCFG_ERR_BAD_VIDEO,      /* video= not WxHxBPP with sane numbers */
    BOOTCFG_ERR_TOO_MANY_MODULES,
    BOOTCFG_ERR_BAD_MODULE,     /* module= path not absolute */
    BOOTCFG_ERR_NUL,            /* a NUL byte in the file */
};

/*
 * Parse `len` bytes into *out. Returns BOOTCFG_OK (lines may have been
 * skipped: *err_line is the first, 0 when none) or BOOTCFG_ERR_NUL
 * (*err_line names the line).
 */
int bootcfg_parse(const char *text, size_t len, struct bootcfg *out,
                  unsigned *err_line, bootcfg_warn_fn *warn, void *warn_ctx);

/* A short English description of an error code, for the loader's message. */
const char *bootcfg_strerror(int err);
