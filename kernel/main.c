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
 *      benchmark's end point, kernel/test/dispatch.c);
 *   3. keep a copy of it; memory: frames, the heap, the kernel's own page
 *      tables, the loader's memory given back (kernel/mm/, docs/memory.md);
 *      bring up the screen console (framebuffer or VGA text) and show
 *      there what serial already has;
 *   4. read the ACPI tables (drivers/acpi/); start the clocks: the HPET,
 *      the TSC's rate, the monotonic clock (drivers/timer/clock.c); print
 *      the summary line, the memory map and the boot timeline (the
 *      loader's steps, then the kernel's phases: kernel/boot/phases.c);
 *   5. interrupts: the 8259s remapped, then the local APIC and the IOAPIC
 *      (or the 8259s as the fallback: no MADT, or "noapic")
 *      (drivers/apic/irq.c); the tick at hz= (default 1000 Hz) on the LAPIC
 *      timer (or the PIT) (drivers/timer/timer.c); then, and only then,
 *      the FPU/SIMD units and the scheduler: kmain becomes the thread
 *      "kmain", the idle thread is made, the tick preempts
 *      (kernel/arch/x86_64/fpu.c, kernel/sched/, docs/scheduling.md);
 *      sti; the serial terminals ttyS0..ttyS3 with their receive
 *      interrupts (drivers/serial/, kernel/tty/, docs/tty.md); the wall
 *      clock from the CMOS RTC (drivers/timer/rtc.c); the
 *      other CPUs started, each to idle on its own stacks and tables
 *      (kernel/arch/x86_64/smp.c, docs/smp.md); then input: the keymap,
 *      the 8042 with its keyboard and mouse (drivers/input/input_boot.c,
 *      docs/input.md); then the PCI functions
 *      found and their drivers bound (drivers/pci/pci.c, docs/pci.md),
 *      disk drivers registering their disks; then storage: the buffer
 *      cache, the RAM disks from modules, the boot partition found among
 *      the disks (drivers/block/storage.c, docs/storage.md); then the
 *      VFS: the page cache and its flusher, tmpfs mounted at /
 *      (kernel/fs/, docs/files.md); then, once the virtual consoles
 *      exist, root: the root file system root= chooses, devfs on /dev,
 *      procfs on /proc, the boot partition on /boot (kernel/fs/root.c,
 *      docs/files-root.md);
 *   6. what the command line asks to test or measure, if anything
 *      (kernel/test/dispatch.c: "test", "test=...", "bench=irq", "bench=mm",
 *      the soak),
 *      each leaving QEMU with its result; then the first process, with
 *      init=PATH (kernel/proc/init.c, docs/processes.md); with "monitor", the kernel
 *      monitor on the terminals (kernel/monitor/, docs/monitor.md), kmain
 *      waiting until they end; then, without init= or a test word,
 *      /sbin/init (user/init/, docs/userland.md), waited for; then halt
 *      (with "keylog", kmain ends instead and the idle threads keep
 *      interrupts on, so the input tests can type).
 *
 * Each phase ends with boot_phase_done("NAME"): the kernel's part of the
 * boot timeline, "timeline: kernel NAME ..." on serial, drawn by make chart
 * (docs/boot-chart.md).
 *
 * Nothing here is a test: the tests, benchmarks and the panic path's
 * fixtures live in kernel/test/.
 */
#include <stdint.h>
#include <string.h>

#include "acpi/acpi_kernel.h"
#include "apic/irq.h"
#include "arch.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/smp.h"
#include "block/storage.h"
#include "boot/bootinfo_view.h"
#include "boot/phases.h"
#include "boot/report.h"
#include "cmdline.h"
#include "console.h"
#include "mm/mm.h"
#include "monitor/monitor.h"
#include "format.h"
#include "fs/root.h"
#include "fs/vfs.h"
#include "fs/fat/fat_vfs.h"
#include "fs/ext2/ext2_vfs.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "input/input.h"
#include "panic.h"
#include "pci/pci.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "serial/serial.h"
#include "term/vt.h"
#include "timer/clock.h"
#include "timer/rtc.h"
#include "timer/timer.h"
#include "test/dispatch.h"
#include "version.h"
#include "abi/linux/strace.h"
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
    if (console_init(&bootinfo_get()->fb) != CONSOLE_NONE)
        report_replay_loader_log();
    printk_replay_to_console();
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
 * Interrupt controllers, then the tick (not yet taken: interrupts are still
 * off). A bad hz= is reported and the default taken.
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
}

/*
 * The FPU/SIMD units and the scheduler (kmain becomes a thread), then sti:
 * from here on interrupts arrive and the tick preempts.
 */
static void start_scheduler(void)
{
    fpu_init();
    sched_init();
    arch_irq_enable();
    printk(LOG_INFO, "[apic] interrupts enabled (%s mode)\n",
           irq_mode() == IRQ_MODE_APIC ? "APIC" : "8259 PIC");
}

void kmain(const struct bootinfo *bi)
{
    unsigned monitors;
    int default_init;
    uint64_t entry_tsc = arch_rdtsc();

    smp_init_boot_cpu();                /* GS: spinlocks and printk name their CPU */
    serial_init();
    printk(LOG_INFO, "kernel: " TESSERA_NAME " " TESSERA_VERSION " (x86_64), boot info at %p\n",
           (const void *)bi);
    check_bootinfo(bi);
    gdt_init();
    idt_init();
    bootinfo_adopt(bi);
    test_dispatch_boot_bench();
    boot_phase_done("cpu");
    start_memory();
    boot_phase_done("memory");
    set_console_level();
    start_console();
    boot_phase_done("console");
    acpi_init(bootinfo_get()->acpi_rsdp);
    boot_phase_done("acpi");
    clock_init(entry_tsc);
    boot_phase_done("clock");
    report_summary();
    report_memmap();
    report_timeline(entry_tsc);
    boot_phase_done("report");
    start_interrupts();
    boot_phase_done("interrupts");
    start_scheduler();
    boot_phase_done("scheduler");
    serial_ports_init();
    boot_phase_done("tty");
    rtc_init();
    boot_phase_done("rtc");
    smp_init();
    boot_phase_done("smp");
    input_init();
    boot_phase_done("input");
    pci_init();
    boot_phase_done("pci");
    storage_init();
    boot_phase_done("storage");
    vfs_init();
    fat_register();                     /* "vfat" (kernel/fs/fat/fat_vfs.c) */
    ext2_register();                    /* "ext2" for vfs_mount (kernel/fs/ext2/ext2_vfs.c) */
    boot_phase_done("vfs");
    vt_init();
    boot_phase_done("vt");
    root_init();                        /* after the VFS, disks and terminals: /, /dev, /proc, /boot */
    boot_phase_done("root");
    proc_init();                        /* before the ktests: some start processes */
    signal_init();                      /* the terminals' ^C ^\ ^Z to their foreground groups */
    strace_init();                      /* strace=PID: before any process runs */
    test_dispatch_command_line();
    boot_phase_done("tests");
    proc_run_init();                    /* init=PATH: the first process, waited for */
    boot_phase_done("init");
    monitors = monitor_start();         /* with "monitor": a thread per terminal, waiting */
    boot_phase_done("monitor");
    if (monitors) {
        mm_report();                    /* now: the monitors may run for ever */
        monitor_wait();
    }
    if (input_keylog_enabled()) {
        printk(LOG_INFO, "kernel: nothing more to do yet; keylog: kmain ends, interrupts stay on\n");
        thread_exit();
    }
    default_init = proc_default_init_wanted();  /* no init=, no test word */
    mm_report();
    printk(LOG_INFO, "kernel: nothing more to do yet; %s\n", default_init ? "/sbin/init takes over" : "halting");
    if (default_init) {
        proc_run_default_init();        /* waited for: back only if it could not start, or ended */
        printk(LOG_INFO, "kernel: nothing more to do yet; halting\n");
    }
    arch_halt_forever();
}
