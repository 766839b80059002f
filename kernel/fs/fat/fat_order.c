/*
 * fat_order.c - the order in which FAT's metadata reaches the disk
 * (docs/files-fat.md, "What a crash may leave"): write-before points.
 *
 * FAT records nothing about what was in progress, so a crash leaves
 * whatever the disk holds: a size counting clusters the chain does not yet
 * have, or a chain freed under an entry that still names it, is damage
 * fsck.fat must repair. The rule is: a change that makes something point
 * further (an entry's larger size or new first cluster, a link to a new
 * cluster, a directory's new cluster) reaches the disk after what it
 * points at; a change that frees something (a cluster, a cut chain, a
 * renamed file's old name) reaches the disk after whatever pointed at it
 * stopped pointing.
 *
 * The buffer cache (fs_io) writes dirty blocks in any order, one alone at
 * eviction or all at a sync, at any moment. So the order is made here,
 * eagerly: at each write-before point the blocks whose changes must come
 * first are written (fs_sync_range: and flushed) before the change that
 * must come after is made in the cache. Then every dirty block in the
 * cache holds only changes whose prerequisites are already on the disk,
 * and any order the cache picks is a safe one. The points are few and
 * cheap: a point with nothing dirty and nothing unflushed writes nothing.
 */
#include "mutant.h"
#include "fs/fat/fat.h"

/* Sectors [first, first + count) of the volume on the disk now. */
static int write_first(struct fat_volume *v, uint64_t first, uint64_t count)
{
    if (MUTANT_ENABLED(fat_write_order) || v->read_only)
        return 0;                       /* (the mutant: the cache's order, whatever it is) */
    return fs_sync_range(v->io, first, count);
}

int fat_order_table(struct fat_volume *v)
{
    return write_first(v, v->fat_start, (uint64_t)v->nfats * v->fat_sectors);
}

int fat_order_all(struct fat_volume *v)
{
    return write_first(v, 0, v->total_sectors);
}
