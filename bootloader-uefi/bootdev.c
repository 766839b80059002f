/*
 * bootdev.c - where the loader came from, for the kernel to find its root:
 * bootinfo.bootdev from the device path of the loaded image's device
 * (UEFI 2.10, 10.3 "Device Path Nodes").
 *
 * The Hard Drive media node (type 4, subtype 1) carries the partition
 * number, its first LBA and the partition's signature: the GPT partition
 * GUID (signature type 2) or the MBR disk signature (type 1). The whole
 * device path, up to and including its end node, is hashed with 64-bit
 * FNV-1a (uefi_devpath_hash) so a kernel can tell boot devices apart.
 *
 * devpath_text prints a device path for the volume line, through the
 * firmware's Device Path To Text protocol when it has one.
 */
#include <efi.h>

#include "format.h"
#include "loader.h"
#include <string.h>

/* The Hard Drive media device path node: UEFI 2.10, 10.3.5.1 */
#define HD_NODE_LEN         42
#define HD_PART_NUMBER      4       /* u32 */
#define HD_PART_START       8       /* u64, LBA */
#define HD_SIGNATURE        24      /* 16 bytes */
#define HD_MBR_TYPE         40      /* 1 = MBR, 2 = GPT */
#define HD_SIGNATURE_TYPE   41      /* 0 none, 1 MBR signature, 2 GUID */
#define SIG_TYPE_MBR        1
#define SIG_TYPE_GUID       2
#define DEVPATH_NODES_MAX   64      /* a path longer than this is not believed */

#define FNV64_OFFSET        0xcbf29ce484222325ULL
#define FNV64_PRIME         0x100000001b3ULL

static unsigned node_len(const EFI_DEVICE_PATH *dp)
{
    return (unsigned)(dp->Length[0] | dp->Length[1] << 8);
}

static const EFI_DEVICE_PATH *next_node(const EFI_DEVICE_PATH *dp)
{
    return (const EFI_DEVICE_PATH *)((const uint8_t *)dp + node_len(dp));
}

/* FNV-1a over the path's bytes, end node included; 0 for a broken path. */
static uint64_t path_hash(const EFI_DEVICE_PATH *dp)
{
    uint64_t h = FNV64_OFFSET;

    for (unsigned n = 0; n < DEVPATH_NODES_MAX; n++, dp = next_node(dp)) {
        const uint8_t *p = (const uint8_t *)dp;

        if (node_len(dp) < 4)
            return 0;
        for (unsigned i = 0; i < node_len(dp); i++)
            h = (h ^ p[i]) * FNV64_PRIME;
        if (dp->Type == END_DEVICE_PATH_TYPE)
            return h;
    }
    return 0;
}

static const uint8_t *find_hd_node(const EFI_DEVICE_PATH *dp)
{
    for (unsigned n = 0; n < DEVPATH_NODES_MAX && node_len(dp) >= 4; n++, dp = next_node(dp)) {
        if (dp->Type == END_DEVICE_PATH_TYPE)
            break;
        if (dp->Type == MEDIA_DEVICE_PATH && dp->SubType == MEDIA_HARDDRIVE_DP &&
            node_len(dp) >= HD_NODE_LEN)
            return (const uint8_t *)dp;
    }
    return NULL;
}

/* A GUID in its text form (the first three fields are little-endian). */
static void guid_text(const uint8_t g[16], char *buf, size_t size)
{
    format_snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                    "%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0], g[5], g[4], g[7],
                    g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static void fill_from_hd(struct bootinfo_bootdev *bd, const uint8_t *hd)
{
    uint32_t number;

    memcpy(&number, hd + HD_PART_NUMBER, 4);
    memcpy(&bd->part_lba, hd + HD_PART_START, 8);
    bd->part_index = (uint8_t)number;
    bd->part_scheme = hd[HD_MBR_TYPE];
    if (hd[HD_SIGNATURE_TYPE] == SIG_TYPE_GUID)
        memcpy(bd->gpt_part_guid, hd + HD_SIGNATURE, 16);
    else if (hd[HD_SIGNATURE_TYPE] == SIG_TYPE_MBR)
        memcpy(&bd->mbr_signature, hd + HD_SIGNATURE, 4);
}

EFI_STATUS bootdev_find(struct loader *ld)
{
    EFI_GUID path_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
    struct bootinfo_bootdev *bd = &ld->bi->bootdev;
    EFI_DEVICE_PATH *dp;
    const uint8_t *hd;
    char id[40];

    if (EFI_ERROR(ld->bs->HandleProtocol(ld->loaded_image->DeviceHandle, &path_guid,
                                         (void **)&dp))) {
        say("bootdev: the loader's device has no device path: boot device unknown");
        step_done("bootdev");
        return EFI_SUCCESS;
    }
    bd->uefi_devpath_hash = path_hash(dp);
    hd = find_hd_node(dp);
    if (!hd) {
        say("bootdev: no hard-drive partition node, device path hash 0x%llx",
            (unsigned long long)bd->uefi_devpath_hash);
        step_done("bootdev");
        return EFI_SUCCESS;
    }
    fill_from_hd(bd, hd);
    if (bd->part_scheme == 2)
        guid_text(bd->gpt_part_guid, id, sizeof id);
    else
        format_snprintf(id, sizeof id, "disk signature 0x%08x", bd->mbr_signature);
    say("bootdev: %s partition %u, LBA %llu, %s, device path hash 0x%llx",
        bd->part_scheme == 2 ? "GPT" : "MBR", bd->part_index,
        (unsigned long long)bd->part_lba, id, (unsigned long long)bd->uefi_devpath_hash);
    step_done("bootdev");
    return EFI_SUCCESS;
}

/* The path as text in buf (ASCII), or "(no device path)". */
const char *devpath_text(struct loader *ld, EFI_DEVICE_PATH *dp, char *buf, size_t size)
{
    EFI_GUID to_text_guid = EFI_DEVICE_PATH_TO_TEXT_PROTOCOL_GUID;
    EFI_DEVICE_PATH_TO_TEXT_PROTOCOL *to_text;
    CHAR16 *wide;
    size_t n = 0;

    format_snprintf(buf, size, dp ? "(device path not printable)" : "(no device path)");
    if (!dp || EFI_ERROR(ld->bs->LocateProtocol(&to_text_guid, NULL, (void **)&to_text)))
        return buf;
    wide = to_text->ConvertDevicePathToText(dp, FALSE, FALSE);
    if (!wide)
        return buf;
    for (; wide[n] && n + 1 < size; n++)
        buf[n] = wide[n] < 0x80 ? (char)wide[n] : '?';
    buf[n] = '\0';
    ld->bs->FreePool(wide);
    return buf;
}
