#!/bin/bash
# uefi-bench.sh - the boot benchmark per firmware (part of make bench).
#
#   uefi-bench.sh HYBRID_8M UEFI_8M UEFI_SMALL [RUNS] [GRUB_DIR]
#
# HYBRID_8M is tessera.img with the kernel padded to 8 MiB (the GRUB
# anchor's size); it boots under SeaBIOS and OVMF from the same disk.
# UEFI_8M and UEFI_SMALL are uefi.img with the padded and the plain kernel
# and the command line "bench=boot" (the kernel exits QEMU at once).
#
# 1. Per firmware, on HYBRID_8M (q35, 256 MiB, TCG), median of RUNS boots:
#      firmware   QEMU start to the loader's first line (wall clock: each
#                 serial line is stamped as it arrives through a pipe);
#      loader     the loader's first line to the kernel's first line (wall);
#      timeline   the same span from the boot timeline: the kernel's
#                 "timeline: kernel entry ... (at N us)", TSC stamps taken
#                 by the loader from its start, calibrated by the kernel.
# 2. OVMF total, QEMU start to exit: ours (UEFI_8M, UEFI_SMALL) beside OVMF +
#    GRUB EFI loading the anchor's multiboot2 kernel (GRUB_DIR/ge.img 8 MiB,
#    ges.img 5 KiB), alternated in one run since absolute TCG times drift.
#    The firmware's share is taken off: for ours, each run's own time to the
#    loader's first line; for GRUB (silent until its kernel), the median of
#    those same runs. The ratio is the loaders' cost: goal at most 0.5 of GRUB's.
set -eu
hybrid=$1 big=$2 small=$3 runs=${4:-5} grub=${5:-}
out=$(dirname "$hybrid")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CODE=/usr/share/OVMF/OVMF_CODE_4M.fd

. "$(dirname "$0")/median.sh"
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# qemu_args FW IMG: the machine every run uses.
qemu_args() {
    args=(-accel tcg -machine q35 -m 256 -nic none -no-reboot -display none -monitor none
          -device isa-debug-exit,iobase=0xf4,iosize=0x04 -drive "format=raw,snapshot=on,file=$2")
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

# total_ms IMG: QEMU start to exit under OVMF; prints "TOTAL_MS FIRST_MS",
# FIRST_MS being when our loader's first line arrived (0 when none did: GRUB).
total_ms() {
    qemu_args uefi "$1"
    t0=$(date +%s%N) first=0
    exec 3< <(exec qemu-system-x86_64 "${args[@]}" -serial stdio </dev/null 2>/dev/null)
    qpid=$!
    : > "$tmp/total.log"
    while IFS= read -r -t 60 line <&3; do
        line=${line%$'\r'}
        echo "$line" >> "$tmp/total.log"
        case $line in "uefi: tessera-uefi"*) [ "$first" != 0 ] || first=$(ms_since "$t0") ;; esac
    done
    wait "$qpid" 2>/dev/null || true
    exec 3<&-
    echo "$(ms_since "$t0") $first"
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

pairs="ours-8m:$big ours-small:$small"
[ -z "$grub" ] || pairs="$pairs grub-8m:$grub/ge.img grub-small:$grub/ges.img"
for i in $(seq 1 "$runs"); do
    for p in $pairs; do
        set -- $(total_ms "${p#*:}")
        case $p in ours-*)
            grep -q '^kernel: ' "$tmp/total.log" || { echo "uefi-bench: ${p%%:*}: no kernel line"; exit 1; }
            echo "$2" >> "$tmp/firmware"
            echo $(( $1 - $2 )) >> "$tmp/above-${p%%:*}" ;;
        esac
        echo "$1" >> "$tmp/${p%%:*}"
    done
done
fw_ms=$(median < "$tmp/firmware")
echo "OVMF boot, QEMU start to exit, median of $runs, ms (firmware alone, to our loader's first line in the same runs: $fw_ms):"
for p in $pairs; do
    printf '  %-12s %8s\n' "${p%%:*}" "$(median < "$tmp/${p%%:*}")"
done
if [ -n "$grub" ]; then
    # ours: each run's own exit minus its own first loader line; GRUB prints
    # nothing before its kernel, so its runs lose the firmware median of
    # ours, measured alternately with them on the same machine and disk layout
    for size in 8m small; do
        awk -v o="$(median < "$tmp/above-ours-$size")" -v g="$(median < "$tmp/grub-$size")" -v f="$fw_ms" \
            -v what="$size:" 'BEGIN {
            if (g - f <= 0)
                printf "  above firmware, %-7s tessera %5d ms, grub %5d ms: no ratio (the firmware alone varied by more than GRUB takes)\n",
                       what, o, g - f
            else
                printf "  above firmware, %-7s tessera %5d ms, grub %5d ms: ratio %.2f (goal <= 0.50)\n",
                       what, o, g - f, o / (g - f) }'
    done
fi
