/*
 * frame_ref.c - a count of other sharers per user frame (see frame_ref.h):
 * a 32-bit word per 4 KiB frame of the frame allocator's span, indexed by
 * frame number.
 */
#include <stdint.h>

#include "errno.h"
#include "mm/frame_ref.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mutant.h"
#include "panic.h"
#include "sync/spinlock.h"

static uint32_t *others;                /* others[frame]: spaces mapping it besides one */
static uint64_t frames;
static struct spinlock init_lock = SPINLOCK_INIT("frame refs");

int frame_ref_init(void)
{
    uint32_t *t;

    if (__atomic_load_n(&others, __ATOMIC_ACQUIRE))
        return 0;
    spin_lock(&init_lock);
    if (!others) {
        frames = mm_frames()->frames;
        if ((t = kcalloc(frames, sizeof *t)))
            __atomic_store_n(&others, t, __ATOMIC_RELEASE);
    }
    spin_unlock(&init_lock);
    return others ? 0 : -ENOMEM;
}

static uint32_t *word(uint64_t pa)
{
    uint64_t f = pa >> 12;

    if (!others || f >= frames)
        panic("frame_ref: frame 0x%llx outside the table", (unsigned long long)pa);
    return &others[f];
}

void frame_ref_share(uint64_t pa)
{
    if (MUTANT_ENABLED(frame_share))
        return;                         /* a shared frame looks private: written in place, freed twice */
    __atomic_fetch_add(word(pa), 1, __ATOMIC_RELAXED);
}

int frame_ref_shared(uint64_t pa)
{
    return __atomic_load_n(word(pa), __ATOMIC_ACQUIRE) != 0;
}

int frame_ref_drop(uint64_t pa)
{
    uint32_t *w = word(pa), n = __atomic_load_n(w, __ATOMIC_ACQUIRE);

    do {
        if (n == 0)
            return 1;
    } while (!__atomic_compare_exchange_n(w, &n, n - 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    return 0;
}

uint64_t frame_ref_count_shared(void)
{
    uint64_t n = 0;

    for (uint64_t f = 0; others && f < frames; f++)
        n += others[f] != 0;
    return n;
}
