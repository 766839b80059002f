/*
 * backtrace.c - the callers of a point in the kernel, from the frame-pointer
 * chain: [rbp] holds the caller's rbp, [rbp + 8] the return address.
 *
 * The walk runs inside a panic, so it must not fault itself: each frame
 * address must be 8-byte aligned, in the kernel half, mapped (checked with
 * the page-table walk), and above the previous one (stacks grow down, so
 * callers' frames sit higher); the walk stops at RBP 0 (entry.asm clears
 * it at the bottom) or after BACKTRACE_MAX_DEPTH frames.
 */
#include <stdint.h>

#include "arch.h"
#include "backtrace.h"
#include "ksyms.h"
#include "printk.h"

#define KERNEL_HALF 0xFFFF800000000000ULL

static int frame_readable(uint64_t rbp)
{
    struct page_mapping m;

    return rbp >= KERNEL_HALF && rbp % 8 == 0 && rbp <= UINT64_MAX - 16 &&
           pagewalk(rbp, &m) == 0 && pagewalk(rbp + 15, &m) == 0;
}

int backtrace_collect(uint64_t rbp, uint64_t *pcs, int max)
{
    int n = 0;

    while (n < max && frame_readable(rbp)) {
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t next = frame[0], ret = frame[1];
        if (ret == 0)
            break;
        pcs[n++] = ret;
        if (next <= rbp)
            break;
        rbp = next;
    }
    return n;
}

#define CALL_REL32      0xE8
#define CALL_REL32_LEN  5

/* The return address at [rsp] when rip's function has no frame yet, else 0. */
static uint64_t frameless_return(uint64_t rip, uint64_t rsp)
{
    uint64_t rip_off, ret_off, ret;
    int32_t rel;

    if (!rsp || !frame_readable(rsp) || !ksyms_lookup(rip, &rip_off))
        return 0;
    ret = *(const uint64_t *)(uintptr_t)rsp;
    if (!ksyms_lookup(ret - 1, &ret_off) || ret_off + 1 < CALL_REL32_LEN)
        return 0;                   /* not after a call inside a known function */
    if (*(const uint8_t *)(uintptr_t)(ret - CALL_REL32_LEN) != CALL_REL32)
        return 0;
    __builtin_memcpy(&rel, (const void *)(uintptr_t)(ret - 4), 4);
    return ret + (uint64_t)(int64_t)rel == rip - rip_off ? ret : 0;
}

void backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
    uint64_t pcs[BACKTRACE_MAX_DEPTH];
    char where[96];
    uint64_t leaf_ret = frameless_return(rip, rsp);
    int n = 0;

    if (leaf_ret)
        pcs[n++] = leaf_ret;
    n += backtrace_collect(rbp, pcs + n, BACKTRACE_MAX_DEPTH - 1 - n);
    printk(LOG_ERR, "backtrace:\n");
    ksyms_describe(rip, where, sizeof where);
    printk(LOG_ERR, "  #0 0x%016llx %s\n", (unsigned long long)rip, where);
    for (int i = 0; i < n; i++) {
        /* ret - 1: the call instruction, inside the caller even when the
         * call is the caller's last instruction */
        uint64_t off;
        const char *name = ksyms_lookup(pcs[i] - 1, &off);
        if (name)
            printk(LOG_ERR, "  #%d 0x%016llx %s+0x%llx\n", i + 1, (unsigned long long)pcs[i], name,
                   (unsigned long long)(off + 1));
        else
            printk(LOG_ERR, "  #%d 0x%016llx ?\n", i + 1, (unsigned long long)pcs[i]);
    }
}
