/*
 * gop.c - the framebuffer: a Graphics Output Protocol mode and its
 * description in bootinfo.fb (UEFI 2.10, 12.9 "Graphics Output Protocol").
 *
 * Which mode:
 *  - with video=WxHxBPP: a mode of exactly W x H with a framebuffer at
 *    32 bpp; else the one whose area is closest to W x H (32 bpp);
 *  - without video=: the current mode;
 *  - a GOP with no current mode (Mode->Mode >= MaxMode: nobody started
 *    it) gets SetMode first, to the mode chosen as above or mode 0.
 * Modes without a linear framebuffer (PixelBltOnly) never qualify. If
 * SetMode fails the current mode stays, and the line says so. No GOP, or
 * only a Blt-only mode: BOOTINFO_FB_NONE, the kernel prints on serial only.
 *
 * After SetMode the firmware's graphics console keeps drawing the
 * loader's later lines (from the top left of the new mode).
 */
#include <efi.h>

#include "format.h"
#include "loader.h"

#define NO_MODE 0xFFFFFFFFU

/* Position of the lowest set bit and number of set bits of a channel mask. */
static void mask_channel(uint32_t mask, uint8_t *pos, uint8_t *size)
{
    *pos = 0;
    *size = 0;
    if (!mask)
        return;
    while (!(mask & 1)) {
        mask >>= 1;
        (*pos)++;
    }
    while (mask & 1) {
        mask >>= 1;
        (*size)++;
    }
}

/* Bits per pixel of a mode with a framebuffer, 0 for Blt-only modes. */
static unsigned mode_bpp(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info)
{
    const EFI_PIXEL_BITMASK *m = &info->PixelInformation;
    uint32_t all = m->RedMask | m->GreenMask | m->BlueMask | m->ReservedMask;
    unsigned top = 0;

    if (info->PixelFormat == PixelRedGreenBlueReserved8BitPerColor ||
        info->PixelFormat == PixelBlueGreenRedReserved8BitPerColor)
        return 32;
    if (info->PixelFormat != PixelBitMask || all == 0)
        return 0;
    while (top < 32 && (all >> top))
        top++;
    return (top + 7) / 8 * 8;
}

static uint64_t area_distance(uint32_t w, uint32_t h, const struct bootcfg *cfg)
{
    uint64_t a = (uint64_t)w * h, want = (uint64_t)cfg->video_width * cfg->video_height;

    return a > want ? a - want : want - a;
}

/* The mode for video= (exact first, else closest area at 32 bpp), or NO_MODE. */
static uint32_t choose_mode(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, struct loader *ld)
{
    uint32_t best = NO_MODE;
    uint64_t best_d = ~0ULL;

    for (uint32_t m = 0; m < gop->Mode->MaxMode; m++) {
        EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
        UINTN size;
        uint64_t d;

        if (EFI_ERROR(gop->QueryMode(gop, m, &size, &info)))
            continue;
        /* 0 for an exact match, so it beats any mode of merely equal area */
        d = area_distance(info->HorizontalResolution, info->VerticalResolution, &ld->cfg) + 1;
        if (info->HorizontalResolution == ld->cfg.video_width &&
            info->VerticalResolution == ld->cfg.video_height)
            d = 0;
        if (mode_bpp(info) == 32 && d < best_d) {
            best = m;
            best_d = d;
        }
        ld->bs->FreePool(info);
    }
    return best;
}

/* bootinfo.fb from the current mode. */
static void describe(struct loader *ld, EFI_GRAPHICS_OUTPUT_PROTOCOL *gop)
{
    const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
    struct bootinfo_fb *fb = &ld->bi->fb;
    unsigned bpp = mode_bpp(info);

    fb->type = BOOTINFO_FB_NONE;
    if (!bpp)
        return;
    fb->type = BOOTINFO_FB_RGB;
    fb->addr = gop->Mode->FrameBufferBase;
    fb->width = info->HorizontalResolution;
    fb->height = info->VerticalResolution;
    fb->pitch = info->PixelsPerScanLine * (bpp / 8);
    fb->bpp = (uint8_t)bpp;
    if (info->PixelFormat == PixelRedGreenBlueReserved8BitPerColor) {
        fb->red_pos = 0, fb->green_pos = 8, fb->blue_pos = 16;
        fb->red_size = fb->green_size = fb->blue_size = 8;
    } else if (info->PixelFormat == PixelBlueGreenRedReserved8BitPerColor) {
        fb->blue_pos = 0, fb->green_pos = 8, fb->red_pos = 16;
        fb->red_size = fb->green_size = fb->blue_size = 8;
    } else {
        mask_channel(info->PixelInformation.RedMask, &fb->red_pos, &fb->red_size);
        mask_channel(info->PixelInformation.GreenMask, &fb->green_pos, &fb->green_size);
        mask_channel(info->PixelInformation.BlueMask, &fb->blue_pos, &fb->blue_size);
    }
    ld->fb_size = gop->Mode->FrameBufferSize;
}

/* Switch to want when it differs (or nothing is set); the line's note. */
static const char *set_mode(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, uint32_t want)
{
    int started = gop->Mode->Mode < gop->Mode->MaxMode;

    if (want == NO_MODE)
        want = started ? gop->Mode->Mode : 0;
    if (started && want == gop->Mode->Mode)
        return "";
    if (EFI_ERROR(gop->SetMode(gop, want)))
        return started ? ", SetMode failed: current mode kept" : ", SetMode failed";
    return started ? "" : ", GOP was not started: SetMode";
}

EFI_STATUS gop_setup(struct loader *ld)
{
    EFI_GUID guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
    uint32_t want = NO_MODE;
    char asked[48] = "current mode";
    const char *note;

    if (EFI_ERROR(ld->bs->LocateProtocol(&guid, NULL, (void **)&gop)) || !gop->Mode) {
        ld->bi->fb.type = BOOTINFO_FB_NONE;
        say("gop: no Graphics Output Protocol: no framebuffer");
        step_done("gop");
        return EFI_SUCCESS;
    }
    if (ld->cfg.video_width) {
        want = choose_mode(gop, ld);
        format_snprintf(asked, sizeof asked, "asked %ux%ux%u", ld->cfg.video_width,
                        ld->cfg.video_height, ld->cfg.video_bpp);
    }
    note = set_mode(gop, want);
    if (gop->Mode->Mode >= gop->Mode->MaxMode || !gop->Mode->Info) {
        say("gop: no usable mode%s: no framebuffer", note);
    } else {
        describe(ld, gop);
        if (ld->bi->fb.type == BOOTINFO_FB_RGB)
            say("gop: mode %u, %ux%ux%u, framebuffer 0x%llx (%s%s)", gop->Mode->Mode,
                ld->bi->fb.width, ld->bi->fb.height, ld->bi->fb.bpp,
                (unsigned long long)ld->bi->fb.addr, asked, note);
        else
            say("gop: mode %u has no framebuffer (Blt only): no framebuffer",
                gop->Mode->Mode);
    }
    step_done("gop");
    return EFI_SUCCESS;
}
