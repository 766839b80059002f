#!/bin/sh
# image-check.sh IMG FATBITS ROOT - check a BIOS image the way a user's tools would:
# the partition table (sfdisk), the boot signature, the disk signature (one
# of the image's own: not 0, not the constant every image once had, intact
# after stage1 was written: still the FAT volume id mkimage-bios.sh gave the
# same number), and the file system (fsck.fat -n on the partition, which
# starts at LBA 2048), and that the boot files are where the loaders look;
# then partition 2, the ext2 root, against the staged tree ROOT (build/root),
# and the initramfs on the boot partition (tests/image-check-root.sh).
set -eu
img=$1 fat=$2 root=$3
fail() { echo "image-check: $img: $*"; exit 1; }
. "$(dirname "$0")/image-check-root.sh"

dump=$(sfdisk -d "$img")
echo "$dump"
echo "$dump" | grep -Eq 'start= *2048, size= *[0-9]+, type=(c|e), bootable' ||
    fail "partition 1 is not an active FAT partition at LBA 2048"
[ "$(echo "$dump" | grep -c 'start=')" -eq 2 ] || fail "expected two partitions: boot and root"
sig=$(od -An -tx1 -j510 -N2 "$img" | tr -d ' ')
[ "$sig" = 55aa ] || fail "no 55AA boot signature (found $sig)"
disk_id=$(od -An -tx4 -j440 -N4 "$img" | tr -d ' ')
label_id=$(echo "$dump" | sed -nE 's/^label-id: 0x([0-9a-f]+)$/\1/p')
[ "$disk_id" = "$label_id" ] || fail "disk signature at 440 is $disk_id, sfdisk says $label_id"
[ "$disk_id" != 00000000 ] || fail "no disk signature (0)"
[ "$disk_id" != 7e55e4a0 ] || fail "disk signature is the old constant 7e55e4a0, not one of its own"
case $fat in 32) volid_at=67 ;; *) volid_at=39 ;; esac     # BS_VolID (FAT specification)
vol_id=$(od -An -tx4 -j$(( 2048 * 512 + volid_at )) -N4 "$img" | tr -d ' ')
[ "$disk_id" = "$vol_id" ] || fail "disk signature $disk_id overwritten: the FAT volume id says $vol_id"

part=$(mktemp)
trap 'rm -f "$part"' EXIT
root_line=$(echo "$dump" | grep -E '^[^ ]+2 : ') || fail "no partition 2"
echo "$root_line" | grep -Eq 'type=83$' || fail "partition 2 is not of type 0x83 (Linux): $root_line"
root_start=$(echo "$root_line" | sed -nE 's/.*start= *([0-9]+),.*/\1/p')
root_size=$(echo "$root_line" | sed -nE 's/.*size= *([0-9]+),.*/\1/p')
fat_size=$(echo "$dump" | sed -nE 's/^[^ ]+1 : start= *2048, size= *([0-9]+),.*/\1/p')
[ "$root_start" -ge $(( 2048 + fat_size )) ] || fail "partition 2 overlaps partition 1"
dd if="$img" of="$part" bs=512 skip=2048 count="$fat_size" status=none
fsck.fat -n "$part" || fail "fsck.fat -n found problems"
fsck.fat -n -v "$part" | grep -q "$fat bit entries" || fail "not FAT$fat"
MTOOLS_SKIP_CHECK=1 mdir -i "$part" ::/boot | tee /dev/stderr | grep -qi 'kernel *elf' ||
    fail "no /boot/kernel.elf"
MTOOLS_SKIP_CHECK=1 mdir -i "$part" ::/boot | grep -qi 'boot *cfg' || fail "no /boot/boot.cfg"
check_initramfs "$part" "$root"
check_root_fs "$img" "$root_start" "$root_size" "$root"
echo "ok: $img"
