/*
 * fpu.c - FPU/SSE/AVX state per thread (see fpu.h). Intel SDM vol. 1,
 * ch. 13 (XSAVE), vol. 3A 2.5 (CR0, CR4) and 13.1 (enabling SSE).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/paging.h"
#include "panic.h"
#include "printk.h"

#define CR0_MP              (1ULL << 1)     /* WAIT/FWAIT honour TS */
#define CR0_EM              (1ULL << 2)     /* x87 emulation: must be clear */
#define CR0_TS              (1ULL << 3)     /* task switched: #NM on FPU use */
#define CR0_NE              (1ULL << 5)     /* native x87 error reporting */
#define CR4_OSFXSR          (1ULL << 9)     /* FXSAVE/FXRSTOR and SSE */
#define CR4_OSXMMEXCPT      (1ULL << 10)    /* #XM for unmasked SSE exceptions */
#define CR4_OSXSAVE         (1ULL << 18)    /* XSAVE and XGETBV/XSETBV */
#define CPUID_1_ECX_XSAVE   (1u << 26)
#define CPUID_1_ECX_AVX     (1u << 28)
#define CPUID_LEAF_XSAVE    0x0D            /* subleaf 0: sizes, XCR0 bits; 1: XSAVEOPT & co */
#define CPUID_D1_EAX_XSAVEOPT (1u << 0)
#define XCR0_X87            (1ULL << 0)
#define XCR0_SSE            (1ULL << 1)
#define XCR0_AVX            (1ULL << 2)     /* the upper halves of YMM0-15 */
#define FXSAVE_SIZE         512
#define MXCSR_DEFAULT       0x1F80          /* all SSE exceptions masked, round to nearest */

enum fpu_kind { FPU_FXSAVE, FPU_XSAVE, FPU_XSAVEOPT };

static enum fpu_kind kind;
static size_t area_size = FXSAVE_SIZE;
static uint64_t xcr0;
static uint8_t initial[4096] __attribute__((aligned(FPU_AREA_ALIGN)));   /* after FNINIT */

static void xsetbv(uint32_t reg, uint64_t v)
{
    __asm__ volatile("xsetbv" : : "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* XSAVE: pick XCR0 from what the CPU offers; the size and method it implies. */
static void choose_xsave(void)
{
    struct arch_cpuid_regs d0 = arch_cpuid(CPUID_LEAF_XSAVE, 0);
    int avx = (arch_cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_AVX) && (d0.eax & XCR0_AVX);

    xcr0 = XCR0_X87 | XCR0_SSE | (avx ? XCR0_AVX : 0);
    kind = arch_cpuid(CPUID_LEAF_XSAVE, 1).eax & CPUID_D1_EAX_XSAVEOPT ? FPU_XSAVEOPT : FPU_XSAVE;
}

/* This CPU's control bits, as the boot CPU chose them; then a clean x87/SSE state. */
void fpu_init_cpu(void)
{
    uint32_t mxcsr = MXCSR_DEFAULT;

    arch_write_cr0((arch_read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
    arch_write_cr4(arch_read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    if (kind != FPU_FXSAVE) {
        arch_write_cr4(arch_read_cr4() | CR4_OSXSAVE);
        xsetbv(0, xcr0);
    }
    __asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
}

void fpu_init(void)
{
    int has_xsave = arch_cpuid_max_leaf() >= CPUID_LEAF_XSAVE &&
                    (arch_cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_XSAVE);

    if (has_xsave)
        choose_xsave();
    fpu_init_cpu();
    if (has_xsave)
        area_size = arch_cpuid(CPUID_LEAF_XSAVE, 0).ebx;  /* for the XCR0 now set */
    if (area_size > sizeof initial)
        panic("fpu_init: XSAVE area of %zu bytes, room for %zu", area_size, sizeof initial);
    memset(initial, 0, sizeof initial);
    if (kind == FPU_FXSAVE)
        __asm__ volatile("fxsave64 %0" : "=m"(initial));
    else
        __asm__ volatile("xsave64 %0" : "=m"(initial) : "a"((uint32_t)-1), "d"((uint32_t)-1));
    printk(LOG_INFO, "[fpu] %s, %zu-byte areas, XCR0 0x%llx\n", fpu_method(), area_size,
           (unsigned long long)xcr0);
}

size_t fpu_area_size(void)
{
    return area_size;
}

void fpu_area_init(void *area)
{
    memcpy(area, initial, area_size);
}

/* The requested-feature mask in EDX:EAX: all of XCR0's. */
void fpu_save(void *area)
{
    if (kind == FPU_XSAVEOPT)
        __asm__ volatile("xsaveopt64 (%0)" : : "r"(area), "a"((uint32_t)-1), "d"((uint32_t)-1)
                         : "memory");
    else if (kind == FPU_XSAVE)
        __asm__ volatile("xsave64 (%0)" : : "r"(area), "a"((uint32_t)-1), "d"((uint32_t)-1)
                         : "memory");
    else
        __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
    if (kind == FPU_FXSAVE)
        __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
    else
        __asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"((uint32_t)-1), "d"((uint32_t)-1)
                         : "memory");
}

const char *fpu_method(void)
{
    return kind == FPU_XSAVEOPT ? "xsaveopt" : kind == FPU_XSAVE ? "xsave" : "fxsave";
}

uint64_t fpu_xcr0(void)
{
    return xcr0;
}
