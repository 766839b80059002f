#!/bin/sh
# boot-bench.sh - the BIOS boot benchmark (make bench).
#
#   boot-bench.sh IMG RUNS
#
# IMG holds a kernel padded to 8 MiB. For RUNS boots (SeaBIOS, TCG, 128 MiB)
# it measures the wall time from QEMU's start to the kernel's first line
# ("kernel: ...") and prints the median, with the loader's disk read calls
# per 64 KiB loaded, read from the kernel's "loader:" line (the counters
# stage2 keeps in the boot info). Under TCG the absolute times drift with the
# host's load; compare figures taken in one run.
set -eu
img=$1 runs=${2:-5}
dir=$(dirname "$img")/bench-logs
mkdir -p "$dir"
times=""
for i in $(seq 1 "$runs"); do
    log=$dir/boot-$i.log
    t0=$(date +%s%N)
    sh "$(dirname "$0")/../qemu/boot.sh" --img "$img" --log "$log" --timeout 60 \
        --expect '^kernel: ' --settle 0 >/dev/null
    t1=$(date +%s%N)
    times="$times $(( (t1 - t0) / 1000000 ))"
done
median=$(echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
stats=$(tr -d '\r' < "$dir/boot-1.log" | grep -E '^loader: ' | head -n 1 || true)
reads=$(echo "$stats" | sed -nE 's/.* ([0-9]+) disk reads.*/\1/p')
bytes=$(echo "$stats" | sed -nE 's/.* ([0-9]+) bytes.*/\1/p')
echo "bios boot, 8 MiB kernel: QEMU start to first kernel line: median ${median} ms of $runs runs (all:$times)"
if [ -n "$reads" ] && [ -n "$bytes" ]; then
    per64k=$(awk -v r="$reads" -v b="$bytes" 'BEGIN { printf "%.2f", r / (b / 65536) }')
    echo "bios loader: $reads INT 13h read calls for $bytes bytes: $per64k calls per 64 KiB (goal: <= 1)"
else
    echo "bios loader: no 'loader:' line with disk read counts in $dir/boot-1.log"
fi
