/*
 * timemath.h - unit conversions between clocks: a * b / c without
 * overflow and without a 128-bit division (the kernel links no libgcc,
 * which is where gcc's __udivti3 lives).
 */
#pragma once

#include <stdint.h>

/*
 * a * b / c, rounded down, exact as long as b * c fits in 64 bits (true for
 * every rate this kernel converts: at most 10^7 Hz-like factors times
 * 10^9): a = q * c + r gives a * b / c = q * b + r * b / c, and r * b < c * b.
 */
static inline uint64_t time_mul_div(uint64_t a, uint64_t b, uint64_t c)
{
    return c ? a / c * b + a % c * b / c : 0;
}
