/*
 * lspci.c - lspci: the PCI functions, from /proc/bus/pci/devices (bus,
 * device and function, vendor and device IDs, the driver) and each
 * function's configuration space in /proc/bus/pci/BB/DD.F (its class and
 * revision), in the format of pciutils' `lspci -nn` (docs/tools.md):
 *   00:1f.2 SATA controller [0106]: Intel Corporation 82801IR/IO/IH (ICH9R/DO/DH) SATA controller [AHCI mode] [8086:2922] (rev 02)
 * Names come from a table of the classes and of the devices QEMU offers
 * (below); another device shows "Device VVVV:DDDD". -n gives numbers only
 * (`lspci -n`: "00:1f.2 0106: 8086:2922 (rev 02)"), -k adds the driver.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools.h"

#define CONFIG_REVISION 0x08            /* revision, prog-if, subclass, class (PCI 3.0, 6.2.1) */
#define CONFIG_CLASS    0x0B
#define CONFIG_SUBCLASS 0x0A

struct class_name {
    unsigned code;                      /* class << 8 | subclass; 0xff in the subclass: any */
    const char *name;
};

static const struct class_name classes[] = {
    { 0x0000, "Non-VGA unclassified device" }, { 0x00ff, "Unclassified device" },
    { 0x0100, "SCSI storage controller" }, { 0x0101, "IDE interface" }, { 0x0102, "Floppy disk controller" },
    { 0x0104, "RAID bus controller" }, { 0x0105, "ATA controller" }, { 0x0106, "SATA controller" },
    { 0x0107, "Serial Attached SCSI controller" }, { 0x0108, "Non-Volatile memory controller" },
    { 0x0180, "Mass storage controller" }, { 0x0200, "Ethernet controller" }, { 0x0280, "Network controller" },
    { 0x0300, "VGA compatible controller" }, { 0x0380, "Display controller" },
    { 0x0401, "Multimedia audio controller" }, { 0x0403, "Audio device" }, { 0x0500, "RAM memory" },
    { 0x0600, "Host bridge" }, { 0x0601, "ISA bridge" }, { 0x0604, "PCI bridge" }, { 0x0680, "Bridge" },
    { 0x0700, "Serial controller" }, { 0x0780, "Communication controller" }, { 0x0880, "System peripheral" },
    { 0x0c03, "USB controller" }, { 0x0c05, "SMBus" }, { 0x01ff, "Mass storage controller" },
    { 0x02ff, "Network controller" }, { 0x03ff, "Display controller" }, { 0x04ff, "Multimedia controller" },
    { 0x06ff, "Bridge" }, { 0x07ff, "Communication controller" }, { 0x08ff, "System peripheral" },
    { 0x0cff, "Serial bus controller" },
};

struct vendor_name {
    unsigned vendor;
    const char *name;
};

static const struct vendor_name vendors[] = {
    { 0x8086, "Intel Corporation" }, { 0x1af4, "Red Hat, Inc." }, { 0x1b36, "Red Hat, Inc." },
    { 0x1234, "QEMU" }, { 0x10ec, "Realtek Semiconductor Co., Ltd." }, { 0x1013, "Cirrus Logic" },
    { 0x15ad, "VMware" },
};

struct device_name {
    unsigned vendor, device;
    const char *name;
};

/* The devices QEMU's pc and q35 machines offer, and the ones its -device adds most often. */
static const struct device_name devices[] = {
    { 0x8086, 0x1237, "440FX - 82441FX PMC [Natoma]" },
    { 0x8086, 0x7000, "82371SB PIIX3 ISA [Natoma/Triton II]" },
    { 0x8086, 0x7010, "82371SB PIIX3 IDE [Natoma/Triton II]" },
    { 0x8086, 0x7020, "82371SB PIIX3 USB [Natoma/Triton II]" },
    { 0x8086, 0x7113, "82371AB/EB/MB PIIX4 ACPI" },
    { 0x8086, 0x29c0, "82G33/G31/P35/P31 Express DRAM Controller" },
    { 0x8086, 0x2918, "82801IB (ICH9) LPC Interface Controller" },
    { 0x8086, 0x2922, "82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode]" },
    { 0x8086, 0x2930, "82801I (ICH9 Family) SMBus Controller" },
    { 0x8086, 0x2934, "82801I (ICH9 Family) USB UHCI Controller #1" },
    { 0x8086, 0x293a, "82801I (ICH9 Family) USB2 EHCI Controller #1" },
    { 0x8086, 0x293e, "82801I (ICH9 Family) HD Audio Controller" },
    { 0x8086, 0x24cd, "82801DB/DBM (ICH4/ICH4-M) USB2 EHCI Controller" },
    { 0x8086, 0x100e, "82540EM Gigabit Ethernet Controller" },
    { 0x8086, 0x10d3, "82574L Gigabit Network Connection" },
    { 0x8086, 0x2415, "82801AA AC'97 Audio Controller" },
    { 0x8086, 0x2668, "82801FB/FBM/FR/FW/FRW (ICH6 Family) High Definition Audio Controller" },
    { 0x8086, 0x25ab, "6300ESB Watchdog Timer" },
    { 0x1234, 0x1111, "Bochs/QEMU standard VGA" },
    { 0x1234, 0x11e8, "edu, QEMU's teaching device" },
    { 0x1af4, 0x1000, "Virtio network device" },
    { 0x1af4, 0x1001, "Virtio block device" },
    { 0x1af4, 0x1003, "Virtio console" },
    { 0x1af4, 0x1005, "Virtio RNG" },
    { 0x1af4, 0x1041, "Virtio 1.0 network device" },
    { 0x1af4, 0x1042, "Virtio 1.0 block device" },
    { 0x1af4, 0x1050, "Virtio 1.0 GPU" },
    { 0x1b36, 0x0001, "QEMU PCI-PCI bridge" },
    { 0x1b36, 0x0008, "QEMU PCIe Host bridge" },
    { 0x1b36, 0x000c, "QEMU PCIe Root port" },
    { 0x1b36, 0x000d, "QEMU XHCI Host Controller" },
    { 0x1b36, 0x0010, "QEMU NVM Express Controller" },
    { 0x1b36, 0x0100, "QXL paravirtual graphic card" },
    { 0x10ec, 0x8139, "RTL-8100/8101L/8139 PCI Fast Ethernet Adapter" },
    { 0x1013, 0x00b8, "GD 5446" },
    { 0x15ad, 0x0405, "SVGA II Adapter" },
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

struct function {
    unsigned bus, dev, fn, vendor, device;
    unsigned class_code, subclass, revision;
    char driver[64];
};

static void usage(void)
{
    fprintf(stderr, "usage: lspci [-n] [-k]\n  -n  numbers only\n  -k  the kernel's driver of each\n");
    exit(2);
}

static const char *class_name(unsigned class_code, unsigned subclass)
{
    for (size_t i = 0; i < COUNT(classes); i++)
        if (classes[i].code == (class_code << 8 | subclass))
            return classes[i].name;
    for (size_t i = 0; i < COUNT(classes); i++)
        if (classes[i].code == (class_code << 8 | 0xff))
            return classes[i].name;
    return "Class";
}

static const char *vendor_name(unsigned vendor)
{
    for (size_t i = 0; i < COUNT(vendors); i++)
        if (vendors[i].vendor == vendor)
            return vendors[i].name;
    return NULL;
}

static const char *device_name(unsigned vendor, unsigned device)
{
    for (size_t i = 0; i < COUNT(devices); i++)
        if (devices[i].vendor == vendor && devices[i].device == device)
            return devices[i].name;
    return NULL;
}

/* The class and revision from the function's configuration space. */
static void read_class(struct function *f)
{
    char rel[64];
    size_t len = 0;
    unsigned char *config;

    snprintf(rel, sizeof rel, "bus/pci/%02x/%02x.%x", f->bus, f->dev, f->fn);
    config = (unsigned char *)tool_read_proc_or_fail(rel, &len);
    if (len <= CONFIG_CLASS)
        tool_fail("%s/%s: %zu bytes, too short for a configuration header", tool_proc_root(), rel, len);
    f->class_code = config[CONFIG_CLASS];
    f->subclass = config[CONFIG_SUBCLASS];
    f->revision = config[CONFIG_REVISION];
    free(config);
}

/* A row of /proc/bus/pci/devices: "BBDF\tVVVVDDDD\tIRQ\t..." and the driver after the last tab. */
static void parse_row(const char *line, struct function *f)
{
    unsigned bdf, ids;
    const char *last_tab = strrchr(line, '\t');

    memset(f, 0, sizeof *f);
    if (sscanf(line, "%4x %8x", &bdf, &ids) != 2 || !last_tab)
        tool_fail("%s/bus/pci/devices: \"%.40s\" is not a device row", tool_proc_root(), line);
    f->bus = bdf >> 8;
    f->dev = (bdf >> 3) & 31;
    f->fn = bdf & 7;
    f->vendor = ids >> 16;
    f->device = ids & 0xffff;
    snprintf(f->driver, sizeof f->driver, "%s", last_tab + 1);
}

static void print_function(const struct function *f, int numeric, int drivers)
{
    const char *vendor = vendor_name(f->vendor), *device = device_name(f->vendor, f->device);

    printf("%02x:%02x.%x ", f->bus, f->dev, f->fn);
    if (numeric) {
        printf("%02x%02x: %04x:%04x", f->class_code, f->subclass, f->vendor, f->device);
    } else {
        printf("%s [%02x%02x]: ", class_name(f->class_code, f->subclass), f->class_code, f->subclass);
        if (vendor)
            printf("%s ", vendor);
        else
            printf("Vendor %04x ", f->vendor);
        if (device)
            printf("%s ", device);
        else
            printf("Device %04x ", f->device);
        printf("[%04x:%04x]", f->vendor, f->device);
    }
    if (f->revision)
        printf(" (rev %02x)", f->revision);
    putchar('\n');
    if (drivers && f->driver[0])
        printf("\tKernel driver in use: %s\n", f->driver);
}

int main(int argc, char **argv)
{
    int numeric = 0, drivers = 0, opt;
    char *text, *line, *save = NULL;

    tool_name = "lspci";
    while ((opt = getopt(argc, argv, "nk")) != -1) {
        if (opt == 'n')
            numeric = 1;
        else if (opt == 'k')
            drivers = 1;
        else
            usage();
    }
    if (optind != argc)
        usage();
    text = tool_read_proc_or_fail("bus/pci/devices", NULL);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct function f;
        parse_row(line, &f);
        read_class(&f);
        print_function(&f, numeric, drivers);
    }
    free(text);
    return 0;
}
