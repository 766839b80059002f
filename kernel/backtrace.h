/*
 * backtrace.h - walk the frame-pointer chain and print the callers
 * (backtrace.c). The kernel is built with -fno-omit-frame-pointer, so
 * every function's frame starts with the caller's RBP, and the return
 * address sits right above it.
 */
#pragma once

#include <stdint.h>

#define BACKTRACE_MAX_DEPTH 32

/*
 * Print "backtrace:" and one line per frame, starting at rip with frame
 * rbp. rsp (0 when unknown) is the stack pointer at rip: when rip's function
 * has not built a frame (a leaf gcc compiled without one, or a fault on its
 * first instruction), its return address is at [rsp], and the walk shows it.
 */
void backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp);

/* Fill pcs[] with up to max return addresses, starting at frame rbp; returns the count. */
int backtrace_collect(uint64_t rbp, uint64_t *pcs, int max);
