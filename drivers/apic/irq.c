/*
 * irq.c - interrupt lines for drivers (see irq.h): the choice between the
 * APIC and the 8259s, vector allocation, and the one entry every claimed
 * line goes through (irq_entry: spurious check, the driver's handler,
 * EOI), installed with trap_register (kernel/arch/x86_64/trap.h).
 *
 * The table of lines is indexed by vector. lines_lock guards its changes
 * (claims and releases, from any CPU) and the IOAPIC registers they
 * program (an index/data pair two CPUs must not interleave): every
 * function named *_locked asserts it. irq_entry does not take it: a claim
 * fills the entry before it publishes fn (a release store), a release
 * masks the line and frees its vector before it clears fn, and the entry
 * reads fn once (an acquire load), so it sees a whole entry or none.
 */
#include <stdint.h>

#include "acpi/acpi.h"
#include "acpi/acpi_kernel.h"
#include "x86/ioapic.h"
#include "apic/irq.h"
#include "apic/irq_route.h"
#include "x86/lapic.h"
#include "arch.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/trap.h"
#include "x86/pic.h"
#include "printk.h"
#include "sync/spinlock.h"

struct irq_line {
    irq_handler_fn *fn;         /* NULL: free */
    void *ctx;
    uint32_t line;              /* GSI in APIC mode, ISA IRQ in PIC mode */
    uint64_t count;
    uint64_t spurious;
};

static struct spinlock lines_lock = SPINLOCK_INIT("irq lines");
static struct irq_line lines[IDT_VECTORS];
static enum irq_mode mode;

enum irq_mode irq_mode(void)
{
    return mode;
}

static void send_eoi(const struct irq_line *l)
{
    if (mode == IRQ_MODE_APIC)
        lapic_eoi();
    else
        pic_eoi(l->line);
}

/* trap_dispatch calls this for every vector a line owns. */
static void irq_entry(struct trap_frame *f, void *ctx)
{
    struct irq_line *l = ctx;
    irq_handler_fn *fn;

    (void)f;
    if (mode == IRQ_MODE_PIC && pic_spurious(l->line)) {
        l->spurious++;                  /* no EOI for a spurious IRQ 7/15 */
        return;
    }
    if (!(fn = __atomic_load_n(&l->fn, __ATOMIC_ACQUIRE))) {
        if (mode == IRQ_MODE_PIC) {     /* a PIC line nobody claimed */
            pic_mask(l->line);
            printk(LOG_WARN, "[irq] ISA IRQ %u raised with no owner: masked\n", (unsigned)l->line);
        }
    } else {
        l->count++;
        fn(l->ctx);
    }
    send_eoi(l);
}

static int vector_ok(int v)
{
    return v >= VEC_PIC_BASE && v <= VEC_IRQ_LAST;
}

static int line_taken_locked(uint32_t line)
{
    spin_assert_held(&lines_lock);
    for (int v = VEC_PIC_BASE; v <= VEC_IRQ_LAST; v++)
        if (lines[v].fn && lines[v].line == line)
            return 1;
    return 0;
}

/* Lowest free vector in 0x30..0xEF; its upper nibble is its priority class. */
static int alloc_vector_locked(void)
{
    spin_assert_held(&lines_lock);
    for (int v = VEC_IRQ_BASE; v <= VEC_IRQ_LAST; v++)
        if (!lines[v].fn && trap_register(v, irq_entry, &lines[v]) == 0)
            return v;
    return IRQ_ERR_NO_VECTOR;
}

/* Fill entry v, fn last: irq_entry reads fn without the lock. */
static void publish_locked(int v, irq_handler_fn *fn, void *ctx, uint32_t line)
{
    spin_assert_held(&lines_lock);
    lines[v] = (struct irq_line){ 0, ctx, line, 0, 0 };
    __atomic_store_n(&lines[v].fn, fn, __ATOMIC_RELEASE);
}

static int claim_apic_locked(uint32_t gsi, unsigned ioapic_flags, irq_handler_fn *fn, void *ctx)
{
    int v;

    spin_assert_held(&lines_lock);
    if (!ioapic_has_gsi(gsi))
        return IRQ_ERR_RANGE;
    if (line_taken_locked(gsi))
        return IRQ_ERR_BUSY;
    v = alloc_vector_locked();
    if (v < 0)
        return v;
    publish_locked(v, fn, ctx, gsi);
    if (ioapic_route(gsi, (uint8_t)v, ioapic_flags, lapic_id()) != 0) {
        trap_unregister(v);
        lines[v].fn = 0;
        return IRQ_ERR_RANGE;
    }
    ioapic_set_masked(gsi, 0);
    return v;
}

/* PIC mode: the vector is fixed by the line, and irq_init already owns it. */
static int claim_pic_locked(uint32_t irq, irq_handler_fn *fn, void *ctx)
{
    int v = VEC_PIC_BASE + (int)irq;

    spin_assert_held(&lines_lock);
    if (irq >= PIC_IRQS || irq == PIC_CASCADE_IRQ)
        return IRQ_ERR_RANGE;
    if (lines[v].fn)
        return IRQ_ERR_BUSY;
    publish_locked(v, fn, ctx, irq);
    pic_unmask(irq);
    return v;
}

static int claim(uint32_t line, unsigned ioapic_flags, irq_handler_fn *fn, void *ctx)
{
    int r;

    spin_lock(&lines_lock);
    if (!fn)
        r = IRQ_ERR_RANGE;
    else if (mode == IRQ_MODE_APIC)
        r = claim_apic_locked(line, ioapic_flags, fn, ctx);
    else if (mode == IRQ_MODE_PIC)
        r = claim_pic_locked(line, fn, ctx);
    else
        r = IRQ_ERR_NOT_READY;
    spin_unlock(&lines_lock);
    return r;
}

int irq_register_isa(unsigned isa_irq, irq_handler_fn *fn, void *ctx)
{
    struct irq_isa_route r;

    if (isa_irq >= IRQ_ISA_LINES)
        return IRQ_ERR_RANGE;
    if (mode != IRQ_MODE_APIC)
        return claim(isa_irq, 0, fn, ctx);
    r = irq_route_isa(acpi_get(), (uint8_t)isa_irq);       /* the MADT's override, if any */
    return claim(r.gsi, r.ioapic_flags, fn, ctx);
}

int irq_register_gsi(uint32_t gsi, unsigned gsi_flags, irq_handler_fn *fn, void *ctx)
{
    unsigned f = 0;

    if (gsi_flags & IRQ_GSI_ACTIVE_LOW)
        f |= IOAPIC_ACTIVE_LOW;
    if (gsi_flags & IRQ_GSI_LEVEL)
        f |= IOAPIC_LEVEL;
    return claim(gsi, f, fn, ctx);
}

void irq_release(int handle)
{
    if (!vector_ok(handle))
        return;
    spin_lock(&lines_lock);
    if (lines[handle].fn) {
        if (mode == IRQ_MODE_APIC) {
            ioapic_set_masked(lines[handle].line, 1);
            trap_unregister(handle);
        } else {
            pic_mask(lines[handle].line);
        }
        __atomic_store_n(&lines[handle].fn, 0, __ATOMIC_RELEASE);
    }
    spin_unlock(&lines_lock);
}

uint64_t irq_count(int handle)
{
    return vector_ok(handle) ? lines[handle].count : 0;
}

int64_t irq_line_of(int handle)
{
    return vector_ok(handle) && lines[handle].fn ? (int64_t)lines[handle].line : -1;
}

static enum irq_mode start_pic_mode(const char *why)
{
    for (int irq = 0; irq < PIC_IRQS; irq++) {
        lines[VEC_PIC_BASE + irq] = (struct irq_line){ 0, 0, (uint32_t)irq, 0, 0 };
        trap_register(VEC_PIC_BASE + irq, irq_entry, &lines[VEC_PIC_BASE + irq]);
    }
    printk(LOG_WARN, "[apic] %s: falling back to the 8259 PICs (ISA IRQs on vectors 0x%x..0x%x)\n",
           why, VEC_PIC_BASE, VEC_PIC_BASE + PIC_IRQS - 1);
    return mode = IRQ_MODE_PIC;
}

enum irq_mode irq_init(int force_pic)
{
    const struct acpi_info *acpi = acpi_get();

    pic_init();
    if (force_pic)
        return start_pic_mode("noapic on the command line");
    if (!acpi || !acpi->has_madt)
        return start_pic_mode("no MADT");
    if (acpi->ioapic_count == 0)
        return start_pic_mode("the MADT lists no IOAPIC");
    if (lapic_init(acpi) != 0)
        return start_pic_mode("no local APIC (CPUID.1:EDX[9] clear)");
    ioapic_init(acpi);
    pic_disable();
    printk(LOG_INFO, "[apic] interrupts through the IOAPIC and the local APIC; 8259 PICs "
           "remapped to 0x%x and masked\n", VEC_PIC_BASE);
    return mode = IRQ_MODE_APIC;
}
