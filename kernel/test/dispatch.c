/*
 * dispatch.c - the test and benchmark dispatch (see dispatch.h): which
 * test, benchmark or soak the command line asks for, and leaving QEMU
 * with its result (isa-debug-exit: 33 passed, 35 failed; a panic in test
 * mode leaves with 35 too, panic_set_test_mode).
 *
 * One word per entry point; a new bench adds one line to
 * run_command_line. run_command_line keeps its name and stays out of line:
 * tests/qemu/panic.sh expects it as the caller in the test=fault and
 * test=panic backtraces.
 */
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "fs/fsstress.h"
#include "printk.h"
#include "mm/mm.h"
#include "panic.h"
#include "qemu/debug_exit.h"
#include "test/bench.h"
#include "test/dispatch.h"
#include "test/ktest.h"
#include "test/panic_tests.h"
#include "test/soak.h"
#include "test/test_tty.h"

static int asks(const char *word)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    return cmdline_has_word(cmdline, len, word);
}

/*
 * bench=boot: leave QEMU as soon as the boot info is checked, so `make bench`
 * times firmware + loader + kernel entry to QEMU's exit, the same end point
 * as the GRUB anchor's kernel.
 */
void test_dispatch_boot_bench(void)
{
    if (asks("bench=boot"))
        debug_exit(DEBUG_EXIT_PASS);
}

/*
 * test=fsstress: the write workload (fs/fsstress.h) with seed=N (default 1),
 * for ever, or for fsstress_ops=N operations and then out with its result.
 */
static void run_fsstress(const char *cmdline, size_t len)
{
    uint64_t seed = 1, ops = 0;

    if (cmdline_number(cmdline, len, "seed", &seed) < 0 ||
        cmdline_number(cmdline, len, "fsstress_ops", &ops) < 0) {
        printk(LOG_ERR, "fsstress: seed= and fsstress_ops= take a decimal number\n");
        debug_exit(DEBUG_EXIT_FAIL);
    }
    debug_exit(fsstress_run(seed, ops) ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
}

static __attribute__((noinline)) void run_command_line(void)
{
    int tests = asks("test");
    int test_panic = asks("test=panic"), test_panic_cpu = asks("test=panic-cpu");
    int test_fault = asks("test=fault"), test_overflow = asks("test=overflow");
    int test_soak = asks("test=soak");
    int test_fsstress = asks("test=fsstress");
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t burst;

    panic_set_test_mode(tests || test_panic || test_fault || test_overflow || test_soak ||
                        test_panic_cpu || test_fsstress);
    if (test_panic)
        panic("kmain: test=panic on the command line");
    if (test_panic_cpu)
        panic_test_on_last_cpu();
    if (test_fault)
        kernel_fault_test_target();
    if (test_overflow)
        kernel_overflow_test();
    if (test_soak)
        debug_exit(soak_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (test_fsstress)
        run_fsstress(cmdline, len);
    if (asks("bench=irq"))
        debug_exit(bench_irq_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (asks("bench=mm"))
        debug_exit(bench_mm_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (asks("bench=term"))
        debug_exit(bench_term_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (asks("bench=disk"))
        debug_exit(bench_disk_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (asks("bench=fs"))
        debug_exit(bench_fs_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (asks("bench=proc"))
        debug_exit(bench_proc_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (asks("ttyecho"))
        debug_exit(tty_echo_run() ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (cmdline_number(cmdline, len, "ttyburst", &burst) == 1)
        debug_exit(tty_burst_run(burst) ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    if (tests) {
        int failed = ktest_run_all();
        mm_report();                    /* meminfo after the tests: what they left behind */
        debug_exit(failed ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    }
}

void test_dispatch_command_line(void)
{
    run_command_line();
}
