#!/bin/sh
# pagetables-bios.sh - dump the page tables of a real BIOS boot (make
# pagetables-bios; docs/paging.md shows the result).
#
#   sh docs/walk/pagetables-bios.sh build/bios.img build build/pagetables-bios.txt
#
# Boots a copy of the image on QEMU's pc machine (256 MiB or MEM=, one CPU, SeaBIOS)
# halted with its gdb stub, and gdb in batch mode runs docs/walk/pagetables.py
# twice: at the kernel's `_start` (CR3 = the tables stage2's `paging_build`
# made) and at `console_init` (kmain has run `vmm_init`: the kernel's own
# tables, the loader's memory given back). Each dump follows a line with the
# stop, CR3, CR4 and EFER; the boot's serial log (the loader's paging line,
# the kernel's [vmm] lines) is appended so the dump can be checked against it.
set -eu
img=$1 build=$2 out=$3
here=$(dirname "$0")
port=$(( 20000 + $$ % 10000 ))
work=$out.tmp
cp --sparse=always "$img" "$work.img"
qemu-system-x86_64 -accel tcg -machine pc -m "${MEM:-256}" -smp 1 -nic none -no-reboot -display none \
    -monitor none -serial "file:$work.serial" -drive format=raw,file="$work.img" \
    -S -gdb tcp:127.0.0.1:$port </dev/null &
qpid=$!
trap 'kill $qpid 2>/dev/null || true; rm -f "$work.img" "$work.serial"' EXIT
sleep 0.5
stop() {   # the gdb commands for one stop: break, run, say where, dump
    printf '%s\n' "hbreak *$1" continue \
        "printf \"== stop: $2 (pc %#lx) cr3=%#lx cr4=%#lx efer=%#lx\\n\", \$pc, \$cr3, \$cr4, \$efer" \
        pagetables
}
{
    printf '%s\n' 'set confirm off' 'set pagination off' "source $here/pagetables.py" \
        "file $build/kernel.elf" "target remote 127.0.0.1:$port"
    stop _start "the kernel's entry: stage2's tables (bootloader-bios/paging.asm)"
    stop console_init "kmain after start_memory: the kernel's tables (kernel/mm/vmm.c)"
    printf '%s\n' kill
} > "$work.gdb"
timeout 120 gdb -q -batch -x "$work.gdb" > "$work.out" 2>&1 || true
rm -f "$work.gdb"
grep -q '^== stop: the kernel' "$work.out" && grep -q '^tables: ' "$work.out" || {
    cat "$work.out"; echo "pagetables-bios: gdb did not reach the stops"; exit 1; }
{
    grep -v -e '^Hardware assisted breakpoint' -e '^Breakpoint ' -e '^[0-9]\+\s' \
        -e '^0x0000[0-9a-f]* in ' -e '^\[Inferior' "$work.out"
    echo "== serial log up to the second stop"
    cat "$work.serial"
} > "$out"
rm -f "$work.out"
echo "pagetables-bios: $out"
