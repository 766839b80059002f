#!/bin/sh
# mm-bench.sh BIN - instructions per allocation + free, counted by callgrind
# (deterministic: the same count run after run), for the kernel's frame
# allocator and heap beside glibc's malloc in the same process and pattern
# (tests/bench/mm-bench.c). Goal: kmalloc at most glibc's count for the slab
# sizes (32, 256 and 4096 bytes: every size up to HEAP_MAX_CLASS).
set -eu
bin=$1
dir=$(dirname "$bin")
ROUNDS1=${ROUNDS1:-200} ROUNDS2=${ROUNDS2:-400}
BATCH=64

# instructions of one run (callgrind's total Ir)
ir() {
    valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" "$bin" "$1" "$2" >/dev/null 2>"$dir/callgrind.err"
    sed -n 's/^summary: *//p' "$dir/callgrind.out"
}
per_op() {
    a=$(ir "$1" "$ROUNDS1") b=$(ir "$1" "$ROUNDS2")
    echo $(( (b - a) / ((ROUNDS2 - ROUNDS1) * BATCH) ))
}

echo "Memory, instructions per allocation + free (callgrind, $BATCH live at a time):"
printf '  %-28s %8s %8s %8s\n' "" tessera glibc ratio
for what in frame block2m; do
    printf '  %-28s %8s %8s %8s\n' "pmm $what" "$(per_op $what)" - -
done
for n in 32 256 4096; do
    k=$(per_op kmalloc-$n) g=$(per_op malloc-$n)
    awk -v n=$n -v k=$k -v g=$g 'BEGIN { printf "  %-28s %8d %8d %8.2f%s\n", "kmalloc+kfree " n " B", k, g, k / g,
        (n <= 4096 ? (k <= g ? "  (goal <= 1: met)" : "  (goal <= 1: NOT met)") : "") }'
done
