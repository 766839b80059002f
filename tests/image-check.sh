#!/bin/sh
# image-check.sh IMG FATBITS - check a BIOS image the way a user's tools would:
# the partition table (sfdisk), the boot signature, and the file system
# (fsck.fat -n on the partition, which starts at LBA 2048), and that the
# boot files are where the loaders look for them.
set -eu
img=$1 fat=$2
fail() { echo "image-check: $img: $*"; exit 1; }

dump=$(sfdisk -d "$img")
echo "$dump"
echo "$dump" | grep -Eq 'start= *2048, size= *[0-9]+, type=(c|e), bootable' ||
    fail "partition 1 is not an active FAT partition at LBA 2048"
[ "$(echo "$dump" | grep -c 'start=')" -eq 1 ] || fail "expected exactly one partition"
sig=$(od -An -tx1 -j510 -N2 "$img" | tr -d ' ')
[ "$sig" = 55aa ] || fail "no 55AA boot signature (found $sig)"
disk_id=$(od -An -tx4 -j440 -N4 "$img" | tr -d ' ')
[ "$disk_id" = 7e55e4a0 ] || fail "disk signature at 440 overwritten (found $disk_id)"

part=$(mktemp)
trap 'rm -f "$part"' EXIT
dd if="$img" of="$part" bs=512 skip=2048 status=none
fsck.fat -n "$part" || fail "fsck.fat -n found problems"
fsck.fat -n -v "$part" | grep -q "$fat bit entries" || fail "not FAT$fat"
MTOOLS_SKIP_CHECK=1 mdir -i "$part" ::/boot | tee /dev/stderr | grep -qi 'kernel *elf' ||
    fail "no /boot/kernel.elf"
MTOOLS_SKIP_CHECK=1 mdir -i "$part" ::/boot | grep -qi 'boot *cfg' || fail "no /boot/boot.cfg"
echo "ok: $img"
