/*
 * test_traps.c - every one of the 32 CPU exception vectors raised on
 * purpose and caught, the error codes and frames they bring checked; the
 * symbol table and the frame-pointer walk the panic report relies on.
 *
 * Each raise_* function stores its resume address in trap_resume and runs
 * the faulting instruction in one asm statement, so the handler can return
 * to the label after it (trap.h). Most vectors are raised for real (a
 * division by zero, ud2, a non-canonical access, not-present segments, a
 * page fault, an unmasked x87 error, a double fault from a not-present
 * #DE gate); vectors without an error code that ring 0 cannot provoke use
 * `int N`; the five with an error code that ring 0 cannot provoke (#TS,
 * #AC, #CP, #VC, #SX) enter their stubs through trap_simulate, which
 * pushes the frame the CPU would (`int N` would push no error code).
 */
#include <stdint.h>

#include "arch/x86_64/exception.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"
#include "backtrace.h"
#include "format.h"
#include "ksyms.h"
#include "test/bench.h"
#include "test/ktest.h"

#define UNMAPPED_VA     0xFFFFD00000000010ULL   /* past the kernel allocations: never mapped */
#define NONCANONICAL    "movabsq $0x8000000000000000, %%rax\n\t"

static void raise_de(void)
{
    __asm__ volatile(TRAP_ARM "xorl %%edx, %%edx\n\tmovl $1, %%eax\n\txorl %%ecx, %%ecx\n\tdivl %%ecx" TRAP_RESUME
                     ::: "rax", "rcx", "rdx", "memory");
}

/* CR0.TS set: the next x87 instruction faults. Interrupts stay off while
 * TS is set: a tick there would switch threads, and the switch's fxsave
 * would fault with TS set (the first CI run of the 8-CPU cells saw it). */
static void raise_nm(void)
{
    __asm__ volatile("pushfq\n\tcli\n\tmovq %%cr0, %%rax\n\torq $8, %%rax\n\tmovq %%rax, %%cr0\n\t"
                     TRAP_ARM "fnop" TRAP_RESUME "\n\tclts\n\tpopfq" ::: "rax", "memory", "cc");
}

static void raise_df(void)          /* #DE through a not-present gate: #NP, then #DF */
{
    idt_set_present(0, 0);
    raise_de();
    idt_set_present(0, 1);
}

static void raise_np(void)
{
    __asm__ volatile(TRAP_ARM "movw %0, %%cx\n\tmovw %%cx, %%fs" TRAP_RESUME "\n\txorl %%ecx, %%ecx\n\tmovw %%cx, %%fs"
                     :: "i"(GDT_TEST_ABSENT) : "rax", "rcx", "memory");
}

static void raise_ss(void)          /* SS loaded with a not-present segment */
{
    __asm__ volatile(TRAP_ARM "movw %0, %%cx\n\tmovw %%cx, %%ss" TRAP_RESUME :: "i"(GDT_TEST_ABSENT) : "rax", "rcx", "memory");
}

static void raise_gp(void)          /* a non-canonical address through DS */
{
    __asm__ volatile(TRAP_ARM NONCANONICAL "movq (%%rax), %%rcx" TRAP_RESUME ::: "rax", "rcx", "memory");
}

static void raise_pf(void)
{
    __asm__ volatile(TRAP_ARM "movabsq %0, %%rcx\n\tmovb $1, (%%rcx)" TRAP_RESUME
                     :: "i"(UNMAPPED_VA) : "rax", "rcx", "memory");
}

static void raise_mf(void)          /* an unmasked x87 invalid operation (CR0.NE: native #MF) */
{
    static const uint16_t cw = 0x037E;     /* the default 0x037F with IM (bit 0) clear */

    __asm__ volatile("movq %%cr0, %%rax\n\torq $0x20, %%rax\n\tandq $~0xC, %%rax\n\tmovq %%rax, %%cr0\n\t"
                     "fninit\n\tfldcw %0\n\tfld1\n\tfchs\n\tfsqrt\n\t"
                     TRAP_ARM "fwait" TRAP_RESUME "\n\tfnclex\n\tfninit" :: "m"(cw) : "rax", "memory");
}

#define RAISE_INT(n) \
    static void raise_int_##n(void) { __asm__ volatile(TRAP_ARM "int $" #n TRAP_RESUME ::: "rax", "memory"); }
RAISE_INT(2) RAISE_INT(4) RAISE_INT(5) RAISE_INT(9) RAISE_INT(15) RAISE_INT(18) RAISE_INT(19)
RAISE_INT(20) RAISE_INT(22) RAISE_INT(23) RAISE_INT(24) RAISE_INT(25) RAISE_INT(26)
RAISE_INT(27) RAISE_INT(28) RAISE_INT(31)

/* RFLAGS.TF: a single-step trap after the next instruction. (icebp, 0xF1,
 * is #UD in QEMU's TCG.) The catch clears TF in the frame. */
static void raise_db(void)
{
    __asm__ volatile(TRAP_ARM "pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop" TRAP_RESUME ::: "rax", "memory", "cc");
}
static void raise_bp(void) { __asm__ volatile(TRAP_ARM "int3" TRAP_RESUME ::: "rax", "memory"); }
static void raise_ud(void) { __asm__ volatile(TRAP_ARM "ud2" TRAP_RESUME ::: "rax", "memory"); }

/* trap_simulate's frame returns straight to its caller: resume there too. */
#define RAISE_SIM(n, err) \
    static void raise_sim_##n(void) { \
        __asm__ volatile(TRAP_ARM "movl $" #n ", %%edi\n\tmovl $" #err ", %%esi\n\tcall trap_simulate" TRAP_RESUME \
                         ::: "rax", "rcx", "rdx", "rdi", "rsi", "r8", "r9", "r10", "r11", "memory"); }
RAISE_SIM(10, 0x18) RAISE_SIM(17, 0) RAISE_SIM(21, 3) RAISE_SIM(29, 0) RAISE_SIM(30, 1)

static const struct {
    void (*raise)(void);
    int has_error;              /* check the error code against `error` */
    uint64_t error;
} vectors[32] = {
    [0] = { raise_de }, [1] = { raise_db }, [2] = { raise_int_2 }, [3] = { raise_bp },
    [4] = { raise_int_4 }, [5] = { raise_int_5 }, [6] = { raise_ud }, [7] = { raise_nm },
    [8] = { raise_df, 1, 0 }, [9] = { raise_int_9 }, [10] = { raise_sim_10, 1, 0x18 },
    [11] = { raise_np, 1, GDT_TEST_ABSENT }, [12] = { raise_ss, 1, GDT_TEST_ABSENT }, [13] = { raise_gp, 1, 0 },
    [14] = { raise_pf, 1, 2 },  /* not present, write, kernel */
    [15] = { raise_int_15 }, [16] = { raise_mf }, [17] = { raise_sim_17, 1, 0 },
    [18] = { raise_int_18 }, [19] = { raise_int_19 }, [20] = { raise_int_20 },
    [21] = { raise_sim_21, 1, 3 }, [22] = { raise_int_22 }, [23] = { raise_int_23 },
    [24] = { raise_int_24 }, [25] = { raise_int_25 }, [26] = { raise_int_26 },
    [27] = { raise_int_27 }, [28] = { raise_int_28 }, [29] = { raise_sim_29, 1, 0 },
    [30] = { raise_sim_30, 1, 1 }, [31] = { raise_int_31 },
};

static struct trap_catch raise(int v)
{
    uint64_t before = trap_count(v);
    struct trap_catch c;

    trap_expect(v);
    vectors[v].raise();
    c = trap_expect_done();
    if (trap_count(v) != before + 1)
        c.caught = 0;
    return c;
}

void ktest_traps_every_exception(struct ktest *t)
{
    for (int v = 0; v < 32; v++) {
        struct trap_catch c = raise(v);
        if (!c.caught) {
            ktest_fail(t, __FILE__, __LINE__, "vector %d (%s) was not caught", v, exception_name(v));
            continue;
        }
        if (vectors[v].has_error && c.error != vectors[v].error)
            ktest_fail(t, __FILE__, __LINE__, "vector %d: error code 0x%llx, expected 0x%llx", v,
                       (unsigned long long)c.error, (unsigned long long)vectors[v].error);
    }
    KTEST_ASSERT_EQ(t, raise(14).cr2, UNMAPPED_VA);
}

/* #DF, NMI and #MC run on their IST stacks, the rest on the current stack. */
void ktest_traps_ist_stacks(struct ktest *t)
{
    static const struct { int vector, ist; } ist[] = {
        { 8, IST_DOUBLE_FAULT }, { 2, IST_NMI }, { 18, IST_MACHINE_CHECK },
    };
    uint64_t here = (uint64_t)(uintptr_t)__builtin_frame_address(0);

    for (unsigned i = 0; i < sizeof ist / sizeof ist[0]; i++) {
        uint64_t top = gdt_ist_top(ist[i].ist), frame = raise(ist[i].vector).frame;
        if (!(frame < top && frame >= top - IST_STACK_SIZE))
            ktest_fail(t, __FILE__, __LINE__, "vector %d: frame 0x%llx not on IST%d", ist[i].vector,
                       (unsigned long long)frame, ist[i].ist);
    }
    uint64_t frame = raise(3).frame;
    KTEST_ASSERT(t, frame < here && here - frame < 4096);
}

void ktest_traps_describe_errors(struct ktest *t)
{
    char buf[160];

    exception_describe_error(14, 0x2, 0x10, buf, sizeof buf);
    KTEST_ASSERT_STR_EQ(t, buf, "not-present page, write, kernel mode; CR2 0x0000000000000010");
    exception_describe_error(14, 0x15, 0x1000, buf, sizeof buf);
    KTEST_ASSERT_STR_EQ(t, buf, "protection violation, instruction fetch, user mode; CR2 0x0000000000001000");
    exception_describe_error(13, 0x40, 0, buf, sizeof buf);
    KTEST_ASSERT_STR_EQ(t, buf, "selector 0x40 (GDT index 8)");
    exception_describe_error(11, (13 << 3) | 2 | 1, 0, buf, sizeof buf);
    KTEST_ASSERT_STR_EQ(t, buf, "IDT vector 13, during an external event");
    KTEST_ASSERT_STR_EQ(t, exception_name(8), "double fault (#DF)");
}

static __attribute__((noinline, noclone)) int depth_two(uint64_t *pcs, int max)
{
    int n = backtrace_collect((uint64_t)(uintptr_t)__builtin_frame_address(0), pcs, max);
    __asm__ volatile("" ::: "memory");      /* not a tail call: keep this frame */
    return n;
}

static __attribute__((noinline, noclone)) int depth_one(uint64_t *pcs, int max)
{
    int n = depth_two(pcs, max);
    __asm__ volatile("" ::: "memory");
    return n;
}

void ktest_backtrace_names_callers(struct ktest *t)
{
    uint64_t pcs[8], off;
    int n = depth_one(pcs, 8);
    const char *first, *second;

    if (!KTEST_ASSERT(t, n >= 3))
        return;
    first = ksyms_lookup(pcs[0] - 1, &off);
    second = ksyms_lookup(pcs[1] - 1, &off);
    KTEST_ASSERT(t, first && strcmp(first, "depth_one") == 0);
    KTEST_ASSERT(t, second && strcmp(second, "ktest_backtrace_names_callers") == 0);
}

void ktest_ksyms_lookup(struct ktest *t)
{
    uint64_t off = 99;
    uint64_t addr = (uint64_t)(uintptr_t)&ktest_ksyms_lookup;
    const char *name = ksyms_lookup(addr + 5, &off);

    KTEST_ASSERT(t, ksyms_count() > 50);
    if (KTEST_ASSERT(t, name != NULL))
        KTEST_ASSERT_STR_EQ(t, name, "ktest_ksyms_lookup");
    KTEST_ASSERT_EQ(t, off, 5);
    KTEST_ASSERT_EQ(t, ksyms_address("ktest_ksyms_lookup"), addr);
    KTEST_ASSERT(t, ksyms_lookup(0x1000, &off) == NULL);
}

/*
 * An interrupt entered from ring 0 must not swapgs: IA32_KERNEL_GS_BASE
 * is pointed at a decoy copy of this CPU's struct percpu (a working one,
 * so a wrong swap still runs), then `int BENCH_VECTOR` from here; the
 * handler must find IA32_GS_BASE and %gs:0 still naming the real one.
 * A stub that swapped on every entry would hand it the decoy.
 */
static struct percpu gs_decoy;
static volatile uint64_t gs_seen, self_seen;

static void note_gs(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    gs_seen = arch_rdmsr(MSR_IA32_GS_BASE);
    self_seen = (uint64_t)(uintptr_t)percpu_this();
}

void ktest_traps_gs_base_kernel_entry(struct ktest *t)
{
    uint64_t flags = arch_irq_save();
    uint64_t real = arch_rdmsr(MSR_IA32_GS_BASE), kernel_gs = arch_rdmsr(MSR_IA32_KERNEL_GS_BASE);

    gs_decoy = *percpu_this();
    gs_decoy.self = &gs_decoy;
    if (!KTEST_ASSERT_EQ(t, trap_register(BENCH_VECTOR, note_gs, 0), 0)) {
        arch_irq_restore(flags);
        return;
    }
    arch_wrmsr(MSR_IA32_KERNEL_GS_BASE, (uint64_t)(uintptr_t)&gs_decoy);
    __asm__ volatile("int %0" : : "i"(BENCH_VECTOR) : "memory");
    arch_wrmsr(MSR_IA32_KERNEL_GS_BASE, kernel_gs);
    trap_unregister(BENCH_VECTOR);
    arch_irq_restore(flags);
    KTEST_ASSERT_EQ(t, gs_seen, real);
    KTEST_ASSERT_EQ(t, self_seen, real);
    KTEST_ASSERT_EQ(t, arch_rdmsr(MSR_IA32_GS_BASE), real);
}
