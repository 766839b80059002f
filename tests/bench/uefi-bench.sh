#!/bin/bash
# uefi-bench.sh - the boot benchmark per firmware, and the UEFI loader
# against GRUB (part of make bench).
#
#   uefi-bench.sh HYBRID_8M UEFI_1M UEFI_8M [RUNS] [GRUB_DIR]
#
# HYBRID_8M is tessera.img with the kernel padded to 8 MiB; it boots under
# SeaBIOS and OVMF from the same disk. UEFI_1M and UEFI_8M are uefi.img
# with the kernel padded by a data section of 1 and 8 MiB (PT_LOAD bytes)
# and the bench boot.cfg (cmdline "bench=boot": the kernel exits QEMU at
# once; no video=, so neither loader changes the screen mode).
#
# 1. Per firmware, on HYBRID_8M (q35, 256 MiB, TCG), median of RUNS boots:
#      firmware   QEMU start to the loader's first line (wall clock: each
#                 serial line is stamped as it arrives through a pipe);
#      loader     the loader's first line to the kernel's first line (wall);
#      timeline   the same span from the boot timeline: the kernel's
#                 "timeline: kernel entry ... (at N us)", TSC stamps taken
#                 by the loader from its start, calibrated by the kernel.
# 2. The UEFI loader against GRUB EFI (GRUB_DIR/ge1.img, ge.img: the
#    anchor's multiboot2 kernel padded to 1 and 8 MiB), alternated in one
#    run since TCG times drift. Each run is anchored on the firmware's own
#    line, OVMF's "BdsDxe: starting Boot0001 ..." as the boot manager starts
#    the loader: the loader's cost is the time from that line to the
#    kernel's first line (ours "kernel: Tessera", GRUB's "KERNEL-ENTRY") in
#    the same run, so the firmware's own second of noise drops out. Goal:
#    at most 0.5 of GRUB's, at both sizes.
# The rows of `make bench`'s table come from tests/bench/row.sh.
set -eu
hybrid=$1 img1m=$2 img8m=$3 runs=${4:-5} grub=${5:-}
out=$(dirname "$hybrid")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CODE=/usr/share/OVMF/OVMF_CODE_4M.fd

. "$(dirname "$0")/median.sh"
. "$(dirname "$0")/row.sh"
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
# PT_LOAD bytes of GRUB's anchor kernel, read off GRUB's image (N MiB when
# there is no anchor), in one segment at the same file offset; the image is
# the bench image with its kernel replaced.
echo "Race kernels: PT_LOAD bytes (p_filesz total of /boot/kernel.elf on each image):"
for size in 1m 8m; do
    if [ "$size" = 1m ]; then base=$img1m anchor_img=${grub:+$grub/ge1.img}; else base=$img8m anchor_img=${grub:+$grub/ge.img}; fi
    if [ -n "$grub" ]; then loaded=$(loaded_bytes "$anchor_img"); else loaded=$(( ${size%m} * 1048576 )); fi
    nasm -f bin -DLOADED="$loaded" "$(dirname "$0")/race-kernel.asm" -o "$tmp/race-$size.elf"
    cp --sparse=always "$base" "$tmp/ours-$size.img"
    MTOOLS_SKIP_CHECK=1 mcopy -o -i "$tmp/ours-$size.img@@1M" "$tmp/race-$size.elf" ::/boot/kernel.elf
    ours=$(loaded_bytes "$tmp/ours-$size.img")
    anchor_bytes=${grub:+$loaded}
    echo "  $size: ours $ours, GRUB ${anchor_bytes:--}"
    [ "$ours" = "$loaded" ] || { echo "uefi-bench: the $size race kernels differ: ours $ours bytes, GRUB's $loaded"; exit 1; }
done

# The race: ours and GRUB's at each size, alternated; both kernels print
# the same line.
pairs="ours-1m:$tmp/ours-1m.img ours-8m:$tmp/ours-8m.img"
[ -z "$grub" ] || pairs="$pairs grub-1m:$grub/ge1.img grub-8m:$grub/ge.img"
for i in $(seq 1 "$runs"); do
    for p in $pairs; do
        IFS=: read -r name img <<< "$p"
        read -r wall cpu <<< "$(race_ms "$img" KERNEL-ENTRY)"
        [ "$wall" != - ] || { echo "uefi-bench: $name: no BdsDxe line or no kernel line"; exit 1; }
        echo "$wall" >> "$tmp/wall-$name"
        echo "$cpu" >> "$tmp/cpu-$name"
    done
done
echo "OVMF (q35, TCG): \"BdsDxe: starting\" to the kernel's first line, median of $runs, ms:"
printf '  %-8s %8s %8s   %s\n' "" wall "QEMU CPU" "(each run: wall/CPU)"
for p in $pairs; do
    name=${p%%:*}
    printf '  %-8s %8s %8s   %s\n' "$name" "$(median < "$tmp/wall-$name")" "$(median < "$tmp/cpu-$name")" \
        "$(paste -d/ "$tmp/wall-$name" "$tmp/cpu-$name" | tr '\n' ' ')"
done
for size in 1m 8m; do
    for what in wall cpu; do
        anchor=""
        [ -z "$grub" ] || anchor=$(median < "$tmp/$what-grub-$size")
        bench_row "uefi-loader-$size-$what-ms" "$(median < "$tmp/$what-ours-$size")" "$anchor" ${grub:+0.5}
    done
done
