#!/bin/sh
# walk.sh - `make walk-bios`, `make walk-uefi`: QEMU with its gdb stub, gdb
# with the debug setup's symbols and tests/walk/walk.py, walking the steps
# of docs/walk/steps.txt (docs/walk.md).
#
#   walk.sh bios|uefi BUILD [STEPS]
#
# bios: tests/qemu/debug-bios.sh (QEMU halted at the reset vector), chains
#       bios and kernel;
# uefi: tests/qemu/debug-uefi.sh (efi_main waits for gdb before its first
#       step), chains uefi and kernel; the walk clears uefi_debug_wait.
# Environment: WALK=auto runs through without waiting for Enter, gdb in
# batch mode (the test, tests/walk/check.sh); GDB_PORT, QEMU_DISPLAY and
# the work-file prefix go to the debug scripts. STEPS defaults to
# docs/walk/steps.txt (the check passes broken copies to prove it fails).
set -u
fw=$1 build=$2
here=$(dirname "$0")
steps=${3:-$here/../../docs/walk/steps.txt}
batch=
[ "${WALK:-}" = auto ] && batch=-batch
export WALK="${WALK:-}"

case $fw in
bios)
    exec sh "$here/../qemu/debug-bios.sh" "$build/bios.img" "$build/debug-bios-setup.gdb" \
        $batch -x "$here/walk.py" -ex "walk $steps bios kernel" ;;
uefi)
    vars=${WALK_VARS:-$build/walk-OVMF_VARS.fd}
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars" || exit 1
    exec sh "$here/../qemu/debug-uefi.sh" "$build/uefi.img" /usr/share/OVMF/OVMF_CODE_4M.fd \
        "$vars" "$build/debug-uefi-setup.gdb" \
        $batch -x "$here/walk.py" -ex "walk $steps uefi kernel attach=debug_wait_for_gdb:uefi_debug_wait" ;;
*)
    echo "walk.sh: bios or uefi, not $fw" >&2
    exit 2 ;;
esac
