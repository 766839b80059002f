/*
 * cpio.c - the `newc` cpio reader (cpio.h): one entry at a time, every
 * length checked against the end of the archive before it is used.
 *
 * Offsets are absolute from the archive's start, which is 4-byte aligned as
 * the format assumes: a header starts at a multiple of 4, the name follows
 * its 110 bytes, the data starts at the next multiple of 4 after the name,
 * the next header at the next multiple of 4 after the data.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fs/cpio/cpio.h"
#include "format.h"

#define CPIO_EINVAL     (-22)
#define MAGIC_LEN       6
#define FIELD_LEN       8
#define FIELDS          13
#define TRAILER         "TRAILER!!!"
#define NAME_SHOWN      48          /* bytes of a name an error quotes */

/* The fields after the magic, in header order (buffer-format.rst). */
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

static size_t align4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

void cpio_reader_init(struct cpio_reader *r, const void *buf, size_t len)
{
    r->buf = buf;
    r->len = len;
    r->off = 0;
    r->index = 0;
    r->status = 1;
    r->error[0] = 0;
}

/* The entry's name as an error quotes it: printable ASCII, at most NAME_SHOWN bytes. */
static void shown_name(char *out, const char *name, size_t len)
{
    size_t n = len < NAME_SHOWN ? len : NAME_SHOWN;

    for (size_t i = 0; i < n; i++)
        out[i] = name[i] >= 0x20 && name[i] < 0x7F && name[i] != '"' ? name[i] : '?';
    out[n] = 0;
}

/* Stop with an error: "entry N "NAME" at byte OFF: WHY" (the name when known). */
static int fail(struct cpio_reader *r, const struct cpio_entry *e, const char *why)
{
    char name[NAME_SHOWN + 1];

    if (e && e->name) {
        shown_name(name, e->name, e->name_len);
        format_snprintf(r->error, sizeof r->error, "entry %u \"%s\" at byte %llu: %s", r->index, name,
                        (unsigned long long)r->off, why);
    } else {
        format_snprintf(r->error, sizeof r->error, "entry %u at byte %llu: %s", r->index,
                        (unsigned long long)r->off, why);
    }
    r->status = CPIO_EINVAL;
    return CPIO_EINVAL;
}

static int hex_field(const uint8_t *p, uint32_t *out)
{
    uint32_t v = 0;

    for (int i = 0; i < FIELD_LEN; i++) {
        unsigned c = p[i], d;

        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

/* The header at r->off into f[]: 0, or the error. *crc: 1 for "070702". */
static int read_header(struct cpio_reader *r, uint32_t f[FIELDS], int *crc)
{
    const uint8_t *h = r->buf + r->off;

    if (r->len - r->off < CPIO_HEADER_SIZE)
        return fail(r, NULL, "the header runs past the end of the archive");
    if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
        return fail(r, NULL, "no newc magic (070701 or 070702)");
    *crc = h[5] == '2';
    for (int i = 0; i < FIELDS; i++)
        if (hex_field(h + MAGIC_LEN + i * FIELD_LEN, &f[i]) != 0)
            return fail(r, NULL, "a header field is not 8 hexadecimal digits");
    return 0;
}

static void fill_entry(struct cpio_entry *e, const uint32_t f[FIELDS])
{
    e->ino = f[F_INO];
    e->mode = f[F_MODE];
    e->uid = f[F_UID];
    e->gid = f[F_GID];
    e->nlink = f[F_NLINK];
    e->mtime = f[F_MTIME];
    e->size = f[F_FILESIZE];
    e->dev_major = f[F_DEVMAJOR];
    e->dev_minor = f[F_DEVMINOR];
    e->rdev_major = f[F_RDEVMAJOR];
    e->rdev_minor = f[F_RDEVMINOR];
}

/* The name and data of the entry whose header is at r->off; sets r->off to the next header. */
static int read_body(struct cpio_reader *r, struct cpio_entry *e, uint32_t namesize, uint32_t check, int crc)
{
    size_t name_at = r->off + CPIO_HEADER_SIZE, data_at;
    uint32_t sum = 0;

    if (namesize == 0 || namesize > r->len - name_at)
        return fail(r, NULL, namesize ? "the name runs past the end of the archive" : "an empty name");
    e->name = (const char *)r->buf + name_at;
    e->name_len = namesize - 1;
    if (e->name[e->name_len] != 0 || memchr(e->name, 0, e->name_len))
        return fail(r, e, "the name's size does not end at its NUL");
    data_at = align4(name_at + namesize);
    if (data_at > r->len || e->size > r->len - data_at)
        return fail(r, e, "the data runs past the end of the archive");
    e->data = r->buf + data_at;
    if (crc && (e->mode & 0170000) == 0100000) {    /* GNU cpio sums regular files only */
        for (uint32_t i = 0; i < e->size; i++)
            sum += e->data[i];
        if (sum != check)
            return fail(r, e, "the data's checksum differs from the header's");
    }
    r->off = align4(data_at + e->size);
    r->index++;
    return 0;
}

/* After a trailer: skip zero bytes; 1 when another archive follows, 0 at the end, or the error. */
static int skip_padding(struct cpio_reader *r)
{
    while (r->off < r->len && r->buf[r->off] == 0)
        r->off++;
    if (r->off >= r->len) {
        r->status = 0;
        return 0;
    }
    if (r->off % 4)
        return fail(r, NULL, "bytes after the trailer are neither zeros nor an aligned archive");
    return 1;
}

int cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
    uint32_t f[FIELDS];
    int crc, err;

    for (;;) {
        if (r->status != 1)
            return r->status;
        if (r->off >= r->len)
            return fail(r, NULL, "the archive ends without its trailer (TRAILER!!!)");
        memset(e, 0, sizeof *e);
        if ((err = read_header(r, f, &crc)) != 0)
            return err;
        fill_entry(e, f);
        if ((err = read_body(r, e, f[F_NAMESIZE], f[F_CHECK], crc)) != 0)
            return err;
        if (e->name_len != sizeof TRAILER - 1 || memcmp(e->name, TRAILER, e->name_len) != 0)
            return 1;
        if ((err = skip_padding(r)) <= 0)
            return err;
    }
}
