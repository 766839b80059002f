#!/bin/sh
# image-check-gpt.sh IMG ROOT [STAGE1 STAGE2] - check a GPT image (uefi.img, or the
# hybrid tessera.img when the stages are given) the way a user's tools would:
# sgdisk -v on the partition table, GUIDs of the image's own (the disk's and
# each partition's: all different, none the constant every image once had),
# the protective MBR, fsck.fat -n on the
# EFI System Partition (LBA 2048), the files both loaders look for, and for
# the hybrid: stage1 in the MBR with stage2's LBA, stage2 in its BIOS boot
# partition (entry 3), byte for byte; then partition 2, the ext2 root (type
# 8300), against the staged tree ROOT (build/root), and the initramfs on the
# ESP (tests/image-check-root.sh).
set -eu
img=$1 root=$2 stage1=${3:-} stage2=${4:-}
fail() { echo "image-check-gpt: $img: $*"; exit 1; }
. "$(dirname "$0")/image-check-root.sh"

verify=$(sgdisk -v "$img")
echo "$verify"
echo "$verify" | grep -q 'No problems found' || fail "sgdisk -v found problems"
table=$(sgdisk -p "$img")
echo "$table"
echo "$table" | grep -Eq '^ +1 +2048 +[0-9]+ .* EF00 ' || fail "partition 1 is not an ESP (EF00) at LBA 2048"
guids=$(echo "$table" | sed -nE 's/^Disk identifier \(GUID\): (.*)$/\1/p')
for n in 1 2 3; do
    [ $n != 3 ] || [ -n "$stage1" ] || continue
    guids="$guids
$(sgdisk -i $n "$img" | sed -nE 's/^Partition unique GUID: (.*)$/\1/p')"
done
echo "GUIDs:" $guids
[ "$(echo "$guids" | grep -c .)" -eq "$( [ -n "$stage1" ] && echo 4 || echo 3)" ] || fail "a GUID is missing: $guids"
[ "$(echo "$guids" | sort -u | wc -l)" -eq "$(echo "$guids" | wc -l)" ] || fail "two GUIDs are the same: $guids"
echo "$guids" | grep -qi '^5E55E4A0-0000-4000-8000-7E55E4A0000' && fail "a GUID is an old constant, not one of its own: $guids"
sig=$(od -An -tx1 -j510 -N2 "$img" | tr -d ' ')
[ "$sig" = 55aa ] || fail "no 55AA boot signature (found $sig)"
mbr_type=$(od -An -tx1 -j450 -N1 "$img" | tr -d ' ')
[ "$mbr_type" = ee ] || fail "MBR entry 1 is type $mbr_type, not the protective EE"

if [ -n "$stage1" ]; then
    echo "$table" | grep -Eq '^ +3 +34 +2047 .* EF02 ' || fail "partition 3 is not a BIOS boot partition (EF02) at 34..2047"
    cmp -n 436 "$img" "$stage1" || fail "stage1 code differs from $stage1"
    lba=$(od -An -tu4 -j436 -N4 "$img" | tr -d ' ')
    [ "$lba" = 34 ] || fail "stage1's stage2 LBA is $lba, not 34"
    cmp -n "$(stat -c %s "$stage2")" "$img" "$stage2" 17408 0 || fail "stage2 is not at LBA 34"
fi

part=$(mktemp)
trap 'rm -f "$part"' EXIT
esp_end=$(echo "$table" | sed -nE 's/^ +1 +2048 +([0-9]+) .*/\1/p')
root_line=$(echo "$table" | grep -E '^ +2 ') || fail "no partition 2"
echo "$root_line" | grep -Eq ' 8300 ' || fail "partition 2 is not a Linux filesystem partition (8300): $root_line"
root_start=$(echo "$root_line" | awk '{ print $2 }') root_end=$(echo "$root_line" | awk '{ print $3 }')
[ "$root_start" -gt "$esp_end" ] || fail "partition 2 overlaps the ESP"
dd if="$img" of="$part" bs=512 skip=2048 count=$(( esp_end - 2048 + 1 )) status=none
fsck.fat -n "$part" || fail "fsck.fat -n found problems"
fsck.fat -n -v "$part" | grep -q "32 bit entries" || fail "the ESP is not FAT32"
export MTOOLS_SKIP_CHECK=1
mdir -i "$part" ::/EFI/BOOT | grep -qi 'bootx64 *efi' || fail "no \\EFI\\BOOT\\BOOTX64.EFI"
mdir -i "$part" ::/boot | tee /dev/stderr | grep -qi 'kernel *elf' || fail "no /boot/kernel.elf"
mdir -i "$part" ::/boot | grep -qi 'boot *cfg' || fail "no /boot/boot.cfg"
check_initramfs "$part" "$root"
check_root_fs "$img" "$root_start" $(( root_end - root_start + 1 )) "$root"
echo "ok: $img"
