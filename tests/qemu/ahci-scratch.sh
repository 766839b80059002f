#!/bin/sh
# ahci-scratch.sh - writes through the AHCI driver, checked on the host: a
# scratch disk (8 MiB, "TESSERA-SCRATCH" in block 0, the only kind of disk
# the kernel writes) on port 1 of q35's own AHCI controller (sdb, beside
# the boot image's sda), written by the block layer's ktest
# blk_scratch_write from several threads on several CPUs at once (NCQ:
# many commands in flight) and flushed; after QEMU exits
# tests/qemu/blk-scratch-check.sh checks every block of the file.
#
#   ahci-scratch.sh IMG LOG [ktest.sh options...]
set -eu
img=$1 log=$2
shift 2
here=$(dirname "$0")
scratch=$log.scratch
mkdir -p "$(dirname "$log")"
rm -f "$scratch"
truncate -s 8M "$scratch"
printf 'TESSERA-SCRATCH' | dd of="$scratch" conv=notrunc status=none
sh "$here/ktest.sh" "$img" "$log" --only "@boot,@disk" --scratch \
    --qemu "-drive file=$scratch,if=none,id=s,format=raw -device ide-hd,drive=s,bus=ide.1" \
    --machine q35 --disk ahci "$@"
sh "$here/blk-scratch-check.sh" "$scratch" "$log"
rm -f "$scratch"
