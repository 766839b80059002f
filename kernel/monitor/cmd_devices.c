/*
 * cmd_devices.c - the monitor's device lists: lspci (every PCI function,
 * drivers/pci) and lsblk (every block device, drivers/block). Each line is
 * the text of the device's line in the boot log ([pci], [blk]), made by
 * the same function (pci_describe, block_describe).
 */
#include "block/blockdev.h"
#include "monitor/commands.h"
#include "pci/pci.h"

int monitor_cmd_lspci(struct monitor *m, int argc, char **argv)
{
    char line[PCI_DESCRIBE_MAX];

    (void)argc;
    (void)argv;
    if (!pci_first())
        return monitor_error(m, "lspci", "no PCI functions found");
    for (const struct pci_dev *d = pci_first(); d; d = d->next) {
        pci_describe(d, line, sizeof line);
        monitor_printf(m, "%s\n", line);
    }
    return 0;
}

int monitor_cmd_lsblk(struct monitor *m, int argc, char **argv)
{
    char line[BLOCK_DESCRIBE_MAX];

    (void)argc;
    (void)argv;
    if (!block_first())
        return monitor_error(m, "lsblk", "no block devices");
    for (const struct block_device *d = block_first(); d; d = d->next) {
        block_describe(d, line, sizeof line);
        monitor_printf(m, "%s\n", line);
    }
    return 0;
}
