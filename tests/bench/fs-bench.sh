#!/bin/sh
# fs-bench.sh - what the file systems cost (part of make bench).
#
#   fs-bench.sh IMG DISK [RUNS]
#
# Boots IMG (a BIOS image; its cmdline becomes "bench=fs idle=poll") under
# SeaBIOS on q35, 1 CPU, 512 MiB, booting from an AHCI controller of its
# own (sda), with DISK (tests/bench/fs-disk.sh: the Linux anchor's disk.img,
# ext2 and FAT32 each holding a 32 MiB file) on q35's own AHCI (sdb, as the
# anchor attaches it), snapshot=on so every boot starts from the same disk.
# The kernel (kernel/test/bench_fs.c) prints for ext2 and vfat
#   fs_read_cold_64k_FS   per 64 KiB read of the 32 MiB file, caches empty
#   fs_read_warm_64k_FS   the same, the file in the page cache
#   fs_create1000_FS      1,000 small files created, then the directory fsynced
#   fs_unlink1000_FS      the same 1,000 unlinked, then the directory fsynced
# once under -icount shift=0,sleep=off (guest instructions; the idle loop
# spins: idle=poll, as the anchor's ipb- runs) and RUNS times (default 1)
# under plain TCG. Beside them Linux 6.1 on the same disk through AHCI
# (../shared/anchors/linux/RESULTS.md, 2026-12-01, ipb- totals). Rows:
# NAME-insns with the issue's goal, at most Linux's instructions (1.0).
set -eu
img=$1 fsdisk=$2 runs=${3:-1}
here=$(dirname "$0")
out=$(dirname "$img")/bench-fs
mkdir -p "$out"

anchor() {
    case $1 in
    fs_read_cold_64k_ext2) echo 67192 ;;     fs_read_cold_64k_vfat) echo 81822 ;;
    fs_read_warm_64k_ext2) echo 14151 ;;     fs_read_warm_64k_vfat) echo 14368 ;;
    fs_create1000_ext2) echo 50215808 ;;     fs_create1000_vfat) echo 1312647947 ;;
    fs_unlink1000_ext2) echo 26182512 ;;     fs_unlink1000_vfat) echo 120498010 ;;
    esac
}
guest_name=fs-bench guest_cmdline="bench=fs idle=poll"
guest_opts="--machine q35 --disk ahci --mem 512 --smp 1 --timeout 900"
fsdrive="-drive if=none,id=fsd,format=raw,snapshot=on,file=$fsdisk -device ide-hd,drive=fsd,bus=ide.0"
. "$here/guest.sh"
. "$here/median.sh"
. "$here/row.sh"

# guest.sh's guest_runs with the bench disk added to each boot (one --qemu word)
guest_runs() {
    guest_boot "$out/icount.log" --icount --qemu "$fsdrive"
    for i in $(seq 1 "$runs"); do
        guest_boot "$out/plain-$i.log" --qemu "$fsdrive"
    done
}
guest_runs
echo "File systems (bench=fs on sdb: SeaBIOS, q35 AHCI, 1 CPU, TCG):"
printf '  %-24s %15s %14s %16s\n' op "insns (icount)" "wall ns (TCG)" "Linux 6.1 insns"
rows=""
for fs in ext2 vfat; do
    for op in read_cold_64k read_warm_64k create1000 unlink1000; do
        row=fs_${op}_$fs
        insns=$(guest_field "$out/icount.log" "$row" tsc_per_op)
        walls=""
        for i in $(seq 1 "$runs"); do
            walls="$walls $(guest_field "$out/plain-$i.log" "$row" ns_per_op)"
        done
        wall=$(echo "$walls" | median)
        printf '  %-24s %15s %14s %16s\n' "$row" "${insns:--}" "${wall:--}" "$(anchor "$row")"
        rows="$rows $row:${insns:--}"
    done
done
echo "  (reads: per 64 KiB read, median of 21 trials; create/unlink: per 1,000 files, median of 7)"
for r in $rows; do
    bench_row "${r%%:*}-insns" "${r#*:}" "$(anchor "${r%%:*}")" 1.0
done
