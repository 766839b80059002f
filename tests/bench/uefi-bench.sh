#!/bin/bash
# uefi-bench.sh - the boot benchmark per firmware, and the UEFI loader
# against GRUB (part of make bench).
#
#   uefi-bench.sh HYBRID_8M UEFI_1M UEFI_8M [RUNS] [GRUB_DIR]
#
# HYBRID_8M is tessera.img with the kernel padded to 8 MiB; it boots under
# SeaBIOS and OVMF from the same disk. UEFI_1M and UEFI_8M are uefi.img
# with the bench boot.cfg (cmdline "bench=boot"; no video=, so neither
# loader changes the screen mode); the race below replaces their kernel.
# race-start.efi (tests/bench/race-start.c) lies beside HYBRID_8M.
#
# 1. Per firmware, on HYBRID_8M (q35, 256 MiB, TCG), median of RUNS boots:
#      firmware   QEMU start to the loader's first line (wall clock: each
#                 serial line is stamped as it arrives through a pipe);
#      loader     the loader's first line to the kernel's first line (wall);
#      timeline   the same span from the boot timeline: the kernel's
#                 "timeline: kernel entry ... (at N us)", TSC stamps taken
#                 by the loader from its start, calibrated by the kernel.
# 2. The race: the UEFI loader against GRUB EFI (GRUB_DIR/ge1.img and
#    ge8.img, tests/bench/grub-anchor.sh: the anchor's multiboot2 kernel
#    with a 1 and an 8 MiB pad). Our images carry race-kernel.asm built
#    with exactly the PT_LOAD bytes of GRUB's kernel at that size (printed,
#    and checked), so both loaders read the same bytes; both kernels print
#    the same lines (race-tsc.inc's TSC, then "KERNEL-ENTRY"). Two ways:
#    - on the clock: the four images in turn, 2 * RUNS + 1 times (TCG
#      times drift), the median. Each run is anchored on the firmware's
#      own line, OVMF's "BdsDxe: starting Boot0002 ..." as the boot
#      manager starts the loader: the loader's cost is the time from that
#      line to "KERNEL-ENTRY" in the same run, so the firmware's own second
#      of noise drops out. Wall time, and the vCPU thread's CPU time;
#    - in guest instructions: each image once under -icount
#      shift=0,sleep=off, with race-start.efi starting the loader and
#      printing the TSC as it does; the race kernel prints it at its entry.
#      The host's load does not enter; what varies is when QEMU's disk
#      requests complete, in guest time.
#    Goal: at most 0.5 of GRUB's, at both sizes, for every figure.
# The rows of `make bench`'s table come from tests/bench/row.sh.
set -eu
hybrid=$1 img1m=$2 img8m=$3 runs=${4:-5} grub=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
race_runs=$(( 2 * runs + 1 ))
start_efi=$(dirname "$hybrid")/race-start.efi   # tests/bench/build.mk makes it beside the images
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CODE=/usr/share/OVMF/OVMF_CODE_4M.fd

. "$here/median.sh"
. "$here/row.sh"
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# qemu_args FW IMG [race]: the machine every run uses. A race machine has
# no isa-debug-exit: the guest's exit write is ignored and its vCPU thread
# lives on (halted) until the script has read its CPU time.
qemu_args() {
    args=(-accel tcg -machine q35 -m 256 -nic none -no-reboot -display none -monitor none
          -name bench,debug-threads=on -drive "format=raw,snapshot=on,file=$2")
    [ "${3:-}" = race ] || args+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)
    if [ "$1" = uefi ]; then
        cp /usr/share/OVMF/OVMF_VARS_4M.fd "$tmp/vars.fd"
        args+=(-drive "if=pflash,format=raw,readonly=on,file=$CODE" -drive "if=pflash,format=raw,file=$tmp/vars.fd")
    fi
}

# steps_run FW: one boot of the hybrid with its normal command line; prints
# "FIRMWARE_MS LOADER_MS TIMELINE_US" once the kernel has printed its timeline.
steps_run() {
    qemu_args "$1" "$hybrid"
    t0=$(date +%s%N) first="" kernel=""
    exec 3< <(exec qemu-system-x86_64 "${args[@]}" -serial stdio </dev/null 2>/dev/null)
    qpid=$!
    while IFS= read -r -t 60 line <&3; do
        line=${line%$'\r'}
        case $line in
        "stage2: tessera-bios"*|"uefi: tessera-uefi"*) [ -n "$first" ] || first=$(ms_since "$t0") ;;
        "kernel: Tessera"*) kernel=$(ms_since "$t0") ;;
        "uefi: elf: "*) echo "$line" > "$tmp/elf-line" ;;
        "timeline: kernel entry"*)
            tl=$(echo "$line" | sed -nE 's/.*\(at ([0-9]+) us\).*/\1/p')
            break ;;
        esac
    done
    kill "$qpid" 2>/dev/null || true
    exec 3<&-
    [ -n "$first" ] && [ -n "$kernel" ] && [ -n "${tl:-}" ] || { echo "uefi-bench: $1 boot of $hybrid did not reach the timeline" >&2; exit 1; }
    echo "$first $(( kernel - first )) $tl"
}

# cpu_ns PID: the CPU time QEMU's vCPU thread ("CPU 0/TCG", where TCG runs
# the guest; named with -name debug-threads=on) has used so far, in ns (its
# schedstat's first field).
cpu_ns() {
    local t comm ns rest
    for t in /proc/"$1"/task/*; do
        read -r comm < "$t/comm" 2>/dev/null || continue
        [ "$comm" = "CPU 0/TCG" ] || continue
        read -r ns rest < "$t/schedstat" && echo "$ns" && return
    done
    echo 0
}

# icount_insns IMG: one OVMF boot of IMG (a race image with race-start.efi
# in the loader's place) under -icount shift=0,sleep=off; prints the guest
# time between its two "tsc=" lines (race-tsc.inc: the TSC in hex, the
# guest's virtual time in ns, one instruction a ns), race-start.efi's as it
# starts the loader and the race kernel's at its entry ("-" if either never
# came).
icount_insns() {
    qemu_args uefi "$1" race
    local start="" tsc insns=-
    exec 3< <(exec qemu-system-x86_64 "${args[@]}" -icount shift=0,sleep=off -serial stdio </dev/null 2>/dev/null)
    qpid=$!
    while IFS= read -r -t 120 line <&3; do
        line=${line//$'\r'/}             # GRUB starts its lines with CR too
        case $line in tsc=*) ;; *) continue ;; esac
        tsc=$(( 16#${line#tsc=} ))
        [ -z "$start" ] || { insns=$(( tsc - start )); break; }
        start=$tsc
    done
    kill "$qpid" 2>/dev/null || true
    wait "$qpid" 2>/dev/null || true
    exec 3<&-
    echo "$insns"
}

# loaded_bytes IMG: the sum of p_filesz over the PT_LOAD segments of
# /boot/kernel.elf on IMG's ESP (at 1 MiB on every image here), the bytes a
# loader reads for it; the file is left in $tmp/kernel.elf.
loaded_bytes() {
    MTOOLS_SKIP_CHECK=1 mcopy -n -i "$1@@1M" ::/boot/kernel.elf "$tmp/kernel.elf"
    local n=0 filesz
    for filesz in $(readelf -lW "$tmp/kernel.elf" | awk '$1 == "LOAD" { print $5 }'); do
        n=$(( n + filesz ))
    done
    echo "$n"
}

# race_ms IMG MARKER: one OVMF boot of IMG; prints "WALL_MS CPU_MS" from the
# line "BdsDxe: starting" to the first line that contains MARKER ("- -" if
# either never came): wall time (lines stamped with bash's EPOCHREALTIME,
# no fork per line) and the guest CPU's time on the host (cpu_ns), which
# other processes on the host stretch much less.
race_ms() {
    qemu_args uefi "$1" race
    local bds="" end="" cpu0=0 cpu1=0
    exec 3< <(exec qemu-system-x86_64 "${args[@]}" -serial stdio </dev/null 2>/dev/null)
    qpid=$!
    while IFS= read -r -t 60 line <&3; do
        case $line in
        *"BdsDxe: starting"*) [ -n "$bds" ] || { bds=$EPOCHREALTIME; cpu0=$(cpu_ns $qpid); } ;;
        *"$2"*) [ -z "$bds" ] || { end=$EPOCHREALTIME; cpu1=$(cpu_ns $qpid); break; } ;;
        esac
    done
    kill "$qpid" 2>/dev/null || true
    wait "$qpid" 2>/dev/null || true
    exec 3<&-
    if [ -n "$end" ]; then
        awk -v a="$bds" -v b="$end" -v c=$(( (cpu1 - cpu0) / 1000000 )) 'BEGIN { printf "%d %d\n", (b - a) * 1000 + 0.5, c }'
    else
        echo - -
    fi
}
for i in $(seq 1 "$runs"); do
    for fw in bios uefi; do
        steps_run $fw >> "$tmp/steps-$fw"
    done
done
echo "Boot per firmware, tessera.img with an 8 MiB kernel (q35, 256 MiB, TCG), median of $runs:"
printf '  %-6s %26s %30s %32s\n' "" "QEMU start to loader, ms" "loader to kernel (wall), ms" "loader to kernel (timeline), ms"
for fw in bios uefi; do
    printf '  %-6s %26s %30s %32s\n' $fw "$(cut -d' ' -f1 "$tmp/steps-$fw" | median)" \
        "$(cut -d' ' -f2 "$tmp/steps-$fw" | median)" \
        "$(cut -d' ' -f3 "$tmp/steps-$fw" | median | awk '{printf "%.1f", $1 / 1000}')"
done

# The UEFI loader reads only the kernel's PT_LOAD bytes: its "elf:" line
# against readelf's sum of p_filesz for the kernel on the image.
want=$(loaded_bytes "$hybrid")
got=$(sed -nE 's/.*PT_LOAD, ([0-9]+) bytes read.*/\1/p' "$tmp/elf-line")
echo "UEFI loader: $got bytes of kernel segments read (readelf: PT_LOAD p_filesz total $want, file $(stat -c %s "$tmp/kernel.elf") bytes)"
[ "$got" = "$want" ] || { echo "uefi-bench: the loader read $got bytes of segments, readelf says $want"; exit 1; }
for fw in bios uefi; do
    for what in firmware:1 loader:2; do
        bench_row "boot-$fw-8m-${what%:*}-ms" "$(cut -d' ' -f"${what#*:}" "$tmp/steps-$fw" | median)"
    done
    bench_row "boot-$fw-8m-timeline-ms" "$(cut -d' ' -f3 "$tmp/steps-$fw" | median | awk '{printf "%.1f", $1 / 1000}')"
done

# The race kernels: at each size ours (race-kernel.asm) has exactly the
# PT_LOAD bytes of GRUB's race kernel, read off GRUB's image (N MiB when
# there is no anchor), in one segment at the same file offset; our image is
# the bench image with its kernel replaced.
echo "Race kernels: PT_LOAD bytes (p_filesz total of /boot/kernel.elf on each image):"
for size in 1m 8m; do
    base=$img8m anchor_img=${grub:+$grub/ge${size%m}.img} loaded=$(( ${size%m} * 1048576 ))
    [ "$size" != 1m ] || base=$img1m
    [ -z "$grub" ] || loaded=$(loaded_bytes "$anchor_img")
    nasm -I "$here/" -f bin -DLOADED="$loaded" "$here/race-kernel.asm" -o "$tmp/race-$size.elf"
    cp --sparse=always "$base" "$tmp/ours-$size.img"
    MTOOLS_SKIP_CHECK=1 mcopy -o -i "$tmp/ours-$size.img@@1M" "$tmp/race-$size.elf" ::/boot/kernel.elf
    ours=$(loaded_bytes "$tmp/ours-$size.img")
    anchor_bytes=${grub:+$loaded}
    echo "  $size: ours $ours, GRUB ${anchor_bytes:--}"
    [ "$ours" = "$loaded" ] || { echo "uefi-bench: the $size race kernels differ: ours $ours bytes, GRUB's $loaded"; exit 1; }
done
pairs="ours-1m:$tmp/ours-1m.img ours-8m:$tmp/ours-8m.img"
[ -z "$grub" ] || pairs="$pairs grub-1m:$grub/ge1.img grub-8m:$grub/ge8.img"

# The race on the clock: the four images in turn, race_runs times.
for i in $(seq 1 "$race_runs"); do
    for p in $pairs; do
        IFS=: read -r name img <<< "$p"
        read -r wall cpu <<< "$(race_ms "$img" KERNEL-ENTRY)"
        [ "$wall" != - ] || { echo "uefi-bench: $name: no BdsDxe line or no kernel line"; exit 1; }
        echo "$wall" >> "$tmp/wall-$name"
        echo "$cpu" >> "$tmp/cpu-$name"
    done
done

# The race in guest instructions: each race image once under -icount,
# with race-start.efi as \EFI\BOOT\BOOTX64.EFI and the loader moved to
# \EFI\BOOT\LOADER.EFI: from race-start's line as it starts the loader to
# the race kernel's, in one boot.
for p in $pairs; do
    IFS=: read -r name img <<< "$p"
    cp --sparse=always "$img" "$tmp/start.img"
    MTOOLS_SKIP_CHECK=1 mcopy -n -i "$img@@1M" ::/EFI/BOOT/BOOTX64.EFI "$tmp/loader.efi"
    MTOOLS_SKIP_CHECK=1 mcopy -i "$tmp/start.img@@1M" "$tmp/loader.efi" ::/EFI/BOOT/LOADER.EFI
    MTOOLS_SKIP_CHECK=1 mcopy -o -i "$tmp/start.img@@1M" "$start_efi" ::/EFI/BOOT/BOOTX64.EFI
    insns=$(icount_insns "$tmp/start.img")
    [ "$insns" != - ] || { echo "uefi-bench: $name: no two TSC lines under -icount"; exit 1; }
    echo "$insns" > "$tmp/insns-$name"
done

echo "OVMF (q35, TCG): \"BdsDxe: starting\" to the kernel's first line, median of $race_runs, ms;"
echo "and under -icount, race-start.efi starting the loader to the kernel's entry, guest instructions:"
printf '  %-8s %6s %8s %12s   %s\n' "" wall "QEMU CPU" "instructions" "(each run: wall/CPU)"
for p in $pairs; do
    name=${p%%:*}
    printf '  %-8s %6s %8s %12s   %s\n' "$name" "$(median < "$tmp/wall-$name")" "$(median < "$tmp/cpu-$name")" \
        "$(cat "$tmp/insns-$name")" "$(paste -d/ "$tmp/wall-$name" "$tmp/cpu-$name" | tr '\n' ' ')"
done
for size in 1m 8m; do
    for what in wall cpu; do
        anchor=""
        [ -z "$grub" ] || anchor=$(median < "$tmp/$what-grub-$size")
        bench_row "uefi-loader-$size-$what-ms" "$(median < "$tmp/$what-ours-$size")" "$anchor" ${grub:+0.5}
    done
    anchor=""
    [ -z "$grub" ] || anchor=$(cat "$tmp/insns-grub-$size")
    bench_row "uefi-loader-$size-insns" "$(cat "$tmp/insns-ours-$size")" "$anchor" ${grub:+0.5}
done
