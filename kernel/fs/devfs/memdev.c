/*
 * memdev.c - devfs's memory devices (Linux's drivers/char/mem.c and
 * random.c, in their user-visible behaviour):
 *   null     reads end at once; writes take everything
 *   zero     reads give zeros; writes take everything
 *   full     reads give zeros; writes fail with ENOSPC
 *   random, urandom  reads give the generator's bytes (random.h); writes
 *            are mixed into its key
 * None has a position: pos is ignored and left as it is.
 */
#include <stddef.h>
#include <string.h>

#include "errno.h"
#include "fs/devfs/devices.h"
#include "lib/random.h"
#include "mutant.h"

static long read_nothing(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    (void)f, (void)buf, (void)len, (void)pos;
    return 0;
}

static long read_zeros(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    (void)f, (void)pos;
    memset(buf, 0, len);
    return (long)len;
}

static long write_all(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    (void)f, (void)buf, (void)pos;
    return (long)len;
}

static long write_nospace(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    (void)f, (void)buf, (void)len, (void)pos;
    if (MUTANT_ENABLED(devfs_full))
        return (long)len;               /* full takes writes as null does */
    return -ENOSPC;
}

static long read_random(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    (void)f, (void)pos;
    random_get_bytes(buf, len);
    return (long)len;
}

static long write_random(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    (void)f, (void)pos;
    random_mix(buf, len);
    return (long)len;
}

const struct file_ops devfs_null_fops = { .read = read_nothing, .write = write_all };
const struct file_ops devfs_zero_fops = { .read = read_zeros, .write = write_all };
const struct file_ops devfs_full_fops = { .read = read_zeros, .write = write_nospace };
const struct file_ops devfs_random_fops = { .read = read_random, .write = write_random };
