#!/bin/sh
# abi-bench.sh - the Linux anchor's own benchmark program, unmodified, as a
# process on Tessera (part of make bench; issue 16's figures).
#
#   abi-bench.sh KERNEL_DIR OUT_DIR
#
# tests/bench/anchors/linux-bench.c is ../shared/anchors/linux/bench.c as
# it is: built with gcc -static (glibc), it measures a null system call,
# a pipe ping-pong, a sched_yield ping-pong, fork+exit+wait, a demand-zero
# page fault and 64 KiB reads of a 32 MiB file, in guest TSC ticks. Here it
# runs as init= from an initramfs (root=initramfs; /data/file32m has the
# anchor's pattern: mkinitrd.sh), on q35 with 1 CPU and 512 MiB like the
# anchor, under -icount shift=0,sleep=off: the TSC counts instructions, so
# the figures compare with Linux 6.1's in the same QEMU
# (../shared/anchors/linux/RESULTS.md), which are the anchors of the rows.
# Issue 16's goal is half of Linux's cost (page fault and read: equal).
set -eu
build=$1 out=$2
here=$(dirname "$0")
mkdir -p "$out/tree/data" "$out/tree/bin"
gcc -O2 -static -o "$out/tree/bin/bench" "$here/anchors/linux-bench.c"
python3 -c "import sys; b=bytes((i*7+13)&255 for i in range(4096)); sys.stdout.buffer.write(b*8192)" \
    > "$out/tree/data/file32m"
(cd "$out/tree" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out/initrd.cpio"
printf 'cmdline=root=initramfs init=/bin/bench initexit -- /data/file32m\nmodule=/boot/initrd\n' > "$out/boot.cfg"
sh disk/mkimage-bios.sh "$out/abi.img" "$build/stage1.bin" "$build/stage2.bin" "$build/kernel.elf" "$out/boot.cfg" \
    --module "$out/initrd.cpio=/boot/initrd" >/dev/null
rc=0
sh "$here/../qemu/boot.sh" --img "$out/abi.img" --log "$out/icount.log" --machine q35 --mem 512 --smp 1 \
    --timeout 900 --icount || rc=$?
[ "$rc" -eq 33 ] || { echo "abi-bench: QEMU exited $rc (expected 33: bench exited 0); see $out/icount.log"; tail -n 20 "$out/icount.log"; exit 1; }
. "$here/row.sh"
field() { tr -d '\r' < "$out/icount.log" | sed -nE "s/^$1 tsc_per_op=([0-9]+).*/\1/p"; }
echo "The Linux anchor's bench.c, unmodified, as a process (q35, 1 CPU, 512 MiB, -icount: instructions per op):"
bench_row abi_null_syscall-insns "$(field null_syscall_getppid)" 337 0.5
bench_row abi_pipe_roundtrip-insns "$(field pipe_pingpong_roundtrip)" 12988 0.5
bench_row abi_yield_roundtrip-insns "$(field yield_pingpong_roundtrip)" 4430 0.5
bench_row abi_fork_exit_wait-insns "$(field fork_exit_wait)" 162186 0.5
bench_row abi_pagefault_4k-insns "$(field pagefault_anon_4k_per_page)" 3305 1.0
bench_row abi_read_64k-insns "$(field read_seq_64k_per_read)" 17462 1.0
