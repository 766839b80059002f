#!/bin/sh
# usb-boot-seen.sh - an image booted from a USB stick, which the kernel has
# no driver for (no USB stack yet), found on another controller: the same
# image file is also on q35's AHCI (port 2, snapshot=on: QEMU keeps any
# write in a temporary overlay, the file stays as it is; after the stick in
# the boot order). The kernel must take that disk for its boot device, by
# the identity the loader recorded (disk signature or partition GUID and
# the partition's first block, drivers/block/storage.c), and read it back.
#
#   usb-boot-seen.sh IMG LOG [ktest.sh options...]
#
# Passes when the ktests pass on the copy booted from USB (its boot.cfg has
# the cell's "test" command line, which the AHCI disk's has not: a boot from
# the AHCI disk would run no tests), the log says "[blk] boot device: sda1",
# and what the kernel read of sda matches IMG (tests/qemu/blk-readback.sh).
set -eu
img=$1 log=$2
shift 2
here=$(dirname "$0")
sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" --log-has '^\[blk\] boot device: sda1$' --disk usb --boot-first \
    --qemu "-drive if=none,id=same,format=raw,snapshot=on,file=$img -device ide-hd,drive=same,bus=ide.2" "$@"
sh "$here/blk-readback.sh" "$img" "$log" sda
