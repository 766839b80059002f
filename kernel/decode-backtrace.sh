#!/bin/sh
# decode-backtrace.sh - turn a kernel panic report into source lines.
#
#   sh kernel/decode-backtrace.sh build/kernel.elf [LOG]     (LOG or stdin)
#   make decode LOG=build/test-results/panic-bios-fault.serial
#
# The kernel names each frame of a backtrace by function and offset from
# its own symbol table (kernel/ksyms.c); it carries no line table. This
# script reads the report as the serial port or the screen showed it and,
# with the same kernel.elf (its DWARF), adds the file and line under every
# frame, inlined callers included (addr2line -i). Frame #0 is where the CPU
# was; the others are return addresses, so their call is at address - 1.
set -eu
elf=$1
log=${2:--}
[ -r "$elf" ] || { echo "decode-backtrace: cannot read $elf" >&2; exit 2; }

tr -d '\r' < "$log" | while IFS= read -r line; do
    printf '%s\n' "$line"
    case $line in
    "  #"[0-9]*" 0x"*)
        n=$(echo "$line" | sed -E 's/^  #([0-9]+) .*/\1/')
        addr=$(echo "$line" | sed -E 's/^  #[0-9]+ (0x[0-9a-f]+).*/\1/')
        # shell arithmetic is signed 64-bit: subtract in the low 32 bits
        # (the kernel lives in the top 2 GiB, 0xffffffff80000000 up)
        [ "$n" -eq 0 ] || addr=$(printf '0xffffffff%08x' $(( 0x${addr#0xffffffff} - 1 )))
        addr2line -f -i -C -e "$elf" "$addr" | paste - - |
            while read -r fn where; do printf '        at %s (%s)\n' "$where" "$fn"; done ;;
    esac
done
