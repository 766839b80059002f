/*
 * exception.c - names and error codes of the CPU exceptions (Intel SDM
 * vol. 3, 6.3.1 table 6-1 and 6.15), and the report of a kernel fault.
 *
 * The report is what a student reads when the kernel crashes, so it says
 * everything the frame knows, in words:
 *   panic: page fault (#PF) in the kernel at 0xffffffff80012345 (ktest_fault_target+0x15)
 *     error 0x2: not-present page, write, kernel mode; CR2 0x0000000000000010
 *     RAX 0x...  RBX 0x...  RCX 0x...  RDX 0x...
 *     ...
 *   backtrace:
 *     #0 0xffffffff80012345 ktest_fault_target+0x15
 *     #1 0xffffffff80011111 ktest_run_one+0x40
 * on serial and the screen (printk), then panic_stop: QEMU exits with the
 * failure code in test mode, the CPU halts otherwise.
 */
#include <stdint.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "arch/x86_64/exception.h"
#include "backtrace.h"
#include "format.h"
#include "ksyms.h"
#include "panic.h"
#include "printk.h"

#define VEC_DF  8
#define VEC_TS  10
#define VEC_NP  11
#define VEC_SS  12
#define VEC_GP  13
#define VEC_PF  14

static const char *const names[32] = {
    "divide error (#DE)", "debug (#DB)", "non-maskable interrupt (NMI)", "breakpoint (#BP)",
    "overflow (#OF)", "bound range exceeded (#BR)", "invalid opcode (#UD)",
    "device not available (#NM)", "double fault (#DF)", "coprocessor segment overrun (9)",
    "invalid TSS (#TS)", "segment not present (#NP)", "stack-segment fault (#SS)",
    "general protection (#GP)", "page fault (#PF)", "reserved (15)",
    "x87 floating-point error (#MF)", "alignment check (#AC)", "machine check (#MC)",
    "SIMD floating-point (#XM)", "virtualization (#VE)", "control protection (#CP)",
    "reserved (22)", "reserved (23)", "reserved (24)", "reserved (25)", "reserved (26)",
    "reserved (27)", "hypervisor injection (#HV)", "VMM communication (#VC)",
    "security (#SX)", "reserved (31)",
};

const char *exception_name(unsigned vector)
{
    return vector < 32 ? names[vector] : "interrupt";
}

int exception_has_error(unsigned vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 ||
           vector == 29 || vector == 30;
}

/* #PF error code bits (SDM 4.7) */
static int describe_page_fault(uint64_t e, uint64_t cr2, char *buf, size_t size)
{
    return format_snprintf(buf, size, "%s, %s, %s mode%s%s%s; CR2 0x%016llx",
                           e & 1 ? "protection violation" : "not-present page",
                           e & 0x10 ? "instruction fetch" : e & 2 ? "write" : "read",
                           e & 4 ? "user" : "kernel", e & 8 ? ", reserved bit set" : "",
                           e & 0x20 ? ", protection key" : "", e & 0x40 ? ", shadow stack" : "",
                           (unsigned long long)cr2);
}

/* Selector error codes (SDM 6.13): EXT bit 0, IDT bit 1, TI bit 2, index bits 3..15 */
static int describe_selector(uint64_t e, char *buf, size_t size)
{
    const char *ext = e & 1 ? ", during an external event" : "";

    if (e == 0)
        return format_snprintf(buf, size, "no selector (null or not segment related)");
    if (e & 2)
        return format_snprintf(buf, size, "IDT vector %llu%s", (unsigned long long)(e >> 3 & 0x1FFF), ext);
    return format_snprintf(buf, size, "selector 0x%llx (%s index %llu)%s", (unsigned long long)(e & 0xFFF8),
                           e & 4 ? "LDT" : "GDT", (unsigned long long)(e >> 3 & 0x1FFF), ext);
}

int exception_describe_error(unsigned vector, uint64_t error, uint64_t cr2, char *buf, size_t size)
{
    switch (vector) {
    case VEC_PF:
        return describe_page_fault(error, cr2, buf, size);
    case VEC_TS: case VEC_NP: case VEC_SS: case VEC_GP:
        return describe_selector(error, buf, size);
    default:
        return format_snprintf(buf, size, "%s", exception_has_error(vector) ? "error code" : "no error code");
    }
}

/* The general registers in the order they are shown, four to a line. */
#define REG(name, field) { name, __builtin_offsetof(struct trap_frame, field) }
static const struct {
    char name[4];
    unsigned offset;
} gprs[16] = {
    REG("RAX", rax), REG("RBX", rbx), REG("RCX", rcx), REG("RDX", rdx),
    REG("RSI", rsi), REG("RDI", rdi), REG("RBP", rbp), REG("RSP", rsp),
    REG("R8", r8),   REG("R9", r9),   REG("R10", r10), REG("R11", r11),
    REG("R12", r12), REG("R13", r13), REG("R14", r14), REG("R15", r15),
};

static void dump_registers(const struct trap_frame *f)
{
    const uint8_t *base = (const uint8_t *)f;

    for (unsigned i = 0; i < 16; i += 4) {
        unsigned long long v[4];
        for (unsigned j = 0; j < 4; j++)
            __builtin_memcpy(&v[j], base + gprs[i + j].offset, 8);
        printk(LOG_ERR, "  %-3s 0x%016llx  %-3s 0x%016llx  %-3s 0x%016llx  %-3s 0x%016llx\n",
               gprs[i].name, v[0], gprs[i + 1].name, v[1], gprs[i + 2].name, v[2],
               gprs[i + 3].name, v[3]);
    }
    printk(LOG_ERR, "  RIP 0x%016llx  RFLAGS 0x%08llx  CS 0x%04llx  SS 0x%04llx\n",
           (unsigned long long)f->rip, (unsigned long long)f->rflags, (unsigned long long)f->cs,
           (unsigned long long)f->ss);
    printk(LOG_ERR, "  CR0 0x%08llx  CR2 0x%016llx  CR3 0x%016llx  CR4 0x%08llx\n",
           (unsigned long long)arch_read_cr0(), (unsigned long long)arch_read_cr2(),
           (unsigned long long)arch_read_cr3(), (unsigned long long)arch_read_cr4());
}

static arch_fault_explain_fn *explainer;

void arch_set_fault_explainer(arch_fault_explain_fn *fn)
{
    explainer = fn;
}

void exception_panic(const struct trap_frame *f)
{
    char where[96], what[160], why[160];
    unsigned v = (unsigned)f->vector;
    const char *overflow = NULL;
    uint64_t cr2 = arch_read_cr2();     /* before anything below can fault again */

    panic_begin();
    ksyms_describe(f->rip, where, sizeof where);
    exception_describe_error(v, f->error, cr2, what, sizeof what);
    if (explainer && (v == VEC_PF || v == VEC_DF))      /* a #PF, or one that could not be delivered */
        overflow = explainer(cr2, why, sizeof why);
    if (overflow)
        printk(LOG_ERR, "panic: %s\n", overflow);
    printk(LOG_ERR, "%s%s in the %s at 0x%016llx (%s)\n", overflow ? "  " : "panic: ", exception_name(v),
           f->cs & 3 ? "user program" : "kernel", (unsigned long long)f->rip, where);
    printk(LOG_ERR, "  error 0x%llx: %s\n", (unsigned long long)f->error, what);
    panic_print_where();
    dump_registers(f);
    backtrace_print(f->rip, f->rsp, f->rbp);
    panic_stop();
}
