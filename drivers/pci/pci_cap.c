/*
 * pci_cap.c - the capability list (PCI 3.0, 6.7): when the status
 * register's bit 4 is set, the byte at 0x34 points to the first
 * capability; each starts with its ID and the offset of the next (0 ends
 * the list). Offsets are dword aligned (the low two bits are reserved and
 * masked off). A list that loops or points into the header is cut short:
 * at most 48 capabilities fit in the 192 bytes after the header.
 */
#include <stdint.h>

#include "pci/pci.h"
#include "pci/pci_internal.h"

#define CAP_FIRST       0x40    /* capabilities live after the 64-byte header */
#define CAP_MAX         48

unsigned pci_find_cap(const struct pci_dev *d, uint8_t cap_id)
{
    unsigned off;

    if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
        return 0;
    off = pci_read8(d, PCI_CAP_PTR) & 0xFC;
    for (int n = 0; n < CAP_MAX && off >= CAP_FIRST; n++) {
        if (pci_read8(d, off) == cap_id)
            return off;
        off = pci_read8(d, off + 1) & 0xFC;
    }
    return 0;
}

void pci_cap_read(struct pci_dev *d)
{
    d->cap_msi = (uint8_t)pci_find_cap(d, PCI_CAP_ID_MSI);
    d->cap_msix = (uint8_t)pci_find_cap(d, PCI_CAP_ID_MSIX);
    d->cap_pcie = (uint8_t)pci_find_cap(d, PCI_CAP_ID_PCIE);
}
