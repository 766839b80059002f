#!/bin/sh
# proc-bench.sh - what a system call costs from ring 3 (part of make bench).
#
#   proc-bench.sh IMG [RUNS]
#
# Boots IMG (a BIOS image; its cmdline becomes "bench=proc") on q35, 1 CPU,
# 256 MiB. The kernel (kernel/test/bench_proc.c) runs a user program that
# calls getppid in a loop and prints "bench: null_syscall tsc_per_op=N
# ns_per_op=M": the loop's cost per call minus the loop alone, the median of
# 21 trials. Once under -icount shift=0,sleep=off (N is then guest
# instructions) and RUNS times (default 3) under plain TCG (wall ns). Beside
# it Linux 6.1's null syscall (getppid) in the same QEMU
# (../shared/anchors/linux/README.md: 337 instructions); issue 16's goal is
# at most 170, half of it.
set -eu
img=$1 runs=${2:-3}
here=$(dirname "$0")
out=$(dirname "$img")/bench-proc
mkdir -p "$out"
guest_name=proc-bench guest_cmdline="bench=proc"
guest_opts="--machine q35 --mem 256 --smp 1 --timeout 120"
. "$here/guest.sh"
. "$here/median.sh"
. "$here/row.sh"

guest_runs
insns=$(guest_field "$out/icount.log" null_syscall tsc_per_op)
walls=""
for i in $(seq 1 "$runs"); do
    walls="$walls $(guest_field "$out/plain-$i.log" null_syscall ns_per_op)"
done
wall=$(echo "$walls" | median)
echo "A null system call from ring 3 (getppid; bench=proc, q35, 1 CPU, TCG):"
echo "  ${insns:--} instructions (icount), ${wall:--} ns wall (median of $runs), Linux 6.1: 337 instructions"
bench_row null_syscall-insns "$insns" 337 0.5
bench_row null_syscall-ns "$wall"
