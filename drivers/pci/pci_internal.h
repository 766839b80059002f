/*
 * pci_internal.h - what the files of drivers/pci/ share and drivers do not
 * see: the set-up of configuration access (pci_config.c), BAR sizing
 * (pci_bar.c) and the capability walk (pci_cap.c), each called by the
 * enumeration in pci.c.
 */
#pragma once

#include <stdint.h>

#include "pci/pci.h"

/* Standard header offsets (PCI 3.0, 6.1; the type 1 bridge header, PCI-to-PCI Bridge 1.2, 3.2). */
#define PCI_VENDOR_ID       0x00
#define PCI_DEVICE_ID       0x02
#define PCI_COMMAND         0x04
#define PCI_STATUS          0x06
#define PCI_REVISION        0x08        /* then prog-if, subclass, class */
#define PCI_HEADER_TYPE     0x0E
#define PCI_BAR0            0x10
#define PCI_CAP_PTR         0x34
#define PCI_INTERRUPT_LINE  0x3C
#define PCI_INTERRUPT_PIN   0x3D
#define PCI_SECONDARY_BUS   0x19        /* type 1 */

#define PCI_COMMAND_IO          (1u << 0)
#define PCI_COMMAND_MEM         (1u << 1)
#define PCI_COMMAND_MASTER      (1u << 2)
#define PCI_COMMAND_INTX_OFF    (1u << 10)
#define PCI_STATUS_CAP_LIST     (1u << 4)
#define PCI_HEADER_MULTI_FN     0x80
#define PCI_HEADER_LAYOUT       0x7F    /* 0 function, 1 PCI-to-PCI bridge, 2 CardBus */

/* Make ECAM regions of the MCFG usable; how many (0: the ports). */
int pci_config_init(void);
/* Bus `bus` of `segment`'s ECAM, mapped on first use; NULL: the ports serve it. */
volatile uint8_t *pci_config_bus_ecam(uint16_t segment, uint8_t bus);

/* Size every BAR of d (decoding off meanwhile) into d->bar[]. */
void pci_bar_size_all(struct pci_dev *d);
/* Read d's capability list: cap_msi, cap_msix, cap_pcie. */
void pci_cap_read(struct pci_dev *d);
