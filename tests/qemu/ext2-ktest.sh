#!/bin/sh
# ext2-ktest.sh IMG LOG [ktest.sh options] - ext2 in the kernel: IMG
# (build/bios-ext2.img, tests/build.mk) carries two volumes made by mke2fs -d
# as module= files, which the kernel registers as RAM disks; the ext2_*
# ktests (kernel/test/test_ext2.c) mount them through the VFS, read the
# first byte for byte and write, remount and read back the second, and try
# three damaged volumes (ram2 refused, ram3 read-only, ram4 with a bad
# directory). It runs the hand-off's and the file systems' ktests
# (@boot,@fs). The cell passes when every ktest passes (none of the ext2
# ones skipped: their disks are there), each damaged volume got its one
# log line and the good ones none.
set -u
img=$1 log=$2
shift 2
dir=$(dirname "$0")
sh "$dir/ktest.sh" "$img" "$log" --only @boot,@fs \
    --log-has '^\[blk\] ram0: [0-9]+ sectors of 512 bytes, /boot/ext2-1k\.img \(ramdisk\)$' \
    --log-has '^\[blk\] ram1: [0-9]+ sectors of 512 bytes, /boot/ext2-4k\.img \(ramdisk\)$' \
    --log-has '^ktest: PASS ext2_read_image$' --log-has '^ktest: PASS ext2_write_image$' \
    --log-has '^ktest: PASS ext2_corrupt_volumes$' --log-has '^ktest: PASS ext2_write_order$' \
    --log-has '^\[ext2\] ram2: not mounted: incompatible features not supported, mask 40$' \
    --log-has '^\[ext2\] ram3: mounted read-only: read-only-compatible features not supported, mask 400$' \
    --log-has '^\[ext2\] ram4: directory inode 2: bad entry at byte 0 of a block$' "$@" || exit 1
# Only the damaged volumes get lines: the good ones mount without a word.
if grep '^\[ext2\] ' "$log" | grep -qv '^\[ext2\] ram[234]: '; then
    echo "ext2-ktest.sh: a good volume was logged:"; grep '^\[ext2\]' "$log"; exit 1
fi
