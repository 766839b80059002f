#!/bin/sh
# pagetables-check.sh - `make pagetables-bios` (docs/walk/pagetables.py in
# gdb) must print the trees the boot really built, as docs/paging.md shows
# them. The expected values come from the boot's own lines, not from the
# script: stage2's "paging: N tables at A, identity and direct map of G GiB"
# and the kernel's "[vmm] own page tables at P".
#   stage2's tree: CR3 = A, N tables counted, PML4[256] sharing PML4[0]'s
#     PDPT, one run of G*512 2 MiB pages from 0, RWX; the kernel's text R-X
#     and its data RW- (NX seen through the levels);
#   the kernel's tree: CR3 = P, no PML4[0] (the identity map is gone), the
#     text R-X global, the boot stack's guard page left out.
set -u
img=$1 build=$2 out=$3
sh docs/walk/pagetables-bios.sh "$img" "$build" "$out" || exit 1
fail() { cat "$out"; echo "pagetables-check: $*"; exit 1; }
line=$(grep '^stage2: paging: ' "$out") || fail "no stage2 paging line"
n=$(echo "$line" | sed -n 's/^stage2: paging: \([0-9]*\) tables at 0x\([0-9a-f]*\), identity and direct map of \([0-9]*\) GiB.*/\1/p')
a=$(echo "$line" | sed -n 's/^stage2: paging: [0-9]* tables at 0x0*\([0-9a-f]*\),.*/\1/p')
g=$(echo "$line" | sed -n 's/.*direct map of \([0-9]*\) GiB.*/\1/p')
p=$(sed -n 's/^\[vmm\] own page tables at 0x\([0-9a-f]*\):.*/\1/p' "$out")
[ -n "$n" ] && [ -n "$a" ] && [ -n "$g" ] && [ -n "$p" ] || fail "cannot read the paging or [vmm] line"
# the two trees, split at the "== stop:" lines
awk '/^== stop: the kernel.s entry/{t=1} /^== stop: kmain/{t=2} /^== serial/{t=0} t==1' "$out" > "$out.loader"
awk '/^== stop: kmain/{t=1} /^== serial/{t=0} t==1' "$out" > "$out.kernel"
has() { grep -q -- "$2" "$1" || fail "$(basename "$1"): no line matching '$2'"; }
end=$(printf '%016x' $(( g * 1024 * 1024 * 1024 - 1 )))
has "$out.loader" "^CR3 0x$a: PML4 at 0x$a\$"
has "$out.loader" "^tables: .* = $n ("
has "$out.loader" "^PML4\[256\] .* the table of PML4\[0\] (shown above)\$"
has "$out.loader" "^    0000000000000000-$end -> 0x0  $(( g * 512 )) x 2M  RWX WB\$"
has "$out.loader" "^      ffffffff80000000-[0-9a-f]* -> 0x200000  [0-9]* x 4K  R-X WB\$"
has "$out.loader" "  RW- WB\$"
has "$out.kernel" "^CR3 0x$p: PML4 at 0x$p\$"
grep -q '^PML4\[0\] ' "$out.kernel" && fail "the kernel's tree still has PML4[0]"
has "$out.kernel" "^      ffffffff80000000-[0-9a-f]* -> 0x200000  [0-9]* x 4K  R-X global WB\$"
guard=$(nm "$build/kernel.elf" | awk '$3 == "__boot_stack_guard" {print $1}')
grep -q "^ *$guard-" "$out.kernel" && fail "the boot stack's guard page $guard is mapped"
hi=${guard%????????} lo=${guard#????????}     # sh arithmetic is signed 64-bit: halves
has "$out.kernel" "-$hi$(printf '%08x' $(( 0x$lo - 1 ))) -> "
rm -f "$out.loader" "$out.kernel"
echo "ok: stage2's tree ($n tables at 0x$a, $g GiB) and the kernel's (0x$p) as the boot built them"
