/*
 * smp.c - starting the application processors (see smp.h; docs/smp.md).
 *
 * Layers, in the order they run:
 *   the boot CPU's struct percpu and GS base (cpu id 0), first thing in
 *   kmain (smp_init_boot_cpu), since spinlocks and printk read it;
 *   in smp_init, the TLB shootdown vector (tlb.c);
 *   the trampoline (smp_trampoline.asm) copied to the low page mm_init
 *   kept (mm_low_page), mapped there at VA = PA (read-only, executable)
 *   for the instant paging comes on, its parameter block filled with what
 *   every AP shares: the kernel's CR3, EFER and CR0 as the boot CPU has
 *   them, the C entry point;
 *   per AP, in MADT order: guarded stacks (kernel stack, NMI/#DF/#MC IST
 *   stacks), the stack and struct percpu in the parameter block, the
 *   block's ticket opened for the AP's APIC id, then INIT, 10 ms, SIPI, up
 *   to 200 us, SIPI (Intel SDM vol. 3A, 8.4.4.1); one AP at a time, since
 *   they share the parameter block;
 *   the handshake: the AP's first act is to claim the ticket (one locked
 *   cmpxchg in the trampoline, before it reads anything else from the
 *   block). If it has not within SMP_ANSWER_NS, the boot CPU closes the
 *   ticket with a cmpxchg of its own: exactly one of the two wins. An AP
 *   closed out has touched nothing but its registers: its stacks are
 *   freed, it is never counted, and it is parked (park): INIT, then a
 *   start-up IPI into the trampoline, which finds the ticket not its own
 *   and halts for good in the start-up page, on a stack and a vector table
 *   of that page, so not even an NMI takes it out (left in wait-for-SIPI
 *   instead, QEMU's TCG ran the firmware's reset code on an NMI and
 *   rebooted the machine). An AP that claimed is never reset (it may hold
 *   the heap lock by now): the boot CPU waits up to SMP_SETUP_NS for
 *   `online`, or panics saying so;
 *   the identity mapping goes again, with a TLB shootdown to every AP (the
 *   frame stays reserved all the same).
 * An AP, in ap_entry: CR4 and the PAT as the boot CPU has them, its own
 * GDT and TSS, the GS base, the shared IDT, its local APIC, its FPU, its
 * scheduler queues (its boot context becomes its idle thread); then it
 * says so. It waits until the boot CPU has counted it (from then on TLB
 * shootdowns include it), flushes its TLB of anything older, and runs
 * threads: its own LAPIC tick, interrupts on, the idle loop
 * (sched_run_cpu). Device interrupts stay routed to the boot CPU.
 */
#include <stdint.h>
#include <string.h>

#include "acpi/acpi.h"
#include "acpi/acpi_kernel.h"
#include "x86/lapic.h"
#include "arch.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/tsc.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "format.h"
#include "mm/kva.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "panic.h"
#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define EFER_LME        (1ULL << 8)     /* long mode enable */
#define INIT_WAIT_US    10000           /* SDM vol. 3A 8.4.4.1: 10 ms after INIT */
#define SIPI_WAIT_NS    200000ULL       /* and 200 us after each start-up IPI */
#define PARK_WAIT_NS    100000000ULL    /* how long park waits to see a left-out AP parked */

extern const uint8_t smp_trampoline_start[], smp_trampoline_end[];
extern const uint8_t smp_tramp_cr3[], smp_tramp_efer[], smp_tramp_cr0[];
extern const uint8_t smp_tramp_stack[], smp_tramp_entry[], smp_tramp_arg[];
extern const uint8_t smp_tramp_ticket[], smp_tramp_late_id[], smp_tramp_late_tsc[];
extern const uint8_t smp_tramp_park_idtr[], smp_tramp_park_ivt[], smp_tramp_park_ivt_end[];
extern const uint8_t smp_tramp_park_trap[], smp_tramp_parked[], smp_tramp_parked_end[];
extern const uint8_t smp_tramp_park_traps[];

enum start_result { START_ONLINE, START_PARKED, START_LOST };

static struct percpu cpus[SMP_MAX_CPUS];
static volatile unsigned online = 1;
static uint64_t tramp_phys;             /* the low page */
static uint64_t boot_cr4;               /* what each AP loads once in long mode */
static unsigned left_out;               /* APs that never claimed their block in time */
static uint32_t left_out_ids[SMP_MAX_CPUS]; /* their APIC ids */
static uint64_t slow_setup_ns;          /* tests: smp_delay_ap_setup= for the first AP */
static uint32_t slow_apic_id = ~0u;     /* that AP's APIC id */

unsigned smp_cpus_online(void)
{
    return online;
}

unsigned smp_cpus_left_out(void)
{
    return left_out;
}

uint32_t smp_left_out_apic_id(unsigned i)
{
    return i < left_out ? left_out_ids[i] : ~0u;
}

struct percpu *smp_cpu(unsigned id)
{
    return id < online ? &cpus[id] : NULL;
}

/* The panic hook: every other CPU takes an NMI, finds a panic under way and halts. */
static void halt_others(void)
{
    if (online > 1)
        lapic_send_ipi_others(LAPIC_ICR_NMI | LAPIC_ICR_ASSERT);
}

/* --- the AP's side --- */

static __attribute__((noreturn)) void ap_entry(struct percpu *c)
{
    percpu_set(c);                                  /* gdt_init_cpu keeps it */
    arch_write_cr4(boot_cr4);
    if (vmm_features().pat)
        arch_wrmsr(MSR_PAT, PAT_VALUE);
    gdt_init_cpu(&c->gdt, c->ist_top);
    idt_load();
    lapic_init_ap(acpi_get());
    fpu_init_cpu();
    percpu_this()->apic_id_seen = lapic_id();       /* through GS: the test sees both at once */
    sched_init_cpu();
    if (c->apic_id == slow_apic_id)
        clock_spin_ns(slow_setup_ns);               /* tests: a set-up slower than SMP_ANSWER_NS */
    __atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
    while (online <= c->cpu_id)                     /* until shootdowns include this CPU */
        arch_cpu_relax();
    tlb_flush_this_cpu();
    sched_run_cpu();
}

/* --- the trampoline --- */

/* The low page's copy of what `label` names in smp_trampoline.asm. */
static void *tramp_field(const uint8_t *label)
{
    return (uint8_t *)arch_phys_to_virt(tramp_phys) + (label - smp_trampoline_start);
}

static void tramp_set(const uint8_t *field, uint64_t value)
{
    *(volatile uint64_t *)tramp_field(field) = value;
}

/* The parked APs' real-mode vector table: every vector to smp_tramp_park_trap, all in the page. */
static void tramp_park_vectors(void)
{
    uint32_t *ivt = tramp_field(smp_tramp_park_ivt);
    unsigned n = (unsigned)(smp_tramp_park_ivt_end - smp_tramp_park_ivt) / sizeof *ivt;
    uint32_t entry = (uint32_t)(tramp_phys >> 4) << 16 | (uint32_t)(smp_tramp_park_trap - smp_trampoline_start);

    for (unsigned i = 0; i < n; i++)
        ivt[i] = entry;
    tramp_set(smp_tramp_park_idtr, (tramp_phys + (uint64_t)(smp_tramp_park_ivt - smp_trampoline_start)) << 16 |
                                   (n * sizeof *ivt - 1));
}

int smp_parked(uint32_t apic_id)
{
    const uint8_t *map;

    if (!tramp_phys || apic_id >= (uint32_t)(smp_tramp_parked_end - smp_tramp_parked) * 8)
        return -1;
    map = tramp_field(smp_tramp_parked);
    return __atomic_load_n(&map[apic_id / 8], __ATOMIC_ACQUIRE) >> (apic_id % 8) & 1;
}

unsigned smp_park_traps(void)
{
    return tramp_phys ? __atomic_load_n((uint32_t *)tramp_field(smp_tramp_park_traps), __ATOMIC_ACQUIRE) : 0;
}

/* Copy it to the low page, map that at VA = PA, fill what all APs share; 0 or -1. */
static int tramp_prepare(void)
{
    uint64_t cr3 = vmm_kernel_space()->pml4, size = smp_trampoline_end - smp_trampoline_start;
    const char *why = NULL;

    tramp_phys = mm_low_page();
    if (!tramp_phys)
        why = "no usable page below 1 MiB for the start-up code";
    else if (cr3 >> 32 || size > PAGE_4K)
        why = "the kernel's PML4 lies above 4 GiB, or the trampoline outgrew its page";
    else if (vmm_map(vmm_kernel_space(), tramp_phys, tramp_phys, PAGE_4K, VMM_EXEC) != 0)
        why = "cannot map the start-up page";
    if (why) {
        printk(LOG_WARN, "[smp] %s: the other CPUs stay parked\n", why);
        return -1;
    }
    memcpy(arch_phys_to_virt(tramp_phys), smp_trampoline_start, size);
    tramp_set(smp_tramp_cr3, cr3);
    tramp_set(smp_tramp_efer, (arch_rdmsr(MSR_EFER) & (EFER_SCE | EFER_NXE)) | EFER_LME);
    tramp_set(smp_tramp_cr0, arch_read_cr0());
    tramp_set(smp_tramp_entry, (uint64_t)(uintptr_t)ap_entry);
    tramp_park_vectors();
    boot_cr4 = arch_read_cr4();
    return 0;
}

/* --- one AP --- */

static void free_stacks(struct percpu *c)
{
    if (c->stack_top)
        kva_free(c->stack_top - PERCPU_STACK_SIZE);
    for (int i = 0; i < IST_COUNT; i++)
        if (c->ist_top[i])
            kva_free(c->ist_top[i] - IST_STACK_SIZE);
}

/* One guarded stack named "cpuN<suffix>"; its top, or 0. */
static uint64_t guarded_stack(char *name, unsigned cpu, const char *suffix, uint64_t size)
{
    uint64_t base;

    format_snprintf(name, PERCPU_NAME_MAX, "cpu%u%s", cpu, suffix);
    base = kva_alloc(size, KVA_GUARD, name);
    return base ? base + size : 0;
}

static int alloc_stacks(struct percpu *c)
{
    static const char *const ist_suffix[IST_COUNT] = { " double fault", " nmi", " machine check" };
    int ok;

    ok = (c->stack_top = guarded_stack(c->stack_name, c->cpu_id, "", PERCPU_STACK_SIZE)) != 0;
    for (int i = 0; i < IST_COUNT; i++)
        ok &= (c->ist_top[i] = guarded_stack(c->ist_name[i], c->cpu_id, ist_suffix[i], IST_STACK_SIZE)) != 0;
    if (!ok)
        free_stacks(c);
    return ok ? 0 : -1;
}

static int is_online(const struct percpu *c)
{
    return __atomic_load_n(&c->online, __ATOMIC_ACQUIRE);
}

/* --- the handshake: the ticket in the start-up block (smp_trampoline.asm) --- */

static uint32_t *ticket(void)
{
    return tramp_field(smp_tramp_ticket);
}

/* Only the CPU with c's APIC id can claim the block now. */
static void ticket_open(const struct percpu *c)
{
    __atomic_store_n(ticket(), c->apic_id + 1, __ATOMIC_RELEASE);
}

/* The AP swapped the ticket: it is alive and committed to coming in. */
static int claimed(const struct percpu *c)
{
    return __atomic_load_n(ticket(), __ATOMIC_ACQUIRE) != c->apic_id + 1;
}

/* Close the block unless the AP claimed it first: 1 when it never will. */
static int abandon(const struct percpu *c)
{
    uint32_t open = c->apic_id + 1;

    return __atomic_compare_exchange_n(ticket(), &open, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Until done(c), or `ns` have passed; 1 if done. */
static int wait_for(int (*done)(const struct percpu *), const struct percpu *c, uint64_t ns)
{
    uint64_t end = clock_ns() + ns;

    while (!done(c)) {
        if (clock_ns() >= end)
            return 0;
        arch_cpu_relax();
    }
    return 1;
}

static int is_parked(const struct percpu *c)
{
    return smp_parked(c->apic_id) == 1;
}

/*
 * An AP given up (it holds nothing): INIT stops wherever it is, and a
 * start-up IPI sends it through the trampoline once more, without the
 * test's delay: the ticket is not its own, so it parks for good in the
 * page (smp_trampoline.asm, .park). Left in wait-for-SIPI it would be out
 * of our hands: QEMU's TCG runs a CPU there from the reset vector when an
 * NMI comes (the panic's, say), and the firmware's reset code reboots the
 * machine. 1 once it is seen parked.
 */
static int park(const struct percpu *c)
{
    tramp_set(smp_tramp_late_id, 0);
    lapic_send_ipi(c->apic_id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
    clock_delay_us(INIT_WAIT_US);
    lapic_send_ipi(c->apic_id, LAPIC_ICR_STARTUP | (uint32_t)(tramp_phys >> 12));
    return wait_for(is_parked, c, PARK_WAIT_NS);
}

/*
 * INIT, SIPI, SIPI, then the handshake: START_ONLINE once the AP is fully
 * set up; START_PARKED or START_LOST if it never claimed its block (then it
 * was given up, holds nothing, and is parked: seen there, or not yet). An
 * AP that claimed is never reset: it may hold a lock by now.
 */
static enum start_result start_cpu(struct percpu *c)
{
    tramp_set(smp_tramp_stack, c->stack_top);
    tramp_set(smp_tramp_arg, (uint64_t)(uintptr_t)c);
    ticket_open(c);
    lapic_send_ipi(c->apic_id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
    clock_delay_us(INIT_WAIT_US);
    for (int sipi = 0; sipi < 2 && !claimed(c); sipi++) {
        lapic_send_ipi(c->apic_id, LAPIC_ICR_STARTUP | (uint32_t)(tramp_phys >> 12));
        wait_for(claimed, c, SIPI_WAIT_NS);
    }
    if (!wait_for(claimed, c, SMP_ANSWER_NS) && abandon(c))
        return park(c) ? START_PARKED : START_LOST;
    if (!wait_for(is_online, c, SMP_SETUP_NS))
        panic("start_cpu: CPU with APIC id %u claimed its start-up block but was not set up within %llu ms",
              (unsigned)c->apic_id, (unsigned long long)(SMP_SETUP_NS / 1000000));
    __atomic_store_n(ticket(), 0, __ATOMIC_RELEASE);
    return START_ONLINE;
}

static void left_out_report(const struct percpu *c, enum start_result r)
{
    printk(LOG_WARN, "[smp] CPU with APIC id %u did not answer within %llu ms: left out, %s\n",
           (unsigned)c->apic_id, (unsigned long long)(SMP_ANSWER_NS / 1000000),
           r == START_PARKED ? "parked in the start-up page" : "sent to park but not seen there yet");
    left_out_ids[left_out++] = c->apic_id;
}

static void start_one(uint32_t apic_id)
{
    struct percpu *c = &cpus[online];
    enum start_result r;

    memset(c, 0, sizeof *c);
    c->cpu_id = online;
    c->apic_id = apic_id;
    if (alloc_stacks(c) != 0) {
        printk(LOG_WARN, "[smp] no memory for the stacks of APIC id %u: skipped\n", (unsigned)apic_id);
        return;
    }
    if ((r = start_cpu(c)) != START_ONLINE) {
        left_out_report(c, r);
        free_stacks(c);
        memset(c, 0, sizeof *c);
        return;
    }
    printk(LOG_INFO, "[smp] CPU %u (APIC id %u) online\n", c->cpu_id, (unsigned)apic_id);
    online++;
}

/* --- bring-up --- */

/* The first AP start_all starts: the one the test knobs slow down. */
static const struct acpi_cpu *first_ap(const struct acpi_info *acpi)
{
    for (unsigned i = 0; i < acpi->cpu_count; i++)
        if (acpi->cpus[i].enabled && acpi->cpus[i].apic_id != cpus[0].apic_id)
            return &acpi->cpus[i];
    return NULL;
}

/*
 * Knobs for the tests only (docs/smp.md): smp_delay_ap=MS makes the first
 * AP wait MS before it claims its block (an AP that answers late),
 * smp_delay_ap_setup=MS makes its set-up take MS longer once it has.
 */
static void read_test_knobs(const struct acpi_info *acpi)
{
    const struct acpi_cpu *ap = first_ap(acpi);
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t ms;

    if (!ap)
        return;
    if (cmdline_number(cmdline, len, "smp_delay_ap", &ms) == 1) {
        tramp_set(smp_tramp_late_id, ap->apic_id + 1ULL);
        tramp_set(smp_tramp_late_tsc, tsc_ns_to_ticks(ms * NS_PER_MS));
    }
    if (cmdline_number(cmdline, len, "smp_delay_ap_setup", &ms) == 1) {
        slow_setup_ns = ms * NS_PER_MS;
        slow_apic_id = ap->apic_id;
    }
}

static void start_all(const struct acpi_info *acpi)
{
    for (unsigned i = 0; i < acpi->cpu_count; i++) {
        const struct acpi_cpu *cpu = &acpi->cpus[i];

        if (!cpu->enabled || cpu->apic_id == cpus[0].apic_id)
            continue;
        if (online == SMP_MAX_CPUS) {
            printk(LOG_WARN, "[smp] more than %u CPUs: the rest stay parked\n", SMP_MAX_CPUS);
            return;
        }
        start_one(cpu->apic_id);
    }
}

void smp_init_boot_cpu(void)
{
    cpus[0].cpu_id = 0;
    cpus[0].online = 1;
    percpu_set(&cpus[0]);
}

void smp_init(void)
{
    const struct acpi_info *acpi = acpi_get();

    cpus[0].apic_id = lapic_ready() ? lapic_id() : 0;
    cpus[0].apic_id_seen = cpus[0].apic_id;
    tlb_init();
    if (!lapic_ready() || !acpi || !acpi->has_madt)
        printk(LOG_INFO, "[smp] no local APIC in use or no MADT: the boot CPU alone\n");
    else if (acpi->cpu_count > 1 && tramp_prepare() == 0) {
        read_test_knobs(acpi);
        start_all(acpi);
        vmm_unmap(vmm_kernel_space(), tramp_phys, PAGE_4K);
    }
    panic_set_halt_others(halt_others);
    printk(LOG_INFO, "smp: %u CPUs online\n", online);
}
