/*
 * test_high.h - a free 2 MiB block of memory above 4 GiB for the tests of
 * DMA that a 32-bit device cannot reach (test_dma.c, test_ide.c).
 *
 * The blocks below 4 GiB taken on the way are listed in a heap array, not
 * in themselves: writing a word into each would touch every 2 MiB of the
 * guest's memory, and under QEMU each first touch makes the host clear a
 * whole huge page (a 4 GiB machine spent 17 s of its test there).
 */
#pragma once

#include <stdint.h>

/* The block's physical address, or 0 when no memory above 4 GiB is free (or
 * the list of blocks below does not fit in the heap). Give it back with
 * mm_frame_free_2m. */
uint64_t ktest_block_above_4g(void);
