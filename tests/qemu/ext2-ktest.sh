#!/bin/sh
# ext2-ktest.sh IMG LOG [ktest.sh options] - ext2 in the kernel: IMG
# (build/bios-ext2.img, tests/build.mk) carries two volumes made by mke2fs -d
# as module= files, which the kernel registers as RAM disks; the ext2_*
# ktests (kernel/test/test_ext2.c) mount them through the VFS, read the
# first byte for byte and write, remount and read back the second. The cell
# passes when every ktest passes (none of the ext2 ones skipped: their
# disks are there) and neither volume was refused.
set -u
img=$1 log=$2
shift 2
dir=$(dirname "$0")
sh "$dir/ktest.sh" "$img" "$log" --as-is \
    --log-has '^\[blk\] ram0: [0-9]+ sectors of 512 bytes, /boot/ext2-1k\.img \(ramdisk\)$' \
    --log-has '^\[blk\] ram1: [0-9]+ sectors of 512 bytes, /boot/ext2-4k\.img \(ramdisk\)$' \
    --log-has '^ktest: PASS ext2_read_image$' --log-has '^ktest: PASS ext2_write_image$' "$@" || exit 1
if grep -q '^\[ext2\] .*not mounted' "$log"; then
    echo "ext2-ktest.sh: a volume was refused:"; grep '^\[ext2\]' "$log"; exit 1
fi
