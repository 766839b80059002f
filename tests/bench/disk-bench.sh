#!/bin/sh
# disk-bench.sh - what one disk read costs through a driver (part of make bench).
#
#   disk-bench.sh IMG DRIVER [RUNS]
#
# Boots IMG (a BIOS image; its cmdline becomes "bench=disk") under SeaBIOS,
# 1 CPU, 512 MiB, with IMG itself as the disk of DRIVER (ahci: q35 with an
# AHCI controller, `--disk ahci`). The kernel (kernel/test/bench_disk.c)
# reads the first disk at queue depth 1 and prints, each the median of 21
# trials, "bench: disk_seq64k_DRIVER tsc_per_op=N ns_per_op=M" (64 KiB
# sequential reads) and "bench: disk_rand4k_DRIVER ..." (4 KiB random reads):
#   - once with -icount shift=0,sleep=off: N is guest instructions per read
#     (the kernel's wait spins with PAUSE, as Linux's idle=poll does, so no
#     halt makes QEMU skip virtual time);
#   - RUNS times (default 3) under plain TCG: M is wall ns per read on this host.
# Beside them the Linux anchor (../shared/anchors/linux/RESULTS.md,
# 2026-12-01, the ipb- runs: icount + idle=poll, totals; and the pl- runs'
# MiB/s, shown as ns per read). The issue's goal: at most Linux's
# instructions per request (ratio 1.0).
set -eu
img=$1 driver=$2 runs=${3:-3}
here=$(dirname "$0")
out=$(dirname "$img")/bench-disk-$driver
mkdir -p "$out"
case $driver in
ahci) qemu="--machine q35 --disk ahci" ;;
*) echo "disk-bench: no machine known for driver $driver"; exit 2 ;;
esac

# anchor DRIVER OP insns|ns: Linux 6.1's figure (ns from MiB/s: bytes / (MiB/s * 2^20) s).
anchor() {
    case $1-$2-$3 in
    ahci-seq64k-insns) echo 31126 ;;
    ahci-rand4k-insns) echo 20372 ;;
    ahci-seq64k-ns) echo 501203 ;;      # 124.7 MiB/s
    ahci-rand4k-ns) echo 291511 ;;      # 13.4 MiB/s
    esac
}
boot() {
    log=$1
    shift
    rc=0
    # shellcheck disable=SC2086
    sh "$here/../qemu/boot.sh" --img "$img" --log "$log" --cmdline "bench=disk" $qemu \
        --mem 512 --smp 1 --timeout 300 "$@" || rc=$?
    [ "$rc" -eq 33 ] || { echo "disk-bench: QEMU exited $rc (expected 33); see $log"; tail -n 20 "$log"; exit 1; }
}
field() {
    tr -d '\r' < "$1" | sed -nE "s/^bench: $2 .*$3=([0-9]+).*/\1/p"
}
. "$here/median.sh"
. "$here/row.sh"

boot "$out/icount.log" --icount
for i in $(seq 1 "$runs"); do
    boot "$out/plain-$i.log"
done
echo "Disk reads through $driver (bench=disk; SeaBIOS, QD1, 1 CPU, TCG):"
printf '  %-22s %16s %14s %30s\n' operation "insns (icount)" "wall ns (TCG)" "Linux 6.1 anchor (insns / ns)"
rows=""
for op in seq64k rand4k; do
    name=disk_${op}_$driver
    insns=$(field "$out/icount.log" "$name" tsc_per_op)
    walls=""
    for i in $(seq 1 "$runs"); do
        walls="$walls $(field "$out/plain-$i.log" "$name" ns_per_op)"
    done
    wall=$(echo "$walls" | median)
    printf '  %-22s %16s %14s %30s\n' "$name" "${insns:--}" "${wall:--}" \
        "$(anchor "$driver" $op insns) / $(anchor "$driver" $op ns)"
    rows="$rows $name:${insns:--}:${wall:--}:$op"
done
echo "  (insns: guest instructions per read under -icount shift=0,sleep=off; wall: median of $runs"
echo "   boots, each the median of 21 trials; Linux: O_DIRECT preads, ipb- totals and pl- MiB/s)"
for r in $rows; do
    IFS=: read -r name insns wall op <<EOR
$r
EOR
    bench_row "$name-insns" "$insns" "$(anchor "$driver" "$op" insns)" 1.0
    bench_row "$name-ns" "$wall"
done
