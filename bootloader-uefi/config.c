/*
 * config.c - /boot/boot.cfg: read it from the volume, parse it with
 * common/bootcfg.c (the same parser the host tests and fuzzer exercise),
 * copy the command line into the boot info.
 *
 * A missing or unreadable file, or a file that breaks one of the rules of
 * common/bootrules.h, stops the boot with the line and the rule's name: the
 * loader will not guess what the user meant. An unknown key is reported in
 * its own line and ignored. (A file over the size limit is read whole
 * first: the parser is where the limit lives.)
 */
#include <efi.h>

#include "format.h"
#include "loader.h"
#include <string.h>

#define BOOT_CFG        "/boot/boot.cfg"

/* An unknown key: said and skipped, as the BIOS loader does. */
static void warn_unknown(void *ctx, unsigned line, const char *key, size_t key_len)
{
    (void)ctx;
    say("config: line %u: %s '%.*s'", line, BOOTRULE_UNKNOWN_KEY_TEXT, (int)key_len, key);
}

/* The rule boot.cfg breaks, in the words config.asm prints too. */
static void say_refused(unsigned line, int rule)
{
    if (line)
        say("config: error, " BOOT_CFG " line %u: %s (rule %s)", line, bootrule_text(rule),
            bootrule_name(rule));
    else
        say("config: error, " BOOT_CFG ": %s (rule %s)", bootrule_text(rule), bootrule_name(rule));
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
    err = bootcfg_parse((const char *)(uintptr_t)phys, (size_t)size, &ld->cfg, &line,
                        warn_unknown, NULL);
    alloc_free(ld, phys);
    if (err != BOOTRULE_OK) {
        say_refused(line, err);
        return EFI_LOAD_ERROR;
    }
    memcpy(ld->block->cmdline, ld->cfg.cmdline, sizeof ld->cfg.cmdline);
    ld->bi->cmdline_len = (uint32_t)strnlen(ld->cfg.cmdline, sizeof ld->cfg.cmdline - 1);
    say_config(&ld->cfg);
    step_done("config");
    return EFI_SUCCESS;
}
