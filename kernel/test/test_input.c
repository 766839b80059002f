/*
 * test_input.c - ktests for the input layer (drivers/input/): what the
 * kernel alone can prove, without a person or QEMU typing.
 *   - a burst larger than a queue: the queue keeps the first
 *     INPUT_QUEUE_EVENTS in order, counts the rest as dropped, and a
 *     second open queue gets its own copy of every event;
 *   - a reader blocked in input_read is woken by an event reported from
 *     interrupt context (a callout, on the tick), within WAKE_LIMIT_NS;
 *   - the scan-code decoder's E0 keys in both sets and the mouse
 *     decoder's resynchronisation, through the same pure code the drivers
 *     run.
 * Mutants (tests/mutants.list): kbd_extended, mouse_resync, input_drop_count
 * (a full queue overwrites its oldest event), input_wake (no wake-up).
 * The events are REL_HWHEEL on device 0: no PS/2 device reports that, and
 * a listener that types (the VT layer) ignores relative motion.
 */
#include <stdint.h>

#include "input/input.h"
#include "input/mousepacket.h"
#include "input/scancode.h"
#include "sched/callout.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define BURST_EXTRA 37

static void report_rel(int value)
{
    struct input_event ev = { .type = INPUT_EV_REL, .code = REL_HWHEEL, .value = value };

    input_report(&ev);
}

/* Read q without blocking: how many events came, checking they are 0, 1, 2, ... */
static int drain_in_order(struct ktest *t, struct input_queue *q)
{
    struct input_event ev;
    int n = 0;

    while (input_read(q, &ev, 1) == 0) {
        if (!KTEST_ASSERT_EQ(t, ev.value, n))
            return n;
        n++;
    }
    return n;
}

void ktest_input_queue_burst_counts_drops(struct ktest *t)
{
    struct input_queue *q = input_open(), *q2 = input_open();
    struct input_event ev;

    if (!KTEST_ASSERT(t, q && q2))
        return;
    for (int i = 0; i < INPUT_QUEUE_EVENTS + BURST_EXTRA; i++)
        report_rel(i);
    KTEST_ASSERT_EQ(t, drain_in_order(t, q), INPUT_QUEUE_EVENTS);
    KTEST_ASSERT_EQ(t, input_dropped(q), BURST_EXTRA);
    KTEST_ASSERT_EQ(t, input_read(q, &ev, 1), -INPUT_EAGAIN);
    KTEST_ASSERT_EQ(t, drain_in_order(t, q2), INPUT_QUEUE_EVENTS);
    KTEST_ASSERT_EQ(t, input_dropped(q2), BURST_EXTRA);
    report_rel(0);                          /* room again: taken, not dropped */
    KTEST_ASSERT_EQ(t, drain_in_order(t, q), 1);
    KTEST_ASSERT_EQ(t, input_dropped(q), BURST_EXTRA);
    input_close(q);
    input_close(q2);
}

#define WAKE_LIMIT_NS (2 * NS_PER_SEC)

struct blocked_reader {
    struct input_queue *q;
    struct input_event ev;
    volatile int waiting, done, rc;
    volatile uint64_t reported_ns;
};

static void reader_thread(void *arg)
{
    struct blocked_reader *r = arg;

    r->waiting = 1;
    r->rc = input_read(r->q, &r->ev, 0);
    r->done = 1;
}

static void report_from_tick(void *arg)
{
    struct blocked_reader *r = arg;

    r->reported_ns = clock_ns();
    report_rel(4242);
}

void ktest_input_blocked_reader_wakes(struct ktest *t)
{
    static struct blocked_reader r;
    struct callout co;
    struct thread *th;

    r = (struct blocked_reader){ .q = input_open(), .rc = -1 };
    if (!KTEST_ASSERT(t, r.q))
        return;
    th = thread_create("input-reader", reader_thread, &r, SCHED_PRIO_DEFAULT);
    if (!KTEST_ASSERT(t, th))
        return;
    while (!r.waiting)
        sched_sleep_ns(NS_PER_MS);
    sched_sleep_ns(10 * NS_PER_MS);         /* it is blocked in input_read by now */
    KTEST_ASSERT_EQ(t, r.reported_ns, 0);
    callout_init(&co, report_from_tick, &r);
    callout_arm(&co, 5 * NS_PER_MS);
    for (uint64_t end = clock_ns() + WAKE_LIMIT_NS; !r.done && clock_ns() < end;)
        sched_sleep_ns(NS_PER_MS);
    callout_cancel_wait(&co);               /* its tick is done with it before co goes */
    if (!KTEST_ASSERT(t, r.done))           /* never woken: the thread stays blocked on r.q */
        return;
    thread_join(th);
    KTEST_ASSERT_EQ(t, r.rc, 0);
    KTEST_ASSERT_EQ(t, r.ev.value, 4242);
    KTEST_ASSERT(t, r.reported_ns != 0 && r.ev.time_ns >= r.reported_ns);
    input_close(r.q);
}

/* Feed bytes; the keys that came out, as code | down << 15, into keys[]. */
static int decode(int set, const uint8_t *bytes, int n, unsigned *keys)
{
    struct scancode_decoder d;
    struct scancode_key out[2];
    int count = 0;

    scancode_init(&d, set);
    for (int i = 0; i < n; i++) {
        int k = scancode_feed(&d, bytes[i], out);
        for (int j = 0; j < k; j++)
            keys[count++] = out[j].code | (unsigned)out[j].down << 15;
    }
    return count;
}

void ktest_input_scancode_extended(struct ktest *t)
{
    /* Up pressed and released, then right Ctrl pressed: set 1 (translated), then set 2. */
    static const uint8_t set1[] = { 0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x1D };
    static const uint8_t set2[] = { 0xE0, 0x75, 0xE0, 0xF0, 0x75, 0xE0, 0x14 };
    const unsigned want[] = { KEY_UP | 1u << 15, KEY_UP, KEY_RIGHTCTRL | 1u << 15 };
    unsigned keys[8];

    for (int s = 0; s < 2; s++) {
        int n = s ? decode(SCANCODE_SET2, set2, sizeof set2, keys)
                  : decode(SCANCODE_SET1, set1, sizeof set1, keys);
        if (!KTEST_ASSERT_EQ(t, n, 3))
            continue;
        for (int i = 0; i < 3; i++)
            KTEST_ASSERT_EQ(t, keys[i], want[i]);
    }
}

void ktest_input_mouse_resync(struct ktest *t)
{
    /* An Explorer packet (left down, x +5, y +3 up) whose first byte was lost, then it whole;
     * then two bytes of one, and after a pause longer than MOUSE_BYTE_GAP_NS a whole one. */
    static const uint8_t lost[] = { 0x05, 0x03, 0x00, 0x09, 0x05, 0x03, 0x00 };
    static const uint8_t cut[] = { 0x08, 0x7F, 0x28, 0x02, 0xFE, 0x00 };
    struct mouse_decoder d;
    struct input_event ev[MOUSE_EVENTS_MAX];
    int n = 0;

    mouse_decoder_init(&d, MOUSE_ID_EXPLORER, 0);
    for (unsigned i = 0; i < sizeof lost; i++) {
        int k = mouse_feed(&d, lost[i], i, ev);
        if (k)
            n = k;
    }
    if (KTEST_ASSERT_EQ(t, n, 3)) {
        KTEST_ASSERT(t, ev[0].code == BTN_LEFT && ev[0].value == 1);
        KTEST_ASSERT(t, ev[1].code == REL_X && ev[1].value == 5);
        KTEST_ASSERT(t, ev[2].code == REL_Y && ev[2].value == -3);
    }
    n = 0;
    for (unsigned i = 0; i < sizeof cut; i++)
        n += mouse_feed(&d, cut[i], 100 + (i >= 2 ? MOUSE_BYTE_GAP_NS * 2 : 0), ev);
    /* the whole packet: left up, x +2, PS/2's y -2 (down) as REL_Y +2 */
    KTEST_ASSERT_EQ(t, n, 3);
    KTEST_ASSERT(t, ev[0].code == BTN_LEFT && ev[0].value == 0);
    KTEST_ASSERT(t, ev[1].code == REL_X && ev[1].value == 2);
    KTEST_ASSERT(t, ev[2].code == REL_Y && ev[2].value == 2);
}
