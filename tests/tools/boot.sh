#!/bin/sh
# boot.sh - Tessera's tools (user/tools/, docs/tools.md) on a booted image:
#
#   boot.sh IMG LOG [tests/qemu/boot.sh options...]
#
# A copy of IMG with tests/tools/tools.sh put on its boot partition,
# booted with `init=/bin/sh initexit -- /boot/boot/tools.sh`: busybox's sh
# runs each tool once. tests/tools/check-boot.py then holds each tool's
# output against what the same serial log says in the kernel's own lines
# (the bootinfo line, the timeline rows, the [pci] and [blk] lines, the
# memory the allocator manages) and against IMG itself (the disk's and the
# partitions' sizes). Exit 0 when every check holds and sh exited 0.
set -u
img=$1 log=$2
shift 2
here=$(dirname "$0")

sh "$here/../qemu/boot-script.sh" "$img" "$log" "$here/tools.sh" /bin/sh "$@"
rc=$?
[ $rc -eq 33 ] || { echo "tools/boot.sh: QEMU exited $rc, not 33 (the script's exit status 0)"; exit 1; }
python3 "$here/check-boot.py" "$log" "$img"
