/*
 * entries_pci.c - /proc/bus/pci in Linux's format (drivers/pci/proc.c),
 * what lspci reads:
 *   devices  a row per function, tab-separated: BBDF (bus, then dev << 3 | fn,
 *            two hex digits each), VVVVDDDD (vendor and device), the interrupt
 *            line register (hex), then seven BAR starts with their low flag bits
 *            (1 I/O, 4 64-bit, 8 prefetchable) and seven sizes, %16llx each
 *            (the seventh, the expansion ROM, is 0 here), then the driver's name
 *   BB/DD.F  per function of segment 0, its 256 bytes of configuration space
 *            (read when the file is opened; Linux shows 4096 for PCI Express and
 *            only the first 64 to users other than root, Tessera 256 to all)
 * The folders BB (a bus that has a function) are procfs_pci_bus_dirs, the
 * names /proc/bus/pci holds beside the table's "devices". Inodes, from
 * PROCFS_PCI_INO: bus B's folder at B * 512 + 256, function devfn of bus B
 * at B * 512 + devfn.
 */
#include <string.h>

#include "errno.h"
#include "fs/procfs/procfs.h"
#include "mm/heap.h"
#include "pci/pci.h"

#define ROWS_BARS       7               /* Linux's rows always have seven: six BARs and the ROM */
#define CONFIG_BYTES    256
#define PER_BUS         512
#define BUS_DIR         256
#define INTERRUPT_LINE  0x3C

void procfs_show_pci_devices(struct procfs_text *t)
{
    for (const struct pci_dev *d = pci_first(); d; d = d->next) {
        procfs_printf(t, "%02x%02x\t%04x%04x\t%x", d->bus, (unsigned)(d->dev << 3 | d->fn), d->vendor, d->device,
                      pci_read8(d, INTERRUPT_LINE));
        for (int i = 0; i < ROWS_BARS; i++) {
            const struct pci_bar *b = i < PCI_MAX_BARS ? &d->bar[i] : NULL;
            unsigned flags = !b || !b->size ? 0 : (b->flags & PCI_BAR_IO) ? 1
                             : ((b->flags & PCI_BAR_MEM64) ? 4 : 0) | ((b->flags & PCI_BAR_PREFETCH) ? 8 : 0);
            procfs_printf(t, "\t%16llx", (unsigned long long)(b && b->size ? b->base | flags : 0));
        }
        for (int i = 0; i < ROWS_BARS; i++)
            procfs_printf(t, "\t%16llx", (unsigned long long)(i < PCI_MAX_BARS ? d->bar[i].size : 0));
        procfs_printf(t, "\t%s\n", d->driver ? d->driver->name : "");
    }
}

static const struct pci_dev *find_on_bus(unsigned bus, int devfn)
{
    for (const struct pci_dev *d = pci_first(); d; d = d->next)
        if (d->segment == 0 && d->bus == bus && (devfn < 0 || (d->dev << 3 | d->fn) == devfn))
            return d;
    return NULL;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "BB" in /proc/bus/pci: a bus of segment 0 that has a function. */
static int bus_lookup(const char *name, size_t len, uint64_t *ino)
{
    int hi, lo;

    if (len != 2 || (hi = hex_digit(name[0])) < 0 || (lo = hex_digit(name[1])) < 0)
        return -ENOENT;
    if (!find_on_bus((unsigned)(hi * 16 + lo), -1))
        return -ENOENT;
    *ino = PROCFS_PCI_INO + (uint64_t)(hi * 16 + lo) * PER_BUS + BUS_DIR;
    return 0;
}

/* Cookies from PROCFS_PROCESS_COOKIE: + B, the next bus to look at. */
static int bus_readdir(uint64_t *cookie, vfs_filldir_fn *fill, void *ctx)
{
    for (unsigned bus = (unsigned)(*cookie - PROCFS_PROCESS_COOKIE); bus < 256; bus++, (*cookie)++) {
        static const char hex[] = "0123456789abcdef";
        char name[2] = { hex[bus >> 4], hex[bus & 15] };

        if (find_on_bus(bus, -1) &&
            fill(ctx, name, 2, PROCFS_PCI_INO + (uint64_t)bus * PER_BUS + BUS_DIR, DT_DIR))
            return 0;
    }
    return 0;
}

/* "DD.F" in a bus folder. */
static int function_lookup(struct inode *dir, const char *name, size_t len, uint64_t *ino)
{
    unsigned bus = (unsigned)((dir->ino - PROCFS_PCI_INO) / PER_BUS);
    int d0, d1, f;

    if (len != 4 || (d0 = hex_digit(name[0])) < 0 || (d1 = hex_digit(name[1])) < 0 || name[2] != '.' ||
        (f = hex_digit(name[3])) < 0 || f > 7 || d0 * 16 + d1 > 31)
        return -ENOENT;
    if (!find_on_bus(bus, (d0 * 16 + d1) << 3 | f))
        return -ENOENT;
    *ino = PROCFS_PCI_INO + (uint64_t)bus * PER_BUS + (uint64_t)((d0 * 16 + d1) << 3 | f);
    return 0;
}

/* Cookies: 0 ".", 1 "..", 2 + devfn. */
static int function_readdir(struct file *f, vfs_filldir_fn *fill, void *ctx)
{
    uint64_t base = PROCFS_PCI_INO + (f->inode->ino - PROCFS_PCI_INO) / PER_BUS * PER_BUS;
    unsigned bus = (unsigned)((f->inode->ino - PROCFS_PCI_INO) / PER_BUS);

    for (; f->pos < 2 + 256; f->pos++) {
        char name[5];
        int devfn = (int)f->pos - 2;

        if (f->pos < 2) {
            if (fill(ctx, "..", f->pos + 1, f->pos ? PROCFS_PCI_DIR_INO : f->inode->ino, DT_DIR))
                return 0;
            continue;
        }
        if (!find_on_bus(bus, devfn))
            continue;
        name[0] = "0123456789abcdef"[devfn >> 7];
        name[1] = "0123456789abcdef"[(devfn >> 3) & 15];
        name[2] = '.';
        name[3] = (char)('0' + (devfn & 7));
        if (fill(ctx, name, 4, base + (uint64_t)devfn, DT_REG))
            return 0;
    }
    return 0;
}

static int config_open(struct inode *inode, struct file *f)
{
    uint64_t n = inode->ino - PROCFS_PCI_INO;
    const struct pci_dev *d = find_on_bus((unsigned)(n / PER_BUS), (int)(n % PER_BUS));
    struct procfs_text *t;

    if (!d)
        return -ENOENT;
    if (!(t = kcalloc(1, sizeof *t)) || !(t->buf = kmalloc(CONFIG_BYTES))) {
        kfree(t);
        return -ENOMEM;
    }
    for (unsigned off = 0; off < CONFIG_BYTES; off += 4) {
        uint32_t v = pci_read32(d, off);
        memcpy(t->buf + off, &v, 4);
    }
    t->len = t->cap = CONFIG_BYTES;
    f->priv = t;
    return 0;
}

static const struct inode_ops bus_dir_iops = { .lookup = function_lookup };
static const struct file_ops bus_dir_fops = { .readdir = function_readdir };
static const struct inode_ops config_iops = { 0 };
static const struct file_ops config_fops = {
    .open = config_open,
    .release = procfs_text_release,
    .read = procfs_text_read,
};

static int pci_read_inode(struct inode *inode)
{
    uint64_t n = inode->ino - PROCFS_PCI_INO;

    if (n / PER_BUS > 255 || !find_on_bus((unsigned)(n / PER_BUS), n % PER_BUS >= BUS_DIR ? -1 : (int)(n % PER_BUS)))
        return -ENOENT;
    if (n % PER_BUS >= BUS_DIR) {
        inode->mode = S_IFDIR | 0555;
        inode->nlink = 2;
        inode->iops = &bus_dir_iops;
        inode->fops = &bus_dir_fops;
        return 0;
    }
    inode->mode = S_IFREG | 0444;
    inode->nlink = 1;
    inode->size = CONFIG_BYTES;
    inode->iops = &config_iops;
    inode->fops = &config_fops;
    return 0;
}

const struct procfs_subdir_ops procfs_pci_bus_dirs = { bus_lookup, bus_readdir, pci_read_inode };
