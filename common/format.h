/*
 * format.h - a small vsnprintf for the kernel and the loaders.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%.
 * Length modifiers: l, ll, z (size_t / ssize-like for %d).
 * Flags: '-' (left align), '0' (zero pad; ignored with '-'), width as digits
 * or '*', precision '.N' or '.*' (strings: at most N bytes; integers: at
 * least N digits). %p prints 0x followed by the hex digits of the pointer.
 * A NULL %s prints "(null)"; an unknown conversion is copied through.
 *
 * Like C's snprintf: never writes more than `size` bytes (the last one is
 * always the terminating NUL when size > 0) and returns the length the full
 * output would have had, so `ret >= size` means it was truncated.
 * No floating point (the kernel has no SIMD state to spend on it).
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int format_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
