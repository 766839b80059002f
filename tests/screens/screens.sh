#!/bin/sh
# screens.sh - `make screens` and the screens/capture case: boot each image
# under gdb, take a picture of the screen at each moment of
# tests/screens/moments.txt, check every picture (tests/screens/check.py),
# and only then copy them to DOCS (docs/screens/, docs/screens.md).
#
#   screens.sh BUILD OUT [DOCS] [MOMENTS]
#
# One boot per firmware that has moments: build/bios.img under SeaBIOS
# (tests/qemu/debug-bios.sh, QEMU halted at the reset vector), build/uefi.img
# under OVMF (tests/qemu/debug-uefi.sh: the loader waits for gdb in
# efi_main); gdb loads the walk (tests/walk/walk.py) and the capture
# (tests/screens/capture.py) and runs `screens`. OUT gets NAME.png per
# moment and FIRMWARE-serial.log per boot (the check reads both). MOMENTS
# defaults to tests/screens/moments.txt; the proof that the check fails
# passes a copy with a moment moved (docs/screens.md, "The test").
set -u
build=$1 out=$2 docs=${3:-} here=$(dirname "$0")
moments=${4:-$here/moments.txt}
steps=$here/../../docs/walk/steps.txt
walk=$here/../walk/walk.py
port=$(( 20000 + $$ % 10000 ))
mkdir -p "$out" || exit 1
rm -f "$out"/*.png "$out"/*-serial.log

has() { grep -v '^[[:space:]]*#' "$moments" | grep -q "| *$1 *|"; }
rc=0
if has bios; then
    GDB_PORT=$port QEMU_DISPLAY="-display none" DEBUG_BIOS_WORK=$out/bios \
        timeout 180 sh "$here/../qemu/debug-bios.sh" "$build/bios.img" "$build/debug-bios-setup.gdb" \
        -batch -x "$walk" -x "$here/capture.py" -ex "screens $moments $steps bios $out" || rc=1
fi
if has uefi; then
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$out/uefi-vars.fd" || exit 1
    GDB_PORT=$(( port + 1 )) QEMU_DISPLAY="-display none" DEBUG_UEFI_WORK=$out/uefi DEBUG_UEFI_TIMEOUT=120 \
        timeout 300 sh "$here/../qemu/debug-uefi.sh" "$build/uefi.img" /usr/share/OVMF/OVMF_CODE_4M.fd \
        "$out/uefi-vars.fd" "$build/debug-uefi-setup.gdb" -batch -x "$walk" -x "$here/capture.py" \
        -ex "screens $moments $steps uefi $out attach=debug_wait_for_gdb:uefi_debug_wait" || rc=1
    rm -f "$out/uefi-vars.fd"
fi
[ $rc -eq 0 ] || echo "screens: a capture failed (its gdb session above); checking what there is"

python3 "$here/check.py" "$moments" "$out" "$build/kernel/font.psf" || exit 1
[ $rc -eq 0 ] || exit 1
if [ -n "$docs" ]; then
    mkdir -p "$docs" && cp "$out"/*.png "$docs"/ || exit 1
    echo "screens: $(ls "$out"/*.png | wc -l) pictures checked and copied to $docs/"
fi
