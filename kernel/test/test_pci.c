/*
 * test_pci.c - the PCI core (drivers/pci/): the walk finds what a brute
 * force scan of every bus finds; ECAM and the ports read the same bytes;
 * BARs are sized sanely and left as the firmware set them; message vectors
 * are per CPU and aligned; QEMU's `edu` device (-device edu, in the cells
 * that add it: docs/pci.md) delivers its MSI to the CPU pci_irq_cpu names,
 * on every CPU in turn, and its INTx line to a shared handler chain;
 * QEMU's e1000e (-device e1000e) its four MSI-X vectors, each held back
 * by its entry's mask until pci_irq_request, then delivered on the CPU
 * its vector was spread to, and on another once that CPU goes offline.
 * Cheap: every cell runs them (a few ms of port reads under TCG).
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "apic/irq.h"
#include "arch.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/smp.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "pci/pci.h"
#include "pci/pci_internal.h"
#include "sched/sched.h"
#include "test/ktest.h"
#include "test/test_edu.h"
#include "timer/clock.h"

#define EDU_VENDOR          0x1234
#define EDU_DEVICE          0x11E8
#define EDU_BAR0_SIZE       (1u << 20)  /* QEMU's docs/specs/edu.txt: BAR0, 1 MiB of MMIO */
#define EDU_IDENT           0x00        /* 0xRRrr00ed */
#define EDU_IRQ_STATUS      0x24
#define EDU_IRQ_RAISE       0x60
#define EDU_IRQ_ACK         0x64
#define WAIT_NS             (5 * NS_PER_SEC)   /* a bound on failure only: a busy host may hold a vCPU back */

/* A function at bus:dev.fn as the ports reach it (segment 0), whatever the walk used. */
static struct pci_dev by_ports(uint8_t bus, uint8_t dev, uint8_t fn)
{
    return (struct pci_dev){ .bus = bus, .dev = dev, .fn = fn };
}

/* Does the walk's list hold bus:dev.fn of segment 0? Counts the brute force's finds. */
static int check_present(struct ktest *t, uint8_t bus, uint8_t dev, uint8_t fn, unsigned *found)
{
    struct pci_dev p = by_ports(bus, dev, fn);

    if (pci_read16(&p, PCI_VENDOR_ID) == 0xFFFF)
        return 0;
    ++*found;
    if (!pci_find(0, bus, dev, fn))
        ktest_fail(t, __FILE__, __LINE__, "%02x:%02x.%x answers on the ports, the walk missed it",
                   bus, dev, fn);
    return 1;
}

/* Every bus, device and function through the ports: the walk (bridges, multi-function) missed none. */
void ktest_pci_walk_finds_every_function(struct ktest *t)
{
    unsigned found = 0, listed = 0;

    for (unsigned bus = 0; bus < 256; bus++)
        for (uint8_t dev = 0; dev < 32; dev++) {
            struct pci_dev p = by_ports((uint8_t)bus, dev, 0);

            if (!check_present(t, (uint8_t)bus, dev, 0, &found))
                continue;
            for (uint8_t fn = 1; fn < 8 && (pci_read8(&p, PCI_HEADER_TYPE) & PCI_HEADER_MULTI_FN); fn++)
                check_present(t, (uint8_t)bus, dev, fn, &found);
        }
    for (struct pci_dev *d = pci_first(); d; d = d->next)
        listed += d->segment == 0;
    KTEST_ASSERT(t, found > 0);
    KTEST_ASSERT_EQ(t, listed, found);
}

/* Through ECAM (q35) the same IDs, class, BARs and interrupt registers as through the ports. */
void ktest_pci_ecam_matches_ports(struct ktest *t)
{
    static const unsigned offs[] = { 0x00, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C, 0x20, 0x24, 0x2C, 0x3C };

    KTEST_ASSERT_STR_EQ(t, pci_config_method(), acpi_get() && acpi_get()->mcfg_count ? "ecam" : "ports");
    for (struct pci_dev *d = pci_first(); d; d = d->next) {
        struct pci_dev p = by_ports(d->bus, d->dev, d->fn);

        KTEST_ASSERT_EQ(t, pci_read16(d, PCI_VENDOR_ID), d->vendor);
        KTEST_ASSERT_EQ(t, pci_read8(d, PCI_DEVICE_ID + 1), d->device >> 8);
        if (d->segment != 0 || !d->ecam)
            continue;
        for (unsigned i = 0; i < sizeof offs / sizeof offs[0]; i++)
            if (!KTEST_ASSERT_EQ(t, pci_read32(d, offs[i]), pci_read32(&p, offs[i])))
                return;
    }
}

/* One BAR: a power of two, aligned, I/O below 64 KiB, still holding its base after sizing. */
static void check_bar(struct ktest *t, const struct pci_dev *d, unsigned i)
{
    const struct pci_bar *b = &d->bar[i];
    uint32_t reg = pci_read32(d, PCI_BAR0 + 4 * i);

    KTEST_ASSERT_EQ(t, b->size & (b->size - 1), 0);
    KTEST_ASSERT_EQ(t, b->base & (b->size - 1), 0);
    if (b->flags & PCI_BAR_IO) {
        KTEST_ASSERT(t, b->base + b->size <= 0x10000);
        KTEST_ASSERT_EQ(t, reg & ~3u, b->base);
        return;
    }
    KTEST_ASSERT_EQ(t, reg & ~0xFu, (uint32_t)b->base);
    if (b->flags & PCI_BAR_MEM64)
        KTEST_ASSERT(t, i + 1 < PCI_MAX_BARS && d->bar[i + 1].size == 0);
}

void ktest_pci_bars_sane(struct ktest *t)
{
    unsigned sized = 0;

    for (struct pci_dev *d = pci_first(); d; d = d->next) {
        for (unsigned i = 0; i < PCI_MAX_BARS; i++)
            if (d->bar[i].size && ++sized)
                check_bar(t, d, i);
        if (d->vendor == EDU_VENDOR && d->device == EDU_DEVICE) {
            KTEST_ASSERT_EQ(t, d->bar[0].size, EDU_BAR0_SIZE);
            KTEST_ASSERT_EQ(t, d->bar[0].flags & PCI_BAR_IO, 0);
            KTEST_ASSERT(t, d->cap_msi != 0);
            KTEST_ASSERT_EQ(t, d->cap_msi, pci_find_cap(d, PCI_CAP_ID_MSI));
        }
    }
    KTEST_ASSERT(t, sized > 0);         /* every QEMU machine has a BAR somewhere (IDE, AHCI, VGA) */
}

/* Vectors are per CPU: one held on CPU 0 is still given on CPU 1; blocks are aligned. */
void ktest_irq_msi_vectors_per_cpu(struct ktest *t)
{
    int h0, block[4], other[IRQ_MAX_HANDLES];
    unsigned n = 0, same = 0;

    if (irq_mode() != IRQ_MODE_APIC) {
        KTEST_ASSERT_EQ(t, irq_alloc_msi(0, 1, &h0), IRQ_ERR_RANGE);    /* messages need the local APIC */
        return;
    }
    if (!KTEST_ASSERT_EQ(t, irq_alloc_msi(0, 4, block), 0))
        return;
    KTEST_ASSERT_EQ(t, irq_vector_of(block[0]) % 4, 0);
    for (unsigned i = 1; i < 4; i++)
        KTEST_ASSERT_EQ(t, irq_vector_of(block[i]), irq_vector_of(block[0]) + (int)i);
    KTEST_ASSERT_EQ(t, irq_alloc_msi(0, 3, &h0), IRQ_ERR_RANGE);
    for (; smp_cpus_online() > 1 && !same && n < IRQ_MAX_HANDLES / 2; n++) {
        if (irq_alloc_msi(1, 1, &other[n]) != 0)
            break;
        KTEST_ASSERT_EQ(t, irq_cpu_of(other[n]), 1);
        same = irq_vector_of(other[n]) == irq_vector_of(block[0]);
    }
    KTEST_ASSERT(t, smp_cpus_online() == 1 || same);
    while (n--)
        irq_release(other[n]);
    for (unsigned i = 0; i < 4; i++)
        irq_release(block[i]);
}

/* --- QEMU's edu device (test_edu.h: test_cpu_offline.c uses it too) --- */

static void edu_ack(struct edu *e)
{
    uint32_t status = arch_mmio_read32(e->regs + EDU_IRQ_STATUS);

    if (status)
        arch_mmio_write32(e->regs + EDU_IRQ_ACK, status);
}

void on_edu(void *ctx)
{
    struct edu *e = ctx;

    e->cpu = (int)percpu_cpu_id();
    edu_ack(e);
    e->count++;
}

static void on_neighbour(void *ctx)
{
    ++*(volatile uint64_t *)ctx;
}

/* The edu function, mapped and decoding; 0 (and a skip) when the cell has none. */
int edu_open(struct ktest *t, struct edu *e)
{
    struct pci_dev *d;

    for (d = pci_first(); d && !(d->vendor == EDU_VENDOR && d->device == EDU_DEVICE); d = d->next)
        ;
    if (!d) {
        KTEST_SKIP(t, "no edu device (-device edu) on this machine");
        return 0;
    }
    *e = (struct edu){ d, (volatile uint8_t *)pci_map_bar(d, 0, 0), 0, -1 };
    if (!KTEST_ASSERT(t, e->regs))
        return 0;
    pci_enable(d, PCI_ENABLE_MEM);
    KTEST_ASSERT_EQ(t, arch_mmio_read32(e->regs + EDU_IDENT) & 0xFF, 0xED);
    return 1;
}

void edu_close(struct edu *e)
{
    kva_free((uint64_t)(uintptr_t)e->regs);
}

/* Raise the device's interrupt; 1 when a handler ran within WAIT_NS. */
int edu_fire(struct edu *e)
{
    uint64_t before = e->count, t0 = clock_ns();

    e->cpu = -1;
    arch_mmio_write32(e->regs + EDU_IRQ_RAISE, 1);
    while (e->count == before && clock_ns() - t0 < WAIT_NS)
        arch_cpu_relax();
    return e->count != before;
}

/* MSI, set up once per CPU online: round robin gives each CPU a turn, and each interrupt lands there. */
void ktest_pci_edu_msi(struct ktest *t)
{
    struct edu e;
    uint64_t cpus_hit = 0;

    if (!edu_open(t, &e))
        return;
    if (irq_mode() != IRQ_MODE_APIC) {      /* the 8259s: no local APIC to take a message */
        KTEST_ASSERT_EQ(t, pci_irq_setup(e.d, 1, 1, PCI_IRQ_MSI), IRQ_ERR_RANGE);
        KTEST_ASSERT_EQ(t, pci_irq_setup(e.d, 1, 1, PCI_IRQ_ALL), 1);
        KTEST_ASSERT_EQ(t, e.d->irq_kind, PCI_IRQ_INTX);
        pci_irq_free(e.d);
        return edu_close(&e);
    }
    for (unsigned k = 0; k < smp_cpus_online(); k++) {
        if (!KTEST_ASSERT_EQ(t, pci_irq_setup(e.d, 1, 4, PCI_IRQ_MSI), 1))
            break;
        KTEST_ASSERT_EQ(t, e.d->irq_kind, PCI_IRQ_MSI);
        KTEST_ASSERT_EQ(t, pci_irq_request(e.d, 0, on_edu, &e), 0);
        KTEST_ASSERT(t, edu_fire(&e));
        KTEST_ASSERT_EQ(t, e.cpu, pci_irq_cpu(e.d, 0));
        KTEST_ASSERT_EQ(t, irq_count(e.d->irq_handle[0]), 1);
        cpus_hit |= 1ULL << pci_irq_cpu(e.d, 0);
        pci_irq_free(e.d);
    }
    KTEST_ASSERT_EQ(t, cpus_hit, (smp_cpus_online() >= 64 ? 0 : 1ULL << smp_cpus_online()) - 1);
    edu_close(&e);
}

/* INTx through the firmware's Interrupt Line, shared: a second handler on the line runs too. */
void ktest_pci_edu_intx(struct ktest *t)
{
    struct edu e;
    volatile uint64_t neighbour = 0;
    int h;

    if (!edu_open(t, &e))
        return;
    if (!KTEST_ASSERT_EQ(t, pci_irq_setup(e.d, 1, 1, PCI_IRQ_INTX), 1))
        return edu_close(&e);
    KTEST_ASSERT_EQ(t, pci_irq_request(e.d, 0, on_edu, &e), 0);
    h = irq_register_intx(pci_read8(e.d, PCI_INTERRUPT_LINE), on_neighbour, (void *)&neighbour);
    KTEST_ASSERT(t, h >= 0);
    KTEST_ASSERT_EQ(t, irq_vector_of(h), irq_vector_of(e.d->irq_handle[0]));
    KTEST_ASSERT(t, edu_fire(&e));
    KTEST_ASSERT_EQ(t, e.cpu, pci_irq_cpu(e.d, 0));
    KTEST_ASSERT(t, neighbour >= 1);
    KTEST_ASSERT_EQ(t, arch_mmio_read32(e.regs + EDU_IRQ_STATUS), 0);  /* the level line let go */
    irq_release(h);
    pci_irq_free(e.d);
    edu_close(&e);
}

/* --- MSI-X: QEMU's e1000e (Intel 82574L), whose Interrupt Cause Set register raises any cause --- */

#define E1000E_VENDOR       0x8086
#define E1000E_DEVICE       0x10D3
#define E1000E_ICR          0x00C0      /* 82574 datasheet, 10.2.4: cause read, write 1 to clear */
#define E1000E_ICS          0x00C8      /* cause set */
#define E1000E_IMS          0x00D0      /* mask set (enable) */
#define E1000E_IMC          0x00D8      /* mask clear */
#define E1000E_IVAR         0x00E4      /* cause -> MSI-X vector: 4 bits each, bit 3 valid */
#define E1000E_THROTTLE_US  1000        /* QEMU arms a >= 128 us throttling timer per message (below) */
#define E1000E_QUIET_NS     (20 * NS_PER_MS)   /* slept before MSI-X goes off (e1000e_quiet) */
#define E1000E_CAUSE_RXQ0   20          /* RXQ0, RXQ1, TXQ0, TXQ1: ICR bits 20..23 */
#define E1000E_QUEUES       4
#define MSIX_PBA_OFFSET     8           /* in the MSI-X capability: BIR and offset of the pending bits */

struct nic_vector {
    volatile uint8_t *regs;
    unsigned cause;
    volatile uint64_t count;
    volatile int cpu;
};

static void on_nic(void *ctx)
{
    struct nic_vector *v = ctx;

    arch_mmio_write32(v->regs + E1000E_ICR, 1u << v->cause);
    v->cpu = (int)percpu_cpu_id();
    v->count++;
}

/* The function's MSI-X pending bits, mapped; 0 when not mappable. */
static volatile uint8_t *map_pba(struct pci_dev *d)
{
    uint32_t where = pci_read32(d, d->cap_msix + MSIX_PBA_OFFSET);
    const struct pci_bar *b = &d->bar[where & 7];

    return b->size ? (volatile uint8_t *)kva_map_mmio(b->base + (where & ~7u), 8, VMM_UNCACHED, "test pba") : 0;
}

/* Cause i raised while its entry is masked: pending, not delivered; unmasked by request: delivered there.
 * 0 once a check failed (the caller stops: each further vector would wait its bound too). */
static int check_vector(struct ktest *t, struct pci_dev *d, volatile uint8_t *pba, struct nic_vector *v,
                         unsigned i)
{
    uint64_t t0;

    arch_mmio_write32(v->regs + E1000E_ICS, 1u << v->cause);
    if (!KTEST_ASSERT(t, arch_mmio_read32(pba) & (1u << i)) ||     /* held back by the per-vector mask */
        !KTEST_ASSERT_EQ(t, v->count, 0) || !KTEST_ASSERT_EQ(t, pci_irq_request(d, i, on_nic, v), 0))
        return 0;
    for (t0 = clock_ns(); v->count == 0 && clock_ns() - t0 < WAIT_NS;)
        arch_cpu_relax();
    return KTEST_ASSERT_EQ(t, v->count, 1) && KTEST_ASSERT_EQ(t, v->cpu, pci_irq_cpu(d, i)) &&
           KTEST_ASSERT_EQ(t, pci_irq_cpu(d, i), (int)irq_msi_cpu(i)) &&     /* vector i on CPU i mod online */
           KTEST_ASSERT_EQ(t, arch_mmio_read32(pba) & (1u << i), 0);
}

/* The e1000e function, or NULL and a skip. */
static struct pci_dev *e1000e_find(struct ktest *t)
{
    struct pci_dev *d;

    for (d = pci_first(); d && !(d->vendor == E1000E_VENDOR && d->device == E1000E_DEVICE); d = d->next)
        ;
    if (!d)
        KTEST_SKIP(t, "no e1000e (-device e1000e) on this machine");
    return d;
}

/* Its RXQ0..TXQ1 causes routed to vectors 0..3 and enabled. */
static void e1000e_route(volatile uint8_t *regs)
{
    arch_mmio_write32(regs + E1000E_IVAR, 0xBA98);              /* RXQ0..TXQ1 -> vectors 0..3, valid */
    arch_mmio_write32(regs + E1000E_IMS, 0xFu << E1000E_CAUSE_RXQ0);
}

/* Causes off; QEMU's e1000e arms a throttling timer of at least 128 us after each message (its EITR
 * has a floor) and asserts MSI-X is still on when it fires: let them run out before turning it off.
 * Sleeping, not spinning: the timers run in QEMU's main loop, which a busy virtual CPU on the same
 * host CPU (the tests pin each QEMU to one) can hold off for milliseconds; a halted one cannot. */
static void e1000e_quiet(struct pci_dev *d, volatile uint8_t *regs)
{
    arch_mmio_write32(regs + E1000E_IMC, 0xFFFFFFFFu);
    sched_sleep_ns(E1000E_QUIET_NS);
    pci_irq_free(d);
}

void ktest_pci_msix_e1000e(struct ktest *t)
{
    struct nic_vector v[E1000E_QUEUES];
    struct pci_dev *d = e1000e_find(t);
    volatile uint8_t *regs, *pba;

    if (!d)
        return;
    regs = (volatile uint8_t *)pci_map_bar(d, 0, 0);
    pba = map_pba(d);
    if (!KTEST_ASSERT(t, regs && pba && d->cap_msix) ||
        !KTEST_ASSERT_EQ(t, pci_irq_setup(d, E1000E_QUEUES, E1000E_QUEUES, PCI_IRQ_MSIX), E1000E_QUEUES))
        goto out;
    KTEST_ASSERT_EQ(t, d->irq_kind, PCI_IRQ_MSIX);
    e1000e_route(regs);
    for (unsigned i = 0; i < E1000E_QUEUES; i++) {
        v[i] = (struct nic_vector){ regs, E1000E_CAUSE_RXQ0 + i, 0, -1 };
        if (!check_vector(t, d, pba, &v[i], i))
            break;
    }
    e1000e_quiet(d, regs);
out:
    kva_free((uint64_t)(uintptr_t)pba);
    kva_free((uint64_t)(uintptr_t)regs);
}

/* Cause 1 raised `n` times, each delivered (within WAIT_NS) on CPU `cpu`. */
static void raise_on(struct ktest *t, struct nic_vector *v, unsigned n, int cpu)
{
    for (unsigned k = 0; k < n; k++) {
        uint64_t before = v->count, t0 = clock_ns();

        v->cpu = -1;
        arch_mmio_write32(v->regs + E1000E_ICS, 1u << v->cause);
        while (v->count == before && clock_ns() - t0 < WAIT_NS)
            arch_cpu_relax();
        if (!KTEST_ASSERT_EQ(t, v->count, before + 1) || !KTEST_ASSERT_EQ(t, v->cpu, cpu))
            return;
        clock_delay_us(E1000E_THROTTLE_US);
    }
}

/*
 * CPU 1 goes offline with MSI-X vector 1 on it (smp_offline.c): the
 * entry is rewritten, masked meanwhile (pci_irq.c, msix_move), and cause
 * 1 then arrives on the vector's new CPU, never on CPU 1.
 */
void ktest_pci_msix_e1000e_offline(struct ktest *t)
{
    struct pci_dev *d = e1000e_find(t);
    struct nic_vector v;
    volatile uint8_t *regs;
    uint64_t there;
    int now;

    if (!d)
        return;
    if (smp_cpus_online() < 2)
        return KTEST_SKIP(t, "one CPU online: none to take offline");
    if (!KTEST_ASSERT(t, (regs = (volatile uint8_t *)pci_map_bar(d, 0, 0))))
        return;
    if (!KTEST_ASSERT_EQ(t, pci_irq_setup(d, E1000E_QUEUES, E1000E_QUEUES, PCI_IRQ_MSIX), E1000E_QUEUES))
        return kva_free((uint64_t)(uintptr_t)regs);
    e1000e_route(regs);
    v = (struct nic_vector){ regs, E1000E_CAUSE_RXQ0 + 1, 0, -1 };
    KTEST_ASSERT_EQ(t, pci_irq_request(d, 1, on_nic, &v), 0);
    raise_on(t, &v, 1, 1);
    if (KTEST_ASSERT_EQ(t, smp_cpu_offline(1), 0)) {
        there = irq_cpu_count(1);
        now = pci_irq_cpu(d, 1);
        KTEST_ASSERT(t, now >= 0 && now != 1 && smp_cpu_active((unsigned)now));
        raise_on(t, &v, 5, now);
        KTEST_ASSERT_EQ(t, irq_cpu_count(1), there);
        KTEST_ASSERT_EQ(t, smp_cpu_online_again(1), 0);
    }
    e1000e_quiet(d, regs);
    kva_free((uint64_t)(uintptr_t)regs);
}
