#!/bin/sh
# mm-bench.sh BIN IMG - the kernel's allocators as the kernel runs them,
# against glibc's malloc (part of make bench).
#
#   - ours: IMG (a BIOS image) booted with "bench=mm" under
#     -icount shift=0,sleep=off, q35, 2 CPUs, 256 MiB: the guest TSC counts
#     guest instructions, so kernel/test/bench_mm.c's tsc_per_op is the
#     exact instruction count of one allocation + free with the kernel's
#     locks and per-CPU caches (64 live at a time), on one CPU and with a
#     second CPU doing the same at once (_2cpu);
#   - anchor: glibc's malloc + free of the same size in the same pattern,
#     counted by callgrind on this host in the same run (BIN,
#     tests/bench/mm-bench.c; deterministic: two round counts, the
#     difference over the difference in operations). A frame stands beside
#     glibc's malloc(4096): a page from each.
# One row per figure: bench: NAME ours=N anchor=N ratio=R goal=G met|missed
# (goal: at most glibc's count). pmm block2m is the host count of the
# 2 MiB block path (no anchor).
set -eu
bin=$1 img=$2
dir=$(dirname "$bin")
here=$(dirname "$0")
ROUNDS1=${ROUNDS1:-200} ROUNDS2=${ROUNDS2:-400}
BATCH=64

# instructions of one host run (callgrind's total Ir)
ir() {
    valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" "$bin" "$1" "$2" >/dev/null 2>"$dir/callgrind.err"
    sed -n 's/^summary: *//p' "$dir/callgrind.out"
}
per_op() {
    a=$(ir "$1" "$ROUNDS1") b=$(ir "$1" "$ROUNDS2")
    echo $(( (b - a) / ((ROUNDS2 - ROUNDS1) * BATCH) ))
}

log=$dir/mm-icount.log
rc=0
sh "$here/../qemu/boot.sh" --img "$img" --log "$log" --cmdline "bench=mm" \
    --machine q35 --mem 256 --smp 2 --timeout 300 --icount || rc=$?
[ "$rc" -eq 33 ] || { echo "mm-bench: QEMU exited $rc (expected 33); see $log"; tail -n 20 "$log"; exit 1; }
# ours NAME: tsc_per_op of NAME's bench: line
ours() {
    tr -d '\r' < "$log" | sed -nE "s/^bench: $1 tsc_per_op=([0-9]+).*/\1/p"
}
row() {
    awk -v name="$1" -v k="$2" -v g="$3" 'BEGIN {
        if (k == "") { printf "bench: %s not measured (see the log)\n", name; exit }
        printf "bench: %s ours=%d anchor=%d ratio=%.2f goal=1.0 %s\n", name, k, g, k / g, k <= g ? "met" : "missed" }'
}

g32=$(per_op malloc-32) g256=$(per_op malloc-256) g4096=$(per_op malloc-4096)
echo "Memory: instructions per allocation + free, 64 live at a time (kernel: bench=mm under -icount, q35, 2 CPUs;"
echo "  anchor: glibc malloc + free under callgrind on this host; frame against malloc(4096))"
for cpus in "" _2cpu; do
    row kmalloc_32$cpus "$(ours kmalloc_32$cpus)" "$g32"
    row kmalloc_256$cpus "$(ours kmalloc_256$cpus)" "$g256"
    row kmalloc_4096$cpus "$(ours kmalloc_4096$cpus)" "$g4096"
    row frame$cpus "$(ours frame$cpus)" "$g4096"
done
echo "bench: pmm_block2m_host ours=$(per_op block2m)"
