/*
 * storage.c - the `storage` phase of kmain (storage.h) and the boot device.
 *
 * RAM disks from modules: every module= file whose name ends in ".img" is
 * a disk image: it becomes ram0, ram1, ... in boot.cfg order (the modules'
 * memory is the disk: writes change it, nothing goes back to the file),
 * 512-byte blocks, whole blocks only (a tail shorter than a block is left
 * out, with a warning). Other modules are left to their users.
 *
 * The kernel's buffer cache (bcache_main) is made here too, empty: its
 * buffers and its flusher thread come with its first use.
 *
 * The boot device (block_boot_device): the loader recorded in bootinfo's
 * bootdev where it read the kernel from: the partition's first block
 * (part_lba) and its table's identity: on MBR disks the disk signature
 * (bytes 440..443), on GPT disks the partition's unique GUID. A registered
 * partition matches when its first block and that identity are the same.
 * (The loader's part_lba counts the firmware's blocks; the disks that boot
 * PCs have 512-byte ones, as the drivers register them.)
 */
#include <string.h>

#include "arch.h"
#include "block/bcache.h"
#include "block/blockdev.h"
#include "block/ramdisk.h"
#include "block/storage.h"
#include "boot/bootinfo_view.h"
#include "mm/heap.h"
#include "printk.h"

#define RAMDISK_BLOCK   512
#define RAMDISK_SUFFIX  ".img"

static int is_disk_image(const char *name)
{
    size_t n = strnlen(name, BOOTINFO_MODULE_NAME_LEN), s = sizeof RAMDISK_SUFFIX - 1;

    return n >= s && memcmp(name + n - s, RAMDISK_SUFFIX, s) == 0;
}

static void register_module_disk(const struct bootinfo_module *m)
{
    uint64_t blocks = m->size / RAMDISK_BLOCK;
    struct ramdisk *rd;

    if (m->size % RAMDISK_BLOCK)
        printk(LOG_WARN, "[blk] module %s: %llu bytes is not whole blocks: the last %llu left out\n",
               m->name, (unsigned long long)m->size, (unsigned long long)(m->size % RAMDISK_BLOCK));
    if (blocks == 0) {
        printk(LOG_WARN, "[blk] module %s: smaller than a block: no disk\n", m->name);
        return;
    }
    rd = kmalloc(sizeof *rd);
    if (!rd || ramdisk_init(rd, arch_phys_to_virt(m->addr), blocks, RAMDISK_BLOCK, m->name, 0, 4) != 0 ||
        block_register(&rd->dev, "ram", BLOCK_NAME_NUMBER0) != 0) {
        printk(LOG_WARN, "[blk] module %s: no RAM disk (no memory)\n", m->name);
        return;                         /* rd stays: its thread may exist */
    }
}

static void register_module_disks(void)
{
    const struct bootinfo *bi = bootinfo_get();

    for (unsigned i = 0; i < bi->module_count; i++)
        if (is_disk_image(bootinfo_module(i)->name))
            register_module_disk(bootinfo_module(i));
}

static int matches(const struct block_device *d, const struct bootinfo_bootdev *bd)
{
    static const uint8_t zero[16];

    if (!d->disk || d->first_block != bd->part_lba)
        return 0;
    if (bd->part_scheme == 2)
        return memcmp(bd->gpt_part_guid, zero, 16) != 0 && memcmp(d->part_guid, bd->gpt_part_guid, 16) == 0;
    return bd->part_scheme == 1 && d->mbr_signature == bd->mbr_signature;
}

struct block_device *block_boot_device(void)
{
    const struct bootinfo_bootdev *bd = &bootinfo_get()->bootdev;

    for (struct block_device *d = block_first(); d; d = d->next)
        if (matches(d, bd))
            return d;
    return NULL;
}

static void report_boot_device(void)
{
    const struct bootinfo_bootdev *bd = &bootinfo_get()->bootdev;
    struct block_device *d = block_boot_device();

    if (d)
        printk(LOG_INFO, "[blk] boot device: %s\n", d->name);
    else if (bd->part_scheme != 1 && bd->part_scheme != 2)
        printk(LOG_INFO, "[blk] boot device: none: the loader recorded no boot partition\n");
    else if (bd->part_scheme == 1)
        printk(LOG_INFO, "[blk] boot device: not found: no partition at block %llu of a disk with "
               "MBR signature 0x%08x (no driver for its controller?)\n",
               (unsigned long long)bd->part_lba, bd->mbr_signature);
    else
        printk(LOG_INFO, "[blk] boot device: not found: no GPT partition at block %llu with the "
               "loader's GUID (no driver for its controller?)\n", (unsigned long long)bd->part_lba);
}

void storage_init(void)
{
    bcache_main_init();
    register_module_disks();
    report_boot_device();
}
