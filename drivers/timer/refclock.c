/*
 * refclock.c - measuring a counter against the HPET or the PIT (see
 * refclock.h).
 *
 * Both references are read as counters: the HPET's main counter, or PIT
 * channel 2 started at its longest one-shot count and read back by
 * latching (elapsed = start count - current count; good for 54.9 ms).
 * Each end of the interval is one sample: reference, measured counter,
 * reference again, kept only when the two reference reads lie close
 * together (BRACKET_MAX_NS), the reference time taken as their middle. A
 * stall between the reads (an SMI on hardware; under QEMU TCG the host
 * pausing the vCPU thread, or translating new code) is caught and the
 * sample retaken, instead of landing in the result: 0.5 ms in a 20 ms
 * calibration is a TSC 2.5 % off.
 *
 * PIT channel 2 goes round every 54.9 ms: a stall that hides the end of
 * the interval (the vCPU thread off the host CPU for a few ms near the end
 * of a 50 ms window) would see it start again and wait a whole round more,
 * reading 50 ms where 105 ms went by (clock_agrees_with_reference saw it on a
 * loaded host). The wait watches for the count going backwards and runs the
 * measurement again (WRAP_RETRIES times, then gives up: 0).
 */
#include <stdint.h>

#include "arch.h"
#include "timer/hpet.h"
#include "x86/pit.h"
#include "timer/refclock.h"
#include "timer/timemath.h"

#define NS_PER_S        1000000000ull
#define NS_PER_MS       1000000ull
#define WARMUP_MS       1
#define BRACKET_MAX_NS  20000ull        /* 20 µs: a few reads even under TCG */
#define BRACKET_TRIES   20
#define PIT_START       (PIT_MAX_COUNT - 1u)
#define WAIT_LIMIT      100000000ull    /* a reference that never moves: give up */
#define WRAP_RETRIES    5               /* runs that saw PIT channel 2 go round */

struct sample {
    uint64_t ref;                       /* reference ticks (middle of the bracket) */
    uint64_t x;                         /* the measured counter */
};

const char *refclock_name(void)
{
    return hpet_present() ? "the HPET" : "PIT channel 2";
}

/*
 * The reference as an up-counter: HPET ticks, or PIT ticks since ref_start.
 * (The 8254 loads a new count on its next input clock, 0.84 µs after the
 * write; pit_ch2_start's last port write takes longer than that.)
 */
static uint64_t ref_now(void)
{
    return hpet_present() ? hpet_read() : PIT_START - pit_ch2_read();
}

static uint64_t ref_delta(uint64_t a, uint64_t b)
{
    return hpet_present() ? hpet_delta(a, b) : b - a;
}

static uint64_t ref_to_ns(uint64_t ticks)
{
    return hpet_present() ? hpet_ticks_to_ns(ticks) : time_mul_div(ticks, NS_PER_S, PIT_HZ);
}

static uint64_t ref_from_ms(unsigned ms)
{
    if (hpet_present())
        return hpet_ns_to_ticks(ms * NS_PER_MS);
    if (ms > REFCLOCK_PIT_MAX_MS)
        ms = REFCLOCK_PIT_MAX_MS;
    return (uint64_t)PIT_HZ * ms / 1000;
}

static void ref_start(void)
{
    if (!hpet_present())
        pit_ch2_start(PIT_START);
}

/* The tightest bracket of up to BRACKET_TRIES, the first under BRACKET_MAX_NS. */
static struct sample take_sample(uint64_t (*read)(void *), void *ctx)
{
    struct sample best = { 0, 0 };
    uint64_t best_width = UINT64_MAX;

    for (int i = 0; i < BRACKET_TRIES && ref_to_ns(best_width) > BRACKET_MAX_NS; i++) {
        uint64_t a = ref_now(), x = read(ctx), b = ref_now();
        uint64_t width = ref_delta(a, b);

        if (width < best_width) {
            best_width = width;
            best = (struct sample){ a + width / 2, x };
        }
    }
    return best;
}

/*
 * `pause` runs between reads of the reference while waiting for the end:
 * a spin hint, or a halt until the next interrupt.
 */
static uint64_t measure(uint64_t (*read)(void *), void *ctx, unsigned ms, uint64_t *ns,
                        void (*pause)(void))
{
    uint64_t want = ref_from_ms(ms), waits = 0;
    struct sample s0, s1;

    for (int run = 0; run < WRAP_RETRIES; run++) {
        uint64_t seen = 0, now = 0;

        ref_start();
        s0 = take_sample(read, ctx);
        while ((now = ref_delta(s0.ref, ref_now())) < want && now >= seen) {
            if (++waits == WAIT_LIMIT)
                break;
            seen = now;
            pause();
        }
        if (now < seen)                 /* PIT channel 2 went round: start again */
            continue;
        if (waits == WAIT_LIMIT)
            break;
        s1 = take_sample(read, ctx);
        *ns = ref_to_ns(ref_delta(s0.ref, s1.ref));
        return s1.x - s0.x;
    }
    *ns = 0;
    return 0;
}

/*
 * A first, short run is thrown away: it brings the code and the device
 * paths in (caches on hardware; under TCG the translation of each new
 * block, tens of microseconds).
 */
uint64_t refclock_measure(uint64_t (*read)(void *ctx), void *ctx, unsigned ms, uint64_t *ns)
{
    measure(read, ctx, WARMUP_MS, ns, arch_cpu_relax);
    return measure(read, ctx, ms, ns, arch_cpu_relax);
}

uint64_t refclock_measure_halting(uint64_t (*read)(void *ctx), void *ctx, unsigned ms,
                                  uint64_t *ns)
{
    arch_wait_for_interrupt();              /* start right after an interrupt */
    return measure(read, ctx, ms, ns, arch_wait_for_interrupt);
}
