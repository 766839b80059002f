#!/bin/sh
# boot-bench.sh - the BIOS boot benchmark (part of make bench).
#
#   boot-bench.sh IMG [RUNS] [GRUB_DIR]
#
# IMG holds a kernel padded to 8 MiB and cmdline "bench=boot": the kernel
# leaves QEMU as soon as it has checked the boot info. Reported:
#   - wall time from QEMU's start to its exit (SeaBIOS, TCG, 256 MiB), the
#     median of RUNS boots;
#   - with GRUB_DIR (the GRUB anchor's images, ../shared/anchors/grub), the
#     same for SeaBIOS + GRUB 2.06 loading an 8 MiB multiboot2 kernel
#     (g.img) and for a bare MBR that exits at once (bare.img: firmware time
#     alone), run alternately with ours, since absolute TCG times drift;
#   - the loader's INT 13h read calls per 64 KiB loaded (goal: at most 1),
#     from the kernel's "loader:" line in a full boot.
set -eu
img=$1 runs=${2:-5} grub=${3:-}
here=$(dirname "$0")
out=$(dirname "$img")
QEMU="qemu-system-x86_64 -accel tcg -machine pc -m 256 -nic none -no-reboot -display none -monitor none
      -device isa-debug-exit,iobase=0xf4,iosize=0x04"

# ms from QEMU start to exit, booting $1 (a snapshot: the image is not written).
boot_ms() {
    t0=$(date +%s%N)
    $QEMU -serial "file:$out/bench-serial.log" -drive format=raw,snapshot=on,file="$1" </dev/null || true
    echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ours="" theirs="" bare=""
for i in $(seq 1 "$runs"); do
    ours="$ours $(boot_ms "$img")"
    grep -q '^kernel: ' "$out/bench-serial.log" || { echo "boot-bench: no kernel line"; exit 1; }
    if [ -n "$grub" ]; then
        theirs="$theirs $(boot_ms "$grub/g.img")"
        bare="$bare $(boot_ms "$grub/bare.img")"
    fi
done
m_ours=$(echo "$ours" | median)
echo "bios boot, 8 MiB kernel, QEMU start to kernel: median ${m_ours} ms of $runs ($ours )"
if [ -n "$grub" ]; then
    m_grub=$(echo "$theirs" | median) m_bare=$(echo "$bare" | median)
    echo "  SeaBIOS + GRUB 2.06, 8 MiB kernel:        median ${m_grub} ms ($theirs )"
    echo "  bare MBR (firmware alone):                median ${m_bare} ms ($bare )"
    awk -v o="$m_ours" -v g="$m_grub" -v b="$m_bare" 'BEGIN {
        printf "  above firmware: tessera %d ms, grub %d ms: ratio %.2f (goal <= 0.50)\n",
               o - b, g - b, (g - b > 0) ? (o - b) / (g - b) : 0 }'
fi

# The read-call count, from a full boot of the same image.
sh "$here/../qemu/boot.sh" --img "$img" --log "$out/bench-full.log" --cmdline "loglevel=info" \
    --mem 256 --expect '^loader: ' --settle 0 >/dev/null
stats=$(tr -d '\r' < "$out/bench-full.log" | grep -E '^loader: ')
reads=$(echo "$stats" | sed -nE 's/^loader: ([0-9]+) disk reads.*/\1/p')
bytes=$(echo "$stats" | sed -nE 's/.* ([0-9]+) bytes read.*/\1/p')
awk -v r="$reads" -v b="$bytes" 'BEGIN {
    printf "bios loader: %d INT 13h read calls for %d bytes: %.2f per 64 KiB (goal <= 1)\n",
           r, b, r / (b / 65536) }'
