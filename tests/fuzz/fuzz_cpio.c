/*
 * fuzz_cpio.c - libFuzzer target for the newc cpio reader
 * (kernel/fs/cpio/cpio.c, as the kernel's initramfs runs it).
 *
 * Input: the archive. The reader must end with 0 or -22 (never anything
 * else), every entry it gives must lie inside the input (its name and data
 * are read whole here, so ASan sees a pointer past the end), a name must end
 * at its NUL, and an error must name an entry.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs/cpio/cpio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);    /* exactly size bytes: ASan's bounds */
    struct cpio_reader r;
    struct cpio_entry e;
    uint32_t sum = 0;
    int rc;

    memcpy(copy, data, size);
    cpio_reader_init(&r, copy, size);
    while ((rc = cpio_next(&r, &e)) == 1) {
        if ((const uint8_t *)e.name < copy || (const uint8_t *)e.name + e.name_len >= copy + size ||
            e.name[e.name_len] != 0 || strlen(e.name) != e.name_len)
            abort();
        if (e.size && (e.data < copy || e.data + e.size > copy + size))
            abort();
        for (uint32_t i = 0; i < e.size; i++)
            sum += e.data[i];
    }
    if (sum == 0xFFFFFFFFu && size == 0)      /* never: keeps the reads of the data */
        abort();
    if ((rc != 0 && rc != -22) || (rc == -22 && strncmp(r.error, "entry ", 6) != 0) ||
        (rc == 0 && r.error[0]))
        abort();
    free(copy);
    return 0;
}
