/*
 * irq.c - interrupt lines and message vectors for drivers (see irq.h): the
 * choice between the APIC and the 8259s, the one vector allocator, and the
 * one entry every vector of ours goes through (irq_entry: spurious check,
 * the handlers, EOI), installed with trap_register
 * (kernel/arch/x86_64/trap.h).
 *
 * Data: a pool of actions, one per claim or message vector (handler,
 * context, count; a handle is its index), and one table per CPU indexed
 * by vector, each entry the head of a chain of actions: more than one only
 * on a shared line. trap.c's table of handlers is one for all CPUs, so a
 * vector number is registered there (irq_entry, with the vector as
 * context) while any CPU uses it: users[] counts them.
 *
 * Locking: lines_lock guards the pool, the tables, users[] and the IOAPIC
 * registers claims program (an index/data pair two CPUs must not
 * interleave): every *_locked function asserts it. irq_entry takes no
 * lock: it marks the vector it serves in serving[cpu] first, then reads
 * the chain with acquire loads; a claim fills its action before it links
 * it (a release store); a release masks the source, unlinks the action,
 * then waits until that CPU no longer serves that vector (wait_unused),
 * so no CPU still runs the handler when the action goes back to the pool.
 *
 * Moving (a CPU going offline, the last part of this file): a message
 * vector moves to another CPU with its handle; a ghost action takes its
 * old place and runs its handler for any message still sent there, until
 * that CPU has drained the old vector (irq_msi_move_end).
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
#include "arch/x86_64/smp.h"
#include "arch/x86_64/trap.h"
#include "x86/pic.h"
#include "panic.h"
#include "printk.h"
#include "mutant.h"
#include "sync/spinlock.h"

#define NO_LINE     0xFFFFFFFFu         /* an action with no line: a message vector */
#define SLOTS       (VEC_IRQ_LAST - VEC_PIC_BASE + 1)
#define BOOT_CPU    0                   /* where IOAPIC and PIC lines are delivered */
#define MSI_ADDRESS_BASE 0xFEE00000u    /* the local APICs' message window (SDM vol. 3A, 10.11.1) */
#define MSI_DEST_SHIFT  12
#define MSI_DEST_MAX    255             /* 8 bits of destination ID without interrupt remapping */

struct irq_action {
    irq_handler_fn *fn;                 /* NULL: a message vector with no handler yet */
    void *ctx;
    struct irq_action *next;            /* the next handler of the same vector and CPU */
    uint64_t count;
    uint32_t line;                      /* GSI (APIC mode), ISA IRQ (PIC mode), or NO_LINE */
    unsigned flags;                     /* IRQ_GSI_* the line was claimed with */
    uint16_t cpu;
    uint8_t vector;
    uint8_t used;
    uint8_t block;                      /* the first of an irq_alloc_msi block: its size; else 0 */
    /* moving a message vector to another CPU (irq_msi_move_begin .. _end) */
    struct irq_action *owner;           /* a ghost: the action it stands in for at the old place */
    struct irq_action *ghost;           /* an action being moved: its ghost at the old place */
    struct irq_action *via;             /* and one at (old CPU, new vector): IRQ_MOVE_TWO_STEP */
    irq_mover_fn *mover;                /* who rewrites the device (irq_set_mover), block's first */
    void *mover_ctx;
};

static struct spinlock lines_lock = SPINLOCK_INIT("irq lines");
static struct irq_action actions[IRQ_MAX_HANDLES];
static struct irq_action *table[SMP_MAX_CPUS][SLOTS];
static unsigned users[IDT_VECTORS];     /* CPUs whose table uses the vector */
static volatile uint8_t serving[SMP_MAX_CPUS];  /* the vector irq_entry runs on each CPU, 0: none */
static uint64_t spurious;
static uint64_t served_on[SMP_MAX_CPUS];       /* interrupts with a handler, each CPU's own counter */
static enum irq_mode mode;

enum irq_mode irq_mode(void)
{
    return mode;
}

static struct irq_action **head(unsigned cpu, unsigned vector)
{
    return &table[cpu][vector - VEC_PIC_BASE];
}

static void send_eoi(unsigned vector)
{
    if (mode == IRQ_MODE_APIC)
        lapic_eoi();
    else
        pic_eoi(vector - VEC_PIC_BASE);
}

/*
 * Every handler of the vector on this CPU; 1 when there was one. A ghost
 * (a vector being moved, irq_msi_move_begin) runs and counts its owner:
 * the two may run at once on two CPUs, hence the atomic count.
 */
static int run_chain(unsigned cpu, unsigned vector)
{
    struct irq_action *a = __atomic_load_n(head(cpu, vector), __ATOMIC_ACQUIRE);
    int any = 0;

    for (; a; a = __atomic_load_n(&a->next, __ATOMIC_ACQUIRE), any = 1) {
        struct irq_action *o = a->owner ? a->owner : a;
        irq_handler_fn *fn = __atomic_load_n(&o->fn, __ATOMIC_ACQUIRE);

        __atomic_fetch_add(&o->count, 1, __ATOMIC_RELAXED);
        if (fn)
            fn(o->ctx);
    }
    return any;
}

/* trap_dispatch calls this for every vector of ours; ctx is the vector. */
static void irq_entry(struct trap_frame *f, void *ctx)
{
    unsigned vector = (unsigned)(uintptr_t)ctx, cpu = percpu_cpu_id();

    (void)f;
    if (mode == IRQ_MODE_PIC && pic_spurious(vector - VEC_PIC_BASE)) {
        spurious++;                     /* no EOI for a spurious IRQ 7/15 */
        return;
    }
    __atomic_store_n(&serving[cpu], (uint8_t)vector, __ATOMIC_SEQ_CST);
    if (run_chain(cpu, vector))
        served_on[cpu]++;
    else if (mode == IRQ_MODE_PIC) {                            /* a PIC line nobody claimed */
        pic_mask(vector - VEC_PIC_BASE);
        printk(LOG_WARN, "[irq] ISA IRQ %u raised with no owner: masked\n", vector - VEC_PIC_BASE);
    }
    __atomic_store_n(&serving[cpu], 0, __ATOMIC_RELEASE);
    send_eoi(vector);
}

static struct irq_action *action_of(int handle)
{
    if (handle < 0 || handle >= IRQ_MAX_HANDLES || !actions[handle].used)
        return 0;
    return &actions[handle];
}

/* A claim of the line already made (the first, whose vector the others share), or NULL. */
static struct irq_action *line_owner_locked(uint32_t line)
{
    spin_assert_held(&lines_lock);
    for (int i = 0; i < IRQ_MAX_HANDLES; i++)
        if (actions[i].used && actions[i].line == line)
            return &actions[i];
    return 0;
}

/* Vector v may be given on cpu: its entry is empty, and trap.c's is ours or free. */
static int vector_free_locked(unsigned cpu, unsigned v)
{
    spin_assert_held(&lines_lock);
    if (*head(cpu, v))
        return 0;
    for (unsigned c = 0; MUTANT_ENABLED(irq_global_vectors) && c < SMP_MAX_CPUS; c++)
        if (*head(c, v))
            return 0;
    return users[v] || trap_vector_free((int)v);     /* not someone else's (a benchmark's) */
}

/* The lowest block of n vectors in 0x30..0xEF free on cpu and on `also`, aligned to n; or IRQ_ERR_NO_VECTOR. */
static int find_vectors_both_locked(unsigned cpu, unsigned also, unsigned n)
{
    spin_assert_held(&lines_lock);
    for (unsigned v = VEC_IRQ_BASE; v + n - 1 <= VEC_IRQ_LAST; v += n) {
        unsigned k = 0;

        while (k < n && vector_free_locked(cpu, v + k) && vector_free_locked(also, v + k))
            k++;
        if (k == n)
            return (int)v;
    }
    return IRQ_ERR_NO_VECTOR;
}

static int find_vectors_locked(unsigned cpu, unsigned n)
{
    return find_vectors_both_locked(cpu, cpu, n);
}

/* A free action filled in (not linked yet), or NULL when the pool is empty. */
static struct irq_action *new_action_locked(unsigned cpu, unsigned v, uint32_t line, unsigned flags,
                                            irq_handler_fn *fn, void *ctx)
{
    spin_assert_held(&lines_lock);
    for (int i = 0; i < IRQ_MAX_HANDLES; i++)
        if (!actions[i].used) {
            actions[i] = (struct irq_action){ .fn = fn, .ctx = ctx, .line = line, .flags = flags,
                                              .cpu = (uint16_t)cpu, .vector = (uint8_t)v, .used = 1 };
            return &actions[i];
        }
    return 0;
}

/* Append a to its vector's chain (last: the entry sees a whole action or none). */
static void link_locked(struct irq_action *a)
{
    struct irq_action **p = head(a->cpu, a->vector);

    spin_assert_held(&lines_lock);
    if (users[a->vector]++ == 0 && a->vector >= VEC_IRQ_BASE)
        trap_register(a->vector, irq_entry, (void *)(uintptr_t)a->vector);
    while (*p)
        p = &(*p)->next;
    __atomic_store_n(p, a, __ATOMIC_RELEASE);
}

/* Wait until a's CPU is not inside a's vector (the unlinked action may still be read there). */
static void wait_unused(const struct irq_action *a)
{
    while (__atomic_load_n(&serving[a->cpu], __ATOMIC_SEQ_CST) == a->vector &&
           a->cpu != percpu_cpu_id())
        arch_cpu_relax();
}

static void unlink_locked(struct irq_action *a)
{
    struct irq_action **p = head(a->cpu, a->vector);

    spin_assert_held(&lines_lock);
    while (*p != a)
        p = &(*p)->next;
    __atomic_store_n(p, a->next, __ATOMIC_RELEASE);
    wait_unused(a);
    if (--users[a->vector] == 0 && a->vector >= VEC_IRQ_BASE)
        trap_unregister(a->vector);
    a->used = 0;
}

/* The action's handle, its index in the pool. */
static int handle_of(const struct irq_action *a)
{
    return (int)(a - actions);
}

/* Join a shared line's vector, or refuse: both claims must say shared, with the same wiring. */
static int join_locked(struct irq_action *owner, unsigned flags, irq_handler_fn *fn, void *ctx)
{
    struct irq_action *a;

    spin_assert_held(&lines_lock);
    if (!(flags & IRQ_GSI_SHARED) || owner->flags != flags || MUTANT_ENABLED(irq_shared))
        return IRQ_ERR_BUSY;
    if (!(a = new_action_locked(owner->cpu, owner->vector, owner->line, flags, fn, ctx)))
        return IRQ_ERR_NO_VECTOR;
    link_locked(a);
    return handle_of(a);
}

static unsigned ioapic_flags_of(unsigned gsi_flags)
{
    return (gsi_flags & IRQ_GSI_ACTIVE_LOW ? IOAPIC_ACTIVE_LOW : 0) |
           (gsi_flags & IRQ_GSI_LEVEL ? IOAPIC_LEVEL : 0);
}

static int claim_apic_locked(uint32_t gsi, unsigned flags, irq_handler_fn *fn, void *ctx)
{
    struct irq_action *a, *owner;
    int v;

    spin_assert_held(&lines_lock);
    if (!ioapic_has_gsi(gsi))
        return IRQ_ERR_RANGE;
    if ((owner = line_owner_locked(gsi)))
        return join_locked(owner, flags, fn, ctx);
    if ((v = find_vectors_locked(BOOT_CPU, 1)) < 0)
        return v;
    if (!(a = new_action_locked(BOOT_CPU, (unsigned)v, gsi, flags, fn, ctx)))
        return IRQ_ERR_NO_VECTOR;
    link_locked(a);
    if (ioapic_route(gsi, (uint8_t)v, ioapic_flags_of(flags), smp_cpu(BOOT_CPU)->apic_id) != 0) {
        unlink_locked(a);
        return IRQ_ERR_RANGE;
    }
    ioapic_set_masked(gsi, 0);
    return handle_of(a);
}

/* PIC mode: the vector is fixed by the line, and irq_init already owns it. */
static int claim_pic_locked(uint32_t irq, unsigned flags, irq_handler_fn *fn, void *ctx)
{
    struct irq_action *a, *owner;

    spin_assert_held(&lines_lock);
    if (irq >= PIC_IRQS || irq == PIC_CASCADE_IRQ)
        return IRQ_ERR_RANGE;
    if ((owner = line_owner_locked(irq)))
        return join_locked(owner, flags, fn, ctx);
    if (!(a = new_action_locked(BOOT_CPU, VEC_PIC_BASE + irq, irq, flags, fn, ctx)))
        return IRQ_ERR_NO_VECTOR;
    link_locked(a);
    pic_unmask(irq);
    return handle_of(a);
}

static int claim(uint32_t line, unsigned flags, irq_handler_fn *fn, void *ctx)
{
    int r;

    spin_lock(&lines_lock);
    if (!fn)
        r = IRQ_ERR_RANGE;
    else if (mode == IRQ_MODE_APIC)
        r = claim_apic_locked(line, flags, fn, ctx);
    else if (mode == IRQ_MODE_PIC)
        r = claim_pic_locked(line, flags, fn, ctx);
    else
        r = IRQ_ERR_NOT_READY;
    spin_unlock(&lines_lock);
    return r;
}

static unsigned gsi_flags_of(unsigned ioapic_flags)
{
    return (ioapic_flags & IOAPIC_ACTIVE_LOW ? IRQ_GSI_ACTIVE_LOW : 0) |
           (ioapic_flags & IOAPIC_LEVEL ? IRQ_GSI_LEVEL : 0);
}

int irq_register_isa(unsigned isa_irq, irq_handler_fn *fn, void *ctx)
{
    struct irq_isa_route r;

    if (isa_irq >= IRQ_ISA_LINES)
        return IRQ_ERR_RANGE;
    if (mode != IRQ_MODE_APIC)
        return claim(isa_irq, 0, fn, ctx);
    r = irq_route_isa(acpi_get(), (uint8_t)isa_irq);       /* the MADT's override, if any */
    return claim(r.gsi, gsi_flags_of(r.ioapic_flags), fn, ctx);
}

int irq_register_gsi(uint32_t gsi, unsigned gsi_flags, irq_handler_fn *fn, void *ctx)
{
    return claim(gsi, gsi_flags, fn, ctx);
}

/* The MADT has an interrupt source override for this ISA IRQ. */
static int has_override(const struct acpi_info *acpi, unsigned isa_irq)
{
    for (unsigned i = 0; acpi && i < acpi->iso_count && i < ACPI_MAX_ISOS; i++)
        if (acpi->isos[i].source == isa_irq)
            return 1;
    return 0;
}

int irq_register_intx(uint8_t line, irq_handler_fn *fn, void *ctx)
{
    if (mode != IRQ_MODE_APIC)
        return claim(line, IRQ_GSI_SHARED, fn, ctx);
    if (line < IRQ_ISA_LINES && has_override(acpi_get(), line)) {
        struct irq_isa_route r = irq_route_isa(acpi_get(), line);
        return claim(r.gsi, gsi_flags_of(r.ioapic_flags) | IRQ_GSI_SHARED, fn, ctx);
    }
    return claim(line, IRQ_GSI_LEVEL | IRQ_GSI_ACTIVE_LOW | IRQ_GSI_SHARED, fn, ctx);
}

int irq_alloc_msi(unsigned cpu, unsigned count, int *handles)
{
    int v = IRQ_ERR_RANGE;

    if (count == 0 || count > IRQ_MSI_MAX_BLOCK || (count & (count - 1)) || !smp_cpu(cpu))
        return IRQ_ERR_RANGE;
    spin_lock(&lines_lock);
    if (mode == IRQ_MODE_APIC && (v = find_vectors_locked(cpu, count)) >= 0)
        for (unsigned i = 0; i < count; i++) {
            struct irq_action *a = new_action_locked(cpu, (unsigned)v + i, NO_LINE, 0, 0, 0);
            if (!a) {
                while (i--)
                    unlink_locked(&actions[handles[i]]);
                v = IRQ_ERR_NO_VECTOR;
                break;
            }
            link_locked(a);
            handles[i] = handle_of(a);
        }
    if (v >= 0)
        actions[handles[0]].block = (uint8_t)count;
    spin_unlock(&lines_lock);
    return v < 0 ? v : 0;
}

unsigned irq_msi_cpu(unsigned n)
{
    unsigned online = smp_cpus_online();

    for (unsigned k = 0; k < online; k++) {
        unsigned cpu = (n + k) % online;
        if (smp_cpu(cpu)->apic_id <= MSI_DEST_MAX && smp_cpu_active(cpu))
            return cpu;
    }
    return BOOT_CPU;
}

int irq_msi_message(int handle, uint64_t *address, uint32_t *data)
{
    const struct irq_action *a = action_of(handle);
    unsigned cpu;

    if (!a || a->line != NO_LINE)
        return IRQ_ERR_RANGE;
    cpu = MUTANT_ENABLED(msi_dest) ? BOOT_CPU : a->cpu;
    *address = MSI_ADDRESS_BASE | (uint64_t)smp_cpu(cpu)->apic_id << MSI_DEST_SHIFT;
    *data = a->vector;                  /* fixed delivery (bits 10:8 = 0), edge (bit 15 = 0) */
    return 0;
}

void irq_set_handler(int handle, irq_handler_fn *fn, void *ctx)
{
    struct irq_action *a;

    spin_lock(&lines_lock);
    if ((a = action_of(handle))) {
        __atomic_store_n(&a->fn, 0, __ATOMIC_RELEASE);     /* never the new fn with the old ctx */
        wait_unused(a);
        if (a->ghost)
            wait_unused(a->ghost);                          /* it runs a's fn on the old CPU */
        if (a->via)
            wait_unused(a->via);
        a->ctx = ctx;
        __atomic_store_n(&a->fn, fn, __ATOMIC_RELEASE);
    }
    spin_unlock(&lines_lock);
}

/* The line's last handler going: close it at the controller. */
static void mask_line_locked(const struct irq_action *a)
{
    spin_assert_held(&lines_lock);
    if (a->line == NO_LINE)
        return;
    if (mode == IRQ_MODE_APIC)
        ioapic_set_masked(a->line, 1);
    else
        pic_mask(a->line);
}

void irq_release(int handle)
{
    struct irq_action *a;

    spin_lock(&lines_lock);
    if ((a = action_of(handle))) {
        uint32_t line = a->line;

        if (a->ghost)
            unlink_locked(a->ghost);
        if (a->via)
            unlink_locked(a->via);
        unlink_locked(a);
        if (line != NO_LINE && !line_owner_locked(line))
            mask_line_locked(a);
    }
    spin_unlock(&lines_lock);
}

/* Still answered after the release, until the handle is given again. */
uint64_t irq_count(int handle)
{
    return handle >= 0 && handle < IRQ_MAX_HANDLES ? actions[handle].count : 0;
}

int64_t irq_line_of(int handle)
{
    const struct irq_action *a = action_of(handle);

    return a && a->line != NO_LINE ? (int64_t)a->line : -1;
}

int irq_vector_of(int handle)
{
    const struct irq_action *a = action_of(handle);

    return a ? a->vector : -1;
}

int irq_cpu_of(int handle)
{
    const struct irq_action *a = action_of(handle);

    return a ? a->cpu : -1;
}

uint64_t irq_cpu_count(unsigned cpu)
{
    return cpu < SMP_MAX_CPUS ? served_on[cpu] : 0;
}

/* --- moving message vectors off a CPU going offline (irq.h, smp_offline.c) --- */

void irq_set_mover(int handle, irq_mover_fn *fn, void *ctx)
{
    struct irq_action *a;

    spin_lock(&lines_lock);
    if ((a = action_of(handle))) {
        a->mover = fn;
        a->mover_ctx = ctx;
    }
    spin_unlock(&lines_lock);
}

/* Claims and message vectors served on cpu: what spreading compares. */
static unsigned load_locked(unsigned cpu)
{
    unsigned n = 0;

    spin_assert_held(&lines_lock);
    for (int i = 0; i < IRQ_MAX_HANDLES; i++)
        n += actions[i].used && actions[i].cpu == cpu && !actions[i].owner;
    return n;
}

/*
 * n free vectors on cpu for a block now at (from, old): any aligned block;
 * with IRQ_MOVE_TWO_STEP the same numbers if free there, else a block free
 * on both CPUs (the message passes through (from, new vector)). Or -1.
 */
static int block_on_locked(unsigned cpu, unsigned n, unsigned from, unsigned old, unsigned flags)
{
    unsigned k = 0;
    int v;

    if (!(flags & IRQ_MOVE_TWO_STEP))
        from = cpu;                     /* any block free on cpu */
    else {
        while (k < n && vector_free_locked(cpu, old + k))
            k++;
        if (k == n)
            return (int)old;
    }
    v = find_vectors_both_locked(cpu, from, n);
    return v < 0 ? -1 : v;
}

/* The least loaded active CPU but `from` a message reaches with a block free; -1 if none. */
static int choose_cpu_locked(unsigned from, unsigned n, unsigned old, unsigned flags, int *vector)
{
    int best = -1;

    for (unsigned cpu = 0; cpu < smp_cpus_online(); cpu++) {
        int v;

        if (cpu == from || !smp_cpu_active(cpu) || smp_cpu(cpu)->apic_id > MSI_DEST_MAX ||
            (v = block_on_locked(cpu, n, from, old, flags)) < 0)
            continue;
        if (best < 0 || load_locked(cpu) < load_locked((unsigned)best)) {
            best = (int)cpu;
            *vector = v;
        }
    }
    return best;
}

/* Handles that make one block of message vectors on one CPU, none moving now. */
static int is_block_locked(const int *handles, unsigned n)
{
    const struct irq_action *a0 = action_of(handles[0]);

    for (unsigned i = 0; a0 && i < n; i++) {
        const struct irq_action *a = action_of(handles[i]);

        if (!a || a->line != NO_LINE || a->ghost || a->owner || a->cpu != a0->cpu ||
            a->vector != a0->vector + i)
            return 0;
    }
    return a0 != 0;
}

/* Free actions in the pool, for the ghosts (two per vector at most). */
static unsigned free_actions_locked(void)
{
    unsigned n = 0;

    for (int i = 0; i < IRQ_MAX_HANDLES; i++)
        n += !actions[i].used;
    return n;
}

/*
 * a leaves its place for a ghost (same CPU and vector, same chain
 * position) and goes to (cpu, v); a second ghost at (old CPU, v) when the
 * vector number changes and the device takes two writes (IRQ_MOVE_TWO_STEP).
 */
static void move_locked(struct irq_action *a, unsigned cpu, unsigned v, unsigned flags)
{
    struct irq_action *g = new_action_locked(a->cpu, a->vector, NO_LINE, 0, 0, 0), **p = head(a->cpu, a->vector);

    while (*p != a)
        p = &(*p)->next;
    g->owner = a;
    g->next = a->next;
    __atomic_store_n(p, g, __ATOMIC_RELEASE);   /* users[] unchanged: g holds a's place */
    a->ghost = g;
    if ((flags & IRQ_MOVE_TWO_STEP) && v != a->vector) {
        a->via = new_action_locked(a->cpu, v, NO_LINE, 0, 0, 0);
        a->via->owner = a;
        link_locked(a->via);
    }
    a->cpu = (uint16_t)cpu;
    a->vector = (uint8_t)v;
    a->next = 0;
    link_locked(a);
}

int irq_msi_move_begin(const int *handles, unsigned count, unsigned flags)
{
    int cpu = IRQ_ERR_RANGE, v = 0;

    spin_lock(&lines_lock);
    if (count && count <= IRQ_MSI_MAX_BLOCK && is_block_locked(handles, count)) {
        const struct irq_action *a0 = &actions[handles[0]];

        cpu = IRQ_ERR_NO_VECTOR;
        if (free_actions_locked() >= 2 * count &&
            (cpu = choose_cpu_locked(a0->cpu, count, a0->vector, flags, &v)) < 0)
            cpu = IRQ_ERR_NO_VECTOR;
        for (unsigned i = 0; cpu >= 0 && i < count; i++)
            move_locked(&actions[handles[i]], (unsigned)cpu, (unsigned)v + i, flags);
    }
    spin_unlock(&lines_lock);
    return cpu;
}

/*
 * The race: a message the device sent to the old vector before it was
 * rewritten sits in the old CPU's IRR (accepted, not yet delivered). This
 * runs on that CPU with interrupts on, so each such message is delivered
 * here (the ghost runs its handler) before the ghost goes.
 */
/* Wait until no message for g's vector is pending here: it has been delivered and handled. */
static void drain(const struct irq_action *g, int handle)
{
    if (!g)
        return;
    if (g->cpu != percpu_cpu_id() || !arch_irq_enabled())
        panic("irq_msi_move_end: handle %d: not on CPU %u with interrupts on", handle, g->cpu);
    while (lapic_irr_pending(g->vector))
        arch_cpu_relax();
}

void irq_msi_move_end(const int *handles, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        drain(actions[handles[i]].ghost, handles[i]);
        drain(actions[handles[i]].via, handles[i]);
    }
    spin_lock(&lines_lock);
    for (unsigned i = 0; i < count; i++) {
        struct irq_action *a = &actions[handles[i]];

        if (a->ghost)
            unlink_locked(a->ghost);
        if (a->via)
            unlink_locked(a->via);
        a->ghost = a->via = 0;
    }
    spin_unlock(&lines_lock);
}

/* The first block on cpu with a mover not tried yet (tried[] marks), or -1. */
static int next_block(unsigned cpu, uint8_t *tried, irq_mover_fn **fn, void **ctx)
{
    int h = -1;

    spin_lock(&lines_lock);
    for (int i = 0; i < IRQ_MAX_HANDLES && h < 0; i++) {
        struct irq_action *a = &actions[i];

        if (a->used && a->cpu == cpu && a->block && !a->owner && !tried[i]) {
            tried[i] = 1;
            h = i;
            *fn = a->mover;
            *ctx = a->mover_ctx;
        }
    }
    spin_unlock(&lines_lock);
    return h;
}

/*
 * Every message vector on cpu, block by block, through its owner's mover
 * (which calls irq_msi_move_begin, rewrites the device, irq_msi_move_end).
 * IOAPIC and PIC lines are all delivered to the boot CPU (BOOT_CPU), which
 * never goes offline: none to move.
 */
unsigned irq_cpu_leave(unsigned cpu)
{
    static uint8_t tried[IRQ_MAX_HANDLES];     /* one leave at a time (smp_offline.c's mutex) */
    unsigned moved = 0;
    irq_mover_fn *fn;
    void *ctx;
    int h;

    for (int i = 0; i < IRQ_MAX_HANDLES; i++)
        tried[i] = 0;
    while ((h = next_block(cpu, tried, &fn, &ctx)) >= 0) {
        unsigned n = actions[h].block;

        if (fn)
            fn(ctx, h);
        if (irq_cpu_of(h) != (int)cpu)
            moved += n;
        else
            printk(LOG_WARN, "[irq] irq_cpu_leave: vector 0x%x (handle %d) stays on CPU %u: %s\n",
                   irq_vector_of(h), h, cpu, fn ? "no vector free elsewhere" : "its owner cannot move it");
    }
    return moved;
}

static enum irq_mode start_pic_mode(const char *why)
{
    for (int irq = 0; irq < PIC_IRQS; irq++) {
        users[VEC_PIC_BASE + irq] = 1;      /* installed for good: never unregistered */
        trap_register(VEC_PIC_BASE + irq, irq_entry, (void *)(uintptr_t)(VEC_PIC_BASE + irq));
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
