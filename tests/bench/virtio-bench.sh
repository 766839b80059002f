#!/bin/sh
# virtio-bench.sh - virtio-blk reads at queue depth 1 (part of make bench).
#
#   virtio-bench.sh IMG [RUNS]
#
# Boots IMG (a BIOS image; cmdline "bench=virtio") under SeaBIOS on q35, 1
# CPU, 512 MiB, as the Linux anchor ran (../shared/anchors/linux/RESULTS.md,
# "Disk drivers"), with a copy of IMG as a virtio-blk-pci disk (QEMU's
# defaults: cache=writeback, aio=threads). The kernel
# (kernel/test/bench_virtio.c) times 64 KiB sequential and 4 KiB random reads,
# each the median of 21 trials of 200 reads, and prints "bench: NAME
# tsc_per_op=N ns_per_op=M":
#   - once with -icount shift=0,sleep=off: N is guest instructions per read
#     (the waiting thread yields instead of halting, as the anchor's idle=poll
#     runs, so the count is the work of a read);
#   - RUNS times (default 3) under plain TCG: M is wall time per read, shown
#     as MiB/s (the median of the runs).
# Beside them Linux 6.1's figures in the same QEMU (the anchor's ipb- totals
# and plain-TCG MiB/s). The issue's goal: at most Linux's instructions per
# read (goal ratio 1). Rows of make bench's table (tests/bench/row.sh):
# virtio_seq64k-insns, virtio_rand4k-insns, and the wall time per read
# (-ns, from the anchor's MiB/s) with the same goal.
set -eu
img=$1 runs=${2:-3}
here=$(dirname "$0")
out=$(dirname "$img")/bench-virtio
mkdir -p "$out"
. "$here/median.sh"
. "$here/row.sh"

disk="$out/vd.img"
cp --sparse=always "$img" "$disk"
# boot LOG [--icount]: one bench=virtio boot; fails unless the kernel exited 33.
boot() {
    log=$1
    shift
    rc=0
    sh "$here/../qemu/boot.sh" --img "$img" --log "$log" --cmdline "bench=virtio" --machine q35 --disk ahci \
        --mem 512 --smp 1 --timeout 300 "$@" \
        --qemu "-drive if=none,id=vd,format=raw,file=$disk -device virtio-blk-pci,drive=vd" || rc=$?
    [ "$rc" -eq 33 ] || { echo "virtio-bench: QEMU exited $rc (expected 33); see $log"; tail -n 20 "$log"; exit 1; }
}
field() {
    tr -d '\r' < "$1" | sed -nE "s/^bench: $2 .*$3=([0-9]+).*/\1/p"
}
# The anchor (RESULTS.md, 2026-12-01, virtio column): icount+idle=poll instructions per read and
# plain-TCG MiB/s.
anchor() {
    case $1 in
    virtio_seq64k) echo "29733 134.2" ;;
    virtio_rand4k) echo "19826 20.7" ;;
    esac
}

boot "$out/icount.log" --icount
for i in $(seq 1 "$runs"); do
    boot "$out/plain-$i.log"
done

echo "virtio-blk reads at queue depth 1 (bench=virtio; SeaBIOS, q35, 1 CPU, TCG):"
printf '  %-15s %15s %12s %10s %30s\n' read "insns (icount)" "wall ns" "MiB/s" "Linux 6.1 (insns / MiB/s)"
rm -f "$out/rows"
for op in virtio_seq64k virtio_rand4k; do
    insns=$(field "$out/icount.log" $op tsc_per_op)
    walls=""
    for i in $(seq 1 "$runs"); do
        walls="$walls $(field "$out/plain-$i.log" $op ns_per_op)"
    done
    wall=$(echo "$walls" | median)
    bytes=65536
    [ $op = virtio_seq64k ] || bytes=4096
    mibs=$(awk -v b=$bytes -v ns="$wall" 'BEGIN { if (ns + 0 > 0) printf "%.1f", b / 1048576 / (ns / 1e9); else print "-" }')
    set -- $(anchor $op)
    ans=$(awk -v b=$bytes -v m="$2" 'BEGIN { printf "%d", b / (m * 1048576) * 1e9 }')
    printf '  %-15s %15s %12s %10s %30s\n' "$op" "${insns:--}" "$wall" "$mibs" "$1 / $2"
    echo "$op ${insns:--} $wall $1 $ans" >> "$out/rows"
done
echo "  (insns: guest instructions per read under -icount shift=0,sleep=off; wall: median of $runs boots,"
echo "   each the median of 21 trials of 200 reads; Linux: dd-like O_DIRECT preads, ../shared/anchors/linux)"
while read -r op insns wall ainsns ans; do
    bench_row "$op-insns" "$insns" "$ainsns" 1
    bench_row "$op-ns" "$wall" "$ans" 1
done < "$out/rows"
