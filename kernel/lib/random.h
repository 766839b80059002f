/*
 * random.h - the kernel's random numbers (random.c): what /dev/random,
 * /dev/urandom and getrandom(2) read (kernel/fs/devfs/memdev.c,
 * kernel/abi/linux/sys_info.c).
 *
 * A ChaCha20 generator (RFC 8439, 2.3) with fast key erasure: each request
 * makes its bytes from the current key and then replaces the key with
 * output no caller saw, so a key read out of memory later does not give
 * back what was handed out before. The first key comes from the CPU's
 * entropy source, RDSEED, when it has one, else from RDRAND, else from the
 * jitter of the TSC around a loop of memory reads; the RTC's time at boot
 * is mixed in always (it tells boots apart, it is no secret). random_init
 * logs which:
 *     [random] seeded from RDSEED
 *     [random] seeded from RDRAND (the CPU has no RDSEED)
 *     [random] seeded from TSC jitter (the CPU has no RDRAND)
 * With RDRAND, every request also mixes 64 bits of it into the key first,
 * so the hardware's reseeding reaches the output (Linux's crng does the
 * same with arch_get_random_longs).
 * Like Linux since 5.6, random and urandom are the same generator and never
 * block once seeded (seeding happens before the first use).
 *
 * Rules: any thread; a spinlock is held while the bytes are made (64 bytes
 * per block: callers read in pieces of at most RANDOM_CHUNK).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define RANDOM_CHUNK    256

/* Seed the generator (once; later calls do nothing). */
void random_init(void);
/* len random bytes into buf (seeding first if needed). */
void random_get_bytes(void *buf, size_t len);
/* Mix bytes a writer of /dev/random gave into the key (never lowers its quality). */
void random_mix(const void *buf, size_t len);
/* "RDSEED", "RDRAND" or "TSC jitter": where the first key came from (NULL before random_init). */
const char *random_source(void);
/* One ChaCha20 block of key k at block counter ctr, nonce 0 (the known-answer ktest). */
void random_chacha20_block(const uint32_t k[8], uint64_t ctr, uint32_t out[16]);
