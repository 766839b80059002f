/*
 * dispatch.h - what the command line asks the kernel to test or measure
 * instead of booting on (dispatch.c): kmain calls these two at fixed
 * points of the boot and carries on when the command line asks nothing.
 */
#pragma once

/* "bench=boot": leave QEMU at once (right after the boot info is checked). */
void test_dispatch_boot_bench(void);

/*
 * After every CPU is up: "test" (the ktests), "test=panic", "test=panic-cpu",
 * "test=fault", "test=overflow" (panic_tests.h), "test=soak" (soak.h),
 * "test=fsstress" with "seed=N" and "fsstress_ops=N" (fs/fsstress.h),
 * "bench=irq" (bench.h), "ttyecho" and "ttyburst=N" (test_tty.h). Each leaves QEMU through debug_exit or panics;
 * returns when the command line names none of them.
 */
void test_dispatch_command_line(void);
