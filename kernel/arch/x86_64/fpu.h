/*
 * fpu.h - each thread's FPU/SSE/AVX registers (fpu.c).
 *
 * The kernel's own code is built -mgeneral-regs-only and never touches
 * x87, XMM or YMM registers, so those hold whichever thread's values were
 * last loaded; threads (later, user programs) may use them freely. The
 * scheduler saves the outgoing thread's state and loads the incoming one's
 * on every switch: eager, simple and correct (no lazy #NM trapping, which
 * costs more than it saves once most threads use SIMD).
 *
 * fpu_init (on the boot CPU, before the first thread is made) chooses the
 * method and turns the units on; fpu_init_cpu does the same on each AP as
 * it starts (same bits, same XCR0, so every area fits every CPU): CR0.MP, no CR0.EM or TS; CR4.OSFXSR and OSXMMEXCPT; with XSAVE also
 * CR4.OSXSAVE and XCR0 = x87 | SSE | AVX (AVX where the CPU has it). The
 * save area is XSAVE's size for that XCR0 (CPUID leaf 0xD), else FXSAVE's
 * 512 bytes; XSAVEOPT is used for saving where the CPU has it.
 * Areas must be FPU_AREA_ALIGN-aligned and start as fpu_area_init makes
 * them (the state after FNINIT, MXCSR with every exception masked).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FPU_AREA_ALIGN  64          /* XSAVE needs 64, FXSAVE 16 */

void fpu_init(void);
void fpu_init_cpu(void);
size_t fpu_area_size(void);
void fpu_area_init(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);

/* "xsaveopt", "xsave" or "fxsave", and XCR0 (0 without XSAVE): for the boot log and tests. */
const char *fpu_method(void);
uint64_t fpu_xcr0(void);
