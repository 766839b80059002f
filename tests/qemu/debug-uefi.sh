#!/bin/sh
# debug-uefi.sh - `make debug-uefi`: QEMU under OVMF with its gdb stub, and
# gdb with the loader's symbols at the address OVMF placed it.
#
#   debug-uefi.sh IMG OVMF_CODE VARS GDBSCRIPT [gdb arguments...]
#
# The firmware picks the loader's address, so gdb cannot start first (as
# debug-bios does). Instead, without a person:
#   1. a copy of IMG gets /boot/debug-uefi: the loader then prints its
#      image base, says "uefi: debug: ... waiting for gdb" and spins
#      (bootloader-uefi/debug.c);
#   2. QEMU boots the copy (VARS: a private, writable copy of OVMF's
#      variable store; made from OVMF_VARS_4M.fd when missing);
#   3. this script polls the serial log for that line, takes the base from
#      "image base 0x...", and starts gdb with GDBSCRIPT
#      (tests/debug-uefi.gdb.in), which loads the symbols there, clears
#      the loader's wait flag and breaks at the last loader step and the
#      kernel entry. Extra arguments go to gdb (the batch check passes
#      -batch and its commands).
# Environment: GDB_PORT (default 1234), DEBUG_UEFI_WORK (prefix of the work
# files, default beside GDBSCRIPT), QEMU_DISPLAY (default: a window when
# DISPLAY is set, else none), DEBUG_UEFI_TIMEOUT (seconds to wait for the
# loader, default 120).
set -u
img=$1 code=$2 vars=$3 script=$4
shift 4
dir=$(dirname "$script")
port=${GDB_PORT:-1234}
work=${DEBUG_UEFI_WORK:-$dir/debug-uefi}
wait_s=${DEBUG_UEFI_TIMEOUT:-120}
display=${QEMU_DISPLAY-$( [ -n "${DISPLAY:-}" ] || echo "-display none")}
serial="$work-serial.log"

[ -f "$vars" ] || cp "$(dirname "$code")/OVMF_VARS_4M.fd" "$vars" || exit 1
cp --sparse=always "$img" "$work.img" || exit 1
: > "$work.flag"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$work.img@@1048576" "$work.flag" ::/boot/debug-uefi || exit 1
rm -f "$work.flag"

: > "$serial"
# shellcheck disable=SC2086
qemu-system-x86_64 -accel tcg -machine q35 -m 256 -nic none -no-reboot -monitor none \
    -drive if=pflash,format=raw,readonly=on,file="$code" \
    -drive if=pflash,format=raw,file="$vars" \
    -drive format=raw,file="$work.img" -serial "file:$serial" \
    -gdb tcp:127.0.0.1:$port $display </dev/null &
qpid=$!
echo "debug-uefi: QEMU running, serial in $serial; waiting for the loader's image base"

n=0
until grep -q '^uefi: debug: .*waiting for gdb' "$serial"; do
    if ! kill -0 $qpid 2>/dev/null || [ $n -ge $(( wait_s * 10 )) ]; then
        echo "debug-uefi: the loader never waited for gdb; serial log:"
        tr -d '\r' < "$serial" | tail -n 20
        kill $qpid 2>/dev/null
        exit 1
    fi
    n=$(( n + 1 ))
    sleep 0.1
done
base=$(tr -d '\r' < "$serial" | sed -n 's/^uefi: tessera-uefi .*image base \(0x[0-9a-f]*\).*/\1/p' | head -n 1)
entry=$(nm "$dir/kernel.elf" | awk '$3 == "_start" {print "0x" $1}')
echo "debug-uefi: loader at $base, kernel entry $entry"

gdb -q -ex "set \$uefi_base = $base" -ex "set \$kernel_entry = $entry" \
    -ex "set \$gdb_port = $port" -x "$script" "$@"
rc=$?
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
rm -f "$work.img"
exit $rc
