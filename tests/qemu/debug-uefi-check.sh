#!/bin/sh
# debug-uefi-check.sh - check `make debug-uefi` end to end, without a
# person: the same script (tests/qemu/debug-uefi.sh) and gdb script
# (build/debug-uefi.gdb), gdb in batch mode. After attaching, two
# `continue`s; the three stops must be:
#   1. wherever the CPU was when gdb attached: usually the loader's wait loop,
#      sometimes the firmware's timer interrupt (the loader waits with
#      interrupts on), so it is shown, not checked;
#   2. exit_boot_services_and_jump, at the address gdb computed from the
#      image base (so the symbols really sit where OVMF put the loader);
#   3. the kernel's _start.
#
#   debug-uefi-check.sh IMG GDBSCRIPT LOG
set -u
img=$1 script=$2 log=$3
build=$(dirname "$script")
port=$(( 20000 + $$ % 10000 ))
code=/usr/share/OVMF/OVMF_CODE_4M.fd
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$log.vars"

GDB_PORT=$port DEBUG_UEFI_WORK=$log QEMU_DISPLAY="-display none" DEBUG_UEFI_TIMEOUT=60 \
    timeout 120 sh "$(dirname "$0")/debug-uefi.sh" "$img" "$code" "$log.vars" "$script" -batch \
    -ex 'printf "STOP %#lx\n", $pc' \
    -ex 'continue' -ex 'printf "STOP %#lx\n", $pc' \
    -ex 'printf "AT %#lx\n", (long)&exit_boot_services_and_jump' \
    -ex 'continue' -ex 'printf "STOP %#lx\n", $pc' -ex 'kill' > "$log" 2>&1
rm -f "$log.vars"
cat "$log"

base=$(sed -n 's/^debug-uefi: loader at \(0x[0-9a-f]*\),.*/\1/p' "$log")
at=$(sed -n 's/^AT \(0x[0-9a-f]*\)$/\1/p' "$log")
start=$(nm "$build/kernel.elf" | awk '$3 == "_start" {print $1}')
size=0x$(objdump -p "$build/BOOTX64.EFI" | awk '$1 == "SizeOfImage" {print $2}')
stops=$(grep '^STOP ' "$log" | awk '{print $2}' | tr '\n' ' ')
set -- $stops
fail() { echo "debug-uefi-check: $*"; exit 1; }
[ -n "$base" ] || fail "no image base in the log"
[ $# -eq 3 ] || fail "expected 3 stops, got: $stops"
where=outside
[ $(( $1 )) -ge $(( base )) ] && [ $(( $1 )) -lt $(( base + size )) ] && where=inside
echo "first stop $1: $where the loader (base $base, $size bytes)"
[ -n "$at" ] && [ $(( $2 )) -eq $(( at )) ] ||
    fail "second stop $2, expected exit_boot_services_and_jump at $at"
[ $(( at - base )) -eq $(( 0x$(nm "$build/uefi/bootx64.so" | awk '$3 == "exit_boot_services_and_jump" {print $1}') )) ] ||
    fail "exit_boot_services_and_jump at $at is not image base + its ELF offset"
[ $(( $3 )) -eq $(( 0x$start )) ] || fail "third stop $3, expected _start 0x$start"
echo "ok: attached at $1, then stopped at exit_boot_services_and_jump ($2 = base $base + its offset) and _start ($3)"
