/*
 * random.c - the kernel's ChaCha20 generator (random.h), seeded from
 * RDSEED, RDRAND or TSC jitter.
 *
 * State: a 256-bit key and a 64-bit block counter under one spinlock. A
 * request of n bytes runs ChaCha20 blocks from the key (counter, nonce 0),
 * copies n bytes out, then takes the key for the next request from one more
 * block it never hands out (fast key erasure, as Linux's crng does since
 * 5.17). Mixing in (a write to /dev/random) XORs the bytes into the key and
 * then erases it the same way.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "lib/random.h"
#include "printk.h"
#include "timer/rtc.h"
#include "sync/spinlock.h"

#define KEY_WORDS       8
#define BLOCK_WORDS     16
#define BLOCK_BYTES     64
#define JITTER_ROUNDS   4096        /* TSC samples folded into the key without RDRAND */

static struct spinlock random_lock = SPINLOCK_INIT("random");
static uint32_t key[KEY_WORDS];
static uint64_t counter;
static const char *source;          /* NULL until seeded */
static int has_rdrand;              /* mix RDRAND into each request */

static uint32_t rotl(uint32_t v, int n)
{
    return v << n | v >> (32 - n);
}

#define QUARTER(a, b, c, d) do { \
    a += b; d = rotl(d ^ a, 16); c += d; b = rotl(b ^ c, 12); \
    a += b; d = rotl(d ^ a, 8);  c += d; b = rotl(b ^ c, 7); } while (0)

/* One ChaCha20 block (RFC 8439, 2.3) of key at counter, nonce 0. */
void random_chacha20_block(const uint32_t k[8], uint64_t ctr, uint32_t out[16])
{
    uint32_t in[BLOCK_WORDS] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 }, x[BLOCK_WORDS];

    memcpy(in + 4, k, KEY_WORDS * 4);
    in[12] = (uint32_t)ctr;
    in[13] = (uint32_t)(ctr >> 32);
    memcpy(x, in, sizeof x);
    for (int i = 0; i < 10; i++) {
        QUARTER(x[0], x[4], x[8], x[12]);
        QUARTER(x[1], x[5], x[9], x[13]);
        QUARTER(x[2], x[6], x[10], x[14]);
        QUARTER(x[3], x[7], x[11], x[15]);
        QUARTER(x[0], x[5], x[10], x[15]);
        QUARTER(x[1], x[6], x[11], x[12]);
        QUARTER(x[2], x[7], x[8], x[13]);
        QUARTER(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < BLOCK_WORDS; i++)
        out[i] = x[i] + in[i];
}

/* Replace the key with a block nobody sees. Caller holds random_lock. */
static void erase_key(void)
{
    uint32_t b[BLOCK_WORDS];

    random_chacha20_block(key, counter++, b);
    memcpy(key, b, sizeof key);
    memset(b, 0, sizeof b);
}

/* Fold 256 bits of the CPU's generator into the key: RDSEED (seed) or RDRAND. 1 when all came. */
static int seed_cpu(int (*has)(void), int (*get)(uint64_t *))
{
    uint64_t v;

    if (!has())
        return 0;
    for (int i = 0; i < KEY_WORDS / 2; i++) {
        if (!get(&v))
            return 0;
        key[2 * i] ^= (uint32_t)v;
        key[2 * i + 1] ^= (uint32_t)(v >> 32);
    }
    return 1;
}

static int has_rdseed_fn(void) { return arch_has_rdseed(); }
static int rdseed_fn(uint64_t *v) { return arch_rdseed64(v); }
static int has_rdrand_fn(void) { return arch_has_rdrand(); }
static int rdrand_fn(uint64_t *v) { return arch_rdrand64(v); }

/* The RTC's time at boot: different on every boot, known to anyone; never the only input. */
static void mix_rtc(void)
{
    const struct rtc_time *t = rtc_boot_time(0);

    if (t) {
        uint64_t u = rtc_to_unix(t);

        key[6] ^= (uint32_t)u;
        key[7] ^= (uint32_t)(u >> 32);
    }
}

/* Without RDRAND: the low bits of TSC deltas around reads of memory the
 * other CPUs and devices disturb, folded into the key one block at a time. */
static void seed_jitter(void)
{
    static volatile uint8_t scratch[4096];
    uint64_t prev = arch_rdtsc();

    for (int i = 0; i < JITTER_ROUNDS; i++) {
        uint64_t now;

        scratch[(prev * 2654435761u) % sizeof scratch] += (uint8_t)i;
        now = arch_rdtsc();
        key[i % KEY_WORDS] ^= rotl((uint32_t)(now - prev), i % 32);
        prev = now;
        if (i % KEY_WORDS == KEY_WORDS - 1)
            erase_key();
    }
}

void random_init(void)
{
    spin_lock(&random_lock);
    if (source) {
        spin_unlock(&random_lock);
        return;
    }
    key[0] ^= (uint32_t)arch_rdtsc();
    mix_rtc();
    has_rdrand = arch_has_rdrand();
    if (seed_cpu(has_rdseed_fn, rdseed_fn))
        source = "RDSEED";
    else if (seed_cpu(has_rdrand_fn, rdrand_fn))
        source = "RDRAND";
    else
        source = "TSC jitter";
    if (source[0] == 'T')
        seed_jitter();
    erase_key();
    spin_unlock(&random_lock);
    printk(LOG_INFO, "[random] seeded from %s%s\n", source,
           source[0] == 'T' ? " (the CPU has no RDRAND)" : source[2] == 'R' ? " (the CPU has no RDSEED)" : "");
}

void random_get_bytes(void *buf, size_t len)
{
    uint8_t *p = buf;
    uint32_t b[BLOCK_WORDS];
    uint64_t fresh;

    random_init();
    while (len) {
        size_t n = len < RANDOM_CHUNK ? len : RANDOM_CHUNK;

        spin_lock(&random_lock);
        if (has_rdrand && arch_rdrand64(&fresh)) {
            key[0] ^= (uint32_t)fresh;
            key[1] ^= (uint32_t)(fresh >> 32);
        }
        for (size_t done = 0; done < n; done += BLOCK_BYTES) {
            random_chacha20_block(key, counter++, b);
            memcpy(p + done, b, n - done < BLOCK_BYTES ? n - done : BLOCK_BYTES);
        }
        erase_key();
        spin_unlock(&random_lock);
        p += n;
        len -= n;
    }
    memset(b, 0, sizeof b);
}

void random_mix(const void *buf, size_t len)
{
    const uint8_t *p = buf;

    random_init();
    spin_lock(&random_lock);
    for (size_t i = 0; i < len; i++) {
        key[i / 4 % KEY_WORDS] ^= (uint32_t)p[i] << (8 * (i % 4));
        if (i % (KEY_WORDS * 4) == KEY_WORDS * 4 - 1)
            erase_key();
    }
    erase_key();
    spin_unlock(&random_lock);
}

const char *random_source(void)
{
    return source;
}
