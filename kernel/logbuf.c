/*
 * logbuf.c - the ring buffer behind the kernel log (see logbuf.h).
 *
 * The write position is total % size; the oldest held byte is at the write
 * position once the buffer has wrapped, at 0 before. Reads copy in two
 * pieces around the end of the storage.
 */
#include "logbuf.h"
#include <string.h>

void logbuf_init(struct logbuf *lb, char *storage, size_t size)
{
    lb->buf = storage;
    lb->size = size;
    lb->total = 0;
}

void logbuf_write(struct logbuf *lb, const char *s, size_t len)
{
    if (len > lb->size) {               /* only the tail can survive */
        lb->total += len - lb->size;
        s += len - lb->size;
        len = lb->size;
    }
    while (len) {
        size_t at = (size_t)(lb->total % lb->size);
        size_t n = lb->size - at < len ? lb->size - at : len;

        memcpy(lb->buf + at, s, n);
        lb->total += n;
        s += n;
        len -= n;
    }
}

size_t logbuf_used(const struct logbuf *lb)
{
    return lb->total < lb->size ? (size_t)lb->total : lb->size;
}

size_t logbuf_read(const struct logbuf *lb, char *out, size_t cap)
{
    size_t used = logbuf_used(lb);
    size_t start = lb->total <= lb->size ? 0 : (size_t)(lb->total % lb->size);
    size_t first, n;

    if (used > cap) {                   /* keep the newest cap bytes */
        start = (start + (used - cap)) % lb->size;
        used = cap;
    }
    first = lb->size - start < used ? lb->size - start : used;
    memcpy(out, lb->buf + start, first);
    n = used - first;
    memcpy(out + first, lb->buf, n);
    return used;
}
