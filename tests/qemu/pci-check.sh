#!/bin/sh
# pci-check.sh - the kernel's [pci] lines against QEMU's own list of the
# machine's PCI functions (expected values from outside the kernel).
#
#   pci-check.sh IMG LOG [boot.sh options...]
#
# Boots IMG as it is (no "test": the pci phase runs at every boot) with a
# QMP socket beside LOG, waits for "kernel: nothing more to do", then asks
# QEMU for query-pci (the answer `info pci` prints; tests/qemu/pci-query.py)
# and compares, function by function, bus:device.function, vendor:device
# and class.subclass (QEMU does not report the programming interface). Any
# function one side has and the other lacks fails, as does a boot with no
# [pci] line or no answer from QEMU.
set -u
img=$1 log=$2
shift 2
here=$(dirname "$0")
sock="$log.qmp"
extra=""
prev=""
for a in "$@"; do
    [ "$prev" = --qemu ] && extra=$a
    prev=$a
done
rm -f "$sock" "$log.qemu" "$log.kernel"
fail() { echo "pci-check.sh: $*"; tail -n 20 "$log" 2>/dev/null; exit 1; }

# boot.sh takes the last --qemu it is given: ours carries the cell's own extra arguments.
sh "$here/boot.sh" --img "$img" --log "$log" --expect '^kernel: nothing more to do' --settle 10 "$@" \
    --qemu "-qmp unix:$sock,server=on,wait=off $extra" &
bpid=$!
i=0
until grep -q '^kernel: nothing more to do' "$log" 2>/dev/null; do
    kill -0 $bpid 2>/dev/null || fail "QEMU ended before the kernel's last line"
    i=$((i + 1))
    [ $i -lt 1200 ] || fail "no 'kernel: nothing more to do' line in 120 s"
    sleep 0.1
done
python3 "$here/pci-query.py" "$sock" > "$log.qemu"
qrc=$?
wait $bpid
rm -f "$sock"
[ $qrc -eq 0 ] && [ -s "$log.qemu" ] || fail "no answer to query-pci"
tr -d '\r' < "$log" | sed -nE 's/^\[pci\] ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7] [0-9a-f]{4}:[0-9a-f]{4} class [0-9a-f]{2}\.[0-9a-f]{2})\.[0-9a-f]{2} .+$/\1/p' |
    sort > "$log.kernel"
[ -s "$log.kernel" ] || fail "no [pci] BB:DD.F VVVV:DDDD class CC.SS.PP DRIVER line"
if ! diff "$log.qemu" "$log.kernel" > "$log.diff"; then
    echo "pci-check.sh: < QEMU's query-pci, > the kernel's [pci] lines:"
    cat "$log.diff"
    exit 1
fi
echo "ok: $(wc -l < "$log.kernel") functions match QEMU's query-pci"
