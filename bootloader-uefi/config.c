/*
 * config.c - /boot/boot.cfg: read it from the volume, parse it with
 * common/bootcfg.c (the same parser the host tests and fuzzer exercise),
 * copy the command line into the boot info.
 *
 * A missing or unreadable file, or a line the parser refuses (a known key
 * with a bad value, a line without '='), stops the boot: the loader will
 * not guess what the user meant. An unknown key is reported in its own
 * line and ignored.
 */
#include <efi.h>

#include "format.h"
#include "loader.h"
#include <string.h>

#define BOOT_CFG        "/boot/boot.cfg"
#define BOOT_CFG_MAX    (64 * 1024)

/* A line boot.cfg cannot use: said and skipped, as the BIOS loader does. */
static void warn_skipped(void *ctx, unsigned line, int why, const char *key, size_t key_len)
{
    (void)ctx;
    if (why == BOOTCFG_ERR_UNKNOWN_KEY)
        say("config: unknown key '%.*s' on line %u ignored", (int)key_len, key, line);
    else
        say("config: line %u ('%.*s'): %s, ignored", line, (int)key_len, key, bootcfg_strerror(why));
}

static void say_config(const struct bootcfg *cfg)
{
    char video[40] = "no video=";

    if (cfg->video_width)
        format_snprintf(video, sizeof video, "video %ux%ux%u", cfg->video_width,
                        cfg->video_height, cfg->video_bpp);
    say("config: cmdline \"%s\", %s, %u module(s)", cfg->cmdline, video, cfg->module_count);
}

EFI_STATUS config_load(struct loader *ld)
{
    uint64_t phys, size;
    unsigned line = 0;
    int err;
    EFI_STATUS status = file_read(ld, BOOT_CFG, BOOTINFO_MEM_LOADER_RECLAIM, &phys, &size);

    if (status == EFI_NOT_FOUND) {
        say("config: error, " BOOT_CFG " not found");
        return status;
    }
    if (EFI_ERROR(status)) {
        say("config: error, cannot read " BOOT_CFG " (%s)", status_text(status));
        return status;
    }
    if (size > BOOT_CFG_MAX) {
        alloc_free(ld, phys);
        say("config: error, " BOOT_CFG " is larger than 64 KiB");
        return EFI_LOAD_ERROR;
    }
    err = bootcfg_parse((const char *)(uintptr_t)phys, (size_t)size, &ld->cfg, &line,
                        warn_skipped, NULL);
    alloc_free(ld, phys);
    if (err != BOOTCFG_OK) {            /* only a NUL byte: not a text file */
        say("config: error, " BOOT_CFG " line %u: %s", line, bootcfg_strerror(err));
        return EFI_LOAD_ERROR;
    }
    memcpy(ld->block->cmdline, ld->cfg.cmdline, sizeof ld->cfg.cmdline);
    ld->bi->cmdline_len = (uint32_t)strnlen(ld->cfg.cmdline, sizeof ld->cfg.cmdline - 1);
    say_config(&ld->cfg);
    step_done("config");
    return EFI_SUCCESS;
}
