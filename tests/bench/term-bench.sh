#!/bin/sh
# term-bench.sh - the screen console's costs (part of make bench).
#
#   term-bench.sh IMG [RUNS]
#
# Boots IMG (a BIOS image whose boot.cfg sets video=1024x768x32; its cmdline
# is replaced by "bench=term") under SeaBIOS on q35, 1 CPU, 256 MiB. The
# kernel (kernel/test/bench_term.c) runs an emulator of the screen's size
# (128x48 cells of the 8x16 font) on the framebuffer renderer and prints
# "bench: NAME tsc_per_op=N ns_per_op=M" for
#   term_draw_screen   a full screen of text drawn (6,144 cells)
#   term_scroll_line   the full 1024x768 screen scrolled by one line
# once with -icount shift=0,sleep=off (N is then exact guest instructions)
# and RUNS times (default 3) under plain TCG (wall time on this host, the
# median of the runs). No anchor yet: Linux's fbcon under the same QEMU
# (`cat` of a large file to tty1) is the one to add (docs/vt.md).
# Rows: NAME-insns and NAME-ns, without a goal.
set -eu
img=$1 runs=${2:-3}
here=$(dirname "$0")
out=$(dirname "$img")/bench-term
mkdir -p "$out"
ops="term_draw_screen term_scroll_line key_echo"

guest_name=term-bench guest_cmdline="bench=term"
guest_opts="--machine q35 --mem 256 --smp 1 --timeout 120"
. "$here/guest.sh"
. "$here/median.sh"
. "$here/row.sh"

guest_runs
echo "The screen console (bench=term; SeaBIOS, q35, 1 CPU, TCG; $(tr -d '\r' < "$out/icount.log" | sed -n 's/^bench: term screen //p')):"
printf '  %-20s %16s %14s\n' operation "insns (icount)" "wall ns (TCG)"
rows=""
for op in $ops; do
    insns=$(guest_field "$out/icount.log" $op tsc_per_op)
    walls=""
    for i in $(seq 1 "$runs"); do
        walls="$walls $(guest_field "$out/plain-$i.log" $op ns_per_op)"
    done
    wall=$(echo "$walls" | median)
    printf '  %-20s %16s %14s\n' "$op" "${insns:--}" "$wall"
    rows="$rows $op:${insns:--}:$wall"
done
echo "  (Linux fbcon anchor: not measured yet)"
for r in $rows; do
    op=${r%%:*} rest=${r#*:}
    bench_row "$op-insns" "${rest%%:*}"
    bench_row "$op-ns" "${rest#*:}"
done
