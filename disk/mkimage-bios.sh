#!/bin/sh
# mkimage-bios.sh - make a BIOS-bootable disk image without root.
#
#   mkimage-bios.sh OUT STAGE1 STAGE2 KERNEL CFG [options]
#     --size MIB        image size (default 64)
#     --fat 32|16       FAT type of the boot partition (default 32)
#     --module SRC=DST  copy SRC to DST on the partition (repeatable)
#     --boot-tree DIR   copy DIR's tree to the boot partition's root (default
#                       disk/bootfs)
#     --root DIR        add partition 2, an ext2 root file system made from
#                       the staged tree DIR (disk/stage-root.sh)
#     --root-size MIB   its size (default 64); the image is --size + this
#
# Layout (docs/boot-bios.md, docs/files-images.md):
#   LBA 0          MBR: stage1 code (bytes 0..439), disk signature and
#                  partition table (440..511) written by sfdisk
# Every image gets a disk signature of its own, random, made when the image
# is made; the FAT volume id is the same number, so tests/image-check.sh can
# see that stage1 left the signature intact. (Two copies of one image still
# share it: stage2 finds its disk by the BIOS's device path, not by it.)
#   LBA 1..2047    stage2, as one contiguous blob
#   LBA 2048..     partition 1, active, type 0x0C (FAT32 LBA) or 0x0E (FAT16
#                  LBA), up to --size MiB, formatted by mkfs.fat, filled by
#                  mtools: the boot partition
#   then, --root:  partition 2, type 0x83 (Linux), ext2 made by mke2fs -d,
#                  to the end of the disk: the root file system
#
# Each partition is built as its own file and then copied into the image,
# so nothing needs a loop device or root.
set -eu
. "$(dirname "$0")/boot-files.sh"

die() { echo "mkimage-bios: $*" >&2; exit 1; }

[ $# -ge 5 ] || die "usage: mkimage-bios.sh OUT STAGE1 STAGE2 KERNEL CFG [--size MIB] [--fat 32|16] [--module SRC=DST] [--boot-tree DIR] [--root DIR] [--root-size MIB]"
out=$1 stage1=$2 stage2=$3 kernel=$4 cfg=$5
shift 5
size_mib=64 fat=32 tree=disk/bootfs root="" root_mib=64 modules=""
while [ $# -gt 0 ]; do
    case $1 in
    --size) size_mib=$2; shift 2 ;;
    --fat) fat=$2; shift 2 ;;
    --boot-tree) tree=$2; shift 2 ;;
    --root) root=$2; shift 2 ;;
    --root-size) root_mib=$2; shift 2 ;;
    --module) modules="$modules $2"; shift 2 ;;
    *) die "unknown option $1" ;;
    esac
done

PART_START=2048                 # first partition sector: 1 MiB, the usual alignment
STAGE2_MAX=$(( (PART_START - 1) * 512 ))
part_sectors=$(( size_mib * 2048 - PART_START ))
root_start=$(( size_mib * 2048 ))   # 1 MiB aligned, right after partition 1
root_sectors=0
if [ -n "$root" ]; then
    [ -d "$root" ] || die "--root $root is not a folder"
    root_sectors=$(( root_mib * 2048 ))
fi
total=$(( root_start + root_sectors ))  # sectors
case $fat in
32) part_type=c ;;              # FAT32 with LBA addressing
16) part_type=e ;;              # FAT16 with LBA addressing
*) die "--fat must be 32 or 16" ;;
esac

s1=$(stat -c %s "$stage1") s2=$(stat -c %s "$stage2")
[ "$s1" -eq 512 ] || die "$stage1 is $s1 bytes, not 512"
[ "$s2" -le $STAGE2_MAX ] || die "$stage2 is $s2 bytes; only $STAGE2_MAX fit before the partition"

tmp="$out.tmp" part="$out.part"
rm -f "$tmp" "$part"
truncate -s $(( total * 512 )) "$tmp"

# The disk signature: 32 random bits, never 0 (0 means "none" to Windows and Linux).
disk_id=00000000
while [ "$disk_id" = 00000000 ]; do
    disk_id=$(od -An -tx4 -N4 /dev/urandom | tr -d ' ')
done

# Partition table: the active boot partition from 1 MiB, then the root.
{
    printf 'label: dos\nlabel-id: 0x%s\nstart=%d, size=%d, type=%s, bootable\n' \
        "$disk_id" $PART_START $part_sectors $part_type
    [ -z "$root" ] || printf 'start=%d, size=%d, type=83\n' $root_start $root_sectors
} | sfdisk -q "$tmp" >/dev/null

# The file system, in its own file. -h: hidden sectors = partition start, as
# a BPB on a partitioned disk must say; -i: the volume id, the disk signature.
truncate -s $(( part_sectors * 512 )) "$part"
if [ "$fat" = 32 ]; then
    mkfs.fat -F 32 -s 1 -h $PART_START -i "$disk_id" -n TESSERA "$part" >/dev/null
else
    mkfs.fat -F 16 -h $PART_START -i "$disk_id" -n TESSERA "$part" >/dev/null
fi

copy_boot_files "$part" "$cfg" "$kernel" "$tree" "$modules"

dd if="$part" of="$tmp" bs=1M seek=$(( PART_START / 2048 )) conv=notrunc,sparse status=none
rm -f "$part"
if [ -n "$root" ]; then
    make_root_fs "$part" $root_sectors "$root"
    dd if="$part" of="$tmp" bs=1M seek=$(( root_start / 2048 )) conv=notrunc,sparse status=none
    rm -f "$part"
fi
# stage1: code only (0..439); the signature and partition table stay.
dd if="$stage1" of="$tmp" bs=440 count=1 conv=notrunc status=none
dd if="$stage2" of="$tmp" bs=512 seek=1 conv=notrunc status=none
mv "$tmp" "$out"
