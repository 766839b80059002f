#!/bin/sh
# blk-ramdisk.sh IMG LOG [ktest.sh options] - the block layer on RAM disks
# from boot modules, before any disk driver: IMG (build/bios-blk.img or
# uefi-blk.img, tests/build.mk) carries /boot/disk-mbr.img, disk-gpt.img and
# scratch.img and gpt-bad.img (disk-gpt.img with its primary GPT
# header damaged) as module= files, which the kernel registers as ram0, ram1,
# ram2 and ram3 (drivers/block/storage.c). The cell passes when
#   - every ktest passes (tests/qemu/ktest.sh, with the scratch disk: the
#     blk_ ktests must run, none may skip),
#   - the partitions are named as Linux names them (ram0p1, ram0p5, ...),
#   - the damaged GPT is reported and its backup used,
#   - blk-readback.sh finds the kernel's CRCs of ram0, ram1 and ram3 and of
#     each of their partitions equal to the host's over the module files.
# (The scratch writes go to the module's memory, which QEMU never writes
# back: blk_scratch_write's own read-back checks them here; a driver's cell
# checks the file with blk-scratch-check.sh.)
set -u
img=$1 log=$2
shift 2
dir=$(dirname "$0") blk=${BUILD:-build}/tests/blk
sh "$dir/ktest.sh" "$img" "$log" --as-is --scratch \
    --log-has '^\[blk\] ram0: 8192 sectors of 512 bytes, /boot/disk-mbr.img \(ramdisk\)$' \
    --log-has '^\[blk\] ram0p5: 1024 sectors of 512 bytes, ' \
    --log-has '^\[blk\] ram1p3: 2048 sectors of 512 bytes, ' \
    --log-has '^blk: scratch ram2 blocks 1\.\.511 seed ' \
    --log-has '^\[blk\] ram3: GPT: the primary header is damaged \(header CRC\): using the backup at block 8191$' \
    --log-has '^\[blk\] ram3: GPT \(the backup\), 2 partitions$' "$@" || exit 1
sh "$dir/blk-readback.sh" "$blk/disk-mbr.img" "$log" ram0 || exit 1
sh "$dir/blk-readback.sh" "$blk/disk-gpt.img" "$log" ram1 || exit 1
sh "$dir/blk-readback.sh" "$blk/gpt-bad.img" "$log" ram3 || exit 1
