/*
 * blockdev.c - the list of block devices: registration, Linux names, the
 * log line, partitions as devices of their own, lookups (blockdev.h).
 * The queue that carries their requests is blkqueue.c.
 *
 * block_register names a whole disk from its driver's prefix (sda, sdb,
 * ..., sdz, sdaa as Linux goes on; vda; ram0; nvme0n1), logs
 *     [blk] NAME: N sectors of N bytes, MODEL (DRIVER)
 * then reads its partition table through the queue (partition.c, pure:
 * it reads through part_read below) and registers each partition as a
 * device named after the disk (sda1; nvme0n1p1: a "p" when the disk's name
 * ends in a digit), logged the same way, after one line that says which
 * table the disk has.
 *
 * Locks: register_lock (a mutex: a registration reads the disk, so it
 * sleeps) makes registrations one at a time, so two disks never get one
 * name; list_lock (a spinlock, a leaf) guards appending to the list. The
 * list only grows and a device is complete before it is linked, so
 * lookups walk it from any thread without the lock (each next pointer is
 * written once, NULL to the new device). Devices are never removed (no
 * hot-plug yet), so a pointer a lookup returns stays good.
 */
#include <string.h>

#include "block/blockdev.h"
#include "block/partition.h"
#include "format.h"
#include "mm/heap.h"
#include "printk.h"
#include "sync/mutex.h"

static struct mutex register_lock = MUTEX_INIT("block_register");
static struct spinlock list_lock = SPINLOCK_INIT("block_list");
static struct block_device *list_head, *list_tail;

static void list_add(struct block_device *dev)
{
    dev->next = NULL;
    spin_lock(&list_lock);
    if (list_tail)
        list_tail->next = dev;
    else
        list_head = dev;
    list_tail = dev;
    spin_unlock(&list_lock);
}

struct block_device *block_first(void)
{
    struct block_device *d;

    spin_lock(&list_lock);
    d = list_head;
    spin_unlock(&list_lock);
    return d;
}

struct block_device *block_find(const char *name)
{
    for (struct block_device *d = block_first(); d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

/* Whole disks already named from `prefix`: the next one's number. */
static unsigned disks_named(const char *prefix, int style)
{
    size_t n = strlen(prefix);
    unsigned count = 0;

    for (struct block_device *d = block_first(); d; d = d->next) {
        char c = d->name[n];
        int letter = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
        if (!d->disk && strncmp(d->name, prefix, n) == 0 &&
            (style == BLOCK_NAME_LETTER ? letter : digit))
            count++;
    }
    return count;
}

/* prefix + the n-th name of its style: sda..sdz, sdaa..sdzz; ram0; nvme0n1. */
int block_disk_name(char *out, const char *prefix, int style, unsigned n)
{
    char suffix[8];

    if (style == BLOCK_NAME_LETTER) {
        if (n >= 26 + 26 * 26)
            return -1;
        if (n < 26)
            format_snprintf(suffix, sizeof suffix, "%c", 'a' + n);
        else
            format_snprintf(suffix, sizeof suffix, "%c%c", 'a' + n / 26 - 1, 'a' + n % 26);
    } else {
        format_snprintf(suffix, sizeof suffix, "%u", n + (style == BLOCK_NAME_NUMBER1));
    }
    if (strlen(prefix) + strlen(suffix) >= BLOCK_NAME_LEN)
        return -1;
    format_snprintf(out, BLOCK_NAME_LEN, "%s%s", prefix, suffix);
    return 0;
}

int block_part_name(char *out, const char *disk_name, unsigned index)
{
    size_t n = strlen(disk_name);
    int digit = n && disk_name[n - 1] >= '0' && disk_name[n - 1] <= '9';
    int len = format_snprintf(out, BLOCK_NAME_LEN, "%s%s%u", disk_name, digit ? "p" : "", index);

    return len > 0 && len < BLOCK_NAME_LEN ? 0 : -1;
}

int block_describe(const struct block_device *dev, char *buf, size_t size)
{
    const struct block_device *disk = dev->disk ? dev->disk : dev;

    return format_snprintf(buf, size, "%s: %llu sectors of %u bytes, %s (%s)", dev->name,
                           (unsigned long long)dev->blocks, dev->block_size, disk->model,
                           disk->ops->driver);
}

static void log_device(const struct block_device *dev)
{
    char line[BLOCK_DESCRIBE_MAX];

    block_describe(dev, line, sizeof line);
    printk(LOG_INFO, "[blk] %s\n", line);
}

/* A partition of disk as a device of its own, with the disk's limits. */
static void add_partition(struct block_device *disk, const struct part_entry *e)
{
    struct block_device *p = kcalloc(1, sizeof *p);

    if (!p || block_part_name(p->name, disk->name, e->index) != 0) {
        printk(LOG_WARN, "[blk] %s: partition %u not registered (no memory, or its name is too long)\n",
               disk->name, e->index);
        kfree(p);
        return;
    }
    memcpy(p->model, disk->model, sizeof p->model);
    p->block_size = disk->block_size;
    p->physical_block_size = disk->physical_block_size;
    p->blocks = e->count;
    p->read_only = disk->read_only;
    p->max_blocks = disk->max_blocks;
    p->queue_depth = disk->queue_depth;
    p->dma_limit = disk->dma_limit;
    p->disk = disk;
    p->first_block = e->first;
    p->part_index = e->index;
    memcpy(p->part_guid, e->guid, sizeof p->part_guid);
    p->mbr_signature = disk->mbr_signature;
    spin_init(&p->lock, "block_part");
    list_add(p);
    log_device(p);
}

static int part_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
    return block_read(ctx, block, count, buf);
}

/* Read the disk's partition table and register what it holds. */
static void scan_partitions(struct block_device *disk)
{
    struct part_table *t = kmalloc(sizeof *t);
    int err;

    if (!t) {
        printk(LOG_WARN, "[blk] %s: no memory to read the partition table\n", disk->name);
        return;
    }
    err = part_parse(t, part_read, disk, disk->block_size, disk->blocks);
    if (err < 0) {
        printk(LOG_WARN, "[blk] %s: partition table not read: error %d\n", disk->name, err);
    } else {
        disk->mbr_signature = t->mbr_signature;
        if (t->scheme == PART_NONE)
            printk(LOG_INFO, "[blk] %s: no partition table\n", disk->name);
        else if (t->scheme == PART_MBR)
            printk(LOG_INFO, "[blk] %s: MBR (disk signature 0x%08x), %u partitions\n", disk->name,
                   t->mbr_signature, t->count);
        else
            printk(LOG_INFO, "[blk] %s: GPT%s, %u partitions\n", disk->name,
                   t->gpt_backup_used ? " (the backup)" : "", t->count);
        if (t->warnings == 1)
            printk(LOG_WARN, "[blk] %s: %s\n", disk->name, t->warning);
        else if (t->warnings)
            printk(LOG_WARN, "[blk] %s: %s (and %u more warnings)\n", disk->name, t->warning,
                   t->warnings - 1);
        for (unsigned i = 0; i < t->count; i++)
            add_partition(disk, &t->part[i]);
    }
    kfree(t);
}

/* What block_register refuses, or NULL. */
static const char *register_bad(const struct block_device *dev)
{
    if (!dev->ops || !dev->ops->start || !dev->ops->driver)
        return "no ops";
    if (dev->block_size < 512 || dev->block_size > 4096 || (dev->block_size & (dev->block_size - 1)))
        return "block size not 512..4096, a power of two";
    if (dev->blocks == 0)
        return "no blocks";
    if (dev->queue_depth == 0)
        return "queue depth 0";
    return NULL;
}

int block_register(struct block_device *dev, const char *prefix, int style)
{
    const char *bad = register_bad(dev);

    if (bad) {
        printk(LOG_ERR, "block_register: %s device refused: %s\n", prefix, bad);
        return BLOCK_EINVAL;
    }
    mutex_lock(&register_lock);
    if (block_disk_name(dev->name, prefix, style, disks_named(prefix, style)) != 0) {
        mutex_unlock(&register_lock);
        printk(LOG_ERR, "block_register: no name left for another %s device\n", prefix);
        return BLOCK_EINVAL;
    }
    dev->model[BLOCK_MODEL_LEN - 1] = '\0';
    dev->disk = NULL;
    dev->first_block = 0;
    dev->part_index = 0;
    if (!dev->physical_block_size)
        dev->physical_block_size = dev->block_size;
    spin_init(&dev->lock, "block_disk");
    dev->pending_head = dev->pending_tail = NULL;
    dev->in_flight = 0;
    list_add(dev);
    log_device(dev);
    scan_partitions(dev);
    mutex_unlock(&register_lock);
    return 0;
}
