/*
 * main.c - kmain, where the kernel starts in C (called by _start in
 * kernel/arch/x86_64/entry.asm with the boot info's HHDM address).
 *
 * The order matters and is the boot walkthrough's outline:
 *   1. serial first, and at once the "kernel: Tessera ..." line;
 *   2. check the boot info (magic, major version, size): a bad one is
 *      refused with a message on serial (and VGA text unless a UEFI
 *      loader says it booted us), then a halt; then the kernel's own GDT,
 *      TSS and IDT (kernel/arch/x86_64/), so any fault from here on gets
 *      a report with a backtrace instead of a triple fault;
 *      "bench=boot" on the command line leaves QEMU right here (the boot
 *      benchmark's end point);
 *   3. keep a copy of it; memory: frames, the heap, the kernel's own page
 *      tables, the loader's memory given back (kernel/mm/, docs/memory.md);
 *      bring up the screen console (framebuffer or VGA text) and show
 *      there what serial already has;
 *   4. read the ACPI tables (drivers/acpi/); start the clocks: the HPET,
 *      the TSC's rate, the monotonic clock (drivers/timer/clock.c); print
 *      the summary line, the memory map and the loader's timeline;
 *   5. interrupts: the 8259s remapped, then the local APIC and the IOAPIC
 *      (or the 8259s as the fallback: no MADT, or "noapic")
 *      (drivers/apic/irq.c); the tick at hz= (default 1000 Hz) on the LAPIC
 *      timer (or the PIT) (drivers/timer/timer.c); then, and only then,
 *      the FPU/SIMD units and the scheduler: kmain becomes the thread
 *      "kmain", the idle thread is made, the tick preempts
 *      (kernel/arch/x86_64/fpu.c, kernel/sched/, docs/scheduling.md);
 *      sti; the wall clock from the CMOS RTC (drivers/timer/rtc.c); the
 *      other CPUs started, each to idle on its own stacks and tables
 *      (kernel/arch/x86_64/smp.c, docs/smp.md);
 *   6. "bench=irq" measures interrupt and clock costs and leaves QEMU
 *      (kernel/test/bench_irq.c); with "test" on the command line run the
 *      in-kernel tests and leave QEMU with the result; "test=panic" panics
 *      on purpose, "test=fault" takes a page fault on purpose
 *      (kernel_fault_test_target), "test=overflow" overflows a guarded
 *      stack (kernel_overflow_test), "test=soak soak=N" runs the thread,
 *      lock and memory tests in a loop for N seconds (kernel/test/soak.c).
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "apic/irq.h"
#include "arch.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/stack.h"
#include "boot/bootinfo_view.h"
#include "boot/report.h"
#include "cmdline.h"
#include "console.h"
#include "mm/kva.h"
#include "mm/mm.h"
#include "format.h"
#include "panic.h"
#include "printk.h"
#include "qemu/debug_exit.h"
#include "sched/sched.h"
#include "serial/serial.h"
#include <string.h>
#include "test/bench.h"
#include "test/ktest.h"
#include "test/soak.h"
#include "timer/clock.h"
#include "timer/rtc.h"
#include "timer/timer.h"
#include "version.h"
#include "vga/vga.h"

#define HHDM_END 0xFFFFC00000000000ULL      /* the direct map's upper bound */

void kmain(const struct bootinfo *bi);

/*
 * No usable boot info: say why on every sink there is, then stop. VGA text
 * at 0xB8000 is a BIOS-machine fact: skip it when the structure (if the
 * pointer reached one) says a UEFI loader booted us; serial has the line.
 */
static __attribute__((noreturn)) void refuse(const char *why, const struct bootinfo *bi)
{
    printk(LOG_ERR, "kernel: cannot boot: %s; halting\n", why);
    if (!bi || bi->magic != BOOTINFO_MAGIC || bi->firmware != BOOTINFO_FW_UEFI) {
        vga_emergency_write("kernel: cannot boot: ", 21);
        vga_emergency_write(why, strlen(why));
        vga_emergency_write("; halting\n", 10);
    }
    arch_halt_forever();
}

static void check_bootinfo(const struct bootinfo *bi)
{
    char why[160];
    uint64_t va = (uint64_t)(uintptr_t)bi;

    if (va < ARCH_HHDM_BASE || va >= HHDM_END || va % 8) {
        format_snprintf(why, sizeof why, "bootinfo: pointer %p in RDI is not an aligned "
                        "direct-map address (0x%llx up)", (const void *)bi, ARCH_HHDM_BASE);
        refuse(why, 0);
    }
    if (bootinfo_check(bi, why, sizeof why) != BOOTINFO_OK)
        refuse(why, bi);
}

/* loglevel=err|warn|info|debug on the command line: what reaches the screen. */
static void set_console_level(void)
{
    static const char *const words[] = { "loglevel=err", "loglevel=warn", "loglevel=info",
                                         "loglevel=debug" };
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    for (int level = LOG_ERR; level <= LOG_DEBUG; level++)
        if (cmdline_has_word(cmdline, len, words[level]))
            printk_set_console_level(level);
}

static void start_console(void)
{
    enum console_kind kind = console_init(&bootinfo_get()->fb);

    if (kind == CONSOLE_FB)
        report_replay_loader_log();
    printk_replay_to_console();
}

/*
 * bench=boot: leave QEMU as soon as the boot info is checked, so `make bench`
 * times firmware + loader + kernel entry to QEMU's exit, the same end point
 * as the GRUB anchor's kernel.
 */
static void exit_if_boot_bench(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    if (cmdline_has_word(cmdline, len, "bench=boot"))
        debug_exit(DEBUG_EXIT_PASS);
}

/*
 * test=fault: a write to an address nothing maps, from a function of its
 * own, so the panic-path test (tests/qemu/panic.sh) can check that the
 * report names the exception, decodes the error code and CR2, and that the
 * backtrace names this function and its callers.
 */
#define FAULT_TEST_VA 0xFFFFD00000000010ULL

__attribute__((noinline)) void kernel_fault_test_target(void);
__attribute__((noinline)) void kernel_fault_test_target(void)
{
    *(volatile uint8_t *)(uintptr_t)FAULT_TEST_VA = 1;
}

/*
 * Memory: the frame allocator and the heap over the boot memory map, the
 * kernel's own page tables (the loader's identity map goes), then the boot
 * info's tables copied so the loader's memory can be given back.
 */
static void start_memory(void)
{
    const struct bootinfo *bi = bootinfo_get();

    if (mm_init(bi) != 0 || mm_init_paging(bi) != 0)
        panic("kmain: no memory to run on (see the [mm] lines above)");
    if (bootinfo_detach() != 0) {
        printk(LOG_WARN, "[mm] no room to copy the boot info: loader memory kept\n");
        return;
    }
    mm_release_loader_memory(bootinfo_mmap_entry(0), bi->mmap_count);
}

/*
 * test=overflow: recurse on a stack of 16 KiB with a guard page below it
 * until it runs out: the report must say "stack overflow on 'overflow
 * test'" (the #PF cannot be delivered on the dead stack, so it becomes a
 * double fault, which runs on its own IST stack).
 */
static volatile int overflow_forever = 1;     /* volatile: the compiler cannot see the end */

static __attribute__((noinline)) void kernel_overflow_recurse(void *depth)
{
    volatile uint8_t frame[256];

    frame[0] = (uint8_t)(uintptr_t)depth;
    if (overflow_forever)
        kernel_overflow_recurse((uint8_t *)depth + 1);
    frame[1] = frame[0];                /* after the call: no tail call */
}

static void kernel_overflow_test(void)
{
    uint64_t stack = kva_alloc(16384, KVA_GUARD, "overflow test");

    if (!stack)
        panic("kernel_overflow_test: no stack");
    arch_call_on_stack(stack + 16384, kernel_overflow_recurse, 0);
}

/*
 * Interrupt controllers, then the tick, then sti: from here on interrupts
 * arrive. A bad hz= is reported and the default taken.
 */
static void start_interrupts(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint32_t hz;

    if (timer_parse_hz(cmdline, len, &hz) == TIMER_HZ_BAD)
        printk(LOG_WARN, "[timer] hz= on the command line is not a number in %u..%u: using %u\n",
               TIMER_HZ_MIN, TIMER_HZ_MAX, hz);
    irq_init(cmdline_has_word(cmdline, len, "noapic"));
    timer_init(hz);
    fpu_init();
    sched_init();
    arch_irq_enable();
    printk(LOG_INFO, "[apic] interrupts enabled (%s mode)\n",
           irq_mode() == IRQ_MODE_APIC ? "APIC" : "8259 PIC");
}

/*
 * test=panic-cpu: a panic on the last CPU, in a thread, while kmain keeps
 * printing on CPU 0: the panic's NMI must stop it (panic.sh checks that
 * no kmain line follows the report).
 */
static void panic_thread(void *arg)
{
    (void)arg;
    clock_spin_ns(20 * NS_PER_MS);      /* kmain prints meanwhile */
    panic("thread on CPU %d: test=panic-cpu on the command line", sched_cpu_id());
}

static void panic_on_last_cpu(void)
{
    struct thread *t = thread_create_on("panicker", panic_thread, 0, SCHED_PRIO_DEFAULT,
                                        (int)sched_cpus() - 1);

    if (!t)
        panic("kmain: test=panic-cpu: no thread");
    for (;;) {
        clock_spin_ns(2 * NS_PER_MS);
        printk(LOG_INFO, "kmain: still running on CPU %d\n", sched_cpu_id());
    }
}

static void run_command_line(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    int tests = cmdline_has_word(cmdline, len, "test");
    int test_panic = cmdline_has_word(cmdline, len, "test=panic");
    int test_fault = cmdline_has_word(cmdline, len, "test=fault");
    int test_overflow = cmdline_has_word(cmdline, len, "test=overflow");
    int test_soak = cmdline_has_word(cmdline, len, "test=soak");
    int test_panic_cpu = cmdline_has_word(cmdline, len, "test=panic-cpu");

    panic_set_test_mode(tests || test_panic || test_fault || test_overflow || test_soak ||
                        test_panic_cpu);
    if (test_panic)
        panic("kmain: test=panic on the command line");
    if (test_panic_cpu)
        panic_on_last_cpu();
    if (test_fault)
        kernel_fault_test_target();
    if (test_overflow)
        kernel_overflow_test();
    if (test_soak)
        debug_exit(soak_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (cmdline_has_word(cmdline, len, "bench=irq"))
        debug_exit(bench_irq_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (cmdline_has_word(cmdline, len, "bench=mm")) debug_exit(bench_mm_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (tests) {
        int failed = ktest_run_all();
        mm_report();                    /* meminfo after the tests: what they left behind */
        debug_exit(failed ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    }
}

void kmain(const struct bootinfo *bi)
{
    uint64_t entry_tsc = arch_rdtsc();

    smp_init_boot_cpu();                /* GS: spinlocks and printk name their CPU */
    serial_init();
    printk(LOG_INFO, "kernel: " TESSERA_NAME " " TESSERA_VERSION " (x86_64), boot info at %p\n",
           (const void *)bi);
    check_bootinfo(bi);
    gdt_init();
    idt_init();
    bootinfo_adopt(bi);
    exit_if_boot_bench();
    start_memory();
    set_console_level();
    start_console();
    acpi_init(bootinfo_get()->acpi_rsdp);
    clock_init(entry_tsc);
    report_summary();
    report_memmap();
    report_timeline(entry_tsc);
    start_interrupts();
    rtc_init();
    smp_init();
    run_command_line();
    mm_report();
    printk(LOG_INFO, "kernel: nothing more to do yet; halting\n");
    arch_halt_forever();
}
