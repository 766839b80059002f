/*
 * cpio.h - a reader of `newc` cpio archives (cpio.c), the format of the
 * initramfs (Linux's Documentation/driver-api/early-userspace/buffer-format.rst;
 * docs/files-root.md draws it).
 *
 * Pure code: it reads an archive in memory and never writes, allocates or
 * sleeps, so the host tests (tests/host/test_cpio.c) and the fuzzer
 * (tests/fuzz/fuzz_cpio.c) run the same C as the kernel (initramfs.c).
 *
 * An archive is a run of entries, each a 110-byte ASCII header ("070701",
 * or "070702" with a checksum, then thirteen 8-digit hexadecimal fields), the
 * name (namesize bytes, its NUL included), padding to a multiple of 4, the
 * data (filesize bytes; a symbolic link's data is its target), padding to a
 * multiple of 4. The entry named "TRAILER!!!" ends an archive; as Linux does,
 * zero bytes may follow it and another archive may follow them.
 *
 * Rules: cpio_next never reads outside [buf, buf + len); a header, name or
 * data that does not fit, a bad magic, a non-hexadecimal digit, a name that
 * is empty or lacks its NUL, a "070702" regular file whose checksum (the sum of its
 * data bytes) differs, all
 * stop the reader with an error whose text names the entry (its number from
 * 0, its name when known, and the byte offset of its header).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE    110
#define CPIO_ERROR_MAX      160

struct cpio_entry {
    const char *name;               /* NUL-terminated, inside the archive */
    size_t name_len;                /* without the NUL */
    uint32_t ino, mode, uid, gid, nlink;
    uint32_t mtime;                 /* seconds since 1970 */
    uint32_t dev_major, dev_minor;  /* the device the file was on (hard links: with ino) */
    uint32_t rdev_major, rdev_minor;/* character and block special files */
    const uint8_t *data;            /* filesize bytes inside the archive */
    uint32_t size;
};

struct cpio_reader {
    const uint8_t *buf;
    size_t len;
    size_t off;                     /* the next header */
    unsigned index;                 /* entries read so far */
    int status;                     /* 1 reading, 0 ended, -22 damaged */
    char error[CPIO_ERROR_MAX];     /* why the last cpio_next failed ("" when it did not) */
};

void cpio_reader_init(struct cpio_reader *r, const void *buf, size_t len);

/*
 * The next entry: 1 and *e filled; 0 at the end (the last trailer, then only
 * zero bytes or nothing); -22 (-EINVAL) when the archive is damaged, r->error
 * saying where and why. After a 0 or an error every call returns the same.
 */
int cpio_next(struct cpio_reader *r, struct cpio_entry *e);
