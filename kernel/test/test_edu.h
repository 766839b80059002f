/*
 * test_edu.h - QEMU's edu test device (-device edu; QEMU's
 * docs/specs/edu.txt) for the ktests that raise interrupts with it
 * (test_pci.c defines these, test_cpu_offline.c uses them too): its
 * interrupt-raise register makes it send its MSI (or assert INTx) at once.
 */
#pragma once

#include <stdint.h>

#include "pci/pci.h"
#include "test/ktest.h"

struct edu {
    struct pci_dev *d;
    volatile uint8_t *regs;             /* BAR0, mapped */
    volatile uint64_t count;            /* interrupts on_edu took */
    volatile int cpu;                   /* where on_edu last ran, -1 before */
};

/* The edu function, mapped and decoding; 0 (and a skip) when the cell has none. */
int edu_open(struct ktest *t, struct edu *e);
void edu_close(struct edu *e);
/* The handler to give pci_irq_request with the struct edu: acknowledges, counts, notes the CPU. */
void on_edu(void *ctx);
/* Raise the device's interrupt; 1 when on_edu ran within 200 ms. */
int edu_fire(struct edu *e);
