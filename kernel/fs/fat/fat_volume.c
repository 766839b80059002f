/*
 * fat_volume.c - a FAT volume: the boot sector's BIOS parameter block read
 * and checked (mount), the FSInfo sector kept, and sync.
 *
 * The BPB (Microsoft FAT specification, section 3) is outside data: every
 * field is checked against the spec's limits and against the device before
 * anything is computed from it, and the layout it describes must fit: the
 * reserved sectors, the FATs, FAT12/16's fixed root and at least one data
 * cluster inside the volume, a FAT long enough for every cluster, and the
 * volume inside the device. The FAT type follows from the cluster count
 * alone (section 3.5), never from the type string.
 *
 * FSInfo (section 5) holds hints only: the free count and where to look
 * for a free cluster. Mount counts the free clusters itself (the FAT is
 * read once), so statfs and ENOSPC never trust a stale hint, and sync
 * writes both back when they changed.
 */
#include <stdarg.h>
#include <string.h>

#include "errno.h"
#include "format.h"
#include "fs/fat/fat.h"
#include "fs/fat/fat_layout.h"

void fat_warn(struct fat_volume *v, const char *fmt, ...)
{
    va_list ap;

    if (v->warnings++)
        return;
    va_start(ap, fmt);
    format_vsnprintf(v->warning, sizeof v->warning, fmt, ap);
    va_end(ap);
}

int fat_corrupt(struct fat_volume *v, const char *what, uint32_t a, uint32_t b)
{
    fat_warn(v, "%s (%u, %u): read-only from now on", what, a, b);
    v->read_only = 1;
    return -EIO;
}

int fat_sector_size(struct fs_io *io)
{
    struct fs_buf *b;
    int bps;

    if (io->block_size < 512 || io->blocks == 0 || !(b = fs_get(io, 0)))
        return -EIO;
    bps = fat_rd16(b->data + BPB_BytsPerSec);
    fs_put(io, b);
    return (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096) ? bps : -EINVAL;
}

static int is_pow2(uint32_t x) { return x && !(x & (x - 1)); }

/* The fields every FAT type shares (section 3.1), checked; the layout computed. */
static int parse_bpb(struct fat_volume *v, const uint8_t *bs)
{
    uint32_t rsvd = fat_rd16(bs + BPB_RsvdSecCnt), root_ent = fat_rd16(bs + BPB_RootEntCnt);
    uint32_t fatsz = fat_rd16(bs + BPB_FATSz16);
    uint64_t tot = fat_rd16(bs + BPB_TotSec16), meta;

    if (bs[BS_Signature] != 0x55 || bs[BS_Signature + 1] != 0xAA)
        return fat_warn(v, "no boot sector signature 55 AA"), -EINVAL;
    v->sector_size = fat_rd16(bs + BPB_BytsPerSec);
    v->cluster_sectors = bs[BPB_SecPerClus];
    v->nfats = bs[BPB_NumFATs];
    if (v->sector_size != v->io->block_size)
        return fat_warn(v, "sector size %u is not the I/O block size %u", v->sector_size,
                        v->io->block_size), -EINVAL;
    if (!is_pow2(v->cluster_sectors) || v->cluster_sectors > 128 ||
        v->sector_size * v->cluster_sectors > 65536)
        return fat_warn(v, "bad sectors per cluster %u", v->cluster_sectors), -EINVAL;
    if (rsvd == 0 || v->nfats == 0 || v->nfats > 4)
        return fat_warn(v, "bad reserved sectors %u or FAT count %u", rsvd, v->nfats), -EINVAL;
    if (fatsz == 0)
        fatsz = fat_rd32(bs + BPB_FATSz32);
    if (tot == 0)
        tot = fat_rd32(bs + BPB_TotSec32);
    v->cluster_size = v->sector_size * v->cluster_sectors;
    v->fat_start = rsvd;
    v->fat_sectors = fatsz;
    v->root_sectors = (root_ent * DIR_ENTRY_SIZE + v->sector_size - 1) / v->sector_size;
    v->root_start = rsvd + v->nfats * fatsz;
    meta = (uint64_t)rsvd + (uint64_t)v->nfats * fatsz + v->root_sectors;
    if (fatsz == 0 || tot <= meta || tot > v->io->blocks)
        return fat_warn(v, "layout does not fit: %llu sectors, %llu of them metadata, device %llu",
                        (unsigned long long)tot, (unsigned long long)meta,
                        (unsigned long long)v->io->blocks), -EINVAL;
    v->total_sectors = tot;
    v->data_start = (uint32_t)meta;
    v->clusters = (uint32_t)((tot - meta) / v->cluster_sectors);
    v->type = v->clusters <= FAT12_MAX_CLUSTERS ? 12 : v->clusters <= FAT16_MAX_CLUSTERS ? 16 : 32;
    if (v->clusters == 0)
        return fat_warn(v, "no data cluster"), -EINVAL;
    if ((v->type == 32) != (root_ent == 0))
        return fat_warn(v, "FAT%u with %u root entries", v->type, root_ent), -EINVAL;
    if ((uint64_t)fatsz * v->sector_size * 8 / (v->type == 12 ? 12 : v->type) < (uint64_t)v->clusters + 2)
        return fat_warn(v, "FAT of %u sectors too short for %u clusters", fatsz, v->clusters), -EINVAL;
    return 0;
}

/* FAT32's own fields (section 3.3). */
static int parse_fat32(struct fat_volume *v, const uint8_t *bs)
{
    uint16_t ext = fat_rd16(bs + BPB_ExtFlags);

    if (fat_rd16(bs + BPB_FSVer) != 0)
        return fat_warn(v, "FAT32 version %u", fat_rd16(bs + BPB_FSVer)), -EINVAL;
    v->root_cluster = fat_rd32(bs + BPB_RootClus);
    if (!fat_valid_cluster(v, v->root_cluster))
        return fat_warn(v, "root cluster %u out of range", v->root_cluster), -EINVAL;
    v->active_fat = (ext & 0x80) ? (ext & 0xF) : ~0u;
    if (v->active_fat != ~0u && v->active_fat >= v->nfats)
        return fat_warn(v, "active FAT %u of %u", v->active_fat, v->nfats), -EINVAL;
    v->fsinfo_sector = fat_rd16(bs + BPB_FSInfo);
    if (v->fsinfo_sector == 0 || v->fsinfo_sector >= v->fat_start)
        v->fsinfo_sector = 0;       /* none: nothing to keep (0xFFFF is "none" too) */
    return 0;
}

/* FSInfo's signatures checked; a damaged one is left alone (its hints are only hints). */
static void read_fsinfo(struct fat_volume *v)
{
    struct fs_buf *b;

    if (!v->fsinfo_sector || !(b = fs_get(v->io, v->fsinfo_sector))) {
        v->fsinfo_sector = 0;
        return;
    }
    if (fat_rd32(b->data + FSI_LeadSig) != FSI_LEAD || fat_rd32(b->data + FSI_StrucSig) != FSI_STRUC ||
        fat_rd32(b->data + FSI_TrailSig) != FSI_TRAIL) {
        fat_warn(v, "FSInfo sector %u has bad signatures: not updated", v->fsinfo_sector);
        v->fsinfo_sector = 0;
    } else {
        uint32_t nf = fat_rd32(b->data + FSI_Free_Count), nx = fat_rd32(b->data + FSI_Nxt_Free);
        v->fsinfo_dirty = nf != v->free_count;       /* the count mount made is the truth */
        if (fat_valid_cluster(v, nx))
            v->next_free = nx;
    }
    fs_put(v->io, b);
}

/* Count the free clusters (every FAT entry read once). */
static int count_free(struct fat_volume *v)
{
    uint32_t next;

    v->free_count = 0;
    v->next_free = FAT_FIRST_CLUSTER;
    for (uint32_t c = FAT_FIRST_CLUSTER; c < v->clusters + 2; c++) {
        int err = fat_get(v, c, &next);
        if (err)
            return err;
        v->free_count += next == FAT_FREE;
    }
    return 0;
}

int fat_mount(struct fat_volume *v, struct fs_io *io, const char *name, int read_only)
{
    struct fs_buf *b;
    int err;

    memset(v, 0, sizeof(*v));
    v->io = io;
    v->read_only = read_only || io->read_only;
    v->active_fat = ~0u;
    format_snprintf(v->name, sizeof v->name, "%s", name);
    if (io->block_size < 512 || io->blocks == 0 || !(b = fs_get(io, 0)))
        return fat_warn(v, "cannot read the boot sector"), -EIO;
    err = parse_bpb(v, b->data);
    if (!err && v->type == 32)
        err = parse_fat32(v, b->data);
    fs_put(io, b);
    if (err)
        return err;
    if ((err = count_free(v)) != 0)
        return fat_warn(v, "cannot read the FAT"), err;
    read_fsinfo(v);
    return 0;
}

int fat_sync(struct fat_volume *v)
{
    struct fs_buf *b;

    if (v->read_only)
        return 0;
    if (v->fsinfo_dirty && v->fsinfo_sector) {
        if (!(b = fs_get(v->io, v->fsinfo_sector)))
            return -EIO;
        fat_wr32(b->data + FSI_Free_Count, v->free_count);
        fat_wr32(b->data + FSI_Nxt_Free, v->next_free);
        fs_dirty(v->io, b);
        fs_put(v->io, b);
        v->fsinfo_dirty = 0;
    }
    return v->io->ops->sync(v->io);
}
