#!/bin/sh
# term-bench.sh - the screen console's costs (part of make bench).
#
#   term-bench.sh IMG [RUNS]
#
# Boots IMG (a BIOS image whose boot.cfg sets video=1024x768x32; its cmdline
# is replaced by "bench=term") under SeaBIOS on q35, 1 CPU, 256 MiB. The
# kernel (kernel/test/bench_term.c, bench_keyecho.c) runs an emulator of the
# screen's size (128x48 cells of the 8x16 font) on the framebuffer renderer
# and prints "bench: NAME tsc_per_op=N ns_per_op=M" for
#   term_draw_screen   a full screen of text drawn (6,144 cells)
#   term_scroll_line   the full 1024x768 screen scrolled by one line
#   term_cat_line      a line of 128 characters written to tty1 (tty_write:
#                      output processing, the emulator, the scroll)
#   key_echo           a letter typed through the 8042 (IRQ 1) to its
#                      echoed glyph drawn on tty1
# once with -icount shift=0,sleep=off (N is then exact guest instructions)
# and RUNS times (default 3) under plain TCG (wall time on this host, the
# median of the runs).
#
# The anchor: tests/bench/anchors/linux-fbcon.sh boots Linux 6.1 (Debian's
# kernel from /boot) in the same QEMU with vesafb at 1024x768x32 and fbcon,
# under -icount, and measures the same four through /dev/tty1 (write() of
# the page, of "\n" on the last row, `cat` of a file of 128-character
# lines, and a key typed through the 8042 timed by kprobe events). It skips
# with a message when the kernel image is missing.
# Rows: NAME-insns with anchor= ratio= goal=0.5 when Linux was measured,
# NAME-ns without a goal.
set -eu
img=$1 runs=${2:-3}
here=$(dirname "$0")
out=$(dirname "$img")/bench-term
mkdir -p "$out"
ops="term_draw_screen term_scroll_line term_cat_line key_echo"

guest_name=term-bench guest_cmdline="bench=term"
guest_opts="--machine q35 --mem 256 --smp 1 --timeout 120"
. "$here/guest.sh"
. "$here/median.sh"
. "$here/row.sh"

guest_runs
sh "$here/anchors/linux-fbcon.sh" "$out/linux" --icount > "$out/linux.txt" || true
grep -v '^anchor: ' "$out/linux.txt" || true
# anchor_field OP: Linux's instructions for OP, or nothing.
anchor_field() {
    sed -nE "s/^anchor: $1 .*tsc_per_op=([0-9]+).*/\1/p" "$out/linux.txt"
}
echo "The screen console (bench=term; SeaBIOS, q35, 1 CPU, TCG; $(tr -d '\r' < "$out/icount.log" | sed -n 's/^bench: term screen //p')):"
printf '  %-20s %16s %14s %16s\n' operation "insns (icount)" "wall ns (TCG)" "Linux insns"
rows=""
for op in $ops; do
    insns=$(guest_field "$out/icount.log" $op tsc_per_op)
    walls=""
    for i in $(seq 1 "$runs"); do
        walls="$walls $(guest_field "$out/plain-$i.log" $op ns_per_op)"
    done
    wall=$(echo "$walls" | median)
    linux=$(anchor_field $op)
    printf '  %-20s %16s %14s %16s\n' "$op" "${insns:--}" "$wall" "${linux:--}"
    rows="$rows $op:${insns:--}:$wall:${linux:--}"
done
echo "  (Linux: 6.1 in the same QEMU, vesafb 1024x768x32 + fbcon, through /dev/tty1; tests/bench/anchors/linux-fbcon.sh)"
sed -nE 's/^anchor: key_echo .*raw=([0-9]+) probes=([0-9]+) samples=([0-9]+).*/  (Linux key_echo: i8042_interrupt to fbcon_putcs \1 less the kprobes\x27 own \2, median of \3 keys)/p' "$out/linux.txt"
for r in $rows; do
    op=${r%%:*} rest=${r#*:}
    insns=${rest%%:*} rest=${rest#*:}
    wall=${rest%%:*} linux=${rest#*:}
    if [ "$linux" != - ]; then
        bench_row "$op-insns" "$insns" "$linux" 0.5
    else
        bench_row "$op-insns" "$insns"
    fi
    bench_row "$op-ns" "$wall"
done
