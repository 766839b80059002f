/*
 * logbuf.h - a byte ring buffer that keeps the most recent bytes of a log.
 *
 * The caller owns the storage (printk uses one 64 KiB buffer for the whole
 * kernel log; tests use tiny ones to force wrap-around). Writes never fail:
 * when full, the oldest bytes are overwritten. `total` counts every byte
 * ever written, so a reader can tell how much was lost (total - size).
 * No lock of its own: the caller serialises (printk's print lock, or a
 * test's private buffer).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct logbuf {
    char    *buf;
    size_t   size;      /* capacity in bytes, > 0 */
    uint64_t total;     /* bytes written since logbuf_init */
};

void   logbuf_init(struct logbuf *lb, char *storage, size_t size);
void   logbuf_write(struct logbuf *lb, const char *s, size_t len);
/* Bytes currently held: min(total, size). */
size_t logbuf_used(const struct logbuf *lb);
/* Copy the held bytes, oldest first, into out[0..cap); returns bytes copied. */
size_t logbuf_read(const struct logbuf *lb, char *out, size_t cap);
