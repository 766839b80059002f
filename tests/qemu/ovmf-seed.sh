#!/bin/sh
# ovmf-seed.sh - a variable store that OVMF has booted with once, for the
# UEFI test boots (tests/qemu/boot.sh copies it for each boot).
#
#   ovmf-seed.sh MACHINE OUT      MACHINE: pc or q35
#
# A blank store (Debian's OVMF_VARS_4M.fd) makes every boot a machine's first:
# OVMF writes its boot options and settings into it before it boots anything,
# 0.75 s of TCG per boot. A real PC's store was written long ago; so is this
# one: OVMF boots once with no disk (its boot manager then writes the options
# of the DVD drive and its shell, and starts the shell) and the store is kept.
# The test boots give their disk bootindex=0 (QEMU's boot order, which OVMF
# puts first), so the options stored here never come before it. A few cells
# keep the first-boot path (boot.sh --first-boot: a blank store, no boot
# order).
set -eu
machine=$1 out=$2
tmp=$out.tmp
log=$out.log
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$tmp"
: > "$log"
qemu-system-x86_64 -accel tcg -machine "$machine" -m 256 -nic none -no-reboot -display none \
    -monitor none -serial "file:$log" \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive "if=pflash,format=raw,file=$tmp" </dev/null 2>>"$log" &
qpid=$!
start=$(date +%s)
until grep -q 'BdsDxe: starting Boot' "$log"; do
    if ! kill -0 $qpid 2>/dev/null || [ $(( $(date +%s) - start )) -ge 180 ]; then
        kill $qpid 2>/dev/null
        echo "ovmf-seed.sh: OVMF ($machine) never started a boot option (log: $log)" >&2
        exit 1
    fi
    sleep 0.1
done
kill $qpid
wait $qpid 2>/dev/null || true
if cmp -s "$tmp" /usr/share/OVMF/OVMF_VARS_4M.fd; then
    echo "ovmf-seed.sh: OVMF ($machine) wrote nothing into its variable store" >&2
    exit 1
fi
mv "$tmp" "$out"
rm -f "$log"
