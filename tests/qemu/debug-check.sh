#!/bin/sh
# debug-check.sh - check `make debug-bios` end to end, without a person at
# the keyboard: the same script (tests/qemu/debug-bios.sh: QEMU halted with
# its gdb stub) and gdb script (build/debug-bios.gdb), gdb in batch mode.
# The gdb script itself runs to the first breakpoint; two more `continue`s follow, and each stop must be the next
# breakpoint: stage1 at 0x7C00, stage2_entry, the kernel's _start.
set -u
img=$1 script=$2 log=$3
port=$(( 20000 + $$ % 10000 ))
GDB_PORT=$port DEBUG_BIOS_WORK=$log QEMU_DISPLAY="-display none" \
    timeout 60 sh "$(dirname "$0")/debug-bios.sh" "$img" "$script" -batch \
    -ex 'printf "STOP %#lx\n", $pc' \
    -ex 'continue' -ex 'printf "STOP %#lx\n", $pc' \
    -ex 'continue' -ex 'printf "STOP %#lx\n", $pc' -ex 'kill' > "$log" 2>&1
cat "$log"
stops=$(grep '^STOP ' "$log" | awk '{print $2}' | tr '\n' ' ')
build=$(dirname "$script")
entry=$(nm "$build/stage2.elf" | awk '$3 == "stage2_entry" {print $1}')
start=$(nm "$build/kernel.elf" | awk '$3 == "_start" {print $1}')
set -- $stops
[ $# -eq 3 ] || { echo "debug-check: expected 3 stops, got: $stops"; exit 1; }
[ "$1" = 0x7c00 ] || { echo "debug-check: first stop $1, expected 0x7c00 (stage1)"; exit 1; }
[ $(( $2 )) -eq $(( 0x$entry )) ] || { echo "debug-check: second stop $2, expected stage2_entry 0x$entry"; exit 1; }
[ $(( $3 )) -eq $(( 0x$start )) ] || { echo "debug-check: third stop $3, expected _start 0x$start"; exit 1; }
echo "ok: stopped at stage1 ($1), stage2_entry ($2) and _start ($3)"
