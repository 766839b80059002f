#!/bin/sh
# disk-bench.sh - what one disk read costs through a driver (part of make bench).
#
#   disk-bench.sh IMG DRIVER [RUNS]      DRIVER: ahci, virtio-blk, nvme or ide
#
# Boots IMG (a BIOS image; its cmdline becomes "bench=disk bench_disk=NAME")
# under SeaBIOS, 1 CPU, 512 MiB, with IMG itself as the only disk, on the
# driver's device as the Linux anchor attached it (diskrun.py): ahci: q35, an
# AHCI controller, sda; virtio-blk: q35, virtio-blk-pci, vda; nvme: q35, an
# NVMe controller, nvme0n1; ide: pc, the PIIX3's primary master, sda (the
# kernel's driver "ata"). The kernel (kernel/test/bench_disk.c) reads that
# disk at queue depth 1 and prints, each the median of 21 trials,
# "bench: disk_seq64k_D tsc_per_op=N ns_per_op=M" (64 KiB sequential reads)
# and "bench: disk_rand4k_D ..." (4 KiB random reads), D its driver's name:
#   - once with -icount shift=0,sleep=off: N is guest instructions per read
#     (the kernel's wait spins with PAUSE, as Linux's idle=poll does, so no
#     halt makes QEMU skip virtual time);
#   - RUNS times (default 3) under plain TCG: M is wall ns per read on this
#     host (the median of the runs), also shown as MiB/s.
# Beside them Linux 6.1 reading the same kind of device
# (../shared/anchors/linux/RESULTS.md, 2026-12-01: the ipb- runs' totals,
# icount + idle=poll; the pl- runs' MiB/s). Rows of make bench's table
# (tests/bench/row.sh): disk_OP_D-insns with the issue's goal, at most
# Linux's instructions per request (ratio 1.0), and disk_OP_D-ns.
set -eu
img=$1 driver=$2 runs=${3:-3}
here=$(dirname "$0")
out=$(dirname "$img")/bench-disk-$driver
mkdir -p "$out"
# machine, boot.sh's --disk, the kernel's disk name and driver name, the anchor's column
case $driver in
ahci) set -- q35 ahci sda ahci ahci ;;
virtio-blk) set -- q35 virtio vda virtio-blk virtio ;;
nvme) set -- q35 nvme nvme0n1 nvme nvme ;;
ide) set -- pc ide sda ata ide ;;
*) echo "disk-bench: DRIVER must be ahci, virtio-blk, nvme or ide, not $driver"; exit 2 ;;
esac
machine=$1 disk=$2 name=$3 kdriver=$4 column=$5

# anchor COLUMN OP insns|mibs: Linux 6.1's figure (RESULTS.md, the tables "icount + idle=poll"
# (totals) and "plain TCG" (the median of the pl- runs)).
anchor() {
    case $1-$2-$3 in
    ahci-seq64k-insns) echo 31126 ;;    ahci-seq64k-mibs) echo 124.7 ;;
    ahci-rand4k-insns) echo 20372 ;;    ahci-rand4k-mibs) echo 13.4 ;;
    virtio-seq64k-insns) echo 29733 ;;  virtio-seq64k-mibs) echo 134.2 ;;
    virtio-rand4k-insns) echo 19826 ;;  virtio-rand4k-mibs) echo 20.7 ;;
    nvme-seq64k-insns) echo 30066 ;;    nvme-seq64k-mibs) echo 148.6 ;;
    nvme-rand4k-insns) echo 18139 ;;    nvme-rand4k-mibs) echo 16.7 ;;
    ide-seq64k-insns) echo 63025 ;;     ide-seq64k-mibs) echo 107.8 ;;
    ide-rand4k-insns) echo 52282 ;;     ide-rand4k-mibs) echo 11.9 ;;
    esac
}
# mibs BYTES NS: the throughput of reads of BYTES that take NS each.
mibs() { awk -v b="$1" -v ns="$2" 'BEGIN { if (ns + 0 > 0) printf "%.1f", b / 1048576 / (ns / 1e9); else print "-" }'; }
guest_name=disk-bench guest_cmdline="bench=disk bench_disk=$name"
guest_opts="--machine $machine --disk $disk --mem 512 --smp 1 --timeout 300"
. "$here/guest.sh"
. "$here/median.sh"
. "$here/row.sh"

guest_runs
echo "Disk reads through $driver (bench=disk on $name; SeaBIOS, $machine, QD1, 1 CPU, TCG):"
printf '  %-24s %15s %14s %8s %28s\n' read "insns (icount)" "wall ns (TCG)" MiB/s "Linux 6.1 (insns / MiB/s)"
rows=""
for op in seq64k rand4k; do
    row=disk_${op}_$kdriver
    bytes=65536
    [ $op = seq64k ] || bytes=4096
    insns=$(guest_field "$out/icount.log" "$row" tsc_per_op)
    walls=""
    for i in $(seq 1 "$runs"); do
        walls="$walls $(guest_field "$out/plain-$i.log" "$row" ns_per_op)"
    done
    wall=$(echo "$walls" | median)
    printf '  %-24s %15s %14s %8s %28s\n' "$row" "${insns:--}" "${wall:--}" "$(mibs $bytes "$wall")" \
        "$(anchor "$column" $op insns) / $(anchor "$column" $op mibs)"
    rows="$rows $row:${insns:--}:${wall:--}:$op"
done
echo "  (insns: guest instructions per read under -icount shift=0,sleep=off; wall: median of $runs"
echo "   boots, each the median of 21 trials; Linux: O_DIRECT preads, ipb- totals and pl- MiB/s)"
for r in $rows; do
    IFS=: read -r row insns wall op <<EOR
$r
EOR
    bench_row "$row-insns" "$insns" "$(anchor "$column" "$op" insns)" 1.0
    bench_row "$row-ns" "$wall"
done
