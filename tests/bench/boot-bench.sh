#!/bin/sh
# boot-bench.sh - the BIOS boot benchmark (part of make bench).
#
#   boot-bench.sh BIG_IMG SMALL_IMG [RUNS] [GRUB_DIR]
#
# BIG_IMG holds the kernel padded to 8 MiB, SMALL_IMG the plain kernel; both
# have cmdline "bench=boot": the kernel leaves QEMU as soon as it has checked
# the boot info. For each disk controller (i440fx + IDE, q35 + AHCI) and
# each kernel size it reports the median wall time from QEMU's start to its
# exit (SeaBIOS, TCG, 256 MiB) over RUNS boots. With GRUB_DIR (the images of
# the GRUB anchor, ../shared/anchors/grub) the same is measured for SeaBIOS +
# GRUB 2.06 loading a multiboot2 kernel of 8 MiB (g.img) and 5 KiB (gs.img),
# and for a bare MBR that exits at once (bare.img: the firmware alone), all
# alternated with ours in one run, since absolute TCG times drift. The ratio
# is (ours - bare) / (grub - bare): the loaders' cost above the firmware.
# Last, the loader's read calls per 64 KiB read (goal: at most 1), from the
# kernel's "loader:" line in a full boot of BIG_IMG, twice: on the pc
# machine's IDE disk (ATA DMA commands, up to 1 MiB each) and on q35's AHCI
# disk (INT 13h only: SeaBIOS gives no EDD device path there, and moves at
# most 64 KiB a call: block.c's process_op refuses more with status 09h, so
# there the calls can never be fewer than bytes / 64 KiB; the script prints
# that floor beside the figure).
# The rows of `make bench`'s table come from tests/bench/row.sh.
set -eu
big=$1 small=$2 runs=${3:-5} grub=${4:-}
here=$(dirname "$0")
out=$(dirname "$big")
serial=$out/bench-serial.log

# ms from QEMU start to exit: boot_ms IMG pc|q35 (a snapshot: the image is not written).
boot_ms() {
    case $2 in
    pc)  drive="-drive format=raw,snapshot=on,file=$1" ;;
    q35) drive="-drive if=none,id=d0,format=raw,snapshot=on,file=$1 -device ahci,id=a0 -device ide-hd,drive=d0,bus=a0.0" ;;
    esac
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    qemu-system-x86_64 -accel tcg -machine "$2" -m 256 -nic none -no-reboot -display none \
        -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial "file:$serial" \
        $drive </dev/null || true
    echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
. "$(dirname "$0")/median.sh"
. "$(dirname "$0")/row.sh"

# Every (image, machine) pair, RUNS times, round-robin.
pairs="ours-8m:$big ours-small:$small"
[ -z "$grub" ] || pairs="$pairs grub-8m:$grub/g.img grub-small:$grub/gs.img bare:$grub/bare.img"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 "$runs"); do
    for m in pc q35; do
        for p in $pairs; do
            ms=$(boot_ms "${p#*:}" $m)
            case $p in ours-*) grep -q '^kernel: ' "$serial" || { echo "boot-bench: ${p%%:*} on $m: no kernel line"; exit 1; } ;; esac
            echo "$ms" >> "$tmp/${p%%:*}-$m"
        done
    done
done

echo "BIOS boot, QEMU start to kernel entry (SeaBIOS, TCG), median of $runs, ms:"
printf '  %-22s %10s %10s\n' "" "pc+IDE" "q35+AHCI"
for p in $pairs; do
    name=${p%%:*}
    printf '  %-22s %10s %10s\n' "$name" "$(median < "$tmp/$name-pc")" "$(median < "$tmp/$name-q35")"
done
for m in pc q35; do
    for size in 8m small; do
        if [ -n "$grub" ]; then
            set -- $(awk -v o="$(median < "$tmp/ours-$size-$m")" -v g="$(median < "$tmp/grub-$size-$m")" \
                -v b="$(median < "$tmp/bare-$m")" 'BEGIN { print o - b, g - b }')
            echo "  above firmware, $size on $m: tessera $1 ms, grub $2 ms"
            bench_row "bios-boot-$size-$m-ms" "$1" "$2" 0.5
        else
            bench_row "bios-boot-$size-$m-ms" "$(median < "$tmp/ours-$size-$m")"
        fi
    done
done

# reads_row MACHINE DISK ROW: the read-call count of a full boot of the big
# image on that machine and disk, and its row.
reads_row() {
    log=$out/bench-full-$1.log
    sh "$here/../qemu/boot.sh" --img "$big" --log "$log" --cmdline "loglevel=info" \
        --mem 256 --machine "$1" --disk "$2" --expect '^loader: ' --settle 0 >/dev/null
    stats=$(tr -d '\r' < "$log" | grep -E '^loader: ')
    reads=$(echo "$stats" | sed -nE 's/^loader: ([0-9]+) disk reads.*/\1/p')
    bytes=$(echo "$stats" | sed -nE 's/.* ([0-9]+) bytes read.*/\1/p')
    kline=$(tr -d '\r' < "$log" | grep -E '^stage2: kernel: ')
    kbytes=$(echo "$kline" | sed -nE 's/.*, ([0-9]+) bytes in ([0-9]+) disk reads.*/\1/p')
    kreads=$(echo "$kline" | sed -nE 's/.*, ([0-9]+) bytes in ([0-9]+) disk reads.*/\2/p')
    how=$(tr -d '\r' < "$log" | grep -qE '^stage2: disk: .*ATA DMA reads' && echo "ATA DMA" || echo "INT 13h")
    awk -v m="$1 + $2" -v how="$how" -v r="$reads" -v b="$bytes" -v kr="$kreads" -v kb="$kbytes" 'BEGIN {
        printf "BIOS loader, 8 MiB kernel, %s (%s): %d read calls for %d bytes: %.2f per 64 KiB%s\n",
               m, how, r, b, r / (b / 65536), how == "INT 13h" ? "" : " (goal <= 1)"
        printf "  of which the kernel file: %d calls for %d bytes: %.2f per 64 KiB (the rest: MBR, GPT, FAT, directories, boot.cfg)\n",
               kr, kb, kr / (kb / 65536)
        if (how == "INT 13h") {
            f = int((b + 65535) / 65536); kf = int((kb + 65535) / 65536)
            printf "  floor at 64 KiB a call (SeaBIOS refuses more): %d calls for these bytes, %d for the kernel file\n", f, kf
        } }'
    per64k=$(awk -v r="$reads" -v b="$bytes" 'BEGIN { printf "%.2f", r / (b / 65536) }')
    if [ "$how" = "INT 13h" ]; then
        # Over INT 13h the goal of 1.0 lies below the floor SeaBIOS sets (64 KiB a
        # call): the figure is shown, and the goal is measured against that floor.
        bench_row "$3" "$per64k"
        bench_row "$3-vs-floor" "$reads" "$(awk -v b="$bytes" 'BEGIN { print int((b + 65535) / 65536) }')" 1.05
    else
        bench_row "$3" "$per64k" "" 1.0
    fi
}
reads_row pc ide bios-reads-per-64k
reads_row q35 ahci bios-reads-per-64k-int13
