/*
 * bench.h - micro-benchmarks the kernel runs on itself when the command
 * line asks ("bench=irq"), printing one line per operation:
 *     bench: NAME tsc_per_op=N ns_per_op=M
 * N is the median over BENCH_TRIALS trials of TSC ticks per operation: under
 * QEMU's -icount shift=0,sleep=off the guest TSC advances by one per guest
 * instruction, so N is then an exact instruction count; M converts N with
 * the TSC rate (wall time under plain TCG). tests/bench/kernel-bench.sh
 * boots both ways and prints the table.
 */
#pragma once

#include <stdint.h>

#define BENCH_TRIALS    21
/* A vector of the local APIC range 0xF0..0xFE (idt.h) that nothing else takes. */
#define BENCH_VECTOR    0xFE

/* Sort n values in place, smallest first (insertion: the benches sort 21 to 63 values) (bench_irq.c). */
void bench_sort(uint64_t *v, int n);

/* One bench: line with ticks as its tsc_per_op (and converted to ns_per_op) (bench_irq.c). */
void bench_report(const char *name, uint64_t ticks);

/* One bench: line: the median over BENCH_TRIALS of op's cost (bench_irq.c). */
void bench_measure(const char *name, void (*op)(void));
/* The same with ops_per_trial operations a trial (an expensive op: fewer). */
void bench_measure_n(const char *name, void (*op)(void), int ops_per_trial);

/* bench=irq's scheduler part: thread ping-pong, yield, mutex (bench_sched.c); 0 if all ran. */
int bench_sched_run(void);

/* bench=mm: kmalloc + kfree and frame alloc + free with the locks, on 1 and 2 CPUs (bench_mm.c); 0 if all ran. */
int bench_mm_run(void);

/* bench=disk: QD1 64 KiB sequential and 4 KiB random reads of the disk bench_disk=NAME names,
 * else the first whole disk (bench_disk.c); 0 if all ran. */
int bench_disk_run(void);

/* bench=term: the terminal emulator on the screen: a full screen of text drawn, the
 * screen scrolled by one line (bench_term.c); 0 if all ran. */
int bench_term_run(void);
/* bench=term's key echo: letters typed through the 8042 (command D2), from IRQ 1's handler
 * to the echoed glyph drawn on tty1 (bench_keyecho.c); 0 if measured. */
int bench_keyecho_run(void);

/* bench=fs: cold and warm 64 KiB reads of a 32 MiB file, 1,000 small files created and
 * unlinked, on ext2 and FAT32 (bench_fs.c; the disk tests/bench/fs-disk.sh makes); 0 if all ran. */
int bench_fs_run(void);

/* bench=irq's page cache part: a warm 64 KiB read of a tmpfs file (bench_tmpfs.c); 0 if it ran. */
int bench_tmpfs_run(void);

/* bench=proc: a null system call (getppid) from ring 3 and back (bench_proc.c); 0 if it ran. */
int bench_proc_run(void);
/* bench=irq: int $N and self-IPI round trips, clock_ns(), hpet_read(); 0 if all ran. */
int bench_irq_run(void);
