/*
 * lapic_timer.c - the local APIC timer (see lapic_timer.h). LVT timer
 * register, divide configuration and the initial/current count registers:
 * Intel SDM vol. 3A, 10.5.4; TSC-deadline mode: 10.5.4.1.
 */
#include <stdint.h>

#include "apic/irq.h"
#include "arch.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/tsc.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "printk.h"
#include "timer/clock.h"
#include "timer/clockevent.h"
#include "x86/lapic.h"
#include "x86/lapic_timer.h"
#include "timer/refclock.h"
#include "timer/timemath.h"

#define LVT_ONESHOT         (0u << 17)  /* timer mode, bits 18:17 */
#define LVT_PERIODIC        (1u << 17)
#define LVT_TSC_DEADLINE    (2u << 17)
#define DIVIDE_BY_16        0x3         /* divide configuration: bits 3,1,0 = 0,1,1 */
#define DIVIDER             16
#define COUNT_MAX           0xFFFFFFFFu
#define CALIBRATE_MS        10          /* against the reference clock (HPET or PIT) */
#define CALIBRATE_TSC_NS    2000000ull  /* against the TSC: 2 ms */
#define BRACKET_TSC_NS      2000ull     /* a sample's two TSC reads at most 2 us apart */
#define BRACKET_TRIES       20

enum mode { IDLE, PERIODIC, ONESHOT, DEADLINE };

static uint64_t rate;               /* ticks per second, after the divider */
static enum mode mode;
static lapic_timer_fn *handler;
static void *handler_ctx;
static struct lapic_timer_counts counts;
static lapic_timer_fn *cpu_handler;     /* the APs' periodic ticks */
static void *cpu_handler_ctx;

static void on_interrupt(struct trap_frame *f, void *ctx)
{
    lapic_timer_fn *fn = handler;

    (void)f;
    (void)ctx;
    if (mode == PERIODIC)
        counts.periodic++;
    else if (mode == ONESHOT)
        counts.oneshot++;
    else if (mode == DEADLINE)
        counts.deadline++;
    if (mode != PERIODIC)
        mode = IDLE;
    if (fn)
        fn(handler_ctx);
    lapic_eoi();
}

static void on_cpu_tick(struct trap_frame *f, void *ctx)
{
    lapic_timer_fn *fn = cpu_handler;

    (void)f;
    (void)ctx;
    if (fn)
        fn(cpu_handler_ctx);
    lapic_eoi();
}

static uint64_t counted_up(void *ctx)
{
    (void)ctx;
    return COUNT_MAX - lapic_read(LAPIC_TIMER_CURRENT);
}

/* The count and the TSC at its read (the middle of the tightest of a few brackets): 0, or -1. */
static int tsc_sample(uint64_t *tsc, uint64_t *count)
{
    uint64_t best = UINT64_MAX, widest = tsc_ns_to_ticks(BRACKET_TSC_NS);

    for (int i = 0; i < BRACKET_TRIES && best > widest; i++) {
        uint64_t a = arch_rdtsc(), c = counted_up(0), b = arch_rdtsc();

        if (b - a < best) {
            best = b - a;
            *tsc = a + (b - a) / 2;
            *count = c;
        }
    }
    return best <= widest ? 0 : -1;
}

/*
 * The counter against the TSC, whose rate clock_init has found by now
 * (against the same reference clock, over 20 ms: kernel/arch/x86_64/tsc.c),
 * over CALIBRATE_TSC_NS, a fifth of the reference clock's 10 ms: each end
 * is within 1 us (the middle of a bracket of at most 2 us), so the rate is
 * within 0.1 %, where the reference clock's brackets of up to 20 us give
 * 0.2 % in 10 ms. Ticks, *ns the interval; 0 when the TSC's rate is
 * unknown or no bracket was tight enough (then the reference clock
 * measures it).
 */
static uint64_t measure_against_tsc(uint64_t *ns)
{
    uint64_t t0, c0, t1, c1, want;

    if (!tsc_khz() || tsc_sample(&t0, &c0) != 0)
        return 0;
    want = tsc_ns_to_ticks(CALIBRATE_TSC_NS);
    while (arch_rdtsc() - t0 < want)
        arch_cpu_relax();
    if (tsc_sample(&t1, &c1) != 0)
        return 0;
    *ns = tsc_ticks_to_ns(t1 - t0);
    return c1 - c0;
}

int lapic_timer_init(void)
{
    uint64_t ticks, ns = 0;
    const char *against = "the TSC";
    unsigned ms = (unsigned)(CALIBRATE_TSC_NS / 1000000);

    trap_register(VEC_LAPIC_TIMER, on_interrupt, 0);
    trap_register(VEC_CPU_TICK, on_cpu_tick, 0);
    lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LVT_ONESHOT | VEC_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, COUNT_MAX);
    ticks = measure_against_tsc(&ns);
    if (!ticks) {
        ticks = refclock_measure(counted_up, 0, CALIBRATE_MS, &ns);
        against = refclock_name();
        ms = CALIBRATE_MS;
    }
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    rate = ns ? time_mul_div(ticks, NS_PER_SEC, ns) : 0;
    if (!rate)
        return -1;
    printk(LOG_INFO, "[timer] LAPIC timer: %llu.%03llu MHz after divide-by-%u (measured against "
           "%s over %u ms)%s\n", (unsigned long long)(rate / 1000000),
           (unsigned long long)(rate / 1000 % 1000), DIVIDER, against, ms,
           lapic_timer_has_deadline() ? ", TSC-deadline mode available" : "");
    return 0;
}

uint64_t lapic_timer_rate(void)
{
    return rate;
}

int lapic_timer_has_deadline(void)
{
    return arch_cpu_has_tsc_deadline();
}

static void arm(enum mode m, lapic_timer_fn *fn, void *ctx, uint32_t lvt_mode)
{
    lapic_timer_stop();
    handler = fn;
    handler_ctx = ctx;
    mode = m;
    lapic_write(LAPIC_LVT_TIMER, lvt_mode | VEC_LAPIC_TIMER);
}

static uint32_t ticks_for_ns(uint64_t ns)
{
    uint64_t t = time_mul_div(ns, rate, NS_PER_SEC);

    return t == 0 ? 1 : t > COUNT_MAX ? COUNT_MAX : (uint32_t)t;
}

void lapic_timer_periodic(uint32_t hz, lapic_timer_fn *fn, void *ctx)
{
    arm(PERIODIC, fn, ctx, LVT_PERIODIC);
    lapic_write(LAPIC_TIMER_INITIAL, ticks_for_ns(NS_PER_SEC / hz));
}

void lapic_timer_periodic_cpu(uint32_t hz, lapic_timer_fn *fn, void *ctx)
{
    cpu_handler_ctx = ctx;
    cpu_handler = fn;
    lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_CPU_TICK);
    lapic_write(LAPIC_TIMER_INITIAL, ticks_for_ns(NS_PER_SEC / hz));
}

void lapic_timer_stop_cpu(void)
{
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_CPU_TICK);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
}

void lapic_timer_oneshot(uint64_t ns, lapic_timer_fn *fn, void *ctx)
{
    arm(ONESHOT, fn, ctx, LVT_ONESHOT);
    lapic_write(LAPIC_TIMER_INITIAL, ticks_for_ns(ns));
}

int lapic_timer_deadline(uint64_t tsc, lapic_timer_fn *fn, void *ctx)
{
    if (!lapic_timer_has_deadline())
        return -1;
    arm(DEADLINE, fn, ctx, LVT_TSC_DEADLINE);
    arch_wrmsr_ordered(MSR_IA32_TSC_DEADLINE, tsc ? tsc : 1);  /* 0 would disarm */
    return 0;
}

void lapic_timer_stop(void)
{
    uint64_t flags = arch_irq_save();

    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    if (mode == DEADLINE)
        arch_wrmsr(MSR_IA32_TSC_DEADLINE, 0);
    mode = IDLE;
    arch_irq_restore(flags);
}

struct lapic_timer_counts lapic_timer_counts(void)
{
    return counts;
}

static int periodic_device(uint32_t hz, clockevent_fn *fn, void *ctx)
{
    lapic_timer_periodic(hz, fn, ctx);
    return 0;
}

/* The best tick a PC has: one per CPU, no I/O port, a 32-bit count at tens of MHz. */
static const struct clockevent lapic_device = {
    .name = "lapic-timer",
    .rating = 100,
    .features = CLOCKEVENT_PERIODIC | CLOCKEVENT_ONESHOT | CLOCKEVENT_PER_CPU,
    .set_periodic = periodic_device,
    .set_oneshot = lapic_timer_oneshot,
    .stop = lapic_timer_stop,
    .set_periodic_cpu = lapic_timer_periodic_cpu,
    .stop_cpu = lapic_timer_stop_cpu,
};

/* Why the timer cannot serve, or NULL when it can. */
static const char *refusal(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    if (irq_mode() != IRQ_MODE_APIC)
        return "PIC mode, no local APIC in use";
    if (cmdline_has_word(cmdline, len, "nolapic_timer"))
        return "nolapic_timer on the command line";
    if (lapic_timer_init() != 0)
        return "it never counted while measured";
    return 0;
}

int lapic_timer_register_clockevent(void)
{
    const char *why = refusal();

    if (why) {
        printk(LOG_INFO, "[timer] LAPIC timer not used: %s\n", why);
        return -1;
    }
    return clockevent_register(&lapic_device);
}
