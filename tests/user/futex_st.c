/*
 * futex_st.c - futex(2) from one thread (clone comes later): the waits
 * that end by themselves (the word differs: EAGAIN; a timeout, relative
 * for FUTEX_WAIT, absolute on CLOCK_MONOTONIC or CLOCK_REALTIME for
 * FUTEX_WAIT_BITSET: ETIMEDOUT, not early), wakes and requeues that find
 * nobody, and the errors: an unaligned or unmapped word, a zero bitset,
 * a bad timeout, an op Linux lacks. Times are printed as checks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MS  1000000LL

/* linux/futex.h (musl-gcc has no kernel headers) */
#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define FUTEX_REQUEUE           3
#define FUTEX_CMP_REQUEUE       4
#define FUTEX_WAIT_BITSET       9
#define FUTEX_WAKE_BITSET       10
#define FUTEX_PRIVATE_FLAG      128
#define FUTEX_CLOCK_REALTIME    256
#define FUTEX_BITSET_MATCH_ANY  0xffffffff

static int bad;
static uint32_t word[4] __attribute__((aligned(16)));

static int64_t now(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long futex(void *uaddr, int op, uint32_t val, const struct timespec *ts, void *uaddr2, uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    bad += !ok;
}

static void waits(int priv)
{
    char what[100];
    const char *p = priv ? " PRIVATE" : "";
    struct timespec rel = { 0, 20 * MS }, abs;
    int64_t t0;

    word[0] = 5;
    snprintf(what, sizeof what, "WAIT%s on 5 expecting 6", p);
    result(what, futex(word, FUTEX_WAIT | priv, 6, NULL, NULL, 0));
    t0 = now(CLOCK_MONOTONIC);
    snprintf(what, sizeof what, "WAIT%s 20 ms", p);
    result(what, futex(word, FUTEX_WAIT | priv, 5, &rel, NULL, 0));
    snprintf(what, sizeof what, "WAIT%s 20 ms: waited >= 20 ms", p);
    check(what, now(CLOCK_MONOTONIC) - t0 >= 20 * MS);
    t0 = now(CLOCK_MONOTONIC) + 30 * MS;
    abs = (struct timespec){ t0 / 1000000000LL, t0 % 1000000000LL };
    snprintf(what, sizeof what, "WAIT_BITSET%s until MONOTONIC now+30 ms", p);
    result(what, futex(word, FUTEX_WAIT_BITSET | priv, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY));
    snprintf(what, sizeof what, "WAIT_BITSET%s MONOTONIC: not before the deadline", p);
    check(what, now(CLOCK_MONOTONIC) >= t0);
    t0 = now(CLOCK_REALTIME) + 30 * MS;
    abs = (struct timespec){ t0 / 1000000000LL, t0 % 1000000000LL };
    snprintf(what, sizeof what, "WAIT_BITSET%s|CLOCK_REALTIME until now+30 ms", p);
    result(what, futex(word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME | priv, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY));
    snprintf(what, sizeof what, "WAIT_BITSET%s REALTIME: not before the deadline", p);
    check(what, now(CLOCK_REALTIME) >= t0);
    abs = (struct timespec){ 0, 0 };
    snprintf(what, sizeof what, "WAIT_BITSET%s until 0 (past)", p);
    result(what, futex(word, FUTEX_WAIT_BITSET | priv, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY));
}

static void wakes(int priv)
{
    char what[100];
    const char *p = priv ? " PRIVATE" : "";

    snprintf(what, sizeof what, "WAKE%s with nobody waiting", p);
    result(what, futex(word, FUTEX_WAKE | priv, 1, NULL, NULL, 0));
    snprintf(what, sizeof what, "WAKE_BITSET%s with nobody waiting", p);
    result(what, futex(word, FUTEX_WAKE_BITSET | priv, 1, NULL, NULL, 1));
    snprintf(what, sizeof what, "REQUEUE%s with nobody waiting", p);
    result(what, futex(word, FUTEX_REQUEUE | priv, 1, (void *)1, word + 1, 0));
    snprintf(what, sizeof what, "CMP_REQUEUE%s, the word as given", p);
    result(what, futex(word, FUTEX_CMP_REQUEUE | priv, 1, (void *)1, word + 1, 5));
    snprintf(what, sizeof what, "CMP_REQUEUE%s, the word not as given", p);
    result(what, futex(word, FUTEX_CMP_REQUEUE | priv, 1, (void *)1, word + 1, 6));
}

static void errors(void)
{
    struct timespec neg = { 0, -1 };

    result("WAIT on an unaligned word", futex((char *)word + 1, FUTEX_WAIT, 0, NULL, NULL, 0));
    result("WAKE on an unaligned word", futex((char *)word + 2, FUTEX_WAKE, 1, NULL, NULL, 0));
    result("WAIT on an unmapped word", futex((void *)0x1000, FUTEX_WAIT, 0, NULL, NULL, 0));
    result("WAIT on a kernel address", futex((void *)0xffffffff80000000ull, FUTEX_WAIT, 0, NULL, NULL, 0));
    result("WAIT with tv_nsec -1", futex(word, FUTEX_WAIT, 5, &neg, NULL, 0));
    result("WAIT with an unmapped timeout", futex(word, FUTEX_WAIT, 5, (void *)0x1000, NULL, 0));
    result("WAIT_BITSET with bitset 0", futex(word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0));
    result("WAKE_BITSET with bitset 0", futex(word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
    result("CMP_REQUEUE of an unmapped word", futex((void *)0x1000, FUTEX_CMP_REQUEUE, 1, (void *)1, word, 0));
    result("WAKE|CLOCK_REALTIME", futex(word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
    result("op 99", futex(word, 99, 0, NULL, NULL, 0));
}

int main(void)
{
    waits(0);
    waits(FUTEX_PRIVATE_FLAG);
    wakes(0);
    wakes(FUTEX_PRIVATE_FLAG);
    errors();
    printf("futex_st: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
