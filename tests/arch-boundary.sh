#!/bin/sh
# arch-boundary.sh [ROOT] - the architecture boundary, checked (docs/memory.md,
# "The architecture boundary"): generic code includes kernel/arch.h and the
# small interface headers kernel/arch/*.h (cpu_local.h, sched_arch.h,
# mmu_arch.h), never kernel/arch/x86_64/* itself. Only kernel/arch/ and the
# x86-only drivers in drivers/x86/ may include "arch/x86_64/...".
#
# Every C, header and NASM file under ROOT (default .; build/ left out) is
# scanned; a file outside those two places that includes arch/x86_64/ fails
# the check, unless it is in ALLOWED below, each entry with its reason.
# An entry that no longer includes anything is reported, so the list only
# shrinks. Exit 0 when the boundary holds, 1 with each offending line.
set -eu
root=${1:-.}

# path (from ROOT)            reason it may include arch/x86_64/ headers
ALLOWED="
kernel/arch.h                 the boundary itself: the one header that brings x86_64's primitives to generic code
bootloader-uefi/console.c     the UEFI loader is an x86_64 program: port I/O and the TSC from cpu.h, shared with the kernel
bootloader-uefi/exit.c        the same: arch_halt_forever from cpu.h
kernel/main.c                 the boot outline loads the x86 descriptor tables, FPU and APs (gdt, idt, fpu, smp): to go behind an arch_init call
drivers/apic/irq.c            x86 interrupt routing (IOAPIC and 8259 lines, IDT vectors): an x86-only driver, to move to drivers/x86/
kernel/test/                  the self tests of x86_64 itself (exceptions, PTE bits, IST stacks, the TSS, the FPU): they test the arch
"

allowed() {
    printf '%s\n' "$ALLOWED" | while read -r path _; do
        [ -n "$path" ] || continue
        case $1 in "$path"*) echo yes; break ;; esac
    done
}

bad=0
hits=$(cd "$root" && find . -path ./build -prune -o -path ./.git -prune -o \
       \( -name '*.c' -o -name '*.h' -o -name '*.asm' -o -name '*.inc' \) -type f -print |
       sed 's|^\./||' | sort | xargs grep -nE '^[[:space:]]*[#%][[:space:]]*include[[:space:]]*[<"]arch/x86_64/' || true)
for f in $(printf '%s\n' "$hits" | cut -d: -f1 | sort -u); do
    case $f in kernel/arch/*|drivers/x86/*) continue ;; esac
    [ -n "$(allowed "$f")" ] && continue
    printf '%s\n' "$hits" | grep "^$f:" | sed 's/^/arch-boundary: generic code includes an x86_64 header: /'
    bad=1
done
printf '%s\n' "$ALLOWED" | while read -r path _; do
    [ -n "$path" ] || continue
    printf '%s\n' "$hits" | grep -q "^$path" ||
        echo "arch-boundary: note: $path is allowed but includes no x86_64 header now: take it off the list"
done
if [ $bad -ne 0 ]; then
    echo "arch-boundary: FAIL: include kernel/arch.h or an interface header kernel/arch/*.h instead (docs/memory.md)"
    exit 1
fi
echo "arch-boundary: OK: $(printf '%s\n' "$hits" | grep -c . || true) x86_64 includes, all inside kernel/arch/, drivers/x86/ or allowed"
